"""Timelines: per article, in date order, the statements that speak most directly to a topic, and what changed."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from qa.answer import Scored, build_answer, lexical_overlap
from qa.retrieve import content_terms
from qa.models import Answer

_ENTITY = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:al-|de\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]*)*")
_NOT_ENTITY = frozenset(
    """The A An In On At As But And Or If This That These Those We He She They It I Our His Her Their There Here
    According However Nevertheless Thanks Simultaneously During After Before When While By For From With Of To
    What Which Who Why How Also Yes No So Then Some All Both Each Such Those Unfortunately Meanwhile Moreover
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Asked Earlier Later Following Among Much Many Several Still Now Today
    Yesterday Last Next First Despite Although Because Since Until Under Over Instead Indeed Meanwhile You""".split()
)
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


def entities(text: str) -> list[str]:
    """Named things in a statement, verbatim (capitalised runs, minus sentence-opening function words)."""
    out: list[str] = []
    for m in _ENTITY.finditer(text):
        words = m.group().split()
        while words and words[0] in _NOT_ENTITY:
            words = words[1:]
        while words and words[-1] in _NOT_ENTITY:
            words = words[:-1]
        phrase = re.sub(r"[’']s$", "", " ".join(words)).strip("’'-")
        if len(phrase) > 1 and phrase not in out and phrase.lower() not in {o.lower() for o in out}:
            out.append(phrase)
    return out


_SPEAKER_TOPIC = re.compile(r"^(?P<speaker>.+?)\s+(?:on|about|regarding|over|concerning)\s+(?P<topic>.+)$", re.IGNORECASE)


def focus_terms(topic: str) -> tuple[list[str], bool]:
    """The words a statement must name, and whether the topic named a speaker apart from them.

    In "Lavrov on Trump" a statement must name Trump: Lavrov is who speaks, not what about.
    """
    m = _SPEAKER_TOPIC.match(topic.strip())
    if m and content_terms(m.group("topic")):
        return content_terms(m.group("topic")), True
    return content_terms(topic), False


def pick_statements(composer, topic: str, qvec: np.ndarray, hits, per_article: int = 2) -> list[Scored]:
    """Per article that speaks to the topic, its best one or two sentences."""
    by_doc: dict[str, list] = {}
    for h in hits:
        by_doc.setdefault(composer.store.chunks([h.chunk_id])[h.chunk_id]["doc_id"], []).append(h)
    chosen: list[Scored] = []
    focus, has_speaker = focus_terms(topic)
    near_enough = 2.0 if has_speaker else TOPICAL_COSINE  # with a speaker named, only naming the topic counts
    _, weights, _ = composer.term_stats(topic)
    for doc_hits in by_doc.values():
        scored, unknown = composer.score(topic, qvec, doc_hits[:3], limit=3)
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
    chosen.sort(key=lambda s: (s.chunk["date"] is None, s.chunk["date"] or "", s.chunk["doc_id"], s.span[0]))
    return chosen


def _entries(chosen: list[Scored]) -> list[TimelineEntry]:
    entries = []
    prev_doc, prev_vec, prev_names = None, None, []
    groups: dict[str, list[Scored]] = {}
    for s in chosen:
        groups.setdefault(s.chunk["doc_id"], []).append(s)
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
                TimelineEntry(c["date"], doc_id, c["title"], c["source"], s.text, s.span[0], s.span[1], s.score,
                              undated=c["date"] is None, change=change if i == 0 else None)
            )
        prev_doc, prev_vec, prev_names = doc_id, vec, names
    return entries


def build_timeline(assistant, topic: str, since=None, until=None, source=None, k: int = 60) -> list[TimelineEntry]:
    from qa.retrieve import Retriever

    topic = (topic or "").strip()
    if not topic:
        return []
    index = assistant._require_index()
    filters, _ = assistant._filters(topic, since, until, source, None)
    qvec = assistant.encoder.encode([topic])[0]
    with assistant._lock:
        hits = Retriever(index).search(topic, qvec, k=k, filters=filters)
        return _entries(pick_statements(assistant.composer, topic, qvec, hits))


def chronological_answer(assistant, question: str, qvec: np.ndarray, hits) -> Answer:
    """An answer to "how did ... change": the timeline's statements, dated, in order."""
    chosen = pick_statements(assistant.composer, question, qvec, hits, per_article=1)
    if not chosen:
        return Answer(question, "The articles do not answer this question.", True, [])
    answer = build_answer(question, chosen, dated=True)
    changes = [e for e in _entries(chosen) if e.change]
    answer.notes.extend(f"{e.date or 'undated'} vs {e.change['previous']}: {e.change_summary()}" for e in changes)
    return answer
