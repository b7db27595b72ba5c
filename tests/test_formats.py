"""qa.corpus.formats: which files hold articles, and how."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus.formats import ACCEPTED, TABLE_SUFFIXES, TEXT_SUFFIXES, UPLOADABLE, is_sidecar, kind


@pytest.mark.parametrize(
    ("name", "expected"),
    [("story.txt", "text"), ("STORY.TXT", "text"), ("notes.md", "text"), ("feed.csv", "table"), ("feed.jsonl", "table"),
     ("feed.NDJSON", "table"), ("scan.pdf", None), ("archive.tar.gz", None), ("README", None), ("story.meta.json", None)],
)
def test_kind(name, expected):
    assert kind(Path(name)) == expected


def test_sidecars_are_recognised_by_their_full_suffix():
    assert is_sidecar(Path("corpus/bbc_orlen_fishermen.meta.json"))
    assert not is_sidecar(Path("corpus/meta.json")) and not is_sidecar(Path("corpus/story.json"))


def test_what_the_app_offers_for_upload_is_accepted_by_the_reader():
    assert set(UPLOADABLE) <= ACCEPTED == TEXT_SUFFIXES | TABLE_SUFFIXES
    assert not TEXT_SUFFIXES & TABLE_SUFFIXES
