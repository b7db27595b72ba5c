"""HTML for the answers, the sources panel, articles and timelines.

Every piece of text that comes from an article, a file name, a question or a note goes through
`esc` (html.escape) before it is put in markup; only the markup written here is trusted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

ABSTAIN_TEXT = "The articles do not answer this question."
MARKER = re.compile(r"\[(\d+)\]")


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _text_block(text: str) -> str:
    """Escaped text with line breaks kept."""
    return esc(text).replace("\n", "<br>")


text_block = _text_block


def cite_link(turn: int, n: int, label: str | None = None) -> str:
    return (
        f'<a class="qa-cite" href="#qa-src-{turn}-{n}" data-turn="{turn}" data-n="{n}"'
        f' title="Show passage [{n}]">{esc(label if label is not None else f"[{n}]")}</a>'
    )


# ---------------------------------------------------------------- chat messages (answers: ui/answers.py)
def error_html(message: str) -> str:
    return f'<div class="qa-answer"><div class="qa-error"><span class="qa-badge">Error</span> {esc(message)}</div></div>'


# ---------------------------------------------------------------- sources panel
def _context_span(article: dict | None, start: int, end: int) -> tuple[int, int]:
    """The body paragraphs around [start, end), or the passage itself."""
    if not article:
        return start, end
    over = [(s, e) for s, e in article.get("body") or [] if s < end and e > start]
    if not over:
        return start, end
    return min(start, over[0][0]), max(end, over[-1][1])


def passage_html(text: str, start: int, end: int, quotes: list, ctx: tuple[int, int]) -> str:
    """Article text from ctx: the passage [start, end) set off, the quotes inside it in <mark>."""
    cs, ce = ctx
    cuts = {cs, ce, max(cs, start), min(ce, end)}
    qs = [(max(int(s), cs), min(int(e), ce)) for s, e in quotes or [] if int(s) < ce and int(e) > cs]
    for s, e in qs:
        cuts.update((s, e))
    cuts = sorted(c for c in cuts if cs <= c <= ce)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        piece = _text_block(text[a:b])
        if any(s <= a and b <= e for s, e in qs):
            out.append(f'<mark class="qa-quote">{piece}</mark>')
        elif start <= a and b <= end:
            out.append(f'<span class="qa-passage">{piece}</span>')
        else:
            out.append(f'<span class="qa-around">{piece}</span>')
    return "".join(out)


def citation_card(c: dict, turn: int, article: dict | None) -> str:
    text = article["text"] if article and article.get("text") else None
    if text is not None and text[c["start"] : c["end"]] == c["text"]:
        body = passage_html(text, c["start"], c["end"], c.get("quotes") or [], _context_span(article, c["start"], c["end"]))
    else:  # article changed since: show the cited text alone
        shift = c["start"]
        quotes = [(s - shift, e - shift) for s, e in c.get("quotes") or []]
        body = passage_html(c["text"], 0, len(c["text"]), quotes, (0, len(c["text"])))
    meta = f"{esc(c.get('date') or 'undated')} · {esc(c.get('source') or 'unknown source')}"
    internals = f"doc_id {c['doc_id']} · characters {c['start']}–{c['end']} · score {float(c.get('score') or 0):.3f}"
    details = f'<details class="qa-internals"><summary>details</summary><span class="qa-meta">{esc(internals)}</span></details>'
    return (
        f'<article class="qa-src" id="qa-src-{turn}-{c["n"]}" data-turn="{turn}" data-n="{c["n"]}">'
        f'<header><a class="qa-cite qa-num" href="#qa-src-{turn}-{c["n"]}" data-turn="{turn}" data-n="{c["n"]}">[{c["n"]}]</a> '
        f'<span class="qa-title">{esc(c.get("title") or c["doc_id"])}</span>'
        f'<div class="qa-meta">{meta}</div></header>'
        f'<div class="qa-context">{body}</div>{details}</article>'
    )


def sources_html(turns: list[dict], get_article: Callable[[str], dict | None]) -> str:
    """All turns' cited passages, each source once, newest turn first; older turns folded."""
    if not turns:
        return '<div class="qa-sources qa-empty">Cited passages appear here, with the quoted sentences highlighted.</div>'
    out = ['<div class="qa-sources">']
    cache: dict[str, dict | None] = {}
    for i in range(len(turns) - 1, -1, -1):
        t = turns[i]
        ans = t.get("answer") or {}
        cits = ans.get("citations") or []
        if cits:
            cards = []
            for c in cits:
                if c["doc_id"] not in cache:
                    cache[c["doc_id"]] = get_article(c["doc_id"])
                cards.append(citation_card(c, i, cache[c["doc_id"]]))
            inner = "".join(cards)
        elif t.get("error"):
            inner = f'<div class="qa-note">{esc(t["error"])}</div>'
        elif ans.get("outside_period"):
            inner = '<div class="qa-note">No passage cited: nothing from the period answers. Suggestions from other dates are under the answer.</div>'
        elif ans.get("nearest"):
            inner = '<div class="qa-note">No passage cited: the articles do not answer this question. The nearest passages are under the answer.</div>'
        else:
            inner = '<div class="qa-note">No passage cited: the articles do not answer this question.</div>'
        head = f'<span class="qa-qnum">Q{i + 1}</span> {esc(t.get("question", ""))}'
        if t.get("condensed") and t["condensed"] != t.get("question"):
            head += f' <span class="qa-meta">(searched: {esc(t["condensed"])})</span>'
        is_open = " open" if i == len(turns) - 1 else ""
        out.append(f'<details class="qa-turn" id="qa-turn-{i}" data-turn="{i}"{is_open}><summary>{head}</summary>{inner}</details>')
    out.append("</div>")
    return "".join(out)


