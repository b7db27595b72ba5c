"""Check a quotation: did X really say this? (`qa verify`, `Assistant.verify`, the app's Verify tab and /verify).

Candidates come from BM25 (the quote's words as phrases, then any of its content words) and from the vector store,
both over passages, fused by rank; inside the candidate articles every window of 1–3 consecutive sentences around a likely sentence is aligned word by word
with the quote (qa.text.align), so a quote may be a fragment of a sentence or span two of them. The verdict:

- `exact`: the same words (case, spacing, quotation marks and curly/straight quotes ignored);
- `minor differences`: only punctuation differs, or one word is changed, added or dropped;
- `altered`: more words differ, but most of the quote is there in order (the diff says which);
- `close in meaning`: few words in common but the sentence embeddings are close (a paraphrase): never "verified";
- `not found`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from qa.models import Filters, QuoteMatch, Verification
from qa.search.hybrid import match_any
from qa.text.align import Alignment, Token, align, diff, keys, segments, tokens
from qa.text.names import capitalised_words
from qa.text.speakers import speaker_of, surname
from qa.text.words import content_terms

VERDICTS = ("exact", "minor differences", "altered", "close in meaning", "not found")
FOUND = VERDICTS[:3]
ALTERED_RATIO = 0.55  # an altered quote shares this much of its words with the span (2·matched / both lengths) ...
ALTERED_COVERAGE = 0.6  # ... has this share of its own words in the span, in order ...
ALTERED_CONTENT = 0.6  # ... and 60% of its content words
CLOSE_MEANING = 0.75  # cosine of quote and sentence(s) above which a low-overlap match is "close in meaning"
CANDIDATES = 40  # passages from each search
MAX_DOCS = 20  # articles aligned in full
SEEDS = 4  # sentences per article that windows are built around (those sharing most content words with the quote)
MAX_MATCHES = 10
NEGATIONS = frozenset("not no never nor n't cannot none nobody nothing neither".split())
_VERBS = r"said|says|told|tells|stated|stressed|added|noted|warned|declared|insisted|claimed|wrote|argued|explained|announced|replied"
_QUOTED = re.compile(r"“(.+?)”|\"(.+?)\"|«(.+?)»|„(.+?)[“”]|(?<!\w)‘(.+?)’(?!\w)", re.S)
_MARKS = re.compile(r"[“”«»\"]")
_CAPS = r"(?:[A-Z][\w’'\-.]*\s+){0,5}[A-Z][\w’'\-.]*"  # "Foreign Minister Ilse Varga"
_LEAD = re.compile(rf"^\s*(?P<who>{_CAPS})(?:\s*:|\s+(?:{_VERBS})\s*(?::|\s+that\b))\s*(?=\S)")
_TAIL = re.compile(rf"[,;:]\s*(?P<who>{_CAPS}\s+(?:{_VERBS})|(?:{_VERBS})\s+{_CAPS})(?:\s+[^,;:\"“”]{{0,40}})?[.!?]?\s*$")


def split_attribution(text: str) -> tuple[str, str | None]:
    """(the quoted words, the name they are attributed to): `“…,” Varga said`, `Varga: “…”`, `…, Varga said.`"""
    text = " ".join((text or "").split())
    parts = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(text)]
    if parts:
        outside = _QUOTED.sub(" ", text)
        words = re.findall(r"[\w’'\-]+", outside)
        if not words:
            return " ".join(p.strip() for p in parts), None
        name = speaker_of(outside) if len(words) <= 10 else None
        if name or (len(words) <= 5 and all(w[0].isupper() for w in words)):  # "…,” Varga said / Ilse Varga: “…”
            return " ".join(p.strip() for p in parts), name or " ".join(words)
        return text, speaker_of(outside)
    for pattern in (_TAIL, _LEAD):
        m = pattern.search(text)
        if m and (name := _name(m["who"] + ("" if pattern is _TAIL else " said"))):
            rest = (text[: m.start()] if pattern is _TAIL else text[m.end() :]).strip()
            if len(tokens(rest)) >= 3:
                return rest, name
    return text, None


def _name(clause: str) -> str | None:
    who = speaker_of(clause)
    if who:
        return who
    caps = [w for w in capitalised_words("x " + clause) if not re.fullmatch(_VERBS, w.lower())]
    return " ".join(caps[:4]) or None


def same_person(a: str, b: str) -> bool:
    """Whether two names can be the same person: one's surname is a word of the other ("Mary-Anne" / "Mary-Anne Hines")."""
    words_a, words_b = {surname(w) for w in a.split()}, {surname(w) for w in b.split()}
    return surname(a) in words_b or surname(b) in words_a


