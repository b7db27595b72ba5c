"""The `qa` command: thin wrappers over `qa.api.Assistant`."""

from __future__ import annotations

import json
import logging
import sys
import textwrap
from pathlib import Path

import click

from qa.config import Settings

HERE = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = HERE / "tests" / "data" / "eval.jsonl"


def _settings(corpus: str | None, index: str | None, model: str | None = None) -> Settings:
    s = Settings()
    if corpus:
        s.corpus = Path(corpus)
    if index:
        s.index = Path(index)
    if model:
        s.model = model
    return s


def _assistant(settings: Settings, progress: bool = False):
    """The Assistant, its index brought up to date; what the update had to say goes to stderr."""
    from qa.api import Assistant

    try:
        a = Assistant(settings=settings, progress=progress)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    if a.last_report and not a.last_report.up_to_date:
        for w in a.last_report.warnings:
            click.echo(f"warning: {w}", err=True)
    return a


class SafeGroup(click.Group):
    """No traceback reaches a user: an unexpected error is one line (the traceback with -v)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader went away (| head): nothing more to say
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except Exception as exc:  # noqa: BLE001
            if logging.getLogger().isEnabledFor(logging.INFO):
                raise
            raise click.ClickException(f"{type(exc).__name__}: {exc} (run with -v for details)") from None


corpus_opt = click.option("--corpus", type=click.Path(), help="Folder of articles (.txt, .csv, .jsonl). Default: $QA_CORPUS or ./seeds")
index_opt = click.option("--index", "index_dir", type=click.Path(), help="Index folder. Default: $QA_INDEX or ./index")
model_opt = click.option("--model", help="e5+minilm, minilm, e5, or a sentence-transformers folder. Default: $QA_MODEL or e5+minilm (e5 retrieves, MiniLM reads)")


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.version_option(package_name="newsqa")
def main(verbose: bool) -> None:
    """Ask questions of a news corpus; every answer sentence is quoted from an article and cited."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@main.command("index")
@corpus_opt
@index_opt
@model_opt
@click.option("--rebuild", is_flag=True, help="Rebuild from the corpus whatever the index holds (cached embeddings are reused).")
@click.option("--verify", is_flag=True, help="Check every index file against its checksum; heal a damaged index.")
def index_cmd(corpus, index_dir, model, rebuild, verify):
    """Build or update the index (embeds only what changed)."""
    from qa.build import build_index
    from qa.encoders import encoder_for

    s = _settings(corpus, index_dir, model)
    if verify:
        _verify(Path(s.index))
    try:
        rep = build_index(s, lambda: encoder_for(s), progress=True, rebuild=rebuild)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    for w in rep.warnings:
        click.echo(f"warning: {w}", err=True)
    if rep.up_to_date:
        click.echo(f"index up to date: {rep.docs} articles, {rep.chunks} passages ({s.index})")
    else:
        click.echo(
            f"indexed {rep.docs} articles, {rep.chunks} passages in {rep.seconds:.1f}s: "
            f"{len(rep.added)} added, {len(rep.changed)} changed, {len(rep.removed)} removed; "
            f"{rep.embedded} passages embedded, {rep.reused} reused ({s.index})"
        )


def _verify(index_dir: Path) -> None:
    """Hash every file of the live generation; a damaged one is moved aside (the build that follows rebuilds it)."""
    from qa.search.generations import damage, quarantine, read_manifest

    manifest = read_manifest(index_dir)
    if manifest is None:
        click.echo(f"verify: no index in {index_dir} yet")
        return
    why = damage(index_dir, manifest, deep=True)
    if why is None:
        click.echo(f"verify: {manifest['generation']} matches its checksums ({len(manifest.get('files', {}))} files)")
        return
    moved = quarantine(index_dir, manifest)
    click.echo(f"verify: {manifest['generation']} is damaged ({why}); moved aside to {moved.name if moved else '-'}", err=True)


