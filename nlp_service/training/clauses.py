"""Train and compare the clause classifiers on ``corpus/clauses/v2/clauses.jsonl``.

usage: nlp-service train clauses --model sklearn|charbert|rules|all [--minutes 10] [--threads 2]
       (= python -m nlp_service.training.clauses …)

Data: the hand-labelled clauses of guide ``commitments-v2`` (``scripts/build_clauses_v2.py``),
all of them train. Each labelled clause is found again in its document by the same walker the
extractor runs (:func:`nlp_service.extract.commitments.clause_contexts`), so that the classifiers
learn from the context features they will see: document kind, section, list membership and
lead-in, heading rule, the sentence before the clause. Model choices look only at these clauses:
scikit-learn's regularisation by 5-fold cross-validation grouped by document, char-BERT's epoch by
a validation slice of the documents; the cross-validated figures of every model are written to
its ``metrics.json``. The test split is the frozen excerpts of ``corpus/gold/commitments-v2``,
scored on whole documents by ``nlp-service eval --commitments --split test --record``, once per
model version; the comparison table is made from the metrics files (``--table``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp_service.extract.commitments import LABELS, ClauseContext
from nlp_service.models.artifacts import dump_skops
from nlp_service.models.clauses import LIBRARIES, MODELS_DIR, VERSION, RulesClassifier, record, sklearn_input
from nlp_service.models.plain import export as export_plain

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpus" / "clauses" / "v2" / "clauses.jsonl"
PRETRAINED = MODELS_DIR / "charbert-gov-mlm"


def load(path: Path = DATA) -> list[dict]:
    """Labelled clauses."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def context(row: dict) -> ClauseContext:
    """The classifier input of one labelled row: its walker context when found, else the fields it was shown with."""
    ctx = row.get("_ctx")
    if ctx is not None:
        return ctx
    return ClauseContext(row["clause"], row["sentence"], row.get("before") or "", row.get("heading"), row.get("title"),
                         row.get("kind"))


def attach_contexts(rows: list[dict]) -> dict[str, int]:
    """Find every labelled clause in its document with the extractor's walker; store it as ``row["_ctx"]``.

    A clause is found by its text and its marked sentence, else by its text inside the same
    sentence (a trailing remark the walker cuts off); rows not found keep the fields they were
    labelled with (counted in the result, so that a drift of the cutter shows).
    """
    from nlp_service.extract.commitments import clause_contexts, document_kind
    from nlp_service.pipeline import DEFAULT_COMPONENTS, Pipeline
    from nlp_service.segment.words import WordSegmenter
    from nlp_service.training.corpus import source_document
    from nlp_service.work import Resources

    structure = Pipeline(Resources(segmenter=WordSegmenter("rjieba")),
                         components=DEFAULT_COMPONENTS[:DEFAULT_COMPONENTS.index("words.v1") + 1])
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(r)
    stats = {"found": 0, "fallback": 0}
    for doc, doc_rows in by_doc.items():
        text, title = source_document(doc)
        art = structure.extract(text, title=title)
        kind = document_kind(art.title, art.clean_text)
        sites = clause_contexts(art.paragraphs, art.clean_text, title=art.title, kind=kind)
        exact = {(s.ctx.clause, s.ctx.sentence): s.ctx for s in sites}
        for r in doc_rows:
            ctx = exact.get((r["clause"], r["sentence"]))
            if ctx is None:
                plain = r["sentence"].replace("【", "").replace("】", "")
                ctx = next((s.ctx for s in sites if s.sentence.text == plain and s.ctx.clause
                            and (r["clause"].startswith(s.ctx.clause) or s.ctx.clause.startswith(r["clause"]))), None)
            if ctx is None:
                stats["fallback"] += 1
                r["kind"] = r.get("kind") or kind
            else:
                stats["found"] += 1
                r["_ctx"] = ctx
    return stats


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


