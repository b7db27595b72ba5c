"""CSV/JSONL tables parsed strictly (a bad row is skipped with its line, never merged), unreadable inputs, the folder."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.corpus.readers import read_corpus, read_file
from qa.corpus.tables import csv_rows, jsonl_rows

ROOT = Path(__file__).resolve().parent.parent

# as a hand-edited export arrives: CRLF line ends, row a2's quoted text never closes
UNTERMINATED = (
    b"id,title,date,text\r\n"
    b'a1,First,2017-01-02,"The envoy said on Monday, after long delays, that the talks would resume."\r\n'
    b'a2,Second,2017-01-03,"The minister said the border would reopen\r\n'
    b'a3,Third,2017-01-04,"Rebels said they had left the eastern districts of the city overnight."\r\n'
    b"a4,Fourth,2017-01-05,Aid convoys reached the town on Thursday for the first time in months.\r\n"
)


def warned(warnings: list[str], *words: str) -> bool:
    return any(all(w.lower() in m.lower() for w in words) for m in warnings)


def rows(text: str) -> tuple[list[tuple[int, dict]], list[str]]:
    warnings: list[str] = []
    return [(line, row) for line, _, row in csv_rows(text, "t.csv", warnings)], warnings


# ---- CSV


def test_unterminated_quote_skips_only_that_row(tmp_path):
    (tmp_path / "news.csv").write_bytes(UNTERMINATED)
    articles, warnings = read_corpus(tmp_path)
    by_id = {a.doc_id: a for a in articles}
    assert sorted(by_id) == ["a1", "a3", "a4"]  # the rows after the bad one are kept, not swallowed into it
    assert by_id["a1"].text == "The envoy said on Monday, after long delays, that the talks would resume."
    assert by_id["a3"].text == "Rebels said they had left the eastern districts of the city overnight."
    assert warnings == ["news.csv:3: skipped, unterminated quote (the quoted field runs on into line 4)"]


def test_unterminated_quote_in_the_last_row(tmp_path):
    (tmp_path / "news.csv").write_bytes(UNTERMINATED + b'a5,Fifth,2017-01-06,"Cut off in the middle of a\r\n')
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["a1", "a3", "a4"]
    assert warned(warnings, "news.csv:6", "unterminated quote", "end of the file")


def test_a_field_that_swallowed_whole_rows_is_caught():
    """The quotes happen to balance further down: the swallowed lines parse as rows of their own, so the row is bad."""
    text = (
        "id,title,date,text\n"
        'b1,One,2017-01-02,"Starts here and never closes\n'
        "b2,Two,2017-01-03,Plain text of row two\n"
        'b3,Three,2017-01-04,Plain text of row three"\n'
    )
    found, warnings = rows(text)
    assert [(line, r["id"]) for line, r in found] == [(3, "b2"), (4, "b3")]
    assert warned(warnings, "t.csv:2", "unterminated quote", "b2,Two")


def test_multiline_text_with_commas_is_one_good_row():
    text = "First paragraph, with a comma, and another, and a third, and a fourth.\n\nHe said, however, that it was over."
    found, warnings = rows('id,title,date,source,text\nm1,Title,2017-02-01,AFP,"' + text + '"\n')
    assert warnings == [] and [r["text"] for _, r in found] == [text]


def test_wrong_number_of_fields_is_a_bad_row():
    found, warnings = rows("id,title,text\nr1,One,Fine text here.\nr2,Two,Text with, an unquoted comma\nr3,Three,Fine again.,\n")
    assert [r["id"] for _, r in found] == ["r1", "r3"]  # a trailing empty field is a stray delimiter, not an error
    assert warnings == ["t.csv:3: skipped, 4 fields where the header has 3"]


def test_unescaped_quote_inside_a_quoted_field():
    found, warnings = rows('id,title,text\nq1,One,"He said "no" and left."\nq2,Two,"He said ""yes"" and stayed."\n')
    assert [r["text"] for _, r in found] == ['He said "yes" and stayed.']
    assert warned(warnings, "t.csv:2", "bad quoting")


def test_semicolon_separated_export():
    found, warnings = rows("id;title;text\ns1;One;Text, with a comma, of row one.\n")
    assert warnings == [] and found == [(2, {"id": "s1", "title": "One", "text": "Text, with a comma, of row one."})]


def test_form_feed_and_line_separator_do_not_end_a_row():
    found, warnings = rows("id,text\nf1,Page one\x0cpage two \u2028 same row\n")
    assert warnings == [] and [r["text"] for _, r in found] == ["Page one\x0cpage two \u2028 same row"]


def test_a_table_without_a_text_column_is_skipped(tmp_path):
    (tmp_path / "people.csv").write_text("name,age\nAnna,31\n", encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert articles == [] and warned(warnings, "people.csv: skipped", "no text column")


def test_row_without_text_names_file_line_and_row(tmp_path):
    (tmp_path / "news.csv").write_bytes(b"id,title,text\r\ne1,Empty,\r\nok,Body,This row has a real body of text in it.\r\n")
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["ok"]
    assert warnings == ["news.csv:2: row 1 skipped, no text"]


# ---- JSONL


def test_jsonl_bad_lines_are_skipped_with_their_line_number(tmp_path):
    good = {"id": "j1", "title": "Envoy visits Damascus", "text": "The UN envoy arrived in Damascus on Wednesday for talks."}
    raw = (
        json.dumps(good, ensure_ascii=False) + "\r\n"
        + '{"id": "broken", "text": "cut off here\r\n'
        + "\r\n"
        + json.dumps(["not", "an", "object"]) + "\n"
        + json.dumps({"id": "j2", "text": "Line\u2028separator inside a string stays one row."}, ensure_ascii=False) + "\n"
    )
    (tmp_path / "feed.jsonl").write_bytes(raw.encode("utf-8"))
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["j1", "j2"]
    assert articles[1].text == "Line\u2028separator inside a string stays one row."
    assert warned(warnings, "feed.jsonl:2", "bad JSON") and warned(warnings, "feed.jsonl:4", "not a JSON object")
    assert len(warnings) == 2


def test_jsonl_values_that_are_not_text_are_ignored():
    warnings: list[str] = []
    ((_, _, row),) = jsonl_rows('{"id": 7, "title": null, "text": "Body text.", "source": {"name": "AP"}}', "f.jsonl", warnings)
    from qa.corpus.tables import pick

    assert (pick(row, "id"), pick(row, "title"), pick(row, "source"), pick(row, "text")) == ("7", "", "", "Body text.")


# ---- unreadable files: a warning naming the file, never a traceback


def test_binary_table_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "dump.jsonl").write_bytes(b"\x00\x01\x02garbage" * 100)
    (tmp_path / "dump.csv").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)  # a gzip file named .csv
    articles, warnings = read_corpus(tmp_path)
    assert articles == []
    assert warned(warnings, "dump.jsonl: skipped") and warned(warnings, "dump.csv: skipped")


def test_unreadable_table_is_skipped_with_a_warning(tmp_path, monkeypatch):
    (tmp_path / "locked.csv").write_text("id,text\nx,Some text here.\n", encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, warnings = read_corpus(tmp_path)
    assert articles == [] and warnings == ["locked.csv: skipped, unreadable (Permission denied)"]


def test_a_folder_named_like_a_table(tmp_path):
    (tmp_path / "2016.csv").mkdir()
    (tmp_path / "2016.csv" / "inner.txt").write_text("Headline\n\nThe minister said on Monday that the talks would resume.\n", encoding="utf-8")
    warnings: list[str] = []
    assert read_file(tmp_path / "2016.csv", warnings, 10**6) == []
    assert warned(warnings, "2016.csv: skipped", "unreadable")
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["inner"]
    assert warned(warnings, "2016.csv", "folder")


# ---- the corpus folder: links out of it, warnings said once


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("Private notes\n\nThese notes were never meant to be part of the corpus at all.\n", encoding="utf-8")
    (corpus / "story.txt").write_text("Talks resume\n\nThe envoy said on Monday that the talks in Geneva would resume.\n", encoding="utf-8")
    (corpus / "notes.txt").symlink_to(outside / "secret.txt")
    (corpus / "more").symlink_to(outside, target_is_directory=True)
    (corpus / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (corpus / "alias.txt").symlink_to(corpus / "story.txt")  # inside the folder: read, and found a duplicate
    return corpus


def test_links_out_of_the_corpus_are_skipped_with_a_warning(linked):
    articles, warnings = read_corpus(linked)
    assert [a.doc_id for a in articles] == ["alias"]  # the link inside the folder is read; story.txt is its duplicate
    assert all("never meant" not in a.text for a in articles)
    assert warned(warnings, "notes.txt: skipped", "outside the corpus folder")
    assert warned(warnings, "more: skipped", "outside the corpus folder")
    assert warned(warnings, "dangling.txt: skipped", "broken link")
    assert warned(warnings, "duplicate")


def test_each_warning_is_given_once_and_not_logged_as_a_warning(linked, caplog):
    (linked / "scan.pdf").write_bytes(b"%PDF-1.4")
    with caplog.at_level(logging.WARNING, logger="qa"):
        _, warnings = read_corpus(linked)
    assert len(warnings) == len(set(warnings)) >= 4
    assert caplog.records == []  # the callers print them; a log line too would say each twice


def test_qa_index_prints_each_warning_once(linked, tmp_path):
    (linked / "scan.pdf").write_bytes(b"%PDF-1.4")
    (linked / "news.csv").write_bytes(UNTERMINATED)
    env = dict(os.environ, QA_BACKEND="fake")
    cmd = [sys.executable, "-c", "from qa.cli import main; main()", "index", "--corpus", str(linked), "--index", str(tmp_path / "idx")]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "skipped" in line]
    assert lines and len(lines) == len(set(lines))
    for needle in ("scan.pdf", "notes.txt", "news.csv:3"):
        assert sum(needle in line for line in lines) == 1, (needle, lines)
