"""Whether one quote repeats another: the same sentence as another outlet ran it, with a headline glued before it or
a word changed at its edges, which sentence vectors alone can miss."""

from __future__ import annotations

from qa.text.words import WORD, unaccented

N = 3  # words per shingle
MIN_SHINGLES = 6  # shorter quotes are left to the vectors: a few shared words make no repeat
SHARE = 0.8  # of the shorter quote's shingles found in the other


def shingles(text: str, n: int = N) -> set[tuple[str, ...]]:
    words = [unaccented(w).lower() for w in WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def repeats(a: str, b: str, share: float = SHARE) -> bool:
    """Whether most of the shorter text's word trigrams occur in the other."""
    sa, sb = shingles(a), shingles(b)
    short, other = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return len(short) >= MIN_SHINGLES and len(short & other) >= share * len(short)
