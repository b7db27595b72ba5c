"""A question analysed once into a Query (qa.query.analyze, and Assistant.query): topic terms, names, period, intent."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.models import Filters, Query
from qa.query.analyze import analyze, without_period


def test_terms_and_names():
    q = analyze("  What did Ilse Varga say about the Orlen dam?  ")
    assert isinstance(q, Query)
    assert q.text == q.original == "What did Ilse Varga say about the Orlen dam?"
    assert q.terms == ["ilse", "varga", "orlen", "dam"]
    assert q.names == {"ilse", "varga", "orlen"}
    assert q.period is None and not q.period_from_question and not q.filters.active()


@pytest.mark.parametrize(
    ("question", "chronological", "speech"),
    [
        ("How did Varga's position on the Orlen dam change?", True, True),
        ("How has the dispute evolved?", True, False),
        ("Show the Orlen dispute over time", True, False),
        ("Compare TASS and Reuters on the dam", True, False),
        ("Give a comparison of Varga's statements on the dam", True, False),
        ("What did Varga say about Brenner's Nazi comparison?", False, True),  # the comparison is the topic
        ("What did Brenner tell parliament?", False, True),
        ("What is Keldland's stance on the treaty?", False, True),
        ("How many fishing boats may each country license?", False, False),
        ("Where is the Orlen dam?", False, False),
    ],
)
def test_intent(question, chronological, speech):
    q = analyze(question)
    assert (q.chronological, q.asks_speech) == (chronological, speech)


def test_explicit_dates_sources_and_documents_become_filters():
    q = analyze("What did Varga say about the Orlen dam?", since="2016-11-01", sources=["TASS", "AP"], doc_ids=["a", "b"])
    assert q.filters == Filters("2016-11-01", None, ("TASS", "AP"), ("a", "b"))
    assert (q.period.since, q.period.until, q.period.label) == ("2016-11-01", None, "2016-11-01 to now")
    assert not q.period_from_question


def test_a_period_in_the_question_becomes_the_date_filter():
    q = analyze("What did Varga say about the Orlen dam in November 2016?")
    assert q.period_from_question
    assert (q.filters.since, q.filters.until) == ("2016-11-01", "2016-11-30") == (q.period.since, q.period.until)
    assert q.period.label == "November 2016"


def test_explicit_dates_win_over_the_question():
    q = analyze("What did Varga say about the Orlen dam in November 2016?", until="2017-01-31")
    assert (q.filters.since, q.filters.until) == (None, "2017-01-31")
    assert not q.period_from_question and q.period.label == "the beginning to 2017-01-31"


def test_relative_periods_are_read_against_the_reference_date():
    q = analyze("What did Varga say last October?", reference=dt.date(2017, 5, 12))
    assert (q.filters.since, q.filters.until) == ("2016-10-01", "2016-10-31")


def test_without_period_keeps_sources_and_documents():
    q = analyze("What did Varga say in November 2016?", sources=["TASS"], doc_ids=["x"])
    wide = without_period(q)
    assert wide.filters == Filters(None, None, ("TASS",), ("x",))
    assert wide.period is None and not wide.period_from_question
    assert (wide.text, wide.terms, wide.names) == (q.text, q.terms, q.names)
    assert q.filters.since == "2016-11-01"  # the original is untouched


def test_empty_question():
    q = analyze("")
    assert (q.text, q.terms, q.names, q.period) == ("", [], set(), None)


def test_assistant_query_reads_relative_dates_against_the_corpus(news):
    """The reference for "last October" is the latest article date of the corpus (2017-05-12), not today."""
    q = news.query("What did Varga say last October?", source="TASS")
    assert (q.filters.since, q.filters.until, q.filters.sources) == ("2016-10-01", "2016-10-31", ("TASS",))
    assert news.query("Orlen", source=["TASS", "AP"], doc_ids=["x"]).filters == Filters(None, None, ("TASS", "AP"), ("x",))


def test_the_role_before_an_asked_speaker_is_who_not_what():
    q = analyze("What did the Keldish foreign minister Ilse Varga say about the dam?")
    assert q.speaker == "Ilse Varga" and q.topic_terms() == ["dam"]
    assert analyze("What did the minister say about the dam?").terms == ["minister", "dam"]  # no name: the role is asked
