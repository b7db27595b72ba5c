"""The `qa` command as a process on the seeds with the real model (slow): `qa docs` dates, an answer with a period,
and `qa eval` quality on the labelled set."""

from __future__ import annotations

import json

import pytest

from qa.catalog import FIELDS

pytestmark = pytest.mark.slow

DOC_KEYS = set(FIELDS)  # as README documents them: tests/test_readme.py
SEED_DATES = {
    "003_238ccbb7fe04cffb": ("2016-10-21", "dateline+weekday"),
    "004_5c9cc7032a8f1c3d": ("2016-11-02", "dateline+weekday"),
    "001_c650b099b3b6e936": ("2017-01-25", "explicit"),
    "002_2faade04ba6bd5e4": ("2017-09-08", "dateline+weekday"),
    "000_3ba5d7d03a34b568": (None, "unknown"),
}


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


# ---- qa docs


@pytest.fixture(scope="module")
def docs_fresh(run_qa, seed_corpus, tmp_path_factory):
    """`qa docs --json` with no index yet: read straight from the files (no model, no index written)."""
    index = tmp_path_factory.mktemp("docs") / "no-index-yet"
    proc = run_qa("docs", "--json", "--corpus", seed_corpus, "--index", index)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert not index.exists()
    return json_lines(proc.stdout)


@pytest.fixture(scope="module")
def docs_indexed(run_qa, assistant, seed_corpus, seed_index):
    proc = run_qa("docs", "--json", "--corpus", seed_corpus, "--index", seed_index)
    assert proc.returncode == 0, proc.stderr[-1500:]
    return json_lines(proc.stdout)


@pytest.mark.parametrize("which", ["docs_fresh", "docs_indexed"])
def test_docs_json_dates_and_methods(request, which):
    rows = request.getfixturevalue(which)
    assert all(set(r) == DOC_KEYS for r in rows)
    assert {r["doc_id"]: (r["date"], r["date_method"]) for r in rows} == SEED_DATES


@pytest.mark.parametrize("which", ["docs_fresh", "docs_indexed"])
def test_docs_json_in_date_order_undated_last(request, which):
    rows = request.getfixturevalue(which)
    assert [r["doc_id"] for r in rows] == [
        "003_238ccbb7fe04cffb", "004_5c9cc7032a8f1c3d", "001_c650b099b3b6e936", "002_2faade04ba6bd5e4", "000_3ba5d7d03a34b568"]


def test_docs_from_files_equals_docs_from_index(docs_fresh, docs_indexed):
    assert docs_fresh == docs_indexed


def test_docs_sizes_and_passages(docs_indexed, seed_corpus, assistant):
    for r in docs_indexed:
        assert r["chars"] == len((seed_corpus / f"{r['doc_id']}.txt").read_bytes().decode("utf-8"))
        assert r["chunks"] == assistant.article(r["doc_id"])["n_chunks"] > 0
        assert r["source"] == "TASS" and r["title"]


def test_docs_plain_text(run_qa, seed_corpus, tmp_path):
    proc = run_qa("docs", "--corpus", seed_corpus, "--index", tmp_path / "idx")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("2016-10-21") and lines[-1].startswith("undated")


def test_index_up_to_date(run_qa, assistant, seed_corpus, seed_index):
    proc = run_qa("index", "--corpus", seed_corpus, "--index", seed_index)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert "up to date" in proc.stdout
    assert "5 articles" in proc.stdout


# ---- plain answers


def test_ask_plain_text_with_period(run_qa, assistant, seed_corpus, seed_index):
    proc = run_qa("ask", "--since", "2016-11-01", "--until", "2016-11-30", "--corpus", seed_corpus, "--index", seed_index,
                  "What did Lavrov say about Aleppo?")
    assert proc.returncode == 0, proc.stderr[-1500:]
    out = proc.stdout
    assert "Period: 2016-11-01 to 2016-11-30" in out
    assert "[1]" in out and "Sources:" in out
    assert "004_5c9cc7032a8f1c3d" in out and "2016-11-02" in out
    assert "2016-10-21" not in out and "2017-" not in out


# ---- qa eval


@pytest.fixture(scope="module")
def eval_report(run_qa, assistant, seed_corpus, seed_index) -> dict:
    proc = run_qa("eval", "--json", "--corpus", seed_corpus, "--index", seed_index, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (line,) = proc.stdout.splitlines()
    return json.loads(line)


def test_eval_counts_the_labelled_set(eval_report, eval_rows):
    assert eval_report["questions"] == len(eval_rows)
    assert eval_report["answerable"] == sum(r["answerable"] for r in eval_rows)


def test_eval_every_quote_is_verbatim(eval_report):
    assert eval_report["verbatim_share"] == 1.0


def test_eval_abstention_accuracy(eval_report):
    assert eval_report["abstention_accuracy"] >= 0.8, eval_report["failures"]


def test_eval_hybrid_retrieval_is_at_least_as_good_as_either_alone(eval_report):
    assert eval_report["hybrid_hit@5"] >= max(eval_report["dense_hit@5"], eval_report["lexical_hit@5"])
    assert eval_report["hybrid_mrr@10"] >= max(eval_report["dense_mrr@10"], eval_report["lexical_mrr@10"])
