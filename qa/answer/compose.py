"""Extractive answers: pick the sentences that answer the question, cite them, or abstain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from qa.models import Answer, Chunk, Citation, Hit, Query, Span

ABSTAIN_TEXT = "The articles do not answer this question."
SPEECH = re.compile(
    r"[\"“”«»]|\b(?:said|says|stated|stressed|noted|added|explained|emphasi[sz]ed|told|recalled|continued|pointed out"
    r"|according to|warned|urged|announced|declared|believes?|hopes?|expects?|insist(?:s|ed)?)\b",
    re.IGNORECASE,
)


@dataclass
class Params:
    """Weights and thresholds; the thresholds are calibrated with `qa eval` on tests/data/eval.jsonl."""

    w_sentence: float = 0.55
    w_chunk: float = 0.25
    w_lexical: float = 0.20
    w_speech: float = 0.05
    min_relevance: float = 0.40  # best sentence cosine below this: abstain
    min_relevance_unknown: float = 0.50  # ... when a word of the question is not in the corpus at all
    min_relevance_unknown_name: float = 0.80  # ... when that word is a name ("Ukraine", "NATO"): the corpus is not about it
    keep_ratio: float = 0.80  # keep sentences scoring at least this share of the best one
    max_sentences: int = 4
    max_per_doc: int = 2
    duplicate_cosine: float = 0.90
    passages: int = 5  # best passages whose sentences are considered (their sentences are encoded per question)


@dataclass
class Scored:
    """One candidate sentence with its features and score."""

    hit: Hit
    chunk: Chunk
    span: Span
    text: str
    cosine: float
    lexical: float
    speech: bool
    vec: np.ndarray = field(repr=False, default=None)
    score: float = 0.0


def lexical_overlap(terms: list[str], weights: dict[str, float], text: str) -> float:
    """Share of the question's idf-weighted topic terms that the text contains (prefix match on 5 letters)."""
    if not terms:
        return 0.0
    low = text.lower()
    total = sum(weights.get(t, 1.0) for t in terms)
    got = sum(weights.get(t, 1.0) for t in terms if (t[:5] if len(t) > 5 else t) in low)
    return got / total if total else 0.0


def by_date(scored: list[Scored]) -> list[Scored]:
    """Oldest article first, undated last; within an article, in reading order."""
    return sorted(scored, key=lambda s: (s.chunk.date is None, s.chunk.date or "", s.chunk.doc_id, s.span[0]))


