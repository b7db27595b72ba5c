"""“What is the latest on …?” and “the first reports of …” (qa.query.analyze NEWEST / OLDEST, the extractive
answerer): of a dated archive, the passages that answer and name the topic, newest (or oldest) first."""

from __future__ import annotations

import pytest

from qa.query.analyze import analyze


@pytest.mark.parametrize(
    ("question", "recency", "terms"),
    [
        ("What is the latest on the Orlen dam?", "newest", ["orlen", "dam"]),
        ("What is the latest news about the dam talks?", "newest", ["dam", "talks"]),
        ("What happened most recently in Velmora?", "newest", ["velmora"]),
        ("What did Varga say most recently about the dam?", "newest", ["varga", "dam"]),
        ("What were the first reports of the Orlen dam dispute?", "oldest", ["orlen", "dam", "dispute"]),
        ("What is the latest version of the dam plan?", None, ["latest", "version", "dam", "plan"]),  # an attribute
        ("What was the most recent salmon count?", None, ["recent", "salmon", "count"]),
        ("Who was the first minister to visit the dam?", None, ["first", "minister", "visit", "dam"]),
    ],
)
def test_a_question_asks_for_the_latest_or_the_first_reports(question, recency, terms):
    query = analyze(question)
    assert (query.recency, query.terms) == (recency, terms)


def test_an_undated_archive_has_no_latest():
    assert analyze("What is the latest on the Orlen dam?", corpus_dated=False).recency is None


@pytest.mark.parametrize(("question", "newest"), [("What is the latest on the Orlen dam?", True),
                                                 ("What were the first reports on the Orlen dam?", False)])
def test_the_latest_reports_lead(news, question, newest):
    answer = news.ask(question)
    dates = [c.date for c in answer.citations if c.date]
    assert not answer.abstained and len(set(dates)) > 1
    assert dates == sorted(dates, reverse=newest)
    everything = [c.date for c in news.ask("What about the Orlen dam?").citations if c.date]
    assert dates[0] == (max if newest else min)(dates + everything)  # the newest (oldest) that answers leads
    assert any(("Newest" if newest else "Oldest") + " first" in n for n in answer.notes)
