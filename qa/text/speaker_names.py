"""How a speaker is named: by the last word of their name (`surname`, what matching goes by), and, said alone by the
family name they were named with first (East Asian names), as the person the article named in full."""

from __future__ import annotations

import re

from qa.text.calendar import CALENDAR_WORDS
from qa.text.speech_words import BODIES, NOT_NAMES, OFFICES, ROLE_NOUNS
from qa.text.words import POSSESSIVE, unaccented


def last_name(name: str) -> str:
    """The last word of a name as written, without a possessive 's."""
    return POSSESSIVE.sub("", name.split()[-1])


def surname(name: str) -> str:
    """The last word of a name, lower-cased and without accents: how a later sentence refers to the speaker ("Erdoğan"
    and "Erdogan" are one person)."""
    return unaccented(last_name(name).lower())


def family_name_first(text: str, said: list[str | None]) -> list[str | None]:
    """A one-word speaker the article writes only before one given name ("Xi Jinping", "Wang Yi"; after a title at most:
    "President Xi") is that person, as "Chinese President Xi Jinping said" is: news names the family first in East
    Asian names, then the person by it alone ("Xi said"), which the last word of the full name ("Jinping") must meet."""
    full: dict[str, str] = {}
    speaking = {surname(x) for x in said if x}
    for w in {w for w in said if w and " " not in w}:
        given = set(re.findall(rf"\b{re.escape(w)}\s+([A-Z][a-z]+(?:-[a-z]+)?)\b(?!\s+[A-Z])", text))
        if len(given) != 1:
            continue  # no one given name
        name = f"{w} {(g := given.pop())}"
        if re.search(rf"\b{re.escape(w)}\b", text.replace(name, "")) is None:
            continue  # the family name never stands alone
        if g in NOT_NAMES or BODIES.fullmatch(g) or g.lower() in CALENDAR_WORDS:
            continue  # "Trump Organization", "Trump Tuesday"
        before = (b for b in re.findall(rf"\b([A-Z][\w’'\-]*)\s+{re.escape(w)}\b", text))
        if not all(b in NOT_NAMES or OFFICES.fullmatch(b) or re.fullmatch(rf"(?i:{ROLE_NOUNS}|vice)", b) for b in before):
            continue  # "Donald Trump": the one word is a surname
        # a person, not "Trump Tower": the full name speaks too ("President Xi Jinping said"), or follows an office
        if surname(name) in speaking or re.search(rf"(?:{OFFICES.pattern}|(?i:{ROLE_NOUNS}))\s+{re.escape(name)}\b", text):
            full[w] = name
    return [full.get(w, w) if w else w for w in said]
