"""Detect a date restriction ("in November 2016", "before 2017", "last October") in a question."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from qa.text.calendar import MONTH_NAMES, MONTH_PATTERN, MONTHS

__all__ = ["DateIntent", "parse_date_intent"]


@dataclass
class DateIntent:
    """A date window asked for by a question; either bound may be open (None)."""

    since: str | None  # YYYY-MM-DD inclusive
    until: str | None  # YYYY-MM-DD inclusive
    label: str  # human text, e.g. "November 2016", "before 2017", "since September 2017"
    matched: str  # the phrase in the question that set it


@dataclass
class _Period:
    first: dt.date
    last: dt.date
    label: str
    needs_trigger: bool = False  # a bare year only counts after a word like "in"


_Y = r"(?:19|20)\d{2}(?![\d,.]\d)(?!\s*%)"  # not "2016,000" nor "2017.5" nor "2016 %"
_M = MONTH_PATTERN
_D = r"\d{1,2}(?:st|nd|rd|th)?"
# One period expression; the alternatives are tried in order at each position.
_PERIOD = (
    rf"(?:(?P<iy>{_Y})-(?P<im>\d{{2}})-(?P<id>\d{{2}})"
    rf"|(?P<dm>{_M})\s+(?P<dd>{_D}),?\s+(?P<dy>{_Y})"
    rf"|(?P<dd2>{_D})\s+(?P<dm2>{_M}),?\s+(?P<dy2>{_Y})"
    rf"|(?P<part>early|mid|late)[\s-]+(?P<py>{_Y})"
    rf"|(?P<mm>{_M})\s+(?:of\s+)?(?P<my>{_Y})"
    rf"|(?P<y1>{_Y})\s*[-\u2013]\s*(?P<y2>{_Y})"
    rf"|(?P<rel>last|this)\s+(?P<unit>year|month|{_M})"
    rf"|(?P<y>{_Y}))"
)
_PARTS = {"early": (1, 4, "early"), "mid": (5, 8, "mid"), "late": (9, 12, "late")}

# A lone "from" ("articles from 2016") means during, so it is a span word, not an operator.
_OPS = r"before|prior\s+to|after|since|starting(?:\s+in)?|as\s+of|until|till|by|through"
_SPAN = r"in|during|on|of|from|for|throughout|over|within"
_INTENT_RE = re.compile(
    rf"\b(?:(?P<range>between|from)\s+(?P<a>{_PERIOD.replace('?P<', '?P<a_')})"
    rf"\s+(?:and|to|until|till|through|-)\s+(?P<b>{_PERIOD.replace('?P<', '?P<b_')})"
    rf"|(?P<op>{_OPS})\s+(?:the\s+)?(?P<o>{_PERIOD.replace('?P<', '?P<o_')})"
    rf"|(?:(?P<span>{_SPAN})\s+(?:the\s+(?:year\s+)?)?)?(?P<s>{_PERIOD.replace('?P<', '?P<s_')}))\b",
    re.I,
)


def parse_date_intent(question: str, reference: dt.date | None = None) -> DateIntent | None:
    """Return the first date window the question asks for, or None if it has none."""
    reference = reference or dt.date.today()
    for match in _INTENT_RE.finditer(question):
        intent = _intent(match, reference)
        if intent is not None:
            return intent
    return None


def _intent(match: re.Match[str], reference: dt.date) -> DateIntent | None:
    """Build the intent for one regex match, or None if its dates are invalid."""
    matched = match.group(0).strip()
    if match["range"]:
        start, end = _period(match, "a_", reference), _period(match, "b_", reference)
        if start is None or end is None or start.first > end.last:
            return None
        label = f"between {start.label} and {end.label}"
        return DateIntent(_iso(start.first), _iso(end.last), label, matched)
    if match["op"]:
        period = _period(match, "o_", reference)
        if period is None:
            return None
        op = " ".join(match["op"].lower().split())
        if op in ("before", "prior to"):
            return DateIntent(None, _iso(period.first - dt.timedelta(days=1)), f"{op} {period.label}", matched)
        if op == "after":
            return DateIntent(_iso(period.last + dt.timedelta(days=1)), None, f"after {period.label}", matched)
        if op in ("until", "till", "by", "through"):
            return DateIntent(None, _iso(period.last), f"{op} {period.label}", matched)
        return DateIntent(_iso(period.first), None, f"since {period.label}", matched)
    period = _period(match, "s_", reference)
    if period is None or (period.needs_trigger and not match["span"]):
        return None
    return DateIntent(_iso(period.first), _iso(period.last), period.label, matched)


def _period(match: re.Match[str], prefix: str, reference: dt.date) -> _Period | None:
    """Turn the period groups with this prefix into first/last days, or None if invalid."""
    g = {key[len(prefix):]: value for key, value in match.groupdict().items() if key.startswith(prefix)}
    try:
        if g["iy"] or g["dy"] or g["dy2"]:
            if g["iy"]:
                day = dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
            else:
                month, dd, year = (g["dm"], g["dd"], g["dy"]) if g["dy"] else (g["dm2"], g["dd2"], g["dy2"])
                day = dt.date(int(year), _month(month), int(re.sub(r"\D", "", dd)))
            return _Period(day, day, f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}")
    except ValueError:  # "February 30, 2017", "2017-13-01"
        return None
    if g["part"]:
        lo, hi, word = _PARTS[g["part"].lower()]
        return _months(int(g["py"]), lo, hi, f"{word} {g['py']}")
    if g["my"]:
        year, month = int(g["my"]), _month(g["mm"])
        return _months(year, month, month, f"{MONTH_NAMES[month - 1]} {year}")
    if g["y1"]:
        first, last = int(g["y1"]), int(g["y2"])
        return _months(first, 1, 12, f"{first}-{last}", last_year=last) if first <= last else None
    if g["rel"]:
        if g["unit"].lower() not in ("year", "month") and not g["unit"][0].isupper():
            return None  # "this march on Aleppo", "the last may be": month words must be capitalised
        return _relative(g["rel"].lower(), g["unit"].lower().rstrip("."), reference)
    year = int(g["y"])
    return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), needs_trigger=True)


def _relative(word: str, unit: str, reference: dt.date) -> _Period:
    """Resolve "last year", "this month", "last October" against the reference date."""
    year, month = reference.year, reference.month
    if unit == "year":
        if word != "this":
            year -= 1
        return _months(year, 1, 12, str(year))
    if unit == "month":
        if word != "this":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return _months(year, month, month, f"{MONTH_NAMES[month - 1]} {year}")
    target = _month(unit)
    if word == "this":  # "this October": that month of the reference year
        return _months(year, target, target, f"{MONTH_NAMES[target - 1]} {year}")
    year = year if target < month else year - 1  # most recent one strictly before the reference month
    return _months(year, target, target, f"{MONTH_NAMES[target - 1]} {year}")


def _months(year: int, first: int, last: int, label: str, last_year: int | None = None) -> _Period:
    """Return the period from the first of month `first` to the end of month `last`."""
    end_year = last_year or year
    end = dt.date(end_year, last, calendar.monthrange(end_year, last)[1])
    return _Period(dt.date(year, first, 1), end, label)


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def _iso(day: dt.date) -> str:
    return day.isoformat()