def _record(name: str, files: list[Path], m: dict) -> None:
    """The model's files, the libraries that wrote it and its data hash, in the manifest."""
    record(files, model=name, libraries=LIBRARIES[name], data_sha256=m["data_sha256"],
           metrics={"version": m["version"]})


def evaluate_rules(rows: list[dict]) -> dict:
    """The rules baseline on every labelled clause (no training; the rules were written reading the train documents)."""
    clf = RulesClassifier()
    t0 = time.perf_counter()
    pred = [p for p, _ in clf.predict([context(r) for r in rows])]
    secs = time.perf_counter() - t0
    m = _keep_excerpts("clauses-rules", {
        "model": "clauses-rules", "version": VERSION, "clauses": len(rows),
        "all_clauses": scores([r["label"] for r in rows], pred), "clauses_per_second": round(len(rows) / secs),
        "data_sha256": hashlib.sha256(DATA.read_bytes()).hexdigest()})
    _write_metrics("clauses-rules", m)
    return m


def _keep_excerpts(name: str, m: dict) -> dict:
    """A refit keeps the excerpt figures: of its version as they are, of earlier ones under ``earlier_versions``."""
    path = MODELS_DIR / name / "metrics.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    m["earlier_versions"] = old.get("earlier_versions", [])
    if str(old.get("version")) == str(m["version"]):
        if "excerpts" in old:
            m["excerpts"] = old["excerpts"]
    elif "excerpts" in old:
        m["earlier_versions"].append({"version": old.get("version"), "excerpts": old["excerpts"]})
    return m


def sklearn_pipeline(c: float = 1.0, seed: int = 0):
    """TF-IDF character n-grams of clause and context, structure tokens, logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    from nlp_service.models.clauses import clause_part, context_part, structure_part

    features = FeatureUnion([
        ("clause", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=clause_part,
                                   sublinear_tf=True, min_df=2)),
        ("context", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=context_part,
                                    sublinear_tf=True, min_df=2, max_features=20000)),
        ("structure", TfidfVectorizer(analyzer="word", token_pattern=r"\S+", preprocessor=structure_part,  # noqa: S106
                                      lowercase=False, use_idf=False, norm=None)),
    ])
    return make_pipeline(features, LogisticRegression(C=c, max_iter=3000, class_weight="balanced",
                                                      random_state=seed))


def train_sklearn(rows: list[dict], seed: int = 0) -> dict:
    """C chosen by 5-fold cross-validation grouped by document; the chosen C's out-of-fold figures reported."""
    import numpy as np
    from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_predict

    x = [sklearn_input(context(r)) for r in rows]
    y = np.array([r["label"] for r in rows])
    groups = [r["doc"] for r in rows]
    grid = GridSearchCV(sklearn_pipeline(seed=seed), {"logisticregression__C": [0.5, 1, 2, 4, 8, 16]},
                        scoring="f1_macro", cv=GroupKFold(n_splits=5), n_jobs=1)
    t0 = time.perf_counter()
    grid.fit(x, y, groups=groups)
    train_secs = time.perf_counter() - t0
    best_c = grid.best_params_["logisticregression__C"]
    oof = cross_val_predict(sklearn_pipeline(best_c, seed), x, y, groups=groups, cv=GroupKFold(n_splits=5))
    model = grid.best_estimator_
    t0 = time.perf_counter()
    model.predict(x)
    secs = time.perf_counter() - t0
    d = MODELS_DIR / "clauses-sklearn"
    d.mkdir(parents=True, exist_ok=True)
    dump_skops(model, d / "model.skops")
    m = _keep_excerpts("clauses-sklearn", {
        "model": "clauses-sklearn", "version": VERSION, "best_C": best_c, "cv_macro_f1": round(grid.best_score_, 3),
        "clauses": len(rows), "train_seconds": round(train_secs, 1), "cv": scores(list(y), list(oof)),
        "clauses_per_second": round(len(rows) / secs), "data_sha256": hashlib.sha256(DATA.read_bytes()).hexdigest()})
    plain_files = export_plain(model, d)  # what the service loads (models/plain.py); the skops file is the record
    _record("clauses-sklearn", [d / "model.skops", *plain_files, _write_metrics("clauses-sklearn", m)], m)
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
    train_all = rows
    val_docs = {r["doc"] for r in train_all if int(hashlib.sha1(r["doc"].encode()).hexdigest(), 16) % 7 == 0}
    train = [r for r in train_all if r["doc"] not in val_docs]
    val = [r for r in train_all if r["doc"] in val_docs]
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
    best: tuple[float, int, dict[str, Any] | None] = (-1.0, 0, None)
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
    assert best[2] is not None, "no epoch ran"
    model.load_state_dict(best[2])
    t0 = time.perf_counter()
    val_pred = predict(val)
    secs = time.perf_counter() - t0
    d = MODELS_DIR / "clauses-charbert"
    d.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(d, safe_serialization=True)
    vocab.save(d / "vocab.txt")
    pre = json.loads((PRETRAINED / "pretrain.json").read_text(encoding="utf-8"))
    m = _keep_excerpts("clauses-charbert", {"model": "clauses-charbert", "version": VERSION, "base": "charbert-gov-mlm",
         "base_parameters": pre["parameters"], "best_epoch": best[1], "val_macro_f1": best[0],
         "val_clauses": len(val), "train_clauses": len(train), "history": history,
         "lr": lr, "batch": batch, "threads": threads, "seed": seed,
         "validation": scores([r["label"] for r in val], val_pred), "clauses_per_second": round(len(val) / secs),
         "data_sha256": hashlib.sha256(DATA.read_bytes()).hexdigest()})
    _record("clauses-charbert", [d / "model.safetensors", d / "vocab.txt", d / "config.json",
                                 _write_metrics("clauses-charbert", m)], m)
    return m


