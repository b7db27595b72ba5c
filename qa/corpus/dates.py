"""Resolve an article's publication date and report how it was found."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from qa.text.calendar import DATELINE_AT_LINE, MONTH_PATTERN, STORY_START, WEEKDAYS, make_date, month_number, stated_weekday

__all__ = ["explicit_years", "resolve_date"]

_YEAR = r"(?:19|20)\d{2}"
_YEAR_RE = re.compile(rf"(?<![\d-])({_YEAR})(?!\d)")
_EXPLICIT_RES = (  # each yields named groups y, m (name or number), d
    re.compile(rf"(?<!\d)(?P<y>{_YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?!\d)"),
    re.compile(rf"\b(?P<m>{MONTH_PATTERN})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})(?!\d)"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH_PATTERN}),?\s+(?P<y>{_YEAR})(?!\d)"),
)
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")

_WEEKDAY_WINDOW = 400  # characters after the dateline searched for "said on Friday"
_YEAR_SPAN = 15  # candidate years lie within this many years of the reference years

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],  # "January 2017" alone is not a date
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],  # no "yesterday"
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def explicit_years(text: str) -> list[int]:
    """Return every 4-digit year 1900-2099 stated in the text, in order of appearance."""
    return [int(match) for match in _YEAR_RE.findall(text)]


def resolve_date(
    text: str,
    metadata_date: str | None = None,
    corpus_years: list[int] | None = None,
    header_chars: int = 600,
) -> tuple[str | None, str]:
    """Return (YYYY-MM-DD or None, method) where method is metadata/explicit/dateline+weekday/unknown."""
    if metadata_date:
        date = _parse_metadata(metadata_date)
        if date is not None:
            return date.isoformat(), "metadata"
    header = text[:header_chars]
    date = _explicit_date(header)
    if date is not None:
        return date.isoformat(), "explicit"
    date = _dateline_date(text, header, corpus_years)
    if date is not None:
        return date.isoformat(), "dateline+weekday"
    return None, "unknown"


def _parse_metadata(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    import dateparser  # slow-ish import, only for non-ISO metadata

    for languages in (["en"], None):
        parsed = dateparser.parse(value, languages=languages, settings=_DATEPARSER_SETTINGS)
        if parsed is not None:
            return parsed.date()
    return None


def _explicit_date(header: str) -> dt.date | None:
    """Return the earliest valid full date (with year) in the header, if any: before the story's own text begins
    (a date after "WASHINGTON (Reuters) -" is about the story), and not contradicting a weekday written before it."""
    found: list[tuple[int, dt.date]] = []
    start = STORY_START.search(header)
    header = header[: start.end()] if start else header
    for pattern in _EXPLICIT_RES:
        for match in pattern.finditer(header):
            month = month_number(match["m"])
            date = make_date(int(match["y"]), month, int(match["d"])) if month else None
            weekday = stated_weekday(header[max(0, match.start() - 12) : match.start()])
            if date is not None and weekday is not None and weekday != date.weekday():
                continue  # "Wed March 7, 2017": one of them is wrong; do not guess which
            if date is not None:
                found.append((match.start(), date))
                break
    return min(found, key=lambda item: item[0])[1] if found else None


def _dateline_date(text: str, header: str, corpus_years: list[int] | None) -> dt.date | None:
    """Complete a year-less dateline from the weekday the text gives just after it."""
    for match in DATELINE_AT_LINE.finditer(header):
        month = month_number(match["m"])
        day = int(match["d"])
        if month is None or not 1 <= day <= 31:
            continue
        weekday = _WEEKDAY_RE.search(text, match.end(), match.end() + _WEEKDAY_WINDOW)
        if weekday is None:
            return None  # never invent a year
        references = list(corpus_years or []) or explicit_years(text)
        return _nearest_year(month, day, WEEKDAYS.index(weekday[1]), references)
    return None


def _nearest_year(month: int, day: int, weekday: int, references: list[int]) -> dt.date | None:
    """Pick the unique date on that weekday whose year is nearest the reference years."""
    if not references:
        return None
    candidates: list[tuple[int, dt.date]] = []
    for year in range(min(references) - _YEAR_SPAN, max(references) + _YEAR_SPAN + 1):
        date = make_date(year, month, day)
        if date is not None and date.weekday() == weekday:
            candidates.append((min(abs(year - ref) for ref in references), date))
    if not candidates:
        return None
    candidates.sort(key=lambda item: item[0])
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        return None  # two years equally near: ambiguous
    return candidates[0][1]
