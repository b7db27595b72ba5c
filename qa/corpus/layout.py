"""Tell an article's body from its site debris, line by line, keeping offsets into the source text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A line that is site furniture wherever it appears.
_DEBRIS_LINE = re.compile(
    r"""^(?:
        .*\b(?:this\s+(?:web)?site\s+uses\s+cookies|accept\s+(?:all\s+)?cookies|cookie\s+(?:policy|settings|notice))\b.*
      | .*\bback\s+to\s+main\s+page\b.*
      | (?:read|see|show)\s+(?:more|also|all)\b.{0,40}
      | all\s+news
      | .*\b(?:followers|fans|subscribers)\s+on\s+(?:facebook|twitter|telegram|instagram|youtube|vk)\b.*
      | (?:join|follow|like|subscribe\s+to)\s+(?:them|us|our)\b.{0,60}
      | (?:first|originally)\s+published\s+(?:by|in|at|on)\b.{0,80}
      | all\s+rights\s+reserved\b.*|.*\ball\s+rights\s+reserved\.?
      | (?:\(c\)|©|copyright)\s.{0,80}
      | comments?\s+(?:are\s+)?closed\.?
      | (?:leave\s+a\s+comment|share\s+(?:this|on)\b.{0,40}|click\s+here\b.*|advertisement|sponsored|print|email)
      | (?:subscribe|sign\s+up)\b.{0,80}
      | [\d\s.,]+                                  # vote / view / share counters
      | [^\w"“”'‘’]+                              # lone punctuation
      | (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{1,2}:\d{2}.*   # time stamps
      | \d{1,2}:\d{2}(?:\s*(?:am|pm))?(?:\s*(?:utc|gmt|msk)[+-]?\d*)?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A line after which everything is trailer (tags, disclaimers, comment sections).
_TRAILER_LINE = re.compile(
    r"^(?:attention\s+readers\b.*|topics|persons|tags|tags:.*|related(?:\s+(?:articles|stories|news|topics))?:?"
    r"|more\s+on\s+this\s+topic|about\s+the\s+author|disclaimer:?.*|you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?)$",
    re.IGNORECASE,
)

_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$|[\"”»]$")


@dataclass
class Layout:
    title: tuple[int, int] | None = None
    body: list[tuple[int, int]] = field(default_factory=list)
    stripped: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind)


def lines_with_offsets(text: str) -> list[tuple[int, int]]:
    """Spans of non-blank lines, trimmed of surrounding white space."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        seg = m.group()
        left = len(seg) - len(seg.lstrip())
        right = len(seg.rstrip())
        if right > left:
            spans.append((m.start() + left, m.start() + right))
    return spans


def is_debris(line: str) -> bool:
    return bool(_DEBRIS_LINE.match(line.strip()))


def is_headline(line: str, max_words: int = 16) -> bool:
    """A short line with no sentence-final punctuation: a title, section heading or related-story link."""
    line = line.strip()
    return not _TERMINAL.search(line) and len(line.split()) < max_words


def analyze(text: str, min_words: int = 4) -> Layout:
    layout = Layout()
    lines = lines_with_offsets(text)
    trailer_from = None
    for i, (s, e) in enumerate(lines):
        if _TRAILER_LINE.match(text[s:e].strip()) and any(k == "body" for k in _kinds(text, lines[:i])):
            trailer_from = i
            break
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if trailer_from is not None and i >= trailer_from:
            kind = "debris"
        elif is_debris(line):
            kind = "debris"
        elif is_headline(line) or len(line.split()) < min_words:
            kind = "title" if layout.title is None and not layout.body else "heading"
        else:
            kind = "body"
        if kind == "body":
            layout.body.append((s, e))
        else:
            if kind == "title":
                layout.title = (s, e)
            layout.stripped.append((s, e, kind))
    return layout


def _kinds(text: str, lines: list[tuple[int, int]]):
    for s, e in lines:
        line = text[s:e]
        if not is_debris(line) and not is_headline(line):
            yield "body"
