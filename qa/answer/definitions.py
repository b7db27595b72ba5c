"""The candidates that spell out an acronym the question asks about ("What does LEM stand for?")."""

from __future__ import annotations

from collections.abc import Callable

from qa.models import Chunk, Query
from qa.text import aliases


def defining(query: Query, chunks: list[Chunk], taught: Callable[[], list[tuple[str, str]]]) -> list[int]:
    """The candidates whose text gives the long name of an acronym the question asks to spell out, with the acronym in
    brackets ("Lunar Excursion Module (LEM)"), among the (long, short) names the corpus taught itself (`taught()`,
    read only for such a question)."""
    if not query.asks_expansion:
        return []
    asked = {short for _, short in taught() if short in query.terms}
    if not asked:
        return []
    return [i for i, c in enumerate(chunks) if any(short in asked for _, short in aliases.acronyms_in(c.text))]
