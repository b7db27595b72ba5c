"""Hybrid retrieval: dense (the vector store) and lexical (FTS5 BM25) fused by reciprocal rank; filters inside both."""

from __future__ import annotations

import re

import numpy as np

from qa.models import Filters, Hit
from qa.search.index import Index


def match_any(terms: list[str]) -> str:
    """An FTS5 query matching any of the terms; a term of several words ("u.s.", "united nations") as a phrase."""
    phrases = [" ".join(re.findall(r"\w+", t)) for t in terms]
    return " OR ".join(f'"{p}"' for p in dict.fromkeys(phrases) if p)


class Retriever:
    def __init__(self, index: Index, rrf_k: int = 60):
        self.index = index
        self.rrf_k = rrf_k

    def dense(self, qvec: np.ndarray, k: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        return self.index.vectors.search(qvec, k, allowed)

    def lexical(self, terms: list[str], k: int, filters: Filters) -> list[tuple[int, float]]:
        return self.index.store.bm25(match_any(terms), k, filters) if terms else []

    def search(self, terms: list[str], qvec: np.ndarray, k: int = 20, filters: Filters | None = None, mode: str = "hybrid") -> list[Hit]:
        """Best chunks for the question's topic terms and vector; `mode` "dense" or "lexical" switches the other off."""
        filters = filters or Filters()
        allowed = self.index.store.chunk_ids(filters) if filters.active() else None
        dense = self.dense(qvec, k, allowed) if mode != "lexical" else []
        lexical = self.lexical(terms, k, filters) if mode != "dense" else []
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        dense_of = dict(dense)
        lex_of = dict(lexical)
        for cid in fused:  # lexical-only hits: their cosine from the stored vectors
            if cid not in dense_of:
                dense_of[cid] = float(self.index.vectors.vector(cid) @ qvec)
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense)}
        lex_rank = {cid: r for r, (cid, _) in enumerate(lexical)}
        hits = [Hit(cid, s, dense_of[cid], lex_of.get(cid, 0.0), dense_rank.get(cid, -1), lex_rank.get(cid, -1)) for cid, s in fused.items()]
        hits.sort(key=lambda h: -h.score)
        return hits[:k]
