"""The paragraphs next to a quoted one: news spreads one fact, and one answer, over short paragraphs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from qa.answer.features import found as terms_found
from qa.corpus.wrapped import ends_paragraph, starts_paragraph
from qa.models import Chunk, Query

if TYPE_CHECKING:
    from qa.answer.compose import Scored
    from qa.answer.extractive import Candidates, ExtractiveAnswerer

NEIGHBOUR_GAIN = 0.5  # of the weight of the words the likeliest passage lacks, its neighbour must name (0.34: alike on dev)
BESIDE_RATIO = 0.005  # of the best passage's probability, a short paragraph next to a quoted one must have (dev: 0.002-0.01 alike)


def complement(answerer: ExtractiveAnswerer, query: Query, found: Candidates, chosen: list[Scored], order: list[int],
               prob: np.ndarray, limit: int) -> None:
    """When the likeliest passage lacks question words that a candidate next to it in the same article names
    (NEIGHBOUR_GAIN of their weight), quote that one too ("A runner carried the torch through Makhachkala …" / "… with
    cheering supporters lining the streets")."""
    if not chosen or len(chosen) >= limit:
        return
    first, ctx = chosen[0].chunk, found.ctx
    terms = [t for t in ctx.terms if t in ctx.weights]
    missing = [t for t in terms if t not in terms_found(terms, first.text, query.alternatives)]
    lacking = sum(ctx.weights[t] for t in missing)
    if lacking <= 0:
        return
    for i in order:
        c = found.chunks[i]
        if c.doc_id != first.doc_id or abs(c.ordinal - first.ordinal) != 1 or any(s.chunk.id == c.id for s in chosen):
            continue
        if sum(ctx.weights[t] for t in terms_found(missing, c.text, query.alternatives)) >= NEIGHBOUR_GAIN * lacking:
            _quote(answerer, query, found, i, prob, chosen)
            return


def beside(answerer: ExtractiveAnswerer, query: Query, found: Candidates, chosen: list[Scored], order: list[int],
           prob: np.ndarray, limit: int) -> None:
    """A story told in short paragraphs puts the answer in the one before or after the paragraph that matches the
    question best ("Who was charged with complicity?" → "Mohammed Merah … his brother" / "Abdelkader Merah is also
    being charged …"): a candidate that is a whole paragraph next to a quoted whole paragraph of the likeliest
    article is quoted too, if the scorer gives it BESIDE_RATIO of the best one's probability. Wikipedia's long
    paragraphs, cut into several passages, never qualify (BENCHMARKS.md)."""
    if not chosen or len(chosen) >= limit:
        return
    doc, best = chosen[0].chunk.doc_id, float(prob[order[0]])

    @cache
    def text() -> str:  # the article's, read only when a candidate gets this far
        return (answerer.store.article(doc) or {}).get("text") or ""

    def is_paragraph(c: Chunk) -> bool:
        return starts_paragraph(text(), c.start) and ends_paragraph(text(), c.end)

    quoted = [s.chunk for s in chosen if s.chunk.doc_id == doc]
    for i in order:
        c = found.chunks[i]
        if len(chosen) >= limit:
            return
        if c.doc_id != doc or prob[i] < BESIDE_RATIO * best or any(s.chunk.id == c.id for s in chosen):
            continue
        if any(abs(c.ordinal - q.ordinal) == 1 and is_paragraph(q) for q in quoted) and is_paragraph(c):
            _quote(answerer, query, found, i, prob, chosen)


def _quote(answerer: ExtractiveAnswerer, query: Query, found: Candidates, i: int, prob: np.ndarray, chosen: list[Scored]) -> None:
    first, last = answerer.quote(query, found.chunks[i], found.cosines[i])
    answerer.add_quote(found.hits[i], found.chunks[i], first, last, found.cosines[i], float(prob[i]), chosen)
