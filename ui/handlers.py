"""The web app's callbacks: each calls `qa.api.Assistant`, catches its errors and says so briefly."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from pathlib import Path

from qa.config import Settings, offline_env
from qa.corpus.formats import DESCRIPTION, UPLOADABLE as UPLOAD_TYPES
from qa.text.calendar import parse_iso_date

offline_env()  # before gradio is imported: no telemetry, no hub

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from ui import render  # noqa: E402
from ui.chat import chat_messages  # noqa: E402

log = logging.getLogger("ui")
ALL_SOURCES = "All sources"
MAX_TURNS = 40
CONCURRENCY = Settings().concurrency  # $QA_CONCURRENCY: questions answered at once (default one per CPU: CPU-bound work)
TABLE_COLUMNS = ["doc_id", "title", "date", "date_method", "source", "passages"]


class RWLock:
    """Many readers (questions) or one writer (adding files): a question never sees an index being swapped."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextmanager
    def read(self):
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self):
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def check_date(value: str | None, label: str) -> str | None:
    return parse_iso_date(value, f"{label} date")


def source_filter(source: str | list | None) -> list[str] | None:
    if not source or source == ALL_SOURCES:
        return None
    return [source] if isinstance(source, str) else [s for s in source if s and s != ALL_SOURCES] or None


