"""The data that flows through the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    body: list[tuple[int, int]] = field(default_factory=list)  # paragraph spans that get indexed
    stripped: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind): title/heading/debris
    warnings: list[str] = field(default_factory=list)


@dataclass
class Chunk:
    doc_id: str
    start: int
    end: int
    text: str
    sentences: list[tuple[int, int]]  # absolute offsets into the article text
    ordinal: int = 0
    id: int | None = None


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
    quotes: list[tuple[int, int]] = field(default_factory=list)  # answer sentences inside this passage

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
