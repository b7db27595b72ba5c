"""“Who said "now is not the time"?”: the quotation in the question checked against the corpus (qa.answer.verify) and
answered with the sentences that write it, oldest first, each cited, and who says it in each."""

from __future__ import annotations

import re
from collections import Counter

from qa.answer.compose import abstention, dated_first
from qa.answer.verify import FOUND
from qa.corpus.sources import normalise
from qa.models import Answer, Citation, Filters, QuoteMatch, Verification

_MARK = "\"“”‘’'«»"  # a quotation opens and closes with any of these ...
_DOUBLE = "\"“”«»"  # ... and holds none of these (an apostrophe it may: "we can't wait")
ASKS_WHO_SAID = re.compile(
    rf"^\s*(?:who|which\s+\w+)\s+(?:first\s+|originally\s+|actually\s+|really\s+)?"
    rf"(?:said|says|tweeted|declared|stated|(?:is|was)\s+quoted\s+as\s+saying)\s*[:,]?\s*(?:that\s+)?"  # "who wrote 'X'": X's author
    rf"[{_MARK}](?P<quote>[^{_DOUBLE}]*?\w[^{_DOUBLE}]*?)[{_MARK}]"
    rf"(?:,?\s+(?:in|on|during|since|before|after|between|last|this)\s+[^{_MARK}]*?)?\s*[?.!]?\s*$",  # "… in March?": the period filters
    re.IGNORECASE,
)


def asked_quote(question: str) -> str | None:
    """The quotation a "who said '…'?" question asks about, or None."""
    m = ASKS_WHO_SAID.match(question or "")
    return m["quote"].strip() if m else None


def _within(m: QuoteMatch, f: Filters) -> bool:
    if (f.since or f.until) and m.date is None:
        return False
    return ((not f.since or m.date >= f.since) and (not f.until or m.date <= f.until)
            and (not f.sources or normalise(m.source) in f.sources) and (not f.doc_ids or m.doc_id in f.doc_ids))


def who_said(question: str, checked: Verification, filters: Filters, limit: int) -> Answer:
    """The sentences writing the quotation (verbatim or nearly), those naming who says it first, oldest first; a note
    lists who says it. Abstains when no article (within the filters) writes it."""
    found = [m for m in checked.matches if m.verdict in FOUND and _within(m, filters)]
    if not found:
        return abstention(question, [f"No article writes “{checked.checked}”."])
    said = dated_first([m for m in found if m.speaker], lambda m: m.date)
    unnamed = dated_first([m for m in found if not m.speaker], lambda m: m.date)
    chosen = dated_first(said[:limit] + unnamed[: max(0, limit - len(said))], lambda m: m.date)
    citations = [Citation(n, m.doc_id, m.title, m.date, m.source, m.context, m.context_start, m.context_end, m.overlap,
                          [(m.context_start, m.context_end)]) for n, m in enumerate(chosen, 1)]
    sentences = [{"text": m.context, "n": n, "doc_id": m.doc_id, "start": m.context_start, "end": m.context_end, "date": m.date}
                 for n, m in enumerate(chosen, 1)]
    text = " ".join(f"{m.context} [{n}]" for n, m in enumerate(chosen, 1))
    by = Counter(m.speaker for m in said)
    first = {s: next(m.date for m in said if m.speaker == s) for s in by}
    notes = ["Who says it: " + "; ".join(f"{s} ({k} article{'s' * (k > 1)}, first {first[s] or 'undated'})" for s, k in by.most_common())
             if by else "No article names who says it."]
    if unnamed:
        notes.append(f"{len(unnamed)} of the articles write{'' if len(unnamed) > 1 else 's'} it without naming who says it.")
    return Answer(question, text, False, citations, notes=notes, sentences=sentences)
