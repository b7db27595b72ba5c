"""Months, weekdays, datelines and date validation: one home for each."""

from __future__ import annotations

import datetime as dt
import re

# English month names and abbreviations (not calendar.month_name: that is locale-dependent).
_MONTH_WORDS = "january february march april may june july august september october november december".split()
MONTH_NAMES: tuple[str, ...] = tuple(name.capitalize() for name in _MONTH_WORDS)
MONTHS: dict[str, int] = {name: i for i, name in enumerate(_MONTH_WORDS, start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9
# Longest first so "sept" wins over "sep" and "june" over "jun".
MONTH_PATTERN = r"(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CALENDAR_WORDS = frozenset(_MONTH_WORDS) | {d.lower() for d in WEEKDAYS}

# A dateline: "MOSCOW, October 21. /TASS/." or "WASHINGTON, Sept 3, 2017 (Reuters) -": place in capitals,
# comma, month, day, optional year, optional agency. Groups: place, m, d, y, agency (slashes) / agency2 (brackets).
DATELINE = re.compile(
    rf"(?P<place>[A-Z][A-Z.'/\- ]{{1,40}}?),[ \t]+(?P<m>{MONTH_PATTERN})[ \t]+(?P<d>\d{{1,2}})(?!\d)"
    rf"(?:,?[ \t]+(?P<y>(?:19|20)\d{{2}}))?\.?[ \t]*"
    rf"(?:/\s*(?P<agency>[A-Za-z][A-Za-z\-]*)\s*/\.?|\((?P<agency2>[A-Za-z][A-Za-z\-]*)\)[ \t]*[-–—]?)?[ \t]*"
)


def month_number(token: str) -> int | None:
    """1-12 for a month name, abbreviation or number; None otherwise."""
    token = token.lower().rstrip(".")
    return int(token) if token.isdigit() else MONTHS.get(token)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (February 30, month 13)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_iso_date(value: str | None, label: str = "date") -> str | None:
    """A YYYY-MM-DD string checked to be a real date; None for empty input; ValueError naming `label` otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{label} {value!r} is not a date like 2016-10-21") from None
    return value

DATELINE_AT_LINE = re.compile(r"^[ \t]*" + DATELINE.pattern, re.M)
