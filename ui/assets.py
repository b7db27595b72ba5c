"""CSS, the small click-to-passage script and a theme that loads nothing from the network."""

from __future__ import annotations

# Clicking [n] (in an answer, or in the sources index) opens that turn's sources and brings the
# passage into view. Event delegation on the document: works for HTML that arrives later.
HEAD = """
<style>
/* outside the app's container, so not in CSS (which Gradio scopes to it): a phone gets the width back */
@media (max-width: 640px) { .gradio-container > .main { padding: 8px 6px !important; } }
</style>
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
<script>
(function () {
  // Carry-out and keyboard. Python writes every string (ui/chat.py -> #qa-carry); this only moves them around.
  if (window.__qaCarry) return;
  window.__qaCarry = true;
  function carry() {
    var box = document.querySelector('#qa-carry textarea, #qa-carry input');
    try { return JSON.parse((box && box.value) || '{}'); } catch (e) { return {}; }
  }
  function question() { return document.querySelector('#qa-question textarea'); }
  window.qaAnswerMarkdown = function (turn) { return (carry().answers || [])[Number(turn)] || ''; };
  window.qaConversationMarkdown = function () { return carry().conversation || ''; };
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var t = document.createElement('textarea');
    t.value = text; t.style.position = 'fixed'; t.style.opacity = '0';
    document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } finally { document.body.removeChild(t); }
    return Promise.resolve();
  }
  window.qaCopyAnswer = function (turn, link) {
    var md = window.qaAnswerMarkdown(turn);
    if (!md) return Promise.resolve(false);
    return copyText(md).then(function () {
      if (link) { link.textContent = 'Copied ✓'; setTimeout(function () { link.textContent = 'Copy answer'; }, 2000); }
      return true;
    });
  };
  window.qaExport = function () {
    var md = window.qaConversationMarkdown();
    if (!md) return false;
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([md], {type: 'text/markdown;charset=utf-8'}));
    a.download = 'newsqa-conversation-' + new Date().toISOString().slice(0, 10) + '.md';
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    return true;
  };
  window.qaAfterAnswer = function (json) {
    var c = {};
    try { c = JSON.parse(json || '{}'); } catch (e) {}
    history.replaceState(null, '', location.pathname + (c.permalink || '') + location.hash);
    requestAnimationFrame(showAnswerStart);
    var q = question();
    if (q) q.focus({preventScroll: true});
  };
  function lastAnswer() {
    var all = document.querySelectorAll('#qa-chat .qa-answer');
    return all[all.length - 1];
  }
  function scroller(el) {
    var w = el && el.parentElement;
    while (w && w.id !== 'qa-chat' && !(w.scrollHeight > w.clientHeight + 4 && /auto|scroll/.test(getComputedStyle(w).overflowY))) w = w.parentElement;
    return w && w.id !== 'qa-chat' ? w : null;
  }
  function showAnswerStart() {  // the newest answer from its first line (a long one is read from the top, not its end)
    var last = lastAnswer(), w = scroller(last);
    if (w) w.scrollTop += last.getBoundingClientRect().top - w.getBoundingClientRect().top - 40;
  }
  window.qaShowAnswerStart = showAnswerStart;
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a.qa-copy') : null;
    if (!a) return;
    ev.preventDefault();
    ev.stopPropagation();
    window.qaCopyAnswer(a.getAttribute('data-turn'), a);
  }, true);
  document.addEventListener('keydown', function (ev) {
    var q = question();
    if (ev.key !== 'Escape' || !q || ev.target !== q) return;
    q.value = '';
    q.dispatchEvent(new Event('input', {bubbles: true}));
  });
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
#qa-corpus-line h2 { margin-bottom: 2px; }
.qa-tools { margin-top: 6px; font-size: 0.82em; }
a.qa-copy { color: #1d4ed8; text-decoration: none; border: 1px solid #bfdbfe; border-radius: 4px; padding: 1px 6px; }
a.qa-copy:hover { background: #dbeafe; }
.qa-outside { border-left: 4px solid #b45309; background: #ffedd5; color: #7c2d12; padding: 6px 10px; border-radius: 4px; font-weight: 600; }
.qa-suggestions { margin-top: 6px; border: 1px dashed #d6d3d1; border-radius: 6px; padding: 6px 10px; }
.qa-suggestions-head { font-size: 0.85em; font-weight: 600; }
.qa-suggestions ul { margin: 4px 0 0 0; padding-left: 18px; }
.qa-suggestions blockquote { margin: 2px 0 6px 0; padding-left: 8px; border-left: 2px solid #e7e5e4; opacity: 0.85; }
ol.qa-dated { list-style: none; padding-left: 0; margin: 2px 0; }
.qa-dated-entry { border-left: 3px solid #2563eb; padding: 2px 0 4px 10px; margin: 0 0 8px 4px; }
.qa-dated-entry .qa-date { font-family: var(--font-mono, monospace); font-weight: 700; margin-right: 4px; }
.qa-internals { font-size: 0.8em; margin-top: 4px; }
.qa-internals > summary { cursor: pointer; opacity: 0.6; }
@media (max-width: 640px) {  /* a phone: answer, question box, then the sources under them, then filters and examples */
  #qa-chat-row { flex-direction: column; flex-wrap: nowrap; }
  #qa-chat-col { display: contents; }
  #qa-chat-col > * { order: 4; }
  #qa-chat-col > #qa-chat { order: 1; height: 62vh !important; }
  #qa-chat-col > #qa-ask-row { order: 2; }
  #qa-sources-col { order: 3; min-width: 0 !important; width: 100%; }
  #qa-sources { max-height: none !important; }
  #qa-sources .html-container { max-height: 55vh !important; }
  #qa-chat .message-row { margin: 8px 2px !important; max-width: 100% !important; }
  #qa-chat .message { padding: 4px 6px !important; max-width: 100% !important; }
  .qa-src { padding: 6px 8px; }
}
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
