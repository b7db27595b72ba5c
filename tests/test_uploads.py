"""qa.corpus.uploads: files are read before they are copied in, under names that cannot escape the corpus."""

from __future__ import annotations

import pytest

import corpora
from qa.corpus.uploads import copy_into_corpus, safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Geneva talks (draft)!.txt", "Geneva_talks_draft.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.CSV", "evil.csv"),
        (".hidden.txt", "hidden.txt"),
        ("...txt", "upload.txt"),
        ("feed.j$so%n l", "feed.jsonl"),
        ("no suffix here", "no_suffix_here"),
        ("Zarnović ☃ notes.txt", "Zarnović_notes.txt"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_safe_filename_is_short():
    assert len(safe_filename("x" * 500 + ".txt")) == 104


def test_copies_articles_and_reports_files_without_one(tmp_path):
    src, corpus = tmp_path / "in", tmp_path / "corpus"
    src.mkdir()
    good = src / "Orlen talks (2nd round).txt"
    good.write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    blob = src / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02 not text")
    rejected = copy_into_corpus([good, blob], corpus, max_file_mb=5)
    assert sorted(p.name for p in corpus.iterdir()) == ["Orlen_talks_2nd_round.txt"]  # the folder is made when needed
    assert (corpus / "Orlen_talks_2nd_round.txt").read_text(encoding="utf-8") == corpora.NEW_ARTICLE
    assert rejected == ["blob.txt: skipped, looks binary"]


def test_a_table_without_a_usable_row_is_refused(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "x", "title": "no text"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="nothing was changed"):
        copy_into_corpus([feed], tmp_path / "corpus", max_file_mb=5)
    assert not (tmp_path / "corpus").exists()


def test_wrong_type_refuses_the_whole_batch(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValueError, match=r"report\.pdf: only .*\.txt.*nothing was changed"):
        copy_into_corpus([good, pdf], tmp_path / "corpus", max_file_mb=5)
    assert not (tmp_path / "corpus").exists()


def test_oversize_file_is_refused_by_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(corpora.NEW_ARTICLE * 40, encoding="utf-8")  # ~20 kB
    with pytest.raises(ValueError, match="big.txt: skipped"):
        copy_into_corpus([big], tmp_path / "corpus", max_file_mb=0.01)
    assert copy_into_corpus([big], tmp_path / "corpus", max_file_mb=1) == []
