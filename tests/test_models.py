"""The data passed between stages (qa.models) and the package's lazy top-level names (qa/__init__.py)."""

from __future__ import annotations

import json

import pytest

import qa
from qa.models import Answer, Chunk, Citation, Filters, Period


def test_chunk_sentence_text_is_relative_to_the_chunk():
    text = "Varga said so. Brenner did not."
    c = Chunk("d", 100, 100 + len(text), text, [(100, 114), (115, 131)])
    assert [c.sentence_text(s) for s in c.sentences] == ["Varga said so.", "Brenner did not."]
    assert (c.id, c.title, c.date, c.source, c.ordinal) == (None, "", None, "", 0)


@pytest.mark.parametrize(
    ("filters", "active"),
    [(Filters(), False), (Filters(since="2016-01-01"), True), (Filters(until="2016-01-01"), True), (Filters(sources=("AP",)), True),
     (Filters(doc_ids=("x",)), True), (Filters(sources=(), doc_ids=()), False)],
)
def test_filters_active(filters, active):
    assert filters.active() == active


def test_period_to_dict():
    assert Period("2016-11-01", None, "since November 2016", "since November 2016").to_dict() == {
        "since": "2016-11-01", "until": None, "text": "since November 2016", "label": "since November 2016"}


def test_citation_and_answer_to_dict_are_json():
    c = Citation(1, "d", "T", "2017-01-24", "AP", "text", 10, 14, 0.123456789, [(10, 12), (12, 14)])
    d = c.to_dict()
    assert d["score"] == 0.1235 and d["quotes"] == [[10, 12], [12, 14]]
    period = Period("2016-11-01", "2016-11-30", "in November 2016", "November 2016")
    ans = Answer("Q?", "text [1]", False, [c], period, ["note"], [{"text": "te", "n": 1, "doc_id": "d", "start": 10, "end": 12, "date": None}])
    out = ans.to_dict()
    assert list(out) == ["question", "answer", "abstained", "citations", "period", "notes", "sentences", "outside_period", "nearest", "asked"]
    assert out["citations"] == [d] and out["period"] == period.to_dict() and json.loads(json.dumps(out)) == out
    assert out["asked"] == "Q?" and out["outside_period"] == []  # the question itself when it was not rewritten


def test_top_level_names_load_lazily():
    from qa.api import Assistant

    assert qa.Assistant is Assistant and qa.Answer is Answer and qa.Chunk is Chunk and qa.Citation is Citation
    assert qa.__version__ == "0.1.0" and set(qa.__all__) >= {"Assistant", "Answer", "Article", "Chunk", "Citation"}
    with pytest.raises(AttributeError):
        qa.NoSuchThing  # noqa: B018
