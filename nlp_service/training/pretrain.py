"""Pretrain the char-BERT with masked-language modelling on the government documents.

usage: python -m nlp_service.training.pretrain --out models/charbert-gov [--minutes 40] [--threads 2]
       [--hidden 256 --layers 4 --heads 4]

Text: every train-split document of ``training.corpus`` (gov-work-reports + policy-docs; not
heldout, not the news archives, not the documents of gold excerpts or of the clause test split),
cleaned by our own pipeline (traditional → simplified, repeats removed), packed paragraph by
paragraph into windows of at most 126 characters. 2% of windows are kept out to report MLM loss
and accuracy. Masking follows BERT: 15% of characters, of which 80% ``[MASK]``, 10% random, 10%
kept. The run stops after ``--minutes`` of training (so that a CPU run has a known cost) and
saves ``model.safetensors``, ``config.json``, ``vocab.txt`` and ``pretrain.json`` (figures).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

from nlp_service.models.charbert import MASK, PAD, CharVocab, bert_config, save_json
from nlp_service.models.clauses import MODELS_DIR, record

WINDOW = 126


def corpus_windows() -> tuple[list[str], int]:
    """Windows of clean text, and the number of documents they came from."""
    from nlp_service.pipeline import Pipeline
    from nlp_service.training.corpus import training_documents

    pipeline = Pipeline.build()
    windows: list[str] = []
    ndocs = 0
    for _, text, title in training_documents():
        try:
            art = pipeline.extract(text, title=title)
        except ValueError:
            continue
        ndocs += 1
        buf = ""
        for p in art.paragraphs:
            t = "".join(p.text.split())
            while len(t) > WINDOW:
                windows.append(t[:WINDOW])
                t = t[WINDOW:]
            if len(buf) + len(t) > WINDOW:
                windows.append(buf)
                buf = ""
            buf += t
        if buf:
            windows.append(buf)
    return [w for w in windows if len(w) >= 8], ndocs


def mask_batch(batch: list[list[int]], vocab_size: int, rng: random.Random):
    """Input ids, attention mask and labels (-100 where not predicted) for one batch."""
    import torch

    n = max(len(x) for x in batch)
    ids = torch.full((len(batch), n), PAD, dtype=torch.long)
    labels = torch.full((len(batch), n), -100, dtype=torch.long)
    for i, seq in enumerate(batch):
        row = list(seq)
        for j in range(1, len(seq) - 1):  # never [CLS]/[SEP]
            if rng.random() < 0.15:
                labels[i, j] = seq[j]
                r = rng.random()
                if r < 0.8:
                    row[j] = MASK
                elif r < 0.9:
                    row[j] = rng.randrange(5, vocab_size)
        ids[i, : len(row)] = torch.tensor(row)
    return ids, (ids != PAD).long(), labels


def main(argv: list[str] | None = None) -> None:
    """Run the pretraining (see module docstring)."""
    import torch
    from transformers import BertForMaskedLM

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--minutes", type=float, default=40.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"

    t0 = time.time()
    windows, ndocs = corpus_windows()
    vocab = CharVocab.build(windows, min_count=3)
    rng.shuffle(windows)
    n_eval = max(200, len(windows) // 50)
    eval_w, train_w = windows[:n_eval], windows[n_eval:]
    print(f"{ndocs} documents, {sum(map(len, windows)):,} characters, {len(windows):,} windows, "
          f"vocab {len(vocab)}, prepared in {time.time() - t0:.0f}s", flush=True)

    config = bert_config(len(vocab), hidden=args.hidden, layers=args.layers, heads=args.heads)
    model = BertForMaskedLM(config).to(device)
    nparams = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    enc = [[2, *vocab.encode(w), 3] for w in train_w]
    enc_eval = [[2, *vocab.encode(w), 3] for w in eval_w]

    def evaluate() -> tuple[float, float]:
        model.eval()
        erng = random.Random(0)
        loss_sum, correct, total = 0.0, 0, 0
        with torch.no_grad():
            for k in range(0, len(enc_eval), 64):
                ids, att, lab = (t.to(device) for t in mask_batch(enc_eval[k:k + 64], len(vocab), erng))
                out = model(input_ids=ids, attention_mask=att, labels=lab)
                m = lab != -100
                loss_sum += out.loss.item() * m.sum().item()
                correct += (out.logits.argmax(-1)[m] == lab[m]).sum().item()
                total += m.sum().item()
        model.train()
        return loss_sum / total, correct / total

    budget = args.minutes * 60
    warmup, step, seen = 200, 0, 0
    est_total = None
    start = time.time()
    model.train()
    history = []
    order = list(range(len(enc)))
    while True:
        rng.shuffle(order)
        for k in range(0, len(order) - args.batch + 1, args.batch):
            elapsed = time.time() - start
            if elapsed >= budget:
                break
            if step == 50:
                est_total = int(budget / (elapsed / 50))
            total = est_total or 10**9
            lr_scale = min(1.0, (step + 1) / warmup) * (0.5 * (1 + math.cos(math.pi * min(1.0, step / total))))
            for g in opt.param_groups:
                g["lr"] = args.lr * max(lr_scale, 0.02)
            ids, att, lab = (t.to(device) for t in mask_batch([enc[i] for i in order[k:k + args.batch]],
                                                              len(vocab), rng))
            loss = model(input_ids=ids, attention_mask=att, labels=lab).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad()
            step += 1
            seen += len(ids)
            if step % 200 == 0:
                el, ea = evaluate()
                history.append({"step": step, "minutes": round((time.time() - start) / 60, 1),
                                "train_loss": round(loss.item(), 3), "eval_loss": round(el, 3),
                                "eval_acc": round(ea, 3)})
                print(json.dumps(history[-1]), flush=True)
        else:
            continue
        break
    el, ea = evaluate()
    args.out.mkdir(parents=True, exist_ok=True)
    model = model.cpu()
    model.save_pretrained(args.out, safe_serialization=True)  # model.safetensors + config.json (tied weights once)
    vocab.save(args.out / "vocab.txt")
    save_json(args.out / "pretrain.json", {
        "documents": ndocs, "characters": sum(map(len, windows)), "windows": len(windows), "eval_windows": n_eval,
        "vocab": len(vocab), "parameters": nparams, "steps": step, "sequences_seen": seen,
        "epochs": round(seen / len(enc), 2), "minutes": round((time.time() - start) / 60, 1), "device": device,
        "threads": args.threads, "batch": args.batch, "lr": args.lr, "seed": args.seed,
        "eval_mlm_loss": round(el, 4), "eval_mlm_accuracy": round(ea, 4), "history": history,
    })
    if args.out.resolve().parent == MODELS_DIR.resolve():
        record([args.out / "model.safetensors", args.out / "vocab.txt", args.out / "config.json",
                args.out / "pretrain.json"])
    print(f"saved {args.out}: {step} steps, eval MLM loss {el:.3f}, accuracy {ea:.3f}", flush=True)


if __name__ == "__main__":
    main()
