"""Read a question once into a `Query`: topic terms, names, the period it asks about, what kind of answer it wants."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from qa.corpus.sources import normalise
from qa.models import Correction, Filters, Period, Query
from qa.query.aides import asked_aide
from qa.query.outlets import asked_outlet
from qa.query.periods import parse_period
from qa.text import aliases
from qa.text.calendar import MONTHS, date_forms
from qa.text.names import cased, name_terms
from qa.text.speakers import asked_body, asked_speaker, role_before
from qa.text.words import acronyms, content_terms

CHRONOLOGICAL = re.compile(
    r"\b(?:how\s+(?:did|has|have|does)\b.*\b(?:change|changed|evolve|evolved|shift|shifted|develop|developed)"
    r"|over\s+time|compare|comparison\s+(?:of|between)|timeline|chronolog\w*)\b",  # not "Erdogan's Nazi comparison"
    re.IGNORECASE,
)
_NEWS = r"(?:news|reports?|reporting|developments?|updates?|statements?|comments?|remarks|word)"
# the latest (or the first) reports: asked of a dated archive, the newest (or oldest) passages that answer lead
NEWEST = re.compile(rf"\bthe\s+latest(?:\s+{_NEWS})?\s+(?:on|about|in|from|regarding|for)\b|\b(?:latest|newest|most\s+recent)"
                    rf"\s+{_NEWS}\b|\bmost\s+recently\b|\brecent\s+developments\b", re.IGNORECASE)
OLDEST = re.compile(rf"\b(?:the\s+)?(?:first|earliest|initial)\s+(?:news\s+)?(?:reports?|reporting|word)\b|\binitially\s+reported\b",
                    re.IGNORECASE)
ASKS_SPEECH = re.compile(
    r"\b(?:say|said|says|tell|told|think|thinks|position|view|stance|believe|opinion|claim|argue|comment|according|stated?|tweet(?:s|ed)?)\b",
    re.IGNORECASE,
)
# what an acronym or abbreviation stands for
ASKS_EXPANSION = re.compile(
    r"\b(?:stands?|stood)\s+for\b|\bfull\s+(?:name|form|title)\b|\bshort\s+for\b|\b(?:acronym|abbreviation|initialism)s?\b"
    r"|\babbreviat(?:ed|es)\b",
    re.IGNORECASE,
)
# "What is an HBCU?", "What is the IAEA?": an acronym alone asks first of all what it stands for
ASKS_WHAT_ACRONYM = re.compile(r"^\s*(?i:what|who)\s+(?i:is|are|was|were)\s+(?:(?i:an?|the)\s+)?[A-Z][A-Z&]{1,5}s?\s*\??\s*$")
# what was expected, planned or forecast: articles written before a time can say that much about it
ASKS_FORECAST = re.compile(
    r"\b(?:will|would|going\s+to|expect\w*|plan\w*|schedul\w*|forecast\w*|predict\w*|project(?:ed|ions?)|likely|upcoming"
    r"|due\s+to|set\s+to|poll\w*|chances?|odds|favou?r(?:ed|ite)s?|front-?runners?|hope[sd]?|intend\w*|propos\w*)\b",
    re.IGNORECASE,
)


def analyze(
    question: str,
    since: str | None = None,
    until: str | None = None,
    sources: tuple[str, ...] | list[str] = (),
    doc_ids: tuple[str, ...] | list[str] = (),
    reference: dt.date | None = None,
    known_aliases: list[tuple[str, ...]] | None = None,
    doc_freq: Callable[[str], int] | None = None,
    earliest: dt.date | None = None,
    corpus_dated: bool = True,
    published_within: Callable[[str | None, str | None], bool] | None = None,
    archive_end: dt.date | None = None,
    respell: Callable[[str], tuple[str, list[Correction]]] | None = None,
    quoted: Callable[[str], bool] | None = None,
    outlets: list[str] | None = None,
) -> Query:
    """The `Query` for a question; explicit `since`/`until` win over a period the question names.

    `reference` is the date relative phrases ("last October") are read against: the corpus' latest article date, and
    `earliest` its first; a period the question names restricts the articles by date when the corpus is dated and the
    question asks what was said or reported, or some article was published in the period (`published_within`; without
    it, the period falls within the corpus' dates); otherwise ("Who won the 1998 election?" asked of 2016 news, of
    an archive with no article from 1998, or of texts mostly undated, where a date found in a few of them would hide
    the rest: `corpus_dated` False) the date is about the event, and stays a topic word;
    `archive_end` is the newest article's date when the archive is mostly dated: a period after it restricts (nothing
    can be cited) when the question asks what happened then, not what was expected;
    `known_aliases` are the alias groups the corpus taught itself (acronyms it defines); `doc_freq` counts the
    passages that hold a phrase: another name is searched for only where the corpus prefers it; `respell` reads
    the words the corpus never writes as those it does ("Instanbul" → "Istanbul", qa.query.spelling.respell);
    `quoted` tells a surname of someone the corpus quotes: a question typed in lower case names them as if capitalised;
    one of the corpus' `outlets` whose reporting the question asks for ("What did TASS say …") filters the sources
    when the caller gave none.
    """
    asked = (question or "").strip()
    question, respelled = respell(asked) if respell else (asked, [])
    period, from_question = None, False
    if since or until:
        period = Period(since, until, "", f"{since or 'the beginning'} to {until or 'now'}")
    else:
        period = parse_period(question, reference)
        if period is not None and not _restricts(period, question, corpus_dated, earliest, reference, published_within, archive_end):
            period = None
        from_question = period is not None
    outlet = asked_outlet(question, outlets) if outlets and not sources else None  # "What did TASS say about …"
    sources = outlet[0] if outlet else sources
    filters = Filters(period.since if period else None, period.until if period else None,
                      tuple(normalise(s) for s in sources or ()), tuple(doc_ids or ()))  # "tass.com" finds TASS
    topic = question.replace(period.text, " ") if from_question and period and period.text else question
    topic = topic.replace(outlet[1], " ") if outlet else topic  # the outlet is whose articles, not what about
    newest = NEWEST.search(question)
    recency = (newest or OLDEST.search(question)) if corpus_dated and not period else None
    topic = topic.replace(recency[0], " ") if recency else topic  # "the latest on": when, not what about
    named = cased(question, quoted)  # "what did merkel say": the names the corpus quotes, capitalised
    sayer = None if outlet else asked_speaker(named)
    aide = None if outlet or sayer else asked_aide(named)  # "What did Putin's spokesman say …": said for him, not by him
    body = bool(aide) or asked_body(named, sayer)  # "What did the Kremlin say …": a body, even one of the alias table
    speaker = aide or (sayer if body else _person(sayer))
    topic = topic.replace(role, " ") if (role := role_before(topic, speaker)) else topic  # "the Philippine president"
    terms = content_terms(topic)  # the words of a date phrase say when, not what about
    expands = bool(ASKS_EXPANSION.search(question) or ASKS_WHAT_ACRONYM.search(question))
    return Query(
        text=question,
        terms=terms,
        alternatives=alternatives(question, terms, known_aliases, doc_freq, expands),
        names=name_terms(named),
        filters=filters,
        period=period,
        period_from_question=from_question,
        chronological=bool(CHRONOLOGICAL.search(question)),
        asks_speech=bool(ASKS_SPEECH.search(question)),
        asks_expansion=expands,
        speaker=speaker,
        body=body,
        outlet=" and ".join(outlet[0]) if outlet else None,
        recency=None if not recency else "newest" if recency is newest else "oldest",
        original=asked,
        respelled=respelled,
    )


def _restricts(period: Period, question: str, dated: bool, earliest: dt.date | None, latest: dt.date | None,
               published_within: Callable[[str | None, str | None], bool] | None = None,
               archive_end: dt.date | None = None) -> bool:
    """Whether a period the question names is about when the articles were published (see `analyze`)."""
    if not dated:
        return False  # undated articles: a date can only be about the event
    if ASKS_SPEECH.search(question) or CHRONOLOGICAL.search(question) or earliest is None or latest is None:
        return True
    if archive_end and period.since and dt.date.fromisoformat(period.since) > archive_end and not ASKS_FORECAST.search(question):
        return True  # after the newest article: the archive cannot report what happened then, only what was expected
    if published_within is not None:  # a few articles dated decades apart do not make every year in between a filter
        return published_within(period.since, period.until)
    since = dt.date.fromisoformat(period.since) if period.since else dt.date.min
    until = dt.date.fromisoformat(period.until) if period.until else dt.date.max
    return since <= latest and until >= earliest


def _person(name: str | None) -> str | None:
    """The asked speaker, unless it is a country or an institution (in the alias table): "Russia's position" is
    stated by many people, so it is not matched against who says a sentence."""
    return None if name is None or aliases.find(name) else name


PREFERRED = 4  # another name counts when the corpus writes it this many times more often than the question's


def alternatives(question: str, terms: list[str], known: list[tuple[str, ...]] | None,
                 doc_freq: Callable[[str], int] | None = None, expands: bool = False) -> dict[str, list[str]]:
    """Each topic term that is part of a name with aliases -> the other names the corpus prefers ("states" -> ["us"]);
    every other name when the question asks what an acronym stands for (`expands`)."""
    out: dict[str, list[str]] = {}
    for term, dotted in acronyms(question).items():  # "FBI" and "F.B.I." are the same name, however often each is written
        if term in terms:
            out[term] = [dotted]
    with_month = any(t in MONTHS for t in terms)
    for term in terms:  # so are "January 12th" and "Jan. 12"
        if forms := date_forms(term, with_month):
            out.setdefault(term, []).extend(forms)
    for phrase, others in aliases.find(question, known).items():
        if doc_freq is not None and not expands:
            own = doc_freq(phrase)
            others = [o for o in others if doc_freq(o) > PREFERRED * own]
        for word in content_terms(phrase) or content_terms(phrase.upper()):  # "u.n." is the word "un" written "U.N."
            if word in terms:
                out.setdefault(word, [])
                out[word] += [o for o in others if o not in out[word] and o != word]
    return out


def without_period(query: Query) -> Query:
    """The same question over all dates (sources and documents still filtered)."""
    from dataclasses import replace

    f = query.filters
    return replace(query, filters=Filters(None, None, f.sources, f.doc_ids), period=None, period_from_question=False)
