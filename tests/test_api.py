"""The Python API (qa.api.Assistant): settings, lazy indexing, refresh, the corpus views, answers from threads."""

from __future__ import annotations

import threading

import corpora
from qa.api import Assistant
from qa.config import Settings

QUESTIONS = [r["question"] for r in corpora.QUESTIONS] + ["What did Varga say about the Orlen dam?"]


def test_arguments_override_the_settings(news_copy, tmp_path):
    corpus, index = news_copy
    s = corpora.fake_settings(tmp_path / "elsewhere", tmp_path / "elsewhere-index")
    a = Assistant(corpus=corpus, index=index, model="ignored-by-the-fake-encoder", settings=s)
    assert a.settings is s and (s.corpus, s.index, s.model) == (corpus, index, "ignored-by-the-fake-encoder")
    assert a.last_report.up_to_date  # the fake encoder's index, whatever the model name
    assert not (tmp_path / "elsewhere-index").exists()


def test_without_auto_index_nothing_is_built_until_first_use(news_corpus, tmp_path):
    a = Assistant(settings=corpora.fake_settings(news_corpus, tmp_path / "index"), auto_index=False)
    assert a.index is None and a.last_report is None and not (tmp_path / "index").exists()
    assert {d["doc_id"] for d in a.docs()} == set(corpora.DOC_IDS)
    assert a.index is not None and a.last_report.added


def test_corpus_views(news):
    assert [d["doc_id"] for d in news.docs()][-1] == "zna_salmon_count"  # undated last
    art = news.article("guardian_orlen_treaty")
    assert art["text"] == corpora.GUARDIAN.text and art["title"] == corpora.GUARDIAN.title
    assert news.article("nope") is None
    assert news.sources() == sorted({s.source for s in corpora.STORIES})


def test_refresh_loads_the_new_generation_and_a_new_answerer(news_copy):
    corpus, index = news_copy
    a = Assistant(settings=corpora.fake_settings(corpus, index))
    old_index, old_answerer = a.index, a.answerer
    assert a.refresh().up_to_date and a.index is old_index and a.answerer is old_answerer
    (corpus / f"{corpora.NEW_ID}.txt").write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    rep = a.refresh()
    assert rep.added == [corpora.NEW_ID] and a.last_report is rep
    assert a.index is not old_index and a.index.generation == rep.generation
    assert a.answerer is not old_answerer and a.answerer.store is a.index.store
    assert a.article(corpora.NEW_ID) is not None


def test_answers_from_several_threads_equal_answers_in_turn(news):
    expected = {q: news.ask(q).to_dict() for q in QUESTIONS}
    got, errors = [], []

    def worker(offset: int) -> None:
        try:
            for j in range(len(QUESTIONS)):
                q = QUESTIONS[(offset + j) % len(QUESTIONS)]
                got.append((q, news.ask(q).to_dict()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(got) == 4 * len(QUESTIONS)
    assert all(d == expected[q] for q, d in got)


def test_the_default_settings_are_read_from_the_environment(monkeypatch, news_corpus, news_index, news):
    monkeypatch.setenv("QA_BACKEND", "fake")
    monkeypatch.setenv("QA_CORPUS", str(news_corpus))
    monkeypatch.setenv("QA_INDEX", str(news_index))
    a = Assistant()
    assert (a.settings.corpus, a.settings.index, a.settings.backend) == (news_corpus, news_index, "fake")
    assert isinstance(a.settings, Settings) and a.last_report.up_to_date
