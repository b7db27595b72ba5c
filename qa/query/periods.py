"""Read the period a question asks about ("in November 2016", "before the 2016 US election", "last month").

Conventions:
- Seasons are northern-hemisphere and meteorological: spring Mar-May, summer Jun-Aug, autumn (fall) Sep-Nov,
  and winter 2016 is December 2016 to February 2017 ("winter 2016/17" says the same).
- early / mid / late: of a year, Jan-Apr / May-Aug / Sep-Dec; of a month, days 1-10 / 11-20 / 21-end.
  The beginning (start) / middle / end of a month is the same as early / mid / late; of a year, Jan-Mar / May-Aug / Oct-Dec.
- A month, season or quarter named without a year ("in March", "early February", "last October") is read against
  `reference` (the corpus' latest article date): the most recent one starting on or before it ("last": ended before it).
  So is a day ("on October 21": the latest October 21 on or before it), after "on", "since", "before", ...; "at the
  October 19 meeting" names a meeting, not when the articles were published.
- Relative phrases ("yesterday", "last week", "this year", "in the past two weeks", "three days ago") are counted
  from `today`, and their label says so. "The past N days/weeks/months/years" runs from N units before today to today.
- Named events (events.json: "the 2016 US election", "the Brexit referendum", ...) count after before/after/since/
  until or in a range, not on their own: "what did Russia say about the 2016 US election" asks about the event.
- A bare year needs a word before it ("in 2016", "since 2016"); "the 2016 budget", "2016,000", "2016 %" are not periods.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass

from qa.models import Period
from qa.query.period_grammar import CONNECTOR, EVENTS_FILE, ONWARDS, OPERATOR, RANGE_LEAD, SPAN, Piece, event_key, events, scan
from qa.text.calendar import MONTH_NAMES, month_number

__all__ = ["parse_period", "describe", "EVENTS_FILE"]

_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4, "final": 4}
# part -> (first, last) month of a year, and (first, last) day of a month
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "beginning": (1, 3), "start": (1, 3), "middle": (5, 8),
               "end": (10, 12)}
_MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "beginning": (1, 10), "start": (1, 10),
                "middle": (11, 20), "end": (21, 31)}
_OPS = {"prior to": "before", "ahead of": "before", "following": "after", "as of": "since", "till": "until",
        "up to": "until", "up until": "until"}
_DAY_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}


@dataclass
class _Span:
    """Resolved dates with their label, kept in two parts so a range can share the year."""

    first: dt.date
    last: dt.date
    base: str  # the label without its year: "early February", "Q3", "" for a year
    tail: str = ""  # the year the label ends with: "2016", "2016–17"
    today: bool = False  # counted from today: the label says so

    @property
    def label(self) -> str:
        if self.today:
            return f"{self.base} ({describe(self.first, self.last)}, counted from today)"
        return self.base + ("" if not self.base or not self.tail or self.base.endswith("-") else " ") + self.tail


def parse_period(question: str, reference: dt.date | None = None, today: dt.date | None = None) -> Period | None:
    """The first period the question asks about, or None; year-less months read against `reference`, "last week" against `today`."""
    today = today or dt.date.today()
    reference = reference or today
    pieces = scan(question or "", events()[0])
    for i in range(len(pieces)):
        period = _read(question, pieces, i, reference, today)
        if period is not None:
            return period
    return None


def describe(first: dt.date, last: dt.date) -> str:
    """A short human name for the days first..last: "21 October 2016", "October–December 2016", "3–9 October 2016"."""
    if first == last:
        return _day(first)
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    same_year = first.year == last.year
    if first.day == 1 and last.day == _month_end(last.year, last.month).day:
        if same_year and first.month == last.month:
            return f"{MONTH_NAMES[first.month - 1]} {first.year}"
        start = MONTH_NAMES[first.month - 1] + ("" if same_year else f" {first.year}")
        return f"{start}–{MONTH_NAMES[last.month - 1]} {last.year}"
    if same_year and first.month == last.month:
        return f"{first.day}–{_day(last)}"
    return (f"{first.day} {MONTH_NAMES[first.month - 1]}" if same_year else _day(first)) + f"–{_day(last)}"


def _read(q: str, pieces: list[Piece], i: int, reference: dt.date, today: dt.date) -> Period | None:
    """The period piece `i` sets with the words around it (a range with the next piece, an operator, "in"), or None."""
    piece = pieces[i]
    head = q[max(0, piece.start - 30) : piece.start]
    offset = piece.start - len(head)
    if i + 1 < len(pieces):
        other = pieces[i + 1]
        joint = CONNECTOR.fullmatch(q, piece.end, other.start)
        lead = RANGE_LEAD.search(head)
        if joint and (lead or not joint["a"]):
            ends = _range(piece, other, reference, today)
            if ends is not None:
                a, b = ends
                shared = a.tail and a.tail == b.tail and a.base and not a.today
                label = f"between {a.base if shared else a.label} and {b.label}"
                start = offset + lead.start() if lead else piece.start
                return Period(a.first.isoformat(), b.last.isoformat(), q[start : other.end], label)
    span = _resolve(piece, None, reference, today)
    if span is None:
        return None
    if op := OPERATOR.search(head):
        word = _OPS.get(" ".join(op["op"].lower().split()), op["op"].lower())
        word = "since" if word.startswith("starting") else word
        text = q[offset + op.start() : piece.end]
        if word == "before":
            return Period(None, (span.first - dt.timedelta(days=1)).isoformat(), text, f"before {span.label}")
        if word == "after":
            return Period((span.last + dt.timedelta(days=1)).isoformat(), None, text, f"after {span.label}")
        if word == "since":
            return Period(span.first.isoformat(), None, text, f"since {span.label}")
        return Period(None, span.last.isoformat(), text, f"{word} {span.label}")
    trigger = SPAN.search(head)
    start = offset + trigger.start() if trigger else piece.start
    if onwards := ONWARDS.match(q, piece.end):
        return Period(span.first.isoformat(), None, q[start : onwards.end()], f"since {span.label}")
    if piece.kind == "event" or (_needs_trigger(piece) and not trigger):
        return None
    if piece.kind == "day" and _takes_year(piece) and not piece.part and trigger[0].split()[0].lower() != "on":
        return None  # "at the October 19 meeting" names the meeting; "on October 19" the day
    return Period(span.first.isoformat(), span.last.isoformat(), q[start : piece.end], span.label)


def _range(a: Piece, b: Piece, reference: dt.date, today: dt.date) -> tuple[_Span, _Span] | None:
    """Both ends of "between A and B"; A without a year takes B's ("between October and December 2016")."""
    end = _resolve(b, None, reference, today)
    if end is None:
        return None
    shares = _takes_year(a)
    start = _resolve(a, end.first.year if shares else None, reference, today)
    if shares and start is not None and start.first > end.last:  # "between November and February 2017"
        start = _resolve(a, end.first.year - 1, reference, today)
    return None if start is None or start.first > end.last else (start, end)


