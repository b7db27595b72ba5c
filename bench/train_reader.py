"""Train the reader: a cross-encoder fine-tuned from the bundled all-MiniLM-L6-v2 weights on the TRAIN split's pairs,
then exported to ONNX and quantised to int8 (qa/answer/reader.onnx, read by qa/answer/reader.py).

    .venv/bin/python bench/reader_pairs.py --split train --out /tmp/ce/train.jsonl     # ~2 minutes
    .venv/bin/python bench/train_reader.py train --pairs /tmp/ce/train.jsonl --work /tmp/ce   # ~40 minutes
    .venv/bin/python bench/train_reader.py export --work /tmp/ce
    .venv/bin/python bench/fit_scorer.py                     # then refit the scorers on it (its docstring: 3 steps)

    .venv/bin/python bench/reader_pairs.py --split dev --out /tmp/ce/dev.jsonl         # the reader alone, on dev:
    .venv/bin/python bench/train_reader.py evaluate --pairs /tmp/ce/dev.jsonl --work /tmp/ce   # a checkpoint
    .venv/bin/python bench/train_reader.py evaluate --pairs /tmp/ce/dev.jsonl --onnx qa/answer/reader.onnx

Per question, every positive candidate and the highest-ranked negatives (plus one from further down) are kept: the
reader sees the near-misses it must tell apart. One epoch (38,702 pairs, 1,210 steps of 32), binary cross-entropy,
AdamW with linear warm-up/decay. Until about step 150 it predicts the base rate; it then learns (dev top-1 passage
0.61 at step 200, 0.75 at step 500).
Its score is one more feature of the fitted scorer (bench/fit_scorer.py), never used alone.

Tried and not shipped (more pairs, all 6 layers, an answer-span head beside the logit: `--span W`; fine-tuning a
trained reader further, `--init DIR`, on negatives from larger pooled corpora): BENCHMARKS.md, "Tried after the reader,
not shipped" and "Tried for abstention in larger corpora".
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


def load_pairs(path: str, seed: int = 13) -> list[tuple[str, str, float, list[str]]]:
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
        out += [(p["q"], passage(p), float(p["label"]), p.get("answers", [])) for p in picked]
    rng.shuffle(out)
    return out


def reader_model(src, layers: int | None = None, head=None, span: bool = False):
    """The first `layers` of MiniLM, mean-pooled over the pair's tokens, then one linear unit (the logit). Mean pooling,
    as the bi-encoder was trained: a [CLS] head on these weights collapsed to a constant (measured: loss stuck at the
    label entropy for 400 steps). With `span`, a second head scores each token as the answer's start and end (SQuAD
    2.0 style: [CLS] when the passage holds no answer), trained beside the logit so that the reader must find the
    answer, not only the topic; `answer_score` turns it into one number per pair."""
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self):
            super().__init__()
            kw = {"num_hidden_layers": layers} if layers else {}
            self.encoder = AutoModel.from_pretrained(src, **kw)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)
            self.span = torch.nn.Linear(self.encoder.config.hidden_size, 2) if span else None

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            logit = self.head(pooled).squeeze(-1)
            if self.span is None:
                return logit
            return logit, *span_logits(self.span(hidden), attention_mask, token_type_ids)

    model = Reader()
    if head is not None:
        state = torch.load(head)
        model.head.load_state_dict(state["head"] if "head" in state else state)
        if span and "span" in state:
            model.span.load_state_dict(state["span"])
    return model


def span_logits(token_logits, attention_mask, token_type_ids):
    """Start and end logits per token, only the passage's tokens and [CLS] (no answer) allowed."""
    import torch

    allowed = (token_type_ids == 1) & (attention_mask == 1)
    allowed[:, 0] = True
    low = torch.finfo(token_logits.dtype).min / 4
    start = token_logits[..., 0].masked_fill(~allowed, low)
    end = token_logits[..., 1].masked_fill(~allowed, low)
    return start, end


def answer_score(start, end):
    """How much more the best answer span scores than "no answer": best start + best end - [CLS]'s two."""
    return start[:, 1:].max(1).values + end[:, 1:].max(1).values - start[:, 0] - end[:, 0]


def span_targets(enc, batch, tokens: int) -> tuple[list[int], list[int]]:
    """Token index of the first answer string's start and end in each passage ([CLS] = 0 when none, or cut off)."""
    starts, ends = [], []
    for i, (_, text, label, answers) in enumerate(batch):
        s = e = 0
        low = text.lower()
        at = min(((low.find(a.lower()), len(a)) for a in answers if a and low.find(a.lower()) >= 0), default=None) if label else None
        if at is not None:
            a0, a1 = at[0], at[0] + at[1]
            seq, offsets = enc.sequence_ids(i), enc["offset_mapping"][i].tolist()
            toks = [t for t in range(tokens) if seq[t] == 1 and offsets[t][1] > offsets[t][0]]
            first = [t for t in toks if offsets[t][0] <= a0 < offsets[t][1] or offsets[t][0] >= a0]
            last = [t for t in toks if offsets[t][0] < a1]
            if first and last and first[0] <= last[-1] and offsets[last[-1]][1] >= a1:
                s, e = first[0], last[-1]
        starts.append(s)
        ends.append(e)
    return starts, ends


