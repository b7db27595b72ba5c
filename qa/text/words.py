"""Words: the tokenizer, the one stop-word list, and the topic terms of a text."""

from __future__ import annotations

import re
import unicodedata

# "F.B.I." and "U.S." are one word, as newsrooms dot them; so are "AT&T", "S&P" and "Texas A&M"
WORD = re.compile(r"(?:[A-Z]\.){2,}(?:['’]s)?|[A-Z][A-Za-z]{0,3}&[A-Z][A-Za-z]{0,3}(?![\w&])(?:['’]s)?|[\w][\w'’\-]*", re.UNICODE)
DOTTED = re.compile(r"(?:[A-Z]\.){2,}(?:['’]s)?$")
POSSESSIVE = re.compile(r"['’]s$")

# Function words, question words and the verbs of asking: none of them names a topic.
FUNCTION_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both but by
    can could did do does doing down during each few for from further had has have having he her here hers him his how i if
    in into is it its itself just me more most my no nor not now of off on once only or other our out over own same she should
    so some such than that the their them then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours us shall may might must also yes ok okay please again""".split()
)
# Words a question uses to ask, not to name its subject ("what did X say about Y").
ASKING_WORDS = frozenset(
    """say said says tell told think thought know mean mention mentioned talk talked speak spoke stated state statement
    statements position positions view views stance opinion comment comments regarding concerning according happen happened""".split()
)
# Verbs that ask what someone said, beside ASKING_WORDS ("What did Luther call …", "How did X describe …"): search terms
# still, but never the topic a statement of the asked speaker must name.
SPEECH_FRAME_WORDS = ASKING_WORDS | frozenset(
    """call calls called describe describes described claim claims claimed believe believes believed consider considers
    considered feel feels felt argue argues argued react reacted reaction respond responded response reply replied insist
    insisted admit admitted suggest suggested warn warned tweet tweets tweeted""".split()
)
# Words that only ask (what someone said, what an acronym stands for): an answer never lists them as words the
# articles do not know, though they are searched for.
FRAME_WORDS = SPEECH_FRAME_WORDS | frozenset(
    "stand stands stood acronym acronyms abbreviation abbreviations abbreviated initialism initialisms".split()
)
# Words that ask for change over time.
CHANGE_WORDS = frozenset(
    "change changed changes evolve evolved evolution shift shifted develop developed over time compare compared comparison timeline chronology".split()
)
# Titles a newsroom abbreviates before a name ("Mr. Trump", "Sen. Collins", "Dr. Fauci"): house style, not the topic.
HONORIFICS = frozenset("mr mrs ms messrs mx dr prof gov sen rep gen lt col sgt capt adm maj".split())
STOPWORDS = FUNCTION_WORDS | ASKING_WORDS | CHANGE_WORDS | HONORIFICS
# Asking and change words that are part of a name when capitalised among names: "Time Warner", "the State Department",
# "Secretary of State Tillerson"
NAMING_STOPWORDS = ASKING_WORDS | CHANGE_WORDS
_NAME_RUN = re.compile(r"\b[A-Z][\w’'&\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'&\-]*)+")
TITLE_CASE = 0.6  # past this share of capitalised words after the first, capitals say nothing of names


def words(text: str) -> list[str]:
    """The words of a text, as written."""
    return WORD.findall(text)


def unaccented(text: str) -> str:
    """The text without diacritics ("Céloron" → "Celoron"), as the full-text index reads it."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise(word: str) -> str:
    """Lower-case, without surrounding apostrophes or dashes, without a possessive 's, and an acronym without its dots
    ("F.B.I." → "fbi")."""
    if DOTTED.match(word):
        return POSSESSIVE.sub("", word).replace(".", "").lower()
    w = word.lower().strip("'’-")
    return w[:-2] if w.endswith(("'s", "’s")) else w


def acronyms(text: str) -> dict[str, str]:
    """The acronyms a text writes (two to six capitals, dotted or not), lower case -> their dotted form: {"fbi":
    "f.b.i."}; newsrooms write either ("FBI", "F.B.I."), so each finds the other."""
    out: dict[str, str] = {}
    if text.upper() == text:  # shouted: no word stands out as an acronym
        return out
    for written in WORD.findall(text):
        bare = POSSESSIVE.sub("", written).replace(".", "") if DOTTED.match(written) else written
        if 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper():
            out[bare.lower()] = ".".join(bare.lower()) + "."
    return out


def content_terms(text: str, stop: frozenset[str] = STOPWORDS) -> list[str]:
    """Lower-cased words of a text that carry its topic (stop words and one-letter words removed; a stop word written in
    capitals, such as "US" or "WHO", is a name and stays), in order."""
    out: list[str] = []
    shouted = text.upper() == text
    named = set() if shouted else named_stopwords(text)
    for written in WORD.findall(text):
        w = normalise(written)
        acronym = len(w) > 1 and not shouted and POSSESSIVE.sub("", written).isupper()  # "US", "UN", "WHO": names
        if len(w) > 1 and (acronym or w not in stop or w in named) and w not in out:
            out.append(w)
    return out


def named_stopwords(text: str) -> set[str]:
    """Asking or change words the text capitalises inside a run of names ("Time" in "Time Warner", "State" in
    "Secretary of State Tillerson"), unless it capitalises most of its words (a title)."""
    later = [w for w in WORD.findall(text)[1:] if w[:1].isalpha()]
    if not later or sum(w[:1].isupper() for w in later) > TITLE_CASE * len(later):
        return set()
    return {normalise(w) for run in _NAME_RUN.findall(text) for w in WORD.findall(run)
            if w[:1].isupper() and normalise(w) in NAMING_STOPWORDS}
