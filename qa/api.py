"""The Python API that the CLI and the UI both call: `Assistant(corpus=..., index=...).ask(question)`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.build import BuildReport, build_index
from qa.config import Settings, offline_env
from qa.models import Answer, Hit, Query, Verification
from qa.search.generations import DamagedIndex, quarantine, read_manifest
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

    def refresh(self, progress: bool = False, on_progress: Callable[[int, int], None] | None = None, rebuild: bool = False) -> BuildReport:
        """Index what changed in the corpus folder (everything with `rebuild`); reload the live generation."""
        with self._lock:
            report = build_index(self.settings, lambda: self.encoder, progress=progress, on_progress=on_progress, rebuild=rebuild)
            if self.index is None or self.index.generation != report.generation:
                # the old generation is not closed here: a question in flight may still read it
                try:
                    self.index = Index.load(self.settings.index, self.settings)
                except DamagedIndex as exc:  # passed the size checks, yet unreadable: move it aside, build again
                    quarantine(self.settings.index, read_manifest(self.settings.index))
                    report = build_index(self.settings, lambda: self.encoder, progress=progress, on_progress=on_progress)
                    report.warnings.insert(0, f"the index in {self.settings.index} was damaged ({exc}); rebuilt from the corpus")
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

        rejected = copy_into_corpus(paths, Path(self.settings.corpus), self.settings.max_file_mb, self.settings.max_upload_mb)
        report = self.refresh(on_progress=on_progress)
        report.warnings = rejected + report.warnings
        return report

    # ---- questions
    def query(self, question: str, since: str | None = None, until: str | None = None,
              source: str | list[str] | None = None, doc_ids: list[str] | None = None, respell: bool = True) -> Query:
        """The question analysed once: topic terms, names, period (read against the corpus' latest date), intent; a word
        the articles never write read as the one they write a typing slip away (`respell`, qa.query.spelling)."""
        from qa.query.analyze import analyze
        from qa.query.spelling import respell as respelled
        from qa.search.hybrid import match_any
        from qa.text.speaker_names import surname

        sources = [source] if isinstance(source, str) else (source or [])
        store = (index := self._live()).store
        first, latest = (dt.date.fromisoformat(d) if d else None for d in store.date_range())
        end = store.archive_end()  # set when the archive is mostly dated: only then is a year asked about when they were published
        return analyze(question, since, until, sources, doc_ids or (), latest, store.aliases(), lambda p: store.doc_freq(match_any([p])),
                       first, corpus_dated=end is not None, published_within=store.published_within,
                       archive_end=dt.date.fromisoformat(end) if end else None, quoted=lambda w: surname(w) in index.surname_spellings,
                       respell=(lambda q: respelled(q, store)) if respell else None, outlets=store.sources())

    def retrieve(self, query: Query, k: int = 20, mode: str = "hybrid") -> tuple[np.ndarray, list[Hit]]:
        """The question's vector and its best passages (hybrid, or "dense" / "lexical" only)."""
        from qa.search.hybrid import Retriever

        qvec = self.encoder.encode_query([query.text])[0]
        with self._lock:  # only to take the live generation: searches run side by side (a swapped one stays open)
            index = self._live()
        return qvec, Retriever(index).search(query.lexical_terms(), qvec, k=k, filters=query.filters, mode=mode,
                                             speaker=query.speaker)

    def ask(self, question: str, k: int | None = None, since: str | None = None, until: str | None = None,
            source: str | list[str] | None = None, doc_ids: list[str] | None = None, history: list[str] | None = None,
            respell: bool = True) -> Answer:
        """Answer a question; `history`: the conversation's earlier questions or answers, oldest first (qa.answer.flow);
        `respell` False: exactly as written (no word read as the articles spell it)."""
        from qa.answer.flow import answer_in_conversation, answer_query

        if not (question or "").strip():
            return Answer(question or "", "Please ask a question.", True, [])
        followup = self.rewrite(question, history)
        query, k = replace(self.query(followup.text, since, until, source, doc_ids, respell), typed=question), k or self.settings.k
        answer = answer_in_conversation(self, query, k, history) or answer_query(self, query, k)
        answer.question, answer.asked = question, answer.asked or query.text
        answer.notes += ["from the conversation: " + "; ".join(followup.carried)] if followup.carried else []
        return answer

    def rewrite(self, question: str, history: list[str] | None):
        """The question made stand-alone with its conversation (period, speaker and topic carried over)."""
        from qa.query.followup import rewrite

        index = self._live()
        latest = index.store.date_range()[1]
        return rewrite(question, history or [], dt.date.fromisoformat(latest) if latest else None, speakers=index.speaker_names)

    def search(self, question: str, k: int = 10, mode: str = "hybrid", respell: bool = True, **filters) -> list[dict]:
        """Ranked passages (no answer composition): chunk rows with their scores."""
        query = self.query(question, *(filters.get(f) for f in ("since", "until", "source", "doc_ids")), respell=respell)
        _, hits = self.retrieve(query, k=k, mode=mode)
        rows = self._live().store.chunks([h.chunk_id for h in hits])
        return [dict(rows[h.chunk_id].to_dict(), score=h.score, dense=h.dense, lexical=h.lexical) for h in hits]

    def ask_many(self, questions: list[str], **filters) -> list[Answer]:
        return [self.ask(q, **filters) for q in questions]

    def verify(self, quote: str, speaker: str | None = None) -> Verification:
        """Check a quotation: where it appears (by date), verbatim or how it differs, and who says it there."""
        from qa.answer.verify import verify_quote

        with self._lock:
            index = self._live()
        return verify_quote(index, self.encoder, quote, speaker)

    # ---- corpus
    def docs(self) -> list[dict]:
        return self._live().store.articles()

    def article(self, doc_id: str) -> dict | None:
        return self._live().store.article(doc_id)

    def sources(self) -> list[str]:
        return self._live().store.sources()
