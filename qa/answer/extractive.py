"""The extractive `Answerer`: candidate passages scored by the fitted model; the likeliest cited, each by its best quote."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from qa.answer import definitions, neighbours
from qa.answer.attribution import NAMED_WITHIN, names_person, quotes, said_for
from qa.answer.compose import Scored, abstention, answer_order, build_answer, dated_first
from qa.answer.features import PASSAGE_FEATURES, Context, coverage, passage_row, term_stats
from qa.answer.named import naming, written
from qa.answer.reader import NoReader, Reader, load_reader
from qa.answer.scorer import Scorer, scorer_files
from qa.answer.topic import names_topic, on_the_topic
from qa.models import Answer, Chunk, Citation, Hit, Query
from qa.text.quotes import quotation_sentences
from qa.text.repeats import repeats
from qa.text.speakers import same_speaker
from qa.text.words import FRAME_WORDS, SPEECH_FRAME_WORDS

CANDIDATES = 20  # passages of the hybrid list that are scored (40 tried: no better on dev, BENCHMARKS.md)
READ = 6  # of which the reader reads the first: as good on dev as 8 or 12 (95 % of the first answering passages are among them), at half the CPU of 12
COVERAGE = PASSAGE_FEATURES.index("coverage")
DUPLICATE_COSINE = 0.92
PER_ARTICLE = 2  # passages cited from one article before those of other articles that answer too
NEAREST = 3  # passages shown, as no answer, beside an abstention: the reader judges what is near
READ_MARGIN = float("inf")  # read every question; the app's default (qa.config read_margin None) is the scorer file's
DEFAULT_MARGIN = 1.5  # for a scorer file calibrated without one
REPORTED_WITHIN = 300  # characters (about two sentences) before "He …" within which the asked speaker must be named
PRONOUN = re.compile(r"\b(?:he|she|his|her)\b", re.IGNORECASE)


@dataclass
class Candidates:
    """What the answerer scores of the first hits: their passages, sentence cosines, and the question's context."""

    hits: list[Hit]
    chunks: list[Chunk]
    cosines: list[np.ndarray]
    unknown: list[str]
    ctx: Context
    retrieval: list[float]  # each hit's cosine in the vector store


def passage_cosine(chunk: Chunk, svec: np.ndarray) -> float:
    """A passage's cosine with the question on the reading side: its sentence vectors averaged by their length."""
    vecs = chunk.sentence_vectors
    if vecs is None or not len(vecs):
        return 0.0
    weights = np.asarray([max(e - s, 1) for s, e in chunk.sentences], dtype=np.float32)
    v = (vecs * weights[:, None]).sum(0)
    return float(v @ svec / max(float(np.linalg.norm(v)), 1e-12))


