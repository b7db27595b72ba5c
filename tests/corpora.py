"""Small news corpora written for the tests, in several outlets' house styles (no model needed to read them).

The stories are made up: a dispute between two invented countries, Zarnovia and Keldland, over a dam on the
Orlen river, reported over seven months by a TASS-style wire, Reuters, AP, the BBC and the Guardian; plus
a CNN storm report, an AP city story and an undated agency item. Each story knows what a reader should get
out of it (title, source, date and how the date is found, dateline place): that is the ground truth the
ingest tests check, written down once here.

Formats on purpose: plain .txt files, .txt with a `.meta.json` sidecar, and a JSONL feed of two rows.
`write_corpus(folder)` writes them; `QUESTIONS` is a small labelled set in the `qa eval` format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Story:
    doc_id: str
    file: str  # the corpus file that holds it (several JSONL rows share one file)
    text: str
    title: str  # what a reader should take as the title
    source: str
    date: str | None
    date_method: str
    place: str = ""
    sidecar: dict | None = None  # NAME.meta.json beside NAME.txt
    row: dict = field(default_factory=dict)  # JSONL fields besides text (id, title, date, source, url)
    # sentences a reader must find in the indexed body, and lines that must be left out of it (site debris,
    # bylines, tag lists)
    key_sentences: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()


TASS = Story(
    doc_id="tass_orlen_dam",
    file="tass_orlen_dam.txt",
    title="Zarnovia will never accept Orlen dam, foreign minister Varga says",
    source="TASS",
    date="2016-10-21",
    date_method="dateline+weekday",  # "VELMORA, October 21." + "said on Friday", year from the other articles
    place="Velmora",
    text="""All news

Zarnovia will never accept Orlen dam, foreign minister Varga says

The reservoir would cut the river’s summer flow by a third, the top diplomat says

VELMORA, October 21. /TASS/. Zarnovia will never accept the dam that Keldland is building on the Orlen river, Zarnovian Foreign Minister Ilse Varga said on Friday.

“The Orlen dam threatens the livelihood of thirty thousand fishermen downstream, and we demand that construction stop at once,” Varga told reporters in Velmora.

According to the minister, the reservoir behind the dam, which Keldland began building in March 2016, would cut the river’s flow by a third during the summer months.

Varga said Zarnovia had asked the government of Keldland for data on the project three times and had received no answer.

“Zarnovia will never accept the Orlen dam,” Varga stressed.

Topics
Zarnovia
Keldland
Back to Main page
""",
    key_sentences=(
        "Zarnovia will never accept the dam that Keldland is building on the Orlen river",
        "we demand that construction stop at once",
        "had received no answer.",
    ),
    left_out=("All news", "Topics", "Back to Main page"),
)

REUTERS = Story(
    doc_id="reuters_orlen_court",
    file="reuters_orlen_court.txt",
    title="Keldland to finish Orlen dam, rejects Zarnovia's demand",
    source="Reuters",
    date="2016-11-15",
    date_method="dateline+weekday",  # "KELDMOUTH, Nov 15 (Reuters) -" + "on Tuesday"
    place="Keldmouth",
    text="""Keldland to finish Orlen dam, rejects Zarnovia's demand

KELDMOUTH, Nov 15 (Reuters) - Keldland will finish the Orlen dam by 2019 whatever its neighbour says, Prime Minister Tomas Brenner said on Tuesday, rejecting Zarnovia's demand to halt construction.

Brenner told parliament in Keldmouth that the dam's turbines would supply electricity to 400,000 homes and that Keldland had every right to use a river that rises in its own mountains.

In Velmora, Foreign Minister Ilse Varga said Zarnovia would take the Orlen dam dispute to the International Court of Justice. She said the case would be filed if work did not stop by the end of the year.

Keldland's finance ministry said earlier in November that the dam would cost 2.1 billion euros, most of it paid by a loan from a consortium of European banks.

