"""A deterministic encoder for tests: hashed content-word and word-prefix features, no model, no torch.

Texts that share words get similar vectors, so retrieval over small corpora behaves sensibly,
and the same text always gets the same vector on every machine.
"""

from __future__ import annotations

import hashlib

import numpy as np

from qa.encoders.base import BatchEncoder
from qa.text.words import STOPWORDS, WORD, normalise

FAKE = "fake:hashed-words"


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if (value >> 63) & 1 else -1.0


class FakeEncoder(BatchEncoder):
    def __init__(self, dim: int = 256):
        self.dim = dim
        self.name = FAKE
        self.backend = "fake"

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in (normalise(w) for w in WORD.findall(text)) if w not in STOPWORDS]
            for w in words:
                for feature in (f"w:{w}", f"p:{w[:5]}"):
                    i, sign = _bucket(feature, self.dim)
                    out[row, i] += sign
            if not words:
                out[row, 0] = 1.0
        return out
