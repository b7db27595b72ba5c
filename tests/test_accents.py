"""A question typed without accents finds the names the articles write with them ("Erdogan" / "Erdoğan",
"Celeron" / "Céloron"), as the full-text index already does (qa/text/words.py `unaccented`)."""

import corpora

from qa.answer.features import coverage, phrase

TEXTS = {
    "vote": "Referendum called\n\nPresident Recep Tayyip Erdoğan said on Sunday that the referendum on the new "
            "constitution would be held in April, and that he expected to win it.\n",
    "expedition": "The expedition\n\nIn 1749 Pierre-Joseph Céloron led an expedition down the Ohio river, burying lead "
                  "plates to claim the valley for France.\n",
    "storm": "Storm season\n\nForecasters in Zarnovia warned of a severe storm season, with heavy rain expected in "
             "October and November.\n",
}


def test_the_scorer_finds_an_accented_name_typed_without_its_accents():
    assert coverage(["erdogan", "referendum"], {"erdogan": 2.0, "referendum": 1.0}, "President Erdoğan called a referendum") == 1.0
    assert phrase(["erdogan", "referendum"], "Erdoğan's referendum") == 1.0


def test_a_question_without_accents_is_answered_from_the_accented_name(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    ans = a.ask("When did Erdogan say the referendum would be held?")
    assert not ans.abstained and ans.citations[0].doc_id == "vote"
    assert not a.query("When did Erdogan say the referendum would be held?").respelled  # the index knows it: no reading


def test_a_slip_in_an_accented_name_is_read_as_the_articles_write_it(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    q = a.query("What did Celeron bury along the river?")  # 'celeron' is one edit from 'celoron', the index's 'Céloron'
    assert q.text == "What did Céloron bury along the river?"


def test_two_accentings_of_one_word_are_one_reading(tmp_path):
    """'İstanbul' and 'Istanbul' fold to the same word: 'Instanbul' has one neighbour, not two."""
    a = corpora.small_assistant(tmp_path, {
        "city": "The city\n\nIstanbul (Turkish: İstanbul) is the largest city of Turkey, historically known as "
                "Constantinople.\n", **{k: v for k, v in TEXTS.items() if k == "storm"}})
    assert a.query("What was Instanbul known as?").text == "What was Istanbul known as?"


VOTE = ("Referendum called\n\n“The referendum will be held in April, and we will win it,” President Erdoğan said in "
        "Ankara on Sunday.\n")


def test_the_speakers_list_finds_an_accented_speaker(tmp_path):
    """The stored speakers are JSON ('Erdo\\u011fan'): the speakers' list of 'what did X say' matches them as written
    (typed without accents, the dense and BM25 lists and the scorer still find X)."""
    a = corpora.small_assistant(tmp_path, {"vote": VOTE, "storm": TEXTS["storm"]})
    a.refresh()
    store = a._live().store
    assert store.speaker_bm25('"referendum"', ["erdoğan"], 5)
    assert not store.speaker_bm25('"referendum"', ["varga"], 5) and not store.speaker_bm25('"referendum"', [], 5)


def test_a_speaker_typed_without_accents_is_found_as_the_articles_write_them(tmp_path):
    """'What did Erdogan say about the referendum?': the speakers' list looks for 'Erdoğan' too."""
    from qa.models import Filters
    from qa.search.hybrid import Retriever

    a = corpora.small_assistant(tmp_path, {"vote": VOTE, "storm": TEXTS["storm"]})
    a.refresh()
    index = a._live()
    assert index.surname_spellings["erdogan"] == {"erdoğan"}
    for typed in ("Erdogan", "Recep Erdoğan", "erdogan"):
        found = Retriever(index).spoken(typed, ["referendum"], 5, Filters())
        assert [index.store.chunks([i])[i].doc_id for i, _ in found] == ["vote"], typed
    assert not Retriever(index).spoken("Varga", ["referendum"], 5, Filters())
