"""bench/small_corpora.py: small corpora cut from a labelled set keep every question's paragraph and answer where
they were, and the questions that must abstain find their answers nowhere in the corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import corpora
from test_quality_files import bench_cache, squad_file  # noqa: F401  (the fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import quality_data as qd  # noqa: E402
import small_corpora as sc  # noqa: E402


def test_windows_of_paragraphs_keep_each_question_on_its_paragraph(bench_cache):  # noqa: F811
    name = qd.add_file(squad_file(bench_cache / "orlen.json"))
    made = sc.corpora(name, "all", 12)
    assert len(made) == 12 and any(pos for _, pos, _ in made) and any(neg for _, _, neg in made)
    originals = {a["id"]: a for a in qd.load_set(name)["articles"]}
    gold = {q["id"]: q["para"] for q in qd.load_set(name)["questions"]}
    for arts, pos, neg in made:
        assert 1 <= len(arts) <= len(corpora.STORIES)
        by_id = {a["id"]: a for a in arts}
        for a in arts:  # each article is a run of its paragraphs, in order, nothing rewritten
            assert a["text"] in originals[a["id"]]["text"]
        for q in pos:
            paragraph = by_id[q["doc_id"]]["text"][q["para"][0]:q["para"][1]]
            start, end = gold[q["id"]]
            assert paragraph == originals[q["doc_id"]]["text"][start:end] and q["answers"][0] in paragraph
        text = " \n ".join(qd.norm(a["text"]) for a in arts)
        assert all(not any(qd.norm(x) in text for x in q["answers"]) for q in neg)
