"""Chunks (qa.corpus.chunk): sentence-aware, within one paragraph, every offset exact into the source text.

The checks are plain functions so that tests/test_chunk_seeds.py runs them on the seed articles too.
"""

from __future__ import annotations

import re

import pytest

import corpora
from qa.corpus.chunk import chunk_article, sentence_spans
from qa.corpus.readers import build_article

# "MOSCOW, October 21." / "KELDMOUTH, Nov 15 (Reuters) -" at the start of a sentence
DATELINE_START = re.compile(r"^[A-Z][A-Z .'\-]+,\s+[A-Z][a-z]+\.?\s+\d{1,2}\b")


def check_spans_exact(art, chunks) -> None:
    for c in chunks:
        assert c.doc_id == art.doc_id
        assert art.text[c.start : c.end] == c.text


def check_sentences_inside_their_chunk(art, chunks) -> None:
    for c in chunks:
        assert c.sentences
        assert c.sentences[0][0] == c.start and c.sentences[-1][1] == c.end
        for s, e in c.sentences:
            sentence = art.text[s:e]
            assert c.start <= s < e <= c.end
            assert sentence == sentence.strip() and sentence in c.text
            assert c.sentence_text((s, e)) == sentence


def check_sentences_in_order(chunks) -> None:
    spans = [span for c in chunks for span in c.sentences]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def check_within_one_paragraph(art, chunks) -> None:
    for c in chunks:
        assert "\n\n" not in c.text
        assert sum(s <= c.start and c.end <= e for s, e in art.body) == 1, c.text[:60]


def check_no_dateline_sentence(art, chunks) -> None:
    for c in chunks:
        for s, e in c.sentences:
            assert not DATELINE_START.match(art.text[s:e]), art.text[s:e][:60]
            assert art.text[s:e] not in ("/TASS/.", "/TASS/", "(Reuters) -")


def check_paragraphs_covered(art, chunks) -> None:
    """Within a paragraph, the chunks cover everything but a leading dateline; only white space between them."""
    for ps, pe in art.body:
        inside = [c for c in chunks if ps <= c.start and c.end <= pe]
        assert inside, art.text[ps:pe][:60]
        skipped = art.text[ps : inside[0].start]
        assert skipped == "" or DATELINE_START.match(skipped), skipped
        assert inside[-1].end == pe
        assert all(art.text[a.end : b.start].strip() == "" for a, b in zip(inside, inside[1:]))


CHECKS = [check_spans_exact, check_sentences_inside_their_chunk, check_within_one_paragraph, check_no_dateline_sentence,
          check_paragraphs_covered]


