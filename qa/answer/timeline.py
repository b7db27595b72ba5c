"""Timelines: per article, in date order, the statements that speak most directly to a topic, and what changed."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from qa.answer.compose import Scored, abstention, build_answer, by_date
from qa.answer.features import coverage
from qa.answer.extractive import DUPLICATE_COSINE, ExtractiveAnswerer
from qa.models import Answer, Hit, Query
from qa.text.names import entities
from qa.text.speakers import same_speaker, surname
from qa.text.words import content_terms

TOPICAL_OVERLAP = 0.5  # a timeline statement names at least half of the topic's words (or other names for them)


@dataclass
class TimelineEntry:
    date: str | None
    doc_id: str
    title: str
    source: str
    text: str
    start: int
    end: int
    score: float
    undated: bool = False
    change: dict | None = None  # vs the previous article: {"previous", "similarity", "new", "dropped"}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(float(self.score), 4)
        return d

    def change_summary(self) -> str:
        c = self.change or {}
        parts = [f"similarity to previous {c.get('similarity', 0):.2f}"]
        if c.get("new"):
            parts.append("new: " + ", ".join(c["new"]))
        if c.get("dropped"):
            parts.append("no longer: " + ", ".join(c["dropped"]))
        return "; ".join(parts)


_SPEAKER_TOPIC = re.compile(r"^(?P<speaker>.+?)\s+(?:on|about|regarding|over|concerning)\s+(?P<topic>.+)$", re.IGNORECASE)


def focus_terms(topic: str) -> tuple[list[str], bool]:
    """The words a statement must name, and whether the topic named a speaker apart from them.

    In "Lavrov on Trump" a statement must name Trump: Lavrov is who speaks, not what about.
    """
    m = _SPEAKER_TOPIC.match(topic.strip())
    if m and content_terms(m.group("topic")):
        return content_terms(m.group("topic")), True
    return content_terms(topic), False


def pick_statements(answerer: ExtractiveAnswerer, query: Query, qvec: np.ndarray, hits: list[Hit], per_article: int = 2) -> list[Scored]:
    """Per article that speaks to the topic (in the asked speaker's words, when one is asked), its best statements, by date."""
    kept, chunks, rows, cosines, _ = answerer.candidates(query, qvec, hits, limit=len(hits))
    prob = answerer.scorer.probability(rows)
    focus, _ = focus_terms(query.text)
    focus = [t for t in focus if not query.speaker or t != surname(query.speaker)]
    ones = {t: 1.0 for t in focus}
    chosen: list[Scored] = []
    per_doc: dict[str, int] = {}
    for i in (int(i) for i in np.argsort(-prob)):
        chunk = chunks[i]
        if prob[i] < answerer.scorer.cite_min or per_doc.get(chunk.doc_id, 0) >= per_article:
            continue
        if query.speaker and not any(same_speaker(w, query.speaker) for w in chunk.speakers):
            continue
        first, last = answerer.quote(query, chunk, cosines[i])
        span = (chunk.sentences[first][0], chunk.sentences[last][1])
        text = chunk.sentence_text(span)
        if focus and coverage(focus, ones, text, query.alternatives) < TOPICAL_OVERLAP:
            continue
        vec = answerer.sentence_vectors(chunk)[first : last + 1].mean(0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        if any(c.text == text or float(c.vec @ vec) >= DUPLICATE_COSINE for c in chosen):
            continue
        chosen.append(Scored(kept[i], chunk, span, text, float(cosines[i][first : last + 1].max()), vec, float(prob[i])))
        per_doc[chunk.doc_id] = per_doc.get(chunk.doc_id, 0) + 1
    return by_date(chosen)


def _noise(query: Query, chosen: list[Scored]) -> set[str]:
    """Names that say nothing about what changed: who speaks, the outlets, the datelines' places, the topic itself."""
    out = {c.chunk.source.lower() for c in chosen} | {c.chunk.place.lower() for c in chosen if c.chunk.place}
    out |= {w.lower() for w in (query.speaker or "").split()} | set(query.topic_terms())
    return out


def _entries(chosen: list[Scored], query: Query) -> list[TimelineEntry]:
    entries = []
    noise = _noise(query, chosen)
    prev_doc, prev_vec, prev_names = None, None, []
    groups: dict[str, list[Scored]] = {}
    for s in chosen:
        groups.setdefault(s.chunk.doc_id, []).append(s)
    for doc_id, group in groups.items():
        vec = np.mean([s.vec for s in group], axis=0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        names = [n for s in group for n in entities(s.text) if not ({n.lower()} | set(n.lower().split())) & noise]
        change = None
        if prev_doc is not None:
            low_prev = {n.lower() for n in prev_names}
            low_now = {n.lower() for n in names}
            change = {
                "previous": prev_doc,
                "similarity": round(float(vec @ prev_vec), 3),
                "new": [n for n in dict.fromkeys(names) if n.lower() not in low_prev],
                "dropped": [n for n in dict.fromkeys(prev_names) if n.lower() not in low_now],
            }
        for i, s in enumerate(group):
            c = s.chunk
            entries.append(
                TimelineEntry(c.date, doc_id, c.title, c.source, s.text, s.span[0], s.span[1], s.score,
                              undated=c.date is None, change=change if i == 0 else None)
            )
        prev_doc, prev_vec, prev_names = doc_id, vec, names
    return entries


def build_timeline(assistant, topic: str, since=None, until=None, source=None, k: int = 60) -> list[TimelineEntry]:
    """Per article, in date order, what it said about the topic, and what changed from the article before."""
    topic = (topic or "").strip()
    if not topic:
        return []
    query = assistant.query(topic, since=since, until=until, source=source)
    qvec, hits = assistant.retrieve(query, k)
    return _entries(pick_statements(assistant.answerer, query, qvec, hits), query)


def chronological_answer(answerer: ExtractiveAnswerer, query: Query, qvec: np.ndarray, hits: list[Hit]) -> Answer:
    """An answer to "how did ... change": the timeline's statements, dated, in order."""
    chosen = pick_statements(answerer, query, qvec, hits, per_article=1)
    if not chosen:
        return abstention(query.text)
    answer = build_answer(query.text, chosen, dated=True)
    changes = [e for e in _entries(chosen, query) if e.change]
    answer.notes.extend(f"{e.date or 'undated'} vs {e.change['previous']}: {e.change_summary()}" for e in changes)
    return answer
