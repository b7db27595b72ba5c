"""“What did Varga and Brenner say about the dam?” (qa.query.several, compose.merged): each one's words, in turn, as
one answer with its citations numbered anew."""

from __future__ import annotations

import pytest

from qa.query.several import one_per_speaker


@pytest.mark.parametrize(
    ("question", "each"),
    [
        ("What did Varga and Brenner say about the dam?", ["What did Varga say about the dam?", "What did Brenner say about the dam?"]),
        ("What did Ilse Varga and Tomas Brenner say?", ["What did Ilse Varga say?", "What did Tomas Brenner say?"]),
        ("What did Varga & Brenner tell reporters in Geneva?", ["What did Varga tell reporters in Geneva?",
                                                              "What did Brenner tell reporters in Geneva?"]),
        ("What did Varga and Brenner agree on?", []),  # a joint act, not each one's words
        ("What did Varga say about Brenner and Olsen?", []),  # one speaker, two topics
        ("What did the Zarnovians and the Keldlanders say?", []),
    ],
)
def test_a_question_for_two_peoples_words_is_asked_of_each(question, each):
    assert [q for q, _ in one_per_speaker(question)] == each
    assert [who for _, who in one_per_speaker(question)] == [q.split(" say")[0].split(" tell")[0][9:] for q in each]


def test_two_countries_are_asked_of_each_too(tmp_path):
    """A country's words are many people's, so "What did Russia say …" has no one speaker: asked of each all the same,
    and a passage both answers quote is quoted once."""
    import corpora

    a = corpora.small_assistant(tmp_path, {
        "moscow": "Russia backs dam\n\nMOSCOW, March 3. /TASS/. Russia said the Orlen dam must be finished, a ministry "
                  "spokesman told reporters.\n",
        "beijing": "China urges review\n\nBEIJING (Reuters) - China said on Friday the Orlen dam needs an independent review.\n",
        "harbor": corpora.HARBOR})
    answer = a.ask("What did Russia and China say about the Orlen dam?")
    assert answer.notes[0] == "Asked of each in turn: Russia, then China."
    quotes = [(s["doc_id"], s["start"]) for s in answer.sentences]
    assert len(quotes) == len(set(quotes)) == 2 and answer.answer.count(" [") == 2


def test_a_joint_question_neither_is_quoted_on_is_asked_as_it_stands(news):
    """Asked of each, neither is quoted on the salmon count: the question as asked answers, as if never split."""
    answer = news.ask("What did Varga and Brenner say about the salmon count?")
    assert not answer.abstained and not any("Asked of each" in n or "do not quote" in n for n in answer.notes)


def test_two_speakers_are_answered_in_turn_with_their_own_words(news):
    answer = news.ask("What did Varga and Brenner say about the Orlen dam?")
    varga, brenner = news.ask("What did Varga say about the Orlen dam?"), news.ask("What did Brenner say about the Orlen dam?")
    assert not answer.abstained and not varga.abstained and not brenner.abstained
    assert answer.notes[0] == "Asked of each in turn: Varga, then Brenner."
    texts = [s["text"] for s in answer.sentences]
    assert texts == [s["text"] for s in varga.sentences] + [s["text"] for s in brenner.sentences]
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for s in answer.sentences:  # each quote still points at the passage it comes from, verbatim
        cited = answer.citations[s["n"] - 1]
        assert cited.doc_id == s["doc_id"] and news.article(s["doc_id"])["text"][s["start"]:s["end"]] == s["text"]
        assert f"{s['text']} [{s['n']}]" in answer.answer


def test_two_speakers_over_time_keep_each_ones_dated_lines(news):
    """"… over time": each one's statements by date, one line each as a timeline writes them, numbered anew."""
    answer = news.ask("What did Varga and Brenner say about the Orlen dam over time?")
    lines = answer.answer.splitlines()
    assert not answer.abstained and len(lines) == len(answer.sentences) > 1
    for line, s in zip(lines, answer.sentences):
        assert line == f"{s['date'] or 'undated'}: {s['text']} [{s['n']}]"
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
