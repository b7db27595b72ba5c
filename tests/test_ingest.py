"""Ingest: seed metadata, bad files that must not crash, CSV/JSONL tables, CRLF offsets, sidecar metadata."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa.corpus.chunk import chunk_article
from qa.config import Settings
from qa.corpus.readers import read_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))

# doc_id: (title, source, dateline place)
SEED_META = {
    "000_3ba5d7d03a34b568": ("Moscow to take steps if Islamic State moves from Mosul to Syria — Lavrov", "TASS", ""),
    "001_c650b099b3b6e936": ("Russian Aerospace Forces, Syrian army and opposition ready to fight IS together — Lavrov", "TASS", "Moscow"),
    "002_2faade04ba6bd5e4": ("Terrorists in Syria must be obliterated, none should be allowed to escape — Lavrov", "TASS", "Moscow"),
    "003_238ccbb7fe04cffb": ("Russia alarmed by Jabhat al-Nusra’s refusal to leave Aleppo — Lavrov", "TASS", "Moscow"),
    "004_5c9cc7032a8f1c3d": ("Lavrov hopes US will keep promise on separating Syrian opposition, terrorists", "TASS", "Athens"),
}

LATIN1_TEXT = (
    "Café owners in Paris react to the talks\n\n"
    "PARIS, March 3. /AFP/. The minister met reporters at a café near the Élysée on Friday and said the talks would resume.\n\n"
    "Señor Muñoz, who runs the café, said the mood was très calme and that the façade had been repainted.\n"
)

NEW_ARTICLE = (
    "Envoy says Geneva talks will resume in March\n\n"
    "GENEVA, February 20. /TASS/. The UN special envoy said on Monday that the next round of Geneva talks would open in March.\n\n"
    "\"We expect all delegations to attend,\" the envoy told reporters after meeting the guarantor countries.\n"
)


def warned(warnings: list[str], *words: str) -> bool:
    return any(all(w.lower() in m.lower() for w in words) for m in warnings)


# ---- the seeds


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_title(seed_articles, doc_id):
    assert seed_articles[doc_id].title == SEED_META[doc_id][0]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_source(seed_articles, doc_id):
    assert seed_articles[doc_id].source == SEED_META[doc_id][1]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_place(seed_articles, doc_id):
    assert seed_articles[doc_id].place == SEED_META[doc_id][2]


def test_seed_ids_are_file_stems(seed_articles):
    assert sorted(seed_articles) == SEED_IDS == sorted(SEED_META)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_text_is_the_file_exactly(seed_articles, doc_id):
    """Offsets point into Article.text, so it must be the file's bytes decoded, nothing normalised."""
    assert seed_articles[doc_id].text == (SEEDS / f"{doc_id}.txt").read_bytes().decode("utf-8")


def test_seeds_read_without_warnings():
    _, warnings = read_corpus(SEEDS)
    assert warnings == []


