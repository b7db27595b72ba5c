"""The candidates that spell out an acronym the question asks about ("What does LEM stand for?")."""

from __future__ import annotations

from collections.abc import Callable

from qa.models import Chunk, Query
from qa.text import aliases


def defining(query: Query, chunks: list[Chunk], taught: Callable[[], list[tuple[str, str]]]) -> dict[int, int]:
    """The candidates whose text gives the long name of an acronym the question asks to spell out, among the (long,
    short) names the corpus taught itself (`taught()`, read only for such a question): with the acronym in brackets
    ("Lunar Excursion Module (LEM)") first, then any that writes a long name taught ("the Asian Infrastructure
    Investment Bank", where its article writes "AIIB" too). Candidate -> 0 (brackets) or 1 (a long name)."""
    if not query.asks_expansion:
        return {}
    pairs = [(long, short) for long, short in taught() if short in query.terms]
    if not pairs:
        return {}
    asked, longs = {short for _, short in pairs}, [long for long, _ in pairs]
    out = {i: 0 for i, c in enumerate(chunks) if any(short in asked for _, short in aliases.acronyms_in(c.text))}
    return out | {i: 1 for i, c in enumerate(chunks) if i not in out and aliases.contains(c.text, longs)}


def spells_out(query: Query, sentence: str) -> bool:
    """Whether a sentence writes a long name the question asks an acronym of (its alternatives of several words)."""
    if not query.asks_expansion:
        return False
    longs = [a for t in query.terms for a in query.alternatives.get(t, []) if " " in a]
    return bool(longs) and aliases.contains(sentence, longs)
