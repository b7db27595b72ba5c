"""The reader seam: the shipped cross-encoder reads question and passage together; the overlap stand-in needs no model."""

from __future__ import annotations

import numpy as np
import pytest

from qa.answer.features import PASSAGE_FEATURES, Context, passage_row
from qa.answer.reader import MODEL, OnnxReader, OverlapReader, load_reader, passage_text
from qa.models import Chunk, Hit, Query

QUESTION = "How many fishing boats did the Orlen treaty allow on the river?"
ANSWERS = ("Orlen river treaty", "The treaty signed in Keldport caps the fishing fleet on the Orlen at 400 boats, officials said.")
NEAR_MISS = ("Orlen river treaty", "The treaty signed in Keldport was welcomed by fishermen, who held a parade on the Orlen river.")
ELSEWHERE = ("Budget vote", "The city council approved the budget for schools and roads on Tuesday after a long debate.")


def test_a_passage_is_read_with_its_title_once():
    assert passage_text("Dam row", "Varga said no.") == "Dam row. Varga said no."
    assert passage_text("", "Varga said no.") == "Varga said no."
    assert passage_text("Varga", "Varga said no.") == "Varga said no."


def test_the_overlap_reader_is_deterministic_and_prefers_the_question_words():
    r = OverlapReader()
    a = r.score(QUESTION, [ANSWERS, ELSEWHERE])
    assert np.array_equal(a, r.score(QUESTION, [ANSWERS, ELSEWHERE])) and a[0] > a[1]
    assert r.score(QUESTION, []).shape == (0,)


def test_an_unknown_reader_is_named():
    with pytest.raises(ValueError, match="unknown reader 'bert'"):
        load_reader("bert")
    assert isinstance(load_reader("overlap"), OverlapReader)


def test_the_fake_encoder_backend_reads_with_the_overlap_stand_in(news):
    """Fast tests load no model: with the fake encoder, "auto" is the overlap reader."""
    from qa.answer import answerer_for

    assert isinstance(answerer_for(news.settings, news.index.store, news.encoder).reader, OverlapReader)


@pytest.mark.slow
@pytest.mark.skipif(not MODEL.exists(), reason="the reader model is not in this checkout")
def test_the_shipped_reader_tells_the_answer_from_a_near_miss_and_from_another_story():
    r = load_reader()
    assert isinstance(r, OnnxReader)
    p = r.score(QUESTION, [ANSWERS, NEAR_MISS, ELSEWHERE])
    assert ((p >= 0) & (p <= 1)).all()
    assert p[0] > p[1] > p[2] and p[0] > 0.5 and p[2] < 0.2, p


def test_only_the_passages_read_carry_a_reader_score():
    q = Query(text=QUESTION, terms=["fishing", "boats", "orlen", "treaty", "river"], names={"orlen"})
    chunk = Chunk("d", 0, len(ANSWERS[1]), ANSWERS[1], [(0, len(ANSWERS[1]))], title=ANSWERS[0])
    hit = Hit(1, 0.03, 0.6, 4.0, 0, 0)
    ctx = Context(q, {}, [], [hit])
    ctx.top_reader = 0.9
    read = dict(zip(PASSAGE_FEATURES, passage_row(ctx, hit, chunk, np.array([0.7]), 0.6)))
    unread = dict(zip(PASSAGE_FEATURES, passage_row(ctx, hit, chunk, np.array([0.7]))))
    assert (read["reader"], read["read"]) == (0.6, 1.0) and read["reader_gap"] == pytest.approx(0.3)
    assert (unread["reader"], unread["read"], unread["reader_gap"]) == (0.0, 0.0, 0.9)


def test_reading_off_uses_the_scorer_fitted_without_the_reader(news):
    """QA_READER=off: nothing read, and the scorer fitted with the reader's features empty, so its weights fit."""
    from dataclasses import replace

    from qa.answer import answerer_for
    from qa.answer.reader import NoReader
    from qa.answer.scorer import Scorer, scorer_files

    answerer = answerer_for(replace(news.settings, reader="off"), news.index.store, news.encoder)
    assert isinstance(answerer.reader, NoReader)
    read_file, unread_file = scorer_files(news.encoder.name)  # the files fitted for this encoder's features
    assert answerer.scorer.passage.coef.tolist() == Scorer.load(unread_file).passage.coef.tolist()
    assert answerer.scorer.passage.coef.tolist() != Scorer.load(read_file).passage.coef.tolist()
    query = news.query("How many fishing boats may each country license on the lower Orlen?")
    qvec, hits = news.retrieve(query)
    _, _, rows, _, _ = answerer.candidates(query, qvec, hits)
    read = [PASSAGE_FEATURES.index(f) for f in ("reader", "reader_gap", "read")]
    assert len(rows) and not rows[:, read].any()
    answer = answerer.compose(query, qvec, hits)
    assert not answer.abstained and "400" in " ".join(s["text"] for s in answer.sentences)


class CountingReader(OverlapReader):
    """The overlap stand-in, counting the questions it reads."""

    def __init__(self):
        self.questions: list[str] = []

    def score(self, question, passages):
        self.questions.append(question)
        return super().score(question, passages)


