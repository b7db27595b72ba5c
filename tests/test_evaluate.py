"""`qa eval`'s scoring (qa.evaluate): hit@k and MRR per retrieval mode, abstention and answer accuracy, verbatim share."""

from __future__ import annotations

import json

import pytest

import corpora
from qa.evaluate import evaluate, load_set

BOATS = corpora.QUESTIONS[0]


def test_load_set_skips_blank_lines(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("\n" + "\n\n".join(json.dumps(r) for r in corpora.QUESTIONS) + "\n\n", encoding="utf-8")
    assert load_set(path) == corpora.QUESTIONS


@pytest.fixture(scope="module")
def report(news):
    return evaluate(news, corpora.QUESTIONS, k=5)


def test_report_counts_and_metrics(report):
    assert (report.questions, report.answerable) == (6, 4)
    expected = {f"{m}_{x}" for m in ("hybrid", "dense", "lexical") for x in ("hit@1", "hit@5", "mrr@10")}
    assert set(report.metrics) == expected | {"abstention_accuracy", "answer_accuracy", "verbatim_share"}
    assert all(0.0 <= v <= 1.0 for v in report.metrics.values())
    for mode in ("hybrid", "dense", "lexical"):
        assert report.metrics[f"{mode}_hit@1"] <= report.metrics[f"{mode}_mrr@10"] <= report.metrics[f"{mode}_hit@5"]


def test_every_quote_is_verbatim_and_the_labelled_set_is_answered(report):
    assert report.metrics["verbatim_share"] == 1.0
    assert report.metrics["abstention_accuracy"] == report.metrics["answer_accuracy"] == 1.0
    assert report.failures == []


def test_wrong_labels_are_failures(news):
    items = [
        {**BOATS, "answerable": False},  # answered although labelled unanswerable
        {**BOATS, "docs": ["cnn_storm_halvard"], "phrases": ["60,000 homes"]},  # answered from another article
        {"question": "Who won the 2018 FIFA World Cup final?", "answerable": True, "docs": ["tass_orlen_dam"]},  # abstained
    ]
    rep = evaluate(news, items, k=3, modes=("lexical",))
    assert set(rep.metrics) == {"lexical_hit@1", "lexical_hit@3", "lexical_mrr@10", "abstention_accuracy", "answer_accuracy", "verbatim_share"}
    assert rep.failures == [
        f"answered: {BOATS['question']}",
        f"cited no answer-bearing passage: {BOATS['question']}",
        "abstained on: Who won the 2018 FIFA World Cup final?",
    ]
    assert rep.metrics["abstention_accuracy"] == pytest.approx(1 / 3)
    assert rep.metrics["answer_accuracy"] == 0.0


def test_a_hit_needs_the_phrase_when_the_row_gives_one(news):
    right_doc_wrong_phrase = {**BOATS, "phrases": ["a phrase that is nowhere"]}
    no_phrase = {k: v for k, v in BOATS.items() if k != "phrases"}
    assert evaluate(news, [right_doc_wrong_phrase], modes=("hybrid",)).metrics["hybrid_hit@5"] == 0.0
    assert evaluate(news, [no_phrase], modes=("hybrid",)).metrics["hybrid_hit@1"] == 1.0


def test_an_empty_set(news):
    rep = evaluate(news, [], modes=("dense",))
    assert (rep.questions, rep.answerable, rep.failures) == (0, 0, [])
    assert rep.metrics["verbatim_share"] == 1.0 and rep.metrics["dense_mrr@10"] == 0.0


@pytest.mark.parametrize(("content", "reason"), [
    ('{"question": "Who?", "answerable": true, "docs": ["a"]}\n{not json\n', "line 2: not JSON"),
    ('{"answerable": false}\n', 'line 1: no "question"'),
    ('{"question": "Who?", "answerable": "yes", "docs": ["a"]}\n', 'line 1: "answerable" must be true or false'),
    ('{"question": "Who?", "answerable": true}\n', 'line 1: an answerable question needs "docs"'),
    ('\n\n', "no questions"),
    ('{"version": "1.1", "data": [{"title": "x", "paragraphs": []}]}\n', "a SQuAD-format file, not qa eval's JSONL"),
    ('{\n  "version": "1.1",\n  "data": []\n}\n', "bench/quality.py --squad"),
])
def test_a_bad_set_is_named_with_its_line_and_reason(tmp_path, qa_cli, content, reason):
    """Checked before the index is opened: the message names the file, the line and what is wrong, no traceback."""
    path = tmp_path / "set.jsonl"
    path.write_text(content, encoding="utf-8")
    result = qa_cli("eval", "--corpus", tmp_path / "no-corpus", "--index", tmp_path / "no-index", "--set", path)
    assert result.exit_code != 0 and str(path) in result.output and reason in result.output
    assert "Traceback" not in result.output and not (tmp_path / "no-index").exists()
