"""Whether the sentences an answer would quote are the asked speaker's own words."""

from __future__ import annotations

import re

from qa.models import Chunk
from qa.text.calendar import CALENDAR_WORDS
from qa.text.speakers import DATE_BEFORE, last_name, role_speaks, same_speaker, speaker_of, surname
from qa.text.words import unaccented


NAMED_WITHIN = 800  # characters before a quotation (about the two passages before it) within which the speaker the
# index carried forward to it must be named


def said_by(chunk: Chunk, first: int, last: int, speaker: str, before: str = "") -> bool:
    """Whether the quoted sentences first..last are the speaker's: when they name who says them (a quotation's
    reporting clause), that is who; else (a quotation, a "she added") the speaker the index carried forward to them,
    unless a sentence names the speaker without making them the one who speaks ("she urged Putin"), and only when they
    are named within NAMED_WITHIN characters before the quotation (`before`: the article's text before the passage), or
    the sentences name their role ("the minister said"): what a reader can check. "She said: …" long after another
    speaker was named is often someone else's ("… Mrs May argues …. But the SNP leader told delegates …. She said: …")."""
    texts = [chunk.sentence_text(chunk.sentences[j]) for j in range(first, last + 1)]
    stored = [chunk.speakers[j] if j < len(chunk.speakers) else None for j in range(first, last + 1)]
    # as the article named them: "Xi said" is the "Xi Jinping" the index resolved it to (qa.text.speaker_names)
    named = [w if n and w and w.startswith(n + " ") else n for n, w in zip((speaker_of(t) for t in texts), stored)]
    named = [n for n in named if n]
    if named:
        return any(same_speaker(n, speaker) for n in named)
    if any(re.search(rf"\b{re.escape(surname(speaker))}\b", unaccented(t), re.IGNORECASE) for t in texts):
        return False
    lead = (before + chunk.text[: chunk.sentences[first][0] - chunk.start])[-NAMED_WITHIN:]
    if not names_person(lead, speaker) and not any(map(role_speaks, texts)):
        return False
    stored = list(chunk.speakers) + [None] * len(chunk.sentences)
    return any(same_speaker(stored[j], speaker) for j in range(first, last + 1))


def names_person(text: str, speaker: str) -> bool:
    """Whether the text names the speaker by their last name as written ("Brexit may be" and "last May's election" do
    not name Theresa May)."""
    name = unaccented(last_name(speaker))
    month = name.lower() in CALENDAR_WORDS
    text = unaccented(text)  # "Erdogan" names "Erdoğan"
    return any(not (month and DATE_BEFORE.search(text, 0, m.start())) for m in re.finditer(rf"\b{re.escape(name)}\b", text))


def speaks_for(text: str, body: str) -> bool:
    """Whether the text gives a body's word ("Kremlin spokesman Dmitry Peskov said", "a Pentagon statement", "the White
    House said", "Pope Francis said", "according to the Pentagon"): a body ("What did the Kremlin say …") speaks
    through its people."""
    b = r"\s+".join(map(re.escape, body.split())).replace("'", "[’']") + "s?"  # "Trump's lawyer": "Trump’s lawyers"
    voice = r"(?:(?:chief|deputy|press)\s+)?spokes(?:man|woman|person)|press\s+secretary|officials?|statement|said|says|told|added"
    after = r"(?<!\bof )(?<!\bof the )(?<!\bto the )(?<!\bagainst the )"  # "critics of the Kremlin said": theirs
    named = r"(?:(?:\s+[A-Z][\w’'\-]+){0,3}|,\s+[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,2},)"  # "Pope Francis said", "Putin's spokesman, Dmitry Peskov, said"
    return re.search(rf"{after}\b{b}(?:['’]s)?{named}\s+(?:{voice})\b|\b(?i:according\s+to)\s+(?:(?i:the)\s+)?{b}\b", text) is not None


def quotes(chunk: Chunk, speaker: str, body: bool = False) -> bool:
    """Whether the passage holds the asked speaker's words: a sentence the index says they say, or, for a body, one
    that gives its word (`speaks_for`)."""
    return any(same_speaker(w, speaker) for w in chunk.speakers) or body and speaks_for(chunk.text, speaker)


def said_for(chunk: Chunk, first: int, last: int, speaker: str, body: bool, before: str = "") -> bool:
    """`said_by`, or, for a body, sentences first..last that give its word."""
    text = chunk.sentence_text((chunk.sentences[first][0], chunk.sentences[last][1]))
    return said_by(chunk, first, last, speaker, before) or body and speaks_for(text, speaker)
