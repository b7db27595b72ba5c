"""The vector store on FAISS (qa.search.faiss_store): exact search up to a size threshold, IVF above that agrees
with exact search; ids kept through deletes; filters inside the search; the manifest records what was built."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import corpora
from qa.api import Assistant
from qa.search import faiss_store as ann
from qa.search.faiss_store import FaissStore
from qa.search.index import read_manifest

QUESTIONS = [
    "What did Varga say about the Orlen dam?",
    "How many fishing boats may each country license on the lower Orlen?",
    "What did Storm Halvard leave without power on the Velmora coast?",
    "When will the salmon count start?",
]


def clustered(n: int, dim: int = 48, centres: int = 120, noise: float = 0.35, seed: int = 0) -> np.ndarray:
    """Unit vectors around random centres: passage-like data with topics (uniform noise would defeat any IVF)."""
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, dim))
    x = c[rng.integers(0, centres, n)] + rng.normal(0, noise, (n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def synthetic():
    xb = clustered(4000)
    ids = np.arange(1000, 1000 + len(xb), dtype=np.int64)
    rng = np.random.default_rng(7)
    q = xb[rng.choice(len(xb), 100, replace=False)] + rng.normal(0, 0.05, (100, xb.shape[1])).astype(np.float32)
    return xb, ids, (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)


def test_ivf_recall_against_exact_search(synthetic):
    xb, ids, questions = synthetic
    exact = ann.flat(xb.shape[1])
    exact.add_with_ids(xb, ids)
    index = ann.ivf(xb, ids)
    assert ann.kind(index) == "ivf" and ann.kind(exact) == "flat" and index.ntotal == len(xb)
    nlist = ann._faiss().extract_index_ivf(index).nlist
    nprobe, probe_recall = ann.calibrate_nprobe(index, ann.probe_queries(index))
    assert probe_recall >= ann.RECALL_TARGET and 1 <= nprobe < nlist
    _, want = exact.search(questions, 10)
    _, got = index.search(questions, 10, params=ann.search_params(index, None, nprobe))
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want)])
    assert recall >= ann.RECALL_TARGET, (recall, nprobe)
    assert ann.describe(index, nprobe) == f"IVF{nlist},SQfp16,IP nprobe={nprobe}"
    # ids survive: removing some takes exactly them out
    gone = ids[:500]
    index.remove_ids(gone)
    assert index.ntotal == len(xb) - 500
    _, after = index.search(questions, 10, params=ann.search_params(index, None, nprobe))
    assert not set(after.ravel()) & set(gone.tolist())
    assert set(ann.ids_of(index).tolist()) == set(ids[500:].tolist())
    back_ids, back = ann.all_vectors(index)
    order = np.argsort(back_ids)
    assert np.allclose(back[order], xb[500:], atol=1e-3)  # stored as float16


def test_exact_search_needs_no_calibration(synthetic):
    xb, ids, _ = synthetic
    index = ann.flat(xb.shape[1])
    index.add_with_ids(xb[:100], ids[:100])
    assert ann.calibrate_nprobe(index, xb[:5]) == (0, 1.0)
    assert ann.describe(index) == "IDMap2,Flat,IP"
    assert sorted(ann.ids_of(index).tolist()) == ids[:100].tolist()


def test_right_size_switches_with_hysteresis(synthetic):
    xb, ids, _ = synthetic
    index = ann.flat(xb.shape[1])
    index.add_with_ids(xb[:1000], ids[:1000])
    assert ann.kind(ann.right_size(index, flat_max=1000)) == "flat"
    big = ann.right_size(index, flat_max=999)
    assert ann.kind(big) == "ivf" and big.ntotal == 1000
    big.remove_ids(ids[:400])  # 600 left: between half the threshold and the threshold, it stays IVF
    assert ann.kind(ann.right_size(big, flat_max=1000)) == "ivf"
    big.remove_ids(ids[400:600])  # 400 left: below half, exact again, same ids and vectors
    small = ann.right_size(big, flat_max=1000)
    assert ann.kind(small) == "flat" and sorted(ann.ids_of(small).tolist()) == ids[600:1000].tolist()
    assert np.allclose(small.reconstruct(int(ids[700])), xb[700], atol=1e-3)


# ---- the VectorStore


@pytest.fixture
def store(synthetic):
    xb, ids, _ = synthetic
    s = FaissStore.create(xb.shape[1], flat_max=1000)
    s.add(ids[:300].tolist(), xb[:300])
    return s


def test_store_search_and_allowed_ids(store, synthetic):
    xb, ids, _ = synthetic
    assert len(store) == 300 and store.dim == xb.shape[1]
    hits = store.search(xb[5], k=10)
    assert hits[0][0] == ids[5] and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    allowed = ids[100:110].tolist()
    got = store.search(xb[5], k=50, allowed=allowed)
    assert len(got) == 10 and {i for i, _ in got} == set(allowed)
    assert store.search(xb[5], k=5, allowed=[]) == [] and store.search(xb[5], k=0) == []
    assert len(store.search(xb[5], k=10_000)) == 300


def test_store_remove_vector_and_empty(store, synthetic):
    xb, ids, _ = synthetic
    assert np.allclose(store.vector(int(ids[7])), xb[7], atol=1e-6)
    store.remove(ids[:100].tolist())
    store.remove([])
    assert len(store) == 200
    assert all(i not in set(ids[:100].tolist()) for i, _ in store.search(xb[5], k=200))
    empty = FaissStore.create(xb.shape[1])
    assert empty.search(xb[0], k=3) == []
    empty.add([], np.zeros((0, xb.shape[1]), np.float32))
    assert len(empty) == 0


def test_store_finish_switches_to_ivf_and_back(store, synthetic, tmp_path):
    xb, ids, _ = synthetic
    store.add(ids[300:2000].tolist(), xb[300:2000])  # 2000 > flat_max
    store.finish()
    info = store.describe()
    assert info["faiss"].startswith("IVF") and info["nprobe"] >= 1 and info["recall_at_10"] >= ann.RECALL_TARGET
    store.save(tmp_path)
    loaded = FaissStore.load(tmp_path, info, flat_max=1000)
    assert len(loaded) == 2000 and loaded.nprobe == info["nprobe"]
    assert loaded.search(xb[42], k=3) == store.search(xb[42], k=3)
    loaded.remove(ids[:1700].tolist())  # 300 left, below half the threshold
    loaded.finish()
    assert loaded.describe() == {"faiss": "IDMap2,Flat,IP", "nprobe": 0, "recall_at_10": 1.0}


# ---- an index that grows past the threshold (settings.flat_max) and shrinks back


def top(a: Assistant, **filters) -> list[list[tuple]]:
    return [[(r["doc_id"], r["start"]) for r in a.search(q, k=5, **filters)] for q in QUESTIONS]


def test_index_switches_to_ivf_above_the_threshold_and_answers_the_same(news_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(news_corpus, corpus)
    small_chunks = {"chunk_words": 20}  # more passages than the default, to give IVF several lists
    flat = Assistant(settings=corpora.fake_settings(corpus, tmp_path / "flat", **small_chunks))
    assert flat.last_report.chunks >= 32  # IVF takes one list per 16 passages at least: two lists or more
    big = Assistant(settings=corpora.fake_settings(corpus, tmp_path / "index", flat_max=30, **small_chunks))
    manifest = read_manifest(tmp_path / "index")
    assert manifest["faiss"].startswith("IVF") and manifest["recall_at_10"] >= ann.RECALL_TARGET
    assert manifest["nprobe"] == big.last_report.nprobe >= 1
    assert ann.kind(big.index.vectors.index) == "ivf" and ann.kind(flat.index.vectors.index) == "flat"
    assert top(big) == top(flat)
    assert top(big, since="2016-11-01", until="2016-11-30") == top(flat, since="2016-11-01", until="2016-11-30")
    assert {r["doc_id"] for q in QUESTIONS for r in big.search(q, since="2016-11-01", until="2016-11-30")} <= {"reuters_orlen_court"}
    # updates on the IVF index equal a full rebuild
    (corpus / "cnn_storm_halvard.txt").unlink()
    path = corpus / "tass_orlen_dam.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("three times", "four times"), encoding="utf-8")
    rep = big.refresh()
    assert rep.removed == ["cnn_storm_halvard"] and rep.changed == ["tass_orlen_dam"]
    full = Assistant(settings=corpora.fake_settings(corpus, tmp_path / "full", flat_max=30, **small_chunks))
    assert top(big) == top(full)
    # shrinking far below the threshold goes back to exact search
    for p in list(corpus.iterdir()):
        if p.name not in ("tass_orlen_dam.txt", "zna_salmon_count.txt"):
            p.unlink()
    big.refresh()
    manifest = read_manifest(tmp_path / "index")
    assert ann.kind(big.index.vectors.index) == "flat" and manifest["faiss"].startswith("IDMap2")
    assert (manifest["nprobe"], manifest["recall_at_10"]) == (0, 1.0)


# ---- the large-index path against the exact flat reference, through the store


def test_large_path_matches_exact_search_with_filters_updates_and_save(tmp_path):
    """5,000 vectors above a lowered flat_max: the IVF store returns the exact top 10 for nearly all queries, with
    and without a filter, after adds and removes, and after save/load."""
    xb = clustered(6000, dim=64, centres=150, noise=0.4, seed=3)
    ids = np.arange(10_000, 16_000, dtype=np.int64)
    rng = np.random.default_rng(5)
    queries = xb[rng.choice(5000, 100, replace=False)] + rng.normal(0, 0.1, (100, 64)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    large = FaissStore.create(64, flat_max=1000)
    large.add(ids[:5000].tolist(), xb[:5000])
    large.finish()
    assert ann.kind(large.index) == "ivf" and 1 <= large.nprobe < ann._faiss().extract_index_ivf(large.index).nlist
    exact = FaissStore.create(64, flat_max=10**9)
    exact.add(ids[:5000].tolist(), xb[:5000])

    def recall(allowed=None) -> float:
        pairs = [(large.search(q, 10, allowed), exact.search(q, 10, allowed)) for q in queries]
        assert all(len(a) == len(b) for a, b in pairs)
        return float(np.mean([len({i for i, _ in a} & {i for i, _ in b}) / max(1, len(b)) for a, b in pairs]))

    assert recall() >= ann.RECALL_TARGET
    allowed = ids[:5000:3].tolist()
    assert recall(allowed) >= ann.RECALL_TARGET
    assert all(i in set(allowed) for q in queries[:10] for i, _ in large.search(q, 10, allowed))
    few = ids[:5000:125].tolist()  # 40 ids: cheaper to score them all than to probe most lists
    assert recall(few) >= 0.99 and all(i in set(few) for q in queries[:10] for i, _ in large.search(q, 10, few))
    for store in (large, exact):  # an article replaced by another: ids out, new ids in
        store.remove(ids[:500].tolist())
        store.add(ids[5000:].tolist(), xb[5000:])
    assert len(large) == len(exact) == 5500
    assert not {i for q in queries for i, _ in large.search(q, 10)} & set(ids[:500].tolist())
    assert not {i for q in queries for i, _ in large.search(q, 10, few)} & set(ids[:500].tolist())  # some of few are gone
    assert recall(few) >= 0.99
    assert recall() >= ann.RECALL_TARGET
    hits = large.search(xb[5500], 1)
    assert hits[0][0] == ids[5500] and hits[0][1] == pytest.approx(1.0, abs=1e-3)
    large.save(tmp_path)
    ann._SAVED.clear()  # as a new process: read the file back
    loaded = FaissStore.load(tmp_path, large.describe(), flat_max=1000)
    assert ann.kind(loaded.index) == "ivf" and loaded.nprobe == large.nprobe and len(loaded) == 5500
    assert [loaded.search(q, 10, allowed) for q in queries[:20]] == [large.search(q, 10, allowed) for q in queries[:20]]


def test_calibration_stops_close_to_the_target(synthetic):
    """Bisection below the first power of two that reaches the target: 1/16 fewer lists would not reach it."""
    xb, ids, _ = synthetic
    index = ann.ivf(xb, ids)
    queries = ann.probe_queries(index)
    nprobe, recall = ann.calibrate_nprobe(index, queries)
    assert recall >= ann.RECALL_TARGET
    lower = nprobe - max(1, nprobe // 16)
    if lower >= 1:
        nlist = ann._faiss().extract_index_ivf(index).nlist
        _, want = index.search(queries, 10, params=ann.search_params(index, None, nlist))
        _, got = index.search(queries, 10, params=ann.search_params(index, None, lower))
        assert np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want)]) < ann.RECALL_TARGET


def test_selector_bitmap_for_dense_ids_hash_set_for_sparse():
    """Filters: dense ids become a bitmap (cheap to build), sparse ones a hash set; both select exactly the ids."""
    faiss = ann._faiss()
    dense, sparse = list(range(7, 3000, 3)), [5, 2**40, 3]
    assert isinstance(ann.selector(dense), faiss.IDSelectorBitmap) and isinstance(ann.selector(sparse), faiss.IDSelectorBatch)
    assert ann.selector(None) is None
    for allowed in (dense, sparse):
        sel, want = ann.selector(allowed), set(allowed)
        assert all(bool(sel.is_member(i)) == (i in want) for i in [*range(0, 3100), 2**40, 2**40 + 1])