class ExtractiveAnswerer:
    def __init__(self, store, encoder, scorer: Scorer | None = None, reader: Reader | None = None, read: int = READ,
                 read_margin: float | None = READ_MARGIN):
        self.store, self.encoder, self._scorer = store, encoder, scorer
        self._unread_scorer: Scorer | None = None
        self._reader = reader
        self.read = read
        self.read_margin = read_margin

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = load_reader()
        return self._reader

    @property
    def scorer(self) -> Scorer:
        """The scorer of passages the reader has read (the one fitted without it, when nothing is ever read)."""
        if self._scorer is None:
            self._scorer = self.unread_scorer if isinstance(self.reader, NoReader) else Scorer.load(scorer_files(self.encoder.name)[0])
        return self._scorer

    @property
    def unread_scorer(self) -> Scorer:
        """The scorer fitted with the reader's features empty: what decides when the reader is not run."""
        if self._unread_scorer is None:
            self._unread_scorer = Scorer.load(scorer_files(self.encoder.name)[1])
        return self._unread_scorer

    def candidates(self, query: Query, qvec: np.ndarray, hits: list[Hit], limit: int = CANDIDATES, read: bool = True
                   ) -> tuple[list[Hit], list[Chunk], np.ndarray, list[np.ndarray], list[str]]:
        """The scored candidates: hits, chunks, feature rows (the first ones read, unless `read` is False), sentence
        cosines, and the question's unknown words."""
        found = self.gather(query, qvec, hits, limit)
        return found.hits, found.chunks, self.rows(found, read), found.cosines, found.unknown

    def gather(self, query: Query, qvec: np.ndarray, hits: list[Hit], limit: int = CANDIDATES) -> Candidates:
        """The first `limit` hits with their passages, sentence cosines and question-level context."""
        hits = hits[:limit]
        chunks = self.store.chunks([h.chunk_id for h in hits])
        kept = [h for h in hits if h.chunk_id in chunks]
        weights, unknown = term_stats(self.store, query)
        docs = list(dict.fromkeys(chunks[h.chunk_id].doc_id for h in kept))
        ctx = Context(query, weights, unknown, kept, self.store.count_chunks(), self.store.texts_naming, docs)
        svec = self.encoder.sentence_query(query.text, qvec)
        retrieval = [h.dense for h in kept]  # the vector store's cosines (with two models, the retrieving one's)
        if svec is not qvec:  # two models: the passages' cosines on the reading side too, as the scorer was fitted
            kept = [replace(h, dense=passage_cosine(chunks[h.chunk_id], svec)) for h in kept]
            ctx.top_dense = max((h.dense for h in kept), default=0.0)
        cosines = [self.sentence_vectors(chunks[h.chunk_id]) @ svec for h in kept]
        ctx.top_sentence = max((float(c.max()) for c in cosines if len(c)), default=0.0)
        return Candidates(kept, [chunks[h.chunk_id] for h in kept], cosines, unknown, ctx, retrieval)

    def rows(self, found: Candidates, read: bool = True) -> np.ndarray:
        """The candidates' feature rows; with `read`, the reader's probability for the first `self.read` of them."""
        if read:
            scores = self.reader.score(found.ctx.query.text, [(c.title, c.text) for c in found.chunks[: self.read]])
        else:
            scores = np.zeros(0)
        found.ctx.top_reader = float(scores.max()) if len(scores) else 0.0
        rows = np.asarray([passage_row(found.ctx, h, c, cos, float(scores[i]) if i < len(scores) else None, found.retrieval[i])
                           for i, (h, c, cos) in enumerate(zip(found.hits, found.chunks, found.cosines))], dtype=np.float64)
        return rows.reshape(len(found.hits), len(PASSAGE_FEATURES))

    @property
    def margin(self) -> float:
        """How unsure (log-odds from its threshold) the unread scorer must be for the reader to run: `read_margin`, or
        the margin the scorer file's threshold for the questions read was calibrated at."""
        if self.read_margin is not None:
            return self.read_margin
        return self.scorer.unsure_margin if self.scorer.unsure_margin is not None else DEFAULT_MARGIN

    def scored(self, found: Candidates) -> tuple[Scorer, np.ndarray, np.ndarray, float]:
        """The scorer that decides, the feature rows, each candidate's probability, and the abstention threshold. The
        reader runs only when the scorer fitted without it is unsure: its abstention score within `margin`
        (log-odds) of its threshold; the questions read then have their own threshold (Scorer.threshold)."""
        if isinstance(self.reader, NoReader):
            rows = self.rows(found, read=False)
            return self.scorer, rows, self.scorer.probability(rows), self.scorer.abstain_below
        margin = self.margin
        if margin != float("inf"):
            rows = self.rows(found, read=False)
            prob = self.unread_scorer.probability(rows)
            if not len(prob) or abs(self.unread_scorer.log_odds_past_threshold(rows, prob, found.ctx.absence(found.chunks))) >= margin:
                return self.unread_scorer, rows, prob, self.unread_scorer.abstain_below
        rows = self.rows(found)
        return self.scorer, rows, self.scorer.probability(rows), self.scorer.threshold(margin)

    def sentence_vectors(self, chunk: Chunk) -> np.ndarray:
        if chunk.sentence_vectors is not None:
            return chunk.sentence_vectors
        return self.encoder.encode_sentences([chunk.sentence_text(s) for s in chunk.sentences])

    def compose(self, query: Query, qvec: np.ndarray, hits: list[Hit], max_passages: int | None = None) -> Answer:
        found = self.gather(query, qvec, hits, len(hits) if query.recency else CANDIDATES)  # the latest: among more
        kept, chunks, cosines, unknown = found.hits, found.chunks, found.cosines, found.unknown
        scorer, rows, prob, abstain_below = self.scored(found)
        defining = definitions.defining(query, chunks, self.store.aliases)
        likeliest = [int(i) for i in np.argsort(-prob, kind="stable")]
        if defining:  # "What does LEM stand for?" and a passage defines it ("Lunar Excursion Module (LEM)"): that answers
            prob = prob.copy()
            prob[list(defining)] = np.maximum(prob[list(defining)], prob.max())
        unmatched = len(prob) and rows[:, COVERAGE].max() == 0 and prob.max() < scorer.cite_min  # names nothing asked
        likeliest, lacking = (likeliest, []) if defining else naming(  # the articles cited name what is asked
            found.ctx, self.store, chunks, likeliest, prob, scorer.citation_floor(float(prob.max(initial=0))))
        if not likeliest or unmatched or (not defining and scorer.answerable(rows, prob, found.ctx.absence(chunks)) < abstain_below):
            named = [u for u in unknown if u.lower() not in FRAME_WORDS]  # "stand" in "what does X stand for" only asks
            notes = [f"no passage in the corpus answers this (unknown words: {', '.join(named)})"] if named else []
            notes += [f"No article that names {written(lacking, query.text)} answers this."] if lacking and not likeliest else []
            notes += [f"The articles do not quote {query.speaker} on this."] if query.speaker else []  # as when X is named
            return abstention(query.text, notes, self.nearest(query, found, prob, rows) if len(prob) and not unmatched else [])
        order = sorted(likeliest, key=lambda i: defining.get(i, 2))  # definitions first of all (in brackets first), likeliest first
        if query.recency:  # "the latest on …": of the passages that answer, the newest (or, "the first reports", oldest) lead
            order = self.latest(query, found, order, prob, scorer.citation_floor(float(prob[order[0]])))
        notes: list[str] = []
        absent = found.ctx.absent_names(chunks) if query.speaker else []  # "Israel's strikes", no article naming Israel
        chosen = []
        if query.speaker:  # X's words only, on the topic: never someone else's as if X's; none if it names what no article writes
            quoted = [i for i in order if prob[i] >= scorer.cite_min and quotes(chunks[i], query.speaker, query.body)]
            chosen = self.cite(query, found, quoted, prob, scorer, max_passages, self.on_topic_by) if quoted and not absent else []
            if not chosen and not absent and not query.body:  # X not quoted on it: what the articles report of X, said so
                named = [i for i in order if prob[i] >= scorer.cite_min and self.names_before(chunks[i], chunks[i].end, query.speaker)]
                chosen = self.cite(query, found, named, prob, scorer, max_passages, self.reports_on) if named else []
                notes.append(f"The articles do not quote {query.speaker} on this; these passages report on {query.speaker}.")
        if not query.speaker or query.body and not chosen:  # a body not quoted on it ("the Pentagon"): what answers
            chosen = self.cite(query, found, order, prob, scorer, max_passages)
            neighbours.complement(self, query, found, chosen, order, prob, max(1, max_passages or 5))
            neighbours.beside(self, query, found, chosen, order, prob, max(1, max_passages or 5))
        if not chosen:  # X neither quoted nor reported on it: the passages nearest the question, as no answer
            names = f" (no article names {', '.join(absent)})" if absent else ""
            return abstention(query.text, [f"The articles do not quote {query.speaker} on this{names}."] if query.speaker else [],
                              self.nearest(query, found, prob, rows))
        ordered = dated_first(chosen, lambda s: s.chunk.date, query.recency == "newest") if query.recency else answer_order(chosen)
        answer = build_answer(query.text, ordered)
        answer.notes += notes
        return answer

    def latest(self, query: Query, found: Candidates, order: list[int], prob: np.ndarray, floor: float) -> list[int]:
        """The candidates that answer and name the question's topic, newest first (oldest, for "the first reports")."""
        topic = [t for t in found.ctx.known if t not in SPEECH_FRAME_WORDS and t not in (query.speaker or "").lower()]
        on = [i for i in order if prob[i] >= floor and names_topic(topic, found.chunks[i].text, query.alternatives, found.ctx.weights)]
        return dated_first(on or order[:1], lambda i: found.chunks[i].date, query.recency == "newest")

    def nearest(self, query: Query, found: Candidates, prob: np.ndarray, rows: np.ndarray) -> list[Citation]:
        """When it abstains: the NEAREST likeliest passages that name something asked, each by its best quote."""
        chosen: list[Scored] = []
        for i in [int(i) for i in np.argsort(-prob) if rows[i, COVERAGE] > 0]:
            if len(chosen) < NEAREST:
                first, last = self.quote(query, found.chunks[i], found.cosines[i])
                self.add_quote(found.hits[i], found.chunks[i], first, last, found.cosines[i], float(prob[i]), chosen)
        return build_answer(query.text, chosen).citations

    def cite(self, query: Query, found: Candidates, order: list[int], prob: np.ndarray, scorer: Scorer,
             max_passages: int | None = None, fits: Callable[..., bool] | None = None) -> list[Scored]:
        """The quotes to cite from the candidates in `order` (likeliest first): those within the citation floor of the
        first, at most PER_ARTICLE per article while others answer too, no repeats; with `fits(query, chunk, first,
        last, ctx)`, only the quotes it accepts (the asked speaker's, on the topic), and then every one above cite_min."""
        kept, chunks, cosines = found.hits, found.chunks, found.cosines
        limit = max(1, max_passages or 5)
        floor = scorer.citation_floor(float(prob[order[0]]))
        if fits is not None:  # X's own words naming the topic (checked for each): all of them above cite_min, not the best's
            floor = min(floor, scorer.cite_min)
        likely = [i for n, i in enumerate(order) if n == 0 or prob[i] >= floor]
        chosen: list[Scored] = []
        per_doc: dict[str, int] = {}
        deferred: list[int] = []

        def take(i: int) -> bool:
            first, last = self.quote(query, chunks[i], cosines[i])
            if fits is not None and not fits(query, chunks[i], first, last, found.ctx):
                return False  # X's words elsewhere in the passage, or X on something else: not X on this
            return self.add_quote(kept[i], chunks[i], first, last, cosines[i], float(prob[i]), chosen)

        for i in likely:  # at most PER_ARTICLE from one article while others answer too; then the rest, if room is left
            if per_doc.get(chunks[i].doc_id, 0) >= PER_ARTICLE:
                deferred.append(i)
            elif len(chosen) < limit and take(i):
                per_doc[chunks[i].doc_id] = per_doc.get(chunks[i].doc_id, 0) + 1
        for i in deferred:
            if len(chosen) < limit:
                take(i)
        for i in order if not chosen else ():  # none of the likely ones is quotable: the likeliest one that is
            if i not in likely and take(i):
                break
        return chosen

    def add_quote(self, hit: Hit, chunk: Chunk, first: int, last: int, cosines: np.ndarray, prob: float,
                  chosen: list[Scored]) -> bool:
        """Add sentences first..last of the passage to `chosen`, unless they repeat a quote already there."""
        span = (chunk.sentences[first][0], chunk.sentences[last][1])
        text = chunk.sentence_text(span)
        vec = self.sentence_vectors(chunk)[first : last + 1].mean(0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        if any(c.text == text or float(c.vec @ vec) >= DUPLICATE_COSINE or repeats(c.text, text) for c in chosen):
            return False
        chosen.append(Scored(hit, chunk, span, text, float(cosines[first : last + 1].max()), vec, prob))
        return True

    def on_topic_by(self, query: Query, chunk: Chunk, first: int, last: int, ctx: Context) -> bool:
        """Whether sentences first..last are the asked speaker's and name what the question asks about (`names_topic`;
        of the words the corpus knows: no statement names one it never uses)."""
        return self.said_by(chunk, first, last, query.speaker, query.body) and on_the_topic(query, chunk, first, last, ctx)

    def reports_on(self, query: Query, chunk: Chunk, first: int, last: int, ctx: Context) -> bool:
        """Whether sentences first..last report on the asked speaker without being anyone else's words: no other
        speaker says them, they name the speaker ("Luther called the peasants …") or refer to them just after they were
        named ("He called them …", "…, which he later described as …", within REPORTED_WITHIN characters), and they name
        the topic."""
        if any(w is not None and not same_speaker(w, query.speaker) for w in list(chunk.speakers)[first : last + 1]):
            return False
        text = chunk.sentence_text((chunk.sentences[first][0], chunk.sentences[last][1]))
        if not names_person(text, query.speaker):
            lead = chunk.text[: chunk.sentences[first][0] - chunk.start]
            if len(lead) < REPORTED_WITHIN:
                lead = self.store.text_before(chunk.doc_id, chunk.start, REPORTED_WITHIN) + lead
            if not PRONOUN.search(text) or not names_person(lead[-REPORTED_WITHIN:], query.speaker):
                return False
        return on_the_topic(query, chunk, first, last, ctx)

    def names_before(self, chunk: Chunk, end: int, speaker: str) -> bool:
        """Whether the article names the speaker before offset `end` of this passage (or just before the passage)."""
        if names_person(chunk.text[: end - chunk.start], speaker):
            return True
        return names_person(self.store.text_before(chunk.doc_id, chunk.start, REPORTED_WITHIN), speaker)

    def said_by(self, chunk: Chunk, first: int, last: int, speaker: str, body: bool = False) -> bool:
        """`attribution.said_for`, with the article's text just before the passage."""
        return said_for(chunk, first, last, speaker, body, self.store.text_before(chunk.doc_id, chunk.start, NAMED_WITHIN))

    def quote(self, query: Query, chunk: Chunk, cosines: np.ndarray) -> tuple[int, int]:
        """The sentences of a passage to quote: its best one (the asked speaker's, if any), with its whole quotation."""
        weights, texts = {t: 1.0 for t in query.terms}, [chunk.sentence_text(sp) for sp in chunk.sentences]
        score = [float(c) + 0.3 * coverage(query.terms, weights, t, query.alternatives) + definitions.spells_out(query, t)
                 for t, c in zip(texts, cosines)]  # "What does AIIB stand for?": the sentence that spells it out
        if query.speaker and chunk.speakers:
            score = [v + (1.0 if same_speaker(w, query.speaker) else 0.0) for v, w in zip(score, chunk.speakers)]
        best = int(np.argmax(score)) if score else 0
        return quotation_sentences(chunk.text, chunk.sentences, best, chunk.start)
