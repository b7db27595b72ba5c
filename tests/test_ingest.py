"""Reading a corpus (qa.corpus.readers): metadata from each outlet's style, bad files that must not crash,
CSV/JSONL tables, CRLF offsets, sidecar metadata, dates completed from the rest of the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import corpora
from qa.config import Settings
from qa.corpus.chunk import chunk_article
from qa.corpus.readers import build_article, read_corpus, read_file, read_text_file

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


@pytest.fixture(scope="module")
def news_articles(news_corpus) -> dict:
    articles, warnings = read_corpus(news_corpus)
    assert warnings == []
    return {a.doc_id: a for a in articles}


# ---- what each outlet's style yields


def test_doc_ids_are_file_stems_and_row_ids(news_articles):
    assert sorted(news_articles) == corpora.DOC_IDS  # the sidecars are no articles of their own


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_title(news_articles, doc_id):
    assert news_articles[doc_id].title == corpora.BY_ID[doc_id].title


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_source(news_articles, doc_id):
    assert news_articles[doc_id].source == corpora.BY_ID[doc_id].source


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_date_and_how_it_was_found(news_articles, doc_id):
    story = corpora.BY_ID[doc_id]
    assert (news_articles[doc_id].date, news_articles[doc_id].date_method) == (story.date, story.date_method)


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_dateline_place(news_articles, doc_id):
    assert news_articles[doc_id].place == corpora.BY_ID[doc_id].place


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_text_is_the_source_exactly(news_articles, news_corpus, doc_id):
    """Offsets point into Article.text, so it must be the file (or the row's text) decoded, nothing normalised."""
    story = corpora.BY_ID[doc_id]
    assert news_articles[doc_id].text == story.text
    if not story.row:
        assert news_articles[doc_id].text == (news_corpus / story.file).read_bytes().decode("utf-8")


def test_url_comes_from_the_sidecar_or_the_row(news_articles):
    assert news_articles["bbc_orlen_fishermen"].url == corpora.BBC.sidecar["url"]
    assert news_articles["ap_orlen_talks"].url == corpora.AP_TALKS.row["url"]
    assert news_articles["tass_orlen_dam"].url == ""


def test_year_of_a_weekday_dateline_comes_from_the_other_articles(tmp_path):
    """"VELMORA, October 21 ... on Friday": the year is the nearest Friday-October-21 year to those the corpus states."""
    from dataclasses import replace

    no_year = replace(corpora.TASS, text=corpora.TASS.text.replace("in March 2016", "in March"))
    alone = corpora.write_corpus(tmp_path / "alone", [no_year])
    (art,), _ = read_corpus(alone)
    assert (art.date, art.date_method) == (None, "unknown")  # nothing to go by: no year is invented
    with_others = corpora.write_corpus(tmp_path / "with", [no_year, corpora.GUARDIAN])
    dates = {a.doc_id: (a.date, a.date_method) for a in read_corpus(with_others)[0]}
    assert dates["tass_orlen_dam"] == ("2016-10-21", "dateline+weekday")
    # with no other article, the years the article itself mentions are the reference
    (art,), _ = read_corpus(corpora.write_corpus(tmp_path / "own", [corpora.TASS]))
    assert (art.date, art.date_method) == ("2016-10-21", "dateline+weekday")


def test_title_from_metadata_wins_and_metadata_changes_the_hash():
    text = corpora.TASS.text
    plain = build_article("t", text)
    titled = build_article("t", text, meta={"title": "  Another title  "})
    assert plain.title == corpora.TASS.title and titled.title == "Another title"
    assert plain.content_hash != titled.content_hash
    assert build_article("t", text).content_hash == plain.content_hash


def test_title_falls_back_to_the_first_words_of_the_body():
    text = "Keldland will finish the Orlen dam by 2019 whatever its neighbour says, the prime minister of Keldland said on Tuesday."
    art = build_article("untitled", text)
    assert art.title == "Keldland will finish the Orlen dam by 2019 whatever its neighbour says, …"
    assert art.body == [(0, len(text))]


# ---- bad files next to good ones: none crash, all the stories remain


@pytest.fixture(scope="module")
def messy(tmp_path_factory, news_corpus):
    folder = tmp_path_factory.mktemp("messy")
    shutil.copytree(news_corpus, folder, dirs_exist_ok=True)
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n\t \n")
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    line = b"The minister said the talks in Geneva would continue next week, according to officials.\n\n"
    (folder / "huge.txt").write_bytes(line * (20_000_000 // len(line) + 1))  # 20 MB
    shutil.copyfile(news_corpus / "tass_orlen_dam.txt", folder / "zz_copy_of_tass.txt")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "headlines.txt").write_text("Orlen dam\nRead more\nAll news\n", encoding="utf-8")
    (folder / "README").write_text("How this folder was made.\n", encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "draft.txt").write_text(corpora.NEW_ARTICLE, encoding="utf-8")
    articles, warnings = read_corpus(folder)
    return {a.doc_id: a for a in articles}, warnings


def test_messy_folder_keeps_all_stories(messy):
    articles, _ = messy
    assert set(corpora.DOC_IDS) <= set(articles)
    for doc_id in corpora.DOC_IDS:
        assert articles[doc_id].text == corpora.BY_ID[doc_id].text


def test_messy_folder_yields_only_the_stories_and_latin1(messy):
    articles, _ = messy
    assert set(articles) == set(corpora.DOC_IDS) | {"latin1"}


def test_binary_file_skipped_with_warning(messy):
    articles, warnings = messy
    assert "binary" not in articles
    assert warned(warnings, "binary.txt", "binary")


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_file_skipped_with_warning(messy, name):
    articles, warnings = messy
    assert Path(name).stem not in articles
    assert warned(warnings, name, "empty")


def test_file_of_headlines_only_skipped_with_warning(messy):
    assert warned(messy[1], "headlines.txt", "no article text")


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


def test_duplicate_skipped(messy):
    articles, warnings = messy
    assert "zz_copy_of_tass" not in articles
    assert warned(warnings, "zz_copy_of_tass.txt", "duplicate", "tass_orlen_dam")


def test_unsupported_extension_skipped_with_warning(messy):
    articles, warnings = messy
    assert "scan" not in articles
    assert warned(warnings, "scan.pdf", "skipped")


def test_readme_and_hidden_files_are_skipped_quietly(messy):
    articles, warnings = messy
    assert "draft" not in articles and "README" not in articles
    assert not warned(warnings, "README") and not warned(warnings, "draft")


def test_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "nowhere")


def test_read_file_by_type(tmp_path):
    warnings: list[str] = []
    (tmp_path / "a.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    (arts,) = [read_file(tmp_path / "a.txt", warnings, 10**6)]
    assert [a.doc_id for a in arts] == ["a"]
    assert read_file(tmp_path / "b.pdf", warnings, 10**6) is None
    assert read_text_file(tmp_path / "missing.txt", warnings, 10**6) is None
    assert warned(warnings, "missing.txt", "unreadable")


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


def test_csv_column_names_are_case_insensitive_and_ids_made_safe(tmp_path):
    write_csv(tmp_path / "feed.csv", "ID,Headline,Published,Outlet,Link,Body",
              [["cnn/2017 03 07", "Storm Halvard", "March 7, 2017", "CNN", "https://edition.cnn.com/x", corpora.CNN.text]])
    (art,), _ = read_corpus(tmp_path)
    assert (art.doc_id, art.title, art.date, art.source, art.url) == ("cnn_2017_03_07", "Storm Halvard", "2017-03-07", "CNN", "https://edition.cnn.com/x")


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


def test_without_a_stated_source_the_site_of_the_url_is_the_source(tmp_path):
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "vp1", "url": "https://www.velmorapost.com/news/orlen-treaty",
                                                    "text": corpora.GUARDIAN.text.replace("First published in The Guardian", "")}) + "\n",
                                         encoding="utf-8")
    (tmp_path / "note.txt").write_text(corpora.CNN.text, encoding="utf-8")
    (tmp_path / "note.meta.json").write_text(json.dumps({"url": "https://www.velmorapost.com/storm"}), encoding="utf-8")
    sources = {a.doc_id: a.source for a in read_corpus(tmp_path)[0]}
    assert sources == {"vp1": "velmorapost.com", "note": "velmorapost.com"}


