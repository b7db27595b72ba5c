"""The chat around `Handlers.respond`: messages, what the page carries (Markdown per answer, the conversation, the
permalink), restoring a conversation kept in the browser and opening a permalink."""

from __future__ import annotations

import hashlib
import json

from qa.carry import answer_markdown, conversation_markdown, locator, permalink_query
from ui import render
from ui.answers import answer_html

# On load, the permalink's question and filters (?q=…&since=…&until=…&source=…) replace the fields' values.
READ_PERMALINK = """(turns, q, since, until, source) => {
  const p = new URLSearchParams(window.location.search);
  return [turns, p.get('q') || '', p.get('since') || since || '', p.get('until') || until || '', p.get('source') || source];
}"""


def storage_secret(settings) -> str:
    """The key the browser's copy of the conversation is sealed with: one per index, so it survives a restart."""
    return hashlib.sha256(f"newsqa:{settings.index.resolve()}".encode()).hexdigest()[:32]


def chat_messages(turns: list[dict]) -> list[dict]:
    """The Chatbot's messages: each question, then its answer (or the error)."""
    msgs = []
    for i, t in enumerate(turns):
        msgs.append({"role": "user", "content": render.esc(t["question"])})
        if t.get("error"):
            content = render.error_html(t["error"])
        else:
            asked = t["condensed"] if t.get("condensed") != t["question"] else None
            content = answer_html(t["answer"], i, asked)
        msgs.append({"role": "assistant", "content": content})
    return msgs


def valid_turns(turns) -> list[dict]:
    """The turns kept in the browser that this version can show (anything else is dropped)."""
    ok = []
    for t in turns if isinstance(turns, list) else []:
        if isinstance(t, dict) and isinstance(t.get("question"), str) and (isinstance(t.get("answer"), dict) or t.get("error")):
            ok.append({**t, "condensed": t.get("condensed") or t["question"]})
    return ok


def carried(turn: dict) -> tuple[str, str, str]:
    """The (since, until, source) a turn was asked with, as the fields show them."""
    from ui.handlers import ALL_SOURCES

    f = turn.get("filters") or {}
    return f.get("since") or "", f.get("until") or "", f.get("source") or ALL_SOURCES


class Chat:
    """The chat's events over one `Handlers`; every one returns (box, messages, turns, sources panel, carry JSON)."""

    def __init__(self, handlers):
        self.h = handlers

    def carry(self, turns: list[dict]) -> str:
        """JSON for the page's script: each turn's Markdown, the conversation's, and the last answer's permalink."""
        locate = locator(self.h.article)
        answers = [t["answer"] for t in turns if t.get("answer")]
        last = turns[-1] if turns else {}
        f = last.get("filters") or {}
        link = permalink_query(last.get("condensed") or last.get("question") or "", f.get("since"), f.get("until"), f.get("source"))
        return json.dumps({
            "answers": [answer_markdown(t["answer"], locate) if t.get("answer") else "" for t in turns],
            "conversation": conversation_markdown(answers, locate) if answers else "",
            "permalink": link if last else "",
        }, ensure_ascii=False)

    def _out(self, box, turns: list[dict]) -> tuple:
        """What every chat event returns: box, messages, turns, sources panel, carry JSON."""
        return box, chat_messages(turns), turns, render.sources_html(turns, self.h.article), self.carry(turns)

    def respond(self, message: str, turns: list | None, since: str, until: str, source: str | None, standalone: bool = False) -> tuple:
        """Answer, remember the filters it was asked with (for its permalink), and refresh what the page carries."""
        from ui.handlers import ALL_SOURCES

        turns = valid_turns(turns)
        box, _, new_turns, _ = self.h.respond(message, turns, since, until, source, standalone=standalone)
        if len(new_turns) != len(turns) or new_turns[-1:] != turns[-1:]:
            new_turns[-1]["filters"] = {"since": since or "", "until": until or "", "source": "" if source == ALL_SOURCES else source or ""}
        return self._out(box, new_turns)

    def clear(self) -> tuple:
        """A new conversation: nothing shown, kept or carried."""
        return self._out("", [])

    def open_page(self, turns: list | None, question: str, since: str, until: str, source: str | None) -> tuple:
        """On load: show the conversation kept in the browser; with a permalink's question, ask it (stand-alone)."""
        from ui.handlers import ALL_SOURCES

        turns = valid_turns(turns)
        if source not in self.h.source_choices():
            source = ALL_SOURCES
        filters = (since or "", until or "", source)
        last = turns[-1] if turns else {}
        shown = last.get("condensed") == (question or "").strip() and carried(last) == filters  # a reload: already answered
        if (question or "").strip() and not shown:
            return (*self.respond(question, turns, *filters, standalone=True), *filters)
        return (*self._out("", turns), *filters)