class Handlers:
    """The app's callbacks around one Assistant; every one catches its errors and says so briefly."""

    def __init__(self, assistant):
        self.a = assistant
        self.lock = RWLock()
        self.changes: dict[str, str] = {}  # generation -> what changed when it went live (corpus watcher)

    def index_changed(self, report) -> None:
        from ui.watch import change_note

        self.changes[report.generation] = change_note(report)

    def generation(self) -> str:
        return self.a.index.generation if self.a.index is not None else ""

    # ---- library calls
    def ask_dict(self, question: str, since=None, until=None, source=None, k: int | None = None,
                 history: list[str | dict] | None = None) -> dict:
        """An answer as a dict; `history`: the earlier turns' answers (dicts) or questions."""
        since, until = check_date(since, "From"), check_date(until, "To")
        history = [h for h in (history or []) if isinstance(h, dict) or isinstance(h, str) and h.strip()]
        with self.lock.read():
            return self.a.ask(question, k=k or None, since=since, until=until, source=source_filter(source), history=history).to_dict()

    def timeline_dicts(self, topic: str, since=None, until=None, source=None) -> list[dict]:
        since, until = check_date(since, "From"), check_date(until, "To")
        topic = (topic or "").strip()
        if not topic:
            return []
        from qa.answer.timeline import build_timeline

        with self.lock.read():
            entries = build_timeline(self.a, topic, since=since, until=until, source=source_filter(source))
        return [e.to_dict() for e in entries]

    def verify_dict(self, quote: str, speaker: str | None = None) -> dict:
        """A checked quotation, as `qa verify --json` prints it."""
        from qa.models import Verification

        if not (quote or "").strip():
            return Verification(quote or "", "", None, "not found", [], ["no quotation given"]).to_dict()
        with self.lock.read():
            return self.a.verify(quote, speaker=(speaker or "").strip() or None).to_dict()

    def article(self, doc_id: str) -> dict | None:
        try:
            return self.a.article(doc_id)
        except Exception:  # noqa: BLE001 - a missing article must not break the panel
            log.exception("article %s", doc_id)
            return None

    def source_choices(self) -> list[str]:
        try:
            return [ALL_SOURCES, *self.a.sources()]
        except Exception:  # noqa: BLE001
            log.exception("sources")
            return [ALL_SOURCES]

    def table(self) -> pd.DataFrame:
        rows = [
            [d["doc_id"], d.get("title") or "", d.get("date") or "undated", d.get("date_method") or "", d.get("source") or "", d.get("n_chunks") or 0]
            for d in self.a.docs()
        ]
        return pd.DataFrame(rows, columns=TABLE_COLUMNS)

    def examples(self) -> list[str]:
        """Example questions drawn from the corpus."""
        from qa.catalog import example_questions

        try:
            return example_questions(self.a.index.store)
        except Exception:  # noqa: BLE001 - examples are a nicety: never break the page for them
            log.exception("examples")
            return ["What do the articles report?"]

    # ---- chat
    def respond(self, message, turns, since, until, source, standalone: bool = False):
        turns = list(turns or [])
        message = (message or "").strip()
        if not message:
            return gr.update(), gr.update(), turns, gr.update()
        condensed = message
        turn = {"question": message, "condensed": condensed, "answer": None}
        try:
            earlier = [] if standalone else [t.get("answer") or t["condensed"] for t in turns]
            turn["answer"] = self.ask_dict(message, since, until, source, history=earlier)
            turn["condensed"] = condensed = turn["answer"].get("asked") or message
        except ValueError as exc:  # a bad filter: say which
            turn["error"] = str(exc)
        except Exception:  # noqa: BLE001
            log.exception("ask %r", condensed)
            turn["error"] = "Something went wrong while answering. Please try again."
        turn["generation"] = self.generation()
        if turns and turn["answer"] and turns[-1].get("generation") not in (None, turn["generation"]):
            turn["answer"]["notes"].insert(0, self.changes.get(turn["generation"], "The index changed since the previous answer."))
        turns = (turns + [turn])[-MAX_TURNS:]
        return "", chat_messages(turns), turns, render.sources_html(turns, self.article)

    def clear(self):
        return "", [], [], render.sources_html([], self.article)

    # ---- timeline
    def timeline_view(self, topic, since, until, source):
        """The Timeline tab: the chart of statements per period and the statements (ui/timeline_chart.py)."""
        from ui.timeline_chart import timeline_view

        return timeline_view(self, topic, since, until, source)

    # ---- verify
    def verify_view(self, quote, speaker):
        try:
            return render.verify_html(self.verify_dict(quote, speaker))
        except Exception:  # noqa: BLE001
            log.exception("verify %r", quote)
            return '<div class="qa-error">Something went wrong while checking the quotation. Please try again.</div>'

    # ---- corpus
    def show_article(self, doc_id):
        doc_id = (doc_id or "").strip()
        if not doc_id:
            return render.article_html(None)
        art = self.article(doc_id)
        if art is None:
            return f'<div class="qa-error">No article with doc_id “{render.esc(doc_id)}”.</div>'
        return render.article_html(art)

    def select_row(self, evt: gr.SelectData):
        try:
            row = evt.row_value or []
            doc_id = str(row[0]) if row else ""
        except Exception:  # noqa: BLE001
            doc_id = ""
        return gr.update(value=doc_id), self.show_article(doc_id)

    def refresh_all(self):
        choices = self.source_choices()
        docs = self.a.docs()
        return (
            self.table(),
            gr.update(choices=[d["doc_id"] for d in docs]),
            gr.update(choices=choices),
            gr.update(choices=choices),
            corpus_summary(docs),
        )

    def add_files(self, files, progress=gr.Progress()):
        paths = [str(f if isinstance(f, (str, Path)) else getattr(f, "name", f)) for f in files or []]
        if not paths:
            return ("Choose one or more .txt, .csv or .jsonl files first.", gr.update(), *self.refresh_all())
        bad = [Path(p).name for p in paths if Path(p).suffix.lower() not in UPLOAD_TYPES]
        if bad:
            msg = f"Not added: {', '.join(bad)}. Only {DESCRIPTION} files can be added; nothing was changed."
            gr.Warning(msg)
            remove_uploads(paths)
            return (f"**Refused.** {msg}", gr.update(), *self.refresh_all())
        from qa.corpus.uploads import safe_filename

        new_names = [safe_filename(Path(p).name) for p in paths]
        progress(0, desc="Reading the files")
        before = {d["doc_id"] for d in self.a.docs()}
        try:
            with self.lock.write():
                report = self.a.add_files(paths, on_progress=lambda done, total: progress((done, max(total, 1)), desc="Embedding passages"))
                skipped = [w for w in report.warnings if any(w.startswith(n + ": skipped") for n in new_names)]
        except ValueError as exc:
            gr.Warning(str(exc))
            return (f"**Refused.** {render.esc(exc)}", gr.update(), *self.refresh_all())
        except Exception:  # noqa: BLE001
            log.exception("add_files %s", paths)
            gr.Warning("Adding the files failed.")
            return ("**Error.** Adding the files failed; see the server log.", gr.update(), *self.refresh_all())
        finally:
            remove_uploads(paths)
        added = [d for d in self.a.docs() if d["doc_id"] not in before]
        lines = []
        if added:
            lines.append(f"**Added {len(added)} article(s)**, searchable now: " + "; ".join(f"`{d['doc_id']}` {render.esc(d['title'])}" for d in added[:20]))
        changed = [d for d in self.a.docs() if d["doc_id"] in set(report.changed)]
        if changed:
            lines.append(f"**Updated {len(changed)} article(s):** " + "; ".join(f"`{d['doc_id']}` {render.esc(d['title'])}" for d in changed[:20]))
        if not added and not changed and not skipped:
            lines.append("No new article: the file(s) were already in the corpus.")
        for w in skipped:
            lines.append(f"**Not added:** {render.esc(w)}")
        for w in report.warnings:
            if w not in skipped and any(n in w for n in new_names):
                lines.append(f"**Warning:** {render.esc(w)}")
        if skipped:
            gr.Warning("Some files could not be read; they were not added.")
        return ("\n\n".join(lines), gr.update(value=None), *self.refresh_all())


def remove_uploads(paths: list[str]) -> None:
    """Delete the app's temporary copies of uploaded files (copied into the corpus, or refused)."""
    import contextlib
    import tempfile

    tmp = Path(tempfile.gettempdir()).resolve()
    for p in map(Path, paths):
        if tmp in p.resolve().parents:  # only files the upload put in the temp folder
            with contextlib.suppress(OSError):
                p.unlink()


def corpus_summary(docs: list[dict]) -> str:
    dates = sorted(d["date"] for d in docs if d.get("date"))
    span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
    passages = sum(int(d.get("n_chunks") or 0) for d in docs)
    return f"**{len(docs)} articles**, {passages} passages{span}. Click a row to read an article."
