"""Aliases: the other names a newsroom uses for what a question names (US / U.S. / United States / Washington).

The groups come from a small data file (aliases.json) plus what the corpus teaches itself ("the North Atlantic
Treaty Organization (NATO)": see `acronyms_in`). A question's phrase is matched on word boundaries.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from qa.text.words import STOPWORDS

DATA = Path(__file__).with_name("aliases.json")
_ACRONYM = re.compile(r"\b((?:[A-Z][a-z]+|of|the|and|for)(?:[ /-](?:[A-Z][a-z]+|of|the|and|for)){1,7})\s+\(((?:[A-Z]\.){2,6}|[A-Z]{2,6})\)")
# "gross domestic product (GDP)", "all terrain vehicles (ATVs)": a long name in lower case, every word counting
_LOWER_ACRONYM = re.compile(r"\b([a-z][a-z']*(?:[ /-][a-z][a-z']*){1,7})\s+\(([A-Z]{2,6})s?\)")
# "the WADA (World Anti-Doping Agency)", "ATM (automated teller machine)": the acronym first, its words in brackets
_ACRONYM_FIRST = re.compile(r"\b([A-Z]{2,6})\s+\(([A-Za-z][\w']*(?:[ /-][A-Za-z][\w']*){1,8})\)")
_MINOR = frozenset("of the and for in on to a an".split())
# an acronym as a text uses it, away from other capitals ("the AIIB's loans", not "DUTCH ELECTIONS: ...")
_USED = re.compile(r"(?<![\w.&-])(?<![A-Z]{2} )([A-Z]{3,6})(?:s|'s|’s)?(?![\w.&-])(?! [A-Z]{2})")
# a capitalised name, its words joined by a space or a hyphen, minor words between them ("Department of Homeland Security")
_NAME_RUN = re.compile(r"[A-Z][a-z]+(?:['’]s)?(?:[ -](?:(?:of|the|and|for|on|in|to)[ -])*[A-Z][a-z]+(?:['’]s)?)+")


@lru_cache(maxsize=1)
def groups() -> tuple[tuple[str, ...], ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(tuple(g) for g in data["groups"])


@lru_cache(maxsize=1)
def peoples() -> dict[str, tuple[str, ...]]:
    """A place or its people's word -> the others ("french" -> ("france",)), where neither begins the other: only to
    check that an article names what a question asks about, never to widen a search."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {w: tuple(o for o in g if o != w) for g in data["peoples"] for w in g}


@lru_cache(maxsize=16384)  # compiled once: a corpus teaches hundreds of acronyms, more than the re module caches (512)
def _pattern(phrase: str) -> re.Pattern[str]:
    """The phrase on word boundaries, its words joined by a space, a hyphen or a slash ("anti-ballistic missile",
    "Anti Ballistic Missile"; "command/service module")."""
    words = re.split(r"[\s/-]+", phrase.strip())
    return re.compile(r"(?<![\w.])" + r"[\s/-]+".join(map(re.escape, words)) + r"(?![\w])", re.IGNORECASE)


def find(text: str, extra: list[tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """Phrase of the text (lower case) -> its other names, for every alias group a phrase of the text belongs to."""
    found: dict[str, list[str]] = {}
    for group in [*groups(), *(extra or [])]:
        for phrase in sorted(group, key=len, reverse=True):
            if _pattern(phrase).search(text) and not _is_lowercase_pronoun(text, phrase):
                others = [p for p in group if p != phrase]
                found.setdefault(phrase, [])
                found[phrase] += [o for o in others if o not in found[phrase]]
                break
    return found


def _is_lowercase_pronoun(text: str, phrase: str) -> bool:
    """"us" and "who" in lower case are words, not the US or the WHO."""
    if phrase not in ("us", "who", "un"):
        return False
    return not re.search(r"(?<![\w.])" + phrase.upper() + r"(?![\w])", text)


def contains(text: str, phrases: list[str]) -> bool:
    """Whether the text names any of the phrases (case-insensitive, whole words; 'US'/'WHO' only in capitals)."""
    return any(_pattern(p).search(text) and not _is_lowercase_pronoun(text, p) for p in phrases)


def acronyms_in(text: str) -> list[tuple[str, str]]:
    """(long name, acronym) pairs a text defines, such as ("north atlantic treaty organization", "nato"); a dotted
    acronym without its dots ("Federal Bureau of Investigation (F.B.I.)": "fbi"); words joined by a hyphen or a slash
    as written ("Command/Service Module (CSM)": "command/service module"); a long name in lower case ("gross domestic
    product (GDP)"), or after the acronym ("WADA (World Anti-Doping Agency)"); and, without brackets, an acronym the
    text uses whose letters begin the words of a name it writes (`_by_initials`)."""
    out = []
    for long, short in _ACRONYM.findall(text):
        if spelt := _spelling(long, short.replace(".", ""), lambda w: w[:1].isupper()):
            out.append(spelt)
    for long, short in _LOWER_ACRONYM.findall(text):  # its first word no function word ("that the new rules (TNR)")
        if (spelt := _spelling(long, short, lambda w: w not in _MINOR)) and spelt[0].split()[0] not in STOPWORDS:
            out.append(spelt)
    for short, long in _ACRONYM_FIRST.findall(text):
        words = [w for w in re.split(r"[ /-]", long) if w.lower() not in _MINOR]
        if "".join(w[0] for w in words).upper() == short:
            out.append((long.lower(), short.lower()))
    return list(dict.fromkeys(out + _by_initials(text, {s for _, s in out})))


def _by_initials(text: str, defined: set[str]) -> list[tuple[str, str]]:
    """(long name, acronym) pairs of an acronym the text uses without brackets and a name it writes whose initials
    spell it ("the Asian Infrastructure Investment Bank … the AIIB"): news spells a name out once, then abbreviates."""
    used = {m.group(1) for m in _USED.finditer(text)} - {s.upper() for s in defined}
    out = []
    for run in _NAME_RUN.finditer(text) if used else ():
        words = list(re.finditer(r"[A-Za-z]+(?:['’]s)?", run.group()))
        for i, first in enumerate(words):
            initials = ""
            for last in words[i:] if first.group()[0].isupper() else ():
                initials += last.group()[0] if last.group()[0].isupper() else ""
                if len(initials) > 6:
                    break
                if initials in used and last.group()[0].isupper():  # "the Affordable Care Act's": the act
                    long = run.group()[first.start() : last.end()].removesuffix("'s").removesuffix("’s")
                    out.append((long.lower(), initials.lower()))
    return out


def _spelling(long: str, short: str, counts) -> tuple[str, str] | None:
    """(the last words of `long` whose initials spell `short`, in lower case, short in lower case), walking back from
    the bracket over the words; `counts(word)`: whether a word's initial is part of the acronym."""
    words, kept, initials = re.split(r"[ /-]", long), [], ""
    for w in reversed(words):
        kept.insert(0, w)
        if counts(w):
            initials = w[0].upper() + initials
        if initials == short:
            written = long[len(long) - len(" ".join(kept)):]  # the kept words with their own separators
            return written.lower(), short.lower()
        if len(initials) > len(short) or not short.endswith(initials):
            return None
    return None
