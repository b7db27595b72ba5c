"""CSS, the small click-to-passage script and a theme that loads nothing from the network."""

from __future__ import annotations

# Clicking [n] (in an answer, or in the sources index) opens that turn's sources and brings the
# passage into view. Event delegation on the document: works for HTML that arrives later.
HEAD = """
<script>
(function () {
  if (window.__qaCiteHandler) return;
  window.__qaCiteHandler = true;
  function focusSource(turn, n) {
    var el = document.getElementById('qa-src-' + turn + '-' + n);
    if (!el) return false;
    var d = el.closest('details');
    if (d) d.open = true;
    document.querySelectorAll('.qa-src.qa-focus').forEach(function (x) { x.classList.remove('qa-focus'); });
    el.classList.add('qa-focus');
    el.scrollIntoView({behavior: 'auto', block: 'center'});
    return true;
  }
  window.qaFocusSource = focusSource;
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a.qa-cite, a[href^="#qa-src-"]') : null;
    if (!a) return;
    var m = (a.getAttribute('href') || '').match(/qa-src-(\\d+)-(\\d+)/);
    var turn = a.getAttribute('data-turn') || (m && m[1]);
    var n = a.getAttribute('data-n') || (m && m[2]);
    if (turn === null || n === null) return;
    ev.preventDefault();
    ev.stopPropagation();
    focusSource(turn, n);
  }, true);
})();
</script>
"""

CSS = """
.qa-answer { line-height: 1.5; }
.qa-answer .qa-text { margin: 2px 0; }
.qa-asked, .qa-period, .qa-note { font-size: 0.85em; opacity: 0.8; margin: 2px 0; }
a.qa-cite { font-weight: 600; text-decoration: none; color: #1d4ed8; background: #dbeafe;
  border-radius: 4px; padding: 0 3px; margin: 0 1px; cursor: pointer; }
a.qa-cite:hover { background: #bfdbfe; }
.qa-refs { font-size: 0.85em; margin-top: 6px; }
.qa-refs a.qa-cite { font-weight: 500; display: inline-block; margin: 2px 2px; }
.qa-abstain { border-left: 4px solid #d97706; background: #fef3c7; color: #78350f; padding: 6px 10px;
  border-radius: 4px; font-style: italic; }
.qa-error { border-left: 4px solid #dc2626; background: #fee2e2; color: #7f1d1d; padding: 6px 10px; border-radius: 4px; }
.qa-badge { display: inline-block; font-style: normal; font-size: 0.75em; font-weight: 700; text-transform: uppercase;
  letter-spacing: 0.04em; padding: 1px 6px; border-radius: 9px; background: rgba(0,0,0,0.12); margin-right: 4px; }
.qa-sources { font-size: 0.92em; }
.qa-empty { opacity: 0.75; font-style: italic; padding: 12px; }
.qa-turn { border: 1px solid var(--border-color-primary, #ddd); border-radius: 8px; margin: 0 0 10px 0; padding: 6px 10px; }
.qa-turn > summary { cursor: pointer; font-weight: 600; }
.qa-qnum { display: inline-block; background: #334155; color: #fff; border-radius: 4px; padding: 0 5px; font-size: 0.8em; margin-right: 4px; }
.qa-index { margin: 6px 0 8px 0; padding-left: 0; list-style: none; }
.qa-index li { margin: 2px 0; }
.qa-src { border: 1px solid var(--border-color-primary, #ddd); border-radius: 6px; padding: 8px 10px; margin: 8px 0;
  transition: box-shadow 0.3s, border-color 0.3s; scroll-margin: 40px; }
.qa-src.qa-focus { border-color: #2563eb; box-shadow: 0 0 0 3px rgba(37, 99, 235, 0.35); }
.qa-src header { margin-bottom: 4px; }
.qa-src .qa-title, .qa-entry .qa-title, .qa-article h3 { font-weight: 600; }
.qa-meta { font-size: 0.82em; opacity: 0.75; }
.qa-context { line-height: 1.55; }
.qa-context .qa-around { opacity: 0.7; }
.qa-context .qa-passage { background: rgba(37, 99, 235, 0.08); }
mark.qa-quote { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.qa-article .qa-dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; font-size: 0.85em; margin: 4px 0 8px 0; }
.qa-article .qa-dl dt { font-weight: 600; opacity: 0.8; }
.qa-article .qa-dl dd { margin: 0; word-break: break-all; }
.qa-legend { font-size: 0.82em; opacity: 0.85; margin-bottom: 8px; }
.qa-fulltext { white-space: pre-wrap; line-height: 1.5; border-top: 1px solid var(--border-color-primary, #ddd); padding-top: 8px; }
.qa-stripped { color: #6b7280; }
.qa-stripped s { text-decoration: line-through; text-decoration-color: #9ca3af; }
.qa-label { display: inline-block; font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.05em; background: #e5e7eb;
  color: #374151; border-radius: 3px; padding: 0 4px; margin-right: 4px; vertical-align: 1px; text-decoration: none; }
.qa-kind-title .qa-label { background: #dbeafe; color: #1e3a8a; }
.qa-kind-heading .qa-label { background: #e0e7ff; color: #3730a3; }
.qa-kind-debris .qa-label { background: #fee2e2; color: #991b1b; }
.qa-timeline ol { padding-left: 0; list-style: none; }
.qa-entry { border-left: 3px solid #2563eb; padding: 4px 0 6px 12px; margin: 0 0 12px 6px; }
.qa-entry .qa-date { font-family: var(--font-mono, monospace); font-weight: 700; margin-right: 6px; }
.qa-entry blockquote { margin: 4px 0; padding: 4px 10px; border-left: 2px solid #cbd5e1; }
.qa-change { font-size: 0.85em; opacity: 0.9; }
.qa-new { background: #dcfce7; color: #14532d; border-radius: 3px; padding: 0 3px; }
.qa-dropped { background: #fee2e2; color: #7f1d1d; border-radius: 3px; padding: 0 3px; text-decoration: line-through; }
#qa-status p { margin: 0; }
#qa-plot g.role-mark.mark-symbol path { stroke-width: 6px; stroke-opacity: 0.85; }
#qa-table table, #qa-table td, #qa-table th, #qa-table span { font-family: var(--font); font-size: var(--text-sm); }
"""


def theme():
    """The default theme with system fonts: no font files fetched from the internet."""
    import gradio as gr

    return gr.themes.Default(
        font=[gr.themes.Font("system-ui"), gr.themes.Font("Segoe UI"), gr.themes.Font("Helvetica"), "sans-serif"],
        font_mono=[gr.themes.Font("ui-monospace"), gr.themes.Font("DejaVu Sans Mono"), "monospace"],
    )
