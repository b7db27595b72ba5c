"""The extractive answerer on the news corpus (fake encoder): cited, speaker-aware, whole quotations, honest periods."""

from __future__ import annotations

import pytest

from corpora import QUESTIONS
from qa.text.quotes import balanced
from qa.text.speakers import same_speaker


def verbatim(assistant, answer) -> bool:
    for c in [*answer.citations, *answer.outside_period]:
        if assistant.article(c.doc_id)["text"][c.start : c.end] != c.text:
            return False
    return all(assistant.article(s["doc_id"])["text"][s["start"] : s["end"]] == s["text"] for s in answer.sentences)


@pytest.mark.parametrize("row", [r for r in QUESTIONS if r["answerable"]], ids=lambda r: r["question"][:40])
def test_answerable_questions_cite_the_answer_first(news, row):
    ans = news.ask(row["question"])
    assert not ans.abstained
    assert ans.citations[0].doc_id in row["docs"]
    assert any(p in c.text for c in ans.citations[:3] for p in row["phrases"])
    assert verbatim(news, ans)


@pytest.mark.parametrize("row", [r for r in QUESTIONS if not r["answerable"]], ids=lambda r: r["question"][:40])
def test_out_of_corpus_questions_abstain(news, row):
    ans = news.ask(row["question"])
    assert ans.abstained and ans.citations == [] and ans.sentences == []


def test_what_x_said_quotes_x(news):
    ans = news.ask("What did Varga say about the dam?")
    assert not ans.abstained
    chunks = news.index.store.chunks([h for h in news.index.store.all_chunk_ids()])
    for s in ans.sentences:
        owners = [c for c in chunks.values() if c.doc_id == s["doc_id"] and c.start <= s["start"] and s["end"] <= c.end]
        said = [w for c in owners for (a, b), w in zip(c.sentences, c.speakers) if s["start"] <= a and b <= s["end"]]
        assert said and all(same_speaker(w, "Varga") for w in said)


def speakers_of(assistant, sentence: dict) -> list:
    """Who the index says speaks each of the stored sentences an answer's sentence spans (None: nobody named)."""
    chunks = assistant.index.store.chunks(assistant.index.store.all_chunk_ids())
    owners = [c for c in chunks.values() if c.doc_id == sentence["doc_id"] and c.start <= sentence["start"] and sentence["end"] <= c.end]
    return [w for c in owners for (a, b), w in zip(c.sentences, list(c.speakers) + [None] * len(c.sentences))
            if sentence["start"] <= a and b <= sentence["end"]]


def test_someone_never_named_gets_an_abstention_that_says_so(news):
    ans = news.ask("What did Obama say about the Orlen dam?")
    assert ans.abstained and ans.citations == [] and any("do not quote Obama" in n for n in ans.notes)


def test_someone_quoted_on_other_things_but_not_on_this_gets_an_abstention_that_says_so(news):
    ans = news.ask("What did Varga say about the Olympic football final?")  # nothing in the articles answers it
    assert ans.abstained and ans.citations == [] and "The articles do not quote Varga on this." in ans.notes


def test_someone_named_but_never_quoted_is_reported_on_never_quoted(news):
    """Zarnovia is named, not quoted: the answer says so and cites what the articles report of it, never its
    minister's words as the country's."""
    ans = news.ask("What did Zarnovia say about the Orlen dam?")
    assert not ans.abstained and any("do not quote Zarnovia on this" in n for n in ans.notes)
    for s in ans.sentences:
        assert all(w is None for w in speakers_of(news, s)), s["text"]
        passage = next(c for c in ans.citations if c.doc_id == s["doc_id"] and c.start <= s["start"] and s["end"] <= c.end)
        assert "Zarnovia" in passage.text[: s["end"] - passage.start] and "dam" in s["text"]
    assert verbatim(news, ans)


def test_quotations_are_quoted_whole(news):
    for q in ("What did Varga say about the dam?", "What did Brenner say about the turbines?", "What did the mediator say?"):
        ans = news.ask(q)
        assert all(balanced(s["text"]) for s in ans.sentences), ans.sentences


def test_several_articles_are_cited_best_first_then_by_date(news):
    ans = news.ask("What is the dispute over the Orlen dam about?")
    assert len({c.doc_id for c in ans.citations}) >= 2
    later = [c.date or "9999" for c in ans.citations[1:]]
    assert later == sorted(later)
    assert ans.citations[0].score == max(c.score for c in ans.citations)


def test_nothing_outside_the_period_is_cited(news):
    ans = news.ask("What did Varga say about the dam in May 2015?")
    assert ans.abstained and ans.citations == []
    assert ans.period.since == "2015-05-01" and ans.period.until == "2015-05-31"
    assert ans.notes[0].startswith("No article from May 2015 answers this")
    assert ans.outside_period and all(not ("2015-05-01" <= (c.date or "") <= "2015-05-31") for c in ans.outside_period)
    assert verbatim(news, ans)


