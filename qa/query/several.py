"""A question asking for two people's words ("What did Merkel and Trump say about NATO?"): one question for each."""

from __future__ import annotations

import re

from qa.text.speakers import NAME_WORDS, asked_speaker

_TWO = re.compile(rf"^(?P<pre>.*?\b(?:did|does|do|has|have|had|would|will)\s+)(?P<a>{NAME_WORDS})\s+(?:and|&)\s+(?P<b>{NAME_WORDS})"
                  rf"(?P<post>\s+\S.*)$")


def one_per_speaker(question: str) -> list[tuple[str, str]]:
    """(the question asked of one, who) for each of the two people or bodies it names ("What did Merkel say about
    NATO?", "Merkel"), when each alone asks for their words; else [] ("What did Putin and Erdogan agree on?")."""
    m = _TWO.match((question or "").strip())
    if not m:
        return []
    each = [(f"{m['pre']}{m[who]}{m['post']}", m[who]) for who in ("a", "b")]
    return each if all(asked_speaker(q) for q, _ in each) else []