def train(args) -> None:
    import torch
    from transformers import AutoTokenizer

    from qa.encoders.base import bundled_model_dir

    torch.manual_seed(13)
    torch.set_num_threads(args.threads)
    src = Path(args.init) if args.init else bundled_model_dir()
    tok = AutoTokenizer.from_pretrained(src)
    model = reader_model(src, None if args.init else args.layers, head=src / "head.pt" if args.init else None, span=args.span > 0)
    data = load_pairs(args.pairs)
    if args.max_pairs:
        data = data[: args.max_pairs]
    steps = (len(data) + args.batch - 1) // args.batch
    print(f"{len(data)} pairs ({sum(y for _, _, y, _ in data):.0f} positive), {steps} steps", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    t0, run = time.perf_counter(), 0.0
    work = Path(args.work)
    for step in range(steps):
        batch = data[step * args.batch : (step + 1) * args.batch]
        enc = tok([q for q, _, _, _ in batch], [p for _, p, _, _ in batch], truncation="only_second",
                  max_length=MAX_LENGTH, padding=True, return_tensors="pt", return_offsets_mapping=args.span > 0)
        out = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        labels = torch.tensor([y for _, _, y, _ in batch])
        if args.span > 0:
            logits, start, end = out
            s_at, e_at = span_targets(enc, batch, enc["input_ids"].shape[1])
            ce = torch.nn.functional.cross_entropy
            loss = loss_fn(logits, labels) + args.span * (ce(start, torch.tensor(s_at)) + ce(end, torch.tensor(e_at))) / 2
        else:
            loss = loss_fn(out, labels)
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
            heads = {"head": model.head.state_dict(), **({"span": model.span.state_dict()} if model.span is not None else {})}
            torch.save(heads, work / "reader-torch" / "head.pt")
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


def evaluate(args) -> None:
    """The reader alone on dev pairs (bench/reader_pairs.py --split dev), the first READ candidates of each question as
    the app reads them: how often its best passage is a right one (beside the hybrid ranking's first), the AUC of its
    best score between answerable and split-corpus questions, and the share of split-corpus questions it would stop at
    the false abstention the scorer allows. `--onnx F` scores a shipped model, else the checkpoint in --work; for a
    checkpoint with a span head, the same figures for its answer score (best span over "no answer")."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from qa.answer.extractive import READ
    from fit_scorer import MAX_FALSE_ABSTENTION

    by_q: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with open(args.pairs) as f:
        for line in f:
            p = json.loads(line)
            by_q[(p["set"], p["qid"])].append(p)
    scores = {"reader": {}, "answer span": {}}
    score_fn = onnx_scores(args.onnx) if args.onnx else torch_scores(Path(args.work), args.threads)
    for key, cands in by_q.items():
        cands = sorted(cands, key=lambda p: p["rank"])[:READ]
        labels = np.asarray([p["label"] for p in cands])
        for name, values in score_fn(cands[0]["q"], [passage(p) for p in cands]).items():
            scores[name][key] = (values, labels)
    for name, got in scores.items():
        for s in sorted({k[0] for k in got}):
            best = {qid: (float(v.max()), int(lab[int(np.argmax(v))]), int(lab[0])) for (ss, qid), (v, lab) in got.items() if ss == s}
            pos = [b for qid, b in best.items() if not qid.startswith("u:")]
            neg = [b[0] for qid, b in best.items() if qid.startswith("u:")]
            if not pos or not neg:
                continue
            auc = roc_auc_score([1] * len(pos) + [0] * len(neg), [b[0] for b in pos] + neg)
            stop = float(np.mean(np.asarray(neg) < np.quantile([b[0] for b in pos], MAX_FALSE_ABSTENTION)))
            print(f"{name} {s}: first right {np.mean([b[1] for b in pos]):.3f} (hybrid {np.mean([b[2] for b in pos]):.3f}), "
                  f"AUC {auc:.3f}, split-corpus stopped {stop:.3f}, {len(pos)} + {len(neg)} questions", flush=True)


def onnx_scores(path: str):
    from qa.answer.reader import TOKENIZER, OnnxReader

    reader = OnnxReader(Path(path), TOKENIZER)
    return lambda q, texts: {"reader": reader.score(q, [("", t) for t in texts])}


def torch_scores(work: Path, threads: int):
    import torch
    from transformers import AutoTokenizer

    torch.set_num_threads(threads)
    heads = torch.load(work / "reader-torch" / "head.pt")
    model = reader_model(work / "reader-torch", head=work / "reader-torch" / "head.pt", span="span" in heads).eval()
    tok = AutoTokenizer.from_pretrained(work / "reader-torch")

    def score(q: str, texts: list[str]) -> dict:
        enc = tok([q] * len(texts), texts, truncation="only_second", max_length=MAX_LENGTH, padding=True, return_tensors="pt")
        with torch.no_grad():
            out = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        if model.span is None:
            return {"reader": out.numpy()}
        return {"reader": out[0].numpy(), "answer span": answer_score(out[1], out[2]).numpy()}

    return score


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("train", "export", "evaluate"))
    ap.add_argument("--onnx", help="evaluate: a shipped model file instead of the checkpoint in --work")
    ap.add_argument("--pairs")
    ap.add_argument("--work", default="/tmp/ce")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-pairs", type=int, default=0)
    ap.add_argument("--layers", type=int, default=4, help="the first N of MiniLM's 6 layers (4: ~2/3 of the CPU per pair)")
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--span", type=float, default=0.0, help="weight of the answer-span loss (0: relevance only)")
    ap.add_argument("--init", help="train: start from this checkpoint (a reader-torch folder) instead of MiniLM's weights")
    args = ap.parse_args()
    {"train": train, "export": export, "evaluate": evaluate}[args.what](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
