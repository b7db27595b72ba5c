"""The index that scales: IVF above a size threshold agrees with exact search, keeps ids, deletes and filters."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from qa.search import faiss_store as ann
from qa.api import Assistant
from qa.search.index import read_manifest

QUESTIONS = [
    "Who controls eastern Aleppo according to Lavrov?",
    "Which de-escalation zones are operating?",
    "What will Moscow do if Islamic State militants move from Mosul to Syria?",
    "What did Lavrov say about Turkish airstrikes?",
]


@pytest.fixture(scope="module")
def real_vectors(assistant):
    """Real-text embeddings: the seeds' passages and sentences; and real questions (the eval set)."""
    store = assistant.index.store
    ids = store.all_chunk_ids()
    passages = np.vstack([assistant.index.vectors.reconstruct(int(i)) for i in ids])
    rows = store.chunks(ids)
    sentences = [r["text"][s - r["start"] : e - r["start"]] for r in rows.values() for s, e in r["sentences"]]
    base = np.vstack([passages, assistant.encoder.encode(sentences)])
    questions = [json.loads(x)["question"] for x in open("tests/data/eval.jsonl", encoding="utf-8") if x.strip()]
    return base, assistant.encoder.encode(questions)


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


def top(a: Assistant, **filters) -> list[list[tuple]]:
    return [[(r["doc_id"], r["start"]) for r in a.search(q, k=5, **filters)] for q in QUESTIONS]


def test_index_switches_to_ivf_above_the_threshold_and_answers_the_same(assistant, seed_corpus, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    monkeypatch.setenv("QA_FLAT_MAX", "40")  # the seeds have 61 passages
    big = Assistant(corpus=corpus, index=tmp_path / "index")
    manifest = read_manifest(tmp_path / "index")
    assert manifest["faiss"].startswith("IVF") and manifest["recall_at_10"] >= ann.RECALL_TARGET
    assert ann.kind(big.index.vectors) == "ivf"
    assert top(big) == top(assistant)
    assert top(big, since="2016-11-01", until="2016-11-30") == top(assistant, since="2016-11-01", until="2016-11-30")
    assert {r["doc_id"] for q in QUESTIONS for r in big.search(q, since="2016-11-01", until="2016-11-30")} <= {"004_5c9cc7032a8f1c3d"}
    # updates on the IVF index equal a full rebuild
    (corpus / "002_2faade04ba6bd5e4.txt").unlink()
    path = corpus / "004_5c9cc7032a8f1c3d.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("for two weeks now", "for three weeks now"), encoding="utf-8")
    rep = big.refresh()
    assert rep.removed == ["002_2faade04ba6bd5e4"] and rep.changed == ["004_5c9cc7032a8f1c3d"]
    full = Assistant(corpus=corpus, index=tmp_path / "full")
    assert top(big) == top(full)
    # shrinking far below the threshold goes back to exact search
    for p in list(corpus.glob("00[0-3]_*.txt")):
        p.unlink()
    big.refresh()
    assert ann.kind(big.index.vectors) == "flat" and read_manifest(tmp_path / "index")["faiss"].startswith("IDMap2")
