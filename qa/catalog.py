"""The article list behind `qa docs`: from the index when it is current, else straight from the files (no model)."""

from __future__ import annotations

from qa.chunk import chunk_article
from qa.config import Settings
from qa.index import Index, fingerprint, read_manifest
from qa.ingest import read_corpus

FIELDS = ("doc_id", "title", "date", "date_method", "source", "path", "chars", "chunks")


def list_articles(settings: Settings) -> tuple[list[dict], list[str]]:
    articles, warnings = read_corpus(settings.corpus, settings.max_file_mb)
    manifest = read_manifest(settings.index)
    if manifest and manifest.get("fingerprint") == fingerprint(articles, settings):
        index = Index.load(settings.index)
        if index is not None:
            try:
                rows = [dict(r, chunks=r["n_chunks"]) for r in index.store.articles()]
            finally:
                index.close()
            return [{k: r[k] for k in FIELDS} for r in rows], warnings
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
