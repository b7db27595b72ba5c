"""A follow-up that needs the conversation to say what it is about ("How old was he?"), and what it is asked among:
the question the previous answer answered and the articles it cited (qa.answer.flow.answer_in_conversation)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.query.followup_rules import PERSONAL, THING_PRONOUNS, clean
from qa.text.words import WORD


def leans_on_context(question: str) -> bool:
    """Whether a question needs the conversation to say what it is about: a follow-up by the rules, a pronoun ("How old
    was he?", "Was it broken?"), or no name of its own ("What did the documents show?", "In what country?")."""
    from qa.query.followup import is_followup  # followup reads earlier answers with `answered`

    words = [clean(w) for w in (question or "").split()]
    if is_followup(question) or any(w in PERSONAL | THING_PRONOUNS | {"there"} for w in words):
        return True
    return not re.search(r"(?<!^)\b[A-Z]", (question or "").strip())


def answered(item) -> tuple[str, list[str]] | None:
    """Of an earlier answer (an `Answer` or its dict): the question it answered and the articles it cited, in order;
    None for anything else (a question, a chat message)."""
    if hasattr(item, "citations"):
        return item.asked or item.question, list(dict.fromkeys(c.doc_id for c in item.citations))
    if isinstance(item, dict) and "citations" in item:
        return item.get("asked") or item.get("question") or "", list(dict.fromkeys(c["doc_id"] for c in item["citations"] or []))
    return None


def previous_answer(history: Iterable | None) -> tuple[str, list[str]] | None:
    """The question the conversation's last answer answered and the articles it cited, when the history ends with an
    answer (an `Answer` or its dict) that cites any; else None."""
    items = list(history or [])
    last = answered(items[-1]) if items else None
    return last if last and last[0] and last[1] else None


def user_questions(history: Iterable | None) -> list[str]:
    """The questions of a conversation's history, oldest first: strings, messages ({"role": "user", "content": ...}),
    (user, bot) pairs, and of an earlier answer (an `Answer` or its dict) the question it answered."""
    out = []
    for item in history or []:
        if (earlier := answered(item)) is not None:
            item = earlier[0]
        elif isinstance(item, dict):
            item = item.get("content") if item.get("role") == "user" else None
        elif isinstance(item, (list, tuple)):  # (user, bot) pairs
            item = item[0] if item else None
        if isinstance(item, str) and WORD.search(item):
            out.append(item.strip())
    return out
