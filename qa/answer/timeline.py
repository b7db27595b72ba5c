"""Timelines: per article, in date order, the statements that speak most directly to a topic, and what changed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

import numpy as np

from qa.answer.changes import changed_names, noise_words
from qa.answer.compose import Scored, abstention, build_answer, by_date
from qa.answer.features import coverage
from qa.answer.extractive import ExtractiveAnswerer
from qa.models import Answer, Hit, Query
from qa.text.quotes import quotation_sentences
from qa.text.speakers import surname
from qa.text.words import content_terms, unaccented

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


def focus_terms(query: Query) -> tuple[list[str], bool]:
    """The words a statement must name, and whether the topic named a speaker apart from them: the Query's topic terms
    (date phrases and asking words already left out), without who speaks.

    In "How did Lavrov's position on Syria change in 2017?" a statement must name Syria; in "Lavrov on Trump", Trump:
    Lavrov is who speaks, not what about.
    """
    if query.speaker:
        return [t for t in query.topic_terms() if unaccented(t) != surname(query.speaker)], True
    m = _SPEAKER_TOPIC.match(query.text.strip())
    said_by = set(content_terms(m.group("speaker"))) if m else set()
    rest = [t for t in query.terms if t not in said_by]
    if said_by and rest and rest != query.terms:
        return rest, True
    return list(query.terms), False


MAX_STATEMENT_CHARS = 700  # a longer "statement" is sentences run together by stray quotation marks: not quoted
MAX_STEPS = 6  # a change answer shows at most this many dated steps (the likeliest, then in date order)


def timeline_speaker(query: Query) -> str | None:
    """Whose statements a timeline keeps: the question's speaker ("How did Merkel's position on Turkey change?")."""
    return query.speaker


def pick_statements(answerer: ExtractiveAnswerer, query: Query, qvec: np.ndarray, hits: list[Hit], per_article: int = 2,
                    per_date: int | None = None) -> list[Scored]:
    """Per article that speaks to the topic (in the asked speaker's own sentences, when one is asked), its best
    statements, by date; `per_date` keeps only that many, the likeliest, from each date."""
    kept, chunks, rows, cosines, _ = answerer.candidates(query, qvec, hits, limit=len(hits))
    prob = answerer.scorer.probability(rows)
    focus, _ = focus_terms(query)
    chosen: list[Scored] = []
    per_doc: dict[str, int] = {}
    on_date: dict[str | None, int] = {}
    # what is likely enough to list: at least the answers' cite_floor, but not within cite_ratio of the best, as an answer
    # cites: a timeline lists every date's statements on the topic, and one strong article must not hide the others
    # (a bare topic such as "Aleppo" is no question: every passage is less likely to "answer" it than cite_min)
    floor = answerer.scorer.cite_floor
    for i in (int(i) for i in np.argsort(-prob)):
        chunk = chunks[i]
        if prob[i] < floor or per_doc.get(chunk.doc_id, 0) >= per_article:
            continue
        if per_date is not None and on_date.get(chunk.date, 0) >= per_date:
            continue
        picked = statement(answerer, query, chunk, cosines[i], focus)
        if picked is None:
            continue
        if not answerer.add_quote(kept[i], chunk, *picked, cosines[i], float(prob[i]), chosen):
            continue
        per_doc[chunk.doc_id] = per_doc.get(chunk.doc_id, 0) + 1
        on_date[chunk.date] = on_date.get(chunk.date, 0) + 1
    return by_date(chosen)


def statement(answerer: ExtractiveAnswerer, query: Query, chunk, cosines: np.ndarray, focus: list[str]) -> tuple[int, int] | None:
    """The sentences of a passage to quote on the topic: the best of its sentences (with its whole quotation) that
    names the topic and, when a speaker is asked, is theirs; None when no sentence of the passage is."""
    ones = {t: 1.0 for t in focus}
    score = [float(c) + 0.3 * coverage(focus, ones, chunk.sentence_text(sp), query.alternatives)
             for sp, c in zip(chunk.sentences, cosines)]
    for best in sorted(range(len(score)), key=lambda j: -score[j]):
        first, last = quotation_sentences(chunk.text, chunk.sentences, best, chunk.start)
        text = chunk.sentence_text((chunk.sentences[first][0], chunk.sentences[last][1]))
        if len(text) > MAX_STATEMENT_CHARS or (query.speaker and not answerer.said_by(chunk, first, last, query.speaker, query.body)):
            continue
        if not focus or coverage(focus, ones, text, query.alternatives) >= TOPICAL_OVERLAP:
            return first, last
    return None


