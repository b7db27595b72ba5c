"""The data that flows between the stages: articles, chunks, queries, hits, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

Span = tuple[int, int]  # [start, end) character offsets into an article's text


@dataclass
class Article:
    doc_id: str
    text: str  # the source text exactly as decoded: every offset points into it
    path: str = ""
    title: str = ""
    date: str | None = None  # YYYY-MM-DD
    date_method: str = "unknown"
    source: str = ""
    place: str = ""
    url: str = ""
    content_hash: str = ""
    encoding: str = "utf-8"  # the codec the file was decoded with (qa.corpus.decode)
    body: list[Span] = field(default_factory=list)  # paragraph spans that get indexed
    stripped: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind): title/heading/debris
    warnings: list[str] = field(default_factory=list)


@dataclass
class Chunk:
    """A passage of consecutive sentences; past the store it also carries its article's title, date and source."""

    doc_id: str
    start: int
    end: int
    text: str
    sentences: list[Span]  # absolute offsets into the article text
    ordinal: int = 0
    id: int | None = None
    title: str = ""
    date: str | None = None
    source: str = ""
    place: str = ""  # the article's dateline place
    sentence_vectors: np.ndarray | None = field(default=None, repr=False)  # one row per sentence, stored at index time
    speakers: list[str | None] = field(default_factory=list)  # who says each sentence (qa.text.speakers), when known

    def sentence_text(self, span: Span) -> str:
        return self.text[span[0] - self.start : span[1] - self.start]

    def to_dict(self) -> dict:
        """The chunk as plain data (sentence vectors left out)."""
        return {k: v for k, v in asdict(self).items() if k != "sentence_vectors"}


@dataclass
class Period:
    """A date window; either bound may be open. `text` is the words it was read from."""

    since: str | None  # YYYY-MM-DD inclusive
    until: str | None  # YYYY-MM-DD inclusive
    text: str = ""
    label: str = ""  # for people: "November 2016", "before 2017"

    def to_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "text": self.text, "label": self.label}


@dataclass
class Filters:
    """What the searches may return: a date window, sources, documents."""

    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def active(self) -> bool:
        return bool(self.since or self.until or self.sources or self.doc_ids)


@dataclass(frozen=True)
class Correction:
    """A question word the articles never write, read as the word they do write ("Instanbul" → "Istanbul")."""

    written: str  # as the question writes it
    meant: str  # as the articles write it


@dataclass
class Query:
    """A question analysed once: every later stage reads it, none parses the question again."""

    text: str  # the question that is answered (a follow-up already rewritten)
    terms: list[str]  # lower-cased topic terms, date phrases and asking words left out
    names: set[str]  # terms the question capitalises
    filters: Filters = field(default_factory=Filters)
    period: Period | None = None  # set when the question or the caller restricted the dates
    period_from_question: bool = False
    chronological: bool = False  # "how did ... change", "over time", "compare"
    asks_speech: bool = False  # "what did X say", "X's position"
    asks_expansion: bool = False  # "what does X stand for", "the full name of X", "the acronym X"
    speaker: str | None = None
    body: bool = False  # the speaker is a body ("the Pentagon"): its own statements first, else whatever answers
    original: str = ""  # as asked, before its words were respelled (a follow-up already rewritten)
    typed: str = ""  # as the user typed it, before a follow-up was rewritten: its own words, not the conversation's
    alternatives: dict[str, list[str]] = field(default_factory=dict)  # term -> other names for it ("states" -> ["us", ...])
    respelled: list[Correction] = field(default_factory=list)  # words of the question read as the articles spell them
    outlet: str | None = None  # an outlet whose reporting the question asks for ("What did TASS say …"): the filter
    recency: str | None = None  # "newest" / "oldest": the latest (first) reports asked for, of a dated archive

    def topic_terms(self) -> list[str]:
        """The terms that say what the question is about: for "what did X say about Y", Y's, not X's."""
        if not self.speaker or self.body:  # a body's name is asked about too, where it is not quoted
            return self.terms
        said_by = {w.lower().rstrip("’'s") for w in self.speaker.split()}
        rest = [t for t in self.terms if t not in said_by]
        return rest or self.terms

    def lexical_terms(self) -> list[str]:
        """The topic terms and every other name for them: what the BM25 search looks for."""
        out = list(self.terms)
        for alts in self.alternatives.values():
            out += [a for a in alts if a not in out]
        return out


