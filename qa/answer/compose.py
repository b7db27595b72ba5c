"""What every answer is made of: scored quotes, the abstention, and the answer text with its numbered citations."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np

from qa.models import Answer, Chunk, Citation, Hit, Span

ABSTAIN_TEXT = "The articles do not answer this question."
T = TypeVar("T")


@dataclass
class Scored:
    """A quote chosen for the answer, with the passage it comes from."""

    hit: Hit
    chunk: Chunk
    span: Span  # the quoted sentences: absolute offsets into the article
    text: str
    cosine: float  # similarity of the best quoted sentence to the question
    vec: np.ndarray = field(repr=False, default=None)
    score: float = 0.0  # the fitted probability that the passage answers


LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")  # inside a quoted sentence: only where its source was hard-wrapped


def _article(s: Scored) -> tuple[bool, str, str]:
    """Where a quote's article falls in date order: oldest first, undated last, one article's quotes together."""
    return s.chunk.date is None, s.chunk.date or "", s.chunk.doc_id


def by_date(scored: list[Scored]) -> list[Scored]:
    """Oldest article first, undated last; within an article, in reading order."""
    return sorted(scored, key=lambda s: (*_article(s), s.span[0]))


def answer_order(scored: list[Scored]) -> list[Scored]:
    """An answer's quotes: the likeliest first, then the others' articles by date (oldest first, undated last), within
    an article the likelier first (measured on the third-party test split: answer in the first three citations +2.2 /
    +1.8 points on new_wiki / squaddev against reading order, BENCHMARKS.md)."""
    return scored[:1] + sorted(scored[1:], key=lambda s: (*_article(s), -s.score, s.span[0]))


def dated_first(items: list[T], date_of: Callable[[T], str | None], newest: bool = False) -> list[T]:
    """Items by their date, oldest (or `newest`) first, undated last; in their order within a date."""
    dated = sorted((x for x in items if date_of(x)), key=date_of, reverse=newest)
    return dated + [x for x in items if not date_of(x)]


def abstention(question: str, notes: list[str] | None = None, nearest: list[Citation] | None = None) -> Answer:
    """No answer; with the passages `nearest` the question, for the reader to judge (never cited as an answer)."""
    return Answer(question, ABSTAIN_TEXT, True, [], notes=list(notes or []), nearest=list(nearest or []))


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
        parts.append(f"{prefix}{LINE_BREAKS.sub(' ', s.text)} [{cit.n}]")  # a hard-wrapped quote reads as one line
        sentences.append({"text": s.text, "n": cit.n, "doc_id": c.doc_id, "start": s.span[0], "end": s.span[1], "date": c.date})
    joiner = "\n" if dated else " "
    return Answer(question, joiner.join(parts), False, list(citations.values()), sentences=sentences)


def merged(question: str, answers: list[Answer]) -> Answer:
    """Several answers as one: their quotes in turn (a quote both give, once), the citations numbered anew (a passage
    both cite, once), every note; an abstention only when all abstain."""
    notes = list(dict.fromkeys(n for a in answers for n in a.notes))
    if all(a.abstained for a in answers):
        return abstention(question, notes, [c for a in answers for c in a.nearest])
    citations: list[Citation] = []
    number: dict[tuple[str, int, int], int] = {}
    parts, sentences, quoted = [], [], set()
    for a in (a for a in answers if not a.abstained):
        local = {}
        for c in a.citations:
            key = (c.doc_id, c.start, c.end)
            if key not in number:
                number[key] = len(citations) + 1
                citations.append(replace(c, n=number[key], quotes=[]))
            cited = citations[number[key] - 1]
            cited.quotes += [q for q in c.quotes if q not in cited.quotes]
            local[c.n] = number[key]
        text, at = [], 0  # the answer's own text (a timeline's dates and lines kept), each [n] numbered anew
        for sentence in a.sentences:
            marker = f"{sentence['text']} [{sentence['n']}]"
            found = a.answer.find(marker, at)
            if (sentence["doc_id"], sentence["start"], sentence["end"]) in quoted:
                at = found + len(marker) if found >= 0 else at
                continue
            quoted.add((sentence["doc_id"], sentence["start"], sentence["end"]))
            text.append(a.answer[at:found] if found >= 0 else " ")
            text.append(f"{sentence['text']} [{local[sentence['n']]}]")
            at = found + len(marker) if found >= 0 else at
            sentences.append({**sentence, "n": local[sentence["n"]]})
        parts.append("".join(text).strip())
    return Answer(question, ("\n" if any("\n" in p for p in parts) else " ").join(parts), False, citations, notes=notes,
                  sentences=sentences)
