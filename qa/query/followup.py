"""Turn a chat follow-up into a stand-alone question, with a few plain rules (no model).

The retriever sees one question at a time, so "and what about Turkey?" or "when was that?" must be
rewritten with the topic of the conversation before it is asked:

1. A question that names its own topic (a capitalised name, or enough content words) and has no
   follow-up opener stays as it is.
2. "what about X?", "how about X?", "and X?", "what of X?": X takes the place of the topic of the
   previous question: the object of its last "about/on/regarding/..." phrase, else its last name,
   else X is appended.
3. "when was that?", "why did it happen?" (a question word, a verb, and a pronoun): the question word
   of the previous question is swapped for the new one when the previous one starts with the same
   kind of verb ("Why was the pause initiated?" -> "When was the pause initiated?").
4. Other short or pronoun-only follow-ups keep their own words and get the previous question's key
   terms appended.

`history` is the list of earlier questions, oldest first: plain strings, or chat messages in the
messages format ({"role": "user", "content": ...}); only user turns are used. Pass the condensed
form of earlier questions so that chains of follow-ups keep their topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.text.names import capitalised_words as names
from qa.text.words import STOPWORDS as STOP
from qa.text.words import WORD

OPENERS = re.compile(
    r"^\s*(?:(?:and|but|also|so|ok(?:ay)?|now)\s*[,:]?\s+)?"
    r"(?:(?:what|how)\s+about|what\s+of|and\s+(?:for|in|on)?|as\s+for|same\s+(?:for|about|with))\s+(?P<topic>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
LEADING_AND = re.compile(r"^\s*(?:and|but|also)\b[\s,]*", re.IGNORECASE)
PRONOUNS = frozenset(
    "it its that this those these he she him her his hers they them their theirs there then such".split()
)
WH = ("what", "when", "where", "why", "who", "whom", "whose", "which", "how")
AUX = frozenset(
    "is was are were do does did has have had will would can could should may might must".split()
)
TOPIC_PREP = re.compile(r"\b(?:about|on|regarding|concerning|of|in|for|with|towards?|against)\s+", re.IGNORECASE)
MAX_FOLLOWUP_WORDS = 4


def _user_questions(history: Iterable | None) -> list[str]:
    out = []
    for item in history or []:
        if isinstance(item, str):
            text = item
        elif isinstance(item, dict):
            if item.get("role") != "user":
                continue
            text = item.get("content")
        elif isinstance(item, (list, tuple)) and item:  # (user, bot) pairs
            text = item[0]
        else:
            continue
        if isinstance(text, str) and text.strip():
            out.append(text.strip())
    return out


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def key_terms(text: str) -> list[str]:
    """Content words of a question, in order, without duplicates."""
    out: list[str] = []
    for w in _words(text):
        w = w.strip("'’-")
        if len(w) > 1 and w.lower() not in STOP and w.lower() not in {x.lower() for x in out}:
            out.append(w)
    return out


def _topic_of(question: str) -> str | None:
    """The new topic of a "what about X?" / "and X?" / "X?" follow-up, else None."""
    q = question.strip()
    m = OPENERS.match(q)
    topic = m.group("topic") if m else None
    if topic is None:
        bare = LEADING_AND.sub("", q).strip()
        words = _words(bare)
        if not words or len(words) > 3 or words[0].lower() in WH or words[0].lower() in AUX:
            return None
        topic = bare
    topic = LEADING_AND.sub("", topic.strip()).strip().rstrip("?.! ")
    words = [w.lower() for w in _words(topic)]
    if not words or words[0] in WH or words[0] in AUX or not key_terms(topic):
        return None
    return topic


def is_followup(question: str) -> bool:
    """True when the question leans on an earlier one for its topic."""
    q = question.strip()
    if not q:
        return False
    if _topic_of(q) is not None or LEADING_AND.match(q):
        return True
    words = [w.lower() for w in _words(q)]
    has_pronoun = any(w in PRONOUNS for w in words)
    if has_pronoun and not names(q) and len(key_terms(q)) <= 2:
        return True
    return len(words) <= MAX_FOLLOWUP_WORDS and not names(q) and not key_terms(q)


def _last_topic_phrase(previous: str) -> tuple[int, int] | None:
    """Span of the object of the last "about/on/regarding/..." phrase that runs to the end."""
    body_end = len(previous.rstrip(" ?.!"))
    for m in reversed(list(TOPIC_PREP.finditer(previous[:body_end]))):
        obj = previous[m.end() : body_end]
        if key_terms(obj):
            return m.end(), body_end
    return None


def _replace_topic(previous: str, topic: str) -> str:
    """Put `topic` in the place of the previous question's topic."""
    prev = previous.strip()
    span = _last_topic_phrase(prev)
    if span:
        return f"{prev[: span[0]]}{topic}{prev[span[1]:] or '?'}"
    prev_names = names(prev)
    if prev_names:
        last = prev_names[-1]
        idx = prev.rfind(last)
        # widen to a run of capitalised words ("Sergey Lavrov", "Islamic State")
        start, end = idx, idx + len(last)
        while True:
            m2 = re.search(r"([A-Z][\w'’\-]*)\s+$", prev[:start])
            if not m2 or m2.group(1).lower() in STOP or m2.start(1) == 0:
                break
            start = m2.start(1)
        return f"{prev[:start]}{topic}{prev[end:]}"
    return f"{prev.rstrip('?.! ')} {topic}?"


def _swap_question_word(question: str, previous: str) -> str | None:
    """"when was that?" + "Why was the pause initiated?" -> "When was the pause initiated?"."""
    qw = [w.lower() for w in _words(question)]
    pw = _words(previous)
    if len(qw) < 2 or len(pw) < 3 or qw[0] not in WH or pw[0].lower() not in WH:
        return None
    if qw[1] not in AUX or pw[1].lower() not in AUX:
        return None
    rest = qw[2:]
    if not rest or any(w not in PRONOUNS and w not in {"happen", "happened", "take", "place"} for w in rest):
        return None
    # the previous question's words after its verb, with the new question word and verb
    m = re.match(r"\s*\S+\s+\S+\s+(?P<rest>.*)$", previous.strip())
    if not m:
        return None
    body = m.group("rest").rstrip(" ?.!")
    qwords = _words(question)
    return f"{qwords[0].capitalize()} {qwords[1].lower()} {body}?"


def condense(question: str, history: Iterable | None = None) -> str:
    """A stand-alone version of `question`, given the earlier questions in `history` (oldest first)."""
    q = (question or "").strip()
    previous = _user_questions(history)
    if not q or not previous or not is_followup(q):
        return q
    prev = previous[-1]
    topic = _topic_of(q)
    if topic:
        return _replace_topic(prev, topic)
    stripped = LEADING_AND.sub("", q).strip() or q
    swapped = _swap_question_word(stripped, prev)
    if swapped:
        return swapped
    own = {t.lower() for t in key_terms(stripped)}
    extra = [t for t in key_terms(prev) if t.lower() not in own]
    if not extra:
        return stripped
    base = stripped.rstrip(" ?.!")
    return f"{base[:1].upper()}{base[1:]} ({' '.join(extra)})?"
