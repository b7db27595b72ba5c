"""Train the reader: a cross-encoder fine-tuned from the bundled all-MiniLM-L6-v2 weights on the TRAIN split's pairs,
then exported to ONNX and quantised to int8 (qa/answer/reader.onnx, read by qa/answer/reader.py).

    .venv/bin/python bench/reader_pairs.py --split train --out /tmp/ce/train.jsonl     # ~2 minutes
    .venv/bin/python bench/train_reader.py train --pairs /tmp/ce/train.jsonl --work /tmp/ce   # ~40 minutes
    .venv/bin/python bench/train_reader.py export --work /tmp/ce
    .venv/bin/python bench/fit_scorer.py                                                 # then refit the scorer on it

Per question, every positive candidate and the highest-ranked negatives (plus one from further down) are kept: the
reader sees the near-misses it must tell apart. One epoch (38,702 pairs, 1,210 steps of 32), binary cross-entropy,
AdamW with linear warm-up/decay. Until about step 150 it predicts the base rate; it then learns (dev top-1 passage
0.61 at step 200, 0.75 at step 500).
Its score is one more feature of the fitted scorer (bench/fit_scorer.py), never used alone.

Tried and not shipped (more pairs, all 6 layers): BENCHMARKS.md, "Tried after the reader, not shipped".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answer.reader import MAX_LENGTH, passage_text  # noqa: E402

NEGATIVES = 3  # highest-ranked negatives per question, plus one drawn from the rest


def passage(p: dict) -> str:
    """What the reader reads of a passage: its title, then its text (as qa.answer.reader does)."""
    return passage_text(p["title"], p["text"])


def load_pairs(path: str, seed: int = 13) -> list[tuple[str, str, float]]:
    by_q: dict[str, list[dict]] = defaultdict(list)
    with open(path) as f:
        for line in f:
            p = json.loads(line)
            by_q[p["set"] + "/" + p["qid"]].append(p)
    rng = random.Random(seed)
    out = []
    for cands in by_q.values():
        cands.sort(key=lambda p: p["rank"])
        pos = [p for p in cands if p["label"]]
        neg = [p for p in cands if not p["label"]]
        picked = pos[:2] + neg[:NEGATIVES] + (rng.sample(neg[NEGATIVES:], 1) if len(neg) > NEGATIVES else [])
        out += [(p["q"], passage(p), float(p["label"])) for p in picked]
    rng.shuffle(out)
    return out


def reader_model(src, layers: int | None = None, head=None):
    """The first `layers` of MiniLM, mean-pooled over the pair's tokens, then one linear unit (the logit). Mean pooling,
    as the bi-encoder was trained: a [CLS] head on these weights collapsed to a constant (measured: loss stuck at the
    label entropy for 400 steps)."""
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self):
            super().__init__()
            kw = {"num_hidden_layers": layers} if layers else {}
            self.encoder = AutoModel.from_pretrained(src, **kw)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(pooled).squeeze(-1)

    model = Reader()
    if head is not None:
        model.head.load_state_dict(torch.load(head))
    return model


def train(args) -> None:
    import torch
    from transformers import AutoTokenizer

    from qa.encoders.base import bundled_model_dir

    torch.manual_seed(13)
    torch.set_num_threads(args.threads)
    src = bundled_model_dir()
    tok = AutoTokenizer.from_pretrained(src)
    model = reader_model(src, args.layers)
    data = load_pairs(args.pairs)
    if args.max_pairs:
        data = data[: args.max_pairs]
    steps = (len(data) + args.batch - 1) // args.batch
    print(f"{len(data)} pairs ({sum(y for _, _, y in data):.0f} positive), {steps} steps", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    t0, run = time.perf_counter(), 0.0
    work = Path(args.work)
    for step in range(steps):
        batch = data[step * args.batch : (step + 1) * args.batch]
        enc = tok([q for q, _, _ in batch], [p for _, p, _ in batch], truncation="only_second", max_length=MAX_LENGTH,
                  padding=True, return_tensors="pt")
        logits = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        loss = loss_fn(logits, torch.tensor([y for _, _, y in batch]))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        run = 0.98 * run + 0.02 * loss.item() if step else loss.item()
        if step % 20 == 0:
            print(f"step {step}/{steps} loss {run:.4f} {time.perf_counter() - t0:.0f}s", flush=True)
        if (step + 1) % args.save_every == 0 or step + 1 == steps:
            model.encoder.save_pretrained(work / "reader-torch")
            tok.save_pretrained(work / "reader-torch")
            torch.save(model.head.state_dict(), work / "reader-torch" / "head.pt")
            print(f"saved at step {step + 1}", flush=True)


def export(args) -> None:
    """ONNX (opset 17, dynamic batch and length), then int8 dynamic quantisation; copies into qa/answer/."""
    import shutil

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoTokenizer

    work = Path(args.work)
    model = reader_model(work / "reader-torch", head=work / "reader-torch" / "head.pt").eval()
    tok = AutoTokenizer.from_pretrained(work / "reader-torch")
    enc = tok(["who said it?"], ["He said it."], return_tensors="pt")
    fp32 = work / "reader.fp32.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dyn = {n: {0: "batch", 1: "length"} for n in names}
    torch.onnx.export(model, tuple(enc[n] for n in names), str(fp32), input_names=names, output_names=["logits"],
                      dynamic_axes={**dyn, "logits": {0: "batch"}}, opset_version=17, dynamo=False)
    out = ROOT / "qa" / "answer" / "reader.onnx"
    quantize_dynamic(str(fp32), str(work / "reader.int8.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(work / "reader.int8.onnx", out)
    shutil.copy(work / "reader-torch" / "tokenizer.json", ROOT / "qa" / "answer" / "reader_tokenizer.json")
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("train", "export"))
    ap.add_argument("--pairs")
    ap.add_argument("--work", default="/tmp/ce")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-pairs", type=int, default=0)
    ap.add_argument("--layers", type=int, default=4, help="the first N of MiniLM's 6 layers (4: ~2/3 of the CPU per pair)")
    ap.add_argument("--save-every", type=int, default=200)
    args = ap.parse_args()
    train(args) if args.what == "train" else export(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
