"""Pick the FAISS index for the corpus size: exact search while it is fast enough, IVF above.

Both keep ids (so updates and deletes work: IVF removes by id, unlike HNSW) and both take an
IDSelector for filters. IVF's `nprobe` is calibrated at build time against exact search on the
corpus' own vectors, to the smallest value whose recall@10 reaches the target.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np

RECALL_TARGET = 0.98
FILE = "vectors.faiss"
_SAVED: dict[tuple, object] = {}  # the index this process last saved, by its file's stamp: loaded without reading it back


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
    """An IVF-Flat index over the vectors (inner product), trained on a sample."""
    faiss = _faiss()
    n, dim = vectors.shape
    nlist = min(int(2 ** round(math.log2(4 * math.sqrt(n)))), max(1, n // 16))  # >= 16 training points per list
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
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
    return ids, np.vstack([index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, index.d), np.float32)


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
    """Smallest nprobe whose recall@k against exact search reaches the target, and that recall."""
    if kind(index) != "ivf":
        return 0, 1.0
    faiss = _faiss()
    ivf_index = faiss.extract_index_ivf(index)
    exact = _exact_topk(index, queries, k)
    tries = [2**i for i in range(int(math.log2(ivf_index.nlist)) + 1) if 2**i < ivf_index.nlist] + [ivf_index.nlist]
    for nprobe in tries:
        _, got = index.search(queries, k, params=faiss.SearchParametersIVF(nprobe=nprobe))
        recall = float(np.mean([len(set(a) & set(b)) / len(set(b)) for a, b in zip(got, exact)]))
        if recall >= target:
            break
    return nprobe, recall


def _exact_topk(index, queries: np.ndarray, k: int) -> np.ndarray:
    faiss = _faiss()
    ivf_index = faiss.extract_index_ivf(index)
    _, got = index.search(queries, k, params=faiss.SearchParametersIVF(nprobe=ivf_index.nlist))
    return got


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
        return f"IVF{_faiss().extract_index_ivf(index).nlist},Flat,IP nprobe={nprobe}"
    return "IDMap2,Flat,IP"


class FaissStore:
    """The `VectorStore` on FAISS: exact inner product up to `flat_max` vectors, IVF above, ids kept, filters inside."""

    def __init__(self, index, nprobe: int = 0, flat_max: int = 200_000):
        self.index = index
        self.nprobe = nprobe
        self.recall = 1.0
        self.flat_max = flat_max

    @classmethod
    def create(cls, dim: int, flat_max: int = 200_000) -> FaissStore:
        return cls(flat(dim), flat_max=flat_max)

    @classmethod
    def load(cls, folder: Path, info: dict, flat_max: int = 200_000) -> FaissStore:
        """The store saved in a folder: the object this process just saved there, if it did (once), else the file."""
        path = Path(folder) / FILE
        saved = _SAVED.pop(_stamp(path), None)
        return cls(saved if saved is not None else _faiss().read_index(str(path)), int(info.get("nprobe", 0)), flat_max)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: list[int]) -> None:
        if ids:
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, query: np.ndarray, k: int, allowed: list[int] | None = None) -> list[tuple[int, float]]:
        """(id, inner product) of the k nearest vectors, only among `allowed` ids when given."""
        if self.index.ntotal == 0 or allowed == [] or k <= 0:
            return []
        faiss = _faiss()
        selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)) if allowed is not None else None
        params = search_params(self.index, selector, self.nprobe)
        k = min(k, self.index.ntotal if allowed is None else len(allowed))
        with one_thread(faiss):  # one query: OpenMP's start-up costs more than it saves (8.4 -> 2.7 ms at 40k passages)
            scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def vector(self, id_: int) -> np.ndarray:
        return self.index.reconstruct(int(id_))

    def finish(self) -> None:
        """After a build: switch between flat and IVF by size; calibrate IVF's nprobe to the recall target."""
        self.index = right_size(self.index, self.flat_max)
        if kind(self.index) == "ivf":
            self.nprobe, self.recall = calibrate_nprobe(self.index, probe_queries(self.index))
        else:  # exact search: no lists to probe (an IVF index shrunk back to flat must not keep its old figures)
            self.nprobe, self.recall = 0, 1.0

    def save(self, folder: Path) -> None:
        """Write the index; the object is handed to the next `load` of the file (its folder renamed or not)."""
        path = Path(folder) / FILE
        _faiss().write_index(self.index, str(path))
        _SAVED.clear()
        _SAVED[_stamp(path)] = self.index

    def describe(self) -> dict:
        """What the manifest records about this store."""
        return {"faiss": describe(self.index, self.nprobe), "nprobe": self.nprobe, "recall_at_10": round(self.recall, 4)}
