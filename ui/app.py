"""The Gradio web app: chat with cited sources, timelines, quote checks, the corpus; /ask, /timeline and /verify API endpoints.

All answers come from `qa.api.Assistant`; this module only lays them out.
"""

from __future__ import annotations

import logging
from functools import partial

from qa.config import Settings, offline_env

offline_env()  # before gradio is imported: no telemetry, no hub

import gradio as gr  # noqa: E402

from ui import render  # noqa: E402
from ui.assets import CSS, HEAD, theme  # noqa: E402
from ui.chat import READ_PERMALINK, Chat, storage_secret  # noqa: E402
from ui.handlers import ALL_SOURCES, CONCURRENCY, UPLOAD_TYPES, Handlers, corpus_summary  # noqa: E402
from ui.timeline_chart import chart_html  # noqa: E402
from ui.orient import add_files, landing_markdown, refresh  # noqa: E402
from ui.serving import lean_sessions  # noqa: E402

log = logging.getLogger("ui")


def build_app(assistant, watch: bool = True) -> gr.Blocks:
    h = Handlers(assistant)
    if watch and assistant.settings.watch_seconds > 0:
        from ui.watch import CorpusWatcher

        CorpusWatcher(h, assistant.settings.watch_seconds).start()
    sources = h.source_choices()
    docs = assistant.docs()
    with gr.Blocks(title="News QA — cited answers", analytics_enabled=False) as demo:
        header = gr.Markdown(landing_markdown(docs), elem_id="qa-corpus-line")
        turns = gr.BrowserState([], storage_key="newsqa-conversation", secret=storage_secret(assistant.settings))
        chat = Chat(h)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
                with gr.Row(equal_height=False, elem_id="qa-chat-row"):
                    with gr.Column(scale=3, min_width=360, elem_id="qa-chat-col"):
                        chatbot = gr.Chatbot(
                            label="Conversation", elem_id="qa-chat", height=440, buttons=[], autoscroll=False,  # assets.py shows each answer from its start
                            feedback_options=None, latex_delimiters=[], placeholder="Ask about the articles. Follow-up questions keep the topic.",
                        )
                        with gr.Row(elem_id="qa-ask-row"):
                            msg = gr.Textbox(placeholder="Ask a question…", show_label=False, scale=5, elem_id="qa-question", autofocus=True)
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-ask", min_width=80)
                        with gr.Row():
                            since = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any", elem_id="qa-since", scale=1)
                            until = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any", elem_id="qa-until", scale=1)
                            source = gr.Dropdown(sources, value=ALL_SOURCES, label="Source", elem_id="qa-source", scale=1)
                        gr.Examples(h.examples(), inputs=[msg], label="Example questions", elem_id="qa-examples")
                        with gr.Row():
                            export_btn = gr.Button("Export conversation (.md)", size="sm", elem_id="qa-export")
                            clear_btn = gr.Button("New conversation", size="sm", elem_id="qa-clear")
                        carry = gr.Textbox(visible="hidden", elem_id="qa-carry")
                    with gr.Column(scale=2, min_width=320, elem_id="qa-sources-col"):
                        gr.Markdown("### Sources")
                        sources_panel = gr.HTML(render.sources_html([], h.article), elem_id="qa-sources", max_height=760)
            with gr.Tab("Timeline", id="timeline", elem_id="tab-timeline"):
                with gr.Row():
                    topic = gr.Textbox(label="Topic", placeholder="e.g. humanitarian pause in Aleppo", scale=4, elem_id="qa-topic")
                    tl_since = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any", scale=1)
                    tl_until = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any", scale=1)
                    tl_source = gr.Dropdown(sources, value=ALL_SOURCES, label="Source", scale=1)
                tl_btn = gr.Button("Build timeline", variant="primary", elem_id="qa-timeline-btn")
                plot = gr.HTML(chart_html(None, ""), elem_id="qa-plot")  # statements per day/week/month (ui/timeline_chart.py)
                tl_html = gr.HTML(render.timeline_html([], ""), elem_id="qa-timeline")
            with gr.Tab("Verify", id="verify", elem_id="tab-verify"):
                with gr.Row():
                    vf_quote = gr.Textbox(label="Quotation", placeholder="e.g. “We came to Geneva to talk,” Varga said", lines=2, scale=4, elem_id="qa-vf-quote")
                    vf_speaker = gr.Textbox(label="Said by (optional)", placeholder="a name", scale=1, elem_id="qa-vf-speaker")
                vf_btn = gr.Button("Check quotation", variant="primary", elem_id="qa-vf-btn")
                vf_html = gr.HTML(render.verify_html(None), elem_id="qa-verify")
            with gr.Tab("Corpus", id="corpus", elem_id="tab-corpus"):
                summary = gr.Markdown(corpus_summary(docs))
                table = gr.Dataframe(
                    h.table(), interactive=False, wrap=True, elem_id="qa-table", max_height=320,
                    column_widths=["19%", "45%", "10%", "12%", "8%", "6%"],
                )
                with gr.Row():
                    doc_box = gr.Dropdown([d["doc_id"] for d in docs], label="doc_id", allow_custom_value=True, scale=4, elem_id="qa-docid")
                    show_btn = gr.Button("Show article", scale=1, elem_id="qa-show")
                article_view = gr.HTML(render.article_html(None), elem_id="qa-article", max_height=600)
                gr.Markdown("### Add articles\n.txt (one article per file), .csv or .jsonl (one article per row). They are indexed at once.")
                upload = gr.File(file_count="multiple", file_types=list(UPLOAD_TYPES), label="Files", elem_id="qa-upload")
                add_btn = gr.Button("Add to corpus", variant="primary", elem_id="qa-add")
                status = gr.Markdown(elem_id="qa-status")

        read = dict(concurrency_limit=CONCURRENCY, concurrency_id="read", api_visibility="private")
        chat_out = [msg, chatbot, turns, sources_panel, carry]
        chat_io = dict(fn=chat.respond, inputs=[msg, turns, since, until, source], outputs=chat_out, **read)
        after = dict(fn=None, inputs=[carry], js="(c) => window.qaAfterAnswer && window.qaAfterAnswer(c)")
        msg.submit(**chat_io).then(**after)
        ask_btn.click(**chat_io).then(**after)
        clear_btn.click(chat.clear, outputs=chat_out, api_visibility="private").then(**after)
        chatbot.clear(chat.clear, outputs=chat_out, api_visibility="private").then(**after)
        export_btn.click(None, js="() => { window.qaExport && window.qaExport(); }")
        demo.load(
            chat.open_page, inputs=[turns, msg, since, until, source], outputs=[*chat_out, since, until, source], js=READ_PERMALINK,
            concurrency_limit=None, concurrency_id="page", api_visibility="private",  # not queued behind questions: restore at once
        ).then(fn=None, inputs=[carry], js="(c) => { window.qaAfterAnswer(c); document.documentElement.dataset.qaReady = '1'; }")
        tl_io = dict(fn=h.timeline_view, inputs=[topic, tl_since, tl_until, tl_source], outputs=[plot, tl_html], **read)
        topic.submit(**tl_io)
        tl_btn.click(**tl_io)
        vf_io = dict(fn=h.verify_view, inputs=[vf_quote, vf_speaker], outputs=[vf_html], **read)
        vf_btn.click(**vf_io)
        vf_speaker.submit(**vf_io)
        table.select(h.select_row, outputs=[doc_box, article_view], api_visibility="private")
        show_btn.click(h.show_article, inputs=[doc_box], outputs=[article_view], api_visibility="private")
        doc_box.select(h.show_article, inputs=[doc_box], outputs=[article_view], api_visibility="private")
        refresh_outputs = [table, doc_box, source, tl_source, summary, header]
        add_btn.click(partial(add_files, h), inputs=[upload], outputs=[status, upload, *refresh_outputs], concurrency_limit=1, concurrency_id="write", api_visibility="private")
        demo.load(partial(refresh, h), outputs=refresh_outputs, api_visibility="private")

        def ask(question: str, since: str = "", until: str = "", source: str = "", k: int = 0, history: list | None = None) -> dict:
            """Answer a question from the articles (as a follow-up of `history`, oldest first: the earlier questions, or
            the earlier answers as /ask returned them, so that a follow-up that needs the conversation is asked among
            the last one's articles first): the same JSON object as `qa ask --json`; "asked" is the stand-alone
            question that was answered."""
            try:
                return h.ask_dict(question, since, until, source, k, history)
            except ValueError as exc:
                raise gr.Error(str(exc)) from None
            except Exception:  # noqa: BLE001
                log.exception("api ask %r", question)
                raise gr.Error("Something went wrong while answering.") from None

        def timeline(topic: str, since: str = "", until: str = "", source: str = "") -> list[dict]:
            """What each article said about the topic, oldest first, with what changed (as `qa timeline --json`)."""
            try:
                return h.timeline_dicts(topic, since, until, source)
            except ValueError as exc:
                raise gr.Error(str(exc)) from None
            except Exception:  # noqa: BLE001
                log.exception("api timeline %r", topic)
                raise gr.Error("Something went wrong while building the timeline.") from None

        gr.api(ask, api_name="ask", concurrency_limit=CONCURRENCY, concurrency_id="read")
        gr.api(timeline, api_name="timeline", concurrency_limit=CONCURRENCY, concurrency_id="read")

        def verify(quote: str, speaker: str = "") -> dict:
            """Check a quotation: verdict, every article it appears in (oldest first), who says it (as `qa verify --json`)."""
            try:
                return h.verify_dict(quote, speaker)
            except Exception:  # noqa: BLE001
                log.exception("api verify %r", quote)
                raise gr.Error("Something went wrong while checking the quotation.") from None

        gr.api(verify, api_name="verify", concurrency_limit=CONCURRENCY, concurrency_id="read")
    # queue positions sent every second, not to every waiting client each time a question starts (50 waiting: 50 messages)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=128, status_update_rate=1)
    return demo


def launch_kwargs() -> dict:
    """What `launch` needs besides host and port: local assets only."""
    return dict(
        theme=theme(), css=CSS, head=HEAD, show_error=False, ssr_mode=False, pwa=False, mcp_server=False,
        share=False, inbrowser=False, footer_links=["api", "settings"], run_history=False, quiet=True,
    )


def load_assistant(settings: Settings):
    """Build or update the index and load the model once, before the server starts."""
    from qa.api import Assistant

    assistant = Assistant(settings=settings)
    assistant.encoder.encode(["warm up"])  # the model loads now, not on the first question
    return assistant


def serve(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 7860, block: bool = True):
    """Start the web app; returns the Blocks when block=False."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    log.setLevel(logging.INFO)
    assistant = load_assistant(settings or Settings())
    demo = build_app(assistant)
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=True, **launch_kwargs())
    lean_sessions(demo)  # an API call's session no longer builds every component's config
    log.info("News QA running on http://%s:%s/ (%d articles)", host, port, len(assistant.docs()))
    if block:
        demo.block_thread()
    return demo
