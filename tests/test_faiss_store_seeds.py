"""IVF against exact search on real embeddings: the seeds' passages and sentences, and the eval set's questions (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.search import faiss_store as ann

pytestmark = pytest.mark.slow

EVAL = Path(__file__).resolve().parent / "data" / "eval.jsonl"


@pytest.fixture(scope="module")
def real_vectors(assistant):
    """Real-text embeddings: the seeds' passages and sentences; and real questions (the eval set)."""
    store = assistant.index.store
    ids = store.all_chunk_ids()
    passages = np.vstack([assistant.index.vectors.vector(int(i)) for i in ids])
    chunks = store.chunks(ids)
    sentences = [c.sentence_text(span) for c in chunks.values() for span in c.sentences]
    base = np.vstack([passages, assistant.encoder.encode(sentences)])
    questions = [json.loads(x)["question"] for x in EVAL.read_text(encoding="utf-8").splitlines() if x.strip()]
    return base, assistant.encoder.encode_query(questions)


def test_ivf_recall_against_exact_search_on_real_questions(real_vectors):
    base, questions = real_vectors
    rng = np.random.default_rng(1)
    n = 30_000  # synthetic size: the real vectors, perturbed (as in bench/run.py)
    xb = base[rng.integers(0, len(base), n)] + rng.normal(0, 0.03, (n, base.shape[1])).astype(np.float32)
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    ids = np.arange(1000, 1000 + n, dtype=np.int64)
    exact = ann.flat(xb.shape[1])
    exact.add_with_ids(xb, ids)
    index = ann.ivf(xb, ids)
    assert ann.kind(index) == "ivf" and index.ntotal == n
    nprobe, probe_recall = ann.calibrate_nprobe(index, ann.probe_queries(index))
    assert probe_recall >= ann.RECALL_TARGET and nprobe < ann._faiss().extract_index_ivf(index).nlist
    _, want = exact.search(questions, 10)
    _, got = index.search(questions, 10, params=ann.search_params(index, None, nprobe))
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want)])
    assert recall >= ann.RECALL_TARGET, (recall, nprobe)
    # ids survive: removing some takes exactly them out
    gone = ids[:500]
    index.remove_ids(gone)
    assert index.ntotal == n - 500
    _, after = index.search(questions, 10, params=ann.search_params(index, None, nprobe))
    assert not set(after.ravel()) & set(gone.tolist())
    assert set(ann.ids_of(index).tolist()) == set(ids[500:].tolist())
