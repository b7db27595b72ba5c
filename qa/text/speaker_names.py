"""How one person the article names in full is named when said alone: East Asian names put the family first."""

from __future__ import annotations

import re

from qa.text.calendar import CALENDAR_WORDS
from qa.text.speech_words import BODIES, NOT_NAMES, OFFICES, ROLE_NOUNS


def family_name_first(text: str, said: list[str | None]) -> list[str | None]:
    """A one-word speaker the article writes only before one given name ("Xi Jinping", "Wang Yi"; after a title at most:
    "President Xi") is that person, as "Chinese President Xi Jinping said" is: news names the family first in East
    Asian names, then the person by it alone ("Xi said"), which the last word of the full name ("Jinping") must meet."""
    from qa.text.speakers import surname

    full: dict[str, str] = {}
    for w in {w for w in said if w and " " not in w}:
        given = set(re.findall(rf"\b{re.escape(w)}\s+([A-Z][a-z]+(?:-[a-z]+)?)\b(?!\s+[A-Z])", text))
        if len(given) != 1 or re.search(rf"\b{re.escape(w)}\b", text.replace(f"{w} {next(iter(given))}", "")) is None:
            continue  # no one given name, or the family name never stands alone
        name = f"{w} {(g := next(iter(given)))}"
        if g in NOT_NAMES or BODIES.fullmatch(g) or g.lower() in CALENDAR_WORDS:
            continue  # "Trump Organization", "Trump Tuesday"
        before = (b for b in re.findall(rf"\b([A-Z][\w’'\-]*)\s+{re.escape(w)}\b", text))
        if not all(b in NOT_NAMES or OFFICES.fullmatch(b) or re.fullmatch(rf"(?i:{ROLE_NOUNS}|vice)", b) for b in before):
            continue  # "Donald Trump": the one word is a surname
        # a person, not "Trump Tower": the full name speaks too ("President Xi Jinping said"), or follows an office
        if surname(name) in {surname(x) for x in said if x} or re.search(rf"(?:{OFFICES.pattern}|(?i:{ROLE_NOUNS}))\s+{re.escape(name)}\b", text):
            full[w] = name
    return [full.get(w, w) if w else w for w in said]
