"""The extractive `Answerer`: candidate passages scored by the fitted model; the likeliest cited, each by its best quote."""

from __future__ import annotations

import numpy as np

from qa.answer.attribution import said_by
from qa.answer.compose import Scored, abstention, build_answer, by_date
from qa.answer.features import PASSAGE_FEATURES, Context, coverage, passage_row
from qa.answer.reader import NoReader, Reader, load_reader
from qa.answer.scorer import SCORER_FILE, UNREAD_SCORER_FILE, Scorer
from qa.models import Answer, Chunk, Hit, Query
from qa.search.hybrid import match_any
from qa.text.quotes import quotation_sentences
from qa.text.speakers import same_speaker

CANDIDATES = 20  # passages of the hybrid list that are scored (40 tried: no better on dev, BENCHMARKS.md)
READ = 6  # of which the reader reads the first: as good on dev as 8 or 12 (95 % of the first answering passages are among them), at half the CPU of 12
COVERAGE = PASSAGE_FEATURES.index("coverage")
DUPLICATE_COSINE = 0.92
PER_ARTICLE = 2  # passages cited from one article before those of other articles that answer too


class ExtractiveAnswerer:
    def __init__(self, store, encoder, scorer: Scorer | None = None, reader: Reader | None = None, read: int = READ):
        self.store = store
        self.encoder = encoder
        self._scorer = scorer
        self._reader = reader
        self.read = read

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = load_reader()
        return self._reader

    @property
    def scorer(self) -> Scorer:
        if self._scorer is None:
            self._scorer = Scorer.load(UNREAD_SCORER_FILE if isinstance(self.reader, NoReader) else SCORER_FILE)
        return self._scorer

    def term_stats(self, query: Query) -> tuple[dict[str, float], list[str]]:
        """Idf weights of the topic terms, and those that occur nowhere in the corpus."""
        n = max(self.store.count_chunks(), 1)
        weights, unknown = {}, []
        for t in query.terms:
            df = self.store.doc_freq(match_any([t]))
            if df == 0 and any(self.store.doc_freq(match_any([a])) for a in query.alternatives.get(t, [])):
                df = 1  # the corpus writes it another way ("US" for "United States")
            if df == 0:
                unknown.append(t.capitalize() if t in query.names else t)
            weights[t] = float(np.log(1 + n / (1 + df)))
        return weights, unknown

    def candidates(
        self, query: Query, qvec: np.ndarray, hits: list[Hit], limit: int = CANDIDATES
    ) -> tuple[list[Hit], list[Chunk], np.ndarray, list[np.ndarray], list[str]]:
        """The scored candidates: hits, chunks, feature rows, sentence cosines, and the question's unknown words."""
        hits = hits[:limit]
        chunks = self.store.chunks([h.chunk_id for h in hits])
        kept = [h for h in hits if h.chunk_id in chunks]
        weights, unknown = self.term_stats(query)
        ctx = Context(query, weights, unknown, kept, self.store.count_chunks())
        cosines = [self.sentence_vectors(chunks[h.chunk_id]) @ qvec for h in kept]
        ctx.top_sentence = max((float(c.max()) for c in cosines if len(c)), default=0.0)
        read = self.reader.score(query.text, [(chunks[h.chunk_id].title, chunks[h.chunk_id].text) for h in kept[: self.read]])
        ctx.top_reader = float(read.max()) if len(read) else 0.0
        rows = np.asarray([passage_row(ctx, h, chunks[h.chunk_id], c, float(read[i]) if i < len(read) else None)
                           for i, (h, c) in enumerate(zip(kept, cosines))], dtype=np.float64)
        rows = rows.reshape(len(kept), len(PASSAGE_FEATURES))
        return kept, [chunks[h.chunk_id] for h in kept], rows, cosines, unknown

    def sentence_vectors(self, chunk: Chunk) -> np.ndarray:
        if chunk.sentence_vectors is not None:
            return chunk.sentence_vectors
        return self.encoder.encode([chunk.sentence_text(s) for s in chunk.sentences])

    def compose(self, query: Query, qvec: np.ndarray, hits: list[Hit], max_passages: int | None = None) -> Answer:
        kept, chunks, rows, cosines, unknown = self.candidates(query, qvec, hits)
        prob = self.scorer.probability(rows)
        unmatched = len(prob) and rows[:, COVERAGE].max() == 0 and prob.max() < self.scorer.cite_min  # names nothing asked
        if not len(prob) or unmatched or self.scorer.answerable(rows, prob) < self.scorer.abstain_below:
            note = f"no passage in the corpus answers this (unknown words: {', '.join(unknown)})" if unknown else ""
            return abstention(query.text, [note] if note else [])
        order = [int(i) for i in np.argsort(-prob)]
        notes: list[str] = []
        if query.speaker:  # X's words only, and on the topic: never someone else's as if they were X's
            quoted = [i for i in order if prob[i] >= self.scorer.cite_min and any(same_speaker(w, query.speaker) for w in chunks[i].speakers)]
            if not quoted:
                return abstention(query.text, [f"The articles do not quote {query.speaker} on this."])
            order = quoted
        limit = max(1, max_passages or 5)
        floor = self.scorer.citation_floor(float(prob[order[0]]))
        if query.speaker:  # X's own words naming the topic (checked for each): all of them above cite_min, not the best's
            floor = min(floor, self.scorer.cite_min)
        likely = [i for n, i in enumerate(order) if n == 0 or prob[i] >= floor]
        chosen: list[Scored] = []
        per_doc: dict[str, int] = {}
        deferred: list[int] = []
        for i in likely:  # at most PER_ARTICLE from one article while others answer too; then the rest, if room is left
            if per_doc.get(chunks[i].doc_id, 0) >= PER_ARTICLE:
                deferred.append(i)
            elif len(chosen) < limit and self._take(query, kept[i], chunks[i], cosines[i], float(prob[i]), chosen):
                per_doc[chunks[i].doc_id] = per_doc.get(chunks[i].doc_id, 0) + 1
        for i in deferred:
            if len(chosen) < limit:
                self._take(query, kept[i], chunks[i], cosines[i], float(prob[i]), chosen)
        for i in order if not chosen else ():  # none of the likely ones is quotable: the likeliest one that is
            if i not in likely and self._take(query, kept[i], chunks[i], cosines[i], float(prob[i]), chosen):
                break
        if not chosen:
            return abstention(query.text, [f"The articles do not quote {query.speaker} on this."])
        answer = build_answer(query.text, chosen[:1] + by_date(chosen[1:]))  # the likeliest first, then the others by date
        answer.notes += notes
        return answer

    def _take(self, query: Query, hit: Hit, chunk: Chunk, cosines: np.ndarray, prob: float, chosen: list[Scored]) -> bool:
        """Add the passage's best quote to `chosen`, unless it is not the asked speaker's on the topic or repeats one."""
        first, last = self.quote(query, chunk, cosines)
        if query.speaker and not self.on_topic_by(query, chunk, first, last):
            return False  # X's words elsewhere in the passage, or X on something else: not X on this
        return self.add_quote(hit, chunk, first, last, cosines, prob, chosen)

    def add_quote(self, hit: Hit, chunk: Chunk, first: int, last: int, cosines: np.ndarray, prob: float,
                  chosen: list[Scored]) -> bool:
        """Add sentences first..last of the passage to `chosen`, unless they repeat a quote already there."""
        span = (chunk.sentences[first][0], chunk.sentences[last][1])
        text = chunk.sentence_text(span)
        vec = self.sentence_vectors(chunk)[first : last + 1].mean(0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        if any(c.text == text or float(c.vec @ vec) >= DUPLICATE_COSINE for c in chosen):
            return False
        chosen.append(Scored(hit, chunk, span, text, float(cosines[first : last + 1].max()), vec, prob))
        return True

    @staticmethod
    def on_topic_by(query: Query, chunk: Chunk, first: int, last: int) -> bool:
        """Whether sentences first..last are the asked speaker's and name something the question asks about."""
        topic = [t for t in query.topic_terms() if t not in query.speaker.lower()]
        text = chunk.sentence_text((chunk.sentences[first][0], chunk.sentences[last][1]))
        return said_by(chunk, first, last, query.speaker) and (not topic or coverage(topic, {}, text, query.alternatives) > 0)

    def quote(self, query: Query, chunk: Chunk, cosines: np.ndarray) -> tuple[int, int]:
        """The sentences of a passage to quote: its best one (the asked speaker's, if any), with its whole quotation."""
        weights = {t: 1.0 for t in query.terms}
        score = [float(c) + 0.3 * coverage(query.terms, weights, chunk.sentence_text(sp), query.alternatives)
                 for sp, c in zip(chunk.sentences, cosines)]
        if query.speaker and chunk.speakers:
            score = [v + (1.0 if same_speaker(w, query.speaker) else 0.0) for v, w in zip(score, chunk.speakers)]
        best = int(np.argmax(score)) if score else 0
        return quotation_sentences(chunk.text, chunk.sentences, best, chunk.start)
