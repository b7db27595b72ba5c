"""HTML for one answer in the chat: the text with clickable [n] markers, a dated list for change-over-time answers,
an honest banner and labelled suggestions when no article from the period answers, and a "Copy answer" link.

The sources themselves are shown once, in the panel beside the chat (`render.sources_html`).
"""

from __future__ import annotations

from qa.carry import dated_entries, outside_notice, quoted_text, shown_answer
from ui.render import ABSTAIN_TEXT, MARKER, cite_link, esc, text_block

NEAREST_BADGE = "none of them answers the question · not an answer"


def _linked(text: str, turn: int, numbers: set[int]) -> str:
    """Escaped text whose [n] markers link to the sources panel."""
    return MARKER.sub(lambda m: cite_link(turn, int(m.group(1))) if int(m.group(1)) in numbers else m.group(0), text_block(text))


def _dated_html(entries: list[dict], turn: int, numbers: set[int]) -> str:
    items = []
    for e in entries:
        cite = cite_link(turn, e["n"]) if e["n"] in numbers else ""
        change = (
            f'<div class="qa-change">What changed since {esc(e["previous"])}: {esc(e["change"])}</div>' if e["change"] else ""
        )
        items.append(
            f'<li class="qa-dated-entry"><span class="qa-date">{esc(e["date"])}</span> '
            f'<span class="qa-said">{_linked(e["text"], turn, numbers)}</span> {cite}{change}</li>'
        )
    return f'<ol class="qa-dated">{"".join(items)}</ol>'


def _suggestions_html(cits: list[dict], head: str = "Suggestions from other dates",
                      badge: str = "outside the period · not an answer") -> str:
    items = "".join(
        f'<li><span class="qa-meta">{esc(c.get("date") or "undated")} · {esc(c.get("source") or "unknown source")}</span> '
        f'<span class="qa-title">{esc(c.get("title") or "")}</span><blockquote>{text_block(quoted_text(c))}</blockquote></li>'
        for c in cits
    )
    return (
        f'<div class="qa-suggestions"><div class="qa-suggestions-head">{esc(head)} '
        f'<span class="qa-badge">{esc(badge)}</span></div><ul>{items}</ul></div>'
    )


def answer_html(ans: dict, turn: int, asked: str | None = None) -> str:
    """The assistant's chat message for one answer."""
    parts = []
    if asked:
        parts.append(f'<div class="qa-asked">Searched for: <em>{esc(asked)}</em></div>')
    period = ans.get("period")
    if period:
        label = period.get("label") or period.get("text") if isinstance(period, dict) else period
        parts.append(f'<div class="qa-period">Period: {esc(label)}</div>')
    numbers = {c["n"] for c in ans.get("citations", [])}
    notes = list(ans.get("notes") or [])
    notice, dated = outside_notice(ans), dated_entries(ans)
    if notice:
        notes = [n for n in notes if n != notice]
        parts.append(f'<div class="qa-outside" role="alert"><span class="qa-badge">Not in this period</span> {esc(notice)}</div>')
        if ans.get("outside_period"):
            parts.append(_suggestions_html(ans["outside_period"]))
        elif ans.get("nearest"):
            parts.append(_suggestions_html(ans["nearest"], "Nearest passages from the period", NEAREST_BADGE))
    elif ans.get("abstained") or not (ans.get("answer") or "").strip():
        text = (ans.get("answer") or "").strip() or ABSTAIN_TEXT
        parts.append(f'<div class="qa-abstain"><span class="qa-badge">No answer</span> {text_block(text)}</div>')
        if ans.get("nearest"):
            parts.append(_suggestions_html(ans["nearest"], "Nearest passages", NEAREST_BADGE))
    elif dated:
        entries, notes = dated
        parts.append(_dated_html(entries, turn, numbers))
    else:
        parts.append(f'<div class="qa-text">{_linked(shown_answer(ans), turn, numbers)}</div>')
    for note in notes:
        parts.append(f'<div class="qa-note">{esc(note)}</div>')
    parts.append(f'<div class="qa-tools"><a class="qa-copy" href="#copy-{turn}" data-turn="{turn}" title="Copy as Markdown, with the numbered sources">Copy answer</a></div>')
    return f'<div class="qa-answer" data-turn="{turn}">{"".join(parts)}</div>'