@main.command()
@click.argument("question", nargs=-1, required=True)
@corpus_opt
@index_opt
@model_opt
@click.option("-k", type=int, default=None, help="Passages to cite at most (default 5).")
@click.option("--since", help="Only articles dated on or after YYYY-MM-DD.")
@click.option("--until", help="Only articles dated on or before YYYY-MM-DD.")
@click.option("--source", multiple=True, help="Only articles from this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question, one per line; each argument is a question.")
@click.option("--follow-up", "follow_up", is_flag=True, help="With --json: each question follows up the ones before it (a conversation).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Markdown, as the app's \"Copy answer\": [n] markers and a numbered source list.")
@click.option("--as-written", "as_written", is_flag=True,
              help="Ask exactly as written: a word the articles never write is not read as the one they write one slip away.")
def ask(question, corpus, index_dir, model, k, since, until, source, as_json, follow_up, as_markdown, as_written):
    """Answer QUESTION with quoted, cited sentences. With --json, each argument is its own question."""
    for value in (since, until):
        if value:
            _check_date(value)
    questions = list(question) if as_json else [" ".join(question)]
    asked: list = []  # the earlier answers: a follow-up is read with them
    assistant = _assistant(_settings(corpus, index_dir, model))
    for q in questions:
        ans = assistant.ask(q, k=k, since=since, until=until, source=list(source) or None, history=asked if follow_up else None,
                            respell=not as_written)
        asked.append(ans)
        if as_json:
            click.echo(json.dumps(ans.to_dict(), ensure_ascii=False))
        elif as_markdown:
            from qa.carry import answer_markdown, locator

            click.echo(answer_markdown(ans.to_dict(), locator(assistant.article)))
        else:
            _print_answer(ans)


def _check_date(value: str) -> None:
    from qa.text.calendar import parse_iso_date

    try:
        parse_iso_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _print_answer(ans) -> None:
    from qa.carry import NEAREST_HEAD, quoted_text

    width = 100
    if ans.period:
        click.echo(click.style(f"Period: {ans.period.label}", dim=True))
    click.echo(textwrap.fill(ans.answer, width) if "\n" not in ans.answer else ans.answer)
    for note in ans.notes:
        click.echo(click.style(f"({note})", dim=True))
    for head, suggested in (("Outside the period (suggestions, not an answer):", ans.outside_period), (NEAREST_HEAD, ans.nearest)):
        if suggested:  # each with its words, as the app shows them: passages of one article are told apart
            click.echo(click.style("\n" + head, bold=True))
        for c in suggested:
            click.echo(f"  - {c.title} — {c.date or 'undated'}, {c.source or 'unknown source'} ({c.doc_id} {c.start}:{c.end})")
            click.echo(textwrap.indent(textwrap.fill(quoted_text(c.to_dict()), width - 6), "      "))
    if ans.citations:
        click.echo("\nSources:")
    for c in ans.citations:
        click.echo(click.style(f"[{c.n}] {c.title}", bold=True) + f" — {c.date or 'undated'}, {c.source or 'unknown source'} ({c.doc_id} {c.start}:{c.end})")
        click.echo(textwrap.indent(textwrap.fill(c.text, width - 4), "    "))
    click.echo()


@main.command()
@corpus_opt
@index_opt
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article, one per line.")
def docs(corpus, index_dir, as_json):
    """List the articles: title, date and how it was found, source, size, passages."""
    from qa.catalog import list_articles

    try:
        rows, warnings = list_articles(_settings(corpus, index_dir))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        else:
            click.echo(f"{r['date'] or 'undated':10}  {r['date_method']:16}  {r['source'] or '-':8}  {r['chunks']:4} passages  {r.get('encoding') or 'utf-8':10}  {r['doc_id']}  {r['title']}")


