"""Building the index (qa.build): manifest, incremental updates that embed only new text, crash safety,
equality with a full rebuild. All with the fake encoder on the test corpora (tests/corpora.py)."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import corpora
from qa.api import Assistant
from qa.build import FORMAT_VERSION, build_index, fingerprint, stat_fingerprint
from qa.config import Settings
from qa.corpus.chunk import chunk_article
from qa.corpus.readers import read_corpus
from qa.encoders import encoder_for
from qa.encoders.fake import FAKE, FakeEncoder
from qa.search.faiss_store import ids_of
from qa.search.index import Index, read_manifest

REPO = Path(__file__).resolve().parent.parent
NEW_ID, NEW_ARTICLE = corpora.NEW_ID, corpora.NEW_ARTICLE
BOATS = "How many fishing boats may each country license on the lower Orlen?"


def build(corpus: Path, index: Path, encoder_factory=None, **settings):
    s = corpora.fake_settings(corpus, index, **settings)
    return build_index(s, encoder_factory or (lambda: encoder_for(s)))


def article(corpus: Path, doc_id: str):
    articles, _ = read_corpus(corpus)
    return next(a for a in articles if a.doc_id == doc_id)


def chunk_rows(index: Index) -> list[tuple]:
    chunks = index.store.chunks(index.store.all_chunk_ids()).values()
    return sorted((c.doc_id, c.start, c.end, c.text) for c in chunks)


def assert_consistent(index: Index) -> None:
    """The vector store holds exactly one vector per stored chunk, keyed by chunk id."""
    ids = index.store.all_chunk_ids()
    assert len(index.vectors) == len(ids) == index.store.count_chunks()
    assert set(ids_of(index.vectors.index).tolist()) == set(ids)
    assert sum(a["n_chunks"] for a in index.store.articles()) == len(ids)


def loaded(index_dir: Path) -> Index:
    index = Index.load(index_dir)
    assert index is not None
    return index


def assistant(corpus: Path, index: Path, **kw) -> Assistant:
    return Assistant(settings=corpora.fake_settings(corpus, index), **kw)


# ---- manifest


def test_manifest_fields(news, news_index):
    m = read_manifest(news_index)
    assert m["format"] == FORMAT_VERSION
    assert m["model"] == FAKE
    assert m["dim"] == 256 == news.index.vectors.dim
    assert re.fullmatch(r"[0-9a-f]{32}", m["fingerprint"]) and re.fullmatch(r"[0-9a-f]{32}", m["stat_fingerprint"])
    assert re.fullmatch(r"gen-\d{6}", m["generation"]) and (news_index / m["generation"]).is_dir()
    assert m["docs"] == len(corpora.STORIES)
    assert m["chunks"] == len(news.index.vectors) == news.index.store.count_chunks()
    assert (m["vector_store"], m["faiss"], m["nprobe"], m["chunk_words"]) == ("faiss", "IDMap2,Flat,IP", 0, news.settings.chunk_words)


def test_manifest_fingerprints_match_the_corpus(news, news_corpus, news_index):
    articles, _ = read_corpus(news_corpus)
    s = corpora.fake_settings(news_corpus, news_index)
    assert read_manifest(news_index)["fingerprint"] == fingerprint(articles, s)
    assert read_manifest(news_index)["stat_fingerprint"] == stat_fingerprint(s)


def test_fingerprint_follows_content_dates_model_and_chunking(news_corpus, tmp_path):
    articles, _ = read_corpus(news_corpus)
    s = corpora.fake_settings(news_corpus, tmp_path)
    fp = fingerprint(articles, s)
    assert fingerprint(list(reversed(articles)), s) == fp  # order does not matter
    assert fingerprint(articles, corpora.fake_settings(news_corpus, tmp_path, chunk_words=30)) != fp
    assert fingerprint(articles, Settings(corpus=news_corpus, index=tmp_path, backend="onnx")) != fp
    articles[0].date = "1999-01-01"
    assert fingerprint(articles, s) != fp


def test_index_is_consistent(news):
    assert_consistent(news.index)
    assert {a["doc_id"] for a in news.docs()} == set(corpora.DOC_IDS)


def test_chunks_match_chunk_article(news, news_corpus):
    articles, _ = read_corpus(news_corpus)
    expected = sorted((c.doc_id, c.start, c.end, c.text) for a in articles for c in chunk_article(a, news.settings.chunk_words))
    assert chunk_rows(news.index) == expected


def test_empty_corpus_builds_an_empty_index(tmp_path):
    (tmp_path / "corpus").mkdir()
    a = assistant(tmp_path / "corpus", tmp_path / "index")
    assert (a.last_report.docs, a.last_report.chunks) == (0, 0)
    assert len(a.index.vectors) == 0 and a.index.vectors.dim == 256
    assert a.ask(BOATS).abstained and a.docs() == []


def test_missing_corpus_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        build(tmp_path / "nowhere", tmp_path / "index")


# ---- incremental updates


def test_rebuild_with_nothing_changed_is_up_to_date(news_copy):
    corpus, index = news_copy
    built = read_manifest(index)
    rep = build(corpus, index)  # copied files are new files to the system: recognised by their content
    assert rep.up_to_date
    assert rep.embedded == 0
    assert (rep.generation, rep.chunks) == (built["generation"], built["chunks"])
    before = read_manifest(index)
    assert {k: v for k, v in before.items() if k != "stat_fingerprint"} == {k: v for k, v in built.items() if k != "stat_fingerprint"}
    rep = build(corpus, index)
    assert rep.up_to_date and rep.embedded == 0
    assert read_manifest(index) == before


def test_new_layout_rules_reach_an_index_of_unchanged_files(news_copy, monkeypatch):
    """An upgrade that changes the debris rules (layout.VERSION) re-reads the same files: the articles are laid out
    again (a new content hash each), and only passages whose text changed are embedded."""
    from qa.corpus import layout, parsed

    corpus, index = news_copy
    assert build(corpus, index).up_to_date
    monkeypatch.setattr(layout, "VERSION", layout.VERSION + 1)
    monkeypatch.setattr(parsed, "code_version", lambda: "other reading code")  # as the edited layout.py gives, in a
    monkeypatch.setattr(parsed, "_OPEN", {})  # new process
    rep = build(corpus, index)
    assert not rep.up_to_date and rep.changed and rep.embedded == 0
    assert build(corpus, index).up_to_date


def test_assistant_refresh_with_nothing_changed(news):
    generation = news.index.generation
    rep = news.refresh()
    assert rep.up_to_date and rep.embedded == 0
    assert news.index.generation == generation


def test_adding_an_article_embeds_exactly_its_chunks(news_copy):
    corpus, index = news_copy
    old_total = len(loaded(index).vectors)
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


def test_adding_an_article_reports_the_rest_as_reused(news_copy):
    """`N passages embedded, M reused`: every passage of the new generation is one or the other."""
    corpus, index = news_copy
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    rep = build(corpus, index)
    assert rep.embedded == len(chunk_article(article(corpus, NEW_ID)))
    assert rep.reused == rep.chunks - rep.embedded


def test_changing_a_file_reembeds_only_its_new_chunks(news_copy):
    corpus, index = news_copy
    doc_id = "tass_orlen_dam"
    path = corpus / f"{doc_id}.txt"
    old = chunk_article(article(corpus, doc_id))
    text = path.read_text(encoding="utf-8")
    added = "Varga added that Zarnovia would raise the matter at the next meeting of the river commission."
    path.write_text(text.replace("Varga stressed.", "Varga stressed. " + added), encoding="utf-8")
    new = chunk_article(article(corpus, doc_id))
    fresh_texts = {c.text for c in new} - {c.text for c in old}
    assert len(fresh_texts) == 1
    old_total = len(loaded(index).vectors)

    rep = build(corpus, index)
    assert (rep.added, rep.changed, rep.removed) == ([], [doc_id], [])
    assert rep.embedded == len(fresh_texts)
    idx = loaded(index)
    assert_consistent(idx)
    assert len(idx.vectors) == old_total - len(old) + len(new)
    assert any(added in r[3] for r in chunk_rows(idx) if r[0] == doc_id)


def test_metadata_only_change_embeds_nothing(news_copy):
    corpus, index = news_copy
    doc_id = "zna_salmon_count"
    (corpus / f"{doc_id}.meta.json").write_text(json.dumps({"date": "2017-03-20"}), encoding="utf-8")
    rep = build(corpus, index)
    assert rep.changed == [doc_id]
    assert rep.embedded == 0
    row = loaded(index).store.article(doc_id)
    assert (row["date"], row["date_method"]) == ("2017-03-20", "metadata")


def test_a_row_changed_in_a_feed_is_one_changed_article(news_copy):
    corpus, index = news_copy
    feed = corpus / "wire.jsonl"
    rows = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    rows[1]["text"] = rows[1]["text"].replace("30,000 passengers", "35,000 passengers")
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    rep = build(corpus, index)
    assert (rep.added, rep.changed, rep.removed) == ([], ["ap_velmora_tram"], [])
    assert rep.embedded == 1
    feed.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    rep = build(corpus, index)
    assert (rep.changed, rep.removed, rep.embedded) == ([], ["ap_velmora_tram"], 0)
    assert_consistent(loaded(index))


def test_removing_a_file_removes_its_chunks(news_copy):
    corpus, index = news_copy
    doc_id = "cnn_storm_halvard"
    before = loaded(index)
    n = before.store.article(doc_id)["n_chunks"]
    old_total = len(before.vectors)
    before.close()
    (corpus / f"{doc_id}.txt").unlink()

    rep = build(corpus, index)
    assert (rep.added, rep.changed, rep.removed) == ([], [], [doc_id])
    assert rep.embedded == 0
    idx = loaded(index)
    assert len(idx.vectors) == old_total - n
    assert idx.store.article(doc_id) is None
    assert all(r[0] != doc_id for r in chunk_rows(idx))
    assert_consistent(idx)


def test_removed_article_is_never_cited(news_copy):
    corpus, index = news_copy
    question = "What did Storm Halvard leave without power on the Velmora coast?"
    a = assistant(corpus, index)
    assert {c.doc_id for c in a.ask(question).citations} == {"cnn_storm_halvard"}
    (corpus / "cnn_storm_halvard.txt").unlink()
    a.refresh()
    ans = a.ask(question)
    assert all(c.doc_id != "cnn_storm_halvard" for c in ans.citations)


def test_changing_the_chunk_size_rebuilds_consistently(news_copy):
    corpus, index = news_copy
    before = read_manifest(index)["chunks"]
    rep = build(corpus, index, chunk_words=20)
    assert not rep.up_to_date and rep.chunks > before
    assert sorted(rep.added) == corpora.DOC_IDS  # another chunking: a fresh generation
    m = read_manifest(index)
    assert m["chunk_words"] == 20 and m["chunks"] == rep.chunks
    assert_consistent(loaded(index))


def test_old_generations_are_swept(news_copy):
    corpus, index = news_copy
    for doc_id in ("cnn_storm_halvard", "bbc_orlen_fishermen", "zna_salmon_count"):
        (corpus / f"{doc_id}.txt").unlink()
        rep = build(corpus, index)
    generations = sorted(p.name for p in index.glob("gen-*"))
    assert len(generations) == 2 and generations[-1] == rep.generation == read_manifest(index)["generation"]


def test_add_files_copies_under_a_safe_name_and_indexes(news_copy, tmp_path):
    corpus, index = news_copy
    upload = tmp_path / "upload dir"
    upload.mkdir()
    src = upload / "Geneva talks (draft)!.txt"
    src.write_text(NEW_ARTICLE, encoding="utf-8")
    a = assistant(corpus, index)
    rep = a.add_files([src])
    names = {p.name for p in corpus.iterdir()}
    assert "Geneva_talks_draft.txt" in names
    assert rep.added == ["Geneva_talks_draft"]
    assert any(d["doc_id"] == "Geneva_talks_draft" for d in a.docs())


def test_add_files_refuses_other_formats(news_copy, tmp_path):
    corpus, index = news_copy
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    a = assistant(corpus, index)
    with pytest.raises(ValueError):
        a.add_files([pdf])
    assert not (corpus / "report.pdf").exists()


def test_add_files_reads_before_copying_so_a_bad_file_changes_nothing(news_copy, tmp_path):
    corpus, index = news_copy
    before = sorted(p.name for p in corpus.iterdir())
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02 not text")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    a = assistant(corpus, index)
    generation = a.index.generation
    with pytest.raises(ValueError, match="blob.txt: skipped, looks binary"):
        a.add_files([blob, empty])
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert read_manifest(index)["generation"] == generation
    good = tmp_path / "good.txt"
    good.write_text(NEW_ARTICLE, encoding="utf-8")
    rep = a.add_files([blob, good])  # a mix: the good one goes in, the bad one is reported and left out
    assert rep.added == ["good"] and not (corpus / "blob.txt").exists()
    assert any(w.startswith("blob.txt: skipped") for w in rep.warnings)


def test_corrupt_manifest_is_rebuilt_from_the_embedding_cache(news_copy):
    corpus, index = news_copy
    chunks = read_manifest(index)["chunks"]
    (index / "manifest.json").write_text("{not json", encoding="utf-8")
    rep = build(corpus, index)
    assert not rep.up_to_date
    assert rep.embedded == 0 and rep.reused == rep.chunks == chunks
    assert_consistent(loaded(index))


def test_missing_live_generation_folder_is_rebuilt(news_copy):
    """The manifest names a generation folder that is gone (deleted by hand): the next build starts over."""
    corpus, index = news_copy
    chunks = read_manifest(index)["chunks"]
    shutil.rmtree(index / read_manifest(index)["generation"])
    rep = build(corpus, index)
    assert not rep.up_to_date and rep.chunks == chunks
    assert_consistent(loaded(index))


def test_unreadable_vectors_start_the_generation_afresh(news_copy):
    corpus, index = news_copy
    m = read_manifest(index)
    (index / m["generation"] / "vectors.faiss").write_bytes(b"not a faiss index")
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    rep = build(corpus, index)
    assert sorted(rep.added) == sorted([*corpora.DOC_IDS, NEW_ID]) and rep.embedded == len(chunk_article(article(corpus, NEW_ID)))
    assert_consistent(loaded(index))


# ---- crash safety


class CrashingEncoder(FakeEncoder):
    """The fake encoder for the first batch, then a crash: a build that dies half-way through embedding."""

    def __init__(self):
        super().__init__()
        self.batches = 0

    def _encode(self, texts):
        self.batches += 1
        if self.batches > 1:
            raise RuntimeError("simulated crash while embedding")
        return super()._encode(texts)


def assert_old_index_answers(corpus: Path, index: Path, generation: str, chunks: int) -> None:
    assert read_manifest(index)["generation"] == generation
    idx = loaded(index)
    assert len(idx.vectors) == chunks
    assert_consistent(idx)
    a = assistant(corpus, index, auto_index=False)
    a.index = idx  # the live generation as it is, without indexing the new file
    ans = a.ask(BOATS)
    assert not ans.abstained
    assert any(c.doc_id == "guardian_orlen_treaty" for c in ans.citations)


def assert_next_build_succeeds(corpus: Path, index: Path, generation: str, chunks: int, new_id: str) -> None:
    n_new = len(chunk_article(article(corpus, new_id)))
    rep = build(corpus, index)
    assert not rep.up_to_date and rep.added == [new_id]
    assert rep.embedded == n_new
    assert read_manifest(index)["generation"] == rep.generation != generation
    assert not list(index.glob("*.tmp"))
    idx = loaded(index)
    assert len(idx.vectors) == chunks + n_new
    assert_consistent(idx)


def test_build_that_raises_leaves_old_index_live(news_copy):
    corpus, index = news_copy
    m = read_manifest(index)
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    with pytest.raises(RuntimeError, match="simulated crash"):
        build(corpus, index, CrashingEncoder, batch_size=2)
    assert_old_index_answers(corpus, index, m["generation"], m["chunks"])
    assert_next_build_succeeds(corpus, index, m["generation"], m["chunks"], NEW_ID)


def test_a_failed_build_leaves_no_open_store_behind(news_copy):
    """The next build reuses the failed one's generation folder name: the failed build's store must be closed when it
    fails, not whenever the garbage collector gets to it (a late close rolled back through the new build's journal
    and broke it with "disk I/O error")."""
    corpus, index = news_copy
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    class CollectingEncoder(FakeEncoder):
        def _encode(self, texts):
            gc.collect()  # whatever the failed build left behind is finalised now, in the middle of this build
            return super()._encode(texts)

    gc.disable()  # no collection between the failure and the next build's transaction
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            build(corpus, index, CrashingEncoder, batch_size=2)
        rep = build(corpus, index, CollectingEncoder)
    finally:
        gc.enable()
    assert rep.added == [NEW_ID]
    idx = loaded(index)
    assert idx.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert_consistent(idx)


def big_article(paragraphs: int = 80) -> str:
    parts = ["Delegations gather in Geneva for a long round of talks\n",
             "GENEVA, February 21. /TASS/. Delegations arrived in Geneva on Tuesday for a new round of talks on the Orlen river.\n"]
    for i in range(1, paragraphs + 1):
        parts.append(
            f"On day {i} of the round, working group {i} discussed item {i} of the agenda, and the mediator said "
            f"that progress on point {i} had been {'slow' if i % 2 else 'steady'} but that talks on topic {i} would go on.\n"
        )
    return "\n".join(parts)


# A build in its own process whose encoder is slow (a fake one that sleeps per batch), so that it can be killed
# while it embeds into its new generation folder.
SLOW_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    import corpora
    from qa.build import build_index
    from qa.encoders.fake import FakeEncoder

    class Slow(FakeEncoder):
        def _encode(self, texts):
            print("embedding", flush=True)
            time.sleep(0.5)
            return super()._encode(texts)

    build_index(corpora.fake_settings(Path(sys.argv[1]), Path(sys.argv[2])), Slow)
    print("done", flush=True)
""")


