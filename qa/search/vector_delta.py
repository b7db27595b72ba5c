"""A FAISS generation saved as a hard link to the last full vectors file plus what changed since (ids and vectors
added, ids removed; cumulative): an update writes kilobytes instead of the whole index, and the linked file keeps
its recorded checksums. Above `DELTA_MAX` of the vectors the store writes a new full file instead."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

DELTA = "vectors.delta.npz"
DELTA_MAX = 0.05  # a delta above this share of the vectors is folded into a new full file


def apply(index, path: Path) -> tuple[dict[int, None], set[int]]:
    """Apply the delta saved at `path` (if any) to the full index read before it: the ids added and removed since."""
    if not path.is_file():
        return {}, set()
    with np.load(path) as d:
        ids, vectors, removed = d["ids"].astype(np.int64), d["vectors"].astype(np.float32), set(d["removed"].tolist())
    if removed:  # first: an id removed and then used again is in both
        index.remove_ids(np.asarray(sorted(removed), dtype=np.int64))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors), ids)
    return dict.fromkeys(ids.tolist()), removed


def write(target: Path, base: Path | None, index, added: dict[int, None], removed: set[int]) -> bool:
    """Link `base` (the full file the index was read from) as `target` and write the delta beside it; False, with
    nothing written, when there is no base, the delta is too large or the file system cannot link."""
    if base is None or len(added) + len(removed) > DELTA_MAX * max(1, index.ntotal):
        return False
    try:
        os.link(base, target)  # never written again: every save writes into a new folder
    except OSError:
        return False
    ids = np.fromiter(added, dtype=np.int64, count=len(added))
    vectors = np.vstack([index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, index.d), np.float32)
    with open(Path(target).parent / DELTA, "wb") as fh:
        np.savez(fh, ids=ids, vectors=vectors.astype(np.float32), removed=np.asarray(sorted(removed), dtype=np.int64))
    return True
