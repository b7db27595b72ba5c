"""Adding files never overwrites an article, refuses what is too large, and the app follows corpus edits."""

from __future__ import annotations

import time

import pytest

from corpora import NEW_ARTICLE, fake_settings
from qa.api import Assistant
from qa.corpus.uploads import copy_into_corpus


def test_a_file_of_the_same_name_is_added_under_a_new_name(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    upload = tmp_path / "up" / "story.txt"
    upload.parent.mkdir()
    upload.write_text(NEW_ARTICLE.replace("Geneva", "Vienna"), encoding="utf-8")
    notes = copy_into_corpus([upload], corpus, 5)
    assert (corpus / "story.txt").read_text(encoding="utf-8") == NEW_ARTICLE  # untouched
    assert "Vienna" in (corpus / "story-2.txt").read_text(encoding="utf-8")
    assert any("added as story-2.txt" in n for n in notes)


def test_the_same_bytes_are_not_copied_twice(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    upload = tmp_path / "story.txt"
    upload.write_text(NEW_ARTICLE, encoding="utf-8")
    notes = copy_into_corpus([upload], corpus, 5)
    assert sorted(p.name for p in corpus.iterdir()) == ["story.txt"] and any("already in the corpus" in n for n in notes)


def test_an_upload_over_the_cap_is_refused_and_changes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    big = tmp_path / "big.txt"
    big.write_text(NEW_ARTICLE + "x" * 1_200_000, encoding="utf-8")
    with pytest.raises(ValueError, match=r"big.txt: 1\.\d MB is more than the 1 MB"):
        copy_into_corpus([big], corpus, 5, max_upload_mb=1)
    assert list(corpus.iterdir()) == []


def test_the_app_follows_corpus_edits_and_says_so(news_copy):
    from ui.handlers import Handlers
    from ui.watch import CorpusWatcher

    corpus, index = news_copy
    h = Handlers(Assistant(settings=fake_settings(corpus, index)))
    _, _, turns, _ = h.respond("How many fishing boats may each country license on the lower Orlen?", [], "", "", "All sources")
    watcher = CorpusWatcher(h, 0.05)
    watcher.start()
    try:
        before = h.generation()
        (corpus / "zz_geneva_round.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        deadline = time.monotonic() + 30
        while h.generation() == before and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop()
        watcher.join(5)
    assert h.generation() != before
    _, _, turns, _ = h.respond("What will the delegations discuss first in Geneva?", turns, "", "", "All sources")
    notes = turns[-1]["answer"]["notes"]
    assert notes and notes[0].startswith("The corpus changed at") and "1 added" in notes[0]
    assert turns[-1]["answer"]["citations"][0]["doc_id"] == "zz_geneva_round"
