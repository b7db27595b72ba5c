"""What the fitted scorer sees of a candidate passage: how well it and its best sentence match the question."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

import numpy as np

from qa.models import Chunk, Hit, Query
from qa.search.hybrid import match_any
from qa.text import aliases
from qa.text.answer_types import asked_type, offers
from qa.text.names import entities, full_names, named_through
from qa.text.words import acronyms, normalise, unaccented

SPEECH = re.compile(
    r"[\"“”«»]|\b(?:said|says|stated|stressed|noted|added|explained|emphasi[sz]ed|told|recalled|continued|pointed out"
    r"|according to|warned|urged|announced|declared|believes?|hopes?|expects?|insist(?:s|ed)?)\b",
    re.IGNORECASE,
)
PASSAGE_FEATURES = (
    "dense", "dense_gap", "dense_rr", "lexical_rr", "bm25_rel", "bm25", "in_both",
    "coverage", "rare_coverage", "name_coverage", "title_coverage", "all_rare",
    "sentence_cos", "sentence_gap", "sentence_coverage",
    "unknown_share", "unknown_names", "speech_match", "position", "terms",
    "missing_rare", "phrase", "typed", "type_found",
    "reader", "reader_gap", "read",
    "retrieval",
)
# the passage model leaves out "retrieval" (the vector store's own cosine; with two models, e5's): it serves the
# question model, whose abstention it sharpens (BENCHMARKS.md), and would only repeat "dense" for one model
PASSAGE_MODEL_FEATURES = tuple(f for f in PASSAGE_FEATURES if f != "retrieval")


def _stem(term: str) -> str:
    return term[:5] if len(term) > 5 else term


def coverage(terms: list[str], weights: dict[str, float], text: str, alternatives: dict[str, list[str]] | None = None) -> float:
    """Share of the idf-weighted terms that the text contains (prefix match on 5 letters, or another name for it)."""
    return _share(terms, weights, found(terms, text, alternatives or {}))


def found(terms: list[str], text: str, alternatives: dict[str, list[str]]) -> set[str]:
    """The terms the text names, itself or by another name for it."""
    low = unaccented(text.lower())  # "Erdogan" finds "Erdoğan", as the full-text index does
    return {t for t in terms if _names(t, text, low) or (t in alternatives and aliases.contains(text, alternatives[t]))}


@functools.lru_cache(maxsize=4096)
def _word_start(term: str) -> re.Pattern[str]:
    """A term's first five letters at the start of a word ("negotiations" finds "negotiate", "us" not "thus")."""
    return re.compile(r"(?<!\w)" + re.escape(_stem(unaccented(term))))


def _names(term: str, text: str, low: str) -> bool:
    """Whether the text names the term: a word starting with its stem; a two-letter term as a whole word ("US" in
    capitals: "us" is a word)."""
    if len(term) <= 2 or term == "who":
        return aliases.contains(text, [term])
    return bool(_word_start(term).search(low))


def phrase(terms: list[str], text: str, window: int = 3) -> float:
    """Share of the question's neighbouring term pairs that the text has within `window` words of each other."""
    if len(terms) < 2:
        return 0.5
    where: dict[str, list[int]] = {}
    for i, w in enumerate(re.findall(r"\w+", unaccented(text.lower()))):
        where.setdefault(_stem(w), []).append(i)
    stems = [_stem(unaccented(t)) for t in terms]
    near = sum(any(abs(x - y) <= window for x in where.get(a, []) for y in where.get(b, [])) for a, b in zip(stems, stems[1:]))
    return near / (len(terms) - 1)


def rare_terms(terms: list[str], weights: dict[str, float]) -> list[str]:
    """The rarer half of the terms (at least one)."""
    ranked = sorted(terms, key=lambda t: -weights.get(t, 0.0))
    return ranked[: max(1, math.ceil(len(ranked) / 2))]


