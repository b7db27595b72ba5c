"""A damaged or interrupted index heals: detected, moved aside, rebuilt from the corpus, nothing lost."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from corpora import fake_settings
from qa.api import Assistant
from qa.build import build_index
from qa.encoders import cache as emb_cache
from qa.encoders import encoder_for
from qa.search.generations import damage, read_manifest


def live(index):
    m = read_manifest(index)
    return m, index / m["generation"]


def docs_of(a: Assistant) -> set[str]:
    return {d["doc_id"] for d in a.docs()}


@pytest.fixture
def built(news_copy):
    corpus, index = news_copy
    a = Assistant(settings=fake_settings(corpus, index))
    return corpus, index, docs_of(a)


def garble(path, keep_mtime=False):
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek(st.st_size // 2)
        fh.write(b"\xff" * 64)
    if keep_mtime:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("damage_it", [
    lambda gen: (gen / "vectors.faiss").write_bytes(b"x" * 10),
    lambda gen: garble(gen / "store.sqlite"),
    lambda gen: (gen / "store.sqlite").unlink(),
    lambda gen: shutil.rmtree(gen),
], ids=["truncated vectors", "garbled store", "store deleted", "generation deleted"])
def test_a_damaged_generation_is_moved_aside_and_rebuilt(built, damage_it):
    corpus, index, want = built
    manifest, gen = live(index)
    damage_it(gen)
    a = Assistant(settings=fake_settings(corpus, index))
    assert docs_of(a) == want
    assert not a.ask("How many fishing boats may each country license on the lower Orlen?").abstained
    if gen.exists() or any(p.name.startswith("damaged-") for p in index.iterdir()):
        assert any("damaged" in w for w in a.last_report.warnings)
    assert damage(index, read_manifest(index), deep=True) is None


@pytest.mark.parametrize("content", ["", "{not json", json.dumps({"format": 2}), json.dumps({"generation": "gen-999999"})])
def test_an_unusable_manifest_means_a_rebuild(built, content):
    corpus, index, want = built
    (index / "manifest.json").write_text(content)
    a = Assistant(settings=fake_settings(corpus, index))
    assert docs_of(a) == want and read_manifest(index)["generation"] != "gen-999999"


def test_verify_finds_damage_that_keeps_size_and_time(built):
    corpus, index, _ = built
    manifest, gen = live(index)
    garble(gen / "store.sqlite", keep_mtime=True)
    assert damage(index, manifest) is None  # the quick check trusts size and time ...
    assert "checksum" in damage(index, manifest, deep=True)  # ... the deep one does not


def test_a_damaged_embedding_cache_is_moved_aside(built):
    corpus, index, want = built
    (index / "embeddings.sqlite").write_bytes(b"this is no database" * 100)
    s = fake_settings(corpus, index)
    rep = build_index(s, lambda: encoder_for(s), rebuild=True)
    assert rep.docs == len(want) and rep.embedded == rep.chunks
    assert any(p.name.startswith("embeddings.sqlite.damaged-") for p in index.iterdir())


def test_rebuild_reuses_cached_embeddings(built):
    corpus, index, _ = built
    s = fake_settings(corpus, index)
    before = read_manifest(index)["generation"]
    rep = build_index(s, lambda: encoder_for(s), rebuild=True)
    assert not rep.up_to_date and rep.generation != before and rep.embedded == 0


def test_an_interrupted_build_keeps_what_it_embedded(tmp_path, news_corpus, monkeypatch):
    s = fake_settings(news_corpus, tmp_path / "index")
    monkeypatch.setattr(emb_cache, "BATCH", 4)
    real = encoder_for(s)
    calls = {"n": 0}

    class Dies:
        dim = real.dim

        def encode_spans(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt  # the user stops the build part-way
            return real.encode_spans(*args, **kwargs)

    with pytest.raises(KeyboardInterrupt):
        build_index(s, lambda: Dies())
    assert read_manifest(s.index) is None  # no generation went live
    rep = build_index(s, lambda: real)
    assert rep.embedded == rep.chunks - 8  # the two batches embedded before the stop came from the cache


def test_a_missing_corpus_creates_nothing(tmp_path):
    s = fake_settings(tmp_path / "nope", tmp_path / "index")
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        build_index(s, lambda: encoder_for(s))
    assert not (tmp_path / "index").exists()


def test_an_edit_that_keeps_size_and_modification_time_is_noticed(built):
    corpus, index, _ = built
    path = next(p for p in sorted(corpus.glob("*.txt")) if not p.name.endswith(".meta.json"))
    text = path.read_text(encoding="utf-8")
    st = path.stat()
    i = text.index("the")
    path.write_text(text[:i] + "THE" + text[i + 3 :], encoding="utf-8")  # same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    a = Assistant(settings=fake_settings(corpus, index))
    assert a.last_report.changed == [a.last_report.changed[0]] and len(a.last_report.changed) == 1
    doc = a.last_report.changed[0]
    assert a.article(doc)["text"] == path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_damaged_onnx_export_is_made_again_and_said_so(tmp_path, capfd):
    from qa.encoders import get_encoder

    first = get_encoder(backend="onnx", cache=tmp_path / "a")
    exported = next((tmp_path / "a").glob("*.onnx"))
    damaged = tmp_path / "b" / exported.name
    damaged.parent.mkdir()
    damaged.write_bytes(exported.read_bytes()[:100_000])  # truncated on disk
    again = get_encoder(backend="onnx", cache=tmp_path / "b")
    assert "cannot be read" in capfd.readouterr().err
    assert again.backend == "onnx" and damaged.stat().st_size == exported.stat().st_size
    assert float(first.encode(["Lavrov"])[0] @ again.encode(["Lavrov"])[0]) > 0.9999