def test_build_killed_mid_way_leaves_old_index_live(news_copy):
    """A build killed with SIGKILL while it embeds into its new generation folder: the old one stays live."""
    corpus, index = news_copy
    m = read_manifest(index)
    (corpus / "zz_big.txt").write_text(big_article(), encoding="utf-8")
    code = SLOW_BUILD.format(tests=str(Path(__file__).resolve().parent))
    proc = subprocess.Popen([sys.executable, "-c", code, str(corpus), str(index)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "embedding", proc.stderr.read()[-2000:]
        assert list(index.glob("gen-*.tmp"))  # embedding into the new generation folder
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert list(index.glob("gen-*.tmp"))  # it died half-way
    assert_old_index_answers(corpus, index, m["generation"], m["chunks"])
    assert_next_build_succeeds(corpus, index, m["generation"], m["chunks"], "zz_big")


# ---- incremental == full rebuild

QUESTIONS = [
    "What did Varga say about the Orlen dam?",
    BOATS,
    "How many homes would the turbines of the Orlen dam supply with electricity?",
    "When will the second round of Orlen talks open in Geneva?",
]


def test_incremental_build_equals_full_rebuild(news_copy, tmp_path):
    corpus, index = news_copy
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    build(corpus, index)
    path = corpus / "tass_orlen_dam.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("three times", "four times"), encoding="utf-8")
    (corpus / "cnn_storm_halvard.txt").unlink()
    build(corpus, index)

    incremental = assistant(corpus, index)
    assert incremental.last_report.up_to_date
    full = assistant(corpus, tmp_path / "full-index")
    assert full.last_report.embedded == full.last_report.chunks  # really from scratch

    assert chunk_rows(incremental.index) == chunk_rows(full.index)
    assert incremental.docs() == full.docs()
    for q in QUESTIONS:
        a = [(r["doc_id"], r["start"], r["end"]) for r in incremental.search(q, k=5)]
        b = [(r["doc_id"], r["start"], r["end"]) for r in full.search(q, k=5)]
        assert a == b, q
        x, y = incremental.ask(q), full.ask(q)
        assert (x.answer, [(c.doc_id, c.start, c.end) for c in x.citations]) == (y.answer, [(c.doc_id, c.start, c.end) for c in y.citations])


def test_unchanged_folder_is_recognised_without_reading_a_file(news_copy, monkeypatch):
    corpus, index = news_copy
    build(corpus, index)  # record the copy's file stats

    def no_reading(*args, **kwargs):
        raise AssertionError("read_corpus was called although nothing changed")

    monkeypatch.setattr("qa.build.read_corpus", no_reading)
    assert build(corpus, index).up_to_date


def test_touched_but_identical_file_is_not_reindexed(news_copy):
    corpus, index = news_copy
    build(corpus, index)
    path = corpus / "tass_orlen_dam.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    rep = build(corpus, index)
    assert rep.up_to_date and rep.embedded == 0
    assert read_manifest(index)["stat_fingerprint"] == stat_fingerprint(corpora.fake_settings(corpus, index))


def test_progress_is_reported_while_embedding(news_copy):
    corpus, index = news_copy
    (corpus / f"{NEW_ID}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    seen = []
    s = corpora.fake_settings(corpus, index, batch_size=1)
    rep = build_index(s, lambda: encoder_for(s), on_progress=lambda done, total: seen.append((done, total)))
    assert rep.embedded > 1 and seen and seen[-1] == (rep.embedded, rep.embedded)
    assert all(total == rep.embedded for _, total in seen) and [d for d, _ in seen] == sorted({d for d, _ in seen})
    assert build_index(s, lambda: encoder_for(s), on_progress=lambda *a: seen.append(a)).up_to_date and seen[-1] == (rep.embedded, rep.embedded)