# ---------------------------------------------------------------- corpus
def article_html(art: dict | None) -> str:
    if not art:
        return '<div class="qa-article qa-empty">Pick an article in the table, or enter its doc_id.</div>'
    text = art.get("text") or ""
    spans = [(int(s), int(e), "body") for s, e in art.get("body") or []]
    spans += [(int(s), int(e), str(k)) for s, e, k in art.get("stripped") or []]
    spans.sort()
    out, pos = [], 0
    for s, e, kind in spans:
        if s < pos:
            s = pos
        if s >= e:
            continue
        if s > pos:
            out.append(esc(text[pos:s]))
        if kind == "body":
            out.append(f'<span class="qa-body">{esc(text[s:e])}</span>')
        else:
            k = re.sub(r"[^a-z]", "", kind.lower()) or "debris"
            out.append(
                f'<span class="qa-stripped qa-kind-{k}" title="not indexed: {esc(kind)}">'
                f'<span class="qa-label">{esc(kind)}</span><s>{esc(text[s:e])}</s></span>'
            )
        pos = e
    out.append(esc(text[pos:]))
    meta = [
        ("doc_id", art.get("doc_id")),
        ("date", f"{art.get('date') or 'undated'} ({art.get('date_method') or 'unknown'})"),
        ("source", art.get("source") or "unknown"),
        ("place", art.get("place")),
        ("url", art.get("url")),
        ("file", (art.get("path") or "").replace("\\", "/").rsplit("/", 1)[-1]),
        ("passages", art.get("n_chunks")),
        ("characters", len(text)),
    ]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta if v not in (None, ""))
    legend = (
        '<div class="qa-legend">Indexed body text is shown normally; '
        '<span class="qa-stripped"><span class="qa-label">kind</span><s>struck-through grey</s></span> '
        "text was stripped before indexing (title, heading or debris).</div>"
    )
    return (
        f'<div class="qa-article"><h3>{esc(art.get("title") or art.get("doc_id"))}</h3><dl class="qa-dl">{dl}</dl>'
        f'{legend}<div class="qa-fulltext">{"".join(out)}</div></div>'
    )


