"""Hybrid retrieval: dense (FAISS) and lexical (FTS5 BM25) fused by reciprocal rank; filters inside both searches."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.index import Index

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both but by
    can could did do does doing down during each few for from further had has have having he her here hers him his how i if
    in into is it its itself just me more most my no nor not now of off on once only or other our out over own same she should
    so some such than that the their them then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours say said says tell told think thought know about
    mention mentioned talk talked speak spoke stated state statement statements position view views stance opinion
    comment comments regarding concerning according happen happened
    change changed changes evolve evolved evolution shift shifted develop developed over time compare compared
    comparison timeline chronology""".split()
)

_WORD = re.compile(r"[\w][\w'’\-]*", re.UNICODE)


def content_terms(text: str) -> list[str]:
    """Lower-cased words of a question that carry its topic (stop words and short words removed)."""
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.strip("'’-")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if len(w) > 1 and w not in STOPWORDS and w not in out:
            out.append(w)
    return out


@dataclass
class Filters:
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    sources: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def sql(self) -> tuple[str, list]:
        where, params = [], []
        if self.since:
            where.append("a.date >= ?")
            params.append(self.since)
        if self.until:
            where.append("a.date <= ?")
            params.append(self.until)
        if self.sources:
            where.append(f"a.source COLLATE NOCASE IN ({','.join('?' * len(self.sources))})")
            params.extend(self.sources)
        if self.doc_ids:
            where.append(f"a.doc_id IN ({','.join('?' * len(self.doc_ids))})")
            params.extend(self.doc_ids)
        return " AND ".join(where), params

    def active(self) -> bool:
        return bool(self.since or self.until or self.sources or self.doc_ids)


@dataclass
class Hit:
    chunk_id: int
    score: float  # fused (RRF)
    dense: float  # cosine similarity to the question
    lexical: float  # BM25, 0 when the chunk did not match lexically


class Retriever:
    def __init__(self, index: Index, rrf_k: int = 60):
        self.index = index
        self.rrf_k = rrf_k

    def dense(self, qvec: np.ndarray, k: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        import faiss

        vectors = self.index.vectors
        if vectors.ntotal == 0 or allowed == []:
            return []
        from qa import ann

        selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)) if allowed is not None else None
        params = ann.search_params(vectors, selector, self.index.manifest.get("nprobe", 0))
        k = min(k, vectors.ntotal if allowed is None else len(allowed))
        scores, ids = vectors.search(qvec.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def lexical(self, question: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        terms = content_terms(question)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        where, params = filters.sql()
        return self.index.store.bm25(match, k, where, params)

    def search(
        self, question: str, qvec: np.ndarray, k: int = 20, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        """Best chunks for the question; `mode` "dense" or "lexical" switches the other ranking off."""
        filters = filters or Filters()
        allowed = None
        if filters.active():
            where, params = filters.sql()
            allowed = self.index.store.chunk_ids_where(where, params)
        dense = self.dense(qvec, k, allowed) if mode != "lexical" else []
        lexical = self.lexical(question, k, filters) if mode != "dense" else []
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        dense_of = dict(dense)
        lex_of = dict(lexical)
        missing = [cid for cid in fused if cid not in dense_of]
        if missing:  # lexical-only hits: get their cosine from the stored vectors
            for cid in missing:
                dense_of[cid] = float(self.index.vectors.reconstruct(int(cid)) @ qvec)
        hits = [Hit(cid, s, dense_of[cid], lex_of.get(cid, 0.0)) for cid, s in fused.items()]
        hits.sort(key=lambda h: -h.score)
        return hits[:k]