def test_table_without_source_takes_it_from_the_url(tmp_path):
    """README: the source is read from /TASS/, (Reuters), 'First published by …', or the site of a given URL."""
    write_csv(
        tmp_path / "news.csv",
        "id,title,date,source,url,text",
        [["u1", "Talks resume", "2016-05-01", "", "https://www.reuters.com/article/talks-resume", "The envoy said on Sunday that talks would resume next week."]],
    )
    (art,), _ = read_corpus(tmp_path)
    assert "reuters" in art.source.lower()


def test_rows_without_an_id_are_numbered_and_clashing_ids_kept_apart(tmp_path):
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"title": "One", "text": corpora.AP_TRAM.text}) + "\n" + json.dumps({"title": "Two", "text": corpora.AP_TALKS.text}) + "\n",
        encoding="utf-8")
    (tmp_path / "feed-1.txt").write_text(corpora.CNN.text, encoding="utf-8")
    ids = sorted(a.doc_id for a in read_corpus(tmp_path)[0])
    assert len(ids) == len(set(ids)) == 3
    assert "feed-2" in ids and "feed-1" in ids  # the .txt comes first (sorted by path) and keeps its stem


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


def test_utf8_bom_is_dropped(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeff".encode() + corpora.ZNA.text.encode("utf-8"))
    (art,), warnings = read_corpus(tmp_path)
    assert art.text == corpora.ZNA.text and warnings == []


def test_sidecar_sets_date_with_metadata_method(tmp_path):
    (tmp_path / "envoy.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "envoy.meta.json").write_text(json.dumps({"date": "2017-02-21", "source": "UN News"}), encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["envoy"]  # the sidecar is no article of its own
    art = articles[0]
    assert (art.date, art.date_method, art.source) == ("2017-02-21", "metadata", "UN News")
    assert warnings == []


def test_sidecar_date_beats_the_dateline(tmp_path):
    corpora.write_corpus(tmp_path, [corpora.TASS, corpora.GUARDIAN])
    (tmp_path / "tass_orlen_dam.meta.json").write_text('{"date": "2016-10-22"}', encoding="utf-8")
    dates = {a.doc_id: (a.date, a.date_method) for a in read_corpus(tmp_path)[0]}
    assert dates["tass_orlen_dam"] == ("2016-10-22", "metadata")


def test_broken_sidecar_is_ignored_with_warning(tmp_path):
    (tmp_path / "envoy.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "envoy.meta.json").write_text("{not json", encoding="utf-8")
    (art,), warnings = read_corpus(tmp_path)
    assert art.date_method != "metadata"
    assert warned(warnings, "envoy.meta.json", "ignored")
