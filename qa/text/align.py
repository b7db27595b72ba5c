"""Word-level alignment of a short text (a quotation) against a longer one: the best-matching sub-span and the diff.

Words are compared case-insensitively with curly and straight apostrophes alike; punctuation and spacing between
words are kept apart, so a caller can tell "same words" from "same text". Offsets always point into the texts given.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*", re.UNICODE)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
SPAN_COST = 0.05  # a matched word outweighs twenty unmatched ones between it and the rest of the match ...
GAP_COST = 0.2  # ... less a fifth of a word for every break in the match


class Token(NamedTuple):
    key: str  # lower-cased, apostrophes straightened
    start: int
    end: int


def tokens(text: str, base: int = 0) -> list[Token]:
    """The words of text with offsets (plus `base`)."""
    return [Token(m.group().translate(_QUOTES).lower(), base + m.start(), base + m.end()) for m in TOKEN.finditer(text)]


def keys(text: str) -> list[str]:
    """The keys of `tokens(text)`, faster."""
    return TOKEN.findall(text.translate(_QUOTES).lower())


@dataclass
class Op:
    """One step of the diff: quote tokens [i1, i2) against source tokens [j1, j2) (indices into the aligned span)."""

    op: str  # "equal", "replace", "insert" (words only the quote has), "delete" (source words the quote drops)
    i1: int
    i2: int
    j1: int
    j2: int


@dataclass
class Alignment:
    quote: list[Token]
    source: list[Token]  # the aligned span's tokens
    ops: list[Op]

    @property
    def matched(self) -> int:
        return sum(o.i2 - o.i1 for o in self.ops if o.op == "equal")

    @property
    def ratio(self) -> float:
        """2·matched / (quote words + span words): 1.0 for the same words."""
        total = len(self.quote) + len(self.source)
        return 2.0 * self.matched / total if total else 0.0

    @property
    def score(self) -> float:
        """What `align` maximises: words matched, less SPAN_COST for each unmatched source word within the span and
        GAP_COST for each break in the match."""
        runs = sum(o.op == "equal" for o in self.ops)
        return self.matched - SPAN_COST * (len(self.source) - self.matched) - GAP_COST * max(runs - 1, 0)

    @property
    def coverage(self) -> float:
        return self.matched / len(self.quote) if self.quote else 0.0

    @property
    def edits(self) -> int:
        """Words changed, added or dropped (a replacement of n words by m counts max(n, m))."""
        return sum(max(o.i2 - o.i1, o.j2 - o.j1) for o in self.ops if o.op != "equal")

    @property
    def start(self) -> int:
        return self.source[0].start

    @property
    def end(self) -> int:
        return self.source[-1].end


def _ops(q: list[Token], s: list[Token]) -> list[Op]:
    sm = SequenceMatcher(None, [t.key for t in q], [t.key for t in s], autojunk=False)
    flip = {"insert": "delete", "delete": "insert"}  # difflib names them from the source's side; we from the quote's
    return [Op(flip.get(tag, tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def align(quote: list[Token], source: list[Token]) -> Alignment | None:
    """The sub-span of `source` that best matches the whole quote, or None: the most words matched in order, less
    SPAN_COST for every source word in between that does not match (so a clause the quote drops stays inside) and
    GAP_COST for every break.

    Unmatched words at the quote's edges pull in as many source words beside the match, so a changed first or
    last word shows as a replacement rather than as an addition.
    """
    if not quote or not source:
        return None
    sm = SequenceMatcher(None, [t.key for t in quote], [t.key for t in source], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    best, best_score = None, -1.0
    for i, first in enumerate(blocks):
        matched, gaps = 0, -1
        for last in blocks[i:]:
            matched, gaps = matched + last.size, gaps + 1
            lo = first.b - min(first.a, first.b)
            tail = len(quote) - (last.a + last.size)
            hi = last.b + last.size + min(tail, len(source) - (last.b + last.size))
            score = matched - SPAN_COST * (hi - lo - matched) - GAP_COST * gaps
            if score > best_score:
                best, best_score = (lo, hi), score
    if best is None:
        return None
    lo, hi = best
    loose = Counter(t.key for t in quote) - Counter(t.key for t in source[lo:hi])  # quote words the span lacks
    while lo > 0 and loose[source[lo - 1].key] > 0:  # a word moved to the quote's other end: show it as moved
        lo -= 1
        loose[source[lo].key] -= 1
    while hi < len(source) and loose[source[hi].key] > 0:
        loose[source[hi].key] -= 1
        hi += 1
    span = source[lo:hi]
    return Alignment(quote, span, _ops(quote, span))


def pieces(text: str, toks: list[Token], i1: int, i2: int, base: int = 0) -> str:
    """The words [i1, i2) of `toks` as written in text (whose offset 0 is `base`), without what follows them."""
    return text[toks[i1].start - base : toks[i2 - 1].end - base] if i2 > i1 else ""


def segments(al: Alignment, quote_text: str, source_text: str, source_base: int = 0) -> list[dict]:
    """The diff as consecutive pieces of both texts, each with what follows it up to the next word: joined, the
    "quote" pieces give the quote from its first word to its last, the "source" pieces source_text[al.start:al.end]
    (offsets less `source_base`)."""

    def cut(text: str, toks: list[Token], ranges: list[tuple[int, int]], base: int) -> list[str]:
        out, nxt = [""] * len(ranges), toks[-1].end - base
        for k in range(len(ranges) - 1, -1, -1):
            a, b = ranges[k]
            if b > a:
                out[k] = text[toks[a].start - base : nxt]
                nxt = toks[a].start - base
        return out

    q = cut(quote_text, al.quote, [(o.i1, o.i2) for o in al.ops], 0)
    s = cut(source_text, al.source, [(o.j1, o.j2) for o in al.ops], source_base)
    return [{"op": o.op, "quote": a, "source": b} for o, a, b in zip(al.ops, q, s)]


def diff(al: Alignment, quote_text: str, source_text: str, source_base: int = 0) -> list[dict]:
    """The changes only, word for word: [{"op": "replace", "quote": "won", "source": "lost"}, ...]."""
    return [
        {"op": o.op, "quote": pieces(quote_text, al.quote, o.i1, o.i2), "source": pieces(source_text, al.source, o.j1, o.j2, source_base)}
        for o in al.ops
        if o.op != "equal"
    ]


def columns(segs: list[dict]) -> list[tuple[str, str, str]]:
    """(op, quote cell, source cell) for showing the two texts one above the other: equal pieces word by word."""
    cells = []
    for seg in segs:
        if seg["op"] == "equal":
            q_words, s_words = seg["quote"].split(), seg["source"].split()
            if len(q_words) == len(s_words):
                cells += [("equal", a, b) for a, b in zip(q_words, s_words)]
                continue
        cells.append((seg["op"], " ".join(seg["quote"].split()), " ".join(seg["source"].split())))
    return cells


def rows(cells: list[tuple[str, str, str]], width: int = 90) -> list[list[tuple[str, str, str, int]]]:
    """The cells wrapped into rows of at most `width` characters, each cell with its column width."""
    out: list[list[tuple[str, str, str, int]]] = [[]]
    used = 0
    for op, q, s in cells:
        w = max(len(q), len(s), 1)
        if out[-1] and used + w + 1 > width:
            out.append([])
            used = 0
        out[-1].append((op, q, s, w))
        used += w + 1
    return [r for r in out if r]
