"""Bytes to text: a byte-order mark, else UTF-8, else a Western code page or a detector's guess, each checked."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# byte-order marks, longest first (a UTF-32 LE mark begins with the UTF-16 LE one)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WESTERN = ("cp1252", "iso8859-15", "latin-1")  # tried first: the commonest pages for English and Western European text
# languages written in Latin letters with a non-Western code page: the detector's word beats a clean Western decoding
_CENTRAL_EUROPEAN = frozenset({"Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian", "Lithuanian", "Latvian", "Estonian"})

# characters no article holds: controls (other than white space), box drawing and block elements, private use, U+FFFD
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u2500-\u259f\ue000-\uf8ff\ufffd]")
# a non-ASCII symbol glued inside a word ("Z³rich", "Wroc³aw") is the mark of a wrong code page
_NON_ASCII = re.compile(r"[^\x00-\x9f]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_IN_WORDS = frozenset("’‘´\u00ad\u2011·")  # apostrophes, soft and non-breaking hyphens, middle dot
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec that reproduces `text` from the bytes, e.g. "utf-8", "utf-16", "cp1252"


def decode(data: bytes, name: str, warnings: list[str]) -> Decoded | None:
    """Bytes to text with the codec used; None (with a warning) for binary or undecodable data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError as exc:
                warnings.append(f"{name}: skipped, starts with a {codec} byte-order mark but is not {codec} ({exc.reason})")
                return None
    wide = _utf16_without_bom(data)
    if wide:
        warnings.append(f"{name}: not UTF-8, decoded as {wide.encoding} (no byte-order mark)")
        return wide
    if b"\x00" in data[:8192]:
        warnings.append(f"{name}: skipped, looks binary")
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    found = _guess(data)
    if found is None:
        warnings.append(f"{name}: skipped, not text (not UTF-8, and no code page decodes it cleanly)")
        return None
    warnings.append(f"{name}: not UTF-8, decoded as {found.encoding}")
    return found


def junk(text: str) -> int:
    """How many characters betray a wrong decoding: controls, box drawing, symbols glued inside words."""
    glued = 0
    for m in _NON_ASCII.finditer(text):
        i, c = m.start(), m.group()
        if 0 < i < len(text) - 1 and _LATIN_LETTER.match(text[i - 1]) and _LATIN_LETTER.match(text[i + 1]):
            glued += not (c.isalpha() or c in _IN_WORDS or unicodedata.category(c) == "Mn")
    return len(_JUNK.findall(text)) + glued


def looks_western(text: str) -> bool:
    """Latin-script text: accented letters sit inside words of ASCII letters ("Zürich"), never whole words of them."""
    foreign = 0  # words of three or more letters, none of them ASCII
    for m in _NON_ASCII_RUN.finditer(text):
        s, e = m.span()
        whole = (s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum())
        foreign += whole and m.group().isalpha()
    return foreign <= max(1, (text.count(" ") + text.count("\n")) // 100)


def _strict(data: bytes, codec: str) -> Decoded | None:
    try:
        return Decoded(data.decode(codec), codecs.lookup(codec).name)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without a mark: every other byte a NUL, as ASCII text saved as "Unicode" looks."""
    head = data[:4096]
    if len(data) % 2 or len(head) < 8:
        return None
    for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):
            found = _strict(data, codec)
            if found and not junk(found.text[:4096]):
                return found
    return None


def _detected(data: bytes) -> list[tuple[str, str, bool]]:
    """charset-normalizer's guesses, best first: (codec, language, as plausible as its best)."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(_telling_lines(data) or data[:200_000]))
    if not results:
        return []
    best = results[0]
    return [(r.encoding, r.language, (r.chaos, r.coherence) == (best.chaos, best.coherence)) for r in results]


def _telling_lines(data: bytes, limit: int = 200_000) -> bytes:
    """The lines with non-ASCII bytes, up to `limit` bytes: what tells code pages apart, without the rest of a big file."""
    out: list[bytes] = []
    size, m = 0, _HIGH_BYTE.search(data)
    while m and size < limit:
        start, end = data.rfind(b"\n", 0, m.start()) + 1, data.find(b"\n", m.start())
        end = len(data) if end < 0 else end
        out.append(data[start:end])
        size += end - start
        m = _HIGH_BYTE.search(data, end)
    return b"\n".join(out)[:limit]


def _guess(data: bytes) -> Decoded | None:
    """A Western code page when it decodes cleanly into Latin text, else the detector's first clean guess."""
    guesses = _detected(data)
    tied = {codecs.lookup(c).name for c, _, top in guesses if top}
    central = bool(guesses) and guesses[0][1] in _CENTRAL_EUROPEAN and not tied & {codecs.lookup(w).name for w in WESTERN}
    candidates: list[Decoded] = []
    for codec in WESTERN:
        found = _strict(data, codec)
        if found and not junk(found.text) and looks_western(found.text) and not central:
            return found
        if found:
            candidates.append(found)
    for codec, _, _ in guesses:
        found = _strict(data, codec)
        if found and not junk(found.text):
            return found
        if found:
            candidates.append(found)
    if not candidates:
        return None
    least = min(candidates, key=lambda d: junk(d.text))  # nothing clean: the least damaged, if only a little
    return least if junk(least.text) <= len(least.text) // 1000 else None