@main.command("eval")
@corpus_opt
@index_opt
@model_opt
@click.option("--set", "eval_set", type=click.Path(exists=True), default=str(DEFAULT_EVAL), show_default=True, help="Labelled questions (JSONL).")
@click.option("-k", type=int, default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--failures", is_flag=True, help="List the questions that went wrong.")
def eval_cmd(corpus, index_dir, model, eval_set, k, as_json, failures):
    """Score retrieval (hit@k, MRR; hybrid vs dense vs BM25) and answers (abstention, verbatim citations)."""
    from qa.evaluate import BadEvalSet, evaluate, load_set

    try:
        items = load_set(Path(eval_set))
    except BadEvalSet as exc:
        raise click.ClickException(str(exc)) from None
    rep = evaluate(_assistant(_settings(corpus, index_dir, model)), items, k=k)
    if as_json:
        click.echo(json.dumps({"questions": rep.questions, "answerable": rep.answerable, **rep.metrics, "failures": rep.failures}))
        return
    click.echo(f"{rep.questions} questions ({rep.answerable} answerable) from {eval_set}")
    for name, value in rep.metrics.items():
        click.echo(f"  {name:24} {value:.3f}")
    if failures:
        for f in rep.failures:
            click.echo(f"  - {f}")


@main.command()
@click.argument("topic", nargs=-1, required=True)
@corpus_opt
@index_opt
@click.option("--since", help="YYYY-MM-DD")
@click.option("--until", help="YYYY-MM-DD")
@click.option("--source", multiple=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry, in date order.")
def timeline(topic, corpus, index_dir, since, until, source, as_json):
    """What each article said about TOPIC, in date order, and what changed from one to the next."""
    for value in (since, until):
        if value:
            _check_date(value)
    from qa.answer.timeline import build_timeline

    assistant = _assistant(_settings(corpus, index_dir))
    entries = build_timeline(assistant, " ".join(topic), since=since, until=until, source=list(source) or None)
    if not entries and not as_json:
        click.echo("No article speaks to this topic.")
    for e in entries:
        if as_json:
            click.echo(json.dumps(e.to_dict(), ensure_ascii=False))
            continue
        click.echo(click.style(f"{e.date or 'undated'}  {e.title}", bold=True) + f" ({e.source or '-'}, {e.doc_id})")
        click.echo(textwrap.indent(textwrap.fill(e.text, 96), "    "))
        if e.change:
            click.echo(click.style(f"    {e.change_summary()}", dim=True))
        click.echo()


@main.command()
@click.argument("quote", nargs=-1, required=True)
@corpus_opt
@index_opt
@model_opt
@click.option("--speaker", help="Who the quote is attributed to (else a name in the quote itself: '\"…,\" Varga said').")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the verdict and every article it appears in.")
def verify(quote, corpus, index_dir, model, speaker, as_json):
    """Check QUOTE: verbatim, changed or not in the articles, where it first appeared, and who says it there."""
    v = _assistant(_settings(corpus, index_dir, model)).verify(" ".join(quote), speaker=speaker)
    if as_json:
        click.echo(json.dumps(v.to_dict(), ensure_ascii=False))
        return
    from qa.text.align import columns, rows

    colour = {"exact": "green", "minor differences": "yellow", "altered": "red", "close in meaning": "magenta"}
    click.echo(f"Quote:   {v.checked}" + (f"  (attributed to {v.speaker})" if v.speaker else ""))
    where = f" — {len(v.matches)} article(s), first appearance first" if v.matches else ""
    click.echo("Verdict: " + click.style(v.verdict.upper(), fg=colour.get(v.verdict, "red"), bold=True) + where)
    for note in v.notes:
        click.echo(click.style(f"({note})", dim=True))
    for i, m in enumerate(v.matches, 1):
        click.echo(click.style(f"\n[{i}] {m.title or m.doc_id}", bold=True) + f" — {m.date or 'undated'}, {m.source or 'unknown source'} ({m.doc_id} {m.start}:{m.end})")
        said = f"; said by {m.speaker}" if m.speaker else ""
        click.echo("    " + click.style(m.verdict, fg=colour.get(m.verdict), bold=True) + f" (words in common {m.overlap:.2f}, similarity {m.similarity:.2f}{said})")
        for row in rows(columns(m.segments), 88):  # the quote above the source, column by column; differences coloured
            for label, side, fg in (("quote: ", 1, "red"), ("source:", 2, "green")):
                cells = [(c[side], c[0] != "equal", c[3]) for c in row]
                click.echo(f"    {label} " + " ".join((click.style(t, fg=fg, bold=True) if hit else t) + " " * (w - len(t)) for t, hit, w in cells))
        if not m.segments:
            click.echo(textwrap.indent(textwrap.fill(m.text, 92), "    "))
        for note in m.notes:
            click.echo(click.style(f"    ({note})", fg="red" if note.startswith("misattributed") else None, dim=not note.startswith("misattributed")))


@main.command()
@corpus_opt
@index_opt
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=7860, show_default=True)
def serve(corpus, index_dir, host, port):
    """Start the web app (Gradio) on the corpus."""
    from ui.app import serve as run

    run(_settings(corpus, index_dir), host=host, port=port)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
