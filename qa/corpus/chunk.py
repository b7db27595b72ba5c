"""Split an article's body into sentence-aware chunks with character offsets into the source text."""

from __future__ import annotations

import re
from functools import lru_cache

from qa.corpus.layout import past_space
from qa.models import Article, Chunk
from qa.text.calendar import DATELINE
from qa.text.quotes import open_at
from qa.text.speakers import speakers
from qa.text.speech_words import TITLES


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute, whitespace-trimmed spans (a leading dateline left out)."""
    m = DATELINE.match(text, start, end)
    if m and m.end() < end:
        start = m.end()
    para = text[start:end].replace("\r", " ").replace("\n", " ")  # a hard-wrapped paragraph's line breaks (qa/corpus/wrapped.py): spaces, same offsets
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sent in _segmenter().segment(para):
        piece = sent.strip()
        if not piece:
            continue
        at = para.find(piece, cursor)
        if at < 0:  # the segmenter altered the text: fall back to the rest of the paragraph
            rest = para[cursor:]
            lead = len(rest) - len(rest.lstrip())
            spans.append((start + cursor + lead, start + len(para.rstrip())))
            break
        spans.append((start + at, start + at + len(piece)))
        cursor = at + len(piece)
    spans = _merge_fragments(text, _rejoin_false_ends(text, _closing_marks_back(text, spans)))
    return [piece for span in spans for whole in _split_at_missed_ends(text, span)
            for piece in _split_long(text, _without_edge_dashes(text, whole))]


# ends the segmenter misses: a feed that turned a paragraph break into a dash ("… at the age of 87.- According to …"),
# and, in a long one-line text, a full stop after a closing mark ('… "devalues this great office". But Labour …')
_MISSED_END = re.compile(r"[a-z0-9%)][.!?][\"”’]?(?=[-–—]\s*[\"“‘]?[A-Z])|[a-z0-9%)][\"”’'][.!?](?=\s+[\"“‘]?[A-Z])")


def _split_at_missed_ends(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """A sentence that ends and runs on ('… "very well."- Trump is the third …', '… office". But …') is two."""
    out, at = [], span[0]
    for m in _MISSED_END.finditer(text, span[0], span[1]):
        out.append((at, m.end()))
        at = past_space(text, m.end(), span[1])
    out.append((at, span[1]))
    return out


_LEADING_DASHES = re.compile(r"[-–—]+\s*(?=[^\W\d_]|[\"“‘'(])")
_TRAILING_DASHES = re.compile(r"(?<=[.!?\"”’'])\s*[-–—]+$")


def _without_edge_dashes(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A sentence after a run-in list dash or a rule of hyphens ("-He went on …", "---- China has …") starts at its
    first word, and one that a feed's dash follows ("… later this week.-") ends at its own full stop."""
    m = _LEADING_DASHES.match(text, span[0], span[1])
    start = m.end() if m else span[0]
    t = _TRAILING_DASHES.search(text, start, span[1])
    return start, t.start() if t else span[1]


_CLOSERS = "\"”’"


def _closing_marks_back(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give a closing quotation mark the segmenter put at the start of the next sentence ('… centuries.' + '" Comey's
    leadership …') back to the sentence it closes: a mark touching the sentence before and followed by a space."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and out[-1][1] == s and text[s] in _CLOSERS and (s + 1 == e or text[s + 1].isspace()):
            out[-1] = (out[-1][0], s + 1)
            s = past_space(text, s + 1, e)
            if s >= e:
                continue
        out.append((s, e))
    return out


# where the segmenter ends a sentence that goes on: a feed's '"?' for a curly mark (’, ”, —) after no full stop, and a
# title before a name ("… Sen." + "Elizabeth Warren said", "the St." + "Regis hotel")
_FALSE_END = re.compile(rf"(?<![.!?])[\"”]\?$|(?<![\w.])(?:{TITLES}|St\.)$")


def _goes_on(before: str, after: str) -> bool:
    """Whether a sentence the segmenter ended (`before`) goes on into the next (`after`): a comma or a bracket never
    starts one ("Sen. Rand Paul, R-Ky." + ", said"), nor lower case after a question mark (a feed's '?' for a letter it
    could not write, "Sabaliauskait?" + ", grew up", "RT?" + "that"), nor anything after a false end (_FALSE_END)."""
    if after[:1] in ",;:)" or before.endswith("?") and after[:1].islower():
        return True
    return bool(_FALSE_END.search(before)) and (before.endswith("?") or after[:1].isupper())


def _rejoin_false_ends(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences the segmenter cut where they go on: 'teachers"? unions …', 'to Russia,"? she said.',
    'facilities"?(SCIFs).' and '… warned Sen. Elizabeth Warren.' are one sentence each; 'today."?' ends one."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _goes_on(text[out[-1][0] : out[-1][1]], text[s:e]):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


# pysbd keeps a quotation of several sentences whole; split such runs where a sentence plainly ends
_INNER_END = re.compile(r"[a-z0-9%)][.!?][\"”’]?(\s+)(?=[\"“‘]?[A-Z])")


def _split_long(text: str, span: tuple[int, int], max_words: int = 45) -> list[tuple[int, int]]:
    s, e = span
    if len(text[s:e].split()) <= max_words:
        return [span]
    cuts = [m for m in _INNER_END.finditer(text, s, e)]
    out, at = [], s
    for m in cuts:
        if len(text[at : m.start(1)].split()) >= 6:
            out.append((at, m.start(1)))
            at = m.end(1)
    out.append((at, e))
    return out


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces that are no sentence on their own (a lone closing quote, '2.') to the one before."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not re.search(r"[A-Za-z]{2}", text[s:e]):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _words(text: str, span: tuple[int, int]) -> int:
    return len(text[span[0] : span[1]].split())


def chunk_article(article: Article, max_words: int = 60) -> list[Chunk]:
    """Greedy packing of consecutive sentences, never across a paragraph boundary."""
    text = article.text
    chunks: list[Chunk] = []
    for p_start, p_end in article.body:
        group: list[tuple[int, int]] = []
        for span in sentence_spans(text, p_start, p_end):
            size = sum(_words(text, g) for g in group) + _words(text, span)
            inside_quote = group and open_at(text, group[0][0], group[-1][1])  # a quotation is never cut ...
            if group and size > max_words and (not inside_quote or size > 3 * max_words):  # ... unless it runs very long
                chunks.append(_make(article, group, len(chunks)))
                group = []
            group.append(span)
        if group:
            chunks.append(_make(article, group, len(chunks)))
    said = speakers([text[s:e] for c in chunks for s, e in c.sentences])
    at = 0
    for c in chunks:  # who says each sentence, the last named speaker carried across the article
        c.speakers = said[at : at + len(c.sentences)]
        at += len(c.sentences)
    return chunks


def _make(article: Article, group: list[tuple[int, int]], ordinal: int) -> Chunk:
    start, end = group[0][0], group[-1][1]
    return Chunk(article.doc_id, start, end, article.text[start:end], list(group), ordinal)
