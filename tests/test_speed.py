"""The fast paths give what the plain ones give: the parse cache (a file or row read before is not laid out again), the
one-row abstention trees, BM25 without filters, single-thread FAISS. Fake encoder, test corpora; no timings here."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

import corpora
from qa.answer.scorer import QUESTION_FEATURES, Scorer
from qa.build import build_index
from qa.corpus import parsed, readers
from qa.corpus.parsed import ParseCache
from qa.corpus.readers import read_corpus
from qa.encoders import encoder_for
from qa.models import Filters
from qa.search.hybrid import match_any
from qa.search.index import Index

ROW = {"id": "ap_new_row", "title": "Keldland opens a fish ladder on the Orlen dam", "date": "2017-05-02", "source": "AP",
       "text": "KELDMOUTH (AP) — Keldland opened a fish ladder beside the Orlen dam on Tuesday, so that salmon can pass the "
               "wall on their way upstream, the energy ministry said.\n\nThe ladder cost 12 million euros."}


def _view(articles) -> list[tuple]:
    return [(a.doc_id, a.path, a.content_hash, a.date, a.date_method, a.title, a.source, a.place, a.url, a.encoding,
             a.text, [tuple(b) for b in a.body], [tuple(s) for s in a.stripped]) for a in articles]


class Counting:
    """The fake encoder, counting the texts it is given."""

    def __init__(self, settings):
        self.inner = encoder_for(settings)
        self.name, self.dim, self.texts = self.inner.name, self.inner.dim, []

    def encode(self, texts, batch_size=32, progress=None):
        self.texts += texts
        return self.inner.encode(texts, batch_size, progress)

    def encode_spans(self, texts, spans, batch_size=32, progress=None):
        self.texts += texts
        return self.inner.encode_spans(texts, spans, batch_size, progress)


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The doc ids `build_article` lays out (the costly part of reading a row or text)."""
    seen: list[str] = []
    plain = readers.build_article

    def spy(doc_id, *args, **kwargs):
        seen.append(doc_id)
        return plain(doc_id, *args, **kwargs)

    monkeypatch.setattr(readers, "build_article", spy)
    return seen


def _build(corpus, index, encoder=None):
    s = corpora.fake_settings(corpus, index)
    return build_index(s, lambda: encoder or encoder_for(s))


def test_cached_read_equals_plain_read(tmp_path, laid_out):
    corpus = corpora.write_corpus(tmp_path / "corpus")
    plain, plain_warnings = read_corpus(corpus)
    cache = ParseCache(tmp_path / "parsed.sqlite")
    first, _ = read_corpus(corpus, cache=cache)
    cache.save()
    laid_out.clear()
    again, warnings = read_corpus(corpus, cache=ParseCache(tmp_path / "parsed.sqlite"))  # another process: from the file
    assert _view(first) == _view(again) == _view(plain)
    assert warnings == plain_warnings
    assert laid_out == []  # nothing laid out again


