"""What changed between two statements, in names: the named things one says and the other does not, with who speaks,
the outlets, the datelines' places, titles and words capitalised only because they open a sentence left out."""

from __future__ import annotations

import re

from qa.text.names import entities
from qa.text.words import FUNCTION_WORDS

TITLES = frozenset("mr mrs ms dr sir madam president chancellor minister prime premier secretary spokesman spokeswoman".split())
_OPENING = r"(?:^|[.!?:;\"“”‘’(\[—–-]\s*|\s-\s)\s*"  # where a sentence, a quotation or a clause begins


def _contraction(word: str) -> bool:
    """ "I'm", "She's", "We'll": a pronoun, not a name."""
    base = re.split(r"[’']", word)[0].lower()
    return base != word.lower() and base in FUNCTION_WORDS | {"i"}


def _opens_only(word: str, texts: list[str]) -> bool:
    """A single capitalised word that only ever opens a sentence or a quotation ("Previously", "Latest", "Take")."""
    if word.isupper() or not word[:1].isupper():
        return False  # an acronym ("GDP") is a name wherever it stands
    anywhere = sum(len(re.findall(rf"(?<![\w’'-]){re.escape(word)}(?![\w-])", t)) for t in texts)
    opening = sum(len(re.findall(rf"{_OPENING}{re.escape(word)}(?![\w-])", t)) for t in texts)
    return anywhere > 0 and opening >= anywhere


def changed_names(texts: list[str], noise: set[str]) -> list[str]:
    """The named things of these statements, in order, that may say what changed (lower-cased `noise` words left out)."""
    out: list[str] = []
    for text in texts:
        for name in entities(text):
            words = [re.sub(r"[’']s$", "", w.lower()).strip("’'") for w in name.split()]
            if name.lower() in noise or set(words) & noise or all(w in TITLES for w in words):
                continue
            if len(words) == 1 and (_contraction(name) or _opens_only(name, texts)):
                continue
            if name.lower() not in {o.lower() for o in out}:
                out.append(name)
    return out


def noise_words(speaker: str | None, topic_terms: list[str], outlets: set[str], places: set[str]) -> set[str]:
    """The lower-cased words and phrases that never count as a change: who speaks, the topic, outlets, places."""
    out = {w.lower().strip("’'") for w in (speaker or "").split()} | set(topic_terms)
    for phrase in outlets | places:
        if phrase:
            out |= {phrase.lower()} | {w for w in phrase.lower().split() if w not in FUNCTION_WORDS and len(w) > 2}
    return {re.sub(r"[’']s$", "", w) for w in out}
