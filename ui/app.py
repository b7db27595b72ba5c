"""The Gradio web app: chat with cited sources, timelines, quote checks, the corpus; /ask, /timeline and /verify API endpoints.

All answers come from `qa.api.Assistant`; this module only lays them out.
"""

from __future__ import annotations

import logging

from qa.config import Settings, offline_env

offline_env()  # before gradio is imported: no telemetry, no hub

import gradio as gr  # noqa: E402

from ui import render  # noqa: E402
from ui.assets import CSS, HEAD, theme  # noqa: E402
from ui.handlers import ALL_SOURCES, CONCURRENCY, UPLOAD_TYPES, Handlers, corpus_summary  # noqa: E402

log = logging.getLogger("ui")


def build_app(assistant, watch: bool = True) -> gr.Blocks:
    h = Handlers(assistant)
    if watch and assistant.settings.watch_seconds > 0:
        from ui.watch import CorpusWatcher

        CorpusWatcher(h, assistant.settings.watch_seconds).start()
    sources = h.source_choices()
    docs = assistant.docs()
    with gr.Blocks(title="News QA — cited answers", analytics_enabled=False) as demo:
        gr.Markdown(
            "## News QA\nAnswers are sentences quoted from the articles, each cited [n]; "
            "click a marker to see the passage. If the articles do not answer, it says so."
        )
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(
                            label="Conversation", elem_id="qa-chat", height=480, buttons=["copy"],
                            feedback_options=None, latex_delimiters=[], placeholder="Ask about the articles. Follow-up questions keep the topic.",
                        )
                        with gr.Row():
                            msg = gr.Textbox(placeholder="Ask a question…", show_label=False, scale=5, elem_id="qa-question", autofocus=True)
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-ask", min_width=80)
                        with gr.Row():
                            since = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any", elem_id="qa-since", scale=1)
                            until = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any", elem_id="qa-until", scale=1)
                            source = gr.Dropdown(sources, value=ALL_SOURCES, label="Source", elem_id="qa-source", scale=1)
                        gr.Examples(h.examples(), inputs=[msg], label="Example questions", elem_id="qa-examples")
                        clear_btn = gr.Button("New conversation", size="sm", elem_id="qa-clear")
                    with gr.Column(scale=2, min_width=320):
                        gr.Markdown("### Sources")
                        sources_panel = gr.HTML(render.sources_html([], h.article), elem_id="qa-sources", max_height=760)
            with gr.Tab("Timeline", id="timeline", elem_id="tab-timeline"):
                with gr.Row():
                    topic = gr.Textbox(label="Topic", placeholder="e.g. humanitarian pause in Aleppo", scale=4, elem_id="qa-topic")
                    tl_since = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any", scale=1)
                    tl_until = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any", scale=1)
                    tl_source = gr.Dropdown(sources, value=ALL_SOURCES, label="Source", scale=1)
                tl_btn = gr.Button("Build timeline", variant="primary", elem_id="qa-timeline-btn")
                plot = gr.ScatterPlot(
                    None,
                    x="date", y="score", color="source", tooltip=["title", "date", "score", "doc_id"],
                    title="How strongly each article speaks to the topic", x_title="Article date", y_title="Relevance",
                    height=280, elem_id="qa-plot", x_axis_format="%Y-%m-%d",
                )
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
        chat_io = dict(fn=h.respond, inputs=[msg, turns, since, until, source], outputs=[msg, chatbot, turns, sources_panel], **read)
        msg.submit(**chat_io)
        ask_btn.click(**chat_io)
        clear_btn.click(h.clear, outputs=[msg, chatbot, turns, sources_panel], api_visibility="private")
        chatbot.clear(h.clear, outputs=[msg, chatbot, turns, sources_panel], api_visibility="private")
        tl_io = dict(fn=h.timeline_view, inputs=[topic, tl_since, tl_until, tl_source], outputs=[plot, tl_html], **read)
        topic.submit(**tl_io)
        tl_btn.click(**tl_io)
        vf_io = dict(fn=h.verify_view, inputs=[vf_quote, vf_speaker], outputs=[vf_html], **read)
        vf_btn.click(**vf_io)
        vf_speaker.submit(**vf_io)
        table.select(h.select_row, outputs=[doc_box, article_view], api_visibility="private")
        show_btn.click(h.show_article, inputs=[doc_box], outputs=[article_view], api_visibility="private")
        doc_box.select(h.show_article, inputs=[doc_box], outputs=[article_view], api_visibility="private")
        refresh_outputs = [table, doc_box, source, tl_source, summary]
        add_btn.click(h.add_files, inputs=[upload], outputs=[status, upload, *refresh_outputs], concurrency_limit=1, concurrency_id="write", api_visibility="private")
        demo.load(h.refresh_all, outputs=refresh_outputs, api_visibility="private")

        def ask(question: str, since: str = "", until: str = "", source: str = "", k: int = 0, history: list[str] | None = None) -> dict:
            """Answer a question from the articles (as a follow-up of the `history` questions, oldest first): the same
            JSON object as `qa ask --json`; its "asked" field is the stand-alone question that was answered."""
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
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=128)
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
    log.info("News QA running on http://%s:%s/ (%d articles)", host, port, len(assistant.docs()))
    if block:
        demo.block_thread()
    return demo
