"""The Python API that the CLI and the UI both call: `Assistant(corpus=..., index=...).ask(question)`."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from qa.config import Settings, offline_env
from qa.index import BuildReport, Index, build_index
from qa.models import Answer

CHRONOLOGICAL = re.compile(
    r"\b(?:how\s+(?:did|has|have|does)\b.*\b(?:change|changed|evolve|evolved|shift|shifted|develop|developed)"
    r"|over\s+time|compare|comparison|timeline|chronolog\w*)\b",
    re.IGNORECASE,
)


class Assistant:
    """Answers questions over a corpus folder, keeping its index in step with the files."""

    def __init__(
        self,
        corpus: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        settings: Settings | None = None,
        auto_index: bool = True,
        progress: bool = False,
    ):
        offline_env()
        self.settings = settings or Settings()
        if corpus is not None:
            self.settings.corpus = Path(corpus)
        if index is not None:
            self.settings.index = Path(index)
        if model is not None:
            self.settings.model = model
        self._encoder = None
        self._composer = None
        self._lock = threading.RLock()
        self.index: Index | None = None
        self.last_report: BuildReport | None = None
        if auto_index:
            self.refresh(progress=progress)

    # ---- model and index
    @property
    def encoder(self):
        if self._encoder is None:
            from qa.embed import encoder_for

            self._encoder = encoder_for(self.settings)
        return self._encoder

    def refresh(self, progress: bool = False, on_progress: Callable[[int, int], None] | None = None) -> BuildReport:
        """Index what changed in the corpus folder; reload the live generation."""
        with self._lock:
            report = build_index(self.settings, lambda: self.encoder, progress=progress, on_progress=on_progress)
            if self.index is None or self.index.manifest.get("generation") != report.generation:
                # the old generation is not closed here: a question in flight may still read it
                self.index = Index.load(self.settings.index)
                self._composer = None
            self.last_report = report
            return report

    @property
    def composer(self):
        if self._composer is None:
            from qa.answer import Composer

            self._composer = Composer(self._require_index().store, self.encoder)
        return self._composer

    def _require_index(self) -> Index:
        if self.index is None:
            self.refresh()
        assert self.index is not None
        return self.index

    def add_files(self, paths: list[str | Path], on_progress: Callable[[int, int], None] | None = None) -> BuildReport:
        """Copy files into the corpus folder under safe names, then index them."""
        from qa.ingest import TABLE_SUFFIXES, TEXT_SUFFIXES, read_table, read_text_file

        corpus = Path(self.settings.corpus)
        max_chars = int(self.settings.max_file_mb * 250_000)
        good, rejected = [], []
        for p in map(Path, paths):
            if p.suffix.lower() not in TEXT_SUFFIXES | TABLE_SUFFIXES:
                raise ValueError(f"{p.name}: only .txt, .csv and .jsonl files can be added; nothing was changed")
            name = safe_filename(p.name)
            warnings: list[str] = []
            if p.suffix.lower() in TEXT_SUFFIXES:
                found = [a for a in [read_text_file(p, warnings, max_chars)] if a]
            else:
                found = list(read_table(p, warnings, max_chars))
            if found:
                good.append((p, name))
            else:  # read it before copying: a file without an article never enters the corpus
                rejected.extend(w.replace(p.name, name, 1) for w in warnings or [f"{p.name}: skipped, no article found"])
        if not good:
            raise ValueError("; ".join(rejected) + "; nothing was changed")
        corpus.mkdir(parents=True, exist_ok=True)
        for p, name in good:
            shutil.copyfile(p, corpus / name)
        report = self.refresh(on_progress=on_progress)
        report.warnings = rejected + report.warnings
        return report

    # ---- questions
    def ask(
        self,
        question: str,
        k: int | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | list[str] | None = None,
        doc_ids: list[str] | None = None,
    ) -> Answer:
        from qa.retrieve import Filters

        question = (question or "").strip()
        if not question:
            return Answer(question, "Please ask a question.", True, [])
        filters, period = self._filters(question, since, until, source, doc_ids)
        qvec = self.encoder.encode([question])[0]
        k = k or self.settings.k
        chronological = bool(CHRONOLOGICAL.search(question))
        answer = self._answer(question, qvec, k, filters, chronological)
        answer.period = period
        if answer.abstained and period and not (since or until):
            # the date in the question may be when the event happened, not when it was reported
            wider = self._answer(question, qvec, k, Filters(sources=filters.sources, doc_ids=filters.doc_ids), chronological)
            if not wider.abstained:
                wider.notes.append(f"No article dated {period} answers this; these articles from other dates do.")
                wider.period = None
                return wider
        if filters.active() and answer.abstained:
            answer.notes.append(f"searched only {period or 'the filtered articles'}")
        return answer

    def _answer(self, question, qvec, k, filters, chronological) -> Answer:
        from qa.retrieve import Retriever

        with self._lock:
            hits = Retriever(self._require_index()).search(question, qvec, k=max(4 * k, 20), filters=filters)
            if chronological:
                from qa.timeline import chronological_answer

                return chronological_answer(self, question, qvec, hits)
            return self.composer.compose(question, qvec, hits, max_passages=max(k, 1))

    def _filters(self, question, since, until, source, doc_ids):
        from qa.intent import parse_date_intent
        from qa.retrieve import Filters

        sources = tuple([source] if isinstance(source, str) else (source or ()))
        period = None
        if since or until:
            period = f"{since or 'the beginning'} to {until or 'now'}"
        else:
            latest = self._require_index().store.date_range()[1]
            ref = dt.date.fromisoformat(latest) if latest else None
            intent = parse_date_intent(question, ref)
            if intent:
                since, until, period = intent.since, intent.until, intent.label
        return Filters(since, until, sources, tuple(doc_ids or ())), period

    def search(self, question: str, k: int = 10, mode: str = "hybrid", **filters) -> list[dict]:
        """Ranked passages (no answer composition): chunk rows with their scores."""
        from qa.retrieve import Retriever

        index = self._require_index()
        f, _ = self._filters(question, filters.get("since"), filters.get("until"), filters.get("source"), filters.get("doc_ids"))
        qvec = self.encoder.encode([question])[0]
        hits = Retriever(index).search(question, qvec, k=k, filters=f, mode=mode)
        rows = index.store.chunks([h.chunk_id for h in hits])
        return [dict(rows[h.chunk_id], score=h.score, dense=h.dense, lexical=h.lexical) for h in hits]

    def ask_many(self, questions: list[str], **filters) -> list[Answer]:
        return [self.ask(q, **filters) for q in questions]

    # ---- corpus
    def docs(self) -> list[dict]:
        return self._require_index().store.articles()

    def article(self, doc_id: str) -> dict | None:
        return self._require_index().store.article(doc_id)

    def sources(self) -> list[str]:
        return self._require_index().store.sources()


def safe_filename(name: str) -> str:
    """A file name that cannot leave the corpus folder or hide: letters, digits, dot, dash, underscore."""
    base = Path(name.replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    stem = re.sub(r"[^\w\-]+", "_", stem if dot else base).strip("._") or "upload"
    return f"{stem[:100]}.{re.sub(r'[^A-Za-z0-9]', '', suffix).lower()}" if dot else stem[:100]
