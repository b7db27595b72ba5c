"""Who says a sentence: "X said", "said X", "according to X", "X told", or, for a quotation or a "he said",
the last speaker named before it in the article."""

from __future__ import annotations

import re

from qa.text.names import capitalised_words

_VERBS = (
    r"said|says|say|told|tells|stated|states|stressed|stresses|noted|notes|added|adds|explained|explains|warned|warns"
    r"|urged|urges|announced|announces|declared|declares|insisted|insists|argued|argues|claimed|claims|wrote|writes"
    r"|asked|asks|replied|replies|recalled|recalls|emphasi[sz]ed|emphasi[sz]es|pointed out|believes|believed|confirmed|confirms"
)
_NAME = r"(?P<name>[A-Z][\w’'\-]+(?:\s+(?:al-|de\s+|von\s+)?[A-Z][\w’'\-]+){0,3})"
_TITLE = r"(?:[A-Z][\w\-]+\s+){0,4}"  # "Russian Foreign Minister Sergey Lavrov"
_PATTERNS = (
    re.compile(rf"{_TITLE}{_NAME}(?:,[^,]{{1,80}},)?\s+(?:has\s+|had\s+|also\s+|then\s+)?(?:{_VERBS})\b"),
    re.compile(rf"\b(?:{_VERBS})\s+{_TITLE}{_NAME}"),
    re.compile(rf"\b[Aa]ccording\s+to\s+{_TITLE}{_NAME}"),
)
_PRONOUN = re.compile(rf"\b(?:he|she)\s+(?:has\s+|had\s+|also\s+)?(?:{_VERBS})\b", re.IGNORECASE)
_NOT_NAMES = frozenset(
    """He She It They We I You The This That There A An In On But And As At Nobody Everyone Everybody Someone Somebody
    Anyone Anybody None One Many Some Most Few Others Officials Critics Analysts Experts Sources Witnesses Residents
    Police Reporters People Observers Diplomats Authorities""".split()
)
ASKED_SPEAKER = (
    re.compile(rf"\b(?i:what|how|why|when|where)\s+(?i:did|does|do|has|have|had|will|would)\s+{_NAME}\s+(?i:say|tell|think|believe|mean|claim|argue|describe|call|react|respond|warn)\b"),
    re.compile(rf"{_NAME}[’']s?\s+(?:position|view|views|stance|statement|statements|remarks|comments|words|opinion|reaction|response)\b"),
    re.compile(rf"\b[Aa]ccording\s+to\s+{_TITLE}{_NAME}\b"),
    re.compile(rf"\b(?i:position|view|stance|statement|remarks|comments)\s+of\s+{_TITLE}{_NAME}"),
)


def surname(name: str) -> str:
    """The last word of a name, lower-cased: how a later sentence refers to the speaker."""
    return re.sub(r"[’']s$", "", name.split()[-1]).lower()


def _clean(name: str) -> str | None:
    words = [w for w in name.split() if w not in _NOT_NAMES]
    return " ".join(words) if words else None


def speaker_of(sentence: str, previous: str | None = None) -> str | None:
    """The name of who says this sentence, or None; `previous` is the last speaker named before it."""
    for pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if name := _clean(m["name"]):
                return name
    if _PRONOUN.search(sentence) or sentence.lstrip()[:1] in "\"“«‘":
        return previous
    return None


def speakers(sentences: list[str], previous: str | None = None) -> list[str | None]:
    """The speaker of each sentence, in order, carrying the last named speaker forward."""
    out = []
    for s in sentences:
        who = speaker_of(s, previous)
        out.append(who)
        previous = who or previous
    return out


def asked_speaker(question: str) -> str | None:
    """Whose words the question asks for: "What did Lavrov say…", "Lavrov's position on…", "according to Lavrov"."""
    names = set(capitalised_words(question))
    for pattern in ASKED_SPEAKER:
        m = pattern.search(question)
        if m and (name := _clean(m["name"])) and any(w in names for w in name.split()):
            return name
    return None


def same_speaker(a: str | None, b: str | None) -> bool:
    return bool(a and b) and surname(a) == surname(b)
