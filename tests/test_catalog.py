"""The article list (qa.catalog.list_articles: from the index when current, else from the files) and the example
questions the web app offers, drawn from the corpus itself."""

from __future__ import annotations

import re

import corpora
from qa.catalog import FIELDS, example_questions, list_articles
from qa.search.index import read_manifest


def test_from_the_index_when_it_is_current(news, news_corpus, news_index, monkeypatch):
    def no_reading(*a, **kw):
        raise AssertionError("the files were read although the index is current")

    monkeypatch.setattr("qa.catalog.read_corpus", no_reading)
    rows, warnings = list_articles(corpora.fake_settings(news_corpus, news_index))
    assert warnings == [] and len(rows) == len(corpora.STORIES) and all(set(r) == set(FIELDS) for r in rows)
    assert {r["doc_id"]: r["chunks"] for r in rows} == {d["doc_id"]: d["n_chunks"] for d in news.docs()}


def test_from_the_files_when_there_is_no_index(news, news_corpus, tmp_path):
    rows, warnings = list_articles(corpora.fake_settings(news_corpus, tmp_path / "none"))
    indexed, _ = list_articles(corpora.fake_settings(news_corpus, news.settings.index))
    assert warnings == [] and rows == indexed
    assert not (tmp_path / "none").exists()


def test_from_the_files_when_they_changed(news_copy):
    corpus, index = news_copy
    (corpus / "cnn_storm_halvard.txt").unlink()
    (corpus / "scan.pdf").write_bytes(b"%PDF")
    rows, warnings = list_articles(corpora.fake_settings(corpus, index))
    assert "cnn_storm_halvard" not in {r["doc_id"] for r in rows} and len(rows) == len(corpora.STORIES) - 1
    assert warnings == ["scan.pdf: skipped, not .txt/.csv/.jsonl"]
    assert read_manifest(index)["docs"] == len(corpora.STORIES)  # listing does not index


def test_touched_files_still_list_from_the_index(news_copy):
    import os

    corpus, index = news_copy
    path = corpus / "tass_orlen_dam.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    rows, warnings = list_articles(corpora.fake_settings(corpus, index))
    assert warnings == [] and len(rows) == len(corpora.STORIES)


def test_example_questions_come_from_the_corpus(news):
    questions = example_questions(news.index.store)
    assert len(questions) == 3 and len(set(questions)) == 3
    text = " ".join(s.text for s in corpora.STORIES)
    assert questions[0].startswith("What did Varga say")  # the most quoted person comes first
    for q in questions:
        m = re.fullmatch(r"What did (\w+) say(?: about (.+))?\?|What happened in (.+)\?", q)
        assert m, q
        assert all(part in text for part in m.groups() if part)
    assert not any(w in " ".join(questions) for w in ("Lavrov", "Aleppo", "Syria"))  # nothing from the seeds


def test_example_questions_for_a_corpus_without_quotes(tmp_path):
    from qa.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text(
        "Orlen river levels\n\nThe Orlen river rose by two metres in Orlen Falls during the March floods.\n\n"
        "The Velmora harbour stayed open through the floods.\n", encoding="utf-8")
    a = Assistant(settings=corpora.fake_settings(corpus, tmp_path / "index"))
    questions = example_questions(a.index.store)
    assert questions and all(q.startswith("What happened in ") for q in questions)
    (tmp_path / "empty").mkdir()
    empty = Assistant(settings=corpora.fake_settings(tmp_path / "empty", tmp_path / "index2"))
    assert example_questions(empty.index.store) == ["What do the articles report?"]


def test_listing_a_changed_corpus_reads_only_the_changed_files(news_copy, monkeypatch):
    import qa.corpus.readers as readers

    corpus, index = news_copy
    (corpus / "cnn_storm_halvard.txt").unlink()
    first, _ = list_articles(corpora.fake_settings(corpus, index))  # the copies have new inodes: all read once
    read: list[str] = []
    real = readers.read_file
    monkeypatch.setattr(readers, "read_file", lambda path, *a, **kw: read.append(path.name) or real(path, *a, **kw))
    (corpus / "added_note.txt").write_text("Orlen bridge\n\nThe Orlen bridge reopened on Monday after repairs.\n", encoding="utf-8")
    rows, warnings = list_articles(corpora.fake_settings(corpus, index))
    assert read == ["added_note.txt"] and warnings == []
    assert {r["doc_id"] for r in rows} == {r["doc_id"] for r in first} | {"added_note"}
