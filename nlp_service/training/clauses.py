"""Train and compare the clause classifiers on ``corpus/clauses/clauses.jsonl``.

usage: nlp-service train clauses --model sklearn|charbert|rules|all [--minutes 10] [--threads 2]
       (= python -m nlp_service.training.clauses …)

Data: the hand-labelled clauses (guide ``clauses-v1``), split by document before labelling
(``split`` field). Model choices look only at ``train``: scikit-learn's regularisation by 5-fold
cross-validation grouped by document, char-BERT's epoch by a validation slice of the train
documents. ``test`` is scored once per trained model and written to ``metrics.json``; the
comparison table in the model cards and README is made from those files
(``python -m nlp_service.training.clauses --table``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

from nlp_service.extract.commitments import LABELS, ClauseContext
from nlp_service.models.clauses import MODELS_DIR, RulesClassifier, record, sklearn_input

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpus" / "clauses" / "clauses.jsonl"
PRETRAINED = MODELS_DIR / "charbert-gov-mlm"


def load(path: Path = DATA) -> list[dict]:
    """Labelled clauses."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def context(row: dict) -> ClauseContext:
    """The classifier input of one labelled row."""
    return ClauseContext(row["clause"], row["sentence"], row.get("before") or "", row.get("heading"), row.get("title"))


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """Per-label precision/recall/F1, macro F1, accuracy."""
    out: dict = {}
    for lab in LABELS:
        tp = sum(g == p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(p == lab != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab != p for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[lab] = {"precision": round(prec, 3), "recall": round(rec, 3),
                    "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0, "support": tp + fn}
    out["macro_f1"] = round(sum(out[lab]["f1"] for lab in LABELS) / len(LABELS), 3)
    out["accuracy"] = round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 3)
    return out


def _write_metrics(name: str, payload: dict) -> Path:
    d = MODELS_DIR / name
    d.mkdir(parents=True, exist_ok=True)
    path = d / "metrics.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def evaluate_rules(rows: list[dict]) -> dict:
    """The rules baseline on the test split (no training)."""
    test = [r for r in rows if r["split"] == "test"]
    clf = RulesClassifier()
    t0 = time.perf_counter()
    pred = [p for p, _ in clf.predict([context(r) for r in test])]
    secs = time.perf_counter() - t0
    m = {"model": "clauses-rules", "version": "1", "test": scores([r["label"] for r in test], pred),
         "test_clauses": len(test), "clauses_per_second": round(len(test) / secs)}
    _write_metrics("clauses-rules", m)
    return m


def train_sklearn(rows: list[dict], seed: int = 0) -> dict:
    """TF-IDF char n-grams + logistic regression; C chosen by grouped 5-fold CV on train."""
    import numpy as np
    import skops.io as sio
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.pipeline import FeatureUnion, make_pipeline

    from nlp_service.models.clauses import clause_part, context_part

    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    x = [sklearn_input(context(r)) for r in train]
    y = np.array([r["label"] for r in train])
    features = FeatureUnion([
        ("clause", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=clause_part,
                                   sublinear_tf=True, min_df=2)),
        ("context", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=context_part,
                                    sublinear_tf=True, min_df=2, max_features=20000)),
    ])
    pipe = make_pipeline(features, LogisticRegression(max_iter=3000, class_weight="balanced", random_state=seed))
    grid = GridSearchCV(pipe, {"logisticregression__C": [0.5, 1, 2, 4, 8, 16]}, scoring="f1_macro",
                        cv=GroupKFold(n_splits=5), n_jobs=1)
    t0 = time.perf_counter()
    grid.fit(x, y, groups=[r["doc"] for r in train])
    train_secs = time.perf_counter() - t0
    model = grid.best_estimator_
    t0 = time.perf_counter()
    pred = list(model.predict([sklearn_input(context(r)) for r in test]))
    secs = time.perf_counter() - t0
    d = MODELS_DIR / "clauses-sklearn"
    d.mkdir(parents=True, exist_ok=True)
    sio.dump(model, d / "model.skops", compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    m = {"model": "clauses-sklearn", "version": "1", "best_C": grid.best_params_["logisticregression__C"],
         "cv_macro_f1": round(grid.best_score_, 3), "train_clauses": len(train), "test_clauses": len(test),
         "train_seconds": round(train_secs, 1), "test": scores([r["label"] for r in test], pred),
         "clauses_per_second": round(len(test) / secs),
         "data_sha256": hashlib.sha256(DATA.read_bytes()).hexdigest()}
    record([d / "model.skops", _write_metrics("clauses-sklearn", m)])
    return m


def train_charbert(rows: list[dict], minutes: float = 15.0, threads: int = 2, seed: int = 0,
                   epochs: int = 8, lr: float = 2e-4, batch: int = 16) -> dict:
    """Fine-tune the pretrained char-BERT; the epoch with the best validation macro-F1 is kept."""
    import torch
    from transformers import BertForSequenceClassification

    from nlp_service.models.charbert import CharVocab
    from nlp_service.models.clauses import MAX_LEN

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    vocab = CharVocab.load(PRETRAINED / "vocab.txt")
    train_all = [r for r in rows if r["split"] == "train"]
    val_docs = {r["doc"] for r in train_all if int(hashlib.sha1(r["doc"].encode()).hexdigest(), 16) % 7 == 0}
    train = [r for r in train_all if r["doc"] not in val_docs]
    val = [r for r in train_all if r["doc"] in val_docs]
    test = [r for r in rows if r["split"] == "test"]
    label_id = {lab: i for i, lab in enumerate(LABELS)}
    model = BertForSequenceClassification.from_pretrained(
        PRETRAINED, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id=label_id,
        use_safetensors=True)

    def encode(batch_rows: list[dict]):
        seqs = [vocab.encode_pair(*context(r).model_text(), MAX_LEN) for r in batch_rows]
        n = max(len(s) for s in seqs)
        ids = torch.zeros((len(seqs), n), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
        return ids, (ids != 0).long()

    def predict(data: list[dict]) -> list[str]:
        model.eval()
        out: list[str] = []
        with torch.inference_mode():
            for k in range(0, len(data), 64):
                ids, att = encode(data[k:k + 64])
                out.extend(LABELS[int(i)] for i in model(input_ids=ids, attention_mask=att).logits.argmax(-1))
        model.train()
        return out

    counts = [sum(r["label"] == lab for r in train) for lab in LABELS]
    weights = torch.tensor([len(train) / (len(LABELS) * c) for c in counts], dtype=torch.float)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps_total = epochs * (len(train) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / steps_total))
    best = (-1.0, 0, None)
    history = []
    start = time.time()
    model.train()
    for epoch in range(1, epochs + 1):
        rng.shuffle(train)
        for k in range(0, len(train) - batch + 1, batch):
            chunk = train[k:k + batch]
            ids, att = encode(chunk)
            logits = model(input_ids=ids, attention_mask=att).logits
            loss = loss_fn(logits, torch.tensor([label_id[r["label"]] for r in chunk]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        val_f1 = scores([r["label"] for r in val], predict(val))["macro_f1"]
        history.append({"epoch": epoch, "val_macro_f1": val_f1, "minutes": round((time.time() - start) / 60, 1)})
        print(json.dumps(history[-1]), flush=True)
        if val_f1 > best[0]:
            best = (val_f1, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
        if time.time() - start > minutes * 60:
            break
    model.load_state_dict(best[2])
    t0 = time.perf_counter()
    pred = predict(test)
    secs = time.perf_counter() - t0
    d = MODELS_DIR / "clauses-charbert"
    d.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(d, safe_serialization=True)
    vocab.save(d / "vocab.txt")
    pre = json.loads((PRETRAINED / "pretrain.json").read_text(encoding="utf-8"))
    m = {"model": "clauses-charbert", "version": "1", "base": "charbert-gov-mlm",
         "base_parameters": pre["parameters"], "best_epoch": best[1], "val_macro_f1": best[0],
         "val_clauses": len(val), "train_clauses": len(train), "test_clauses": len(test), "history": history,
         "lr": lr, "batch": batch, "threads": threads, "seed": seed,
         "test": scores([r["label"] for r in test], pred), "clauses_per_second": round(len(test) / secs),
         "data_sha256": hashlib.sha256(DATA.read_bytes()).hexdigest()}
    record([d / "model.safetensors", d / "vocab.txt", d / "config.json", _write_metrics("clauses-charbert", m)])
    return m


def table() -> str:
    """The test-split comparison (markdown) from the saved metrics files."""
    lines = ["| model | commitment P | commitment R | commitment F1 | achievement F1 | other F1 | macro F1 | "
             "accuracy |", "|---|---|---|---|---|---|---|---|"]
    for name in ("clauses-rules", "clauses-sklearn", "clauses-charbert"):
        path = MODELS_DIR / name / "metrics.json"
        if not path.exists():
            continue
        m = json.loads(path.read_text(encoding="utf-8"))
        t = m["test"]
        c = t["commitment"]
        lines.append(f"| {name} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | "
                     f"{t['achievement']['f1']:.3f} | {t['other']['f1']:.3f} | {t['macro_f1']:.3f} | "
                     f"{t['accuracy']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line (see module docstring)."""
    ap = argparse.ArgumentParser(prog="nlp-service train clauses", description="Train clause classifiers.")
    ap.add_argument("--model", choices=("rules", "sklearn", "charbert", "all"), default="all")
    ap.add_argument("--minutes", type=float, default=15.0, help="char-BERT fine-tuning budget")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--table", action="store_true", help="only print the comparison table")
    args = ap.parse_args(argv)
    if not args.table:
        rows = load()
        if args.model in ("rules", "all"):
            print(json.dumps(evaluate_rules(rows)["test"]["commitment"]))
        if args.model in ("sklearn", "all"):
            print(json.dumps(train_sklearn(rows)["test"]["commitment"]))
        if args.model in ("charbert", "all"):
            print(json.dumps(train_charbert(rows, minutes=args.minutes, threads=args.threads)["test"]["commitment"]))
    print(table())


if __name__ == "__main__":
    main()
