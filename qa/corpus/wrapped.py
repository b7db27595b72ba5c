"""Plain text hard-wrapped at a fixed column (e-mail, wire feeds, old archives such as Reuters-21578): its lines are
read as the paragraphs they were cut from, not as a stack of short headline-like lines."""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]
BREAK = re.compile(r"\r\n|\r|\n")  # a line break, as any platform writes it

MAX_WIDTH = 100  # a text whose lines run longer is not hard-wrapped
FULL = 0.7  # a line this share of the wrapping width long is full: its paragraph may go on in the next line
MIN_RUNS = 0.3  # share of lines that a next line follows directly (no blank line) in a hard-wrapped text
MIN_FULL = 0.6  # share of those lines that are full


def lines_with_offsets(text: str) -> list[Span]:
    """Spans of non-blank lines, trimmed of surrounding white space."""
    spans = []
    for m in re.finditer(r"[^\r\n]+", text):  # "\r\n", and old Macs' "\r", end a line too
        seg = m.group()
        left = len(seg) - len(seg.lstrip())
        right = len(seg.rstrip())
        if right > left:
            spans.append((m.start() + left, m.start() + right))
    return spans


@lru_cache(maxsize=8)
def hard_wrapped(text: str) -> bool:
    """Whether the whole text is hard-wrapped (`width`); asked of one article a few times per answer."""
    return width(text, lines_with_offsets(text)) > 0


def width(text: str, lines: list[Span]) -> int:
    """The column the text is wrapped at (the 90th percentile of its line lengths), 0 if it is not hard-wrapped."""
    if len(lines) < 3:
        return 0
    lengths = sorted(e - s for s, e in lines)
    w = lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))]
    if w > MAX_WIDTH:
        return 0
    runs = [a for a, b in zip(lines, lines[1:]) if _directly(text, a, b)]
    if len(runs) < MIN_RUNS * len(lines) or sum(e - s >= FULL * w for s, e in runs) < MIN_FULL * len(runs):
        return 0
    return w


def paragraphs(text: str, lines: list[Span]) -> list[Span]:
    """The lines, those of a hard-wrapped text joined into paragraphs: a full line goes on in the next one unless a
    blank line or an indented line (a new paragraph) follows."""
    w = width(text, lines)
    if not w:
        return lines
    out: list[Span] = []
    for s, e in lines:
        if out and _directly(text, out[-1], (s, e)) and _last_line_full(text, out[-1], w) and not (len(out) == 1 and _headline(text[slice(*out[0])])):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def starts_paragraph(text: str, at: int) -> bool:
    """Whether the passage starting at `at` opens a paragraph: the text's start, a blank line or an indented line
    before it, or any line break where the text is not hard-wrapped."""
    gap = re.search(r"\s*$", text[max(0, at - 200) : at])[0]
    return at == 0 or not text[:at].strip() or _break(text, gap)


def ends_paragraph(text: str, at: int) -> bool:
    """Whether the passage ending at `at` closes a paragraph (as `starts_paragraph` reads the line break after it)."""
    gap = re.match(r"\s*", text[at : at + 200])[0]
    return at >= len(text.rstrip()) or _break(text, gap)


def _break(text: str, gap: str) -> bool:
    breaks = list(BREAK.finditer(gap))
    if not breaks:
        return False
    if len(breaks) > 1 or gap[breaks[-1].end() :]:  # a blank line, or indentation after the break
        return True
    return not hard_wrapped(text)


def _directly(text: str, a: Span, b: Span) -> bool:
    """Whether line b follows line a after one line break, not indented."""
    gap = text[a[1] : b[0]]
    return len(BREAK.findall(gap)) == 1 and gap[-1] in "\r\n"


def _last_line_full(text: str, span: Span, w: int) -> bool:
    last = BREAK.split(text[span[0] : span[1]])[-1]
    return len(last.strip()) >= FULL * w


def _headline(line: str) -> bool:
    """A first line in title case or capitals without a full stop: the headline, not a paragraph's first line."""
    words = re.findall(r"[^\W\d_][\w’'\-]*", line)
    return bool(words) and not re.search(r"[.!?:][\"”’']?\s*$", line) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