def _needs_trigger(piece: Piece) -> bool:
    """A bare year, or a day, month, season or quarter without a year, counts only after "in", "on", "during", ..."""
    return not piece.part and (piece.kind == "year" or _takes_year(piece))


def _takes_year(piece: Piece) -> bool:
    """True for a day, month, season or quarter written without a year or a "last"/"this"."""
    g = piece.g
    return piece.kind in ("day", "month", "season", "quarter") and not (g.get("y") or g.get("w") or g.get("iso"))


def _resolve(piece: Piece, year: int | None, reference: dt.date, today: dt.date) -> _Span | None:
    """The dates of one piece (its part applied); `year` completes a piece written without one."""
    g, kind = piece.g, piece.kind
    own = int(g["y"]) if g.get("y") else year
    if kind == "day":
        if own or g["iso"]:
            day = _parse_day(g["date"] if g["y"] or g["iso"] else f"{g['date']} {own}")
        else:  # "on March 22": the latest one on or before the reference
            day = next((d for y in range(reference.year, reference.year - 5, -1)
                        if (d := _parse_day(f"{g['date']} {y}")) is not None and d <= reference), None)
        if day is None:
            return None
        if piece.part == "week":
            monday = day - dt.timedelta(days=day.weekday())
            sunday = monday + dt.timedelta(days=6)
            return _Span(monday, sunday, f"the week of {describe(monday, sunday)}")
        return _Span(day, day, f"{day.day} {MONTH_NAMES[day.month - 1]}", str(day.year))
    if kind == "month":
        month = month_number(g["m"]) or 1
        first, last = _pick(lambda y: (dt.date(y, month, 1), _month_end(y, month)), own, g["w"], reference)
        span = _Span(first, last, MONTH_NAMES[month - 1], str(first.year))
    elif kind == "season":
        name, start = g["s"].lower(), _SEASON_START[g["s"].lower()]
        first, last = _pick(lambda y: (dt.date(y, start, 1), _month_end(y + start // 12, (start + 1) % 12 + 1)), own, g["w"], reference)
        span = _Span(first, last, name, f"{first.year}–{(first.year + 1) % 100:02d}" if start == 12 else str(first.year))
    elif kind == "quarter":
        n = int(g["n"]) if g["n"] else _ORDINAL[g["q"].lower()]
        first, last = _pick(lambda y: (dt.date(y, 3 * n - 2, 1), _month_end(y, 3 * n)), own, None, reference)
        span = _Span(first, last, f"Q{n}", str(first.year))
    elif kind == "year":
        span = _Span(dt.date(own, 1, 1), dt.date(own, 12, 31), "", str(own))
    elif kind == "years":
        y1 = int(g["y"])
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else y1 // 100 * 100 + int(g["y2"])
        span = _Span(dt.date(y1, 1, 1), dt.date(y2, 12, 31), "", f"{y1}–{y2}")
    elif kind == "event":
        return _event(piece.text, reference)
    else:
        span = _relative(piece, today)
    return _apply_part(span, piece.part) if piece.part else span


def _relative(piece: Piece, today: dt.date) -> _Span:
    """"yesterday", "last week", "this year", "the past two weeks", "three days ago", counted from today."""
    g, kind, words = piece.g, piece.kind, " ".join(piece.text.lower().split())
    if kind == "yesterday":
        first = last = today - dt.timedelta(days=1)
    elif kind == "relative":
        first, last = _unit(g["u"].lower(), today)
        if g["w"].lower() in ("last", "previous"):
            first, last = _unit(g["u"].lower(), first - dt.timedelta(days=1))
    else:
        n = (g["n"] or "1").lower()
        n = "2" if n.startswith("couple") else "1" if n in ("a", "an") else n
        first = _ago(n, g["u"].lower(), today)
        last = today
        if kind == "ago":
            first, last = (first, first) if g["u"].lower() == "day" else _unit(g["u"].lower(), first)
    return _Span(first, last, words, today=True)


def _apply_part(span: _Span, part: str) -> _Span:
    """early / mid / late, or the beginning / middle / end, of a whole year or month."""
    first, last = span.first, span.last
    word = part if part in ("early", "late") else "mid" if part == "mid" else f"the {part} of"
    base = f"mid-{span.base}" if part == "mid" and not span.today else f"{word} {span.base}".strip()
    if first.month == 1 and first.day == 1 and last == dt.date(first.year, 12, 31):
        lo, hi = _YEAR_PARTS[part]
        return _Span(dt.date(first.year, lo, 1), _month_end(first.year, hi), base, span.tail, span.today)
    lo, hi = _MONTH_PARTS[part]
    return _Span(first.replace(day=lo), last.replace(day=min(hi, last.day)), base, span.tail, span.today)


_Make = Callable[[int], tuple[dt.date, dt.date]]  # a year -> the (first, last) day of the thing in that year


def _pick(make: _Make, year: int | None, which: str | None, reference: dt.date) -> tuple[dt.date, dt.date]:
    """The year's (first, last) from `make`; without a year, the latest one begun by the reference ("last": ended before it)."""
    if year:
        return make(year)
    which = (which or "").lower()
    candidates = [make(y) for y in range(reference.year + 1, reference.year - 3, -1)]
    if which in ("this", "current"):
        return next((c for c in candidates if c[0] <= reference <= c[1]), make(reference.year))
    if which in ("last", "previous"):
        return next(c for c in candidates if c[1] < reference)
    return next(c for c in candidates if c[0] <= reference)


def _unit(unit: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar week (Monday to Sunday), month, quarter or year containing the day."""
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if unit == "quarter":
        q = (day.month - 1) // 3
        return dt.date(day.year, 3 * q + 1, 1), _month_end(day.year, 3 * q + 3)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def _ago(n: str, unit: str, today: dt.date) -> dt.date:
    """The day `n` units before today (dateparser does the calendar arithmetic: 31 March - 1 month = 28 February)."""
    import dateparser  # slow-ish import, only for relative phrases and days

    base = dt.datetime.combine(today, dt.time())
    parsed = dateparser.parse(f"{n} {unit}s ago", languages=["en"], settings={"RELATIVE_BASE": base})
    return parsed.date() if parsed else today


def _parse_day(text: str) -> dt.date | None:
    """The date written as "21 October 2016", "Oct. 21, 2016" or "2016-10-21"; None if it does not exist."""
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings=_DAY_SETTINGS)
    return parsed.date() if parsed else None


def _event(text: str, reference: dt.date) -> _Span | None:
    """A named event's day: of the events so named, the latest not after the reference (else the earliest)."""
    days = events()[1].get(event_key(text), [])
    if not days:
        return None
    day = max((d for d in days if d <= reference), default=min(days))
    return _Span(day, day, f"{' '.join(text.split())} ({_day(day)})")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, monthrange(year, month)[1])


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
