"""Names: capitalised words and runs of them, as a question or a statement writes them."""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.text.calendar import CALENDAR_WORDS
from qa.text.words import FUNCTION_WORDS, HONORIFICS, WORD, normalise

_RUN = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:al-|de\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]*)*")
# Capitalised only because they open a sentence or a clause.
_OPENERS = frozenset(
    """The A An In On At As But And Or If This That These Those We He She They It I Our His Her Their There Here
    According However Nevertheless Thanks Simultaneously During After Before When While By For From With Of To
    What Which Who Why How Also Yes No So Then Some All Both Each Such Unfortunately Meanwhile Moreover
    Asked Earlier Later Following Among Much Many Several Still Now Today Yesterday Last Next First Despite
    Although Because Since Until Under Over Instead Indeed You""".split()
)


def _not_a_name(word: str) -> bool:
    return word in _OPENERS or word.lower() in CALENDAR_WORDS


def capitalised_words(text: str) -> list[str]:
    """Words written with a capital after the first word (names), months, weekdays, function words and abbreviated
    titles ("Mr.", "Sen.") aside; in order."""
    out: list[str] = []
    for i, m in enumerate(WORD.finditer(text)):
        w = re.sub(r"['’]s$", "", m.group(0))
        if i == 0 or not w[:1].isupper() or w.lower() in FUNCTION_WORDS or w.lower() in HONORIFICS or w.lower() in CALENDAR_WORDS:
            continue
        if w not in out:
            out.append(w)
    return out


_AUXILIARY_BEFORE = re.compile(r"\b(?:did|does|do|has|have|had|will|would)\s+$")


def cased(text: str, quoted: Callable[[str], bool] | None) -> str:
    """A text typed all in lower case with the words the corpus quotes as names (`quoted`: a surname of someone it
    quotes) capitalised, as a newsroom writes them: "what did merkel say" -> "what did Merkel say". A text with any
    capital after its first letter is left as written: its capitals are the writer's."""
    if quoted is None or text[1:] != text[1:].lower():
        return text

    def name(m: re.Match) -> str:  # a function word ("may", "will") only where a speaker stands: "what did may say"
        word = m[0]
        if not m.start() or word in FUNCTION_WORDS and not _AUXILIARY_BEFORE.search(text, 0, m.start()):
            return word
        return word.capitalize() if quoted(re.sub(r"['’]s$", "", word)) else word

    return re.sub(r"[^\W\d_][\w’'\-]*", name, text)


def name_terms(text: str) -> set[str]:
    """The lower-cased forms of `capitalised_words`, as topic terms write them."""
    return {normalise(w) for w in capitalised_words(text)}


def entities(text: str) -> list[str]:
    """Named things in a statement, verbatim: capitalised runs without sentence-opening words, months or weekdays."""
    out: list[str] = []
    for m in _RUN.finditer(text):
        words = m.group().split()
        while words and _not_a_name(words[0]):
            words = words[1:]
        while words and _not_a_name(words[-1]):
            words = words[:-1]
        phrase = re.sub(r"[’']s$", "", " ".join(words)).strip("’'-")
        if len(phrase) > 1 and phrase.lower() not in {o.lower() for o in out}:
            out.append(phrase)
    return out


FULL_NAME_MENTIONS = 20  # the first mentions looked at: news writes a name in full when it first names someone
_CAPS_BEFORE = re.compile(r"(?:\b[A-Z][\w’'\-]* +)+$")
_CAPS_AFTER = re.compile(r"(?: +[A-Z][\w’'\-]*)+")


def full_names(term: str, text: str) -> list[frozenset[str]]:
    """The names of two or more capitalised words that hold `term` (lower case) as the text writes them in full
    ("nidal" in "Maj. Nidal Malik Hasan …": {nidal, malik, hasan}); names joined by "of" or "de" are left out."""
    if len(term) < 2:
        return []
    word = re.escape(term[0].upper()) + "(?i:" + re.escape(term[1:]) + ")"
    out: set[frozenset[str]] = set()
    for n, m in enumerate(re.finditer(rf"\b{word}\b", text)):  # the capitalised words around it, where written
        if n == FULL_NAME_MENTIONS:
            break
        before = _CAPS_BEFORE.search(text, max(0, m.start() - 120), m.start())
        after = _CAPS_AFTER.match(text, m.end(), m.end() + 120)
        words = (before.group() if before else "").split() + [m.group()] + (after.group() if after else "").split()
        while words and _not_a_name(words[0]):
            words = words[1:]
        while words and _not_a_name(words[-1]):
            words = words[:-1]
        if len(words) > 1:
            out.add(frozenset(normalise(w) for w in words))
    return list(out)


def named_through(terms: list[str], text: str, names: Callable[[str], list[frozenset[str]]]) -> set[str]:
    """The terms a text names by another word of the same name, as its article writes the name in full (`names(term)`:
    `full_names` in the article): a passage that writes "Hasan" names "Nidal" where the article writes "Nidal Malik
    Hasan" (news names someone in full once, then by surname: "What did Nidal's supervisor say?")."""
    if not terms:
        return set()
    written = {normalise(w) for w in re.findall(r"\b[A-Z][\w’'\-]{3,}", text)}
    return {t for t in terms if any(any(w != t and w in written for w in name) for name in names(t))}