@pytest.mark.parametrize("margin_past, reads", [(3.0, False), (-3.0, False), (0.5, True), (-1.0, True)])
def test_the_reader_runs_only_when_the_scorer_without_it_is_unsure(news, monkeypatch, margin_past, reads):
    """Read when the unread scorer's abstention score lies within read_margin (log-odds) of its threshold; otherwise
    its decision stands, on the rows and scorer of QA_READER=off."""
    from qa.answer.extractive import ExtractiveAnswerer
    from qa.answer.scorer import Scorer

    monkeypatch.setattr(Scorer, "log_odds_past_threshold", lambda self, rows, prob, unknown_share=None: margin_past)
    reader = CountingReader()
    answerer = ExtractiveAnswerer(news.index.store, news.encoder, reader=reader, read_margin=1.5)
    query = news.query("How many fishing boats may each country license on the lower Orlen?")
    qvec, hits = news.retrieve(query)
    scorer, rows, prob, threshold = answerer.scored(answerer.gather(query, qvec, hits))
    assert reader.questions == ([query.text] if reads else [])
    assert scorer is (answerer.scorer if reads else answerer.unread_scorer)
    read_cols = [PASSAGE_FEATURES.index(f) for f in ("reader", "read")]
    assert rows[:, read_cols].any() == reads
    assert prob.tolist() == scorer.probability(rows).tolist()
    assert threshold == (scorer.threshold(1.5) if reads else scorer.abstain_below)


def test_an_infinite_margin_reads_every_question_and_the_app_default_comes_from_the_settings(news, monkeypatch):
    from dataclasses import replace

    from qa.answer import answerer_for
    from qa.answer.extractive import ExtractiveAnswerer
    from qa.config import Settings

    reader = CountingReader()
    answerer = ExtractiveAnswerer(news.index.store, news.encoder, reader=reader, read_margin=float("inf"))
    for question in ("How many fishing boats may each country license on the lower Orlen?", "Who won the 1998 chess final?"):
        query = news.query(question)
        answerer.compose(query, *news.retrieve(query))
    assert len(reader.questions) == 2
    monkeypatch.setenv("QA_READ_MARGIN", "inf")
    assert Settings().read_margin == float("inf")
    monkeypatch.setenv("QA_READ_MARGIN", "0.5")
    assert answerer_for(replace(news.settings, read_margin=Settings().read_margin), news.index.store, news.encoder).read_margin == 0.5


def test_the_margin_measures_log_odds_from_the_threshold():
    from qa.answer.scorer import Scorer

    scorer = Scorer(passage=None, question=None, abstain_below=0.5)
    scorer.answerable = lambda rows, prob, unknown_share=None: 0.9
    assert scorer.log_odds_past_threshold(np.zeros((1, 1)), np.zeros(1)) == pytest.approx(np.log(9))
    scorer.abstain_below = 0.9
    assert scorer.log_odds_past_threshold(np.zeros((1, 1)), np.zeros(1)) == pytest.approx(0.0)


def test_the_questions_read_because_unsure_have_their_own_threshold_only_at_the_margin_it_was_calibrated_for():
    from qa.answer.scorer import Scorer

    scorer = Scorer(passage=None, question=None, abstain_below=0.1, unsure_abstain_below=0.2, unsure_margin=1.5)
    assert (scorer.threshold(1.5), scorer.threshold(3.0), scorer.threshold(float("inf")), scorer.threshold()) == (0.2, 0.1, 0.1, 0.1)
    assert Scorer(passage=None, question=None, abstain_below=0.1).threshold(1.5) == 0.1


def test_the_unsure_threshold_survives_saving(tmp_path):
    from qa.answer.scorer import SCORER_FILE, Scorer

    scorer = Scorer.load(SCORER_FILE)
    scorer.unsure_abstain_below, scorer.unsure_margin = 0.3, 2.0
    scorer.save(tmp_path / "s.json")
    again = Scorer.load(tmp_path / "s.json")
    assert (again.unsure_abstain_below, again.unsure_margin, again.threshold(2.0)) == (0.3, 2.0, 0.3)


def test_without_a_set_margin_the_scorer_file_s_own_is_used(news, monkeypatch, tmp_path):
    """QA_READ_MARGIN unset: the answerer reads at the margin the read scorer's threshold was calibrated at (its file's
    unsure_margin), so that threshold applies; a file calibrated without one reads at 1.5."""
    from qa.answer.extractive import DEFAULT_MARGIN, ExtractiveAnswerer
    from qa.answer.scorer import SCORER_FILE, Scorer
    from qa.config import Settings

    monkeypatch.delenv("QA_READ_MARGIN", raising=False)
    assert Settings().read_margin is None
    for margin in (2.0, 0.7):
        scorer = Scorer.load(SCORER_FILE)
        scorer.unsure_abstain_below, scorer.unsure_margin = 0.3, margin
        answerer = ExtractiveAnswerer(news.index.store, news.encoder, scorer=scorer, reader=CountingReader(), read_margin=None)
        assert answerer.margin == margin and scorer.threshold(answerer.margin) == 0.3
    scorer.unsure_abstain_below = scorer.unsure_margin = None
    assert ExtractiveAnswerer(news.index.store, news.encoder, scorer=scorer, reader=CountingReader(), read_margin=None).margin == DEFAULT_MARGIN
    set_by_hand = ExtractiveAnswerer(news.index.store, news.encoder, scorer=scorer, reader=CountingReader(), read_margin=3.0)
    assert set_by_hand.margin == 3.0
