"""An answer's articles write the names its question asks about (qa.answer.named): a passage from an article that never
names "Rotterdam" does not answer "Which airports serve Rotterdam?", however near its other words are."""

from __future__ import annotations

import corpora
import numpy as np

from qa.answer.features import Context
from qa.answer.named import asked_names, naming, other_names, writes
from qa.models import Chunk
from qa.query.analyze import analyze

ISTANBUL = ("Istanbul's airports\n\nISTANBUL (Reuters) - Istanbul has two international airports. The larger airport is "
            "Istanbul Ataturk, west of the city centre, which handled 51 million passengers last year. The second airport, "
            "Sabiha Gokcen, serves low-cost airlines.\n")
ROTTERDAM = ("Feyenoord win the derby\n\nROTTERDAM, Netherlands (AP) — Feyenoord beat Ajax 2-1 on Sunday in front of a "
             "sold-out stadium in Rotterdam, the club said. The winning goal came in the last minute.\n")
ZAGREB = ("Croatia's tourism season\n\nBy Ana Kovac, BBC News, Zagreb\n\nHotels along the coast of Croatia were full "
          "in August, and the tourism board expects more visitors from Germany next year.\n")


def assistant(tmp_path):
    return corpora.small_assistant(tmp_path, {"istanbul": ISTANBUL, "rotterdam": ROTTERDAM, "zagreb": ZAGREB})


def test_no_article_naming_the_place_answers(tmp_path):
    a = assistant(tmp_path)
    ans = a.ask("How many passengers did the larger international airport of Rotterdam handle last year?")
    assert ans.abstained and "No article that names Rotterdam answers this." in ans.notes
    assert not ans.citations and ans.nearest[0].doc_id == "istanbul"  # what is near, shown as no answer


def test_an_article_naming_the_place_answers(tmp_path):
    a = assistant(tmp_path)
    ans = a.ask("What are the international airports of Istanbul?")
    assert not ans.abstained and ans.citations[0].doc_id == "istanbul"
    ans = a.ask("Who did Feyenoord beat in Rotterdam on Sunday?")
    assert not ans.abstained and {c.doc_id for c in ans.citations} == {"rotterdam"}


def test_another_form_of_the_name_counts(tmp_path):
    a = assistant(tmp_path)
    ans = a.ask("Where did the Croatians' hotels expect more visitors from?")  # "Croatians": the article writes "Croatia"
    assert not ans.abstained and ans.citations[0].doc_id == "zagreb"


def test_every_other_name_counts():
    ctx = _ctx("What UN agency rebuilt the Velmora bridge?")
    assert {"united nations", "u.n."} <= set(other_names(ctx)["un"])  # whichever the corpus prefers


def _ctx(question: str, typed: str = "") -> Context:
    query = analyze(question)
    query.typed = typed
    return Context(query, {t: 1.0 for t in query.terms}, [], [])


class _Store:
    """What `naming` reads of the store: the articles' texts, the corpus' aliases and its outlets."""

    def __init__(self, articles: dict[str, str], sources: tuple[str, ...] = (), words: tuple[str, ...] = ()):
        self.articles, self._sources, self.words = articles, sources, words  # words: written in lower case

    def article_texts(self, doc_ids):
        return {d: self.articles[d] for d in doc_ids}

    def aliases(self):
        return []

    def sources(self):
        return list(self._sources)

    def capitalised(self, term):
        return 0.0 if term in self.words else 1.0


def _chunk(doc_id: str) -> Chunk:
    return Chunk(doc_id=doc_id, ordinal=0, start=0, end=4, text="text", title="", date=None, source="", sentences=[])


def test_the_candidates_kept_and_the_names_the_likeliest_lacks():
    ctx = _ctx("What are the airports of Rotterdam and Delft?")
    assert asked_names(ctx) == ["rotterdam", "delft"]
    chunks = [_chunk("a"), _chunk("b"), _chunk("c")]
    store = _Store({"a": "Istanbul airport", "b": "Rotterdam's harbour", "c": "From Rotterdam and Delft"})
    prob = np.array([0.9, 0.5, 0.3])
    assert naming(ctx, store, chunks, [0, 1, 2], prob, 0.1) == ([2], ["rotterdam", "delft"])
    assert naming(ctx, store, chunks, [0, 1, 2], prob, 0.4) == ([], ["rotterdam", "delft"])  # the one left is too weak
    assert naming(ctx, store, chunks, [2, 1, 0], prob, 0.1) == ([2], [])


def test_names_the_conversation_added_are_not_asked():
    ctx = _ctx("What did the union in Velmora say about Dagestan?", typed="What did the union in Velmora say?")
    assert asked_names(ctx) == ["velmora"]


def test_a_peoples_word_names_its_place():
    ctx = _ctx("What share of Filipino pupils attend private schools?")
    assert "philippines" in other_names(ctx)["filipino"]
    store = _Store({"a": "In the Philippines, most pupils attend state schools.", "b": "In Peru, few do."})
    assert naming(ctx, store, [_chunk("b"), _chunk("a")], [0, 1], np.array([0.9, 0.5]), 0.1) == ([1], ["filipino"])


def test_forms_of_a_name():
    assert writes("italians", "Rome, Italy's capital", {}) and writes("jewish", "Jews of Kaifeng", {})
    assert writes("iraqi", "the Iraq war", {}) and writes("chinese", "China's exports", {})
    assert writes("mhc-antigen", "the MHC molecule presents an antigen", {})
    assert not writes("mhc-antigen", "the MHC molecule", {}) and not writes("rotterdam", "Amsterdam", {})
    assert writes("states", "US troops", {"states": ["us"]})


def test_an_outlet_is_whose_articles_not_a_name_they_write():
    ctx = _ctx("What did the BBC and CNN report about the Velmora dam?")
    store = _Store({"a": "The Velmora dam will open in May, officials said."}, sources=("BBC", "CNN"))
    assert naming(ctx, store, [_chunk("a")], [0], np.array([0.9]), 0.1) == ([0], [])
    assert naming(ctx, _Store(store.articles), [_chunk("a")], [0], np.array([0.9]), 0.1) == ([], ["bbc", "cnn"])


def test_a_hyphenated_name_as_written_or_by_its_parts():
    assert writes("jong-un", "Kim Jong-un said", {}) and writes("jong-un", "Kim Jong un said", {})


def test_a_name_typed_with_a_slip():
    assert writes("columbia", "the Andes of Colombia", {}) and not writes("columbia", "the Andes of Bolivia", {})
    assert not writes("delft", "Deflt", {})  # a short name: one slip away is another name


def test_a_word_the_corpus_writes_in_lower_case_is_no_name(tmp_path):
    store = assistant(tmp_path).answerer.store
    assert store.capitalised("rotterdam") == 1.0 and store.capitalised("stadium") == 0.0
    assert store.capitalised('say"hi') == 1.0 and store.capitalised("") == 1.0  # nothing to judge by: no name is dropped
    ctx = _ctx("Which Stadium did Feyenoord play in?")  # "Stadium" capitalised by the question only
    chunks = [_chunk("b")]
    articles = {"b": "Feyenoord won"}
    assert naming(ctx, _Store(articles, words=("stadium",)), chunks, [0], np.array([0.9]), 0.1) == ([0], [])
    assert naming(ctx, _Store(articles), chunks, [0], np.array([0.9]), 0.1) == ([], ["stadium"])
