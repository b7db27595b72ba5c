"""The fitted scorer: the shipped file loads, probabilities behave, a scorer fitted on other features is refused."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from qa.answer.features import PASSAGE_FEATURES, Context, coverage, rare_terms
from qa.answer.scorer import QUESTION_FEATURES, SCORER_FILE, Scorer, Trees, question_row
from qa.models import Chunk, Hit, Query


def test_the_shipped_scorer_matches_the_features_and_says_what_it_was_fitted_on():
    s = Scorer.load()
    assert len(s.passage.coef) == len(s.features) and set(s.features) <= set(PASSAGE_FEATURES) and s.question.trees
    assert 0.0 < s.abstain_below < 1.0 and 0.0 < s.cite_ratio <= 1.0
    assert "seeds" not in json.dumps(s.fitted_on) and s.fitted_on["sets"]


def test_passage_probabilities_lie_in_0_1_and_follow_the_linear_score():
    p = Scorer.load().passage
    rows = np.random.default_rng(0).normal(p.mean, p.scale, size=(50, len(p.mean)))
    prob = p(rows)
    z = ((rows - p.mean) / p.scale) @ p.coef + p.intercept
    assert ((prob > 0) & (prob < 1)).all() and (np.argsort(prob) == np.argsort(z)).all()
    assert Scorer.load().probability(np.zeros((0, len(PASSAGE_FEATURES)))).shape == (0,)


def test_the_numpy_trees_equal_scikit_learn():
    """The answering path evaluates the exported trees itself; scikit-learn is the reference."""
    sklearn = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1500, 5))
    y = X[:, 0] + X[:, 1] ** 2 + rng.normal(size=1500) * 0.3 > 1
    X[rng.random(X.shape) < 0.03] = np.nan  # missing values take the side the fit chose
    model = sklearn.HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=10, random_state=0).fit(X, y)
    assert np.allclose(Trees.from_sklearn(model)(X), model.predict_proba(X)[:, 1], atol=1e-7)


def test_the_question_model_reads_the_whole_candidate_list():
    s = Scorer.load()
    rows = np.random.default_rng(1).normal(size=(20, len(PASSAGE_FEATURES)))
    rows[:, [PASSAGE_FEATURES.index(f) for f in s.features]] = np.random.default_rng(1).normal(s.passage.mean, s.passage.scale, size=(20, len(s.features)))
    q = question_row(rows, s.probability(rows))
    assert q.shape == (len(QUESTION_FEATURES),) and q[0] == s.probability(rows).max()
    assert 0.0 < s.answerable(rows, s.probability(rows)) < 1.0
    assert s.answerable(rows[:0], s.probability(rows[:0])) == 0.0


def test_save_and_load_round_trip(tmp_path):
    s = Scorer.load()
    s.save(tmp_path / "s.json")
    again = Scorer.load(tmp_path / "s.json")
    assert np.allclose(again.passage.coef, s.passage.coef) and again.abstain_below == s.abstain_below
    rows = np.random.default_rng(2).normal(size=(7, len(PASSAGE_FEATURES)))
    assert again.answerable(rows, again.probability(rows)) == s.answerable(rows, s.probability(rows))


def test_a_scorer_fitted_on_other_features_is_refused(tmp_path):
    data = json.loads(SCORER_FILE.read_text())
    data["features"] = data["features"][:-1]
    (tmp_path / "old.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="refit"):
        Scorer.load(tmp_path / "old.json")


def test_coverage_counts_stems_and_other_names():
    w = {"fishermen": 2.0, "dam": 1.0}
    assert coverage(["fishermen", "dam"], w, "The fisherman's boat") == pytest.approx(2 / 3)
    assert coverage(["united", "states"], {}, "US officials said", {"united": ["us"], "states": ["us"]}) == 1.0
    assert coverage([], w, "anything") == 0.0
    assert rare_terms(["dam", "fishermen", "river"], {"dam": 1, "fishermen": 5, "river": 2}) == ["fishermen", "river"]


def test_a_passage_row_has_one_value_per_feature():
    from qa.answer.features import passage_row

    q = Query(text="What did Varga say about the dam?", terms=["varga", "dam"], names={"varga"}, asks_speech=True)
    chunk = Chunk("d", 0, 40, "Varga said the dam must stop. It rained.", [(0, 29), (30, 40)], title="Dam row")
    hit = Hit(1, 0.03, 0.6, 4.0, 0, 0)
    ctx = Context(q, {"varga": 3.0, "dam": 1.0}, [], [hit])
    ctx.top_sentence = 0.7
    row = passage_row(ctx, hit, chunk, np.array([0.7, 0.1]))
    assert len(row) == len(PASSAGE_FEATURES)
    named = dict(zip(PASSAGE_FEATURES, row))
    assert named["coverage"] == 1.0 and named["sentence_cos"] == pytest.approx(0.7) and named["speech_match"] == 1.0


def test_coverage_matches_word_starts_and_short_names_whole():
    assert coverage(["us"], {}, "resolutions are complied with, thus") == 0.0
    assert coverage(["us"], {}, "the US said") == 1.0 and coverage(["us"], {}, "he told us") == 0.0
    assert coverage(["dam"], {}, "Amsterdam") == 0.0 and coverage(["dam"], {}, "the dams") == 1.0


def test_a_question_mostly_made_of_words_the_corpus_lacks_is_not_answerable():
    """More than half of the topic words unknown: abstain whatever the trees say; half or fewer: the trees decide."""
    s = Scorer.load()
    rows = np.zeros((5, len(PASSAGE_FEATURES)))
    rows[:, [PASSAGE_FEATURES.index(f) for f in s.features]] = s.passage.mean
    col = PASSAGE_FEATURES.index("unknown_share")
    rows[:, col] = 2 / 3
    assert s.answerable(rows, s.probability(rows)) == 0.0
    rows[:, col] = 0.5
    assert s.answerable(rows, s.probability(rows)) > 0.0
    rows[:, col] = 1.0  # the index lacks every word, but a candidate writes them in another form: the trees decide
    assert s.answerable(rows, s.probability(rows), unknown_share=0.0) > 0.0
    assert s.answerable(rows, s.probability(rows), unknown_share=1.0) == 0.0


def test_a_word_the_index_lacks_but_a_candidate_writes_otherwise_is_not_wholly_absent():
    """"septicemia" is not in the full-text index, but "septicemic" names it: only wholly absent words count."""
    query = Query("What is septicemia in the Black Death?", ["septicemia", "black", "death"], set())
    ctx = Context(query, {"septicemia": 3.0, "black": 1.0, "death": 1.0}, ["septicemia"], [])
    other = Chunk("d", 0, 40, "Black Death killed millions in Europe.", [(0, 40)], 0, 1, "T", None, "S")
    named = Chunk("e", 0, 50, "Others point to septicemic plague, a blood poisoning.", [(0, 50)], 0, 2, "T", None, "S")
    assert ctx.absence([other]) == pytest.approx(1 / 3)
    fresh = Context(query, {"septicemia": 3.0, "black": 1.0, "death": 1.0}, ["septicemia"], [])
    assert fresh.absence([other, named]) == 0.0
    assert ctx.unknown_share == pytest.approx(1 / 3)  # the fitted feature keeps the index's notion


def test_a_name_of_two_words_wholly_absent_is_everything_absent():
    """One unknown word of three is a third; both words of a full name absent: the question is about nobody here."""
    def ctx(question: str, terms: list[str], unknown: list[str]) -> Context:
        return Context(Query(question, terms, {t for t in terms if t[0] in "lrt"}), dict.fromkeys(terms, 1.0), unknown, [])

    other = Chunk("d", 0, 40, "Lavrov met Kerry in Geneva on Friday.", [(0, 40)], 0, 1, "T", None, "S")
    assert ctx("What did Lavrov discuss with Rex Tillerson?", ["lavrov", "discuss", "rex", "tillerson"],
               ["Rex", "Tillerson"]).absence([other]) == 1.0
    assert ctx("What did Lavrov discuss with Tillerson?", ["lavrov", "discuss", "tillerson"],
               ["Tillerson"]).absence([other]) == pytest.approx(1 / 3)
    assert ctx("What did Lavrov discuss with Rex Tillerson?", ["lavrov", "discuss", "rex", "tillerson"],
               ["Rex"]).absence([other]) == pytest.approx(1 / 4)  # the corpus writes Tillerson


def test_coverage_from_the_terms_found_once_equals_coverage_searched_again():
    """passage_row looks each term up once per passage; the shares it derives equal a plain per-term search."""
    from qa.answer.features import _share, found
    from qa.text import aliases

    text = "The Orlen river treaty caps boats at 400; the U.S. and UN observers welcomed the Zarnovia deal."
    terms = ["orlen", "treaty", "boats", "us", "united", "nations", "keldland", "salmon", "zarnovia"]
    alternatives = {"united": ["U.S.", "United States"], "nations": ["UN", "United Nations"]}
    weights = {t: 1.0 + i / 3 for i, t in enumerate(terms)}
    present = found(terms, text, alternatives)

    def named(t: str) -> bool:  # the reference: one term, searched on its own
        whole_word = len(t) <= 2
        own = aliases.contains(text, [t]) if whole_word else re.search(r"(?<!\w)" + re.escape(t[:5]), text.lower())
        return bool(own) or (t in alternatives and aliases.contains(text, alternatives[t]))

    rng = np.random.default_rng(1)
    for _ in range(50):
        subset = [t for t in terms if rng.random() < 0.5]
        for w in (weights, {}):
            total = sum(w.get(t, 1.0) for t in subset)
            expected = sum(w.get(t, 1.0) for t in subset if named(t)) / total if subset else 0.0
            assert _share(subset, w, present) == expected
            assert coverage(subset, w, text, alternatives) == expected


def test_each_encoder_gets_the_scorer_fitted_on_its_features():
    from qa.answer.scorer import E5_SCORER_FILES, PAIR_SCORER_FILES, UNREAD_SCORER_FILE, scorer_files
    from qa.config import Settings
    from qa.encoders import BUNDLED, E5, model_name
    from qa.encoders.fake import FAKE

    assert scorer_files(model_name(Settings(model="e5+minilm"))) == PAIR_SCORER_FILES
    assert scorer_files(model_name(Settings(model="e5+minilm", precision="fp32"))) == PAIR_SCORER_FILES
    assert scorer_files(E5) == scorer_files(E5 + "@int8") == E5_SCORER_FILES
    assert scorer_files(BUNDLED) == scorer_files(FAKE) == scorer_files("/models/other") == (SCORER_FILE, UNREAD_SCORER_FILE)
    for path in (SCORER_FILE, UNREAD_SCORER_FILE, *E5_SCORER_FILES, *PAIR_SCORER_FILES):
        fitted = Scorer.load(path)  # every shipped file was fitted on features today's code computes
        assert 0.0 < fitted.abstain_below < 1.0 and fitted.fitted_on["dev_false_abstention"] <= 0.03


def test_a_scorer_reads_the_features_it_was_fitted_on_by_name(tmp_path):
    """A file fitted before a feature was added uses its own columns, by name; one naming a feature this version does
    not compute is refused with the file named."""
    s = Scorer.load()
    rows = np.random.default_rng(3).normal(size=(9, len(PASSAGE_FEATURES)))
    cols = [PASSAGE_FEATURES.index(f) for f in s.features]
    assert np.allclose(s.probability(rows), s.passage(rows[:, cols]))
    shuffled = rows.copy()
    others = [i for i in range(len(PASSAGE_FEATURES)) if i not in cols]
    shuffled[:, others] = 1e6  # columns the passage model was not fitted on change nothing
    assert np.allclose(s.probability(shuffled), s.probability(rows))
    data = json.loads(SCORER_FILE.read_text())
    data["features"] = [*data["features"][:-1], "from_the_future"]
    (tmp_path / "future.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="future.json.*from_the_future"):
        Scorer.load(tmp_path / "future.json")


def test_the_question_model_sees_the_retrieving_model_s_cosines():
    rows = np.zeros((4, len(PASSAGE_FEATURES)))
    rows[:, PASSAGE_FEATURES.index("retrieval")] = [0.81, 0.86, 0.79, 0.84]
    q = dict(zip(QUESTION_FEATURES, question_row(rows, np.array([0.5, 0.1, 0.3, 0.2]))))
    assert (q["max_retrieval"], q["top_retrieval"]) == (0.86, 0.81)
    assert q["top3_retrieval"] == pytest.approx((0.81 + 0.79 + 0.84) / 3) and q["retrieval_gap"] == pytest.approx(0.05)