def table() -> str:
    """The comparison (markdown) from the saved metrics files: clause figures, then the excerpt splits."""
    lines = ["| model | clauses: commitment F1 (how) | dev P / R / F1 | test P / R / F1 | test-b P / R / F1 | "
             "test-c P / R / F1 | test-c fields: deadline / quantity / actor / modality | clauses/s |",
             "|---|---|---|---|---|---|---|---|"]
    for name in ("clauses-rules", "clauses-sklearn", "clauses-charbert"):
        path = MODELS_DIR / name / "metrics.json"
        if not path.exists():
            continue
        m = json.loads(path.read_text(encoding="utf-8"))
        how, fig = next(((k, m[k]) for k in ("cv", "validation", "all_clauses") if k in m), ("-", None))
        clause = f"{fig['commitment']['f1']:.3f} ({how})" if fig else "-"
        ex = m.get("excerpts", {})

        def prf(split: str, ex: dict = ex) -> str:
            a = ex.get(split, {}).get("all")
            return f"{a['precision']:.3f} / {a['recall']:.3f} / {a['f1']:.3f}" if a else "-"

        t = ex.get("test-c", {}).get("all")
        fields = " / ".join(f"{t['field_accuracy'][k]:.3f}" for k in ("deadline", "quantity", "actor", "modality")) \
            if t else "-"
        lines.append(f"| {name}@{m.get('version')} | {clause} | {prf('dev')} | {prf('test')} | {prf('test-b')} | "
                     f"{prf('test-c')} | {fields} | "
                     f"{m.get('clauses_per_second', '-')} |")
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
        print(json.dumps(attach_contexts(rows)), flush=True)
        if args.model in ("rules", "all"):
            print(json.dumps(evaluate_rules(rows)["all_clauses"]["commitment"]), flush=True)
        if args.model in ("sklearn", "all"):
            print(json.dumps(train_sklearn(rows)["cv"]["commitment"]), flush=True)
        if args.model in ("charbert", "all"):
            m = train_charbert(rows, minutes=args.minutes, threads=args.threads)
            print(json.dumps(m["validation"]["commitment"]), flush=True)
    print(table())


if __name__ == "__main__":
    main()
