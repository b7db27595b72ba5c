"""Tests for qa.query.periods: the period a question asks about, as people say it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qa.models import Period
from qa.query.analyze import analyze
from qa.query.periods import EVENTS_FILE, describe, parse_period

REF = dt.date(2017, 9, 8)  # the corpus' latest article date: year-less months are read against it
TODAY = dt.date(2026, 12, 15)  # a Tuesday: relative phrases are counted from it

# question -> (since, until), read with REF and TODAY.
TABLE = [
    # months and days
    ("What happened in November 2016?", "2016-11-01", "2016-11-30"),
    ("What happened in Nov 2016?", "2016-11-01", "2016-11-30"),
    ("What happened in Nov. 2016?", "2016-11-01", "2016-11-30"),
    ("What happened in february 2016?", "2016-02-01", "2016-02-29"),
    ("What happened in Sept. 2017?", "2017-09-01", "2017-09-30"),
    ("What did Lavrov say on 21 October 2016?", "2016-10-21", "2016-10-21"),
    # a day without a year after "on": the latest one on or before the corpus' latest article date
    ("What did Lavrov say on October 21?", "2016-10-21", "2016-10-21"),
    ("What happened on the 8th of March?", "2017-03-08", "2017-03-08"),
    ("What happened on September 8?", "2017-09-08", "2017-09-08"),
    ("What happened on September 9?", "2016-09-09", "2016-09-09"),
    ("What has Lavrov said since March 22?", "2017-03-22", None),
    ("What did Lavrov say on October 21, 2016?", "2016-10-21", "2016-10-21"),
    ("What did Lavrov say on 2016-10-21?", "2016-10-21", "2016-10-21"),
    ("What did Lavrov say on the 21st of October 2016?", "2016-10-21", "2016-10-21"),
    ("What did Lavrov say on Friday, 21 October 2016?", "2016-10-21", "2016-10-21"),
    ("What was said in the week of 3 October 2016?", "2016-10-03", "2016-10-09"),
    ("What was said the week of October 6, 2016?", "2016-10-03", "2016-10-09"),
    # years
    ("What did Lavrov say about Aleppo in 2016?", "2016-01-01", "2016-12-31"),
    ("What happened in the year 2016?", "2016-01-01", "2016-12-31"),
    ("Syria talks in 2016-2017", "2016-01-01", "2017-12-31"),
    ("Syria talks in 2016-17", "2016-01-01", "2017-12-31"),
    # seasons (meteorological, northern hemisphere)
    ("What did Lavrov say in the autumn of 2016?", "2016-09-01", "2016-11-30"),
    ("Talks in summer 2016", "2016-06-01", "2016-08-31"),
    ("Talks in the fall of 2016", "2016-09-01", "2016-11-30"),
    ("Talks in spring 2017", "2017-03-01", "2017-05-31"),
    ("What happened in winter 2016?", "2016-12-01", "2017-02-28"),
    ("What happened in the winter of 2015/16?", "2015-12-01", "2016-02-29"),
    ("What happened in the spring?", "2017-03-01", "2017-05-31"),
    ("What happened last summer?", "2017-06-01", "2017-08-31"),
    # quarters
    ("Results for Q3 2016", "2016-07-01", "2016-09-30"),
    ("What happened in the third quarter of 2016?", "2016-07-01", "2016-09-30"),
    ("What happened in the last quarter of 2016?", "2016-10-01", "2016-12-31"),
    ("What happened in Q2?", "2017-04-01", "2017-06-30"),
    # parts of years and months
    ("What happened in early 2017?", "2017-01-01", "2017-04-30"),
    ("What happened in mid-2016?", "2016-05-01", "2016-08-31"),
    ("What happened in late 2016?", "2016-09-01", "2016-12-31"),
    ("What happened in early February?", "2017-02-01", "2017-02-10"),
    ("What happened in mid February 2017?", "2017-02-11", "2017-02-20"),
    ("What happened in late February 2016?", "2016-02-21", "2016-02-29"),
    ("What happened at the end of March?", "2017-03-21", "2017-03-31"),
    ("What happened at the beginning of March?", "2017-03-01", "2017-03-10"),
    ("What happened at the start of 2017?", "2017-01-01", "2017-03-31"),
    ("What happened at the end of 2016?", "2016-10-01", "2016-12-31"),
    # ranges, the year shared
    ("Talks between October and December 2016", "2016-10-01", "2016-12-31"),
    ("Talks from February to March 2017", "2017-02-01", "2017-03-31"),
    ("Talks between February and March 2017", "2017-02-01", "2017-03-31"),
    ("Talks between November and February 2017", "2016-11-01", "2017-02-28"),
    ("Talks between 21 October and 5 November 2016", "2016-10-21", "2016-11-05"),
    ("Talks between October 2016 and January 2017", "2016-10-01", "2017-01-31"),
    ("Talks from October 2016 to January 2017", "2016-10-01", "2017-01-31"),
    ("Talks between 2016 and 2017", "2016-01-01", "2017-12-31"),
    ("Talks Oct–Dec 2016", "2016-10-01", "2016-12-31"),
    ("Talks between late 2016 and early 2017", "2016-09-01", "2017-04-30"),
    # open ends
    ("What has Lavrov said since 1 November 2016?", "2016-11-01", None),
    ("What has Lavrov said since September 2017?", "2017-09-01", None),
    ("What happened starting in 2017?", "2017-01-01", None),
    ("Articles from November 2016 onwards", "2016-11-01", None),
    ("Articles from November 2016 on Aleppo", "2016-11-01", "2016-11-30"),
    ("Russian statements after 2016", "2017-01-01", None),
    ("What was agreed after March 2017?", "2017-04-01", None),
    ("Russian statements before 2017", None, "2016-12-31"),
    ("What was agreed before March 2017?", None, "2017-02-28"),
    ("What was agreed until March 2017?", None, "2017-03-31"),
    ("What was agreed by March 2017?", None, "2017-03-31"),
    ("What was agreed until the end of 2016?", None, "2016-12-31"),
    ("What changed since last October?", "2016-10-01", None),
    # named events (events.json)
    ("What did Lavrov say before the 2016 US election?", None, "2016-11-07"),
    ("What did Lavrov say before the US presidential election?", None, "2016-11-07"),
    ("What did Lavrov say after Trump's inauguration?", "2017-01-21", None),
    ("What did Lavrov say after Trump’s inauguration?", "2017-01-21", None),
    ("What has changed since the Brexit referendum?", "2016-06-23", None),
    ("Talks between the Brexit referendum and the U.S. election", "2016-06-23", "2016-11-08"),
    ("What was agreed prior to the Astana memorandum?", None, "2017-05-03"),
    # year-less months against the reference
    ("What happened in March?", "2017-03-01", "2017-03-31"),
    ("What happened in December?", "2016-12-01", "2016-12-31"),
    ("What happened in november?", "2016-11-01", "2016-11-30"),
    ("What did Lavrov say last October?", "2016-10-01", "2016-10-31"),
    # relative to today
    ("What did Lavrov say last month?", "2026-11-01", "2026-11-30"),
    ("What did Lavrov say this year?", "2026-01-01", "2026-12-31"),
    ("What did Lavrov say last year?", "2025-01-01", "2025-12-31"),
    ("What was said in the past two weeks?", "2026-12-01", "2026-12-15"),
    ("What was said in the last 3 days?", "2026-12-12", "2026-12-15"),
    ("What was said over the past year?", "2025-12-15", "2026-12-15"),
    ("What was said yesterday?", "2026-12-14", "2026-12-14"),
    ("What was said last week?", "2026-12-07", "2026-12-13"),
    ("What was said this week?", "2026-12-14", "2026-12-20"),
    ("What was said two weeks ago?", "2026-11-30", "2026-12-06"),
    ("What was said last quarter?", "2026-07-01", "2026-09-30"),
    ("What was said late last year?", "2025-09-01", "2025-12-31"),
    ("What has changed since last week?", "2026-12-07", None),
]

# Questions that name no period.
NEGATIVES = [
    "What did Lavrov say about the 2254 resolution?",
    "What was decided at the October 19 meeting?",
    "What was decided at the October 19 meeting on Syria?",  # a day without a year names the meeting, not a date read
    "How many of the 2 million refugees returned?",
    "Who is Lavrov?",
    "What is the situation in Aleppo?",
    "What happened in the spring offensive?",
    "What did he say after the first quarter results?",
    "Who spoke first in the second quarter of the meeting?",
    "What happened in Q4 earnings?",
    "What happened in the fall?",
    "What is the situation in Aleppo today?",
    "Who joined this march on Aleppo?",
    "I think the last may be the best.",
    "Is 2016,000 a number?",
    "Was growth 2017.5 or more?",
    "Did inflation reach 2016 % there?",
    "What happened on February 30, 2017?",
    "What was in the 2016 budget?",
    "What did Russia say about the 2016 US election?",  # the event is the topic
    "What was said during the Brexit referendum?",
    "What was said by May about Brexit?",  # Theresa May
    "What did Theresa May's government say about Syria?",
    "Who profited from the fall of Aleppo?",
    "Talks between 2017 and 2016",
    "",
]


@pytest.mark.parametrize(("question", "since", "until"), TABLE)
def test_table(question: str, since: str | None, until: str | None) -> None:
    period = parse_period(question, REF, TODAY)
    assert period is not None
    assert (period.since, period.until) == (since, until)
    assert period.text and period.text in question and period.label


def test_table_is_large() -> None:
    assert len(TABLE) >= 60 and len({q for q, _, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize("question", NEGATIVES)
def test_no_period(question: str) -> None:
    assert parse_period(question, REF, TODAY) is None


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("What happened in November 2016?", "in November 2016"),
        ("What happened in May.", "in May"),
        ("What did Lavrov say in the autumn of 2016 about Aleppo?", "in the autumn of 2016"),
        ("Talks between October and December 2016 in Astana", "between October and December 2016"),
        ("What did Lavrov say before the 2016 US election?", "before the 2016 US election"),
        ("What did Lavrov say on Friday, 21 October 2016?", "on Friday, 21 October 2016"),
        ("Articles from November 2016 on Aleppo", "from November 2016"),
        ("Articles from November 2016 onwards", "from November 2016 onwards"),
        ("What was said in the past two weeks?", "in the past two weeks"),
        ("What happened at the end of March?", "at the end of March"),
        ("What happened in mid-February 2017?", "in mid-February 2017"),
        ("What was said the week of October 6, 2016?", "the week of October 6, 2016"),
        ("What was said yesterday?", "yesterday"),
        ("Talks  in   Q3 2016", "in   Q3 2016"),
    ],
)
def test_text_is_the_exact_substring(question: str, text: str) -> None:
    period = parse_period(question, REF, TODAY)
    assert period is not None and period.text == text
    start = question.index(text)
    assert question[start : start + len(period.text)] == period.text


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("What happened in November 2016?", "November 2016"),
        ("Talks between October and December 2016", "between October and December 2016"),
        ("Talks from October 2016 to January 2017", "between October 2016 and January 2017"),
        ("Talks between 2016 and 2017", "between 2016 and 2017"),
        ("What did Lavrov say before the 2016 US election?", "before the 2016 US election (8 November 2016)"),
        ("What did Lavrov say last month?", "last month (November 2026, counted from today)"),
        ("What was said in the past two weeks?", "the past two weeks (1–15 December 2026, counted from today)"),
        ("What happened in winter 2016?", "winter 2016–17"),
        ("What happened in the autumn of 2016?", "autumn 2016"),
        ("Results for the third quarter of 2016", "Q3 2016"),
        ("What happened in early February?", "early February 2017"),
        ("What happened in mid-2016?", "mid-2016"),
        ("What happened at the start of 2017?", "the start of 2017"),
        ("What did Lavrov say on 2016-10-21?", "21 October 2016"),
        ("What was said in the week of 3 October 2016?", "the week of 3–9 October 2016"),
        ("What happened starting in 2017?", "since 2017"),
        ("What was agreed until March 2017?", "until March 2017"),
        ("What did Lavrov say last October?", "October 2016"),
    ],
)
def test_labels(question: str, label: str) -> None:
    period = parse_period(question, REF, TODAY)
    assert period is not None and period.label == label


def test_returns_a_period() -> None:
    assert parse_period("What happened in November 2016?", REF, TODAY) == Period(
        "2016-11-01", "2016-11-30", "in November 2016", "November 2016"
    )


@pytest.mark.parametrize(
    ("reference", "since", "until"),
    [
        (dt.date(2017, 9, 8), "2016-10-01", "2016-10-31"),
        (dt.date(2017, 11, 20), "2017-10-01", "2017-10-31"),
        (dt.date(2017, 10, 15), "2016-10-01", "2016-10-31"),  # "last": ended before the reference
    ],
)
def test_last_month_name_is_relative_to_reference(reference: dt.date, since: str, until: str) -> None:
    period = parse_period("What did Lavrov say last October?", reference, TODAY)
    assert period is not None and (period.since, period.until) == (since, until)


@pytest.mark.parametrize(
    ("reference", "since"),
    [(dt.date(2017, 3, 1), "2017-03-01"), (dt.date(2017, 2, 28), "2016-03-01")],  # the latest March begun by then
)
def test_yearless_month_is_the_latest_not_after_reference(reference: dt.date, since: str) -> None:
    period = parse_period("What happened in March?", reference, TODAY)
    assert period is not None and period.since == since


def test_winter_in_january_is_the_current_one() -> None:
    period = parse_period("What happened this winter?", dt.date(2017, 1, 15), TODAY)
    assert period is not None and (period.since, period.until) == ("2016-12-01", "2017-02-28")


def test_last_month_in_january_wraps_year() -> None:
    period = parse_period("news from last month", REF, today=dt.date(2017, 1, 10))
    assert period is not None and (period.since, period.until) == ("2016-12-01", "2016-12-31")


def test_past_months_clamp_to_month_end() -> None:
    period = parse_period("What was said in the past month?", REF, today=dt.date(2026, 3, 31))
    assert period is not None and (period.since, period.until) == ("2026-02-28", "2026-03-31")


def test_default_today() -> None:
    period = parse_period("What happened this year?")
    year = dt.date.today().year
    assert period is not None and (period.since, period.until) == (f"{year}-01-01", f"{year}-12-31")


def test_shared_event_name_means_the_latest_by_the_reference() -> None:
    later = parse_period("What was said before Trump's inauguration?", dt.date(2026, 1, 1), TODAY)
    assert later is not None and later.until == "2025-01-19"
    earlier = parse_period("What was said before Trump's inauguration?", REF, TODAY)
    assert earlier is not None and earlier.until == "2017-01-19"


def test_events_file() -> None:
    events = json.loads(EVENTS_FILE.read_text(encoding="utf-8"))["events"]
    assert 10 <= len(events) <= 20
    for event in events:
        dt.date.fromisoformat(event["date"])
        assert event["name"] and event["aliases"]
        for alias in event["aliases"]:
            period = parse_period(f"What was said before {alias}?", dt.date(2030, 1, 1), TODAY)
            assert period is not None and period.text == f"before {alias}"


def test_describe() -> None:
    assert describe(dt.date(2016, 10, 21), dt.date(2016, 10, 21)) == "21 October 2016"
    assert describe(dt.date(2016, 10, 1), dt.date(2016, 12, 31)) == "October–December 2016"
    assert describe(dt.date(2016, 11, 1), dt.date(2017, 1, 31)) == "November 2016–January 2017"
    assert describe(dt.date(2016, 9, 26), dt.date(2016, 10, 2)) == "26 September–2 October 2016"
    assert describe(dt.date(2016, 1, 1), dt.date(2017, 12, 31)) == "2016–2017"


def test_analyze_uses_the_period() -> None:
    query = analyze("What did Lavrov say about Aleppo in November 2016?", reference=REF)
    assert query.period == Period("2016-11-01", "2016-11-30", "in November 2016", "November 2016")
    assert query.period_from_question
    assert (query.filters.since, query.filters.until) == ("2016-11-01", "2016-11-30")
    assert analyze("What did Lavrov say about Aleppo?", reference=REF).period is None
    explicit = analyze("What happened in November 2016?", since="2016-01-01", reference=REF)
    assert explicit.period is not None and explicit.period.since == "2016-01-01" and not explicit.period_from_question