def test_a_period_in_the_question_restricts_the_citations(news):
    ans = news.ask("What did Varga say about the dam in October 2016?")
    assert not ans.abstained and all("2016-10-01" <= c.date <= "2016-10-31" for c in ans.citations)


def test_the_period_is_data_in_json(news):
    d = news.ask("What did Varga say about the dam between October and December 2016?").to_dict()
    assert d["period"] == {"since": "2016-10-01", "until": "2016-12-31", "text": "between October and December 2016",
                           "label": d["period"]["label"]}


def test_a_passage_is_not_cited_for_x_by_a_sentence_someone_else_says(news, monkeypatch):
    """Varga says every sentence of a passage but one; picked by that one, the passage is skipped, never shown as hers."""
    import dataclasses

    store, chunks_of = news.answerer.store, news.answerer.store.chunks
    pick: dict[int, int] = {}

    def all_but_one(ids):
        out = {}
        for cid, c in chunks_of(ids).items():
            k = next((k for k, s in enumerate(c.sentences) if "Varga" not in c.sentence_text(s)), None)
            out[cid] = dataclasses.replace(c, speakers=[None if j == k else "Varga" for j in range(len(c.sentences))])
            if k is not None:
                pick[cid] = k
        return out

    monkeypatch.setattr(store, "chunks", all_but_one)
    monkeypatch.setattr(news.answerer, "quote", lambda query, chunk, cosines: (pick[chunk.id],) * 2)
    query = news.query("What did Varga say about the dam?")
    qvec, hits = news.retrieve(query, k=20)
    all_but_one([h.chunk_id for h in hits])
    mixed = [h for h in hits if h.chunk_id in pick]  # passages with a sentence that is not hers
    assert mixed, "no such passage: the test would prove nothing"
    ans = news.answerer.compose(query, qvec, mixed)
    assert ans.abstained and ans.citations == [] and any("do not quote Varga" in n for n in ans.notes)


def test_a_full_name_the_articles_never_write_abstains_and_says_so(news):
    """The rest matches well (Varga, the Orlen dam), but no article names Oskar Thornquist: not Varga's words to others."""
    ans = news.ask("What did Varga tell Oskar Thornquist about the Orlen dam?")
    assert ans.abstained and ans.citations == []
    assert ans.notes == ["no passage in the corpus answers this (unknown words: Oskar, Thornquist)",
                         "The articles do not quote Varga on this."]
    assert not news.ask("What did Varga tell reporters about the Orlen dam?").abstained  # the same question, a known name


def test_a_name_with_other_names_counts_only_whole_or_as_one_of_them():
    from qa.answer.topic import names_topic

    us = {"united": ["us", "washington", "american"], "states": ["us", "washington", "american"]}
    assert not names_topic(["united", "states"], "We talked with other states, Varga said.", us)
    assert not names_topic(["united", "states"], "The United Nations met, Varga said.", us)
    for text in ("The United States must act.", "Talks chaired by Keldland and the US.", "Washington must act.", "American officials"):
        assert names_topic(["united", "states"], text, us), text
    rarer_dam = {"dam": 6.0, "united": 1.5, "states": 1.5}
    assert names_topic(["dam", "united", "states"], "The dam is safe.", us, rarer_dam)  # another asked word is enough
    assert not names_topic(["dam"], "The river rose.", {})


def test_a_statement_must_name_more_than_the_corpus_s_most_common_asked_word():
    from qa.answer.topic import names_topic

    russia = {"russia": ["moscow", "kremlin"]}
    weights = {"western": 4.0, "sanctions": 3.5, "russia": 0.8}  # a corpus about Russia
    topic = ["western", "sanctions", "russia"]
    assert not names_topic(topic, "Moscow shares Paris' concern about terrorists, Varga said.", russia, weights)
    assert names_topic(topic, "The sanctions will stay, Varga said.", russia, weights)
    assert names_topic(["russia"], "Moscow will respond, Varga said.", russia, weights)  # the only word asked counts


def test_what_the_articles_report_of_someone_never_quoted(tmp_path):
    """"How did Luther describe X?" of texts that never quote him: "He described …" just after he is named is cited
    under the notice; a sentence someone else says about him is not."""
    import corpora

    a = corpora.small_assistant(tmp_path, {
        "luther": "Luther at Erfurt\n\nMartin Luther enrolled at Erfurt in 1501 to study law. "
                  "He described the university as a beerhouse and whorehouse, and soon left the study of law.\n",
        "rector": "The rector's reply\n\nRector Johann Weber said Luther never cared for the university and its teachers.\n",
        "harbor": corpora.HARBOR})
    ans = a.ask("How did Luther describe the university?")
    assert not ans.abstained and any("do not quote Luther on this" in n for n in ans.notes)
    assert [s["text"] for s in ans.sentences] == ["He described the university as a beerhouse and whorehouse, and soon left the study of law."]
    assert [c.doc_id for c in ans.citations] == ["luther"]  # not the rector's words about him
    assert verbatim(a, ans)
    (tmp_path / "corpus" / "luther.txt").unlink()  # what is left names Luther only in someone else's words: not a report of his
    a.refresh()
    ans = a.ask("How did Luther describe the university?")
    assert ans.abstained and ans.notes == ["The articles do not quote Luther on this."]


