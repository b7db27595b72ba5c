"""Quotation marks: whether a point of a text lies inside a quotation, and the sentences a quotation spans."""

from __future__ import annotations

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'


def open_at(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] leaves a quotation open (curly marks paired, straight marks by parity)."""
    piece = text[start:end]
    depth = 0
    for ch in piece:
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
    return depth > 0 or piece.count(STRAIGHT) % 2 == 1


def quotation_sentences(text: str, sentences: list[tuple[int, int]], i: int, base: int = 0) -> tuple[int, int]:
    """The first and last index of the sentences that belong to the quotation sentence i is part of (i, i if none).

    `text` holds the sentences; their spans are offsets into it plus `base`. A straight mark is read by its side (`"`
    before a word opens, after one closes), so a passage that starts by closing a quotation does not open one.
    """
    first = last = i
    lo = sentences[0][0] - base
    while first > 0 and _left_open(text[lo : sentences[first][0] - base]):
        first -= 1
    while last + 1 < len(sentences) and _left_open(text[sentences[first][0] - base : sentences[last][1] - base]):
        last += 1
    return first, last


def _left_open(piece: str) -> bool:
    """Whether the piece leaves a quotation open, a closing mark with none open being ignored."""
    depth = 0
    for k, ch in enumerate(piece):
        if ch in OPENING:
            depth += 1
        elif ch == STRAIGHT and _opens(piece, k):
            depth = max(depth, 1)  # a quotation going on in a new paragraph opens again; double marks never nest
        elif ch in CLOSING or ch == STRAIGHT:
            depth = max(0, depth - 1)
    return depth > 0


def _opens(piece: str, k: int) -> bool:
    """A straight mark opens when a word follows it and none touches it from before; '"?' is a closing mark some
    feeds damaged ("… is small "?all mainstream parties …"), never an opening one."""
    before = piece[k - 1] if k else " "
    after = piece[k + 1] if k + 1 < len(piece) else " "
    return not after.isspace() and after != "?" and (before.isspace() or before in "([{—–-:")


def balanced(text: str) -> bool:
    """Whether every quotation the text opens it also closes."""
    return not open_at(text)


def balance(text: str) -> str:
    """The text with a quotation cut at either end marked as such: a missing opening mark as “…, a missing closing as …”."""
    depth = unopened = 0
    for ch in text:
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            if depth:
                depth -= 1
            else:
                unopened += 1
    head, tail = "“…" * min(unopened, 1), "…”" * min(depth, 1)
    if text.count(STRAIGHT) % 2:
        first = text.index(STRAIGHT)
        opens = first + 1 < len(text) and not text[first + 1].isspace() and (first == 0 or not text[first - 1].isalnum())
        head, tail = (head, tail + '…"') if opens else ('"…' + head, tail)
    return f"{head}{text}{tail}"
