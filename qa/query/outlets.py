"""An outlet the question names as whose reporting it asks for ("What did TASS say about Aleppo?", "according to Al
Jazeera, …", "the BBC's coverage of …"): read as a filter on the articles' source, not as a speaker or a topic."""

from __future__ import annotations

import functools
import re

from qa.corpus.sources import ALIASES

_VERBS = r"(?:say|said|says|report|reported|reports|write|wrote|writes|tweet|tweeted|claim|claimed|publish|published|cover|covered)"
_REPORTING = r"(?:report|reports|reporting|coverage|articles?|stories|story|reporters?|correspondents?)"


def _one(names: tuple[str, ...]) -> str:
    """Any one of the names, its words apart by any space, possessive or not."""
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names) + r")(?!\w)(?:['’]s)?"


@functools.lru_cache(maxsize=4096)
def _patterns(names: tuple[str, ...]) -> list[re.Pattern[str]]:
    one = _one(names)
    n = rf"{one}(?:\s*,\s*(?:the\s+)?{one})*(?:\s*,?\s+(?:and|or)\s+(?:the\s+)?{one})?"  # "the BBC and CNN", "AP, Reuters or TASS"
    return [re.compile(p, re.IGNORECASE) for p in (
        rf"\b(?:did|does|do|has|have|had|will|would)\s+(?:the\s+)?(?P<o>{n})\s+{_VERBS}\b",  # "What did TASS say …"
        rf"\baccording\s+to\s+(?:the\s+)?(?P<o>{n})",  # "according to Al Jazeera"
        rf"(?<!\w)(?P<o>{n})\s+{_REPORTING}\b",  # "the BBC's coverage", "CNN reporting on …"
    )]


def asked_outlet(question: str, outlets: list[str]) -> tuple[list[str], str] | None:
    """(the outlets as the corpus names them, the question's words naming them and their reporting: "TASS say", "BBC's
    coverage") when the question asks for the reporting of one or more of the corpus' `outlets` ("What did the BBC and
    CNN report …"), by its name or a usual other name ("Deutsche Welle" for DW); else None."""
    names = {o.lower().removeprefix("the "): o for o in outlets}  # "the" is read before any of them
    names.update({alias.removeprefix("the "): o for alias, o in ALIASES.items() if o in outlets})
    low = question.lower()
    present = tuple(sorted((n for n in names if n.split() and n.split()[0] in low), key=len, reverse=True))  # "ABC News" first
    for pattern in _patterns(present) if present else ():
        if m := pattern.search(question):
            said = [re.sub(r"(?:['’]s)?$", "", " ".join(w[0].lower().split())) for w in re.finditer(_one(present), m["o"], re.IGNORECASE)]
            return list(dict.fromkeys(names[w] for w in said)), question[m.start("o"):m.end()]  # "TASS report": not a topic
    return None


@functools.lru_cache(maxsize=8)
def outlet_words(outlets: tuple[str, ...]) -> frozenset[str]:
    """The words of the corpus' outlets' names and their usual other names, lower case: a question naming one ("What
    did the BBC and CNN report …") names whose articles, not what they are about."""
    names = [o for o in outlets if o] + [alias for alias, o in ALIASES.items() if o in outlets]
    return frozenset(w for n in names for w in re.findall(r"[\w&]+", n.lower()))
