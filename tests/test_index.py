"""The index: manifest, incremental updates that embed only new text, crash safety, equality with a full rebuild."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.api import Assistant
from qa.corpus.chunk import chunk_article
from qa.config import Settings
from qa.encoders import get_encoder
from qa.build import FORMAT_VERSION, build_index, fingerprint, stat_fingerprint
from qa.search.index import Index, read_manifest
from qa.corpus.readers import read_corpus

REPO = Path(__file__).resolve().parent.parent
NEW_ID = "zz_geneva_talks"
NEW_ARTICLE = """Geneva talks on Syria to resume in March, UN envoy says

GENEVA, February 20. /TASS/. The UN special envoy for Syria said on Monday that the next round of intra-Syrian talks in Geneva would open in the first week of March.

"We have sent the invitations to the government delegation and to the opposition, and we expect both to come," the envoy told reporters at the Palais des Nations.

The envoy said the agenda would include a new constitution, elections and governance, and that the ceasefire monitored from Astana had largely held in the past two weeks.

Diplomats in Geneva said the opposition would again be represented by a single delegation, which had been one of the main demands of the guarantor countries.
"""


def settings(corpus: Path, index: Path) -> Settings:
    return Settings(corpus=Path(corpus), index=Path(index))


def build(corpus: Path, index: Path, encoder_factory=None):
    s = settings(corpus, index)
    return build_index(s, encoder_factory or (lambda: get_encoder(s.model, s.precision, threads=s.threads)))


def article(corpus: Path, doc_id: str):
    articles, _ = read_corpus(corpus)
    return next(a for a in articles if a.doc_id == doc_id)


def faiss_ids(index: Index) -> set[int]:
    import faiss

    return set(faiss.vector_to_array(index.vectors.id_map).tolist())


def chunk_rows(index: Index) -> list[tuple]:
    rows = index.store.chunks(index.store.all_chunk_ids()).values()
    return sorted((r["doc_id"], r["start"], r["end"], r["text"]) for r in rows)


def assert_consistent(index: Index) -> None:
    """FAISS holds exactly one vector per stored chunk, keyed by chunk id."""
    ids = index.store.all_chunk_ids()
    assert index.vectors.ntotal == len(ids) == index.store.count_chunks()
    assert faiss_ids(index) == set(ids)
    assert sum(a["n_chunks"] for a in index.store.articles()) == len(ids)


def loaded(index_dir: Path) -> Index:
    index = Index.load(index_dir)
    assert index is not None
    return index


# ---- manifest


def test_manifest_fields(assistant, seed_corpus, seed_index):
    m = read_manifest(seed_index)
    assert m["format"] == FORMAT_VERSION
    assert m["model"] == "bundled:all-MiniLM-L6-v2"
    assert m["dim"] == 384 == assistant.index.vectors.d
    assert re.fullmatch(r"[0-9a-f]{32}", m["fingerprint"])
    assert re.fullmatch(r"gen-\d{6}", m["generation"]) and (seed_index / m["generation"]).is_dir()
    assert m["docs"] == 5
    assert m["chunks"] == assistant.index.vectors.ntotal == assistant.index.store.count_chunks()


def test_manifest_fingerprint_matches_the_corpus(assistant, seed_corpus, seed_index):
    articles, _ = read_corpus(seed_corpus)
    assert read_manifest(seed_index)["fingerprint"] == fingerprint(articles, settings(seed_corpus, seed_index))


def test_seed_index_is_consistent(assistant):
    assert_consistent(assistant.index)
    assert {a["doc_id"] for a in assistant.docs()} == {
        "000_3ba5d7d03a34b568", "001_c650b099b3b6e936", "002_2faade04ba6bd5e4", "003_238ccbb7fe04cffb", "004_5c9cc7032a8f1c3d"}


def test_seed_chunks_match_chunk_article(assistant, seed_articles):
    expected = sorted((c.doc_id, c.start, c.end, c.text) for a in seed_articles.values() for c in chunk_article(a))
    assert chunk_rows(assistant.index) == expected


# ---- incremental updates


def test_rebuild_with_nothing_changed_is_up_to_date(indexed_copy):
    corpus, index = indexed_copy
    before = read_manifest(index)
    rep = build(corpus, index)
    assert rep.up_to_date
    assert rep.embedded == 0
    assert (rep.generation, rep.chunks) == (before["generation"], before["chunks"])
    assert read_manifest(index) == before


def test_assistant_refresh_with_nothing_changed(assistant):
    generation = assistant.index.manifest["generation"]
    rep = assistant.refresh()
    assert rep.up_to_date and rep.embedded == 0
    assert assistant.index.manifest["generation"] == generation


def test_adding_an_article_embeds_exactly_its_chunks(indexed_copy):
    corpus, index = indexed_copy
    old_total = loaded(index).vectors.ntotal
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    n_new = len(chunk_article(article(corpus, NEW_ID)))
    assert n_new >= 3
    rep = build(corpus, index)
    assert (rep.added, rep.changed, rep.removed) == ([NEW_ID], [], [])
    assert rep.embedded == n_new
    assert rep.chunks == old_total + n_new
    idx = loaded(index)
    assert_consistent(idx)
    assert idx.store.article(NEW_ID)["n_chunks"] == n_new


def test_adding_an_article_reports_the_rest_as_reused(indexed_copy):
    """`N passages embedded, M reused`: every passage of the new generation is one or the other."""
    corpus, index = indexed_copy
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    rep = build(corpus, index)
    assert rep.embedded == len(chunk_article(article(corpus, NEW_ID)))
    assert rep.reused == rep.chunks - rep.embedded


def test_changing_a_file_reembeds_only_its_new_chunks(indexed_copy):
    corpus, index = indexed_copy
    doc_id = "004_5c9cc7032a8f1c3d"
    path = corpus / f"{doc_id}.txt"
    old = chunk_article(article(corpus, doc_id))
    text = path.read_text(encoding="utf-8")
    added = " Lavrov added that Moscow would raise the matter at the next meeting of the Security Council."
    path.write_text(text.rstrip("\n") + added + "\n", encoding="utf-8")
    new = chunk_article(article(corpus, doc_id))
    fresh_texts = {c.text for c in new} - {c.text for c in old}
    assert len(fresh_texts) == 1
    old_total = loaded(index).vectors.ntotal

    rep = build(corpus, index)
    assert (rep.added, rep.changed, rep.removed) == ([], [doc_id], [])
    assert rep.embedded == len(fresh_texts)
    idx = loaded(index)
    assert_consistent(idx)
    assert idx.vectors.ntotal == old_total - len(old) + len(new)
    assert any(added.strip() in r[3] for r in chunk_rows(idx) if r[0] == doc_id)


def test_metadata_only_change_embeds_nothing(indexed_copy):
    corpus, index = indexed_copy
    doc_id = "000_3ba5d7d03a34b568"
    (corpus / f"{doc_id}.meta.json").write_text(json.dumps({"date": "2016-10-17"}), encoding="utf-8")
    rep = build(corpus, index)
    assert rep.changed == [doc_id]
    assert rep.embedded == 0
    row = loaded(index).store.article(doc_id)
    assert (row["date"], row["date_method"]) == ("2016-10-17", "metadata")


def test_removing_a_file_removes_its_chunks(indexed_copy):
    corpus, index = indexed_copy
    doc_id = "002_2faade04ba6bd5e4"
    before = loaded(index)
    n = before.store.article(doc_id)["n_chunks"]
    old_total = before.vectors.ntotal
    before.close()
    (corpus / f"{doc_id}.txt").unlink()

    rep = build(corpus, index)
    assert (rep.added, rep.changed, rep.removed) == ([], [], [doc_id])
    assert rep.embedded == 0
    idx = loaded(index)
    assert idx.vectors.ntotal == old_total - n
    assert idx.store.article(doc_id) is None
    assert all(r[0] != doc_id for r in chunk_rows(idx))
    assert_consistent(idx)


def test_removed_article_is_never_cited(indexed_copy):
    corpus, index = indexed_copy
    (corpus / "002_2faade04ba6bd5e4.txt").unlink()
    a = Assistant(corpus=corpus, index=index)
    ans = a.ask("Which de-escalation zones are operating?")
    assert all(c.doc_id != "002_2faade04ba6bd5e4" for c in ans.citations)


def test_old_generations_are_swept(indexed_copy):
    corpus, index = indexed_copy
    for doc_id in ("000_3ba5d7d03a34b568", "001_c650b099b3b6e936", "002_2faade04ba6bd5e4"):
        (corpus / f"{doc_id}.txt").unlink()
        rep = build(corpus, index)
    generations = sorted(p.name for p in index.glob("gen-*"))
    assert len(generations) == 2 and generations[-1] == rep.generation == read_manifest(index)["generation"]


def test_add_files_copies_under_a_safe_name_and_indexes(indexed_copy, tmp_path):
    corpus, index = indexed_copy
    upload = tmp_path / "upload dir"
    upload.mkdir()
    src = upload / "Geneva talks (draft)!.txt"
    src.write_text(NEW_ARTICLE, encoding="utf-8")
    a = Assistant(corpus=corpus, index=index)
    rep = a.add_files([src])
    names = {p.name for p in corpus.iterdir()}
    assert "Geneva_talks_draft.txt" in names
    assert rep.added == ["Geneva_talks_draft"]
    assert any(d["doc_id"] == "Geneva_talks_draft" for d in a.docs())


def test_add_files_refuses_other_formats(indexed_copy, tmp_path):
    corpus, index = indexed_copy
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    a = Assistant(corpus=corpus, index=index)
    with pytest.raises(ValueError):
        a.add_files([pdf])
    assert not (corpus / "report.pdf").exists()


def test_add_files_reads_before_copying_so_a_bad_file_changes_nothing(indexed_copy, tmp_path):
    corpus, index = indexed_copy
    before = sorted(p.name for p in corpus.iterdir())
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02 not text")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    a = Assistant(corpus=corpus, index=index)
    generation = a.index.manifest["generation"]
    with pytest.raises(ValueError, match="blob.txt: skipped, looks binary"):
        a.add_files([blob, empty])
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert read_manifest(index)["generation"] == generation
    good = tmp_path / "good.txt"
    good.write_text(NEW_ARTICLE, encoding="utf-8")
    rep = a.add_files([blob, good])  # a mix: the good one goes in, the bad one is reported and left out
    assert rep.added == ["good"] and not (corpus / "blob.txt").exists()
    assert any(w.startswith("blob.txt: skipped") for w in rep.warnings)


def test_corrupt_manifest_is_rebuilt_from_the_embedding_cache(indexed_copy):
    corpus, index = indexed_copy
    chunks = read_manifest(index)["chunks"]
    (index / "manifest.json").write_text("{not json", encoding="utf-8")
    rep = build(corpus, index)
    assert not rep.up_to_date
    assert rep.embedded == 0 and rep.reused == rep.chunks == chunks
    assert_consistent(loaded(index))


def test_missing_live_generation_folder_is_rebuilt(indexed_copy):
    """The manifest names a generation folder that is gone (deleted by hand): the next build starts over."""
    import shutil

    corpus, index = indexed_copy
    chunks = read_manifest(index)["chunks"]
    shutil.rmtree(index / read_manifest(index)["generation"])
    rep = build(corpus, index)
    assert not rep.up_to_date and rep.chunks == chunks
    assert_consistent(loaded(index))


# ---- crash safety


class CrashingEncoder:
    """The real model for the first batch, then a crash: a build that dies half-way through embedding."""

    def __init__(self, real):
        self.real, self.dim, self.name = real, real.dim, real.name

    def encode(self, texts, batch_size=32, progress=None):
        first = self.real.encode(texts[:2], batch_size)
        if progress:
            progress(len(first))
        raise RuntimeError("simulated crash while embedding")


def assert_old_index_answers(corpus: Path, index: Path, generation: str, chunks: int) -> None:
    assert read_manifest(index)["generation"] == generation
    idx = loaded(index)
    assert idx.vectors.ntotal == chunks
    assert_consistent(idx)
    a = Assistant(corpus=corpus, index=index, auto_index=False)
    a.index = idx  # the live generation as it is, without indexing the new file
    ans = a.ask("Which de-escalation zones are operating?")
    assert not ans.abstained
    assert any(c.doc_id == "002_2faade04ba6bd5e4" for c in ans.citations)


def assert_next_build_succeeds(corpus: Path, index: Path, generation: str, chunks: int, new_id: str) -> None:
    n_new = len(chunk_article(article(corpus, new_id)))
    rep = build(corpus, index)
    assert not rep.up_to_date and rep.added == [new_id]
    assert rep.embedded == n_new
    assert read_manifest(index)["generation"] == rep.generation != generation
    assert not list(index.glob("*.tmp"))
    idx = loaded(index)
    assert idx.vectors.ntotal == chunks + n_new
    assert_consistent(idx)


def test_build_that_raises_leaves_old_index_live(indexed_copy):
    corpus, index = indexed_copy
    m = read_manifest(index)
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    s = settings(corpus, index)
    real = get_encoder(s.model, s.precision, threads=s.threads)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build(corpus, index, lambda: CrashingEncoder(real))
    assert_old_index_answers(corpus, index, m["generation"], m["chunks"])
    assert_next_build_succeeds(corpus, index, m["generation"], m["chunks"], NEW_ID)


def big_article(paragraphs: int = 80) -> str:
    parts = ["Delegations gather in Geneva for a long round of talks\n",
             "GENEVA, February 21. /TASS/. Delegations arrived in Geneva on Tuesday for a new round of talks on Syria.\n"]
    for i in range(1, paragraphs + 1):
        parts.append(
            f"On day {i} of the round, working group {i} discussed item {i} of the agenda, and the envoy said "
            f"that progress on point {i} had been {'slow' if i % 2 else 'steady'} but that talks on topic {i} would go on.\n"
        )
    return "\n".join(parts)


def test_build_killed_mid_way_leaves_old_index_live(indexed_copy):
    """`qa index` killed with SIGKILL while it embeds into its new generation folder: the old one stays live."""
    import threading

    corpus, index = indexed_copy
    m = read_manifest(index)
    (corpus / "zz_big.txt").write_text(big_article(), encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "index", "--corpus", str(corpus), "--index", str(index)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    stderr = bytearray()
    reader = threading.Thread(target=lambda: [stderr.extend(b) for b in iter(lambda: os.read(proc.stderr.fileno(), 4096), b"")])
    reader.start()
    try:
        deadline = time.monotonic() + 180
        # the progress bar appears once the model is loaded and the first batch is on its way
        while not (list(index.glob("gen-*.tmp")) and b"embedding" in stderr):
            assert proc.poll() is None, f"the build finished before it could be killed: {bytes(stderr)[-500:]!r}"
            assert time.monotonic() < deadline, "the build never started embedding"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
        reader.join(10)
    assert proc.returncode == -signal.SIGKILL
    assert list(index.glob("gen-*.tmp"))  # it died half-way
    assert_old_index_answers(corpus, index, m["generation"], m["chunks"])
    assert_next_build_succeeds(corpus, index, m["generation"], m["chunks"], "zz_big")


# ---- incremental == full rebuild

QUESTIONS = [
    "Who controls eastern Aleppo according to Lavrov?",
    "What was the outcome of the Astana talks?",
    "What will Moscow do if Islamic State militants move from Mosul to Syria?",
    "When will the Geneva talks open and who is invited?",
]


def test_incremental_build_equals_full_rebuild(indexed_copy, tmp_path):
    corpus, index = indexed_copy
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    build(corpus, index)
    path = corpus / "004_5c9cc7032a8f1c3d.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("for two weeks now", "for three weeks now"), encoding="utf-8")
    (corpus / "002_2faade04ba6bd5e4.txt").unlink()
    build(corpus, index)

    incremental = Assistant(corpus=corpus, index=index)
    assert incremental.last_report.up_to_date
    full = Assistant(corpus=corpus, index=tmp_path / "full-index")
    assert full.last_report.embedded == full.last_report.chunks  # really from scratch

    assert chunk_rows(incremental.index) == chunk_rows(full.index)
    assert incremental.docs() == full.docs()
    for q in QUESTIONS:
        a = [(r["doc_id"], r["start"], r["end"]) for r in incremental.search(q, k=5)]
        b = [(r["doc_id"], r["start"], r["end"]) for r in full.search(q, k=5)]
        assert a == b, q
        x, y = incremental.ask(q), full.ask(q)
        assert (x.answer, [(c.doc_id, c.start, c.end) for c in x.citations]) == (y.answer, [(c.doc_id, c.start, c.end) for c in y.citations])


def test_unchanged_folder_is_recognised_without_reading_a_file(indexed_copy, monkeypatch):
    corpus, index = indexed_copy
    build(corpus, index)  # record the copy's file stats

    def no_reading(*args, **kwargs):
        raise AssertionError("read_corpus was called although nothing changed")

    monkeypatch.setattr("qa.build.read_corpus", no_reading)
    assert build(corpus, index).up_to_date


def test_touched_but_identical_file_is_not_reindexed(indexed_copy):
    import os

    corpus, index = indexed_copy
    build(corpus, index)
    path = corpus / "003_238ccbb7fe04cffb.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    rep = build(corpus, index)
    assert rep.up_to_date and rep.embedded == 0
    assert read_manifest(index)["stat_fingerprint"] == stat_fingerprint(settings(corpus, index))
