"""The `qa` command (qa.cli), run in-process with click's CliRunner and the fake encoder: help, docs, clean errors,
plain and JSON answers, timelines and `qa eval`; and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import corpora
from qa.catalog import FIELDS

DOC_KEYS = set(FIELDS)  # as README documents them: tests/test_readme.py
ANSWER_KEYS = {"question", "answer", "abstained", "citations", "period", "notes", "sentences", "outside_period", "nearest", "asked"}
CITATION_KEYS = {"n", "doc_id", "title", "date", "source", "text", "start", "end", "score", "quotes"}
REPO = Path(__file__).resolve().parent.parent
BOATS = "How many fishing boats may each country license on the lower Orlen?"
FIFA = "Who won the 2018 FIFA World Cup final?"


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def assert_clean_error(result, code: int, *words: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.output[-1500:])
    assert "Traceback" not in result.output
    for w in words:
        assert w.lower() in result.stderr.lower(), result.stderr


def test_help(qa_cli):
    result = qa_cli("--help")
    assert result.exit_code == 0
    for command in ("ask", "index", "docs", "eval", "timeline", "serve"):
        assert command in result.stdout


def test_ask_help_lists_options(qa_cli):
    result = qa_cli("ask", "--help")
    assert result.exit_code == 0
    for option in ("--since", "--until", "--source", "--json", "--corpus", "--index", "--model", "-k"):
        assert option in result.stdout


def test_version(qa_cli):
    result = qa_cli("--version")
    assert result.exit_code == 0 and "0.1.0" in result.stdout


# ---- qa docs


@pytest.fixture(scope="module")
def docs_fresh(qa_cli, news_corpus, tmp_path_factory):
    """`qa docs --json` with no index yet: read straight from the files (no model, no index written)."""
    index = tmp_path_factory.mktemp("docs") / "no-index-yet"
    result = qa_cli("docs", "--json", "--corpus", news_corpus, "--index", index)
    assert result.exit_code == 0, result.output[-1500:]
    assert not index.exists()
    return json_lines(result.stdout)


@pytest.fixture(scope="module")
def docs_indexed(qa_cli, news, news_corpus, news_index):
    result = qa_cli("docs", "--json", "--corpus", news_corpus, "--index", news_index)
    assert result.exit_code == 0, result.output[-1500:]
    return json_lines(result.stdout)


@pytest.mark.parametrize("which", ["docs_fresh", "docs_indexed"])
def test_docs_json_dates_and_methods(request, which):
    rows = request.getfixturevalue(which)
    assert all(set(r) == DOC_KEYS for r in rows)
    assert {r["doc_id"]: (r["date"], r["date_method"]) for r in rows} == {s.doc_id: (s.date, s.date_method) for s in corpora.STORIES}


@pytest.mark.parametrize("which", ["docs_fresh", "docs_indexed"])
def test_docs_json_in_date_order_undated_last(request, which):
    rows = request.getfixturevalue(which)
    assert [r["doc_id"] for r in rows] == [
        "tass_orlen_dam", "reuters_orlen_court", "ap_orlen_talks", "ap_velmora_tram", "bbc_orlen_fishermen", "cnn_storm_halvard",
        "guardian_orlen_treaty", "zna_salmon_count"]


def test_docs_from_files_equals_docs_from_index(docs_fresh, docs_indexed):
    assert docs_fresh == docs_indexed


def test_docs_sizes_sources_and_passages(docs_indexed, news):
    for r in docs_indexed:
        story = corpora.BY_ID[r["doc_id"]]
        assert r["chars"] == len(story.text)
        assert r["chunks"] == news.article(r["doc_id"])["n_chunks"] > 0
        assert (r["source"], r["title"]) == (story.source, story.title)
        assert Path(r["path"].split("#")[0]).name == story.file


def test_docs_plain_text(qa_cli, news_corpus, tmp_path):
    result = qa_cli("docs", "--corpus", news_corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(corpora.STORIES)
    assert lines[0].startswith("2016-10-21") and "dateline+weekday" in lines[0] and "tass_orlen_dam" in lines[0]
    assert lines[-1].startswith("undated")


def test_docs_warns_about_files_it_skips(qa_cli, news_corpus, tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(news_corpus, corpus)
    (corpus / "scan.pdf").write_bytes(b"%PDF")
    result = qa_cli("docs", "--corpus", corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 0
    assert "warning: scan.pdf: skipped" in result.stderr and "scan" not in result.stdout


# ---- clean errors


@pytest.mark.parametrize("command", ["ask", "timeline"])
@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize("value", ["2016-13-45", "last week"])
def test_bad_date_option_is_a_usage_error(qa_cli, news_corpus, tmp_path, command, option, value):
    result = qa_cli(command, option, value, "--corpus", news_corpus, "--index", tmp_path / "idx", "Orlen")
    assert_clean_error(result, 2, value, "not a date like 2016-10-21")
    assert not (tmp_path / "idx").exists()  # refused before anything was indexed


@pytest.mark.parametrize(
    "args",
    [["ask", "Orlen"], ["ask", "--json", "Orlen"], ["timeline", "Orlen"], ["docs"], ["index"], ["eval"]],
    ids=lambda a: " ".join(a),
)
def test_missing_corpus_folder_is_a_clean_error(qa_cli, tmp_path, args):
    missing = tmp_path / "no-such-folder"
    result = qa_cli(*args, "--corpus", missing, "--index", tmp_path / "idx")
    assert_clean_error(result, 1, "corpus folder not found", "no-such-folder")


def test_ask_without_a_question_is_a_usage_error(qa_cli, news_corpus, tmp_path):
    assert_clean_error(qa_cli("ask", "--corpus", news_corpus, "--index", tmp_path / "idx"), 2, "missing argument")


# ---- qa index


def test_index_builds_then_is_up_to_date(qa_cli, news_corpus, tmp_path):
    result = qa_cli("index", "--corpus", news_corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 0, result.output[-1500:]
    n = len(corpora.STORIES)
    assert f"indexed {n} articles" in result.stdout and f"{n} added, 0 changed, 0 removed" in result.stdout
    result = qa_cli("index", "--corpus", news_corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 0
    assert "up to date" in result.stdout and f"{n} articles" in result.stdout


def test_index_reports_what_changed(qa_cli, news_copy):
    corpus, index = news_copy
    (corpus / f"{corpora.NEW_ID}.txt").write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    (corpus / "cnn_storm_halvard.txt").unlink()
    result = qa_cli("index", "--corpus", corpus, "--index", index)
    assert result.exit_code == 0
    assert "1 added, 0 changed, 1 removed" in result.stdout and "passages embedded" in result.stdout


# ---- qa ask


def test_ask_plain_text_with_period(qa_cli, news, news_corpus, news_index):
    result = qa_cli("ask", "--since", "2016-11-01", "--until", "2016-11-30", "--corpus", news_corpus, "--index", news_index,
                    "What did Varga say about the Orlen dam?")
    assert result.exit_code == 0, result.output[-1500:]
    out = result.stdout
    assert "Period: 2016-11-01 to 2016-11-30" in out
    assert "[1]" in out and "Sources:" in out
    assert "reuters_orlen_court" in out and "2016-11-15" in out
    assert "2016-10-21" not in out and "2017-" not in out


def test_ask_plain_text_abstains_with_a_note(qa_cli, news, news_corpus, news_index):
    result = qa_cli("ask", "--corpus", news_corpus, "--index", news_index, "Who", "won", "the", "2018", "FIFA", "World", "Cup?")
    assert result.exit_code == 0
    assert "The articles do not answer this question." in result.stdout and "unknown words" in result.stdout
    assert "Sources:" not in result.stdout


def test_ask_json_contract(qa_cli, news, news_corpus, news_index):
    result = qa_cli("ask", "--json", "--corpus", news_corpus, "--index", news_index, BOATS, FIFA)
    assert result.exit_code == 0, result.output[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    objs = [json.loads(line) for line in lines]
    assert [o["question"] for o in objs] == [BOATS, FIFA]
    for o in objs:
        assert set(o) == ANSWER_KEYS
        assert isinstance(o["answer"], str) and isinstance(o["abstained"], bool) and isinstance(o["citations"], list)
        for c in o["citations"]:
            assert set(c) == CITATION_KEYS
            assert corpora.BY_ID[c["doc_id"]].text[c["start"] : c["end"]] == c["text"]
    assert objs[0]["abstained"] is False and objs[0]["citations"]
    assert any("no more than 400 fishing boats" in c["text"] for c in objs[0]["citations"])
    assert objs[1]["abstained"] is True and objs[1]["citations"] == []


def test_ask_json_with_k_and_sources(qa_cli, news, news_corpus, news_index):
    result = qa_cli("ask", "--json", "-k", "1", "--source", "AP", "--source", "The Guardian", "--corpus", news_corpus,
                    "--index", news_index, "What did Varga say about the Orlen dam?")
    assert result.exit_code == 0
    (obj,) = json_lines(result.stdout)
    assert len(obj["citations"]) == 1 and obj["citations"][0]["source"] in ("AP", "The Guardian")


def test_many_questions_one_process(qa_cli, news, news_corpus, news_index):
    """`qa ask --json` answers every argument as its own question, in order, one line each."""
    questions = [r["question"] for r in corpora.QUESTIONS] * 5
    result = qa_cli("ask", "--json", "--corpus", news_corpus, "--index", news_index, *questions)
    assert result.exit_code == 0
    objs = json_lines(result.stdout)
    assert len(objs) == len(questions) == len(result.stdout.splitlines())
    assert [o["question"] for o in objs] == questions
    assert [o["abstained"] for o in objs] == [not r["answerable"] for r in corpora.QUESTIONS] * 5


# ---- qa timeline


def test_timeline_plain_text(qa_cli, news, news_corpus, news_index):
    result = qa_cli("timeline", "--corpus", news_corpus, "--index", news_index, "Varga", "on", "the", "Orlen", "dam")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("2016-10-21") < out.index("2016-11-15") < out.index("2017-05-12")
    assert "similarity to previous" in out and "(TASS, tass_orlen_dam)" in out


def test_timeline_of_nothing(qa_cli, news, news_corpus, news_index):
    result = qa_cli("timeline", "--corpus", news_corpus, "--index", news_index, "FIFA World Cup")
    assert result.exit_code == 0 and result.stdout.strip() == "No article speaks to this topic."
    result = qa_cli("timeline", "--json", "--corpus", news_corpus, "--index", news_index, "FIFA World Cup")
    assert result.exit_code == 0 and result.stdout == ""


# ---- qa eval


@pytest.fixture(scope="module")
def eval_set(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in corpora.QUESTIONS), encoding="utf-8")
    return path


def test_eval_json(qa_cli, news, news_corpus, news_index, eval_set):
    result = qa_cli("eval", "--json", "--set", eval_set, "--corpus", news_corpus, "--index", news_index)
    assert result.exit_code == 0, result.output[-2000:]
    (report,) = json_lines(result.stdout)
    assert report["questions"] == len(corpora.QUESTIONS)
    assert report["answerable"] == sum(r["answerable"] for r in corpora.QUESTIONS)
    assert report["verbatim_share"] == 1.0
    assert report["abstention_accuracy"] == 1.0 and report["failures"] == []
    assert report["hybrid_hit@5"] >= max(report["dense_hit@5"], report["lexical_hit@5"]) - 1e-9


def test_eval_plain_text_lists_failures(qa_cli, news, news_corpus, news_index, tmp_path):
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"question": BOATS, "answerable": False}) + "\n", encoding="utf-8")
    result = qa_cli("eval", "--failures", "--set", wrong, "--corpus", news_corpus, "--index", news_index)
    assert result.exit_code == 0
    assert "1 questions (0 answerable)" in result.stdout
    assert f"- answered: {BOATS}" in result.stdout


def test_eval_needs_an_existing_set(qa_cli, news_corpus, tmp_path):
    result = qa_cli("eval", "--set", tmp_path / "none.jsonl", "--corpus", news_corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 2 and "does not exist" in result.stderr


# ---- a real process


def test_the_command_runs_as_a_process_without_a_model(news, news_corpus, news_index):
    """`python -m qa.cli` with QA_BACKEND=fake in the environment: answers, and imports no model runtime."""
    code = (
        "import json, sys\n"
        "from qa.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(json.dumps({'exit': code, 'loaded': [m for m in ('torch', 'sentence_transformers', 'onnxruntime') if m in sys.modules]}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_BACKEND="fake", QA_CORPUS=str(news_corpus), QA_INDEX=str(news_index))
    proc = subprocess.run([sys.executable, "-c", code, "ask", "--json", BOATS], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer, status = [json.loads(line) for line in proc.stdout.splitlines()]
    assert status == {"exit": 0, "loaded": []}
    assert not answer["abstained"] and answer["citations"][0]["doc_id"] == "guardian_orlen_treaty"


def test_suggestions_from_other_dates_show_their_words_so_passages_of_one_article_are_told_apart(capsys):
    """An answer restricted to a period that only other dates answer lists those passages as the app does: each with its
    title, place and words (three passages of one TASS story are three different suggestions, not one title thrice)."""
    from qa.cli import _print_answer
    from qa.models import Answer, Citation

    texts = ["Varga said the dam would reopen in March.", "Brenn said the locks were repaired.", "Roe said the river rose."]
    wider = [Citation(0, "tass_dam", "Dam to reopen", "2017-02-23", "TASS", t, 10 * i, 10 * i + len(t), 0.5)
             for i, t in enumerate(texts)]
    _print_answer(Answer("What did Varga say about the dam in December?", "The articles do not answer this question.", True, [],
                         outside_period=wider))
    out = capsys.readouterr().out
    assert "Outside the period (suggestions, not an answer):" in out and "Sources:" not in out
    assert out.count("Dam to reopen — 2017-02-23, TASS") == 3
    assert all(t in out for t in texts) and "(tass_dam 10:" in out