(Reporting by Anna Kovac in Keldmouth; Editing by Peter Hall)
""",
    key_sentences=(
        "the dam's turbines would supply electricity to 400,000 homes",
        "take the Orlen dam dispute to the International Court of Justice",
    ),
    left_out=("Reporting by Anna Kovac",),
)

AP_TALKS = Story(
    doc_id="ap_orlen_talks",
    file="wire.jsonl",
    title="Zarnovia and Keldland agree to talks on Orlen river dam",
    source="AP",
    date="2017-01-24",
    date_method="metadata",
    place="",
    row={"id": "ap_orlen_talks", "title": "Zarnovia and Keldland agree to talks on Orlen river dam", "date": "2017-01-24",
         "source": "AP", "url": "https://apnews.com/article/zarnovia-keldland-orlen-talks"},
    text=(
        "GENEVA (AP) — Zarnovia and Keldland agreed Tuesday to hold talks on the Orlen river dam under United Nations "
        "mediation, three months after the two neighbors traded threats over the project.\n\n"
        "Zarnovian Foreign Minister Ilse Varga said Zarnovia was ready to negotiate on the Orlen dam if Keldland paused "
        "construction during the talks. “We came to Geneva to talk, not to go to court,” Varga told The Associated Press.\n\n"
        "Keldland's delegation said work on the dam would continue, but that the turbines would not be switched on "
        "before the talks ended.\n\n"
        "The first round is due to open in Geneva on Feb. 6, a U.N. spokeswoman said."
    ),
    key_sentences=("We came to Geneva to talk, not to go to court",),
)

AP_TRAM = Story(
    doc_id="ap_velmora_tram",
    file="wire.jsonl",
    title="Velmora opens first tram line in 40 years",
    source="AP",
    date="2017-02-10",
    date_method="metadata",
    row={"id": "ap_velmora_tram", "title": "Velmora opens first tram line in 40 years", "date": "2017-02-10T09:30:00Z",
         "source": "AP", "url": "https://apnews.com/article/velmora-tram"},
    text=(
        "VELMORA, Zarnovia (AP) — The Zarnovian capital opened its first new tram line in 40 years on Friday, "
        "linking the old harbor with the university district in eleven minutes.\n\n"
        "Mayor Petra Solberg rode the first tram and said the line would carry 30,000 passengers a day once the "
        "last two stops open in the spring.\n\n"
        "The line cost 180 million euros, a third of it paid by the European Investment Bank, city officials said."
    ),
    key_sentences=("linking the old harbor with the university district in eleven minutes",),
)

BBC = Story(
    doc_id="bbc_orlen_fishermen",
    file="bbc_orlen_fishermen.txt",
    title="The fishermen who fear the Orlen dam",
    source="BBC",  # from the sidecar
    date="2017-03-01",
    date_method="explicit",  # "1 March 2017" in the header
    place="",
    sidecar={"source": "BBC", "url": "https://www.bbc.co.uk/news/world-europe-39123456"},
    text="""The fishermen who fear the Orlen dam
By Hanna Lindqvist
BBC News, Orlen Falls
1 March 2017
Share this with Facebook
Share this with Twitter

On a grey morning in Orlen Falls, Jakob Rudd hauls in a net that holds three small salmon. Twenty years ago, he says, the same net would have held thirty.

"If the dam closes the river, there will be nothing left for my sons," Mr Rudd said, standing on the jetty his grandfather built.

Scientists at Velmora University estimate that the salmon count in the lower Orlen has fallen by half since 2010, and they warn that the reservoir upstream would make the water warmer.

Talks between Zarnovia and Keldland began in Geneva in January, but the fishermen of Orlen Falls say nobody has asked them what they think.

Related Topics
Zarnovia
Rivers
""",
    key_sentences=("the salmon count in the lower Orlen has fallen by half since 2010",),
    left_out=("Share this with Facebook", "Related Topics"),
)

CNN = Story(
    doc_id="cnn_storm_halvard",
    file="cnn_storm_halvard.txt",
    title="Storm Halvard batters Velmora coast, thousands without power",
    source="CNN",  # from the sidecar
    date="2017-03-07",
    date_method="explicit",  # "Tue March 7, 2017"
    place="",
    sidecar={"source": "CNN"},
    text="""Storm Halvard batters Velmora coast, thousands without power
By Rachel Moss, CNN
Updated 1:32 PM ET, Tue March 7, 2017

(CNN) -- Storm Halvard battered the Velmora coast on Tuesday with winds of up to 140 kilometers per hour, leaving 60,000 homes without power, officials said.

The harbor in Velmora was closed to shipping for the first time in a decade, and the city's tram network stopped running at noon.

"We have never seen waves like this in March," said Lena Brandt, who runs a cafe on the seafront. "The water came right up to the door."

The national weather service said the storm would move north toward Keldland overnight and weaken by Thursday.

Read More
""",
    key_sentences=("leaving 60,000 homes without power", "The water came right up to the door."),
    left_out=("Read More",),
)

GUARDIAN = Story(
    doc_id="guardian_orlen_treaty",
    file="guardian_orlen_treaty.txt",
    title="Zarnovia and Keldland sign Orlen river treaty after long dispute",
    source="The Guardian",  # "First published in The Guardian"
    date="2017-05-12",
    date_method="explicit",  # "Fri 12 May 2017"
    place="",
    text="""Zarnovia and Keldland sign Orlen river treaty after long dispute
Varga hails ‘a treaty for our children’ as neighbours agree to share the river
Daniel Okoro in Velmora
Fri 12 May 2017 18.30 BST

Zarnovia and Keldland have signed a treaty on the Orlen river, ending a long dispute over the dam that Keldland is building in the mountains upstream.

Under the treaty, Keldland will release at least two-thirds of the river’s natural flow every summer, and each country may license no more than 400 fishing boats on the lower Orlen.

“This is a treaty for our children,” the Zarnovian foreign minister, Ilse Varga, said at the signing ceremony in Velmora. “Six months ago we were talking about courts; today we are talking about salmon.”

Varga said the Orlen dam was no longer a threat now that the treaty guaranteed the river’s summer flow.

Keldland’s prime minister, Tomas Brenner, said the dam would be finished on schedule and that the treaty proved that neighbours could share a river without sharing a grudge.

