"""Pick the FAISS index for the corpus size: exact search while it is fast enough, IVF above.

Both keep ids (so updates and deletes work: IVF removes by id, unlike HNSW) and both take an
IDSelector for filters. IVF keeps its vectors as float16 (a query scans half the bytes, and the scan is
memory-bound: about 2x faster; inner products move by ~1e-4). Its `nprobe` is calibrated at build time
against exact search on the corpus' own vectors, to the smallest value (within 1/16) whose recall@10 reaches
the target. HNSW (M 32) was measured and rejected: on the benchmark's data (BENCHMARKS.md, "Scale") it
reached recall@10 0.79 at efSearch 512 at 100k passages, and it cannot remove vectors.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from qa.search import vector_delta

RECALL_TARGET = 0.98
FILE = "vectors.faiss"
FILTER_SCAN = 1_000  # IVF with a filter: enough lists probed to hold this many allowed vectors (expected), k hits
EXACT_COST = 30  # reading one vector by id costs about as much as scanning 30 in a list (measured at 300k and 1M)
_SAVED: dict[tuple, tuple] = {}  # what this process last saved, by its files' stamps: loaded without reading it back


def _faiss():
    import faiss

    return faiss


def kind(index) -> str:
    faiss = _faiss()
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
    return "ivf" if isinstance(faiss.downcast_index(inner), faiss.IndexIVF) else "flat"


def flat(dim: int):
    faiss = _faiss()
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def ivf(vectors: np.ndarray, ids: np.ndarray, seed: int = 0):
    """An IVF index over the vectors (inner product, stored as float16), trained on a sample."""
    faiss = _faiss()
    n, dim = vectors.shape
    nlist = min(int(2 ** round(math.log2(4 * math.sqrt(n)))), max(1, n // 16))  # >= 16 training points per list
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    index.by_residual = False  # the vectors themselves, not their offsets from a centre: fp16 needs no training
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(n, size=min(n, 40 * nlist), replace=False)]
    index.train(np.ascontiguousarray(sample))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by id
    index.add_with_ids(np.ascontiguousarray(vectors), ids.astype(np.int64))
    return index


def ids_of(index) -> np.ndarray:
    """The ids stored in a flat IDMap2 or an IVF index."""
    faiss = _faiss()
    if isinstance(index, faiss.IndexIDMap2):
        return faiss.vector_to_array(index.id_map).astype(np.int64)
    ivf_index = faiss.extract_index_ivf(index)
    lists = ivf_index.invlists
    parts = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy() for i in range(ivf_index.nlist) if lists.list_size(i)]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def all_vectors(index) -> tuple[np.ndarray, np.ndarray]:
    """Every (id, vector) pair."""
    faiss = _faiss()
    ids = ids_of(index)
    if isinstance(index, faiss.IndexIDMap2):
        return ids, index.index.reconstruct_n(0, index.ntotal)
    return ids, index.reconstruct_batch(ids) if len(ids) else np.zeros((0, index.d), np.float32)


def right_size(index, flat_max: int):
    """Switch between flat and IVF when the corpus crosses the threshold (with hysteresis)."""
    n = index.ntotal
    if kind(index) == "flat" and n > flat_max:
        ids, vecs = all_vectors(index)
        return ivf(vecs, ids)
    if kind(index) == "ivf" and n < flat_max // 2:
        ids, vecs = all_vectors(index)
        out = flat(index.d)
        out.add_with_ids(vecs, ids)
        return out
    return index


def probe_queries(index, n: int = 200, noise: float = 0.2, seed: int = 0) -> np.ndarray:
    """Query-like vectors: stored vectors, perturbed and re-normalised.

    The noise is large (cosine ~0.25 to the source vector) on purpose: real questions lie farther from any
    passage than lightly perturbed passages do, and calibrating on near copies picked an nprobe whose recall
    on the eval questions was 0.96 instead of 0.98 (tests/test_ann.py).
    """
    rng = np.random.default_rng(seed)
    ids = ids_of(index)
    picks = rng.choice(ids, size=min(n, len(ids)), replace=False)
    q = np.vstack([index.reconstruct(int(i)) for i in picks]).astype(np.float32)
    q += rng.normal(0, noise, q.shape).astype(np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def calibrate_nprobe(index, queries: np.ndarray, k: int = 10, target: float = RECALL_TARGET) -> tuple[int, float]:
    """Smallest nprobe (within 1/16) whose recall@k against exact search reaches the target, and that recall.

    Doubling finds the first power of two that reaches it; bisection then narrows down from the power below
    (recall never falls as nprobe grows: more lists are a superset), so the margin above the target stays small.
    """
    if kind(index) != "ivf":
        return 0, 1.0
    faiss = _faiss()
    nlist = faiss.extract_index_ivf(index).nlist
    exact = _exact_topk(index, queries, k)

    def recall_at(nprobe: int) -> float:
        _, got = index.search(queries, k, params=faiss.SearchParametersIVF(nprobe=nprobe))
        return float(np.mean([len(set(a) & set(b)) / len(set(b)) for a, b in zip(got, exact)]))

    low, high = 0, 1
    while high < nlist and (recall := recall_at(high)) < target:
        low, high = high, min(2 * high, nlist)
    best = (high, recall if high < nlist else 1.0)
    while high - low > max(1, high // 16):
        mid = (low + high) // 2
        if (recall := recall_at(mid)) >= target:
            high, best = mid, (mid, recall)
        else:
            low = mid
    return best


def _exact_topk(index, queries: np.ndarray, k: int) -> np.ndarray:
    faiss = _faiss()
    ivf_index = faiss.extract_index_ivf(index)
    _, got = index.search(queries, k, params=faiss.SearchParametersIVF(nprobe=ivf_index.nlist))
    return got


def selector(allowed: list[int] | None):
    """The allowed ids as an IDSelector: a bitmap when they are dense (built 10x faster than a hash set), else a set."""
    if allowed is None:
        return None
    faiss, ids = _faiss(), np.fromiter(allowed, dtype=np.int64, count=len(allowed))
    if ids.min() >= 0 and ids.max() < 64 * len(ids):  # the bitmap is at most 8 bytes per allowed id
        bits = np.zeros(int(ids.max()) + 1, dtype=bool)
        bits[ids] = True
        return faiss.IDSelectorBitmap(np.packbits(bits, bitorder="little"))
    return faiss.IDSelectorBatch(ids)


def search_params(index, selector=None, nprobe: int = 0):
    faiss = _faiss()
    if kind(index) == "ivf":
        return faiss.SearchParametersIVF(sel=selector, nprobe=nprobe or 16)
    return faiss.SearchParameters(sel=selector) if selector is not None else None


@contextlib.contextmanager
def one_thread(faiss) -> Iterator[None]:
    """FAISS on one OpenMP thread (the setting is per calling thread: concurrent searches each run on one)."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _stamp(path: Path) -> tuple[int, int, int, int]:
    """A file's identity and version: kept by a rename of its folder, changed by any write."""
    try:
        st = path.stat()
    except OSError:
        return (0, 0, 0, 0)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def describe(index, nprobe: int = 0) -> str:
    if kind(index) == "ivf":
        faiss = _faiss()
        inner = faiss.downcast_index(faiss.extract_index_ivf(index))
        codes = "SQfp16" if isinstance(inner, faiss.IndexIVFScalarQuantizer) else "Flat"
        return f"IVF{inner.nlist},{codes},IP nprobe={nprobe}"
    return "IDMap2,Flat,IP"