@dataclass
class Hit:
    chunk_id: int
    score: float  # fused
    dense: float  # cosine similarity to the question
    lexical: float  # BM25, 0 when the chunk did not match lexically
    dense_rank: int = -1  # 0-based rank in the dense list; -1: not in it
    lexical_rank: int = -1  # 0-based rank in the BM25 list; -1: not in it


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    date: str | None
    source: str
    text: str
    start: int
    end: int
    score: float
    quotes: list[Span] = field(default_factory=list)  # answer sentences inside this passage

    def to_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(float(self.score), 4)
        d["quotes"] = [list(q) for q in self.quotes]
        return d


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    period: Period | None = None  # the dates the answer was restricted to, when the question or the caller set them
    notes: list[str] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)  # {"text", "n", "doc_id", "start", "end", "date"}
    outside_period: list[Citation] = field(default_factory=list)  # nearest passages outside the period: suggestions only
    nearest: list[Citation] = field(default_factory=list)  # when it abstains: the passages nearest the question, not an answer
    asked: str = ""  # the stand-alone question that was answered (a follow-up rewritten), when it differs

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "period": self.period.to_dict() if self.period else None,
            "notes": self.notes,
            "sentences": self.sentences,
            "outside_period": [c.to_dict() for c in self.outside_period],
            "nearest": [c.to_dict() for c in self.nearest],
            "asked": self.asked or self.question,
        }


@dataclass
class QuoteMatch:
    """Where a checked quotation stands in one article: the verbatim span, how the quote differs, who says it there."""

    verdict: str  # "exact", "minor differences", "altered" or "close in meaning"
    doc_id: str
    title: str
    date: str | None
    source: str  # the outlet
    text: str  # the closest source span, verbatim: == article_text[start:end]
    start: int
    end: int
    context: str  # the whole sentence(s) the span lies in, verbatim: == article_text[context_start:context_end]
    context_start: int
    context_end: int
    similarity: float  # cosine of the quote and those sentences (the embedding model)
    overlap: float  # words in common: 2 * matched / (quote words + span words); 1.0 for the same words
    diff: list[dict] = field(default_factory=list)  # the changes: {"op": "replace"|"insert"|"delete", "quote", "source"}
    segments: list[dict] = field(default_factory=list)  # the whole alignment, "equal" pieces too, for display
    speaker: str | None = None  # who says it in the article (qa.text.speakers), when known
    attribution: str | None = None  # vs the claimed speaker: "confirmed", "misattributed", "unknown"; None: none claimed
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["similarity"], d["overlap"] = round(float(self.similarity), 4), round(float(self.overlap), 4)
        return d


@dataclass
class Verification:
    """A quotation checked against the corpus (`qa verify`): the verdict and every article it appears in, by date."""

    quote: str  # as given
    checked: str  # the words compared: outer quotation marks and an attribution ("…, Varga said") taken off
    speaker: str | None  # who the quote is attributed to: the caller's speaker, else the name in the quote's text
    verdict: str  # the best match's verdict, or "not found"
    matches: list[QuoteMatch] = field(default_factory=list)  # oldest first (first appearance first), undated last
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> QuoteMatch | None:
        return next((m for m in self.matches if m.verdict == self.verdict), None)

    def to_dict(self) -> dict:
        return {"quote": self.quote, "checked": self.checked, "speaker": self.speaker, "verdict": self.verdict,
                "matches": [m.to_dict() for m in self.matches], "notes": self.notes}
