"""`python -m ui [--host H] [--port P] [--corpus DIR] [--index DIR]`: start the web app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.config import Settings, offline_env


def main(argv: list[str] | None = None) -> int:
    offline_env()
    defaults = Settings()
    p = argparse.ArgumentParser(prog="python -m ui", description="News QA web app (Gradio).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--corpus", default=str(defaults.corpus), help=f"folder of articles (default {defaults.corpus}, or $QA_CORPUS)")
    p.add_argument("--index", default=str(defaults.index), help=f"index folder (default {defaults.index}, or $QA_INDEX)")
    args = p.parse_args(argv)
    settings = Settings()
    settings.corpus, settings.index = Path(args.corpus), Path(args.index)
    if not settings.corpus.is_dir():
        print(f"error: corpus folder not found: {settings.corpus}", file=sys.stderr)
        return 2
    from ui.app import serve

    serve(settings, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
