"""Decoding files as Windows and other tools write them: BOMs, UTF-16, Western code pages, checked guesses."""

from __future__ import annotations

import codecs

import pytest

from qa.corpus.decode import decode, junk, looks_western
from qa.corpus.readers import read_corpus
from qa.models import Article

# a Windows-1252 article as Notepad or Word saves it: CRLF, curly quotes, an en dash, accents, a euro sign
CP1252_ARTICLE = (
    "Zürich bank chief steps down\r\n\r\n"
    "ZÜRICH, March 3 (Reuters) – The bank’s chief executive stepped down on Friday, saying his rôle in the "
    "“naïve” expansion of 2015 was “unclear” and that the €2 billion write-down had been his responsibility.\r\n\r\n"
    "The bank’s chairman said the board would name a successor by the end of the month, according to a statement.\r\n"
)
RUSSIAN = "Министр иностранных дел России Сергей Лавров заявил в пятницу, что переговоры по Сирии будут продолжены в Женеве.\n"
POLISH = "Władze Wrocławia ogłosiły, że w przyszłym tygodniu rozpocznie się remont mostu. Mieszkańcy Łodzi są zaniepokojeni.\n"


def decoded(data: bytes) -> tuple[str | None, str | None, list[str]]:
    warnings: list[str] = []
    found = decode(data, "f.txt", warnings)
    return (found.text if found else None), (found.encoding if found else None), warnings


def test_cp1252_article_is_read_as_cp1252_not_a_dos_code_page():
    """The bug: charset-normalizer guessed cp775 and the article was cited as "Z³rich … ōunclearö"."""
    text, encoding, warnings = decoded(CP1252_ARTICLE.encode("cp1252"))
    assert text == CP1252_ARTICLE
    assert encoding == "cp1252"
    assert warnings == ["f.txt: not UTF-8, decoded as cp1252"]


def test_latin1_bytes_decode_exactly():
    original = "Señor Muñoz, who runs the café near the Élysée, said the mood was très calme and the façade new.\n"
    text, encoding, warnings = decoded(original.encode("latin-1"))
    assert text == original and encoding in ("cp1252", "iso8859-15", "iso8859-1")
    assert "not UTF-8" in warnings[0]


@pytest.mark.parametrize(
    "codec, bom, expected",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),  # Notepad's "Unicode", PowerShell 5's Out-File default
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),  # Notepad's "UTF-8 with BOM", Excel's "CSV UTF-8"
    ],
)
def test_byte_order_marks_decode_without_warning(codec, bom, expected):
    text, encoding, warnings = decoded(bom + CP1252_ARTICLE.encode(codec))
    assert text == CP1252_ARTICLE  # the mark itself is not part of the text
    assert encoding == expected
    assert warnings == []


def test_utf16_without_bom_is_recognised_with_a_warning():
    text, encoding, warnings = decoded(CP1252_ARTICLE.encode("utf-16-le"))
    assert (text, encoding) == (CP1252_ARTICLE, "utf-16-le")
    assert "no byte-order mark" in warnings[0]


def test_plain_utf8_has_no_warning():
    assert decoded(CP1252_ARTICLE.encode("utf-8")) == (CP1252_ARTICLE, "utf-8", [])


@pytest.mark.parametrize("original, codec", [(RUSSIAN, "cp1251"), (POLISH, "cp1250")])
def test_non_western_text_takes_the_detectors_clean_guess(original, codec):
    """A Western page would decode these bytes too, but into whole words of accented letters or "Wroc³aw"."""
    text, encoding, warnings = decoded(original.encode(codec))
    assert (text, encoding) == (original, codec)
    assert f"decoded as {codec}" in warnings[0]


def test_binary_is_refused():
    text, _, warnings = decoded(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert text is None and "binary" in warnings[0]


def test_bom_with_invalid_content_is_refused_with_a_reason():
    text, _, warnings = decoded(codecs.BOM_UTF8 + b"caf\xe9 \xff\xfe")
    assert text is None and "utf-8-sig" in warnings[0]


def test_the_checks():
    assert junk("Z³rich") == 1 and junk("Zürich") == 0
    assert junk("box ═══ drawing") == 3 and junk("a\x85b") == 1
    assert junk("don’t re\u00adsume") == 0  # apostrophes and soft hyphens live inside words
    assert looks_western("Zürich café rôle naïve") and not looks_western("Ìèíèñòð èíîñòðàííûõ äåë Ðîññèè")


# ---- through the corpus reader


def test_utf16_txt_file_is_an_article_not_binary(tmp_path):
    (tmp_path / "zurich.txt").write_bytes(codecs.BOM_UTF16_LE + CP1252_ARTICLE.encode("utf-16-le"))
    (art,), warnings = read_corpus(tmp_path)
    assert warnings == []
    assert (art.text, art.encoding, art.title) == (CP1252_ARTICLE, "utf-16", "Zürich bank chief steps down")
    assert all(art.text[s:e] == art.text[s:e].strip() for s, e in art.body)


def test_encoding_is_recorded_per_article(tmp_path):
    (tmp_path / "a.txt").write_bytes(CP1252_ARTICLE.encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF8 + CP1252_ARTICLE.replace("Zürich bank", "Basel bank").encode("utf-8"))
    articles, _ = read_corpus(tmp_path)
    assert {a.doc_id: a.encoding for a in articles} == {"a": "cp1252", "b": "utf-8-sig"}
    assert any("“naïve”" in a.text[s:e] for a in articles if a.encoding == "cp1252" for s, e in a.body)


def test_cp1252_csv_from_excel(tmp_path):
    """Excel's plain "CSV" on Western Windows: cp1252 bytes, CRLF; each row's article records the file's encoding."""
    raw = 'id,title,text\r\nz1,Zürich,"ZÜRICH (Reuters) – The bank’s “naïve” rôle was unclear, officials said on Friday."\r\n'
    (tmp_path / "news.csv").write_bytes(raw.encode("cp1252"))
    (art,), warnings = read_corpus(tmp_path)
    assert art.text == "ZÜRICH (Reuters) – The bank’s “naïve” rôle was unclear, officials said on Friday."
    assert (art.title, art.encoding) == ("Zürich", "cp1252")
    assert warnings == ["news.csv: not UTF-8, decoded as cp1252"]


def test_utf16_tab_separated_export(tmp_path):
    """Excel's "Unicode Text": UTF-16 LE with a BOM, tab-separated; saved with a .csv name it still reads."""
    raw = "id\ttitle\ttext\r\nu1\tZürich\tThe bank’s “naïve” rôle was unclear, officials said on Friday.\r\n"
    (tmp_path / "export.csv").write_bytes(codecs.BOM_UTF16_LE + raw.encode("utf-16-le"))
    (art,), warnings = read_corpus(tmp_path)
    assert (art.doc_id, art.title, art.encoding) == ("u1", "Zürich", "utf-16")
    assert warnings == []


def test_article_encoding_defaults_to_utf8():
    assert Article(doc_id="x", text="y").encoding == "utf-8"
