"""Cheap generations (issue 14): the vectors as a link to the last full file plus a small delta, and checksums kept
for the blocks an update did not change; both load, verify and heal as full files do."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

import corpora
from qa.api import Assistant
from qa.search import faiss_store, generations, vector_delta
from qa.search.faiss_store import FILE, FaissStore, ids_of
from qa.search.generations import BLOCK, checksums, damage
from qa.search.vector_delta import DELTA


def unit(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def from_files(folder) -> FaissStore:
    faiss_store._SAVED.clear()  # as a new process: nothing handed over in memory
    return FaissStore.load(folder, {})


def same_vectors(a: FaissStore, b: FaissStore) -> None:
    ids = sorted(ids_of(a.index).tolist())
    assert ids == sorted(ids_of(b.index).tolist())
    assert all(np.array_equal(a.vector(i), b.vector(i)) for i in ids)
    q = unit(5, seed=9)
    assert [x[0] for x in a.search(q[0], 10)] == [x[0] for x in b.search(q[0], 10)]


def test_vectors_saved_as_link_plus_delta_load_as_saved(tmp_path):
    g1, g2, g3, g4 = (tmp_path / f"g{i}" for i in range(1, 5))
    for g in (g1, g2, g3, g4):
        g.mkdir()
    store = FaissStore.create(16)
    store.add(list(range(1000)), unit(1000))
    store.save(g1)
    assert not (g1 / DELTA).exists()
    s1 = from_files(g1)
    s1.remove([5, 10, 999])
    s1.add([1000, 1001], unit(2, seed=1))
    s1.remove([1000])
    s1.add([10], unit(1, seed=2))  # an id of the full file, removed and used again
    s1.save(g2)
    assert os.path.samefile(g1 / FILE, g2 / FILE) and (g2 / DELTA).stat().st_size < 10_000
    s2 = from_files(g2)
    same_vectors(s1, s2)
    s2.add([2000], unit(1, seed=3))
    s2.save(g3)  # the delta is cumulative: still a link to the full file of g1
    assert os.path.samefile(g1 / FILE, g3 / FILE)
    s3 = from_files(g3)
    same_vectors(s2, s3)
    s3.add(list(range(3000, 3100)), unit(100, seed=4))  # more than DELTA_MAX of the vectors: a new full file
    s3.save(g4)
    assert not (g4 / DELTA).exists() and not os.path.samefile(g1 / FILE, g4 / FILE)
    same_vectors(s3, from_files(g4))


def counting_hashes(monkeypatch) -> list[int]:
    hashed: list[int] = []
    real = generations.hashlib.sha256

    class Counting:
        @staticmethod
        def sha256(data=b""):
            hashed.append(len(data))
            return real(data)

    monkeypatch.setattr(generations, "hashlib", Counting)
    return hashed


def test_checksums_hash_only_the_blocks_that_changed(tmp_path, monkeypatch):
    g1, g2, g3 = (tmp_path / f"g{i}" for i in range(1, 4))
    for g in (g1, g2, g3):
        g.mkdir()
    rng = np.random.default_rng(0)
    data = bytearray(rng.integers(0, 256, 3 * BLOCK + 100, dtype=np.uint8).tobytes())
    (g1 / "store.sqlite").write_bytes(data)
    (g1 / FILE).write_bytes(rng.integers(0, 256, BLOCK + 5, dtype=np.uint8).tobytes())
    before = checksums(g1)
    data[BLOCK + 7] ^= 1
    (g2 / "store.sqlite").write_bytes(data + b"tail")
    os.link(g1 / FILE, g2 / FILE)
    shutil.copyfile(g1 / "store.sqlite", g3 / "store.sqlite")
    shutil.copyfile(g1 / FILE, g3 / FILE)
    full2, full3 = checksums(g2), checksums(g3)
    hashed = counting_hashes(monkeypatch)
    assert checksums(g2, before, g1) == full2 and len(hashed) == 2  # the changed block and the grown last one; the link: none
    hashed.clear()
    assert checksums(g3, before, g1) == full3 and hashed == []  # byte copies: compared, not hashed


def test_a_copied_block_that_was_damaged_is_still_caught(tmp_path):
    g1, g2 = tmp_path / "gen-000001", tmp_path / "gen-000002"
    g1.mkdir()
    g2.mkdir()
    (g1 / "store.sqlite").write_bytes(bytes(2 * BLOCK))
    before = checksums(g1)
    st = (g1 / "store.sqlite").stat()
    with open(g1 / "store.sqlite", "r+b") as fh:  # bit rot in the old file, its size and time kept
        fh.seek(10)
        fh.write(b"\x01")
    os.utime(g1 / "store.sqlite", ns=(st.st_atime_ns, st.st_mtime_ns))
    shutil.copyfile(g1 / "store.sqlite", g2 / "store.sqlite")
    files = checksums(g2, before, g1)  # the copy keeps the digest the block should have ...
    manifest = {"generation": g2.name, "files": files}
    assert damage(tmp_path, manifest) is None
    assert "checksum" in damage(tmp_path, manifest, deep=True)  # ... so a deep check finds the damage


def test_updates_link_the_vectors_and_a_new_process_reads_the_same_index(news_copy, monkeypatch):
    corpus, index = news_copy
    monkeypatch.setattr(vector_delta, "DELTA_MAX", 1.0)  # a small corpus: one article is more than 5 % of it
    a = Assistant(settings=corpora.fake_settings(corpus, index))
    question = "How many fishing boats may each country license on the lower Orlen?"
    (corpus / f"{corpora.NEW_ID}.txt").write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    a.refresh()
    (corpus / "cnn_storm_halvard.txt").unlink()
    report = a.refresh()
    assert report.removed == ["cnn_storm_halvard"]
    manifest = json.loads((index / "manifest.json").read_text())
    gen = index / manifest["generation"]
    assert (gen / DELTA).is_file() and os.stat(gen / FILE).st_nlink >= 2 and set(manifest["files"]) == {"store.sqlite", FILE, DELTA}
    assert damage(index, manifest, deep=True) is None
    warm = a.search(question, k=5)
    faiss_store._SAVED.clear()
    cold = Assistant(settings=corpora.fake_settings(corpus, index))
    assert cold.last_report.up_to_date and cold.search(question, k=5) == warm


@pytest.mark.parametrize("damaged", [FILE, DELTA])
def test_a_damaged_linked_generation_heals(news_copy, damaged, monkeypatch):
    corpus, index = news_copy
    monkeypatch.setattr(vector_delta, "DELTA_MAX", 1.0)
    a = Assistant(settings=corpora.fake_settings(corpus, index))
    (corpus / f"{corpora.NEW_ID}.txt").write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    a.refresh()
    docs = {d["doc_id"] for d in a.docs()}
    gen = index / json.loads((index / "manifest.json").read_text())["generation"]
    (gen / damaged).write_bytes(b"x" * 10)
    healed = Assistant(settings=corpora.fake_settings(corpus, index))
    assert any("damaged" in w for w in healed.last_report.warnings)
    assert {d["doc_id"] for d in healed.docs()} == docs
