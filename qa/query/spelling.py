"""A question word the articles never write, read as the one word they do write a typing slip away ('Instanbul' →
'Istanbul', 'Lavrow' → 'Lavrov', 'Connectitcut' → 'Connecticut').

Only a word that is no English word or common name (`english_words`: 'Benin', 'Fermat', 'summed', 'handlers' are,
and stay as written), that has at least `MIN_LENGTH` letters (shorter ones meet another word one edit away by chance:
'Hardt' / 'Hard', 'Peano' / 'Plano'), and only when the articles write exactly one word one edit away. When they
write none (the slip is in a word they only write in another form: 'responsiblity' where they write 'responsible'), a
word in lower case is read as the one English word one edit away that the articles hold in some form
('responsibility'); a capitalised one is likelier a name, and stays. Anything else stays as written, and its
abstention stays honest. Measured on the SQuADShifts and CoQA questions: BENCHMARKS.md.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from qa.models import Correction
from qa.text.words import unaccented

MIN_LENGTH = 6
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
VOCAB_FILE = Path(__file__).resolve().parent.parent / "answer" / "reader_tokenizer.json"


class Lexicon(Protocol):
    """What the corrector reads of a corpus (`ChunkStore` is one)."""

    def doc_freq(self, term_query: str) -> int: ...

    def vocabulary(self) -> dict[str, list[str]]:
        """The corpus's indexed terms (as its full-text index stems them), grouped by first letter."""
        ...

    def spellings(self, term: str) -> set[str]:
        """How the articles write the indexed term `term`: the words beginning like it in passages that hold it."""
        ...


@lru_cache(maxsize=1)
def _checker():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words and common names (lower case): pyspellchecker's English frequency list (about 160,000) and the
    whole words of the reader's WordPiece vocabulary (MiniLM's, about 22,000, with names such as 'kobayashi'). A
    question word among them is written as meant, even when the corpus lacks it."""
    vocab = json.loads(VOCAB_FILE.read_text(encoding="utf-8"))["model"]["vocab"]
    listed = _checker().word_frequency.dictionary
    return frozenset(w for w in vocab if w.isalpha()) | frozenset(listed)


def near(word: str, vocabulary: dict[str, list[str]]) -> list[str]:
    """Indexed terms (stems) within one edit of `word` or of `word` less an ending of up to three letters ('electon'
    → 'elect', the stem of 'election'), with the same first letter."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    w = word.lower()
    terms = vocabulary.get(w[:1], [])
    found: dict[str, None] = {}
    for cut in range(0, 4):
        stem = w[: len(w) - cut]
        if len(stem) < MIN_LENGTH - 1:
            break
        found.update((t, None) for t, _, _ in process.extract(stem, terms, scorer=OSA.distance, score_cutoff=1, limit=None))
    return list(found)


def meant(word: str, lexicon: Lexicon, english: bool = False) -> str | None:
    """The word the articles write for `word`, a word they never write: their one word a single edit away (an
    insertion, deletion, substitution or swap of neighbours, the first letter kept); with `english` and no such word,
    the one English word a single edit away that the articles hold in some form (`english_meant`); None when there is
    no such word or several."""
    from rapidfuzz.distance import OSA

    w = word.lower()
    if len(w) < MIN_LENGTH or w in english_words():
        return None
    written: dict[str, set[str]] = {}
    for term in near(w, lexicon.vocabulary()):
        for s in lexicon.spellings(term):
            bare = unaccented(s.lower())  # "Celeron" is one edit from "Céloron", as the index reads it
            if bare[:1] == w[:1] and OSA.distance(bare, w, score_cutoff=1) == 1:
                written.setdefault(bare, set()).add(s)  # one word however accented ("İstanbul", "Istanbul")
    if not written and english:
        found = english_meant(w, lexicon)
        return found[:1].upper() + found[1:] if found and word[:1].isupper() else found
    if len(written) != 1:
        return None
    (forms,) = written.values()
    if word[:1].isupper():
        return (s := min(forms))[:1].upper() + s[1:]
    return min(forms, key=lambda f: (not f.islower(), f))  # "electon": "election", not a headline's "Election"


def english_meant(word: str, lexicon: Lexicon) -> str | None:
    """The one English word a single edit from `word` (lower case, first letter kept) that the articles hold in some
    form (their full-text index stems it: 'responsibility' is found where they write 'responsible'); else None."""
    from qa.search.hybrid import match_any

    checker = _checker()
    known = [c for c in checker.known(checker.edit_distance_1(word)) if c[:1] == word[:1] and c != word]
    held = [c for c in sorted(known) if lexicon.doc_freq(match_any([c])) > 0]
    return held[0] if len(held) == 1 else None


def respell(question: str, lexicon: Lexicon) -> tuple[str, list[Correction]]:
    """The question with each word the corpus never writes replaced by the word it does write one edit away (see the
    module's rule), and what was replaced."""
    from qa.search.hybrid import match_any

    fixes: list[Correction] = []
    out, last = [], 0
    for m in WORD.finditer(question):
        word = m.group(0)
        bare = re.sub(r"['’]s$", "", word)
        if not bare.isalpha() or len(bare) < MIN_LENGTH or lexicon.doc_freq(match_any([bare])) > 0:
            continue
        written = meant(bare, lexicon, english=bare.islower() or not question[: m.start()].strip())
        if written:
            out += [question[last:m.start()], written + word[len(bare):]]
            last = m.end()
            fixes.append(Correction(bare, written))
    return "".join(out) + question[last:], fixes


def respelled_note(fixes: list[Correction]) -> str:
    """What an answer says of the words it read otherwise."""
    return "; ".join(f"“{c.written}” read as “{c.meant}”: the articles never write “{c.written}”" for c in fixes)