@dataclass
class _Doc:
    """A candidate article, its indexed sentences in order, their words, speakers and stored vectors."""

    doc_id: str
    title: str
    date: str | None
    source: str
    text: str
    sentences: list[tuple[int, int]]
    speakers: list[str | None]
    vectors: np.ndarray  # one row per sentence (zeros where none is stored)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # the indexed body
    counts: list[Counter] = field(default_factory=list)  # per sentence: its words' keys
    _quoted: list[tuple[int, int]] = field(default_factory=list)  # the spans inside quotation marks
    _words: dict[int, tuple[list[Token], list[bool]]] = field(default_factory=dict)

    def __post_init__(self):
        self.counts = [Counter(keys(self.text[s:e])) for s, e in self.sentences]
        if self.sentences:
            self._quoted = quoted_spans(self.text, self.paragraphs or [(self.sentences[0][0], self.sentences[-1][1])])

    def words(self, i: int) -> tuple[list[Token], list[bool]]:
        """Sentence i's words, and whether each lies inside quotation marks."""
        if i not in self._words:
            s, e = self.sentences[i]
            toks = tokens(self.text[s:e], base=s)
            starts = [a for a, _ in self._quoted]
            inside = [(k := bisect_right(starts, t.start) - 1) >= 0 and t.start < self._quoted[k][1] for t in toks]
            self._words[i] = (toks, inside)
        return self._words[i]

    def cosine(self, a: int, b: int, qvec: np.ndarray) -> float:
        v = self.vectors[a : b + 1].sum(axis=0)
        return float(v @ qvec / max(float(np.linalg.norm(v)), 1e-12))