def _entries(chosen: list[Scored], query: Query, outlets: list[str] = ()) -> list[TimelineEntry]:
    """The statements as entries; an article's first one carries what changed from the article before."""
    entries = []
    places = {c.chunk.place for c in chosen if c.chunk.place}
    noise = noise_words(query.speaker, query.topic_terms(), {c.chunk.source for c in chosen} | set(outlets), places)
    prev_doc, prev_vec, prev_names = None, None, []
    groups: dict[str, list[Scored]] = {}
    for s in chosen:
        groups.setdefault(s.chunk.doc_id, []).append(s)
    for doc_id, group in groups.items():
        vec = np.mean([s.vec for s in group], axis=0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        names = changed_names([s.text for s in group], noise)
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
    return _entries(pick_statements(assistant.answerer, query, qvec, hits), query, assistant.sources())


def chronological_answer(answerer: ExtractiveAnswerer, query: Query, qvec: np.ndarray, hits: list[Hit]) -> Answer:
    """An answer to "how did ... change": the timeline's statements, dated, in order."""
    chosen = pick_statements(answerer, query, qvec, hits, per_article=1, per_date=1)
    if not chosen:
        who = f" The articles do not quote {query.speaker} on this." if query.speaker else ""
        return abstention(query.text, [who.strip()] if who else [])
    chosen = by_date(sorted(chosen, key=lambda s: -s.score)[:MAX_STEPS])
    answer = build_answer(query.text, chosen, dated=True)
    entries = _entries(chosen, query, answerer.store.sources())
    dates = {e.doc_id: e.date or "undated" for e in entries}
    answer.notes.extend(f"{e.date or 'undated'} vs {dates[e.change['previous']]}: {e.change_summary()}"
                        for e in entries if e.change)
    return answer


MAX_SERIES = 6  # more outlets than this are counted as one series


def statement_counts(entries: list[TimelineEntry] | list[dict], speaker: str | None = None) -> dict:
    """How many statements on the topic per day, week or month (by the span of the dates), per series: the speaker when
    the topic names one, else the outlet (one series when there are more than MAX_SERIES), as plain data:
    {"bucket", "by", "series": [...], "periods": [{"start", "end", "label", "counts": {series: n}, "total"}], "undated"}.
    Every period between the first and the last date is listed, empty ones too."""
    rows = [e.to_dict() if isinstance(e, TimelineEntry) else e for e in entries]
    dated = [(dt.date.fromisoformat(r["date"]), r.get("source") or "unknown") for r in rows if r.get("date")]
    outlets = sorted({s for _, s in dated})
    by = "speaker" if speaker else ("outlet" if 1 < len(outlets) <= MAX_SERIES else "all")
    name = (lambda s: speaker) if speaker else ((lambda s: s) if by == "outlet" else (lambda s: "statements"))
    out = {"bucket": "day", "by": by, "series": [], "periods": [], "undated": len(rows) - len(dated)}
    if not dated:
        return out
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = (last - first).days
    out["bucket"] = bucket = "day" if span <= 31 else "week" if span <= 182 else "month"
    periods: dict[dt.date, dict] = {}
    start = _bucket_start(first, bucket)
    while start <= last:
        end = _bucket_end(start, bucket)
        periods[start] = {"start": start.isoformat(), "end": end.isoformat(), "label": _label(start, bucket, first.year != last.year),
                          "counts": {}, "total": 0}
        start = end + dt.timedelta(days=1)
    for day, outlet in dated:
        p = periods[_bucket_start(day, bucket)]
        p["counts"][name(outlet)] = p["counts"].get(name(outlet), 0) + 1
        p["total"] += 1
    out["series"] = list(dict.fromkeys(name(s) for s in (outlets if by == "outlet" else outlets[:1])))
    out["periods"] = list(periods.values())
    return out


def _bucket_start(day: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())  # weeks start on Monday
    return day.replace(day=1) if bucket == "month" else day


def _bucket_end(start: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return start + dt.timedelta(days=6)
    if bucket == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start


def _label(start: dt.date, bucket: str, years: bool) -> str:
    """ "7 Mar", "week of 6 Mar", "Mar 2017" (a day or week label gets its year when the dates span two years)."""
    year = f" {start.year}" if years else ""
    if bucket == "month":
        return f"{start:%b %Y}"
    return f"{'week of ' if bucket == 'week' else ''}{start.day} {start:%b}{year}"
