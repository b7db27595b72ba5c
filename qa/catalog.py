"""The article list behind `qa docs`: from the index when it is current, else straight from the files (no model)."""

from __future__ import annotations

from qa.chunk import chunk_article
from qa.config import Settings
from qa.index import Index, fingerprint, is_current, read_manifest
from qa.ingest import read_corpus

FIELDS = ("doc_id", "title", "date", "date_method", "source", "path", "chars", "chunks")


def list_articles(settings: Settings) -> tuple[list[dict], list[str]]:
    if is_current(settings):  # the files are as indexed: no need to read them
        return _from_index(settings), []
    articles, warnings = read_corpus(settings.corpus, settings.max_file_mb)
    manifest = read_manifest(settings.index)
    if manifest and manifest.get("fingerprint") == fingerprint(articles, settings):
        return _from_index(settings), warnings
    rows = [
        {
            "doc_id": a.doc_id,
            "title": a.title,
            "date": a.date,
            "date_method": a.date_method,
            "source": a.source,
            "path": a.path,
            "chars": len(a.text),
            "chunks": len(chunk_article(a, settings.chunk_words)),
        }
        for a in articles
    ]
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["doc_id"]))
    return rows, warnings


def _from_index(settings: Settings) -> list[dict]:
    index = Index.load(settings.index)
    try:
        return [{**{k: r[k] for k in FIELDS if k != "chunks"}, "chunks": r["n_chunks"]} for r in index.store.articles()]
    finally:
        index.close()
