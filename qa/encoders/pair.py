"""Two models, one job each: one finds the passages (its vectors fill the vector store), the other reads them (each
sentence's vector, which the answer scorer and the quote choice compare with the question).

Measured (BENCHMARKS.md): multilingual-e5-small finds the answering paragraph more often than all-MiniLM-L6-v2, but
the scorer fitted on e5's cosines tells answerable questions from the others worse than on MiniLM's; so by default
e5 retrieves and MiniLM reads (e5 in int8 unless QA_PRECISION=fp32).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


class PairEncoder:
    def __init__(self, retrieval, sentences):
        self.retrieval = retrieval
        self.sentences = sentences
        self.name = f"{retrieval.name}{'@int8' if getattr(retrieval, 'precision', '') == 'int8' else ''}+{sentences.name}"
        self.dim = retrieval.dim
        self.backend = retrieval.backend
        self.precision = getattr(retrieval, "precision", "fp32")
        self._asked: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Passages, as the vector store holds them."""
        return self.retrieval.encode(texts, batch_size, progress)

    def encode_query(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Questions, to search the vector store."""
        return self.retrieval.encode_query(texts, batch_size)

    def encode_spans(
        self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """The passages' vectors by the retrieval model, their sentences' by the reading model (one pass each)."""
        _, sentence_vectors = self.sentences.encode_spans(texts, spans, batch_size)
        return self.retrieval.encode(texts, batch_size, progress), sentence_vectors

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Sentences on their own, as the stored sentence vectors are made."""
        return self.sentences.encode(texts)

    def sentence_query(self, text: str, qvec: np.ndarray) -> np.ndarray:
        """The question as the reading model sees it (`qvec` is the retrieval model's); the last few kept, as one
        question is scored more than once (a timeline, a follow-up)."""
        if text not in self._asked:
            if len(self._asked) >= 64:
                self._asked.pop(next(iter(self._asked)))
            self._asked[text] = self.sentences.encode_query([text])[0]
        return self._asked[text]
