"""Hybrid retrieval: dense (the vector store) and lexical (FTS5 BM25) fused by reciprocal rank; filters inside both."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from qa.models import Filters, Hit
from qa.search.index import Index
from qa.text.speakers import last_name, surname


def match_any(terms: list[str]) -> str:
    """An FTS5 query matching any of the terms; a term of several words ("u.s.", "united nations") as a phrase."""
    phrases = [" ".join(re.findall(r"\w+", t)) for t in terms]
    return " OR ".join(f'"{p}"' for p in dict.fromkeys(phrases) if p)


def shared_ranks(ranking: list[tuple[int, float]]) -> dict[int, int]:
    """0-based ranks of a best-first list, equal scores sharing the best of their ranks (their order in the list is
    arbitrary: ids, insertion order)."""
    out: dict[int, int] = {}
    first, prev = 0, None
    for rank, (cid, score) in enumerate(ranking):
        if score != prev:
            first, prev = rank, score
        out[cid] = first
    return out


class Retriever:
    def __init__(self, index: Index, rrf_k: int = 60):
        self.index = index
        self.rrf_k = rrf_k

    def dense(self, qvec: np.ndarray, k: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        return self.index.vectors.search(qvec, k, allowed)

    def lexical(self, terms: list[str], k: int, filters: Filters) -> list[tuple[int, float]]:
        return self.index.store.bm25(match_any(terms), k, filters) if terms else []

    def spoken(self, speaker: str, terms: list[str], k: int, filters: Filters) -> list[tuple[int, float]]:
        """Passages where the asked speaker is attributed a sentence, by BM25 over the topic terms: what they said,
        also where the passage itself does not name them ("the foreign minister said", a quotation after their name)."""
        last = last_name(speaker).lower()
        named = {w.lower() for w in speaker.split()} | {last}
        topic = [t for t in terms if t.lower() not in named]
        # the stored names keep their accents: as typed, and as the articles write it ('Erdogan': 'Erdoğan')
        spellings = sorted({last} | self.index.surname_spellings.get(surname(speaker), set()))
        return self.index.store.speaker_bm25(match_any(topic), spellings, k, filters) if topic else []

    def search(self, terms: list[str], qvec: np.ndarray, k: int = 20, filters: Filters | None = None, mode: str = "hybrid",
               speaker: str | None = None) -> list[Hit]:
        """Best chunks for the question's topic terms and vector; `mode` "dense" or "lexical" switches the other off;
        with the question's `speaker`, a third list: the passages where they speak on the topic."""
        filters = filters or Filters()
        allowed = self.index.store.chunk_ids(filters) if filters.active() else None
        dense = self.dense(qvec, k, allowed) if mode != "lexical" else []
        lexical = self.lexical(terms, k, filters) if mode != "dense" else []
        spoken = self.spoken(speaker, terms, k, filters) if speaker and mode == "hybrid" else []
        fused: dict[int, float] = {}
        for ranking in (dense, lexical, spoken):
            for cid, rank in shared_ranks(ranking).items():
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        dense_of = dict(dense)
        lex_of = {**dict(spoken), **dict(lexical)}  # a passage found only as the speaker's: its BM25 on the topic
        for cid in fused:  # lexical-only hits: their cosine from the stored vectors
            if cid not in dense_of:
                dense_of[cid] = float(self.index.vectors.vector(cid) @ qvec)
        dense_rank, lex_rank = shared_ranks(dense), shared_ranks(lexical)
        hits = [Hit(cid, s, dense_of[cid], lex_of.get(cid, 0.0), dense_rank.get(cid, -1), lex_rank.get(cid, -1)) for cid, s in fused.items()]
        return self.in_order(hits)[:k]

    def in_order(self, hits: list[Hit]) -> list[Hit]:
        """Best fused score first; equal scores (copies of one story, equal vectors) by article and offset, so the order
        does not depend on the ids an index happened to give its passages."""
        counts = Counter(round(h.score, 12) for h in hits)  # rounded: sums of the same terms in another order
        tied = [h.chunk_id for h in hits if counts[round(h.score, 12)] > 1]
        where = {cid: (c.doc_id, c.start) for cid, c in self.index.store.chunks(tied).items()} if tied else {}
        return sorted(hits, key=lambda h: (-round(h.score, 12), where.get(h.chunk_id, ("", 0))))
