"""Read a question once into a `Query`: topic terms, names, the period it asks about, what kind of answer it wants."""

from __future__ import annotations

import datetime as dt
import re

from qa.models import Filters, Period, Query
from qa.query.periods import parse_date_intent
from qa.text.names import name_terms
from qa.text.words import content_terms

CHRONOLOGICAL = re.compile(
    r"\b(?:how\s+(?:did|has|have|does)\b.*\b(?:change|changed|evolve|evolved|shift|shifted|develop|developed)"
    r"|over\s+time|compare|comparison|timeline|chronolog\w*)\b",
    re.IGNORECASE,
)
ASKS_SPEECH = re.compile(
    r"\b(?:say|said|says|tell|told|think|thinks|position|view|stance|believe|opinion|claim|argue|comment|according|stated?)\b",
    re.IGNORECASE,
)


def analyze(
    question: str,
    since: str | None = None,
    until: str | None = None,
    sources: tuple[str, ...] | list[str] = (),
    doc_ids: tuple[str, ...] | list[str] = (),
    reference: dt.date | None = None,
) -> Query:
    """The `Query` for a question; explicit `since`/`until` win over a period the question names.

    `reference` is the date relative phrases ("last October") are read against: the corpus' latest article date.
    """
    question = (question or "").strip()
    period, from_question = None, False
    if since or until:
        period = Period(since, until, "", f"{since or 'the beginning'} to {until or 'now'}")
    else:
        intent = parse_date_intent(question, reference)
        if intent:
            period = Period(intent.since, intent.until, intent.matched, intent.label)
            from_question = True
    filters = Filters(period.since if period else None, period.until if period else None, tuple(sources or ()), tuple(doc_ids or ()))
    return Query(
        text=question,
        terms=content_terms(question),
        names=name_terms(question),
        filters=filters,
        period=period,
        period_from_question=from_question,
        chronological=bool(CHRONOLOGICAL.search(question)),
        asks_speech=bool(ASKS_SPEECH.search(question)),
        original=question,
    )


def without_period(query: Query) -> Query:
    """The same question over all dates (sources and documents still filtered)."""
    from dataclasses import replace

    f = query.filters
    return replace(query, filters=Filters(None, None, f.sources, f.doc_ids), period=None, period_from_question=False)
