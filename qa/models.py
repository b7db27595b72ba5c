"""The data that flows between the stages: articles, chunks, queries, hits, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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

    def sentence_text(self, span: Span) -> str:
        return self.text[span[0] - self.start : span[1] - self.start]


@dataclass
class Period:
    """A date window; either bound may be open. `text` is the words it was read from."""

    since: str | None  # YYYY-MM-DD inclusive
    until: str | None  # YYYY-MM-DD inclusive
    text: str = ""
    label: str = ""  # for people: "November 2016", "before 2017"

    def to_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "text": self.text}


@dataclass
class Filters:
    """What the searches may return: a date window, sources, documents."""

    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def active(self) -> bool:
        return bool(self.since or self.until or self.sources or self.doc_ids)


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
    speaker: str | None = None
    original: str = ""  # as typed, before a follow-up was rewritten


@dataclass
class Hit:
    chunk_id: int
    score: float  # fused
    dense: float  # cosine similarity to the question
    lexical: float  # BM25, 0 when the chunk did not match lexically


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
    period: str | None = None  # the date range the answer covers, when the question set one
    notes: list[str] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)  # {"text", "n", "doc_id", "start", "end", "date"}

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "period": self.period,
            "notes": self.notes,
            "sentences": self.sentences,
        }
