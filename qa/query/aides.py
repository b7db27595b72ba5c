"""Whose aide is asked for: "What did Putin's spokesman say about Aleppo?" asks what his spokesman said for him, not
Putin's own words nor anyone's."""

from __future__ import annotations

import re

from qa.text.speakers import NAME_WORDS

AIDES = r"spokes(?:man|woman|person|people)|press\s+secretary|lawyers?|attorneys?|aides?|advis[eo]rs?|office|campaign|representatives?"
_VERBS = r"say|tell|claim|argue|describe|call|react|respond|warn|think|believe|announce|deny"
_ASKED = re.compile(
    rf"\b(?i:what|how|why)\s+(?i:did|does|do|has|have|had)\s+(?:(?i:the)\s+)?(?P<owner>{NAME_WORDS})[’']s?\s+(?P<role>(?i:{AIDES}))\s+(?i:{_VERBS})\b"
    rf"|\b(?i:according\s+to)\s+(?:(?i:the)\s+)?(?P<owner2>{NAME_WORDS})[’']s?\s+(?P<role2>(?i:{AIDES}))\b"
)


def asked_aide(question: str) -> str | None:
    """"Putin's spokesman" when the question asks for what someone's aide said (say, tell, according to …)."""
    m = _ASKED.search(question)
    if not m:
        return None
    owner, role = (m["owner"], m["role"]) if m["owner"] else (m["owner2"], m["role2"])
    return f"{owner}'s {' '.join(role.lower().split())}"
