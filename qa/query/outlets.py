"""An outlet the question names as whose reporting it asks for ("What did TASS say about Aleppo?", "according to Al
Jazeera, …", "the BBC's coverage of …"): read as a filter on the articles' source, not as a speaker or a topic."""

from __future__ import annotations

import functools
import re

from qa.corpus.sources import ALIASES

_VERBS = r"(?:say|said|says|report|reported|reports|write|wrote|writes|tweet|tweeted|claim|claimed|publish|published|cover|covered)"
_REPORTING = r"(?:report|reports|reporting|coverage|articles?|stories|story|reporters?|correspondents?)"


@functools.lru_cache(maxsize=4096)
def _patterns(name: str) -> list[re.Pattern[str]]:
    n = r"\s+".join(re.escape(w) for w in name.split())
    return [re.compile(p, re.IGNORECASE) for p in (
        rf"\b(?:did|does|do|has|have|had|will|would)\s+(?:the\s+)?(?P<o>{n})\s+{_VERBS}\b",  # "What did TASS say …"
        rf"\baccording\s+to\s+(?:the\s+)?(?P<o>{n})(?!\w)",  # "according to Al Jazeera"
        rf"(?<!\w)(?P<o>{n})(?:['’]s)?\s+{_REPORTING}\b",  # "the BBC's coverage", "CNN reporting on …"
    )]


def asked_outlet(question: str, outlets: list[str]) -> tuple[str, str] | None:
    """(the outlet as the corpus names it, the words naming it in the question) when the question asks for one of the
    corpus' `outlets`' reporting, by its name or a usual other name ("Deutsche Welle" for DW); else None."""
    names = {o.lower().removeprefix("the "): o for o in outlets}  # "the" is read before any of them
    names.update({alias.removeprefix("the "): o for alias, o in ALIASES.items() if o in outlets})
    low = question.lower()
    for name in sorted((n for n in names if n.split() and n.split()[0] in low), key=len, reverse=True):  # "ABC News" first
        for pattern in _patterns(name):
            if m := pattern.search(question):
                return names[name], m["o"]
    return None


@functools.lru_cache(maxsize=8)
def outlet_words(outlets: tuple[str, ...]) -> frozenset[str]:
    """The words of the corpus' outlets' names and their usual other names, lower case: a question naming one ("What
    did the BBC and CNN report …") names whose articles, not what they are about."""
    names = [o for o in outlets if o] + [alias for alias, o in ALIASES.items() if o in outlets]
    return frozenset(w for n in names for w in re.findall(r"[\w&]+", n.lower()))
