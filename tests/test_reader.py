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
    from qa.answer.scorer import SCORER_FILE, UNREAD_SCORER_FILE, Scorer

    answerer = answerer_for(replace(news.settings, reader="off"), news.index.store, news.encoder)
    assert isinstance(answerer.reader, NoReader)
    assert answerer.scorer.passage.coef.tolist() == Scorer.load(UNREAD_SCORER_FILE).passage.coef.tolist()
    assert answerer.scorer.passage.coef.tolist() != Scorer.load(SCORER_FILE).passage.coef.tolist()
    query = news.query("How many fishing boats may each country license on the lower Orlen?")
    qvec, hits = news.retrieve(query)
    _, _, rows, _, _ = answerer.candidates(query, qvec, hits)
    read = [PASSAGE_FEATURES.index(f) for f in ("reader", "reader_gap", "read")]
    assert len(rows) and not rows[:, read].any()
    answer = answerer.compose(query, qvec, hits)
    assert not answer.abstained and "400" in " ".join(s["text"] for s in answer.sentences)
