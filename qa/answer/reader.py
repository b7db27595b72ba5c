"""The `Reader` seam: how likely a passage is to answer a question, read together (a cross-encoder), not as two vectors.

`OnnxReader` runs the int8 cross-encoder shipped beside this file (fine-tuned from the bundled all-MiniLM-L6-v2
weights on the third-party train split by bench/train_reader.py); `OverlapReader` is the deterministic stand-in for
tests and for a package without the model file. Either one's score is a feature of the fitted scorer.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.encoders.onnx import token_feed

HERE = Path(__file__).resolve().parent
MODEL = HERE / "reader.onnx"
TOKENIZER = HERE / "reader_tokenizer.json"
MAX_LENGTH = 160


class Reader(Protocol):
    name: str

    def score(self, question: str, passages: list[tuple[str, str]]) -> np.ndarray:
        """For each (title, text), the probability that it answers the question."""


def passage_text(title: str, text: str) -> str:
    """What a reader reads of a passage: its title (when it has one), then its text."""
    return f"{title}. {text}" if title and not text.startswith(title) else text


class OnnxReader:
    def __init__(self, model: Path = MODEL, tokenizer: Path = TOKENIZER):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = opts.inter_op_num_threads = 1  # one question per CPU (qa.config concurrency)
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(MAX_LENGTH, strategy="only_second")
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0)
        self.name = f"cross-encoder:{model.name}"

    def score(self, question: str, passages: list[tuple[str, str]]) -> np.ndarray:
        if not passages:
            return np.zeros(0)
        enc = self.tokenizer.encode_batch([(question, passage_text(t, x)) for t, x in passages])
        logits = self.session.run(None, token_feed(enc))[0].reshape(-1)
        return 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))


class OverlapReader:
    """Share of the question's longer words the passage contains, squashed: deterministic, no model."""

    name = "overlap"

    def score(self, question: str, passages: list[tuple[str, str]]) -> np.ndarray:
        words = {w for w in re.findall(r"\w{4,}", question.lower())}
        out = []
        for title, text in passages:
            have = set(re.findall(r"\w{4,}", passage_text(title, text).lower()))
            share = len(words & have) / len(words) if words else 0.0
            out.append(1.0 / (1.0 + math.exp(-6.0 * (share - 0.5))))
        return np.asarray(out, dtype=np.float64)


class NoReader:
    """No reading at all ("off"): the answerer then uses the scorer fitted without the reader's features."""

    name = "off"

    def score(self, question: str, passages: list[tuple[str, str]]) -> np.ndarray:
        return np.zeros(0)


READERS = ("auto", "overlap", "off")


def load_reader(kind: str = "auto") -> Reader:
    """"auto": the shipped cross-encoder (the overlap stand-in if a source checkout lacks its file); "overlap": no model;
    "off": nothing read (about 55 ms less per question at 40k passages, answers a little worse: BENCHMARKS.md)."""
    if kind not in READERS:
        raise ValueError(f"unknown reader {kind!r}; choose one of {list(READERS)}")
    if kind == "off":
        return NoReader()
    if kind == "auto" and MODEL.exists() and TOKENIZER.exists():
        return OnnxReader()
    return OverlapReader()