def quoted_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The [start, end) spans inside quotation marks, paragraph by paragraph (a quotation left open runs to its end)."""
    out = []
    for ps, pe in paragraphs:
        depth, straight, at = 0, False, ps
        for mark in _MARKS.finditer(text, ps, pe):
            i, ch = mark.start(), mark.group()
            if ch in "“«" and not straight:
                at = i if depth == 0 else at
                depth += 1
            elif ch in "”»" and depth:
                depth -= 1
                if depth == 0:
                    out.append((at, i + 1))
            elif ch == '"' and depth == 0:
                if straight:
                    out.append((at, i + 1))
                straight, at = not straight, i
        if depth or straight:
            out.append((at, pe))
    return out


def verify_quote(index, encoder, quote: str, speaker: str | None = None) -> Verification:
    """Check `quote` against the corpus in `index` (a loaded `qa.search.index.Index`), with `encoder` for the dense side."""
    checked, named = split_attribution(quote)
    checked = checked.strip(" ,;:")
    claimed = (speaker or "").strip() or named
    qtoks = tokens(checked)
    if len(qtoks) < 2:
        return Verification(quote, checked, claimed, "not found", [], ["too short to check: give at least two words"])
    qvec = np.asarray(encoder.encode_query([checked])[0], dtype=np.float32)
    svec = np.asarray(encoder.sentence_query(checked, qvec), dtype=np.float32)  # compared with the sentence vectors
    found = [m for doc in _candidate_docs(index, checked, qvec) if (m := _best_in(doc, checked, qtoks, svec, claimed))]
    rank = {v: i for i, v in enumerate(VERDICTS)}
    lexical = [m for m in found if m.verdict in FOUND]
    if any(m.verdict != "altered" for m in lexical):  # the quote itself appears: its altered look-alikes are not listed
        lexical = [m for m in lexical if m.verdict != "altered"]
    if lexical:
        matches = sorted(lexical, key=lambda m: (rank[m.verdict], -m.overlap))[:MAX_MATCHES]
    else:
        matches = sorted(found, key=lambda m: -m.similarity)[:3]
    verdict = min((m.verdict for m in matches), key=rank.__getitem__, default="not found")
    matches.sort(key=lambda m: (m.date is None, m.date or "", rank[m.verdict], -m.overlap))
    notes = []
    if named and speaker and not same_person(named, speaker):
        notes.append(f"the quote names {named}; checked against {speaker.strip()}")
    best = next((m for m in matches if m.verdict == verdict), None)
    if best:
        notes += [n for n in best.notes if n.startswith("misattributed")]
    if len(matches) > 1 and verdict in FOUND:
        notes.append(f"found in {len(matches)} articles; first: {matches[0].date or 'undated'}, {matches[0].source or matches[0].doc_id}")
    return Verification(quote, checked, claimed, verdict, matches, notes)


def _candidate_docs(index, checked: str, qvec: np.ndarray) -> list[_Doc]:
    """The articles of the best passages by BM25 on the quote's content words and by the vector store, fused."""
    store = index.store
    terms = content_terms(checked)
    words = [t.key for t in tokens(checked)]
    thirds = [" ".join(words[i * len(words) // 3 : (i + 1) * len(words) // 3]) for i in range(3)] if len(words) >= 6 else []
    # the quote's words as phrases (all of it, and each third: one changed word leaves two thirds intact), then any word
    lexical = store.bm25(match_any([" ".join(words), *thirds]), CANDIDATES) if words else []
    seen = {cid for cid, _ in lexical}
    lexical += [(cid, s) for cid, s in (store.bm25(match_any(terms), CANDIDATES) if terms else []) if cid not in seen]
    dense = [(cid, s) for cid, s in index.vectors.search(qvec, CANDIDATES, None) if cid >= 0]
    fused: dict[int, float] = {}
    for ranking in (lexical, dense):
        for r, (cid, _) in enumerate(ranking):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (60 + r + 1)
    hit_chunks = store.chunks(list(fused))
    order: list[str] = []
    for cid in sorted(fused, key=lambda c: -fused[c]):
        if cid in hit_chunks and hit_chunks[cid].doc_id not in order:
            order.append(hit_chunks[cid].doc_id)
    order = order[:MAX_DOCS]
    chunks = sorted(store.chunks(store.chunk_ids(Filters(doc_ids=tuple(order)))).values(), key=lambda c: c.ordinal) if order else []
    docs = []
    for doc_id in order:
        art = store.article(doc_id) or {}
        mine = [c for c in chunks if c.doc_id == doc_id]
        spans = [sp for c in mine for sp in c.sentences]
        if not spans or not art.get("text"):
            continue
        vecs = np.zeros((len(spans), len(qvec)), dtype=np.float32)
        said, at = [], 0
        for c in mine:
            if c.sentence_vectors is not None and c.sentence_vectors.shape == (len(c.sentences), len(qvec)):
                vecs[at : at + len(c.sentences)] = c.sentence_vectors
            said += (list(c.speakers) + [None] * len(c.sentences))[: len(c.sentences)]
            at += len(c.sentences)
        body = [(int(p[0]), int(p[1])) for p in art.get("body") or []]
        docs.append(_Doc(doc_id, art.get("title") or "", art.get("date"), art.get("source") or "", art["text"], spans, said, vecs, body))
    return docs


def _best_in(doc: _Doc, checked: str, qtoks: list[Token], qvec: np.ndarray, claimed: str | None) -> QuoteMatch | None:
    """The article's best match for the quote: the best word alignment over sentence windows, else the nearest sentences."""
    terms = set(content_terms(checked)) or {t.key for t in qtoks}
    qcount = Counter(t.key for t in qtoks)
    n = len(doc.sentences)
    shared = [sum(1 for k in terms if k in c) for c in doc.counts]
    seeds = [i for i in sorted(range(n), key=lambda i: -shared[i])[:SEEDS] if shared[i]]
    windows = {(a, b) for i in seeds for a in range(max(0, i - 2), i + 1) for b in range(i, min(n, a + 3))}
    bound = {}  # the best ratio and score a window allows: its words in common with the quote, all matched in order
    for a, b in windows:
        common = sum((qcount & sum(doc.counts[a : b + 1], Counter())).values())
        bound[(a, b)] = (2 * common / (len(qtoks) + common), common)
    best: Alignment | None = None
    for a, b in sorted(windows, key=lambda w: (-bound[w][0], w[1] - w[0])):
        ratio, common = bound[(a, b)]
        if ratio < ALTERED_RATIO or (best is not None and common <= best.score):
            break  # no window left can be a match, or beat the best
        words = [t for i in range(a, b + 1) for t in doc.words(i)[0]]
        inside = [t for i in range(a, b + 1) for t, q in zip(*doc.words(i)) if q]
        # the quoted words alone too: a quote may leave out the attribution between two quoted sentences
        for toks in (words, inside) if 3 <= len(inside) < len(words) else (words,):
            al = align(qtoks, toks)
            if al and (best is None or al.score > best.score):
                best = al
    verdict = _verdict(best, checked, doc.text, terms) if best else None
    if verdict:
        return _match(doc, verdict, best, checked, qvec, claimed)
    if n:
        pairs = doc.vectors[:-1] + doc.vectors[1:]
        single = doc.vectors @ qvec
        double = pairs @ qvec / np.maximum(np.linalg.norm(pairs, axis=1), 1e-12) if n > 1 else np.zeros(0)
        i, j = int(np.argmax(single)), int(np.argmax(double)) if n > 1 else -1
        a, b = (j, j + 1) if j >= 0 and double[j] > single[i] else (i, i)
        if doc.cosine(a, b, qvec) >= CLOSE_MEANING:
            return _match(doc, "close in meaning", None, checked, qvec, claimed, (a, b), best.ratio if best else 0.0)
    return None


def _verdict(al: Alignment, checked: str, text: str, terms: set[str]) -> str | None:
    if al.edits == 0:  # the same words: the same punctuation between them too? (words left out between are skipped)
        q, s = al.quote, al.source
        gaps = [(checked[q[k].end : q[k + 1].start], text[s[k].end : s[k + 1].start]) for k in range(len(q) - 1)]
        same = all(_marks(a) == _marks(b) for a, b in gaps if not re.search(r"\w", b))
        return "exact" if same else "minor differences"
    if al.edits == 1 and len(al.quote) >= 3:
        return "minor differences"
    content = len(terms & {t.key for t in al.source}) / len(terms) if terms else al.coverage  # moved words count
    close = al.ratio >= ALTERED_RATIO and al.coverage >= ALTERED_COVERAGE
    # or all but a word of the quote, in order, with a long clause of the source left out in one or two places
    cut = al.coverage >= 0.9 and len(al.quote) >= 4 and sum(o.op != "equal" for o in al.ops) <= 2
    return "altered" if content >= ALTERED_CONTENT and (close or cut) else None


def _marks(gap: str) -> str:
    """The punctuation between two words, spacing and quotation marks aside, dashes alike."""
    return re.sub(r"[‐‑–—]+|-{2,}", "-", re.sub(r"[\s\"'“”‘’«»„]+", "", gap))


def _match(doc: _Doc, verdict: str, al: Alignment | None, checked: str, qvec: np.ndarray, claimed: str | None,
           window: tuple[int, int] | None = None, overlap: float = 0.0) -> QuoteMatch:
    if al is not None:
        start, end = al.start, al.end
        inside = [i for i, (s, e) in enumerate(doc.sentences) if s < end and e > start]
        a, b = inside[0], inside[-1]
    else:
        a, b = window
        start, end = doc.sentences[a][0], doc.sentences[b][1]
    cs, ce = doc.sentences[a][0], doc.sentences[b][1]
    m = QuoteMatch(
        verdict, doc.doc_id, doc.title, doc.date, doc.source, doc.text[start:end], start, end, doc.text[cs:ce], cs, ce,
        doc.cosine(a, b, qvec), al.ratio if al else overlap,
    )
    if al is not None:
        m.diff = diff(al, checked, doc.text)
        m.segments = segments(al, checked, doc.text)
        changed = {w.lower() for d in m.diff for w in re.findall(r"[\w']+", d["quote"] + " " + d["source"])}
        if any(o["op"] == "delete" for o in m.diff) and ("…" in checked or "..." in checked):
            m.notes.append("the quote marks what it leaves out with an ellipsis")
        if changed & NEGATIONS or any(w.endswith("n't") for w in changed):
            m.notes.append("a negation differs: the quote may say the opposite")
        if any(re.search(r"\w", doc.text[x.end : y.start]) for x, y in zip(al.source, al.source[1:])):
            m.notes.append("the quote leaves out the article's words between the quoted parts (the attribution)")
    said = [s for s in dict.fromkeys(doc.speakers[a : b + 1]) if s]
    m.speaker = said[0] if said else None
    if claimed:
        if not said:
            m.attribution = "unknown"
            m.notes.append(f"the article does not say who said it; claimed: {claimed}")
        elif any(same_person(s, claimed) for s in said):
            m.attribution = "confirmed"
        else:
            m.attribution = "misattributed"
            m.notes.append(f"misattributed: said by {said[0]}, not {claimed}")
    return m
