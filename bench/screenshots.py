"""Screenshots of the web app for the README: the first screen, an answer, a change-over-time answer, the timeline,
and the chat on a 390 px phone.

    .venv/bin/python bench/screenshots.py [--out /tmp/newsqa-shots] [--url http://127.0.0.1:7860/] [--corpus seeds]

Without --url it starts `python -m ui` on a copy of the corpus (a fresh index in a temporary folder) and stops it
afterwards. Needs Playwright and Debian's chromium (/usr/bin/chromium); never downloads a browser. PNGs are not
committed: they go to --out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ANSWER = "What will Moscow do if Islamic State militants move from Mosul to Syria?"
CHANGE = "How did the position on the humanitarian pause in Aleppo change?"
TOPIC = "humanitarian pause in Aleppo"
T = 120_000


@contextmanager
def server(corpus: Path):
    """`python -m ui` on a free port over a copy of the corpus; yields its URL."""
    with tempfile.TemporaryDirectory(prefix="newsqa-shots-") as tmp:
        shutil.copytree(corpus, Path(tmp) / "corpus")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        cmd = [sys.executable, "-m", "ui", "--port", str(port), "--corpus", f"{tmp}/corpus", "--index", f"{tmp}/index"]
        with open(Path(tmp) / "server.log", "wb") as log:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 300
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the app did not start:\n{(Path(tmp) / 'server.log').read_text(errors='replace')[-2000:]}")
                try:
                    urllib.request.urlopen(url, timeout=5)
                    break
                except OSError:
                    time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            proc.wait(20)


def ask(page, question: str):
    """Send a question and wait for its answer; returns the answer's locator."""
    answers = page.locator("#qa-chat .qa-answer")
    before = answers.count()
    page.fill("#qa-question textarea", question)
    page.click("#qa-ask")
    page.wait_for_function("n => document.querySelectorAll('#qa-chat .qa-answer').length > n", arg=before, timeout=T)
    page.wait_for_timeout(500)
    return answers.nth(before)


def shoot(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, size in (("desktop", (1400, 1000)), ("phone", (390, 844))):
            page = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
            page.set_default_timeout(T)
            page.goto(url)
            page.wait_for_selector("html[data-qa-ready='1']")
            if name == "phone":
                ask(page, ANSWER)
                shots.append(out / "5_phone_390.png")
                page.screenshot(path=str(shots[-1]), full_page=True)
                continue
            shots.append(out / "1_first_screen.png")
            page.screenshot(path=str(shots[-1]))
            ask(page, ANSWER).locator("a.qa-cite").first.click()
            page.mouse.move(0, 0)
            shots.append(out / "2_answer.png")
            page.screenshot(path=str(shots[-1]))
            ask(page, CHANGE)  # the app shows a long answer from its first line
            shots.append(out / "3_change_over_time.png")
            page.screenshot(path=str(shots[-1]))
            page.get_by_role("tab", name="Timeline").click()
            page.fill("#qa-topic textarea", TOPIC)
            page.click("#qa-timeline-btn")
            page.locator("#qa-timeline .qa-entry").first.wait_for(state="visible")
            page.wait_for_timeout(1000)
            shots.append(out / "4_timeline.png")
            page.screenshot(path=str(shots[-1]), full_page=True)
        browser.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/newsqa-shots"), help="folder for the PNGs (default /tmp/newsqa-shots)")
    ap.add_argument("--url", help="a running app; default: start one on --corpus")
    ap.add_argument("--corpus", type=Path, default=ROOT / "seeds", help="articles for the app this script starts (default seeds/)")
    ap.add_argument("--small", action="store_true", help="shrink the PNGs for the README (≤1000 px wide, 128 colours)")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    if args.url:
        shots = shoot(args.url, args.out)
    else:
        with server(args.corpus) as url:
            shots = shoot(url, args.out)
    for s in shots:
        if args.small:
            shrink(s)
        print(f"{s}  {s.stat().st_size // 1024} KB")
    return 0


def shrink(path: Path, width: int = 1000, colors: int = 128) -> None:
    """Make a picture small enough for the README (docs/): at most `width` px wide, a palette of `colors`."""
    from PIL import Image

    im = Image.open(path).convert("RGB")
    if im.width > width:
        im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
    im.quantize(colors=colors, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


if __name__ == "__main__":
    sys.exit(main())
