"""Timelines: per article, in date order, the statements that speak most directly to a topic, and what changed."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from qa.answer.compose import Composer, Scored, abstention, build_answer, by_date, lexical_overlap
from qa.models import Answer, Hit, Query
from qa.text.names import entities
from qa.text.words import content_terms

TOPICAL_OVERLAP = 0.5  # a timeline statement names the topic's rarer words ...
TOPICAL_COSINE = 0.6  # ... or is this close to it in meaning


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


def pick_statements(composer: Composer, query: Query, qvec: np.ndarray, hits: list[Hit], per_article: int = 2) -> list[Scored]:
    """Per article that speaks to the topic, its best one or two sentences, in date order."""
    chunks = composer.store.chunks([h.chunk_id for h in hits])
    by_doc: dict[str, list[Hit]] = {}
    for h in hits:
        if h.chunk_id in chunks:
            by_doc.setdefault(chunks[h.chunk_id].doc_id, []).append(h)
    chosen: list[Scored] = []
    focus, has_speaker = focus_terms(query.text)
    near_enough = 2.0 if has_speaker else TOPICAL_COSINE  # with a speaker named, only naming the topic counts
    weights, _ = composer.term_stats(query.terms, query.names)
    for doc_hits in by_doc.values():
        scored, unknown = composer.score(query, qvec, doc_hits[:3], limit=3)
        good = [
            s for s in scored
            if s.cosine >= composer.floor(unknown)
            and (lexical_overlap(focus, weights, s.text) >= TOPICAL_OVERLAP or s.cosine >= near_enough)
        ]
        if not good:
            continue
        picked = [good[0]]
        for s in good[1:]:
            if len(picked) >= per_article or s.score < 0.9 * good[0].score:
                break
            if float(s.vec @ picked[0].vec) < composer.params.duplicate_cosine:
                picked.append(s)
        chosen.extend(picked)
    return by_date(chosen)


def _entries(chosen: list[Scored]) -> list[TimelineEntry]:
    entries = []
    prev_doc, prev_vec, prev_names = None, None, []
    groups: dict[str, list[Scored]] = {}
    for s in chosen:
        groups.setdefault(s.chunk.doc_id, []).append(s)
    for doc_id, group in groups.items():
        vec = np.mean([s.vec for s in group], axis=0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        names = [n for s in group for n in entities(s.text)]
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
    return _entries(pick_statements(assistant.answerer, query, qvec, hits))


def chronological_answer(composer: Composer, query: Query, qvec: np.ndarray, hits: list[Hit]) -> Answer:
    """An answer to "how did ... change": the timeline's statements, dated, in order."""
    chosen = pick_statements(composer, query, qvec, hits, per_article=1)
    if not chosen:
        return abstention(query.text)
    answer = build_answer(query.text, chosen, dated=True)
    changes = [e for e in _entries(chosen) if e.change]
    answer.notes.extend(f"{e.date or 'undated'} vs {e.change['previous']}: {e.change_summary()}" for e in changes)
    return answer
