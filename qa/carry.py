"""Answers to carry out of the app: Markdown with [n] markers and a numbered source list, for the clipboard, an
export of the conversation and `qa ask --markdown`. Works on `Answer.to_dict()`, so every front end shares it."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from qa.text.quotes import balance

Locate = Callable[[str], "str | None"]  # doc_id -> the article's URL or path, when known
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2}|undated): (.*?)(?: \[(\d+)\])?$")


def quoted_text(c: dict) -> str:
    """What a citation quotes: its quoted sentences (or the passage), quotation marks balanced, gaps marked with …."""
    start, text = int(c.get("start") or 0), c.get("text") or ""
    quotes = [text[int(s) - start : int(e) - start].strip() for s, e in c.get("quotes") or []]
    quotes = [q for q in quotes if q]
    return " … ".join(balance(q) for q in quotes) if quotes else balance(text.strip())


def shown_answer(ans: dict) -> str:
    """The answer text as shown: every quoted sentence with balanced quotation marks."""
    text = ans.get("answer") or ""
    for s in ans.get("sentences") or []:
        t = s.get("text") or ""
        if t and balance(t) != t:
            text = text.replace(t, balance(t), 1)
    return text


def dated_entries(ans: dict) -> tuple[list[dict], list[str]] | None:
    """A change-over-time answer as entries {"date", "text", "n", "change", "previous"} and the notes left over; else None."""
    lines = (ans.get("answer") or "").split("\n")
    if ans.get("abstained") or len(lines) < 2 or not all(_DATED.match(line) for line in lines):
        return None
    entries = []
    for line in lines:
        date, text, n = _DATED.match(line).groups()
        entries.append({"date": date, "text": balance(text), "n": int(n) if n else None, "change": None, "previous": None})
    rest = []
    for note in ans.get("notes") or []:
        m = re.match(r"^(\S+) vs (\S+): (.*)$", note)
        target = next((e for e in entries[1:] if m and e["date"] == m.group(1) and e["change"] is None), None)
        if target is None:
            rest.append(note)
        else:
            target["change"], target["previous"] = m.group(3), m.group(2)
    return entries, rest


def outside_notice(ans: dict) -> str | None:
    """The period notice of an answer that no article from its period gives, else None."""
    period = ans.get("period") or {}
    if not (ans.get("abstained") and period):
        return None
    label = period.get("label") or period.get("text") or "the period asked about"
    return next((n for n in ans.get("notes") or [] if n.startswith("No article from")), f"No article from {label} answers this.")


NEAREST_HEAD = "Nearest passages (none answers the question; not an answer):"


def _source_line(c: dict, n: str, locate: Locate | None) -> list[str]:
    where = locate(c["doc_id"]) if locate else None
    head = f"{n} **{c.get('title') or c['doc_id']}**, {c.get('source') or 'unknown source'}, {c.get('date') or 'undated'}"
    indent = "  " if n == "-" else ""  # a suggestion is a list item: its quotation belongs to it
    return [head + (f" — {where}" if where else ""), f"{indent}> {quoted_text(c)}", ""]


def answer_markdown(ans: dict, locate: Locate | None = None, with_question: bool = True) -> str:
    """One answer as Markdown: the question, the answer with [n] markers, then the numbered sources."""
    out = [f"**Q: {ans.get('question') or ''}**"] if with_question else []
    if ans.get("asked") and ans["asked"] != ans.get("question"):
        out.append(f"_Answered as: {ans['asked']}_")
    period = ans.get("period") or {}
    if period:
        out.append(f"_Period: {period.get('label') or period.get('text')}_")
    out.append("")
    notice, dated = outside_notice(ans), dated_entries(ans)
    notes = list(ans.get("notes") or [])
    if notice:
        out.append(f"> **{notice}**")
        notes = [n for n in notes if n != notice]
    elif dated:
        entries, notes = dated
        for e in entries:
            out.append(f"- **{e['date']}**: {e['text']}" + (f" [{e['n']}]" if e["n"] else ""))
            if e["change"]:
                out.append(f"  - what changed since {e['previous']}: {e['change']}")
    else:
        out.append(shown_answer(ans).strip() or "The articles do not answer this question.")
    out += [f"_{n}_" for n in notes]
    if ans.get("citations"):
        out += ["", "Sources:", ""]
        for c in ans["citations"]:
            out += _source_line(c, f"[{c['n']}]", locate)
    if ans.get("outside_period"):
        out += ["", "Suggestions from other dates (outside the period, not an answer):", ""]
        for c in ans["outside_period"]:
            out += _source_line(c, "-", locate)
    if ans.get("nearest"):
        out += ["", NEAREST_HEAD, ""]
        for c in ans["nearest"]:
            out += _source_line(c, "-", locate)
    return "\n".join(out).strip() + "\n"


def conversation_markdown(answers: list[dict], locate: Locate | None = None, title: str = "News QA conversation") -> str:
    """Every answer of a conversation, oldest first, as one Markdown document."""
    parts = [f"# {title}", ""]
    for i, ans in enumerate(answers, 1):
        parts += [f"## {i}. {ans.get('question') or ''}", "", answer_markdown(ans, locate, with_question=False)]
    return "\n".join(parts).strip() + "\n"


def permalink_query(question: str, since: str | None = None, until: str | None = None, source: str | None = None) -> str:
    """The query string that asks this question again with these filters: "?q=…&since=…"."""
    pairs = [(k, v.strip()) for k, v in (("q", question), ("since", since), ("until", until), ("source", source)) if v and v.strip()]
    return "?" + urlencode(pairs) if pairs else ""


def locator(get_article: Callable[[str], dict | None]) -> Locate:
    """doc_id -> the article's URL, else its file path (None when neither is known); each article looked up once."""
    seen: dict[str, str | None] = {}

    def locate(doc_id: str) -> str | None:
        if doc_id not in seen:
            art = get_article(doc_id) or {}
            seen[doc_id] = art.get("url") or art.get("path") or None
        return seen[doc_id]

    return locate
