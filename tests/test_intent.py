"""Tests for qa.intent: date restrictions asked for in questions."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.query.periods import DateIntent, parse_date_intent

REF = dt.date(2017, 9, 8)


@pytest.mark.parametrize(
    ("question", "since", "until", "label"),
    [
        ("What did Lavrov say about Aleppo in 2016?", "2016-01-01", "2016-12-31", "2016"),
        ("What happened in November 2016?", "2016-11-01", "2016-11-30", "November 2016"),
        ("What happened in Nov 2016?", "2016-11-01", "2016-11-30", "November 2016"),
        ("What happened in Nov. 2016?", "2016-11-01", "2016-11-30", "November 2016"),
        ("What happened in february 2016?", "2016-02-01", "2016-02-29", "February 2016"),
        ("Russian statements before 2017", None, "2016-12-31", "before 2017"),
        ("Russian statements after 2016", "2017-01-01", None, "after 2016"),
        ("What has Lavrov said since September 2017?", "2017-09-01", None, "since September 2017"),
        ("What was agreed until March 2017?", None, "2017-03-31", "until March 2017"),
        ("What was agreed by March 2017?", None, "2017-03-31", "by March 2017"),
        ("What was agreed before March 2017?", None, "2017-02-28", "before March 2017"),
        ("What was agreed after March 2017?", "2017-04-01", None, "after March 2017"),
        ("Talks between October 2016 and January 2017", "2016-10-01", "2017-01-31",
         "between October 2016 and January 2017"),
        ("Talks from October 2016 to January 2017", "2016-10-01", "2017-01-31",
         "between October 2016 and January 2017"),
        ("Talks between 2016 and 2017", "2016-01-01", "2017-12-31", "between 2016 and 2017"),
        ("What did Lavrov say on October 21, 2016?", "2016-10-21", "2016-10-21", "October 21, 2016"),
        ("What did Lavrov say on 21 October 2016?", "2016-10-21", "2016-10-21", "October 21, 2016"),
        ("What did Lavrov say on 2016-10-21?", "2016-10-21", "2016-10-21", "October 21, 2016"),
        ("What did Lavrov say last October?", "2016-10-01", "2016-10-31", "October 2016"),
        ("What did Lavrov say last year?", "2016-01-01", "2016-12-31", "2016"),
        ("What did Lavrov say this year?", "2017-01-01", "2017-12-31", "2017"),
        ("What did Lavrov say last month?", "2017-08-01", "2017-08-31", "August 2017"),
        ("What changed since last October?", "2016-10-01", None, "since October 2016"),
        ("What happened in early 2017?", "2017-01-01", "2017-04-30", "early 2017"),
        ("What happened in late 2016?", "2016-09-01", "2016-12-31", "late 2016"),
        ("Articles from November 2016 on Aleppo", "2016-11-01", "2016-11-30", "November 2016"),
        ("What happened starting in 2017?", "2017-01-01", None, "since 2017"),
        ("What happened in the year 2016?", "2016-01-01", "2016-12-31", "2016"),
        ("Syria talks in 2016-2017", "2016-01-01", "2017-12-31", "2016-2017"),
    ],
)
def test_intents(question: str, since: str | None, until: str | None, label: str) -> None:
    intent = parse_date_intent(question, reference=REF)
    assert intent is not None
    assert (intent.since, intent.until, intent.label) == (since, until, label)
    assert intent.matched in question


def test_matched_phrase() -> None:
    assert parse_date_intent("What happened in November 2016?", REF) == DateIntent(
        "2016-11-01", "2016-11-30", "November 2016", "in November 2016"
    )


@pytest.mark.parametrize(
    ("reference", "since", "until"),
    [
        (dt.date(2017, 9, 8), "2016-10-01", "2016-10-31"),
        (dt.date(2017, 11, 20), "2017-10-01", "2017-10-31"),
        (dt.date(2017, 10, 15), "2016-10-01", "2016-10-31"),  # strictly before the reference's month
    ],
)
def test_last_month_name_is_relative_to_reference(reference: dt.date, since: str, until: str) -> None:
    intent = parse_date_intent("What did Lavrov say last October?", reference)
    assert intent is not None and (intent.since, intent.until) == (since, until)


def test_last_month_in_january_wraps_year() -> None:
    intent = parse_date_intent("news from last month", dt.date(2017, 1, 10))
    assert intent is not None and (intent.since, intent.until) == ("2016-12-01", "2016-12-31")


def test_default_reference_is_today() -> None:
    intent = parse_date_intent("What happened this year?")
    year = dt.date.today().year
    assert intent is not None and (intent.since, intent.until) == (f"{year}-01-01", f"{year}-12-31")


@pytest.mark.parametrize(
    "question",
    [
        "What did Lavrov say about the 2254 resolution?",
        "What was decided at the October 19 meeting?",
        "What did Lavrov say on October 21?",
        "How many of the 2 million refugees returned?",
        "Who is Lavrov?",
        "What is the situation in Aleppo?",
        "Who joined this march on Aleppo?",
        "Is 2016,000 a number?",
        "What happened on February 30, 2017?",
        "",
    ],
)
def test_no_intent(question: str) -> None:
    assert parse_date_intent(question, REF) is None
