"""The Timeline tab's chart and view: statements on the topic per day, week or month as an inline SVG bar chart.

The counts come from `qa.answer.timeline.statement_counts`; this module only draws them: one bar per period, stacked
by series (the speaker, or the outlets), labels thinned so that they never overlap, and a sentence when there is
nothing to draw.
"""

from __future__ import annotations

import logging
import math

from ui import render
from ui.render import esc

log = logging.getLogger("ui")
WIDTH, HEIGHT = 900, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 34, 40
COLOURS = ("#2563eb", "#f97316", "#16a34a", "#dc2626", "#9333ea", "#0891b2", "#6b7280")
CHAR_PX = 6.4  # the width of a label character at 11px, a little generous
UNITS = {"day": "day", "week": "week", "month": "month"}


def chart_html(counts: dict | None, topic: str = "") -> str:
    """The chart for `statement_counts` output; a sentence instead when there is no topic or no dated statement."""
    if not (topic or "").strip():
        return '<div class="qa-chart qa-empty">Enter a topic to chart how many statements speak to it over time.</div>'
    periods = (counts or {}).get("periods") or []
    undated = int((counts or {}).get("undated") or 0)
    if not periods:
        extra = f" ({undated} from undated articles)" if undated else ""
        return f'<div class="qa-chart qa-empty">No dated statement on “{esc(topic)}” to chart{extra}.</div>'
    series = [str(s) for s in counts.get("series") or []]
    colour = {s: COLOURS[i % len(COLOURS)] for i, s in enumerate(series)}
    n = len(periods)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n
    bar_w = max(1.0, min(slot * 0.72, 60.0))
    top = max(int(p.get("total") or 0) for p in periods)
    step = _tick_step(top)
    ymax = max(step, math.ceil(top / step) * step)
    total = sum(int(p.get("total") or 0) for p in periods)
    unit = UNITS.get(counts.get("bucket"), "day")
    svg = [f'<svg class="qa-chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
           f'aria-label="statements per {unit}" style="max-width:{WIDTH}px;font:11px sans-serif">']
    for tick in range(0, ymax + 1, step):  # y axis: whole numbers of statements
        y = TOP + plot_h - plot_h * tick / ymax
        svg.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#8884" />'
                   f'<text class="qa-ytick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="currentColor">{tick}</text>')
    every = _label_every([str(p.get("label") or "") for p in periods], slot)
    for i, p in enumerate(periods):
        x = LEFT + slot * i + (slot - bar_w) / 2
        y = TOP + plot_h
        for s in series:
            c = int((p.get("counts") or {}).get(s) or 0)
            if c <= 0:
                continue
            h = plot_h * c / ymax
            y -= h
            tip = f"{p.get('label')}: {c} statement{'s' if c != 1 else ''}" + (f" ({s})" if counts.get("by") != "all" else "")
            svg.append(f'<rect class="qa-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour[s]}" '
                       f'data-period="{esc(p.get("start"))}" data-series="{esc(s)}" data-count="{c}"><title>{esc(tip)}</title></rect>')
        if i % every == 0:
            svg.append(f'<text class="qa-xtick" x="{LEFT + slot * (i + 0.5):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                       f'fill="currentColor">{esc(p.get("label"))}</text>')
    svg.append(_legend(series, colour, counts.get("by")))
    svg.append("</svg>")
    by = {"speaker": "by speaker", "outlet": "by outlet"}.get(counts.get("by"), "")
    note = f"{total} dated statement{'s' if total != 1 else ''} on “{esc(topic)}” per {unit}{(' ' + by) if by else ''}"
    if undated:
        note += f"; {undated} from undated articles not charted"
    return (f'<div class="qa-chart" data-bucket="{esc(unit)}" data-total="{total}" data-periods="{n}">'
            f'<div class="qa-note">{note}.</div>{"".join(svg)}</div>')


def _tick_step(top: int) -> int:
    """A whole-number step giving at most 5 gridlines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top))


def _label_every(labels: list[str], slot: float) -> int:
    """Label every k-th period so that no two labels overlap."""
    widest = max((len(x) for x in labels), default=1) * CHAR_PX + 10
    return max(1, math.ceil(widest / max(slot, 1e-6)))


def _legend(series: list[str], colour: dict[str, str], by: str | None) -> str:
    """One swatch and name per series along the top (none for a single unnamed series)."""
    if by == "all" or not series:
        return ""
    out, x, y = [], LEFT, 4
    for s in series:
        name = s if len(s) <= 24 else s[:23] + "…"
        width = 14 + len(name) * CHAR_PX + 16
        if x + width > WIDTH - RIGHT and x > LEFT:  # the next row
            x, y = LEFT, y + 14
        out.append(f'<g class="qa-legend"><rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{colour[s]}" />'
                   f'<text x="{x + 14:.0f}" y="{y + 9}" fill="currentColor">{esc(name)}</text></g>')
        x += width
    return "".join(out)


def timeline_view(handlers, topic, since, until, source) -> tuple[str, str]:
    """The Timeline tab: (chart, statements) as HTML, or an error sentence in place of the statements."""
    from qa.answer.timeline import statement_counts, timeline_speaker

    empty = chart_html(None, "")
    try:
        entries = handlers.timeline_dicts(topic, since, until, source)
        with handlers.lock.read():  # the question read against the index that answered it
            speaker = timeline_speaker(handlers.a.query(topic)) if (topic or "").strip() else None
    except ValueError as exc:
        return empty, f'<div class="qa-error">{esc(exc)}</div>'
    except Exception:  # noqa: BLE001
        log.exception("timeline %r", topic)
        return empty, '<div class="qa-error">Something went wrong while building the timeline. Please try again.</div>'
    return chart_html(statement_counts(entries, speaker), topic or ""), render.timeline_html(entries, topic or "")