First published in The Guardian on 12 May 2017
Topics
Zarnovia
Keldland
Reuse this content
""",
    key_sentences=(
        "each country may license no more than 400 fishing boats on the lower Orlen",
        "This is a treaty for our children",
    ),
    left_out=("First published in The Guardian", "Topics", "Reuse this content"),
)

ZNA = Story(
    doc_id="zna_salmon_count",
    file="zna_salmon_count.txt",
    title="Orlen salmon count to start in April",
    source="ZNA",
    date=None,  # a dateline without a weekday: the year is never invented
    date_method="unknown",
    place="Orlen Falls",
    text="""Orlen salmon count to start in April

ORLEN FALLS, March 20. /ZNA/. The first joint count of salmon in the Orlen river will start in April, the fisheries office in Orlen Falls said.

Counters from Zarnovia and Keldland will work side by side at six stations along the lower river, the office said in a statement.

The results of the salmon count will be published in the autumn and will be used to set the number of fishing licences for the next season.
""",
    key_sentences=("Counters from Zarnovia and Keldland will work side by side at six stations",),
)

STORIES: tuple[Story, ...] = (TASS, REUTERS, AP_TALKS, AP_TRAM, BBC, CNN, GUARDIAN, ZNA)
BY_ID = {s.doc_id: s for s in STORIES}
DOC_IDS = sorted(BY_ID)
# the articles about the dam, oldest first (the undated one last)
ORLEN = ("tass_orlen_dam", "reuters_orlen_court", "ap_orlen_talks", "bbc_orlen_fishermen", "guardian_orlen_treaty", "zna_salmon_count")

# An article to add to a corpus (not in STORIES): a TASS-style follow-up from the Geneva talks.
NEW_ID = "zz_geneva_round"
NEW_ARTICLE = """Second round of Orlen talks opens in Geneva

GENEVA, February 20. /TASS/. The second round of talks between Zarnovia and Keldland on the Orlen river opened in Geneva on Monday, the UN mediator said.

"Both delegations have brought new maps of the river basin, and we expect them to discuss the summer flow first," the mediator told reporters at the Palais des Nations.

The mediator said the agenda also included a joint commission to count the salmon and a hotline between the two dam operators.

Diplomats in Geneva said the talks could last until the end of March, when the reservoir is due to start filling.
"""


def write_corpus(folder: Path, stories: tuple[Story, ...] | list[Story] = STORIES) -> Path:
    """Write the stories into `folder` as the corpus files they come in; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[str]] = {}
    for s in stories:
        if s.row:
            rows.setdefault(s.file, []).append(json.dumps({**s.row, "text": s.text}, ensure_ascii=False))
            continue
        (folder / s.file).write_text(s.text, encoding="utf-8")
        if s.sidecar:
            (folder / s.file.replace(".txt", ".meta.json")).write_text(json.dumps(s.sidecar), encoding="utf-8")
    for name, lines in rows.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def small_assistant(tmp_path: Path, texts: dict[str, str]):
    """An `Assistant` with the fake encoder over a few articles written for one test: NAME.txt holds texts[NAME]."""
    from qa.api import Assistant

    corpus = Path(tmp_path) / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return Assistant(settings=fake_settings(corpus, Path(tmp_path) / "index"))


HARBOR = "Harbor news\n\nThe harbor in Velmora reopened to shipping after the storm.\n"  # an unrelated third article


def story_text(doc_id: str) -> str:
    return BY_ID[doc_id].text


# A labelled set in the `qa eval` format (tests/data/README.md), over these stories.
QUESTIONS: list[dict] = [
    {"question": "How many fishing boats may each country license on the lower Orlen?", "answerable": True,
     "docs": ["guardian_orlen_treaty"], "phrases": ["no more than 400 fishing boats"]},
    {"question": "How many homes would the turbines of the Orlen dam supply with electricity?", "answerable": True,
     "docs": ["reuters_orlen_court"], "phrases": ["supply electricity to 400,000 homes"]},
    {"question": "What did Storm Halvard leave without power on the Velmora coast?", "answerable": True,
     "docs": ["cnn_storm_halvard"], "phrases": ["leaving 60,000 homes without power"]},
    {"question": "What will the new Velmora tram line carry each day?", "answerable": True,
     "docs": ["ap_velmora_tram"], "phrases": ["30,000 passengers a day"]},
    {"question": "Who won the 2018 FIFA World Cup final?", "answerable": False},
    {"question": "What is the price of Bitcoin on the Nasdaq exchange?", "answerable": False},
]


def fake_settings(corpus: Path, index: Path, **overrides):
    """Settings for a corpus and index folder with the deterministic fake encoder: no model is ever loaded."""
    from qa.config import Settings

    return Settings(corpus=Path(corpus), index=Path(index), backend="fake", **overrides)


def occurrences(text: str, phrase: str) -> list[int]:
    """Every offset where the phrase starts in the text (overlaps included)."""
    out, at = [], text.find(phrase)
    while at >= 0:
        out.append(at)
        at = text.find(phrase, at + 1)
    return out
