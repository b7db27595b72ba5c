"""A question answered end to end: retrieve, compose (or a dated sequence for "how did … change"), and keep periods
honest: with a period nothing outside it is cited, and the nearest dates that answer are only suggested."""

from __future__ import annotations

import datetime as dt

from qa.models import Answer, Query
from qa.query.analyze import without_period
from qa.query.periods import parse_period

CHANGE_HITS = 60  # a change over time is looked for across more passages: one statement per date is kept


def answer_query(assistant, query: Query, k: int) -> Answer:
    answer = _compose(assistant, query, k)
    answer.period = query.period
    if later := after_the_articles(assistant, query):
        answer.notes.append(later)
    if answer.abstained and query.period:
        wider = _compose(assistant, without_period(query), k)
        answer.outside_period = wider.citations if not wider.abstained else []
        answer.notes.insert(0, f"No article from {query.period.label} answers this."
                            + (" Articles from other dates do: see the suggestions." if answer.outside_period else ""))
    elif answer.abstained and query.filters.active():
        answer.notes.append("searched only the filtered articles")
    return answer


def _compose(assistant, query: Query, k: int) -> Answer:
    qvec, hits = assistant.retrieve(query, k=max(4 * k, CHANGE_HITS if query.chronological else 20))
    if query.chronological:
        from qa.answer.timeline import chronological_answer

        return chronological_answer(assistant.answerer, query, qvec, hits)
    return assistant.answerer.compose(query, qvec, hits, max_passages=max(k, 1))


def after_the_articles(assistant, query: Query) -> str | None:
    """A note when the question names a time after the newest article (of a mostly dated archive): asked what happened then ("Who won the election
    in May 2017?" of an archive that ends in March 2017; the period then restricts, so nothing is cited), that the
    articles cannot report it; asked what was expected, that what they say was written before then."""
    latest = assistant.answerer.store.archive_end()
    if not latest:
        return None
    period = query.period if query.period is not None else parse_period(query.text, dt.date.fromisoformat(latest))
    if period is None or not period.since or period.since <= latest:
        return None
    if query.period is not None:
        what = "what was said" if query.asks_speech else "what happened"
        return f"The newest article is from {latest}, before {period.label}: the articles cannot report {what} then."
    return f"The newest article is from {latest}, before {period.label}: what they say was written before then."