def term_stats(store, query: Query) -> tuple[dict[str, float], list[str]]:
    """Idf weights of the topic terms in the store's passages, and those that occur nowhere in them."""
    n = max(store.count_chunks(), 1)
    weights, unknown = {}, []
    for t in query.terms:
        df = store.doc_freq(match_any([t]))
        if df == 0 and any(store.doc_freq(match_any([a])) for a in query.alternatives.get(t, [])):
            df = 1  # the corpus writes it another way ("US" for "United States")
        if df == 0:
            unknown.append(t.upper() if t in acronyms(query.text) or "&" in t else t.capitalize() if t in query.names else t)
        weights[t] = float(np.log(1 + n / (1 + df)))
    return weights, unknown


class Context:
    """Question-level facts shared by every candidate: term weights, unknown words, list maxima."""

    def __init__(self, query: Query, weights: dict[str, float], unknown: list[str], hits: list[Hit], chunks_total: int = 1,
                 texts_naming: Callable[[str, list[str]], dict[str, str]] | None = None, doc_ids: list[str] | None = None):
        self.query = query
        self.weights = weights
        self.terms = query.topic_terms()  # the asked speaker is checked apart (qa.answer.extractive)
        self.rare = rare_terms(self.terms, weights) if self.terms else []
        self.names = [t for t in self.terms if t in query.names]
        unknown = [u for u in unknown if u.lower() in self.terms]
        self.known = [t for t in self.terms if t not in {u.lower() for u in unknown}]
        self._absence: float | None = None
        self._missing: list[str] | None = None
        self.top_weight = math.log(1 + max(chunks_total, 1))  # the weight of a term no passage has
        self.kind = asked_type(query.text)
        self.unknown_share = len(unknown) / max(len(self.terms), 1)
        self.unknown_names = sum(1 for u in unknown if u[:1].isupper()) / max(len(self.names), 1)
        self.top_dense = max((h.dense for h in hits), default=0.0)
        self.top_bm25 = max((h.lexical for h in hits), default=0.0)
        self.top_sentence = 0.0
        self.top_reader = 0.0  # the best reader probability among the passages read
        # term, doc_ids -> each article's first passages that hold the term (the answerer's store: Store.texts_naming)
        self.texts_naming = texts_naming or (lambda term, docs: {})
        self.doc_ids = doc_ids or []  # the candidates' articles
        self._full_names: dict[str, dict[str, list[frozenset[str]]]] = {}

    def absence(self, chunks: list[Chunk]) -> float:
        """How much of what the question asks about is wholly absent (`missing`): the share of its topic terms, or all
        of it (1.0) when every word of a name of two or more words is absent ("What did Lavrov discuss with Rex
        Tillerson?" where no article names Tillerson): news names people and places in full, and of the 30,358
        answerable train and dev questions of the third-party sets one names such a name (a typing slip, "Hulk
        Buser"), of the 10,142 split-corpus ones 130 (BENCHMARKS.md)."""
        if self._absence is None:
            missing = self.missing(chunks)
            whole = any(len(words) >= 2 and set(words) <= set(missing) for _, words in self.name_words())
            self._absence = 1.0 if whole else len(missing) / max(len(self.terms), 1)
        return self._absence

    def missing(self, chunks: list[Chunk]) -> list[str]:
        """The topic terms wholly absent: unknown to the index, and named by no candidate passage either, by another
        form of the word ("septicemia" in "septicemic plague") or another name."""
        if self._missing is None:
            missing = [t for t in self.terms if t not in self.known]
            for chunk in chunks:
                if not missing:
                    break
                missing = [t for t in missing if t not in found(missing, chunk.text, self.query.alternatives)]
            self._missing = missing
        return self._missing

    def name_words(self) -> list[tuple[str, list[str]]]:
        """The question's names, each with its words that are topic terms (the asked speaker's are not)."""
        return [(e, [t for w in e.split() if (t := normalise(w)) in self.terms]) for e in entities(self.query.text)]

    def absent_names(self, chunks: list[Chunk]) -> list[str]:
        """The names the question asks about that no article writes ("Israel" in "What did Lavrov say about Israel's
        strikes?"); a lone capitalised first word ("Relegation to secondary status …") is no name."""
        missing = set(self.missing(chunks))
        return [e for e, words in self.name_words() if words and set(words) <= missing
                and not (" " not in e and self.query.text.lstrip().startswith(e))]

    def full_names(self, doc_id: str, term: str) -> list[frozenset[str]]:
        """The names holding `term` that the article writes in full (qa.text.names.full_names), looked up once per
        term for all the candidates' articles."""
        if term not in self._full_names:
            self._full_names[term] = {d: full_names(term, text) for d, text in self.texts_naming(term, self.doc_ids).items()}
        return self._full_names[term].get(doc_id, [])


