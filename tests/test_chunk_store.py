"""The chunk store (qa.search.chunks: SQLite + FTS5), the index folder (qa.search.index) and the vector-store seam."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

import corpora
from qa.config import Settings
from qa.corpus.chunk import chunk_article
from qa.corpus.readers import read_corpus
from qa.models import Chunk, Filters
from qa.search import new_vector_store, open_vector_store
from qa.search.chunks import Store
from qa.search.hybrid import match_any
from qa.search.index import Index, read_manifest


@pytest.fixture(scope="module")
def store_file(tmp_path_factory, news_corpus):
    """A chunk store written from the news corpus, once; each test gets its own copy."""
    articles, _ = read_corpus(news_corpus)
    path = tmp_path_factory.mktemp("store") / "store.sqlite"
    s = Store(path)
    for art in articles:
        chunks = chunk_article(art)
        s.add_chunks(chunks)
        s.put_article(art, len(chunks))
    s.commit()
    s.close()
    return path


@pytest.fixture
def store(tmp_path, store_file):
    shutil.copyfile(store_file, tmp_path / "store.sqlite")
    s = Store(tmp_path / "store.sqlite")
    yield s
    s.close()


def test_chunk_ids_are_given_in_insertion_order(tmp_path, news_corpus):
    articles, _ = read_corpus(news_corpus)
    s = Store(tmp_path / "fresh.sqlite")
    try:
        first = s.add_chunks(chunk_article(articles[0]))
        second = s.add_chunks(chunk_article(articles[1]))
        assert first == sorted(first) and max(first) < min(second)
        assert s.count_chunks() == len(first) + len(second)
    finally:
        s.close()


def ids_of(store: Store, doc_id: str) -> list[int]:
    return [c.id for c in store.chunks(store.all_chunk_ids()).values() if c.doc_id == doc_id]


def test_chunks_come_back_as_chunks_with_their_article(store):
    ids = store.all_chunk_ids()
    assert ids == sorted(ids) and len(ids) == store.count_chunks() == len(set(ids))
    chunks = store.chunks(ids)
    assert set(chunks) == set(ids)
    for cid, c in chunks.items():
        story = corpora.BY_ID[c.doc_id]
        assert isinstance(c, Chunk) and c.id == cid
        assert (c.title, c.date, c.source) == (story.title, story.date, story.source)
        assert story.text[c.start : c.end] == c.text
        assert all(isinstance(s, tuple) and c.sentence_text(s) == story.text[s[0] : s[1]] for s in c.sentences)
    assert store.chunks([]) == {} and store.chunks([10**9]) == {}


def test_article_rows(store):
    row = store.article("bbc_orlen_fishermen")
    assert row["text"] == corpora.BBC.text and row["n_chunks"] == len(ids_of(store, "bbc_orlen_fishermen"))
    assert all(isinstance(b, tuple) for b in row["body"]) and all(len(s) == 3 for s in row["stripped"])
    assert (row["date"], row["date_method"], row["url"]) == ("2017-03-01", "explicit", corpora.BBC.sidecar["url"])
    assert store.article("no_such_article") is None


def test_articles_in_date_order_undated_last(store):
    rows = store.articles()
    assert [r["doc_id"] for r in rows] == sorted(corpora.DOC_IDS, key=lambda d: (corpora.BY_ID[d].date is None, corpora.BY_ID[d].date or "", d))
    assert rows[-1]["date"] is None
    assert all(r["chars"] == len(corpora.BY_ID[r["doc_id"]].text) and r["n_chunks"] > 0 for r in rows)
    assert set(store.article_hashes()) == set(corpora.DOC_IDS)


def test_sources_and_date_range(store):
    assert store.sources() == sorted({s.source for s in corpora.STORIES})
    assert store.date_range() == ("2016-10-21", "2017-05-12")


@pytest.mark.parametrize(
    ("filters", "docs"),
    [
        (Filters(), set(corpora.DOC_IDS)),
        (Filters(since="2017-03-01"), {"bbc_orlen_fishermen", "cnn_storm_halvard", "guardian_orlen_treaty"}),
        (Filters(until="2016-12-31"), {"tass_orlen_dam", "reuters_orlen_court"}),
        (Filters(since="2016-11-15", until="2017-01-24"), {"reuters_orlen_court", "ap_orlen_talks"}),
        (Filters(sources=("tass", "THE GUARDIAN")), {"tass_orlen_dam", "guardian_orlen_treaty"}),
        (Filters(doc_ids=("zna_salmon_count",)), {"zna_salmon_count"}),
        (Filters(since="2017-01-01", sources=("AP",)), {"ap_orlen_talks", "ap_velmora_tram"}),
        (Filters(since="2030-01-01"), set()),
    ],
)
def test_chunk_ids_follow_the_filters(store, filters, docs):
    chunks = store.chunks(store.chunk_ids(filters))
    assert {c.doc_id for c in chunks.values()} == docs
    assert len(chunks) == sum(len(ids_of(store, d)) for d in docs)


def test_bm25_ranks_matching_chunks_inside_the_filters(store):
    hits = store.bm25(match_any(["salmon"]), 10)
    texts = [store.chunks([cid])[cid].text for cid, _ in hits]
    assert hits and all("salmon" in t.lower() for t in texts)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True) and all(s > 0 for _, s in hits)
    assert len(store.bm25(match_any(["salmon"]), 1)) == 1
    only = store.bm25(match_any(["salmon"]), 10, Filters(doc_ids=("zna_salmon_count",)))
    assert only and {store.chunks([cid])[cid].doc_id for cid, _ in only} == {"zna_salmon_count"}
    assert store.bm25(match_any(["salmon"]), 10, Filters(since="2030-01-01")) == []


def test_bm25_stems_and_survives_bad_syntax(store):
    assert store.bm25(match_any(["fishermen"]), 10) and store.bm25(match_any(["licences"]), 10)  # porter stemming
    assert store.bm25('"unbalanced', 10) == [] and store.bm25("NEAR(", 10) == []
    assert store.doc_freq('"salmon"') == len(store.bm25('"salmon"', 100)) > 0
    assert store.doc_freq('"zzzunknown"') == 0 and store.doc_freq('"bad') == 0


def test_delete_article_takes_its_chunks_out_of_the_text_index(store):
    gone = store.delete_article("zna_salmon_count")
    assert gone and not set(gone) & set(store.all_chunk_ids())
    assert store.article("zna_salmon_count") is None
    assert not any(store.chunks([cid])[cid].doc_id == "zna_salmon_count" for cid, _ in store.bm25('"counters"', 10))
    assert store.delete_article("zna_salmon_count") == []


def test_a_readonly_store_cannot_be_written(store, tmp_path):
    ro = Store(tmp_path / "store.sqlite", readonly=True)
    try:
        assert ro.count_chunks() == store.count_chunks()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.delete_article("tass_orlen_dam")
    finally:
        ro.close()


# ---- the index folder


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]", '{"format": 1}', '{"generation": ""}'])
def test_unusable_manifest_reads_as_none(tmp_path, content):
    if content is not None:
        (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    assert read_manifest(tmp_path) is None
    assert Index.load(tmp_path) is None


def test_index_load(news, news_index):
    manifest = read_manifest(news_index)
    idx = Index.load(news_index, corpora.fake_settings(news_index, news_index))
    try:
        assert idx.generation == manifest["generation"] == news.index.generation
        assert len(idx.vectors) == idx.store.count_chunks() == manifest["chunks"]
    finally:
        idx.close()
    missing = news_index.parent / "broken"
    missing.mkdir()
    (missing / "manifest.json").write_text(json.dumps({**manifest, "generation": "gen-999999"}), encoding="utf-8")
    assert Index.load(missing) is None


def test_only_known_vector_stores(tmp_path):
    with pytest.raises(ValueError, match="unknown vector store 'annoy'"):
        new_vector_store(Settings(vector_store="annoy"), 8)
    with pytest.raises(ValueError, match="unknown vector store"):
        open_vector_store(Settings(vector_store="annoy"), tmp_path, {})
    vs = new_vector_store(Settings(vector_store="faiss", flat_max=10), 8)
    assert (vs.dim, len(vs), vs.flat_max) == (8, 0, 10)


def test_text_before_is_the_article_s_characters_up_to_an_offset(store):
    for art in store.articles()[:5]:
        text = store.article(art["doc_id"])["text"]
        for start in (0, 3, len(text) // 2, len(text)):
            assert store.text_before(art["doc_id"], start, 40) == text[max(0, start - 40) : start]
    assert store.text_before("no such article", 10, 5) == ""
