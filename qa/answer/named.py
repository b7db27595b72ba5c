"""The articles an answer cites write the names its question asks about: a passage whose article never names
"Rotterdam" does not tell "the third largest airport in Rotterdam", however near its words are."""

from __future__ import annotations

import re

import numpy as np

from qa.answer.features import Context, found
from qa.models import Chunk
from qa.query.analyze import alternatives
from qa.query.outlets import outlet_words
from qa.text import aliases


def asked_names(ctx: Context, outlets: set[str] = frozenset()) -> list[str]:
    """The names the question asks about that the corpus writes (a name no article writes is `Context.absence`'s), as
    the user typed them with a capital: not the conversation's, which a follow-up's rewrite adds ("… about Dagestan"),
    nor an outlet's (`outlets`: the words of their names), whose articles seldom write it."""
    q = ctx.query
    own = " ".join([q.typed or q.text, *(c.meant for c in q.respelled)])
    return [t for t in ctx.names if t in ctx.known and t not in outlets
            and re.search(rf"(?<!\w){re.escape(t[:1].upper())}(?i:{re.escape(t[1:])})", own)]


NAME_SHARE = 0.7  # a word the corpus writes with a capital at least this often inside a sentence is a name, not "Award"
SUFFIXES = ("ians", "ans", "ian", "ean", "ese", "ish", "an", "ic", "i", "s")  # a people's word: Italian, Iraqi, Jewish


def forms(term: str) -> list[str]:
    """A name and the words it may stand for: its parts ("mhc-antigen"), and the place or people a demonym names
    ("italians" -> "ital": Italy; "jewish" -> "jew": Jews; "iraqi" -> "iraq"), a stem of three letters at least."""
    if "-" in term:
        return [p for p in term.split("-") if p]
    out = [term]
    for suffix in SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            out.append(term[: -len(suffix)])
    return out


def other_names(ctx: Context, known: list[tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """Each name -> every other name for it, preferred by the corpus or not ("un" -> "united nations", "u.n."), and
    the place its people's word names ("filipino" -> "philippines")."""
    every = alternatives(ctx.query.text, ctx.names, known)  # no doc_freq: not only the names the corpus prefers
    return {t: [*every.get(t, []), *aliases.peoples().get(t, ())] for t in ctx.names}


def naming(ctx: Context, store, chunks: list[Chunk], order: list[int], prob: np.ndarray, floor: float
           ) -> tuple[list[int], list[str]]:
    """The candidates in `order` whose articles (`store.article_texts`) write every name asked, as the scorer's
    coverage finds a word (its first letters: "Croatians" finds "Croatia"; or another name for it, `store.aliases`);
    none when the likeliest of them is below `floor`. Also the names the likeliest candidate's article leaves out.
    Measured on the third-party dev sets (BENCHMARKS.md)."""
    names = [t for t in asked_names(ctx, outlet_words(tuple(store.sources()))) if store.capitalised(t) >= NAME_SHARE]
    if not names or not order:
        return order, []
    docs = store.article_texts(list(dict.fromkeys(chunks[i].doc_id for i in order)))
    others = other_names(ctx, store.aliases())
    lacking = {d: [t for t in names if not writes(t, text, others)] for d, text in docs.items()}
    kept = [i for i in order if not lacking.get(chunks[i].doc_id)]
    if kept and prob[kept[0]] < floor:
        kept = []
    return kept, lacking.get(chunks[order[0]].doc_id, [])


def writes(term: str, text: str, others: dict[str, list[str]]) -> bool:
    """Whether a text names the term: itself or another name for it, or, a demonym, a form of it; all its parts."""
    if found([term], text, others) or aliases.contains(text, [term]):  # "jong-un": the word as written, or its parts
        return True
    parts = forms(term)
    if "-" in term:
        return found(parts, text, {}) >= {p for p in parts if len(p) > 2}
    return bool(found(parts[1:], text, {})) or misspelt(term, text)


SLIP = 6  # letters a name must have for one slip to be read as the name ("Columbia" for "Colombia")


def misspelt(term: str, text: str) -> bool:
    """Whether the text writes a name one letter away from the term (typed, swapped, left out): a question's spelling
    slip where the corpus also writes the slip's own word, so it was not respelled."""
    if len(term) < SLIP:
        return False
    from rapidfuzz.distance import OSA

    words = {w.lower() for w in re.findall(rf"\b{re.escape(term[0].upper())}\w{{{len(term) - 2},{len(term)}}}\b", text)}
    return any(OSA.distance(term, w, score_cutoff=1) <= 1 for w in words)


def written(terms: list[str], question: str) -> str:
    """The names as the question writes them ("rotterdam" -> "Rotterdam"), joined."""
    out = [m[0] if (m := re.search(rf"(?<!\w){re.escape(t)}(?!\w)", question, re.IGNORECASE)) else t for t in terms]
    return " and ".join(out)
