"""The Python API that the CLI and the UI both call: `Assistant(corpus=..., index=...).ask(question)`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.build import BuildReport, build_index
from qa.config import Settings, offline_env
from qa.models import Answer, Hit, Query
from qa.search.index import Index


class Assistant:
    """Answers questions over a corpus folder, keeping its index in step with the files."""

    def __init__(self, corpus: str | Path | None = None, index: str | Path | None = None, model: str | None = None,
                 settings: Settings | None = None, auto_index: bool = True, progress: bool = False):
        offline_env()
        self.settings = settings or Settings()
        if corpus is not None:
            self.settings.corpus = Path(corpus)
        if index is not None:
            self.settings.index = Path(index)
        if model is not None:
            self.settings.model = model
        self._encoder = None
        self._answerer = None
        self._lock = threading.RLock()
        self.index: Index | None = None
        self.last_report: BuildReport | None = None
        if auto_index:
            self.refresh(progress=progress)

    # ---- model and index
    @property
    def encoder(self):
        if self._encoder is None:
            from qa.encoders import encoder_for

            self._encoder = encoder_for(self.settings)
        return self._encoder

    @property
    def answerer(self):
        if self._answerer is None:
            from qa.answer import answerer_for

            self._answerer = answerer_for(self.settings, self._live().store, self.encoder)
        return self._answerer

    def refresh(self, progress: bool = False, on_progress: Callable[[int, int], None] | None = None) -> BuildReport:
        """Index what changed in the corpus folder; reload the live generation."""
        with self._lock:
            report = build_index(self.settings, lambda: self.encoder, progress=progress, on_progress=on_progress)
            if self.index is None or self.index.generation != report.generation:
                # the old generation is not closed here: a question in flight may still read it
                self.index = Index.load(self.settings.index, self.settings)
                self._answerer = None
            self.last_report = report
            return report

    def _live(self) -> Index:
        if self.index is None:
            self.refresh()
        assert self.index is not None
        return self.index

    def add_files(self, paths: list[str | Path], on_progress: Callable[[int, int], None] | None = None) -> BuildReport:
        """Copy files into the corpus folder under safe names, then index them."""
        from qa.corpus.uploads import copy_into_corpus

        rejected = copy_into_corpus(paths, Path(self.settings.corpus), self.settings.max_file_mb)
        report = self.refresh(on_progress=on_progress)
        report.warnings = rejected + report.warnings
        return report

    # ---- questions
    def query(self, question: str, since: str | None = None, until: str | None = None,
              source: str | list[str] | None = None, doc_ids: list[str] | None = None) -> Query:
        """The question analysed once: topic terms, names, period (read against the corpus' latest date), intent."""
        from qa.query.analyze import analyze

        sources = [source] if isinstance(source, str) else (source or [])
        latest = self._live().store.date_range()[1]
        return analyze(question, since, until, sources, doc_ids or (), dt.date.fromisoformat(latest) if latest else None)

    def retrieve(self, query: Query, k: int = 20, mode: str = "hybrid") -> tuple[np.ndarray, list[Hit]]:
        """The question's vector and its best passages (hybrid, or "dense" / "lexical" only)."""
        from qa.search.hybrid import Retriever

        qvec = self.encoder.encode([query.text])[0]
        with self._lock:
            return qvec, Retriever(self._live()).search(query.terms, qvec, k=k, filters=query.filters, mode=mode)

    def ask(self, question: str, k: int | None = None, since: str | None = None, until: str | None = None,
            source: str | list[str] | None = None, doc_ids: list[str] | None = None) -> Answer:
        if not (question or "").strip():
            return Answer(question or "", "Please ask a question.", True, [])
        query = self.query(question, since, until, source, doc_ids)
        k = k or self.settings.k
        answer = self._answer(query, k)
        answer.period = query.period.label if query.period else None
        if answer.abstained and query.period_from_question:
            # the date in the question may be when the event happened, not when it was reported
            from qa.query.analyze import without_period

            wider = self._answer(without_period(query), k)
            if not wider.abstained:
                wider.notes.append(f"No article dated {query.period.label} answers this; these articles from other dates do.")
                return wider
        if query.filters.active() and answer.abstained:
            answer.notes.append(f"searched only {answer.period or 'the filtered articles'}")
        return answer

    def _answer(self, query: Query, k: int) -> Answer:
        qvec, hits = self.retrieve(query, k=max(4 * k, 20))
        with self._lock:
            if query.chronological:
                from qa.answer.timeline import chronological_answer

                return chronological_answer(self.answerer, query, qvec, hits)
            return self.answerer.compose(query, qvec, hits, max_passages=max(k, 1))

    def search(self, question: str, k: int = 10, mode: str = "hybrid", **filters) -> list[dict]:
        """Ranked passages (no answer composition): chunk rows with their scores."""
        from dataclasses import asdict

        query = self.query(question, filters.get("since"), filters.get("until"), filters.get("source"), filters.get("doc_ids"))
        _, hits = self.retrieve(query, k=k, mode=mode)
        rows = self._live().store.chunks([h.chunk_id for h in hits])
        return [dict(asdict(rows[h.chunk_id]), score=h.score, dense=h.dense, lexical=h.lexical) for h in hits]

    def ask_many(self, questions: list[str], **filters) -> list[Answer]:
        return [self.ask(q, **filters) for q in questions]

    # ---- corpus
    def docs(self) -> list[dict]:
        return self._live().store.articles()

    def article(self, doc_id: str) -> dict | None:
        return self._live().store.article(doc_id)

    def sources(self) -> list[str]:
        return self._live().store.sources()
