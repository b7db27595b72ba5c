"""A follow-up that still needs the conversation ("Who was lining the streets?") is asked after the question before it,
among the articles its answer cited, when the history holds that answer (qa.answer.flow.answer_in_conversation)."""

import corpora
from test_neighbours import TORCH

from qa.query.focus import leans_on_context, previous_answer

FERRY = ("Ferry strike ends\n\nThe ferry crews in Velmora ended their strike on Friday after the port authority agreed "
         "to raise wages, the union said. Crowds were lining the quay when the first ferry left for the islands.\n")
NOTE = "asked after “Who carried the torch through Makhachkala, the capital of Dagestan?”, among the articles of its answer"


def assistant(tmp_path):
    return corpora.small_assistant(tmp_path, {"torch": TORCH, "ferry": FERRY, "harbor": corpora.HARBOR})


def test_a_follow_up_is_asked_among_the_previous_answers_articles(tmp_path):
    a = assistant(tmp_path)
    first = a.ask("Who carried the torch through Makhachkala, the capital of Dagestan?")
    assert not first.abstained and first.citations[0].doc_id == "torch"
    for history in ([first], [first.to_dict()]):  # the Python API's Answer, or the app's dict
        ans = a.ask("Who was lining the streets?", history=history)
        assert not ans.abstained and NOTE in ans.notes
        assert {c.doc_id for c in ans.citations} == {"torch"} and any("lining the streets" in c.text for c in ans.citations)
        assert ans.asked == "Who was lining the streets?"  # the question it answers; the note says after which


def test_the_questions_alone_keep_the_follow_up_as_rewritten(tmp_path):
    a = assistant(tmp_path)
    first = a.ask("Who carried the torch through Makhachkala, the capital of Dagestan?")
    ans = a.ask("Who was lining the streets?", history=[first.asked])
    assert NOTE not in ans.notes


def test_words_the_previous_articles_never_write_are_not_answered_from_them(tmp_path):
    a = assistant(tmp_path)
    first = a.ask("Who carried the torch through Makhachkala, the capital of Dagestan?")
    ans = a.ask("Why did the crews end their strike?", history=[first])
    assert NOTE not in ans.notes
    assert all(c.doc_id != "torch" for c in ans.citations)


def test_a_follow_up_that_names_its_subject_is_asked_of_every_article(tmp_path):
    a = assistant(tmp_path)
    first = a.ask("Who carried the torch through Makhachkala, the capital of Dagestan?")
    ans = a.ask("What did the union in Velmora say?", history=[first])
    assert NOTE not in ans.notes and not ans.abstained and ans.citations[0].doc_id == "ferry"


def test_what_needs_the_conversation():
    for q in ("How old was he?", "Was it broken?", "What did the documents show?", "In what country?", "and why?"):
        assert leans_on_context(q), q
    for q in ("Who is the Cuban leader?", "What did Lavrov say about Aleppo?", "Where did Beckham play in 2013?"):
        assert not leans_on_context(q), q
    assert previous_answer(["What did Lavrov say?"]) is None and previous_answer([]) is None
    answer = {"question": "q", "asked": "Q?", "citations": [{"doc_id": "a"}, {"doc_id": "b"}, {"doc_id": "a"}]}
    assert previous_answer([answer]) == ("Q?", ["a", "b"])
    assert previous_answer([{**answer, "citations": []}]) is None