class Composer:
    """The extractive `Answerer`: sentences scored by similarity, word overlap and reported speech."""

    def __init__(self, store, encoder, params: Params | None = None):
        self.store = store
        self.encoder = encoder
        self.params = params or Params()
        self._sentence_vecs: dict[int, np.ndarray] = {}

    def term_stats(self, terms: list[str], names: set[str]) -> tuple[dict[str, float], list[str]]:
        """Idf weights of the topic terms, and those that occur nowhere in the corpus (names capitalised)."""
        n = max(self.store.count_chunks(), 1)
        weights, unknown = {}, []
        for t in terms:
            df = self.store.doc_freq('"' + t.replace('"', "") + '"')
            if df == 0:
                unknown.append(t.capitalize() if t in names else t)
            weights[t] = float(np.log(1 + n / (1 + df)))
        return weights, unknown

    def sentence_vectors(self, chunks: list[Chunk]) -> dict[int, np.ndarray]:
        """Sentence embeddings per chunk id; the ones not seen before are encoded in one batch."""
        todo = [c for c in chunks if c.id not in self._sentence_vecs]
        texts = [c.sentence_text(span) for c in todo for span in c.sentences]
        if texts:
            vecs = self.encoder.encode(texts)
            at = 0
            for c in todo:
                self._sentence_vecs[c.id] = vecs[at : at + len(c.sentences)]
                at += len(c.sentences)
            while len(self._sentence_vecs) > 20000:
                self._sentence_vecs.pop(next(iter(self._sentence_vecs)))
        return {c.id: self._sentence_vecs[c.id] for c in chunks}

    def score(self, query: Query, qvec: np.ndarray, hits: list[Hit], limit: int | None = None) -> tuple[list[Scored], list[str]]:
        """Every sentence of the best `limit` passages, scored; and the question's words unknown to the corpus."""
        p = self.params
        weights, unknown = self.term_stats(query.terms, query.names)
        top = hits[: limit or p.passages]
        chunks = self.store.chunks([h.chunk_id for h in top])
        vectors = self.sentence_vectors([chunks[h.chunk_id] for h in top if h.chunk_id in chunks])
        out: list[Scored] = []
        for h in top:
            chunk = chunks.get(h.chunk_id)
            if chunk is None:
                continue
            for span, vec in zip(chunk.sentences, vectors[chunk.id]):
                text = chunk.sentence_text(span)
                sc = Scored(h, chunk, span, text, float(vec @ qvec), lexical_overlap(query.terms, weights, text), bool(SPEECH.search(text)), vec)
                sc.score = (
                    p.w_sentence * sc.cosine
                    + p.w_chunk * h.dense
                    + p.w_lexical * sc.lexical
                    + p.w_speech * (sc.speech and query.asks_speech)
                )
                out.append(sc)
        out.sort(key=lambda x: -x.score)
        return out, unknown

    def floor(self, unknown: list[str]) -> float:
        """The sentence cosine an answer needs: higher when a word, higher still when a name, is unknown to the corpus."""
        if any(u[:1].isupper() for u in unknown):
            return self.params.min_relevance_unknown_name
        return self.params.min_relevance_unknown if unknown else self.params.min_relevance

    def relevant(self, scored: list[Scored], unknown: list[str]) -> bool:
        return bool(scored) and max(s.cosine for s in scored) >= self.floor(unknown)

    def select(self, scored: list[Scored], max_passages: int | None = None) -> list[Scored]:
        """The best sentences: near the top score, few per article, no near-duplicates, from at most `max_passages` passages."""
        p = self.params
        best = scored[0].score
        chosen: list[Scored] = []
        per_doc: dict[str, int] = {}
        for s in scored:
            if len(chosen) >= p.max_sentences or s.score < best * p.keep_ratio:
                break
            doc = s.chunk.doc_id
            if per_doc.get(doc, 0) >= p.max_per_doc:
                continue
            if any(float(s.vec @ c.vec) >= p.duplicate_cosine or s.text == c.text for c in chosen):
                continue
            passages = {c.chunk.id for c in chosen}
            if max_passages and s.chunk.id not in passages and len(passages) >= max_passages:
                continue
            chosen.append(s)
            per_doc[doc] = per_doc.get(doc, 0) + 1
        return chosen

    def compose(self, query: Query, qvec: np.ndarray, hits: list[Hit], max_passages: int | None = None) -> Answer:
        scored, unknown = self.score(query, qvec, hits)
        if not self.relevant(scored, unknown):
            note = f"no passage in the corpus answers this (unknown words: {', '.join(unknown)})" if unknown else ""
            return abstention(query.text, [note] if note else [])
        return build_answer(query.text, by_date(self.select(scored, max_passages)))


def abstention(question: str, notes: list[str] | None = None) -> Answer:
    return Answer(question, ABSTAIN_TEXT, True, [], notes=list(notes or []))


def build_answer(question: str, chosen: list[Scored], dated: bool = False) -> Answer:
    """Number the cited passages in order of first use and write the answer with [n] markers."""
    citations: dict[int, Citation] = {}
    parts, sentences = [], []
    for s in chosen:
        c = s.chunk
        if c.id not in citations:
            citations[c.id] = Citation(len(citations) + 1, c.doc_id, c.title, c.date, c.source, c.text, c.start, c.end, s.score)
        cit = citations[c.id]
        cit.quotes.append(s.span)
        cit.score = max(cit.score, s.score)
        prefix = f"{c.date or 'undated'}: " if dated else ""
        parts.append(f"{prefix}{s.text} [{cit.n}]")
        sentences.append({"text": s.text, "n": cit.n, "doc_id": c.doc_id, "start": s.span[0], "end": s.span[1], "date": c.date})
    joiner = "\n" if dated else " "
    return Answer(question, joiner.join(parts), False, list(citations.values()), sentences=sentences)
