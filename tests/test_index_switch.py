"""An index that another process swapped, one built for the other vector store, and a database that cannot be reached:
none of them is damage (nothing is moved aside), and the app follows a generation another process made live."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

import pytest

import corpora
from qa.api import Assistant
from qa.search import index as index_module
from qa.search.index import Index, read_manifest


def _damaged(index) -> list[str]:
    return [p.name for p in index.iterdir() if p.name.startswith("damaged-")]


def test_switching_the_vector_store_rebuilds_with_one_line(news_copy):
    corpus, index = news_copy
    manifest = read_manifest(index)
    (index / "manifest.json").write_text(json.dumps({**manifest, "vector_store": "pgvector"}))  # as if built for pgvector
    a = Assistant(settings=corpora.fake_settings(corpus, index))
    report = a.last_report
    assert report.warnings[0] == ("the index was built for the pgvector vector store; building it for faiss "
                                  "(cached embeddings are reused)")
    assert not any("damaged" in w for w in report.warnings) and _damaged(index) == []
    assert report.embedded == 0 and report.generation != manifest["generation"]
    assert read_manifest(index)["vector_store"] == "faiss"
    assert not a.ask("How many fishing boats may each country license on the lower Orlen?").abstained


def test_an_unreachable_database_is_not_damage(news_copy, monkeypatch):
    corpus, index = news_copy

    def unreachable(*args, **kwargs):
        raise ConnectionError("cannot connect to the PostgreSQL server of QA_DATABASE_URL (postgresql://db:5432/news): refused")

    monkeypatch.setattr(index_module, "open_vector_store", unreachable)
    with pytest.raises(ConnectionError, match="cannot connect.*the index is kept"):
        Index.load(index, corpora.fake_settings(corpus, index))
    with pytest.raises(ConnectionError):
        Assistant(settings=corpora.fake_settings(corpus, index))
    assert _damaged(index) == [] and (index / read_manifest(index)["generation"]).is_dir()


class _Handlers:
    """What the corpus watcher needs of the app's handlers."""

    def __init__(self, assistant):
        self.a = assistant
        self.changed: list[str] = []

    class _Lock:
        @contextmanager
        def write(self):
            yield

    lock = _Lock()

    def index_changed(self, report) -> None:
        self.changed.append(report.generation)


def test_the_app_follows_a_generation_another_process_made_live(news_copy):
    from ui.watch import CorpusWatcher

    corpus, index = news_copy
    app = Assistant(settings=corpora.fake_settings(corpus, index))
    h = _Handlers(app)
    watcher = CorpusWatcher(h, 0.05)
    before = app.index.generation
    other = Assistant(settings=corpora.fake_settings(corpus, index), auto_index=False)
    other.refresh(rebuild=True)  # the files did not change: only the generation did
    assert other.index.generation != before
    watcher.start()
    try:
        deadline = time.monotonic() + 30
        while app.index.generation == before and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop()
        watcher.join(5)
    assert app.index.generation == other.index.generation and h.changed == [other.index.generation]
