"""bench/quality.py on a SQuAD-format file given by path (a newsroom's own labelled questions), with the fake encoder.

The file is written here from the test corpora's made-up stories: each story an entry, its paragraphs the contexts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import corpora

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402

QUESTIONS = {
    "reuters_orlen_court": [("How many homes would the Orlen dam's turbines supply with electricity?", "400,000"),
                            ("How much would the Orlen dam cost, according to Keldland's finance ministry?", "2.1 billion euros")],
    "cnn_storm_halvard": [("How many homes did Storm Halvard leave without power?", "60,000"),
                          ("Who runs a cafe on the seafront in Velmora?", "Lena Brandt")],
}
IMPOSSIBLE = ("cnn_storm_halvard", "Who won the Velmora marathon in 2015?")


def squad_file(path: Path, version: str = "v2.0") -> Path:
    """The stories as a SQuAD file: one entry per story, a paragraph per blank-line block after the headline."""
    data = []
    for story in corpora.STORIES:
        paras = [p.strip() for p in story.text.split("\n\n")[1:] if len(p.split()) > 8]
        entry = {"title": story.title, "paragraphs": [{"context": p, "qas": []} for p in paras]}
        for i, (question, answer) in enumerate(QUESTIONS.get(story.doc_id, [])):
            para = next(p for p in entry["paragraphs"] if answer in p["context"])
            para["qas"].append({"id": f"{story.doc_id}-{i}", "question": question,
                                "answers": [{"text": answer, "answer_start": para["context"].index(answer)}]})
        if version == "v2.0" and story.doc_id == IMPOSSIBLE[0]:
            entry["paragraphs"][0]["qas"].append({"id": "impossible-0", "question": IMPOSSIBLE[1], "answers": [],
                                                  "plausible_answers": [], "is_impossible": True})
        data.append(entry)
    path.write_text(json.dumps({"version": version, "data": data}), encoding="utf-8")
    return path


@pytest.fixture
def bench_cache(tmp_path, monkeypatch):
    """The benchmark's cache in a tmp dir, the fake encoder for its indexes."""
    monkeypatch.setattr(qd, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(qb, "WORK", tmp_path / "cache" / "quality")
    monkeypatch.setattr(qd, "FILES", {})
    monkeypatch.setattr(qb, "_ASSISTANTS", {})
    monkeypatch.setenv("QA_BACKEND", "fake")
    return tmp_path


def test_a_squad_file_is_read_as_a_set_of_its_own(bench_cache):
    name = qd.add_file(squad_file(bench_cache / "orlen_questions.json"))
    data = qd.load_set(name)
    assert name == "orlen_questions"
    assert len(data["articles"]) == len(corpora.STORIES)
    assert sorted(q["question"] for q in data["questions"]) == sorted(q for qs in QUESTIONS.values() for q, _ in qs)
    assert [q["question"] for q in data["impossible"]] == [IMPOSSIBLE[1]]
    for q in data["questions"]:  # the gold paragraph is the one the answer was written against
        article = next(a for a in data["articles"] if a["id"] == q["doc_id"])
        assert q["answers"][0] in article["text"][q["para"][0]:q["para"][1]]
        assert q["split"] == article["split"] == qd.split_of(article["id"])


def test_a_file_named_like_a_built_in_set_keeps_apart(bench_cache):
    assert qd.add_file(squad_file(bench_cache / "new_wiki.json", "v1.1")) == "file-new_wiki"
    assert "impossible" not in qd.load_set("file-new_wiki")


def test_two_files_of_one_name_are_two_sets(bench_cache):
    (bench_cache / "a").mkdir()
    (bench_cache / "b").mkdir()
    first = qd.add_file(squad_file(bench_cache / "a" / "orlen.json"))
    second = qd.add_file(squad_file(bench_cache / "b" / "orlen.json", "v1.1"))
    assert (first, second) == ("orlen", "orlen-2") and qd.add_file(bench_cache / "a" / "orlen.json") == "orlen"
    assert "impossible" in qd.load_set(first) and "impossible" not in qd.load_set(second)


def test_the_benchmark_scores_every_question_of_a_file(bench_cache):
    out = bench_cache / "out.json"
    assert qb.main(["--squad", str(squad_file(bench_cache / "orlen.json")), "--split", "all", "--max-questions", "0",
                    "--json", str(out)]) == 0
    (res,) = json.loads(out.read_text())["sets"]
    assert res["set"] == "orlen" and res["split"] == "all"
    assert res["questions"] == 4 and res["impossible_questions"] == 1
    systems = res["systems"]
    assert set(systems) == set(qb.SYSTEMS)
    assert systems["lexical"]["recall@5"] == 1.0  # each question names its story's rare words
    assert 0.0 <= systems["project"]["impossible_abstention"] <= 1.0
    assert 0.0 <= systems["project"]["split_abstention"] <= 1.0
    assert res["split_questions"] == len(qb.unanswerable("orlen", None))


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not JSON"),
    ('{"version": "1.1"}', "not a SQuAD-format file"),
    ('{"data": [{"title": "x", "paragraphs": [{"context": "Some text."}]}]}', "not a SQuAD-format file"),
    ('{"data": []}', "holds no article with a question"),
])
def test_a_file_that_is_not_squad_is_named_with_the_reason(bench_cache, capsys, content, reason):
    bad = bench_cache / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert qb.main(["--squad", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and reason in err and "Traceback" not in err
    assert not (bench_cache / "cache").exists()  # nothing cached, nothing indexed


def test_a_missing_file_is_named(bench_cache, capsys):
    assert qb.main(["--squad", str(bench_cache / "nowhere.json")]) == 2
    assert "nowhere.json: no such file" in capsys.readouterr().err