# ---- bad files next to the seeds: none crash, all five seeds remain


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("messy")
    shutil.copytree(SEEDS, folder, dirs_exist_ok=True)
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n\t \n")
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    line = b"The minister said the talks in Geneva would continue next week, according to officials.\n\n"
    (folder / "huge.txt").write_bytes(line * (20_000_000 // len(line) + 1))  # 20 MB
    shutil.copyfile(SEEDS / "003_238ccbb7fe04cffb.txt", folder / "zz_copy_of_003.txt")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    articles, warnings = read_corpus(folder)
    return {a.doc_id: a for a in articles}, warnings


def test_messy_folder_keeps_all_seeds(messy):
    articles, _ = messy
    assert set(SEED_IDS) <= set(articles)
    for doc_id in SEED_IDS:
        assert articles[doc_id].text == (SEEDS / f"{doc_id}.txt").read_bytes().decode("utf-8")


def test_messy_folder_yields_only_seeds_and_latin1(messy):
    articles, _ = messy
    assert set(articles) == set(SEED_IDS) | {"latin1"}


def test_binary_file_skipped_with_warning(messy):
    articles, warnings = messy
    assert "binary" not in articles
    assert warned(warnings, "binary.txt", "binary")


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_file_skipped_with_warning(messy, name):
    articles, warnings = messy
    assert Path(name).stem not in articles
    assert warned(warnings, name, "empty")


def test_latin1_file_decoded_with_warning(messy):
    articles, warnings = messy
    assert "café" in articles["latin1"].text
    assert warned(warnings, "latin1.txt", "not UTF-8")


def test_latin1_text_decoded_correctly(messy):
    """Every accented letter survives, not just é: 'Muñoz' must not become 'Muńoz', 'très' not 'trčs'."""
    articles, _ = messy
    assert articles["latin1"].text == LATIN1_TEXT


def test_latin1_chunks_are_verbatim(messy):
    art = messy[0]["latin1"]
    chunks = chunk_article(art)
    assert chunks and any("café near the Élysée" in c.text for c in chunks)
    assert all(art.text[c.start : c.end] == c.text for c in chunks)


def test_oversize_file_skipped_with_size_warning(messy):
    articles, warnings = messy
    assert "huge" not in articles
    assert warned(warnings, "huge.txt", "20.0 MB")


def test_default_settings_skip_a_20mb_file(tmp_path, monkeypatch):
    """What `qa`, the UI and `Assistant` use: Settings().max_file_mb (README: default 5 MB)."""
    monkeypatch.delenv("QA_MAX_FILE_MB", raising=False)
    line = b"The minister said the talks in Geneva would continue next week, according to officials.\n\n"
    (tmp_path / "huge.txt").write_bytes(line * (20_000_000 // len(line) + 1))
    articles, warnings = read_corpus(tmp_path, Settings().max_file_mb)
    assert [a.doc_id for a in articles] == []
    assert warned(warnings, "huge.txt", "MB")


def test_duplicate_of_seed_skipped(messy):
    articles, warnings = messy
    assert "zz_copy_of_003" not in articles
    assert warned(warnings, "zz_copy_of_003.txt", "duplicate", "003_238ccbb7fe04cffb")


def test_unsupported_extension_skipped_with_warning(messy):
    articles, warnings = messy
    assert "scan" not in articles
    assert warned(warnings, "scan.pdf", "skipped")


def test_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "nowhere")


# ---- CSV and JSONL tables


def write_csv(path: Path, header: str, rows: list[list[str]]) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header.split(","))
        w.writerows(rows)


def test_csv_columns(tmp_path):
    write_csv(
        tmp_path / "news.csv",
        "id,title,date,source,url,text",
        [["r1", "Talks resume in Geneva", "2016-05-01", "Reuters", "https://example.com/r1", "The envoy said on Sunday, after long delays, that talks would resume."]],
    )
    (art,), warnings = read_corpus(tmp_path)
    assert warnings == []
    assert (art.doc_id, art.title, art.date, art.date_method) == ("r1", "Talks resume in Geneva", "2016-05-01", "metadata")
    assert (art.source, art.url) == ("Reuters", "https://example.com/r1")
    assert art.text == "The envoy said on Sunday, after long delays, that talks would resume."


def test_csv_publish_date_alias(tmp_path):
    write_csv(
        tmp_path / "news.csv",
        "id,title,publish_date,source,url,text",
        [["r2", "Ceasefire holds", "2016-12-30", "AP", "", "A ceasefire brokered by Russia and Turkey held on Friday across most of Syria."]],
    )
    (art,), _ = read_corpus(tmp_path)
    assert (art.date, art.date_method) == ("2016-12-30", "metadata")


def test_csv_multiline_text_keeps_paragraphs_and_offsets(tmp_path):
    text = "First paragraph of the article, with a comma and a \"quote\".\n\nSecond paragraph, which says something else entirely."
    write_csv(tmp_path / "news.csv", "id,title,date,source,url,text", [["m1", "Two paragraphs", "2017-02-01", "AFP", "", text]])
    (art,), _ = read_corpus(tmp_path)
    assert art.text == text
    chunks = chunk_article(art)
    assert [c.text for c in chunks] == text.split("\n\n")
    assert all(art.text[c.start : c.end] == c.text for c in chunks)


def test_csv_row_without_text_is_skipped_with_warning(tmp_path):
    write_csv(
        tmp_path / "news.csv",
        "id,title,date,source,url,text",
        [["e1", "No body", "2017-02-01", "AFP", "", ""], ["ok", "Body", "2017-02-02", "AFP", "", "This row has a real body of text in it."]],
    )
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["ok"]
    assert warned(warnings, "news.csv", "row 1", "no text")


def test_jsonl_rows_and_a_bad_line(tmp_path):
    lines = [
        json.dumps({"id": "j1", "title": "Envoy visits Damascus", "date": "2016-06-01", "source": "AP", "url": "https://example.com/j1",
                    "text": "The UN envoy arrived in Damascus on Wednesday for talks with the government."}),
        '{"id": "broken", "title": "cut off here',
        json.dumps({"id": "j2", "title": "Talks stall", "publish_date": "2016-06-02", "source": "AP", "url": "",
                    "text": "The talks stalled on Thursday after the opposition walked out, officials said."}),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    by_id = {a.doc_id: a for a in articles}
    assert sorted(by_id) == ["j1", "j2"]
    assert (by_id["j1"].title, by_id["j1"].date, by_id["j1"].source, by_id["j1"].url) == (
        "Envoy visits Damascus", "2016-06-01", "AP", "https://example.com/j1")
    assert (by_id["j2"].date, by_id["j2"].date_method) == ("2016-06-02", "metadata")
    assert warned(warnings, "feed.jsonl:2", "bad JSON")
    assert warned(warnings, "feed.jsonl:4", "not a JSON object")


def test_table_without_source_takes_it_from_the_url(tmp_path):
    """README: the source is read from /TASS/, (Reuters), 'First published by …', or the site of a given URL."""
    write_csv(
        tmp_path / "news.csv",
        "id,title,date,source,url,text",
        [["u1", "Talks resume", "2016-05-01", "", "https://www.reuters.com/article/talks-resume", "The envoy said on Sunday that talks would resume next week."]],
    )
    (art,), _ = read_corpus(tmp_path)
    assert "reuters" in art.source.lower()


# ---- CRLF files and sidecar metadata


def test_crlf_file_offsets_exact(tmp_path):
    raw = (
        "Talks in Geneva resume\r\n\r\n"
        "GENEVA, March 14. /TASS/. The envoy said talks would resume on Tuesday. He added that all parties were invited.\r\n\r\n"
        "The next round is planned for April, officials said on condition of anonymity.\r\n"
    ).encode("utf-8")
    (tmp_path / "crlf.txt").write_bytes(raw)
    (art,), _ = read_corpus(tmp_path)
    source = raw.decode("utf-8")
    assert art.text == source  # no newline translation: offsets are into the file as stored
    chunks = chunk_article(art)
    assert [c.text for c in chunks] == [
        "The envoy said talks would resume on Tuesday. He added that all parties were invited.",
        "The next round is planned for April, officials said on condition of anonymity.",
    ]
    for c in chunks:
        assert source[c.start : c.end] == c.text
        assert all("\r" not in source[s:e] and "\n" not in source[s:e] for s, e in c.sentences)
    for s, e in art.body:
        assert source[s:e] == source[s:e].strip()


def test_sidecar_sets_date_with_metadata_method(tmp_path):
    (tmp_path / "envoy.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "envoy.meta.json").write_text(json.dumps({"date": "2017-02-21", "source": "UN News"}), encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["envoy"]  # the sidecar is no article of its own
    art = articles[0]
    assert (art.date, art.date_method, art.source) == ("2017-02-21", "metadata", "UN News")
    assert warnings == []


def test_sidecar_date_beats_the_dateline(tmp_path):
    shutil.copyfile(SEEDS / "003_238ccbb7fe04cffb.txt", tmp_path / "003_238ccbb7fe04cffb.txt")
    (tmp_path / "003_238ccbb7fe04cffb.meta.json").write_text('{"date": "2016-10-22"}', encoding="utf-8")
    (art,), _ = read_corpus(tmp_path)
    assert (art.date, art.date_method) == ("2016-10-22", "metadata")


def test_broken_sidecar_is_ignored_with_warning(tmp_path):
    (tmp_path / "envoy.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "envoy.meta.json").write_text("{not json", encoding="utf-8")
    (art,), warnings = read_corpus(tmp_path)
    assert art.date_method != "metadata"
    assert warned(warnings, "envoy.meta.json", "ignored")