def passage_row(ctx: Context, hit: Hit, chunk: Chunk, sentence_cos: np.ndarray, reader: float | None = None,
                retrieval: float | None = None) -> list[float]:
    """The feature row of one candidate passage, in PASSAGE_FEATURES order; `reader`: the reader's probability that
    it answers the question (None: not read, only the first candidates are); `retrieval`: its cosine in the vector
    store, where another model than the reading side's retrieves (None: `hit.dense` is that)."""
    q = ctx.query
    best = int(np.argmax(sentence_cos)) if len(sentence_cos) else -1
    best_text = chunk.sentence_text(chunk.sentences[best]) if best >= 0 else chunk.text
    present = found(ctx.terms, chunk.text, q.alternatives)  # each term looked for once per passage
    present |= named_through([t for t in ctx.names if t not in present], chunk.text, lambda t: ctx.full_names(chunk.doc_id, t))
    return [
        hit.dense,
        ctx.top_dense - hit.dense,
        1.0 / (1 + hit.dense_rank) if hit.dense_rank >= 0 else 0.0,
        1.0 / (1 + hit.lexical_rank) if hit.lexical_rank >= 0 else 0.0,
        hit.lexical / ctx.top_bm25 if ctx.top_bm25 > 0 else 0.0,
        math.log1p(max(hit.lexical, 0.0)),
        float(hit.dense_rank >= 0 and hit.lexical_rank >= 0),
        _share(ctx.terms, ctx.weights, present),
        _share(ctx.rare, ctx.weights, present),
        _share(ctx.names, ctx.weights, present) if ctx.names else 1.0,
        coverage(ctx.terms, ctx.weights, chunk.title, q.alternatives),
        float(_share(ctx.rare, {}, present) == 1.0) if ctx.rare else 0.0,
        float(sentence_cos[best]) if best >= 0 else hit.dense,
        ctx.top_sentence - (float(sentence_cos[best]) if best >= 0 else hit.dense),
        coverage(ctx.terms, ctx.weights, best_text, q.alternatives),
        ctx.unknown_share,
        ctx.unknown_names,
        float(q.asks_speech and bool(SPEECH.search(chunk.text))),
        math.log1p(chunk.ordinal),
        math.log1p(len(ctx.terms)),
        max((ctx.weights.get(t, 0.0) / ctx.top_weight for t in ctx.known if t not in present), default=0.0),
        phrase(ctx.terms, chunk.text),
        float(bool(ctx.kind)),
        float(bool(ctx.kind) and offers(ctx.kind, best_text, q.text)),
        reader or 0.0,
        ctx.top_reader - (reader or 0.0),
        float(reader is not None),
        hit.dense if retrieval is None else retrieval,
    ]


def _share(terms: list[str], weights: dict[str, float], present: set[str]) -> float:
    """The weighted share of the terms that are present."""
    total = sum(weights.get(t, 1.0) for t in terms)
    got = sum(weights.get(t, 1.0) for t in terms if t in present)
    return got / total if terms and total else 0.0