@pytest.mark.parametrize("question", ["How did Brenner describe the turbines?", "What did Brenner call the turbines?",
                                      "What did Brenner claim about the turbines?", "What did Brenner believe about the turbines?"])
def test_the_verb_that_asks_what_was_said_is_not_the_topic(question):
    """A statement on the turbines answers "How did Brenner describe the turbines?" without the word "describe";
    one on something else does not."""
    from types import SimpleNamespace

    from qa.answer.extractive import on_the_topic
    from qa.models import Chunk
    from qa.query.analyze import analyze

    query = analyze(question)
    verb = next(t for t in query.terms if t not in ("brenner", "turbines"))
    ctx = SimpleNamespace(known=query.terms, weights={verb: 5.0, "brenner": 3.0, "turbines": 1.0})  # the verb rarest
    for text, on_topic in (("Brenner said the turbines were the cleanest power in Keldland.", True),
                           ("Brenner said the budget would be balanced next year.", False)):
        chunk = Chunk("d", 0, len(text), text, [(0, len(text))], speakers=["Brenner"])
        assert on_the_topic(query, chunk, 0, 0, ctx) == on_topic, (question, text)


def test_an_acronym_the_articles_define_is_spelled_out_from_where_they_define_it(tmp_path):
    """"What does ZRA stand for?": the passage that writes "Zarnovian River Authority (ZRA)" answers, even where the
    scorer alone would abstain (the question's other words are not in it); an acronym no article defines gets no
    such help."""
    import corpora

    a = corpora.small_assistant(tmp_path, {
        "authority": "River body reorganised\n\nThe Zarnovian River Authority (ZRA) took over the Orlen locks in March. "
                     "Its engineers inspect the dam every week.\n",
        "locks": "Locks reopen\n\nThe ZRA reopened the Orlen locks to barges on Monday after repairs to the gates.\n",
        "harbor": corpora.HARBOR})
    for question in ("What does ZRA stand for?", "What is the full name of the ZRA?", "What does the acronym ZRA mean?",
                     "What is the ZRA?"):
        ans = a.ask(question)
        assert not ans.abstained and ans.citations[0].doc_id == "authority", question
        assert "Zarnovian River Authority (ZRA)" in ans.citations[0].text
        assert verbatim(a, ans)
    assert not a.query("Who runs the ZRA?").asks_expansion and not a.query("What is the ZRA doing?").asks_expansion
    unknown = a.ask("What does KDA stand for?")
    assert unknown.abstained


def test_an_acronym_its_article_abbreviates_without_brackets_is_spelled_out_from_the_sentence_that_names_it(tmp_path):
    """"What does KIB stand for?" where the article writes "the Keldish Infrastructure Bank" and then "the KIB": the
    sentence that writes the name answers, first, not the ones that only repeat the acronym."""
    import corpora

    a = corpora.small_assistant(tmp_path, {
        "bank": "Ports get loans\n\nThe Keldish Infrastructure Bank, launched in Orlen in June 2015, lends to ports. "
                "The KIB approved loans of $1.7 billion to nine projects. The KIB generally invests in early stages.\n",
        "members": "Lender grows\n\nThe KIB now has 57 members, and the KIB board meets in Orlen every month.\n",
        "harbor": corpora.HARBOR})
    ans = a.ask("What does KIB stand for?")
    assert not ans.abstained and ans.citations[0].doc_id == "bank"
    assert ans.citations[0].text.startswith("The Keldish Infrastructure Bank, launched")
    assert verbatim(a, ans)


def test_a_family_name_said_alone_quotes_the_person_the_article_named_with_it(tmp_path):
    """"What did Wu Tianming say about tariffs?" where the article names "President Wu Tianming" once and then writes
    "Wu said": his words are quoted (the index resolves "Wu" to him, and the quote is checked the same way)."""
    import corpora

    a = corpora.small_assistant(tmp_path, {
        "forum": "Leaders meet in Orlen\n\nKeldish President Wu Tianming opened the Orlen forum on Monday. "
                 '"There is no point in blaming tariffs for the world\'s problems," Wu said on Tuesday. '
                 "The forum ends on Friday.\n",
        "harbor": corpora.HARBOR})
    ans = a.ask("What did Wu Tianming say about tariffs?")
    assert not ans.abstained and ans.citations[0].doc_id == "forum"
    assert '"There is no point in blaming tariffs for the world\'s problems," Wu said on Tuesday.' in ans.answer
    assert verbatim(a, ans)
