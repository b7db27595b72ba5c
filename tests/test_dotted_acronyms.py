"""Newsrooms dot acronyms or not ("F.B.I." in one house style, "FBI" in another): a question written either way
finds both (qa/text/words.py, qa/query/analyze.py)."""

import corpora

from qa.text.aliases import acronyms_in

TEXTS = {
    "dotted": "Inquiry opened\n\nThe F.B.I. opened an inquiry into the Velmora shipping company on Tuesday, "
              "officials said. Agents searched two warehouses near the harbor.\n",
    "plain": "Grain prices\n\nThe IMF cut its forecast for grain exports from Keldland, citing the drought in the "
             "south. Farmers expect a smaller harvest.\n",
    "guard": "Ferry inquiry\n\nThe Coast Guard opened an inquiry into the Orlen ferry operator on Monday, officials "
             "said. Inspectors boarded two vessels near the harbor.\n",
    "other": "Storm warning\n\nForecasters warned of a storm reaching the coast of Zarnovia on Friday. Schools "
             "will close early.\n",
}


def test_a_question_without_dots_cites_the_dotted_acronym(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    ans = a.ask("What did the FBI open an inquiry into?")
    assert not ans.abstained and ans.citations[0].doc_id == "dotted"  # not the Coast Guard's inquiry
    assert "F.B.I." in ans.citations[0].text and all(c.doc_id != "guard" for c in ans.citations)


def test_a_dotted_question_cites_the_plain_acronym(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    q = a.query("Why did the I.M.F. cut its forecast?")
    assert "imf" in q.terms and "imf" in q.names
    ans = a.ask("Why did the I.M.F. cut its forecast?")
    assert not ans.abstained and ans.citations[0].doc_id == "plain"


def test_a_dotted_acronym_in_brackets_is_taught_like_a_plain_one():
    text = "The Federal Bureau of Investigation (F.B.I.) and the Securities and Exchange Commission (S.E.C.) said."
    assert acronyms_in(text) == [("federal bureau of investigation", "fbi"), ("securities and exchange commission", "sec")]


def test_an_acronym_the_articles_never_write_is_named_as_the_question_writes_it(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    ans = a.ask("What did the C.I.A. find?")
    assert ans.abstained and any("unknown words: CIA" in n for n in ans.notes)
