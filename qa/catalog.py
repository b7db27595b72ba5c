"""The article list behind `qa docs`: from the index when it is current, else straight from the files (no model)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from qa.build import fingerprint, is_current
from qa.config import Settings
from qa.corpus.chunk import chunk_article
from qa.corpus.parsed import ParseCache
from qa.corpus.readers import read_corpus
from qa.search.index import Index, read_manifest
from qa.text.names import entities
from qa.text.words import ASKING_WORDS, FUNCTION_WORDS

FIELDS = ("doc_id", "title", "date", "date_method", "source", "path", "chars", "chunks", "encoding")


def list_articles(settings: Settings) -> tuple[list[dict], list[str]]:
    if is_current(settings):  # the files are as indexed: no need to read them
        return _from_index(settings), []
    articles, warnings = _read(settings)
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
            "encoding": a.encoding,
        }
        for a in articles
    ]
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["doc_id"]))
    return rows, warnings


def _read(settings: Settings) -> tuple[list, list[str]]:
    """The corpus' articles through the index's parse cache when there is an index folder (files not changed since
    the last read are not read again; what is read is remembered for the next build), else straight from the files."""
    if not Path(settings.index).is_dir():  # listing creates nothing
        return read_corpus(settings.corpus, settings.max_file_mb)
    cache = ParseCache.open(settings.index)
    found = read_corpus(settings.corpus, settings.max_file_mb, cache)
    cache.save()
    return found


def _from_index(settings: Settings) -> list[dict]:
    index = Index.load(settings.index, settings)
    try:
        return [{**{k: r[k] for k in FIELDS if k != "chunks"}, "chunks": r["n_chunks"]} for r in index.store.articles()]
    finally:
        index.close()


_SPEAKER = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:said|says|told|stressed|noted|added|warned)\b|\b(?:said|says)\s+([A-Z][a-z]+\s+[A-Z][a-z]+)")


def example_questions(store, n: int = 3, sample: int = 400) -> list[str]:
    """Questions the corpus can answer, drawn from it: who is quoted most, and on what."""
    texts = [r[0] for r in store.db.execute("SELECT text FROM chunks ORDER BY id DESC LIMIT ?", (sample,))]
    speakers: Counter[str] = Counter()
    for t in texts:
        for m in _SPEAKER.finditer(t):
            name = (m.group(1) or m.group(2)).split()[-1]
            if name.lower() not in FUNCTION_WORDS | ASKING_WORDS and name not in _NOT_SPEAKERS:
                speakers[name] += 1
    out: list[str] = []
    for speaker, _ in speakers.most_common(n):
        topics = Counter(e for t in texts if speaker in t for e in entities(t) if speaker not in e and e.lower() not in FUNCTION_WORDS)
        topic = next((e for e, _ in topics.most_common(5) if not _SPEAKER.fullmatch(e)), None)
        out.append(f"What did {speaker} say about {topic}?" if topic else f"What did {speaker} say?")
    if len(out) < n:
        common = Counter(e for t in texts for e in entities(t))
        out += [f"What happened in {e}?" for e, _ in common.most_common(n) if f"about {e}?" not in " ".join(out)][: n - len(out)]
    return out or ["What do the articles report?"]


_NOT_SPEAKERS = frozenset({"He", "She", "They", "It", "We", "Officials", "Sources", "Police", "Reuters", "Monday", "Tuesday", "Wednesday",
                           "Thursday", "Friday", "Saturday", "Sunday"})
