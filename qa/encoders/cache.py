"""Embeddings by content hash, shared by every index generation: re-indexing embeds only new text."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def embedding_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")

    def get(self, keys: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT key, vec FROM emb WHERE key IN ({q})", part).fetchall())
        return out

    def put(self, items: list[tuple[str, bytes]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)", items)
        self.db.commit()

    def close(self) -> None:
        self.db.close()
