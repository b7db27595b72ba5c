"""ONNX Runtime backend: the same model exported once to ONNX (offline, cached beside the index); no torch at query time."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.encoders.base import BUNDLED, BatchEncoder, bundled_model_dir, is_bundled

log = logging.getLogger("qa.encoders")
INT8 = ".int8.onnx"  # the suffix of the int8 copy of an export (precision "int8")
EXPORT_VERSION = 2  # 2: the graph also outputs token embeddings (sentence vectors in context)


class Unsupported(RuntimeError):
    """The model is not a plain transformer + mean pooling; use the torch backend."""


def _model_dir(model: str) -> Path:
    path = bundled_model_dir() if is_bundled(model) else Path(model)
    if not path.is_dir():
        raise Unsupported(f"{model}: the ONNX backend needs a local model folder")
    return path


def check_supported(model_dir: Path) -> int:
    """The max sequence length, if the model is transformer + mean pooling (+ normalize); else Unsupported."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text())
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError) as exc:
        raise Unsupported(f"{model_dir}: not a sentence-transformers folder ({exc})") from None
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds[2:]) - {"Normalize"} or not pooling.get("pooling_mode_mean_tokens"):
        raise Unsupported(f"{model_dir}: modules {kinds} with this pooling are not supported by the ONNX backend")
    if any(pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")):
        raise Unsupported(f"{model_dir}: only mean pooling is supported by the ONNX backend")
    try:
        return int(json.loads((model_dir / "sentence_bert_config.json").read_text()).get("max_seq_length", 256))
    except (OSError, ValueError):
        return 256


def export(model_dir: Path, dest: Path) -> Path:
    """Export transformer + mean pooling to ONNX with torch (once); written atomically."""
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9), hidden

    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(f".{os.getpid()}.tmp")
    axes = {"b": 0, "s": 1}
    dyn = {n: {axes["b"]: "batch", axes["s"]: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(model), (ids, ids, torch.zeros_like(ids)), str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding", "tokens"],
            dynamic_axes={**dyn, "embedding": {0: "batch"}, "tokens": {0: "batch", 1: "seq"}}, opset_version=17, dynamo=False,
        )
    os.replace(tmp, dest)
    return dest


def quantized(onnx_path: Path) -> Path:
    """The export with int8 weights (dynamic quantisation of the matrix products, per channel), made once beside it."""
    dest = onnx_path.with_name(onnx_path.name + INT8)
    if dest.exists():
        return dest
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
    logging.disable(logging.WARNING)  # it advises pre-processing on the root logger: nothing for the user to do
    try:
        quantize_dynamic(str(onnx_path), str(tmp), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
    finally:
        logging.disable(logging.NOTSET)
    os.replace(tmp, dest)
    return dest


def open_session(path: Path, remake: Callable[[], Path], seconds: int):
    """An ONNX Runtime session on the export at `path`, one thread per call: batches run side by side (half the CPU per
    question, no spinning pool, twice the build speed). A damaged export (truncated, garbled) is made again, once, by
    `remake` (about `seconds`), which returns the file to open."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - whatever the damage, the remedy is the same
        print(f"the exported model {path} cannot be read ({type(exc).__name__}); exporting it again (about {seconds} s)",
              file=sys.stderr, flush=True)
        return ort.InferenceSession(str(remake()), opts, providers=["CPUExecutionProvider"])


class OnnxEncoder(BatchEncoder):
    def __init__(self, model: str = "", precision: str = "auto", threads: int = 0, cache: Path = Path("index/models")):
        from tokenizers import Tokenizer

        model_dir = _model_dir(model)
        max_len = check_supported(model_dir)
        key = hashlib.sha256(f"{EXPORT_VERSION}|{model_dir.resolve()}|{(model_dir / 'config.json').stat().st_mtime_ns}".encode()).hexdigest()[:16]
        onnx_path = Path(cache) / f"{model_dir.name}-{key}.onnx"
        if not onnx_path.exists():
            print(f"preparing the embedding model for fast CPU use (once, about 10 s): {onnx_path}", file=sys.stderr, flush=True)
            export(model_dir, onnx_path)
        self.precision = "int8" if precision == "int8" else "fp32"
        if self.precision == "int8":
            onnx_path = quantized(onnx_path)
        self.workers = threads or os.cpu_count() or 1

        def remake() -> Path:
            onnx_path.unlink(missing_ok=True)
            fp32 = onnx_path.with_name(onnx_path.name.removesuffix(INT8))  # a damaged int8 copy is made again from it
            if not fp32.exists():
                export(model_dir, fp32)
            return quantized(fp32) if self.precision == "int8" else fp32

        self.session = open_session(onnx_path, remake, seconds=10)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_len)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0)
        self.name = BUNDLED if is_bundled(model) else model
        self.query_prompt, self.passage_prompt = prompts(model_dir)
        self.dim = int(self.session.run(None, self._feed(["probe"]))[0].shape[1])
        self.backend = "onnx"

    def _feed(self, texts: list[str]) -> dict[str, np.ndarray]:
        return token_feed(self.tokenizer.encode_batch(texts))

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.session.run(["embedding"], self._feed(texts))[0]

    def encode_spans(
        self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 16, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector and, from the same pass, a vector per character span of it (its tokens' mean, in context)."""

        def run(batch: list[str], batch_spans: list[list[tuple[int, int]]]) -> list[tuple[np.ndarray, np.ndarray]]:
            enc = self.tokenizer.encode_batch(batch)
            pooled, hidden = self.session.run(["embedding", "tokens"], token_feed(enc))
            return [(pooled[row], span_means(hidden[row], enc[row], sp, pooled[row])) for row, sp in enumerate(batch_spans)]

        return self.one_pass_spans(texts, spans, batch_size, progress, run)


def prompts(model_dir: Path) -> tuple[str, str]:
    """The model's query and passage prompts from its sentence-transformers config ("query: " / "passage: " for e5),
    empty where it has none (all-MiniLM-L6-v2)."""
    try:
        found = json.loads((model_dir / "config_sentence_transformers.json").read_text()).get("prompts") or {}
    except (OSError, ValueError):
        return "", ""
    return str(found.get("query", "")), str(found.get("passage", found.get("document", "")))


def token_feed(encodings) -> dict[str, np.ndarray]:
    """A BERT-style model's inputs for a batch of padded `tokenizers` encodings."""
    return {
        "input_ids": np.asarray([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.asarray([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.asarray([e.type_ids for e in encodings], dtype=np.int64),
    }


def span_means(hidden: np.ndarray, encoding, spans: list[tuple[int, int]], fallback: np.ndarray, overlap: bool = False) -> np.ndarray:
    """The mean of the token vectors whose characters fall inside each span (with `overlap`, that overlap it: a
    SentencePiece token's offsets take in the space before its word); the text's mean when none do."""
    offsets = np.asarray(encoding.offsets, dtype=np.int64)
    real = np.asarray(encoding.attention_mask, dtype=bool) & (offsets[:, 1] > offsets[:, 0])
    out = np.zeros((len(spans), hidden.shape[1]), dtype=np.float32)
    for j, (s, e) in enumerate(spans):
        if overlap:
            inside = real & (offsets[:, 1] > s) & (offsets[:, 0] < e)
        else:
            inside = real & (offsets[:, 0] >= s) & (offsets[:, 1] <= e)
        out[j] = hidden[inside].mean(0) if inside.any() else fallback
    return out