@pytest.fixture(scope="module")
def chunked() -> dict:
    out = {}
    for s in corpora.STORIES:
        art = build_article(s.doc_id, s.text)
        out[s.doc_id] = (art, chunk_article(art))
    return out


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_chunk_invariants(chunked, doc_id, check):
    check(*chunked[doc_id])


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_sentences_are_in_order_and_ordinals_count_up(chunked, doc_id):
    _, chunks = chunked[doc_id]
    check_sentences_in_order(chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


@pytest.mark.parametrize(
    ("doc_id", "dateline", "first_sentence"),
    [
        ("tass_orlen_dam", "VELMORA, October 21. /TASS/.", "Zarnovia will never accept the dam"),
        ("reuters_orlen_court", "KELDMOUTH, Nov 15 (Reuters) -", "Keldland will finish the Orlen dam by 2019"),
        ("zna_salmon_count", "ORLEN FALLS, March 20. /ZNA/.", "The first joint count of salmon"),
    ],
)
def test_dateline_is_left_out_of_the_first_sentence(chunked, doc_id, dateline, first_sentence):
    art, chunks = chunked[doc_id]
    first = [art.text[s:e] for c in chunks for s, e in c.sentences]
    assert not any(dateline in s for s in first)
    assert any(s.startswith(first_sentence) for s in first)


@pytest.mark.parametrize("dateline", ["VELMORA /Zarnovia/, February 17. /TASS/.", "ORLEN FALLS /Keldland/, March 2. /TASS/."])
def test_a_dateline_with_its_country_in_slashes_is_no_sentence(dateline):
    """TASS writes the country after the place: "ALEPPO /Syria/, February 17. /TASS/." That is where and when, not a
    sentence to quote; the article's place is the town."""
    art = build_article("tass_style", f"Field hospital opens\n\n{dateline} A field hospital opened in the city on Friday, "
                        "its head told reporters. It treats two hundred people a day.\n")
    sentences = [art.text[s:e] for c in chunk_article(art) for s, e in c.sentences]
    assert sentences[0].startswith("A field hospital opened") and not any("/TASS/" in s for s in sentences)
    assert art.place == dateline.split(" /")[0].title()


def test_long_paragraph_packs_sentences_up_to_max_words():
    sentence = "The envoy said the delegations would meet again next week in Geneva to discuss the ceasefire."  # 16 words
    para = " ".join([sentence] * 12)
    art = build_article("long", f"Envoy on talks\n\n{para}\n")
    chunks = chunk_article(art, max_words=40)
    assert len(chunks) > 1
    for c in chunks:
        assert len(c.text.split()) <= 40 or len(c.sentences) == 1
        assert art.text[c.start : c.end] == c.text
    assert " ".join(c.text for c in chunks) == para


def test_a_long_quotation_is_split_where_a_sentence_plainly_ends():
    quote = ('"The dam will be finished on schedule. The turbines will supply 400,000 homes. The river rises in our mountains. '
             'We will not stop for anyone. Our engineers have checked every figure twice, and the banks have checked them again. '
             'Nobody downstream will lose a single litre of water in the winter months," Brenner said.')  # one pysbd sentence of 54 words
    spans = sentence_spans(quote, 0, len(quote))
    assert len(spans) >= 2
    assert all(len(quote[s:e].split()) <= 45 for s, e in spans)
    assert "".join(quote[s:e] for s, e in spans).replace(" ", "") == quote.replace(" ", "")


def test_sentence_spans_on_quotes_and_abbreviations():
    text = 'He said: "We will continue." The U.S. envoy, Mr. Kerry, agreed. Talks end on Oct. 19 in Geneva.'
    spans = sentence_spans(text, 0, len(text))
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
    assert any(text[s:e] == "The U.S. envoy, Mr. Kerry, agreed." for s, e in spans)


def test_a_closing_quotation_mark_stays_with_the_sentence_it_closes():
    # a paragraph that opens inside a quotation leads pysbd to start the next sentence with the closing mark
    text = ('We must never give up on this," the mayor said. "We have built this harbour over two centuries." '
            "The mayor's term has been marked by controversy over the bridge.")
    sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert sentences[-1] == "The mayor's term has been marked by controversy over the bridge."
    assert sentences[-2].endswith('two centuries."')
    opening = 'Residents said: " We will not leave." The council met on Monday.'  # a mark that opens stays where it is
    assert [opening[s:e] for s, e in sentence_spans(opening, 0, len(opening))][-1] == "The council met on Monday."


def test_a_sentence_after_a_list_dash_or_a_rule_starts_at_its_first_word():
    text = 'The lorry stopped at the market. -He drove on for a mile. ---- The police arrived. - "We will act," she said. -5 degrees is cold.'
    sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert sentences == ["The lorry stopped at the market.", "He drove on for a mile.", "The police arrived.",
                         '"We will act," she said.', "-5 degrees is cold."]


def test_a_sentence_that_runs_on_after_a_feeds_dash_is_two_sentences():  # a paragraph break the feed made a dash
    text = ('Varga said the talks went "very well."- Brenn is the third mayor she has met. He died at the age of 87.- '
            'According to his son, he died at home. The Keldport-Zarnovia road and the U.S.-Mexico border are long. '
            'The council will vote later this week.-')
    sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert sentences == ['Varga said the talks went "very well."', "Brenn is the third mayor she has met.",
                         "He died at the age of 87.", "According to his son, he died at home.",
                         "The Keldport-Zarnovia road and the U.S.-Mexico border are long.",
                         "The council will vote later this week."]


def test_a_full_stop_after_a_closing_mark_ends_a_sentence():
    """pysbd, in text that starts inside a quotation, runs '… "devalues this great office". But …' into one sentence."""
    text = ('be". He said Mr Brenn had opened himself up to accusations of hypocrisy after allowing other controversial '
            "leaders, like the Zarnovian president, to speak, and urged him to explain his thinking to MPs. Meanwhile, Tomas "
            "Kell, a Congressman for Mr Varga's republican Party, told the KTV's Nightly programme Mr Brenn's interjection had "
            'been "very disappointing". "If ever in recent years there\'s been a more pro-Keldish president of the Zarnovian '
            'Republic, it\'s Ilse Varga," he said. Former Civic leader Anna Roe said Mr Brenn had "abused his position" and '
            'that to have expressed his opinions in the way he did "devalues this great office". But Labour leader Piet '
            "Dorn, who has called for the state visit to be postponed, welcomed the intervention, while Liberal Democrat "
            'leader Lena Holt said Mr Varga was "not welcome". A petition was signed.')
    sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert sentences[-3].startswith("Former Civic leader Anna Roe") and sentences[-3].endswith('"devalues this great office".')
    assert sentences[-2].startswith("But Labour leader Piet Dorn") and sentences[-2].endswith('"not welcome".')
    assert '"If ever in recent years there\'s been a more pro-Keldish president of the Zarnovian Republic, it\'s Ilse Varga," he said.' in sentences


def test_smaller_chunks_with_a_smaller_budget(chunked):
    art, default = chunked["guardian_orlen_treaty"]
    small = chunk_article(art, max_words=15)
    assert len(small) > len(default)
    assert [s for c in small for s in c.sentences] == [s for c in default for s in c.sentences]


@pytest.mark.parametrize("text, sentences", [
    # a feed's '"?' for a curly mark (’, ”, —) ends no sentence, unless a full stop comes before it
    ('DeVos drew opposition from teachers"? unions and all 48 Senate Democrats. It went on.',
     ['DeVos drew opposition from teachers"? unions and all 48 Senate Democrats.', "It went on."]),
    ('"We are proud of it,"?Varga said. Then she left.', ['"We are proud of it,"?Varga said.', "Then she left."]),
    ('They met in rooms called "secure facilities"?(SCIFs). "Holy moly," Brenn said.',
     ['They met in rooms called "secure facilities"?(SCIFs).', '"Holy moly," Brenn said.']),
    ('He said "we go today."? Then he left.', ['He said "we go today."?', "Then he left."]),
    # a title before a name, a party tag before a comma, a "?" for a letter the feed could not write
    ('"It is hard to imagine,"?Sen. Ilse Varga, D-Keld., said before the vote. Next.',
     ['"It is hard to imagine,"?Sen. Ilse Varga, D-Keld., said before the vote.', "Next."]),
    ("The author, Ona Sabaliauskait?, grew up in Vilnius. Yes.", ["The author, Ona Sabaliauskait?, grew up in Vilnius.", "Yes."]),
    ("Why? Because it rained.", ["Why?", "Because it rained."]),
])
def test_a_sentence_the_segmenter_ends_where_it_goes_on_is_one(text, sentences):
    assert [text[s:e] for s, e in sentence_spans(text, 0, len(text))] == sentences
