"""Whether the sentences an answer would quote are the asked speaker's own words."""

from __future__ import annotations

import re

from qa.models import Chunk
from qa.text.speakers import same_speaker, speaker_of, surname


def said_by(chunk: Chunk, first: int, last: int, speaker: str) -> bool:
    """Whether the quoted sentences first..last are the speaker's: when they name who says them (a quotation's
    reporting clause), that is who; else (a quotation, a "she added") the speaker the index carried forward to them,
    unless a sentence names the speaker without making them the one who speaks ("she urged Putin")."""
    texts = [chunk.sentence_text(chunk.sentences[j]) for j in range(first, last + 1)]
    named = [n for n in (speaker_of(t) for t in texts) if n]
    if named:
        return any(same_speaker(n, speaker) for n in named)
    if any(re.search(rf"\b{re.escape(surname(speaker))}\b", t, re.IGNORECASE) for t in texts):
        return False
    stored = list(chunk.speakers) + [None] * len(chunk.sentences)
    return any(same_speaker(stored[j], speaker) for j in range(first, last + 1))
