"""qa.text.calendar: months, weekdays, datelines and date validation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from qa.text.calendar import (
    CALENDAR_WORDS, DATELINE, DATELINE_AT_LINE, MONTH_NAMES, MONTH_PATTERN, MONTHS, WEEKDAYS, make_date, month_number, parse_iso_date,
)


@pytest.mark.parametrize(
    ("token", "number"),
    [("January", 1), ("jan", 1), ("Feb.", 2), ("Sept", 9), ("sept.", 9), ("SEP", 9), ("June", 6), ("12", 12), ("Juneteenth", None), ("", None)],
)
def test_month_number(token, number):
    assert month_number(token) == number


def test_month_tables_are_english_and_complete():
    assert MONTH_NAMES == ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                           "November", "December")
    assert all(MONTHS[name.lower()] == i and MONTHS[name.lower()[:3]] == i for i, name in enumerate(MONTH_NAMES, 1))
    assert set(WEEKDAYS) == {dt.date(2017, 1, d).strftime("%A") for d in range(2, 9)}
    assert {"may", "friday"} <= CALENDAR_WORDS


def test_month_pattern_prefers_the_longest_name():
    m = re.match(MONTH_PATTERN, "September 8")
    assert m and m.group(0) == "September"
    assert re.match(MONTH_PATTERN, "Sept. 8").group(0) == "Sept."
    assert re.match(MONTH_PATTERN, "Mayday") is None


def test_make_date_refuses_days_that_do_not_exist():
    assert make_date(2016, 2, 29) == dt.date(2016, 2, 29)
    assert make_date(2017, 2, 29) is None
    assert make_date(2017, 13, 1) is None


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_iso_date_empty_is_none(value):
    assert parse_iso_date(value) is None


def test_parse_iso_date_checks_the_calendar_and_names_the_field():
    assert parse_iso_date(" 2016-10-21 ") == "2016-10-21"
    with pytest.raises(ValueError, match=r"From date '2016-13-45' is not a date like 2016-10-21"):
        parse_iso_date("2016-13-45", "From date")
    with pytest.raises(ValueError, match="not a date like"):
        parse_iso_date("21/10/2016")
    with pytest.raises(ValueError, match="2017-02-29"):
        parse_iso_date("2017-02-29")


@pytest.mark.parametrize(
    ("line", "place", "month", "day", "year", "agency"),
    [
        ("VELMORA, October 21. /TASS/. Zarnovia will never accept", "VELMORA", "October", "21", None, "TASS"),
        ("KELDMOUTH, Nov 15 (Reuters) - Keldland will finish", "KELDMOUTH", "Nov", "15", None, "Reuters"),
        ("WASHINGTON, Sept 3, 2017 (Reuters) - Officials said", "WASHINGTON", "Sept", "3", "2017", "Reuters"),
        ("ORLEN FALLS, March 20. /ZNA/. The first joint count", "ORLEN FALLS", "March", "20", None, "ZNA"),
        ("ST. PETERSBURG, June 2. Putin said", "ST. PETERSBURG", "June", "2", None, None),
    ],
)
def test_dateline_groups(line, place, month, day, year, agency):
    m = DATELINE.match(line)
    assert m is not None
    assert (m["place"], m["m"], m["d"], m["y"], m["agency"] or m["agency2"]) == (place, month, day, year, agency)
    assert line[m.end():][:1].isalpha()  # the dateline ends where the first sentence starts


@pytest.mark.parametrize(
    "line",
    ["Moscow, October 21. Lavrov said", "VELMORA, Octopus 21. /TASS/.", "VELMORA, October 212. /TASS/.", "GENEVA (AP) — Zarnovia and Keldland"],
)
def test_not_a_dateline(line):
    assert DATELINE.match(line) is None


def test_dateline_at_line_start_only():
    text = "Title line\n\nVELMORA, October 21. /TASS/. Text.\nHe said in VELMORA, October 22. /TASS/. more"
    found = [m["d"] for m in DATELINE_AT_LINE.finditer(text)]
    assert found == ["21"]