def test_one_new_row_is_the_only_one_read_chunked_and_embedded(tmp_path, laid_out, monkeypatch):
    corpus, index = corpora.write_corpus(tmp_path / "corpus"), tmp_path / "index"
    _build(corpus, index)
    parsed._OPEN.clear()  # as in a new process: the cache comes from parsed.sqlite
    with open(corpus / "wire.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(ROW) + "\n")
    laid_out.clear()
    chunked: list[str] = []
    import qa.build

    plain_chunk = qa.build.chunk_article
    monkeypatch.setattr(qa.build, "chunk_article", lambda art, words: chunked.append(art.doc_id) or plain_chunk(art, words))
    enc = Counting(corpora.fake_settings(corpus, index))
    report = _build(corpus, index, enc)
    assert report.added == ["ap_new_row"] and not report.changed and not report.removed
    assert laid_out == chunked == ["ap_new_row"]
    assert enc.texts and all(t in ROW["text"] for t in enc.texts)
    assert report.embedded == len(enc.texts)
    _build(tmp_path / "corpus", tmp_path / "index-full")  # a fresh build of the same corpus gives the same articles
    live, fresh = (Index.load(i, corpora.fake_settings(corpus, i)) for i in (index, tmp_path / "index-full"))
    try:
        assert live.store.articles() == fresh.store.articles()
        assert live.store.count_chunks() == fresh.store.count_chunks() == report.chunks
    finally:
        live.close()
        fresh.close()


def test_a_new_text_file_reads_nothing_else(tmp_path, laid_out, monkeypatch):
    corpus, index = corpora.write_corpus(tmp_path / "corpus"), tmp_path / "index"
    _build(corpus, index)
    (corpus / f"{corpora.NEW_ID}.txt").write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    laid_out.clear()
    opened = []
    plain = readers.read_file
    monkeypatch.setattr(readers, "read_file", lambda path, *a, **k: opened.append(path.name) or plain(path, *a, **k))
    report = _build(corpus, index)
    assert report.added == [corpora.NEW_ID] and laid_out == [corpora.NEW_ID]
    assert opened == [f"{corpora.NEW_ID}.txt"]


def test_a_changed_sidecar_is_read_again(tmp_path):
    corpus, index = corpora.write_corpus(tmp_path / "corpus"), tmp_path / "index"
    _build(corpus, index)
    side = next(corpus.glob("*.meta.json"))
    meta = json.loads(side.read_text())
    side.write_text(json.dumps({**meta, "title": "A new title"}))
    report = _build(corpus, index)
    assert report.changed == [side.name.removesuffix(".meta.json")]


def test_a_damaged_or_foreign_cache_starts_afresh(tmp_path):
    corpus = corpora.write_corpus(tmp_path / "corpus")
    path = tmp_path / "parsed.sqlite"
    path.write_bytes(b"no database here" * 64)
    articles, _ = read_corpus(corpus, cache=ParseCache(path))
    assert _view(articles) == _view(read_corpus(corpus)[0])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'other code' WHERE key = 'version'")
    cache = ParseCache(path)
    assert cache.files == {}


def test_one_row_trees_equal_the_batch_walk():
    trees = Scorer.load().question
    rng = np.random.default_rng(0)
    rows = rng.normal(0, 1, (400, len(QUESTION_FEATURES))) * rng.choice([0.05, 1, 6], (400, len(QUESTION_FEATURES)))
    rows[rng.random(rows.shape) < 0.05] = np.nan
    batch = 1.0 / (1.0 + np.exp(-trees.raw(rows)))
    one = np.concatenate([trees(r[None, :]) for r in rows])
    assert np.array_equal(batch, one)
    assert np.array_equal(trees(rows), batch)


def test_bm25_without_filters_equals_the_joined_query(news):
    store = news.index.store
    for terms in (["orlen", "dam"], ["salmon"], ["velmora", "tram", "passengers"], ["geneva", "talks", "varga"]):
        match = match_any(terms)
        joined = store.db.execute(
            "SELECT chunks_fts.rowid, -bm25(chunks_fts) FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
            " JOIN articles a ON a.doc_id = c.doc_id WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT 20", (match,)
        ).fetchall()
        assert store.bm25(match, 20) == [tuple(r) for r in joined]
        assert store.bm25(match, 20, Filters(sources=("AP",))) == [h for h in store.bm25(match, 20) if _source(store, h[0]) == "AP"][:20]


def _source(store, chunk_id: int) -> str:
    return store.chunks([chunk_id])[chunk_id].source


def test_faiss_search_runs_on_one_thread_and_restores_the_setting(news):
    import faiss

    before = faiss.omp_get_max_threads()
    vec = news.index.vectors.vector(news.index.store.all_chunk_ids()[0])
    assert news.index.vectors.search(vec, 3)[0][1] == pytest.approx(1.0, abs=1e-4)
    assert faiss.omp_get_max_threads() == before


def test_a_changed_row_is_the_only_one_laid_out_again(tmp_path, laid_out):
    corpus, index = corpora.write_corpus(tmp_path / "corpus"), tmp_path / "index"
    _build(corpus, index)
    feed = corpus / "wire.jsonl"
    rows = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    rows[-1]["text"] += "\n\nThe line opens in May."
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    laid_out.clear()
    report = _build(corpus, index)
    assert report.changed == [rows[-1]["id"]] and laid_out == [rows[-1]["id"]] and not report.added


def test_a_rebuild_reads_every_file_again(tmp_path, laid_out):
    corpus, index = corpora.write_corpus(tmp_path / "corpus"), tmp_path / "index"
    _build(corpus, index)
    every = sorted(a.doc_id for a in read_corpus(corpus)[0])
    laid_out.clear()
    s = corpora.fake_settings(corpus, index)
    build_index(s, lambda: encoder_for(s), rebuild=True)
    assert sorted(laid_out) == every