# ---------------------------------------------------------------- timeline
def timeline_html(entries: list[dict], topic: str) -> str:
    if not topic.strip():
        return '<div class="qa-timeline qa-empty">Enter a topic to see what each article said about it, in date order.</div>'
    if not entries:
        return f'<div class="qa-timeline qa-empty">No article speaks to “{esc(topic)}”.</div>'
    undated = sum(1 for e in entries if e.get("undated") or not e.get("date"))
    note = f"{len(entries)} statement(s) about “{esc(topic)}”, oldest first"
    if undated:
        note += f"; {undated} from undated articles, listed last and not on the chart"
    out = [f'<div class="qa-timeline"><div class="qa-note">{note}.</div><ol>']
    for e in entries:
        date = e.get("date") or "undated"
        internals = f"{e['doc_id']} {e['start']}–{e['end']} · score {float(e.get('score') or 0):.3f}"
        meta = esc(e.get("source") or "unknown source")
        details = f'<details class="qa-internals"><summary>details</summary><span class="qa-ids">{esc(internals)}</span></details>'
        change = e.get("change")
        ch = ""
        if change:
            sim = change.get("similarity")
            bits = [f"similarity to previous: {float(sim):.2f}" if sim is not None else ""]
            if change.get("new"):
                bits.append("new: " + ", ".join(f'<span class="qa-new">{esc(p)}</span>' for p in change["new"]))
            if change.get("dropped"):
                bits.append("dropped: " + ", ".join(f'<span class="qa-dropped">{esc(p)}</span>' for p in change["dropped"]))
            ch = f'<div class="qa-change">{"; ".join(b for b in bits if b)}</div>'
        undated = ' <span class="qa-badge">undated</span>' if e.get("undated") or not e.get("date") else ""
        out.append(
            f'<li class="qa-entry"><div class="qa-entry-head"><span class="qa-date">{esc(date)}</span>{undated} '
            f'<span class="qa-title">{esc(e.get("title") or e["doc_id"])}</span></div>'
            f'<div class="qa-meta">{meta}</div><blockquote>{_text_block(e.get("text") or "")}</blockquote>{ch}{details}</li>'
        )
    out.append("</ol></div>")
    return "".join(out)


# ---------------------------------------------------------------- verify
def _diff_html(segments: list[dict]) -> str:
    """The quote against the source in one line: words only the article has in <del>, only the quote has in <ins>."""
    out = []
    for seg in segments:
        if seg["op"] == "equal":
            out.append(esc(seg["source"]))
            continue
        if seg.get("source"):
            out.append(f'<del class="qa-dropped" title="in the article, not in the quote">{esc(seg["source"])}</del>')
        if seg.get("quote"):
            out.append(f'<ins class="qa-new" title="in the quote, not in the article">{esc(seg["quote"])}</ins>')
    return "".join(out)


def verify_html(v: dict | None) -> str:
    """A checked quotation (`Verification.to_dict()`): the verdict, then every article it appears in, oldest first."""
    if not v or not (v.get("quote") or "").strip():
        return '<div class="qa-verify qa-empty">Paste a quotation to see whether the articles say it word for word, and who says it.</div>'
    verdict = v.get("verdict") or "not found"
    head = f'<span class="qa-badge">{esc(verdict)}</span> <q>{esc(v.get("checked") or v["quote"])}</q>'
    if v.get("speaker"):
        head += f' <span class="qa-meta">attributed to {esc(v["speaker"])}</span>'
    out = [f'<div class="qa-verify" data-verdict="{esc(verdict)}"><div class="qa-verify-head">{head}</div>']
    out += [f'<div class="qa-note">{esc(n)}</div>' for n in v.get("notes") or []]
    if not v.get("matches"):
        out.append('<div class="qa-abstain">No article has this quotation, nor anything close to it.</div>')
    if verdict == "close in meaning":
        out.append('<div class="qa-note">Not verified: the words differ; the passages below only say something close in meaning.</div>')
    for i, m in enumerate(v.get("matches") or [], 1):
        meta = " · ".join(esc(x) for x in (
            m.get("date") or "undated", m.get("source") or "unknown source", f"{m['doc_id']} {m['start']}–{m['end']}",
            m["verdict"], f"words in common {float(m.get('overlap') or 0):.2f}", f"similarity {float(m.get('similarity') or 0):.2f}",
        ) + ((f"said by {m['speaker']}",) if m.get("speaker") else ()))
        ctx, cs = m.get("context") or m["text"], int(m.get("context_start", m["start"]))
        a, b = max(0, m["start"] - cs), max(0, m["end"] - cs)
        context = f'{_text_block(ctx[:a])}<mark class="qa-quote">{_text_block(ctx[a:b])}</mark>{_text_block(ctx[b:])}'
        diff = f'<div class="qa-diff"><span class="qa-meta">quote vs article:</span> {_diff_html(m["segments"])}</div>' if m.get("segments") else ""
        notes = "".join(
            f'<div class="{"qa-error" if n.startswith("misattributed") else "qa-note"}">{esc(n)}</div>' for n in m.get("notes") or []
        )
        out.append(
            f'<article class="qa-src qa-verify-match" data-verdict="{esc(m["verdict"])}"><header><span class="qa-num">[{i}]</span> '
            f'<span class="qa-title">{esc(m.get("title") or m["doc_id"])}</span><div class="qa-meta">{meta}</div></header>'
            f'{diff}<blockquote class="qa-context">{context}</blockquote>{notes}</article>'
        )
    out.append("</div>")
    return "".join(out)
