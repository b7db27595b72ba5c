"""The pieces of a date phrase ("November 2016", "Q3", "the past two weeks") and the words around them, as patterns."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.text.calendar import MONTH_NAMES, MONTH_PATTERN
from qa.text.words import FUNCTION_WORDS

__all__ = ["Piece", "scan", "events", "event_key", "EVENTS_FILE", "OPERATOR", "SPAN", "RANGE_LEAD", "CONNECTOR", "ONWARDS"]

EVENTS_FILE = Path(__file__).with_name("events.json")

YEAR = r"\b(?:19|20)\d{2}\b(?![,.]\d)(?!\s*%)"  # not "2016,000" nor "2017.5" nor "2016 %"
_DAY = r"\b(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_WHICH = r"\b(?P<w>this|last|previous|current)\s+"
_NUMBER = r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|couple\s+of"

# Each piece names one stretch of time; the earliest, then longest, wins where two overlap.
_PIECES = {
    "day": rf"(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\bthe\s+)?(?P<date>"
    rf"(?:{_DAY}\s+(?:of\s+)?{MONTH_PATTERN}|{MONTH_PATTERN}\s+{_DAY})(?:,?\s+(?P<y>{YEAR}))?|(?P<iso>{YEAR}-\d\d-\d\d)\b)",
    "month": rf"(?:{_WHICH})?(?P<m>{MONTH_PATTERN})(?:,?\s+(?:of\s+)?(?P<y>{YEAR}))?",
    "season": rf"(?:{_WHICH}|\bthe\s+)?\b(?P<s>spring|summer|autumn|fall|winter)\b"
    rf"(?:\s+(?:of\s+)?(?P<y>{YEAR})(?:\s*[/\-–]\s*(?P<y2>(?:19|20)?\d\d)\b)?)?",
    "quarter": rf"(?:\bthe\s+)?(?:\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th"
    rf"|(?:last|final)(?=\s+quarter\s+(?:of\s+)?(?:19|20)\d\d))\s+quarter\b|\bQ(?P<n>[1-4])\b)(?:\s+(?:of\s+)?(?P<y>{YEAR}))?",
    "years": rf"(?P<y>{YEAR})\s*[-–/]\s*(?P<y2>(?:19|20)?\d\d)\b(?![,.\-/]\d)",
    "year": rf"(?:\bthe\s+year\s+)?(?P<y>{YEAR})",
    "relative": rf"{_WHICH}(?P<u>week|month|quarter|year)\b",
    "yesterday": r"\byesterday\b",
    "past": rf"(?P<the>\bthe\s+)?\b(?P<w>past|last|previous)\s+(?:(?P<n>{_NUMBER})\s+)?(?P<u>day|week|month|year)s?\b",
    "ago": rf"\b(?P<n>{_NUMBER})\s+(?P<u>day|week|month|year)s?\s+ago\b",
}
_COMPILED = {kind: re.compile(pattern, re.I) for kind, pattern in _PIECES.items()}
_MONTH_RE = re.compile(MONTH_PATTERN)
_FULL_MONTHS = {name.lower() for name in MONTH_NAMES}
_AMBIGUOUS = {"may", "march", "mar"}  # also verbs or nouns: only a capital makes them months without a year

# The words around a piece, read backwards from its start (patterns end with `$`) or forwards from its end.
PART = re.compile(r"(?:\b(?P<p>early|mid|late)[\s-]+(?:in\s+)?|(?:\bthe\s+)?\b(?P<q>beginning|start|middle|end)\s+of\s+)$", re.I)
WEEK = re.compile(r"(?:\bthe\s+)?\bweek\s+of\s+$", re.I)
RANGE_LEAD = re.compile(r"\b(?:between|from)\s+$", re.I)
CONNECTOR = re.compile(r"\s*(?:(?P<a>and)|to|until|till|through|thru|[-–—])\s*", re.I)
OPERATOR = re.compile(
    r"\b(?P<op>before|prior\s+to|ahead\s+of|after|following|since|starting(?:\s+(?:in|from|on))?|as\s+of"
    r"|until|till|up\s+(?:to|until)|by|through)\s+$",
    re.I,
)
SPAN = re.compile(r"\b(?:in|during|on|of|from|for|throughout|over|within|at)\s+$", re.I)
ONWARDS = re.compile(r"\s+(?:onwards?|and\s+(?:after|later)|or\s+later)\b", re.I)


@dataclass
class Piece:
    """One stretch of time named in a question, before it is resolved to dates."""

    kind: str  # a key of _PIECES, or "event"
    start: int  # where it starts in the question, a part ("early", "the end of") or "the week of" included
    end: int
    g: dict[str, str | None]  # the pattern's named groups
    text: str  # the piece as written, without the part
    part: str | None = None  # "early", "mid", "late", "beginning", "start", "middle", "end" or "week"


def scan(question: str, events: re.Pattern[str] | None = None) -> list[Piece]:
    """The pieces of the question in order, none overlapping, each with the part word before it."""
    found: list[Piece] = []
    patterns = list(_COMPILED.items()) + ([("event", events)] if events is not None else [])
    for kind, pattern in patterns:
        for m in pattern.finditer(question):
            end = m.end()
            if m.group(0).endswith(".") and m.group(0)[:-1].split()[-1].lower() in _FULL_MONTHS:
                end -= 1  # "in May." ends at the month; "Nov." keeps its dot
            if _plausible(kind, m, question):
                found.append(Piece(kind, m.start(), end, m.groupdict(), question[m.start() : end]))
    found.sort(key=lambda p: (p.start, p.start - p.end))
    pieces: list[Piece] = []
    for piece in found:
        if not pieces or piece.start >= pieces[-1].end:
            pieces.append(piece)
    for piece in pieces:
        _attach_part(question, piece)
    return pieces


def _plausible(kind: str, m: re.Match[str], question: str) -> bool:
    """False for words that only look like a date here ("this march on Aleppo", "said by May", "the fall of")."""
    g = m.groupdict()
    if kind in ("day", "month") and not g.get("y"):
        token = g["m"] if kind == "month" else (_MONTH_RE.search(g["date"]) or [""])[0]
        word = token.rstrip(".").lower()
        if word in _AMBIGUOUS and token[:1].islower():
            return False
        if word == "may" and (question[m.end() :].startswith(("'s", "’s")) or re.search(r"\bby\s+$", question[: m.start()], re.I)):
            return False  # Theresa May
    if kind == "season" and (g["y2"] and (g["s"].lower() != "winter" or _full_year(g["y"], g["y2"]) != int(g["y"]) + 1)):
        return False
    if kind == "season" and g["s"].lower() == "fall" and not g["y"]:
        return False
    if kind in ("season", "quarter") and not g["y"] and not g.get("w"):
        after = re.match(r"\s+(?:(of)\s+)?([a-z]+)", question[m.end() :])  # "the spring offensive", "Q4 earnings"
        if after and (after[1] or after[2] not in FUNCTION_WORDS):
            return False
    if kind == "years":
        return _full_year(g["y"], g["y2"]) > int(g["y"])
    if kind == "past":
        return g["w"].lower() == "past" or bool(g["n"] or g["the"])  # "last week" is the calendar week
    return True


def _full_year(year: str, other: str) -> int:
    """The second year of "2016-17" or "2016-2017" in full."""
    return int(other) if len(other) == 4 else int(year) // 100 * 100 + int(other)


def _attach_part(question: str, piece: Piece) -> None:
    """Take "early", "mid-", "the end of" (months, years) or "the week of" (days) into the piece."""
    head = question[max(0, piece.start - 30) : piece.start]
    if piece.kind == "day":
        m, part = WEEK.search(head), "week"
    elif piece.kind in ("month", "year") or (piece.kind == "relative" and piece.g["u"].lower() in ("month", "year")):
        m = PART.search(head)
        part = (m["p"] or m["q"]).lower() if m else None
    else:
        return
    if m:
        piece.start, piece.part = piece.start - len(head) + m.start(), part


@lru_cache(maxsize=1)
def events() -> tuple[re.Pattern[str], dict[str, list[dt.date]]]:
    """The pattern matching any event name in events.json, and the days each name (as `event_key`) stands for."""
    days: dict[str, list[dt.date]] = {}
    patterns: set[str] = set()
    for event in json.loads(EVENTS_FILE.read_text(encoding="utf-8"))["events"]:
        for alias in event["aliases"]:
            days.setdefault(event_key(alias), []).append(dt.date.fromisoformat(event["date"]))
            patterns.add(_alias_pattern(alias))
    aliases = sorted(patterns, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(aliases) + r")(?!\w)", re.I), days


def _alias_pattern(alias: str) -> str:
    """A name as a pattern: optional leading "the", any spacing, "US" or "U.S.", either apostrophe."""
    words = alias.split()
    lead = r"(?:the\s+)?" if words[0].lower() == "the" else ""
    words = words[1:] if lead else words
    parts = [r"U\.?S\.?" if w in ("US", "U.S.") else re.escape(w).replace("'", "['’]") for w in words]
    return lead + r"\s+".join(parts)


def event_key(text: str) -> str:
    """An event name compared without case, dots, a leading "the" or the kind of apostrophe."""
    key = " ".join(text.lower().replace("’", "'").replace(".", "").split())
    return key[4:] if key.startswith("the ") else key