class FaissStore:
    """The `VectorStore` on FAISS: exact inner product up to `flat_max` vectors, IVF above, ids kept, filters inside."""

    def __init__(self, index, nprobe: int = 0, flat_max: int = 200_000, base: Path | None = None,
                 added: dict[int, None] | None = None, removed: set[int] | None = None):
        self.index = index
        self.nprobe = nprobe
        self.recall = 1.0
        self.flat_max = flat_max
        self.base = base if kind(index) == "flat" else None  # the full file the vectors were read from, if any
        self.added = added or {}  # ids not in the base file (in the order added)
        self.removed = removed or set()  # ids of the base file no longer here

    @classmethod
    def create(cls, dim: int, flat_max: int = 200_000) -> FaissStore:
        return cls(flat(dim), flat_max=flat_max)

    @classmethod
    def load(cls, folder: Path, info: dict, flat_max: int = 200_000) -> FaissStore:
        """The store saved in a folder: the object this process just saved there, if it did (once), else the files
        (the full vectors, then the delta written since, when there is one)."""
        path, delta = Path(folder) / FILE, Path(folder) / vector_delta.DELTA
        saved = _SAVED.pop((_stamp(path), _stamp(delta)), None)
        if saved is None:
            index = _faiss().read_index(str(path))
            saved = (index, *vector_delta.apply(index, delta))
        return cls(saved[0], int(info.get("nprobe", 0)), flat_max, path, saved[1], saved[2])

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
            self.added.update(dict.fromkeys(int(i) for i in ids))

    def remove(self, ids: list[int]) -> None:
        if ids:
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))
            for i in map(int, ids):
                if self.added.pop(i, 0) is not None:  # not added since the base file: one of its vectors
                    self.removed.add(i)

    def search(self, query: np.ndarray, k: int, allowed: list[int] | None = None) -> list[tuple[int, float]]:
        """(id, inner product) of the k nearest vectors, only among `allowed` ids when given."""
        if self.index.ntotal == 0 or allowed == [] or k <= 0:
            return []
        faiss, nprobe = _faiss(), self.nprobe
        if allowed is not None and kind(self.index) == "ivf":  # more lists for a small filter; exact when cheaper
            nlist = faiss.extract_index_ivf(self.index).nlist
            nprobe = min(nlist, max(nprobe, math.ceil(FILTER_SCAN * nlist / len(allowed))))
            if len(allowed) * EXACT_COST < nprobe / nlist * self.index.ntotal:
                return self._exact_among(query, k, allowed)
        params = search_params(self.index, selector(allowed), nprobe)
        k = min(k, self.index.ntotal if allowed is None else len(allowed))
        with one_thread(faiss):  # one query: OpenMP's start-up costs more than it saves (8.4 -> 2.7 ms at 40k passages)
            scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def _exact_among(self, query: np.ndarray, k: int, allowed: list[int]) -> list[tuple[int, float]]:
        """Exact inner products with the allowed vectors (those still in the index), best k first."""
        ids = np.unique(np.asarray(allowed, dtype=np.int64))
        with one_thread(_faiss()):  # FAISS would read the vectors on all threads: slower beside other work
            try:
                vectors = self.index.reconstruct_batch(ids)
            except RuntimeError:  # some allowed id is not in the index: score those that are
                ids = ids[np.isin(ids, ids_of(self.index))]
                vectors = self.index.reconstruct_batch(ids) if len(ids) else np.zeros((0, self.dim), np.float32)
        scores = vectors @ query.astype(np.float32).ravel()  # ties below: the larger id first, as FAISS orders them
        top = np.lexsort((-ids, -scores))[:k]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def vector(self, id_: int) -> np.ndarray:
        return self.index.reconstruct(int(id_))

    def finish(self) -> None:
        """After a build: switch between flat and IVF by size; calibrate IVF's nprobe to the recall target."""
        sized = right_size(self.index, self.flat_max)
        if sized is not self.index:  # switched between flat and IVF: the next save writes the whole index
            self.index, self.base = sized, None
        if kind(self.index) == "ivf":
            self.nprobe, self.recall = calibrate_nprobe(self.index, probe_queries(self.index))
        else:  # exact search: no lists to probe (an IVF index shrunk back to flat must not keep its old figures)
            self.nprobe, self.recall = 0, 1.0

    def save(self, folder: Path) -> None:
        """Write the index into a new folder: a link to the full file it was read from plus what changed since, while
        that is small (an update then writes kilobytes, not the whole index), else the whole index. The object is
        handed to the next `load` of the folder (renamed or not)."""
        path, delta = Path(folder) / FILE, Path(folder) / vector_delta.DELTA
        base = self.base if kind(self.index) == "flat" else None
        if not vector_delta.write(path, base, self.index, self.added, self.removed):
            _faiss().write_index(self.index, str(path))
            self.added, self.removed = {}, set()
        _SAVED.clear()
        _SAVED[(_stamp(path), _stamp(delta))] = (self.index, dict(self.added), set(self.removed))

    def describe(self) -> dict:
        """What the manifest records about this store."""
        return {"faiss": describe(self.index, self.nprobe), "nprobe": self.nprobe, "recall_at_10": round(self.recall, 4)}
