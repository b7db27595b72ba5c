"""A question word the articles never write is read as the one word they write a typing slip away; anything less
certain stays as written (qa/query/spelling.py)."""

import json

import corpora

from qa.query.spelling import english_words, respell

TEXTS = {
    "ceasefire": "Talks in Geneva\n\nForeign Minister Sergei Lavrov said the ceasefire in Aleppo would hold if the rebels "
                 "left the eastern districts. Lavrov spoke after meeting the envoy.\n",
    "harbour": "Harbour reopens\n\nThe harbour authority of Connecticut said the Quelpine ferry would resume on Monday, "
               "and that the channel had been dredged.\n",
    "weather": "Storm season\n\nForecasters in Velmora warned of a normal storm season, with heavy rain expected in "
               "October and November.\n",
}


def test_a_misspelled_name_is_read_as_the_articles_write_it(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    ans = a.ask("What did Lavrow say about the ceasefire?")
    assert not ans.abstained
    assert ans.asked == "What did Lavrov say about the ceasefire?" and ans.question == "What did Lavrow say about the ceasefire?"
    assert ans.citations[0].doc_id == "ceasefire"
    assert any("“Lavrow” read as “Lavrov”" in n for n in ans.notes)


def test_the_possessive_and_the_case_of_the_question_are_kept(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    assert a.query("When does the Connectitcut harbour's ferry resume?").text == "When does the Connecticut harbour's ferry resume?"
    assert a.query("What did LAVROW's statement say?").text == "What did Lavrov's statement say?"


def test_english_words_names_and_short_words_stay_as_written(tmp_path):
    """'Norman' is a name (one edit from the corpus's 'normal'), 'Lavro' too short to tell from a slip: both stay,
    so a question about someone the articles never name is not turned into one about someone they do."""
    assert "norman" in english_words()
    a = corpora.small_assistant(tmp_path, TEXTS)
    for question in ("What did Norman say about the storm?", "What did Lavro say?", "What happened at the Gdansk harbour?"):
        q = a.query(question)
        assert q.text == question and not q.respelled, question


def test_a_lower_case_slip_stays_lower_case(tmp_path):
    a = corpora.small_assistant(tmp_path, {"vote": "Results\n\nElection officials counted all night. The election was won by the Harbour Party.\n"})
    assert a.query("Who won the electon?").text == "Who won the election?"


def test_a_word_with_two_neighbours_stays_as_written(tmp_path):
    a = corpora.small_assistant(tmp_path, {
        "one": "Ferries\n\nThe Marlowe ferry sails at noon.\n", "two": "Boats\n\nThe Marlode boat sails at dawn.\n"})
    q = a.query("When does the Marloxe ferry sail?")  # 'Marlowe' and 'Marlode' are both one edit away
    assert q.text == "When does the Marloxe ferry sail?" and not q.respelled
    assert a.query("When does the Marlowx ferry sail?").text == "When does the Marlowe ferry sail?"


def test_a_stem_near_the_word_is_not_enough(tmp_path):
    """The full-text index stores 'quelpine' as 'quelpin', one edit from 'quelvin'; the articles' word, 'Quelpine', is
    two: no correction."""
    a = corpora.small_assistant(tmp_path, TEXTS)
    q = a.query("When does the Quelvin ferry resume?")
    assert q.text == "When does the Quelvin ferry resume?"
    assert a.query("When does the Quelpinr ferry resume?").text == "When does the Quelpine ferry resume?"


def test_the_plain_search_can_leave_the_question_as_written(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    assert a.query("What did Lavrow say?", respell=False).text == "What did Lavrow say?"
    respelled, fixes = respell("What did Lavrow say?", a._live().store)
    assert respelled == "What did Lavrov say?" and [(f.written, f.meant) for f in fixes] == [("Lavrow", "Lavrov")]


def test_asked_as_written_no_word_is_read_otherwise(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    ans = a.ask("What did Lavrow say about the ceasefire?", respell=False)
    assert ans.asked == "What did Lavrow say about the ceasefire?" and not any("read as" in n for n in ans.notes)


def test_the_command_says_what_it_read_and_can_ask_as_written(tmp_path, qa_cli):
    a = corpora.small_assistant(tmp_path, TEXTS)
    a.refresh()
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    read = qa_cli("ask", "--corpus", corpus, "--index", index, "What did Lavrow say about the ceasefire?")
    assert read.exit_code == 0 and "“Lavrow” read as “Lavrov”" in read.stdout and "[1]" in read.stdout
    written = qa_cli("ask", "--json", "--as-written", "--corpus", corpus, "--index", index, "What did Lavrow say about the ceasefire?")
    assert json.loads(written.stdout)["asked"] == "What did Lavrow say about the ceasefire?"


SLIPS = {
    "claim": "Attack claimed\n\nA militant group said it was responsible for the bombing of the pipeline, officials said.\n",
    "rally": "Rally ends\n\nThe desert safari rally ended in Dakar after two weeks of racing.\n",
}


def test_a_slip_in_a_word_the_articles_write_in_another_form_is_read_as_the_english_word(tmp_path):
    """The articles write 'responsible', never 'responsibility' (nor 'responsiblity'): no word of theirs is one edit
    away, but the English word is, and they hold it in some form."""
    a = corpora.small_assistant(tmp_path, SLIPS)
    q = a.query("Who claimed responsiblity for the bombing?")
    assert q.text == "Who claimed responsibility for the bombing?"
    assert [(c.written, c.meant) for c in q.respelled] == [("responsiblity", "responsibility")]
    assert a.query("Responsiblity for the bombing?").text == "Responsibility for the bombing?"  # the first word


def test_a_capitalised_word_is_not_read_as_an_english_word(tmp_path):
    """Mid-question capitals are likelier a name the articles never write ('Responsiblity'), whatever English word is
    near; the articles' own word one edit away is read even so ('Safair' → 'safari', written so in an article)."""
    a = corpora.small_assistant(tmp_path, SLIPS)
    assert a.query("What did the Responsiblity Office say?").text == "What did the Responsiblity Office say?"
    assert a.query("Where did the Safair rally end?").text == "Where did the Safari rally end?"


def test_an_english_word_the_articles_never_hold_is_no_reading(tmp_path):
    a = corpora.small_assistant(tmp_path, SLIPS)  # 'precipitation' is English, but no article holds it
    assert a.query("How much percipitation fell?").text == "How much percipitation fell?"
