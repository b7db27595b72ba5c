"""A question answered end to end: retrieve, compose (or a dated sequence for "how did … change"), and keep periods
honest: with a period nothing outside it is cited, and the nearest dates that answer are only suggested."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from qa.answer.compose import abstention, merged
from qa.answer.features import found as terms_found
from qa.answer.who_said import asked_quote, who_said
from qa.models import Answer, Period, Query
from qa.query.analyze import without_period
from qa.query.focus import leans_on_context, previous_answer
from qa.query.periods import parse_period
from qa.query.several import one_per_speaker
from qa.query.spelling import respelled_note
from qa.text.words import content_terms as context_terms

CHANGE_HITS = 60  # a change over time (or the latest reports) is looked for across more passages
RECENCY_NOTES = {"newest": "Newest first: the question asks for the latest reports.",
                 "oldest": "Oldest first: the question asks for the first reports."}


def answer_query(assistant, query: Query, k: int) -> Answer:
    f = query.filters
    if each := one_per_speaker(query.original or query.text):  # "What did Merkel and Trump say …": each one's words
        since, until = (None, None) if query.period_from_question else (f.since, f.until)  # the question's: read again
        asked = [assistant.query(q, since, until, list(f.sources) or None, list(f.doc_ids) or None) for q, _ in each]
        answer = in_turn(assistant, query.text, asked, [who for _, who in each], k)
        if not answer.abstained:  # neither quoted on it: the question as asked ("Why do X and Y believe their …")
            return answer
    if query.outlet and len(f.sources) > 1:  # "What did the BBC and CNN report …": each one's reporting in turn
        each = [replace(query, filters=replace(f, sources=(s,)), outlet=s) for s in f.sources]
        return in_turn(assistant, query.text, each, list(f.sources), k)
    if (quote := asked_quote(query.original or query.text)) is not None:  # "Who said 'now is not the time'?"
        answer = who_said(query.text, assistant.verify(quote), f, k)
    elif query.period and not assistant.answerer.store.published_within(f.since, f.until):
        answer = abstention(query.text)  # no article from then: nothing to search, and no other reason to give
    else:
        answer = _compose(assistant, query, k)
    answer.period = query.period
    if query.respelled:
        answer.notes.append(respelled_note(query.respelled))
    if query.outlet:
        answer.notes.append(f"Only {query.outlet}'s articles: the question asks for its reporting.")
    if query.recency and not answer.abstained and not query.chronological:
        answer.notes.append(RECENCY_NOTES[query.recency])
    ended = archive_ended(assistant, query)
    if ended is None and (later := after_the_articles(assistant, query)):
        answer.notes.append(later)
    if answer.abstained and query.period:
        wider = _compose(assistant, without_period(query), k)
        answer.outside_period = wider.citations if not wider.abstained else []
        if answer.outside_period:  # other dates answer: those, not what is near
            answer.nearest = []
        if ended is not None:  # after the archive: why nothing can answer, and what the articles said before
            notice = f"No article from {query.period.label} answers this: {ended}"
            notice += " What they said before: see the suggestions." if answer.outside_period else ""
        else:
            notice = f"No article from {query.period.label} answers this."
            notice += " Articles from other dates do: see the suggestions." if answer.outside_period else ""
        answer.notes.insert(0, notice)
    elif answer.abstained and query.filters.active():
        answer.notes.append("searched only the filtered articles")
    return answer


def in_turn(assistant, question: str, asked: list[Query], who: list[str], k: int) -> Answer:
    """Each of the questions answered, the answers merged (qa.answer.compose.merged), with a note of whom in turn."""
    answer = merged(question, [answer_query(assistant, q, k) for q in asked])
    answer.notes.insert(0, f"Asked of each in turn: {', then '.join(who)}.")
    answer.period = asked[0].period
    return answer


def answer_in_conversation(assistant, query: Query, k: int, history) -> Answer | None:
    """A follow-up that still needs the conversation once rewritten ("How old was he?", "What did the documents show?";
    not "and about the treaty?", rewritten "What did Varga say about the treaty?") asked after the
    question before it, among the articles that question's answer cited (when `history` ends with that answer); None
    when nothing there answers it, or what it cites names none of the follow-up's own words ("Did he mention chemical
    weapons?" is not answered from his words on Aleppo). Measured: bench/conversation.py, BENCHMARKS.md."""
    previous = previous_answer(history)
    if previous is None or query.filters.doc_ids or query.period or not leans_on_context(query.text):
        return None
    asked, docs = previous
    context = assistant.query(f"{asked} {query.text}", source=list(query.filters.sources) or None, doc_ids=docs, respell=False)
    answer = answer_query(assistant, context, k)
    own = [t for t in query.terms if t not in set(context_terms(asked))]
    if answer.abstained or own and not terms_found(own, " ".join(c.text for c in answer.citations), query.alternatives):
        return None
    answer.notes.append(f"asked after “{asked}”, among the articles of its answer")
    return answer


def _compose(assistant, query: Query, k: int) -> Answer:
    qvec, hits = assistant.retrieve(query, k=max(4 * k, CHANGE_HITS if query.chronological or query.recency else 20))
    if query.chronological:
        from qa.answer.timeline import chronological_answer

        return chronological_answer(assistant.answerer, query, qvec, hits)
    return assistant.answerer.compose(query, qvec, hits, max_passages=max(k, 1))


def archive_ended(assistant, query: Query) -> str | None:
    """Why nothing answers when the question's period lies after the newest article (of a mostly dated archive): the
    articles cannot report what happened, or what was said, then. None otherwise."""
    latest = _after_archive(assistant, query.period)
    if latest is None:
        return None
    what = "what was said" if query.asks_speech else "what happened"
    return f"the newest is from {latest}, and the articles cannot report {what} then."


def after_the_articles(assistant, query: Query) -> str | None:
    """A note when the question names a time after the newest article (of a mostly dated archive) but asks what was
    expected then, so the date did not restrict: what the articles say was written before it."""
    end = assistant.answerer.store.archive_end()
    if not end or query.period is not None:
        return None
    period = parse_period(query.text, dt.date.fromisoformat(end))
    if _after_archive(assistant, period) is None:
        return None
    return f"The newest article is from {end}, before {period.label}: what they say was written before then."


def _after_archive(assistant, period: Period | None) -> str | None:
    """The archive's end (its newest article's date), if `period` starts after it; else None."""
    end = assistant.answerer.store.archive_end()
    return end if end and period is not None and period.since and period.since > end else None
