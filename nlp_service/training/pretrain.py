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
import sys
import time
from pathlib import Path

from nlp_service.models.artifacts import MODELS_DIR, record
from nlp_service.models.charbert import CLS, MASK, PAD, SEP, CharVocab, bert_config, save_json

WINDOW = 126


def corpus_windows() -> tuple[list[str], int]:
    """Windows of clean text, and the number of documents they came from."""
    from collections import Counter

    from nlp_service.errors import InputError
    from nlp_service.pipeline import Pipeline
    from nlp_service.training.corpus import training_documents

    pipeline = Pipeline.build()
    windows: list[str] = []
    ndocs = 0
    rejected: Counter = Counter()
    for _, text, title in training_documents():
        try:
            art = pipeline.extract(text, title=title)
        except InputError as exc:  # counted and reported, never dropped in silence
            rejected[exc.code.kind.code] += 1
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
    print(f"pretraining corpus: {ndocs} documents, {sum(rejected.values())} rejected by the pipeline"
          + (f" ({', '.join(f'{k} {v}' for k, v in rejected.most_common())})" if rejected else ""), file=sys.stderr)
    return [w for w in windows if len(w) >= 8], ndocs


def load_windows(path: Path) -> tuple[list[str], int]:
    """Windows written by ``--dump-windows`` (so that a bare GPU machine needs no jieba or opencc)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["windows"], data["documents"]


def mask_tokens(ids, vocab_size: int, gen):
    """BERT masking of a padded id tensor: (input ids, labels with -100 where not predicted).

    15% of the real characters (never [CLS]/[SEP]/[PAD]) are predicted; of those 80% become
    [MASK], 10% a random character, 10% stay. Vectorised, with a seeded ``torch.Generator``.
    """
    import torch

    maskable = ids > SEP
    pick = (torch.rand(ids.shape, generator=gen, device=ids.device) < 0.15) & maskable
    labels = torch.where(pick, ids, torch.full_like(ids, -100))
    r = torch.rand(ids.shape, generator=gen, device=ids.device)
    rand_ids = torch.randint(5, vocab_size, ids.shape, generator=gen, device=ids.device)
    inputs = torch.where(pick & (r < 0.8), torch.full_like(ids, MASK), ids)
    inputs = torch.where(pick & (r >= 0.8) & (r < 0.9), rand_ids, inputs)
    return inputs, labels


def pad(seqs: list[list[int]]):
    """A [n, max_len] tensor of ids, right-padded with [PAD]."""
    import torch

    out = torch.full((len(seqs), max(map(len, seqs))), PAD, dtype=torch.long)
    for i, seq in enumerate(seqs):
        out[i, : len(seq)] = torch.tensor(seq)
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the pretraining (see module docstring)."""
    import torch
    from transformers import BertForMaskedLM

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--minutes", type=float, default=40.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dump-windows", type=Path, help="only write the training windows to this JSON file")
    ap.add_argument("--windows", type=Path, help="read the windows from a --dump-windows file")
    args = ap.parse_args(argv)
    t0 = time.time()
    windows, ndocs = load_windows(args.windows) if args.windows else corpus_windows()
    if args.dump_windows:
        save_json(args.dump_windows, {"documents": ndocs, "windows": windows})
        print(f"{ndocs} documents, {len(windows):,} windows → {args.dump_windows}")
        return
    if not args.out:
        ap.error("--out is required")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    gen = torch.Generator(device=device).manual_seed(args.seed)
    vocab = CharVocab.build(windows, min_count=3)
    rng.shuffle(windows)
    n_eval = max(200, len(windows) // 50)
    eval_w, train_w = windows[:n_eval], windows[n_eval:]
    print(f"{ndocs} documents, {sum(map(len, windows)):,} characters, {len(windows):,} windows, "
          f"vocab {len(vocab)}, prepared in {time.time() - t0:.0f}s, device {device}", flush=True)

    config = bert_config(len(vocab), hidden=args.hidden, layers=args.layers, heads=args.heads)
    model = BertForMaskedLM(config).to(device)  # type: ignore[arg-type]  # transformers types .to() for dtypes only
    nparams = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    enc = pad([[CLS, *vocab.encode(w), SEP] for w in train_w]).to(device)
    enc_eval = pad([[CLS, *vocab.encode(w), SEP] for w in eval_w]).to(device)
    eval_inputs, eval_labels = mask_tokens(enc_eval, len(vocab), torch.Generator(device=device).manual_seed(0))
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=device == "cuda")

    def evaluate() -> tuple[float, float]:
        model.eval()
        loss_sum, correct, total = 0.0, 0, 0
        with torch.no_grad(), autocast:
            for k in range(0, len(enc_eval), 256):
                ids, lab = eval_inputs[k:k + 256], eval_labels[k:k + 256]
                out = model(input_ids=ids, attention_mask=(enc_eval[k:k + 256] != PAD).long(), labels=lab)
                m = lab != -100
                loss_sum += out.loss.float().item() * m.sum().item()
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
    while time.time() - start < budget:
        order = torch.randperm(len(enc), generator=gen, device=device)
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
            batch = enc[order[k:k + args.batch]]
            ids, lab = mask_tokens(batch, len(vocab), gen)
            with autocast:
                loss = model(input_ids=ids, attention_mask=(batch != PAD).long(), labels=lab).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad()
            step += 1
            seen += len(ids)
            if step % 500 == 0:
                el, ea = evaluate()
                history.append({"step": step, "minutes": round((time.time() - start) / 60, 1),
                                "train_loss": round(loss.item(), 3), "eval_loss": round(el, 3),
                                "eval_acc": round(ea, 3)})
                print(json.dumps(history[-1]), flush=True)
    el, ea = evaluate()
    args.out.mkdir(parents=True, exist_ok=True)
    model = model.cpu()
    model.save_pretrained(args.out, safe_serialization=True)  # model.safetensors + config.json (tied weights once)
    vocab.save(args.out / "vocab.txt")
    save_json(args.out / "pretrain.json", {
        "documents": ndocs, "characters": sum(map(len, windows)), "windows": len(windows), "eval_windows": n_eval,
        "vocab": len(vocab), "parameters": nparams, "steps": step, "sequences_seen": seen,
        "epochs": round(seen / len(enc), 2), "minutes": round((time.time() - start) / 60, 1), "device": device,
        "device_name": torch.cuda.get_device_name() if device == "cuda" else "cpu",
        "threads": args.threads, "batch": args.batch, "lr": args.lr, "seed": args.seed,
        "torch": torch.__version__, "eval_mlm_loss": round(el, 4), "eval_mlm_accuracy": round(ea, 4),
        "history": history,
    })
    if args.out.resolve().parent == MODELS_DIR.resolve():
        record([args.out / "model.safetensors", args.out / "vocab.txt", args.out / "config.json",
                args.out / "pretrain.json"])
    print(f"saved {args.out}: {step} steps, eval MLM loss {el:.3f}, accuracy {ea:.3f}", flush=True)


if __name__ == "__main__":
    main()
