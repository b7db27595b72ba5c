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

# The months newsrooms abbreviate before a day ("Jan. 12", "Sept. 3": AP and New York Times style); March to July
# are written in full.
_ABBREVIATED = {"january": "jan", "february": "feb", "august": "aug", "september": "sept", "october": "oct",
                "november": "nov", "december": "dec"}


def date_forms(term: str, with_month: bool = False) -> list[str]:
    """The other ways news writes a date word a question names: a month in full or abbreviated ("january" →
    ["jan."], "sept" → ["september", "sep."]); `with_month` (the question names one), an ordinal day as its
    number ("12th" → ["12"])."""
    if term in _ABBREVIATED:
        return [_ABBREVIATED[term] + "."]
    full = next((name for name, short in _ABBREVIATED.items() if term in (short, short[:3])), None)
    if full:
        return [full] + [f"{short}." for short in dict.fromkeys((_ABBREVIATED[full], _ABBREVIATED[full][:3])) if short != term]
    m = re.fullmatch(r"([1-9]\d?)(?:st|nd|rd|th)", term) if with_month else None
    return [m.group(1)] if m and int(m.group(1)) <= 31 else []


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CALENDAR_WORDS = frozenset(_MONTH_WORDS) | {d.lower() for d in WEEKDAYS}

# A dateline: "MOSCOW, October 21. /TASS/.", "ALEPPO /Syria/, February 17. /TASS/." or "WASHINGTON, Sept 3, 2017
# (Reuters) -": place in capitals (its country after it in slashes), comma, month, day, optional year, optional agency.
# Groups: place, m, d, y, agency (slashes) / agency2 (brackets).
DATELINE = re.compile(
    rf"(?P<place>[A-Z][A-Z.'/\- ]{{1,40}}?(?:[ \t]*/[A-Z][A-Za-z.'\- ]{{1,40}}/)?),[ \t]+(?P<m>{MONTH_PATTERN})[ \t]+(?P<d>\d{{1,2}})(?!\d)"
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

# Where a story's own text begins after its header: a dateline with an agency and a dash ("WASHINGTON (Reuters) -",
# "LONDON, March 7 (AP) —"), an outlet's opening "(CNN) ", or a TASS-style dateline ("MOSCOW, October 21. /TASS/.").
# A date after it belongs to the story, not to its publication.
STORY_START = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z.'/\- ]{1,40}?(?:,[^\n()]{1,40}?)?[ \t]+\([A-Za-z][\w .&\-]{0,30}\)[ \t]*[-–—]"
    r"|\([A-Z]{2,10}\)(?=[ \t]?[A-Z\"“])"
    r"|[A-Z][A-Z.'/\- ]{1,40}?,[^\n]{1,30}?/\s*[A-Za-z][A-Za-z\-]*\s*/)",
    re.M,
)
WEEKDAY_ABBREVIATIONS = {d[:3].lower(): i for i, d in enumerate(WEEKDAYS)}


def stated_weekday(before: str) -> int | None:
    """The weekday written just before a date ("Tue March 7, 2017", "Tuesday, 7 March 2017"): 0-6, or None."""
    m = re.search(r"\b([A-Za-z]{3,9})\.?,?\s*$", before)
    word = m.group(1).lower() if m else ""
    full = {d.lower(): i for i, d in enumerate(WEEKDAYS)}
    return full.get(word, WEEKDAY_ABBREVIATIONS.get(word) if len(word) == 3 else None)
