"""Train the topic models (taxonomy.v1, multi-label) on ``corpus/topics/topics.jsonl``.

usage: nlp-service train topics --model sklearn|charbert|all [--seed 0] [--minutes 30] [--threads 2]
       [--base models/charbert-gov-mlm] [--out DIR]   (= python -m nlp_service.training.topics …)
       nlp-service train topics --score-test DIR   (a char-BERT trained with --no-test, scored once)
       nlp-service train topics --rescore   (the saved models on new test gold; train rows must be unchanged)
       nlp-service train topics --score-test-b   (the saved models on the second blind split, once each)
       nlp-service train topics --table

Data: the hand-labelled paragraphs (corpus/README.md §5), with a test split frozen by document
before any label or model. Every model choice looks only at ``train``; ``test`` is scored once
per trained model, and the figures go to the model's ``metrics.json`` and the manifest. The first
test split is no longer blind: the default model was chosen on it and labelling stopped when its
figure crossed 0.80 (corpus/README.md §5.1). ``test-b`` (scripts/freeze_topic_split.py) is the blind
one; each saved model version is scored on it once (``--score-test-b`` refuses a second time).

- scikit-learn: TF-IDF over jieba words and character 1–3-grams of title + paragraph; one-vs-rest
  logistic regression (class_weight balanced) whose probabilities are the scores. C and the
  threshold are chosen by 5-fold cross-validation on train, grouped by document.
- char-BERT: the pretrained ``charbert-gov-mlm`` fine-tuned with one sigmoid per label (binary
  cross-entropy); a paragraph longer than the model's 160 positions is read in chunks, each
  chunk trained with the paragraph's labels, and scored as the length-weighted mean of its
  chunks. The epoch and the threshold are chosen on a validation slice of train documents
  (1 in 7 by hash); the model is then that checkpoint.

Deterministic under ``--seed`` on the same hardware and library versions (torch is run with
deterministic algorithms; the scikit-learn solvers are seeded).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from nlp_service.models.artifacts import MODELS_DIR, dump_skops, record
from nlp_service.models.plain import export as export_plain
from nlp_service.models.topics import TAXONOMY, chunk_ids, jieba_words, model_input, predict_chunked

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpus" / "topics" / "topics.jsonl"
PRETRAINED = MODELS_DIR / "charbert-gov-mlm"
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def load(path: Path | None = None) -> tuple[list[dict], list[dict]]:
    """(train, test) rows."""
    rows = [json.loads(x) for x in (path or DATA).read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r for r in rows if r["split"] == "train"], [r for r in rows if r["split"] == "test"]


def load_split(name: str, path: Path | None = None) -> list[dict]:
    """The labelled rows of one split (``train``, ``test``, ``test-b``)."""
    rows = [json.loads(x) for x in (path or DATA).read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r for r in rows if r["split"] == name]


def validation_split(train_all: list[dict]) -> tuple[list[dict], list[dict]]:
    """(fit, validation): 1 in 7 train documents by hash, the char-BERT's validation slice."""
    val_docs = {r["doc"] for r in train_all if int(hashlib.sha1(r["doc"].encode()).hexdigest(), 16) % 7 == 0}
    return [r for r in train_all if r["doc"] not in val_docs], [r for r in train_all if r["doc"] in val_docs]


def targets(rows: list[dict]) -> np.ndarray:
    """Multi-hot [n, 14] label matrix."""
    return np.array([[lab in r["labels"] for lab in TAXONOMY] for r in rows], dtype=int)


def f1s(y: np.ndarray, p: np.ndarray) -> dict:
    """Micro/macro F1 and per-label precision/recall/F1/support."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    prec, rec, f1, sup = precision_recall_fscore_support(y, p, zero_division=0)
    return {"micro_f1": round(float(f1_score(y, p, average="micro", zero_division=0)), 3),
            "macro_f1": round(float(f1_score(y, p, average="macro", zero_division=0)), 3),
            "per_label": {lab: {"precision": round(float(prec[i]), 3), "recall": round(float(rec[i]), 3),
                                "f1": round(float(f1[i]), 3), "support": int(sup[i])}
                          for i, lab in enumerate(TAXONOMY)}}


def best_threshold(y: np.ndarray, proba: np.ndarray) -> tuple[float, float]:
    """(macro F1, threshold) of the best global threshold."""
    return max((f1s(y, (proba >= t).astype(int))["macro_f1"], t) for t in THRESHOLDS)


def data_hash(path: Path | None = None) -> str:
    """sha256 of the labelled data file."""
    return hashlib.sha256((path or DATA).read_bytes()).hexdigest()


def train_hash(path: Path | None = None) -> str:
    """sha256 of the train rows alone (text, document, labels; in id order).

    Unchanged when only the test split's gold changes (a second labelling and adjudication),
    which is what lets ``--rescore`` re-score a saved model on new test gold without refitting.
    """
    train, _ = load(path)
    rows = sorted((r["id"], r["doc"], r.get("title"), r["text"], r["labels"]) for r in train)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def _write_metrics(out: Path, metrics: dict) -> None:
    """``out/metrics.json``, the one format every model's metrics file is written in."""
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _stamp(metrics: dict, libraries: tuple[str, ...]) -> None:
    """Record the running library versions and the train rows' hash in ``metrics``."""
    from nlp_service.models.artifacts import library_versions

    metrics["libraries"] = library_versions(libraries)
    metrics["train_sha256"] = train_hash()


def _finish(name: str, out: Path, files: list[Path], metrics: dict, libraries: tuple[str, ...]) -> dict:
    _stamp(metrics, libraries)
    _write_metrics(out, metrics)
    if out.resolve().parent == MODELS_DIR.resolve():  # else: copy the folder into models/, then `--record`
        _record(name, out, files, metrics)
    return metrics


def _record(name: str, out: Path, files: list[Path], metrics: dict) -> None:
    """The model's files and manifest entry (libraries and data hash as in ``metrics``)."""
    headline = {"test_micro_f1": metrics["test"]["micro_f1"], "test_macro_f1": metrics["test"]["macro_f1"]}
    if "test_b" in metrics:
        headline |= {"test_b_micro_f1": metrics["test_b"]["micro_f1"], "test_b_macro_f1": metrics["test_b"]["macro_f1"]}
    record([*files, out / "metrics.json"], model=name, libraries=metrics["libraries"],
           data_sha256=metrics["data_sha256"], metrics=headline)


def train_sklearn(seed: int = 0, out: Path | None = None) -> dict:
    """Fit, choose C and threshold by grouped CV on train, score test once, save."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline

    train, test = load()
    y_train, y_test = targets(train), targets(test)
    x_train = [model_input(r.get("title"), r["text"]) for r in train]

    def build(c: float):  # -> sklearn Pipeline
        features = FeatureUnion([
            ("words", TfidfVectorizer(analyzer=jieba_words, sublinear_tf=True, min_df=2)),
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                                      max_features=60000)),
        ])
        return make_pipeline(features, OneVsRestClassifier(
            LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=seed)))

    groups = [r["doc"] for r in train]
    best: tuple[float, float, float] | None = None
    t0 = time.perf_counter()
    for c in (8.0, 16.0, 32.0):
        proba = cross_val_predict(build(c), x_train, y_train, cv=GroupKFold(n_splits=5), groups=groups,
                                  method="predict_proba")
        macro, thr = best_threshold(y_train, proba)
        if best is None or macro > best[0]:
            best = (macro, c, thr)
    cv_secs = time.perf_counter() - t0
    assert best is not None
    macro_cv, c, thr = best
    model = build(c).fit(x_train, y_train)
    t0 = time.perf_counter()
    proba_test = model.predict_proba([model_input(r.get("title"), r["text"]) for r in test])
    secs = time.perf_counter() - t0
    out = out or MODELS_DIR / "topics-sklearn"
    out.mkdir(parents=True, exist_ok=True)
    dump_skops(model, out / "model.skops")
    metrics = {"model": "topics-sklearn", "version": "1", "taxonomy": "taxonomy.v1", "seed": seed, "C": c,
               "threshold": thr, "cv_macro_f1": macro_cv, "cv_seconds": round(cv_secs),
               "train_paragraphs": len(train), "test_paragraphs": len(test),
               "test": f1s(y_test, (proba_test >= thr).astype(int)),
               "paragraphs_per_second_batch": round(len(test) / secs), "data_sha256": data_hash()}
    plain_files = export_plain(model, out)  # what the service loads (models/plain.py); the skops file is the record
    return _finish("topics-sklearn", out, [out / "model.skops", *plain_files], metrics,
                   ("scikit-learn", "skops", "numpy", "jieba"))


def train_charbert(seed: int = 0, minutes: float = 30.0, threads: int = 2, base: Path = PRETRAINED,
                   out: Path | None = None, epochs: int = 12, lr: float = 3e-4, batch: int = 32,
                   score_test: bool = True) -> dict:
    """Fine-tune the char-BERT for multi-label topics (see module docstring)."""
    import torch
    from transformers import BertForSequenceClassification

    from nlp_service.models.charbert import CharVocab

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    rng = random.Random(seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_all, test = load()
    vocab = CharVocab.load(base / "vocab.txt")
    train, val = validation_split(train_all)
    y_tr = targets(train)
    examples = [(ids, y_tr[i]) for i, r in enumerate(train) for ids in chunk_ids(vocab, r.get("title"), r["text"])]
    model = BertForSequenceClassification.from_pretrained(
        base, num_labels=len(TAXONOMY), problem_type="multi_label_classification",
        id2label=dict(enumerate(TAXONOMY)), label2id={lab: i for i, lab in enumerate(TAXONOMY)},
        use_safetensors=True).to(device)  # type: ignore[arg-type]  # transformers types .to() for dtypes only
    pos = y_tr.sum(0).clip(min=1)
    pos_weight = torch.tensor(np.sqrt((len(y_tr) - pos) / pos), dtype=torch.float, device=device)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps_total = epochs * (len(examples) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / steps_total))

    def paragraph_scores(rows: list[dict]) -> np.ndarray:
        model.eval()
        p = predict_chunked(model, vocab, [(r.get("title"), r["text"]) for r in rows], device=device)
        model.train()
        return p

    best: tuple[float, int, float, dict[str, Any] | None] = (-1.0, 0, 0.5, None)
    history = []
    start = time.time()
    model.train()
    for epoch in range(1, epochs + 1):
        rng.shuffle(examples)
        for k in range(0, len(examples) - batch + 1, batch):
            chunk = examples[k:k + batch]
            n = max(len(ids) for ids, _ in chunk)
            ids = torch.zeros((len(chunk), n), dtype=torch.long)
            for i, (seq, _) in enumerate(chunk):
                ids[i, : len(seq)] = torch.tensor(seq)
            ids = ids.to(device)
            y = torch.tensor(np.stack([t for _, t in chunk]), dtype=torch.float, device=device)
            logits = model(input_ids=ids, attention_mask=(ids != 0).long()).logits
            loss = loss_fn(logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        macro, thr = best_threshold(targets(val), paragraph_scores(val))
        history.append({"epoch": epoch, "val_macro_f1": macro, "threshold": thr,
                        "minutes": round((time.time() - start) / 60, 1)})
        print(json.dumps(history[-1]), flush=True)
        if macro > best[0]:
            best = (macro, epoch, thr, {k: v.detach().clone() for k, v in model.state_dict().items()})
        if time.time() - start > minutes * 60:
            break
    assert best[3] is not None, "no epoch ran"
    model.load_state_dict(best[3])
    model = model.cpu()
    device = "cpu"
    metrics = {"model": "topics-charbert", "version": "1", "taxonomy": "taxonomy.v1", "base": base.name,
               "seed": seed, "lr": lr, "batch": batch, "threads": threads, "best_epoch": best[1],
               "threshold": best[2], "val_macro_f1": best[0], "val_paragraphs": len(val),
               "train_paragraphs": len(train), "train_chunks": len(examples), "test_paragraphs": len(test),
               "history": history, "torch": torch.__version__, "data_sha256": data_hash()}
    if score_test:
        t0 = time.perf_counter()
        proba_test = paragraph_scores(test)
        metrics["paragraphs_per_second_batch"] = round(len(test) / (time.perf_counter() - t0))
        metrics["test"] = f1s(targets(test), (proba_test >= best[2]).astype(int))
    out = out or MODELS_DIR / "topics-charbert"
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    vocab.save(out / "vocab.txt")
    if not score_test:  # scored later, once, with `--score-test DIR` (after a choice on validation)
        _stamp(metrics, ("torch", "transformers", "safetensors"))
        _write_metrics(out, metrics)
        return metrics
    return _finish("topics-charbert", out, [out / "model.safetensors", out / "config.json", out / "vocab.txt"],
                   metrics, ("torch", "transformers", "safetensors"))


def score_saved_charbert(out: Path, threads: int = 2) -> dict:
    """Score the test split once with a char-BERT trained with ``--no-test`` (e.g. on a GPU machine).

    Several recipes can be fitted there and compared on the validation slice only; the one chosen
    is then scored here with its own threshold. The libraries that wrote the weights stay those in
    its ``metrics.json``; ``test`` and the CPU scoring speed are added. Refuses a model that already
    has test figures (each model version is scored once).
    """
    import torch
    from transformers import BertForSequenceClassification

    from nlp_service.models.charbert import CharVocab

    path = out / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))
    if "test" in metrics:
        raise SystemExit(f"{out} already has test figures")
    if metrics["data_sha256"] != data_hash():
        raise SystemExit(f"{out} was trained on other data than {DATA}")
    if "libraries" not in metrics:
        raise SystemExit(f"{path} does not say which libraries wrote the weights")
    torch.set_num_threads(threads)
    _, test = load()
    vocab = CharVocab.load(out / "vocab.txt")
    model = BertForSequenceClassification.from_pretrained(out, use_safetensors=True).eval()
    t0 = time.perf_counter()
    proba = predict_chunked(model, vocab, [(r.get("title"), r["text"]) for r in test])
    metrics["paragraphs_per_second_cpu"] = round(len(test) / (time.perf_counter() - t0))
    metrics["test"] = f1s(targets(test), (proba >= metrics["threshold"]).astype(int))
    metrics["train_sha256"] = train_hash()
    _write_metrics(out, metrics)
    return metrics


def train_ensemble(seed: int = 0) -> dict:
    """Mean of the two trained models' scores; weight and threshold chosen on the validation slice.

    The char-BERT was fitted on the train documents outside the validation slice; for a fair
    comparison a scikit-learn model with the shipped C is fitted on the same documents and scored
    on the slice. The shipped ensemble combines the shipped models (scikit-learn on all of train).
    """
    from sklearn.base import clone

    from nlp_service.models.topics import KINDS, SklearnTopicModel, load_topic_model

    train_all, test = load()
    fit, val = validation_split(train_all)
    sk, cb = load_topic_model("sklearn"), load_topic_model("charbert")
    assert isinstance(sk, SklearnTopicModel)
    sk_val = clone(sk.model).fit([model_input(r.get("title"), r["text"]) for r in fit], targets(fit))
    p_sk = sk_val.predict_proba([model_input(r.get("title"), r["text"]) for r in val])
    p_cb = cb.scores([(r.get("title"), r["text"]) for r in val])
    y_val = targets(val)
    grid = {w: best_threshold(y_val, w * p_sk + (1 - w) * p_cb) for w in (0.3, 0.5, 0.7)}
    w = max(grid, key=lambda k: grid[k][0])
    macro, thr = grid[w]
    items = [(r.get("title"), r["text"]) for r in test]
    p_test = w * sk.scores(items) + (1 - w) * cb.scores(items)
    out = MODELS_DIR / "topics-ensemble"
    out.mkdir(parents=True, exist_ok=True)
    members = {KINDS["sklearn"]: w, KINDS["charbert"]: round(1 - w, 3)}
    metrics = {"model": "topics-ensemble", "version": "1", "taxonomy": "taxonomy.v1", "members": members,
               "threshold": thr, "val_macro_f1": macro, "val_paragraphs": len(val),
               "val_grid": {str(k): {"macro_f1": v[0], "threshold": v[1]} for k, v in grid.items()},
               "val_members": {"topics-sklearn": best_threshold(y_val, p_sk)[0],
                               "topics-charbert": best_threshold(y_val, p_cb)[0]},
               "test_paragraphs": len(test), "test": f1s(targets(test), (p_test >= thr).astype(int)),
               "data_sha256": data_hash()}
    return _finish("topics-ensemble", out, [], metrics, ("scikit-learn", "skops", "numpy", "jieba", "torch",
                                                          "transformers", "safetensors"))


FILES = {"topics-sklearn": ("model.skops",), "topics-charbert": ("model.safetensors", "config.json", "vocab.txt")}


def bootstrap_macro_f1(y: np.ndarray, pred: np.ndarray, groups: list[str], n: int = 1000,
                       seed: int = 0) -> tuple[float, float]:
    """95% interval of macro F1, resampling whole documents (paragraphs of a document are not independent)."""
    from sklearn.metrics import f1_score

    docs = sorted(set(groups))
    index = {d: [i for i, g in enumerate(groups) if g == d] for d in docs}
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        rows = [i for d in rng.choice(docs, size=len(docs)) for i in index[d]]
        values.append(f1_score(y[rows], pred[rows], average="macro", zero_division=0))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return round(float(lo), 3), round(float(hi), 3)


def _saved_model_predictions(kind: str, rows: list[dict]) -> np.ndarray:
    """[len(rows), 14] 0/1 labels of the saved model ``kind`` (loaded with the manifest check)."""
    from nlp_service.models.topics import load_topic_model

    model = load_topic_model(kind)
    return (model.scores([(r.get("title"), r["text"]) for r in rows]) >= model.threshold).astype(int)


def intervals() -> dict[str, tuple[float, float]]:
    """Bootstrap intervals of the shipped models' test macro F1 (their test predictions, recomputed)."""
    from nlp_service.models.topics import KINDS

    _, test = load()
    y = targets(test)
    return {name: bootstrap_macro_f1(y, _saved_model_predictions(kind, test), [r["doc"] for r in test])
            for kind, name in KINDS.items() if (MODELS_DIR / name / "metrics.json").exists()}


def rescore() -> dict[str, dict]:
    """Score the saved models again on the test gold of the current data file, without refitting.

    For a change of the test split's gold only (corpus/README.md §5.1: second, blind labelling and
    adjudication). Refuses a model whose training rows differ from the current file's
    (``train_sha256``; a model saved before that field existed gets it only while the data file is
    still the one it was trained on). Writes ``test`` (current gold) and, where test rows keep
    their first labels, ``test_v1``; records the new data hash and headline in the manifest.
    """
    from nlp_service.models.topics import KINDS

    _, test = load()
    out = {}
    for kind in ("sklearn", "charbert", "ensemble"):  # the ensemble's members first
        name = KINDS[kind]
        path = MODELS_DIR / name / "metrics.json"
        m = json.loads(path.read_text(encoding="utf-8"))
        if "train_sha256" not in m:
            if m["data_sha256"] != data_hash():
                raise SystemExit(f"{name}: no train_sha256 and trained on another data file; refit it")
            m["train_sha256"] = train_hash()
        if m["train_sha256"] != train_hash():
            raise SystemExit(f"{name} was trained on other train rows than {DATA}; refit it")
        pred = _saved_model_predictions(kind, test)
        m["test"] = f1s(targets(test), pred)
        if any("labels_v1" in r for r in test):
            m["test_v1"] = f1s(targets([{"labels": r.get("labels_v1", r["labels"])} for r in test]), pred)
        m["data_sha256"] = data_hash()
        _write_metrics(MODELS_DIR / name, m)
        _record(name, MODELS_DIR / name, [MODELS_DIR / name / f for f in FILES.get(name, ())], m)
        out[name] = m
    return out


def score_test_b() -> dict[str, dict]:
    """Score every saved model once on the blind split ``test-b``; a model version scored before is refused."""
    import datetime as dt

    from nlp_service.models.topics import KINDS

    test_b = load_split("test-b")
    if not test_b:
        raise SystemExit("no labelled test-b rows in the data file (scripts/build_topics.py)")
    out = {}
    for kind in ("sklearn", "charbert", "ensemble"):
        name = KINDS[kind]
        m = json.loads((MODELS_DIR / name / "metrics.json").read_text(encoding="utf-8"))
        if "test_b" in m:
            raise SystemExit(f"{name} was scored on test-b already ({m['test_b']['scored']}); refit it first")
        if m["train_sha256"] != train_hash():
            raise SystemExit(f"{name} was trained on other train rows than {DATA}; refit it")
        m["test_b"] = {**f1s(targets(test_b), _saved_model_predictions(kind, test_b)),
                       "paragraphs": len(test_b), "documents": len({r["doc"] for r in test_b}),
                       "scored": dt.date.today().isoformat()}
        m["data_sha256"] = data_hash()
        _write_metrics(MODELS_DIR / name, m)
        _record(name, MODELS_DIR / name, [MODELS_DIR / name / f for f in FILES.get(name, ())], m)
        out[name] = m
    return out


def record_copied(name: str) -> None:
    """Record in the manifest a model trained elsewhere (``--out``) and copied to ``models/<name>/``.

    The libraries recorded are those the training run wrote into ``metrics.json``; the data must
    be the labelled file of this checkout.
    """
    out = MODELS_DIR / name
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    if m["data_sha256"] != data_hash():
        raise SystemExit(f"{name} was trained on other data than {DATA}")
    _record(name, out, [out / f for f in FILES[name]], m)


def table() -> str:
    """Test-split comparison (markdown) from the saved metrics files: overall, then per label."""
    found = {}
    for name in ("topics-sklearn", "topics-charbert", "topics-ensemble"):
        path = MODELS_DIR / name / "metrics.json"
        if path.exists():
            found[name] = json.loads(path.read_text(encoding="utf-8"))
    lines = ["| label | support | " + " | ".join(f"{n} P / R / F1" for n in found) + " |",
             "|---|---|" + "---|" * len(found)]
    for lab in TAXONOMY:
        cells = [" / ".join(f"{m['test']['per_label'][lab][k]:.3f}" for k in ("precision", "recall", "f1"))
                 for m in found.values()]
        sup = next(iter(found.values()))["test"]["per_label"][lab]["support"] if found else 0
        lines.append(f"| {lab} | {sup} | " + " | ".join(cells) + " |")
    lines.append("| **micro F1** | | " + " | ".join(f"{m['test']['micro_f1']:.3f}" for m in found.values()) + " |")
    lines.append("| **macro F1** | | " + " | ".join(f"{m['test']['macro_f1']:.3f}" for m in found.values()) + " |")
    if all("test_b" in m for m in found.values()):  # the second, blind split
        lines.append("| **test-b micro F1** (blind) | | "
                     + " | ".join(f"{m['test_b']['micro_f1']:.3f}" for m in found.values()) + " |")
        lines.append("| **test-b macro F1** (blind) | | "
                     + " | ".join(f"{m['test_b']['macro_f1']:.3f}" for m in found.values()) + " |")
    if all("test_v1" in m for m in found.values()):  # the test split's first, single-annotated gold
        lines.append("| macro F1, first-round gold | | "
                     + " | ".join(f"{m['test_v1']['macro_f1']:.3f}" for m in found.values()) + " |")
    return "\n".join(lines)


def table_test_b() -> str:
    """Per-label figures on the blind split test-b (markdown), from the saved metrics files."""
    paths = {n: MODELS_DIR / n / "metrics.json" for n in ("topics-sklearn", "topics-charbert", "topics-ensemble")}
    found = {n: json.loads(p.read_text(encoding="utf-8")) for n, p in paths.items() if p.exists()}
    found = {n: m for n, m in found.items() if "test_b" in m}
    lines = ["| label | support | " + " | ".join(f"{n} P / R / F1" for n in found) + " |",
             "|---|---|" + "---|" * len(found)]
    for lab in TAXONOMY:
        sup = next(iter(found.values()))["test_b"]["per_label"][lab]["support"] if found else 0
        cells = [" / ".join(f"{m['test_b']['per_label'][lab][k]:.3f}" for k in ("precision", "recall", "f1"))
                 for m in found.values()]
        lines.append(f"| {lab} | {sup} | " + " | ".join(cells) + " |")
    for what in ("micro_f1", "macro_f1"):
        cells = [f"{m['test_b'][what]:.3f}" for m in found.values()]
        lines.append(f"| **{what.replace('_', ' ')}** | | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line (see module docstring)."""
    ap = argparse.ArgumentParser(prog="nlp-service train topics", description="Train the topic models.")
    ap.add_argument("--model", choices=("sklearn", "charbert", "ensemble", "all"), default="all")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--minutes", type=float, default=40.0, help="char-BERT fine-tuning budget")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=20, help="char-BERT epochs (the shipped recipe: 20)")
    ap.add_argument("--lr", type=float, default=2e-4, help="char-BERT learning rate (the shipped recipe: 2e-4)")
    ap.add_argument("--base", type=Path, default=PRETRAINED, help="pretrained char-BERT")
    ap.add_argument("--out", type=Path, help="write here instead of models/<name> (not recorded in the manifest)")
    ap.add_argument("--no-test", action="store_true", help="char-BERT: do not score the test split")
    ap.add_argument("--score-test", type=Path, metavar="DIR",
                    help="score the test split once with a char-BERT trained with --no-test into DIR")
    ap.add_argument("--rescore", action="store_true",
                    help="score the saved models again on the current test gold (no refitting)")
    ap.add_argument("--score-test-b", action="store_true",
                    help="score the saved models once on the blind split test-b (no refitting)")
    ap.add_argument("--table", action="store_true", help="only print the comparison table")
    ap.add_argument("--record", choices=tuple(FILES), help="record a model copied into models/ from --out")
    ap.add_argument("--intervals", action="store_true",
                    help="bootstrap 95%% intervals of the test macro F1 of the saved models (resampling documents)")
    args = ap.parse_args(argv)
    if args.intervals:
        for name, (lo, hi) in intervals().items():
            print(f"{name}: test macro F1 95% interval {lo:.3f}–{hi:.3f}")
        return
    if args.score_test_b:
        for name, m in score_test_b().items():
            print(f"{name}: test-b micro F1 {m['test_b']['micro_f1']:.3f}, macro F1 {m['test_b']['macro_f1']:.3f}")
        print(table_test_b())
        return
    if args.rescore:
        for name, m in rescore().items():
            v1 = f" (first-round gold: {m['test_v1']['macro_f1']:.3f})" if "test_v1" in m else ""
            print(f"{name}: test micro F1 {m['test']['micro_f1']:.3f}, macro F1 {m['test']['macro_f1']:.3f}{v1}")
        print(table())
        return
    if args.score_test:
        m = score_saved_charbert(args.score_test, args.threads)
        print(json.dumps({"test_micro_f1": m["test"]["micro_f1"], "test_macro_f1": m["test"]["macro_f1"]}))
        return
    if args.record:
        record_copied(args.record)
    elif not args.table:
        if args.model in ("sklearn", "all"):
            m = train_sklearn(args.seed, args.out)
            print(json.dumps({k: m[k] for k in ("C", "threshold", "cv_macro_f1")}))
        if args.model in ("charbert", "all"):
            m = train_charbert(args.seed, args.minutes, args.threads, args.base, args.out, args.epochs, args.lr,
                               score_test=not args.no_test)
            print(json.dumps({k: m[k] for k in ("best_epoch", "threshold", "val_macro_f1")}))
        if args.model in ("ensemble", "all"):
            m = train_ensemble(args.seed)
            print(json.dumps({k: m[k] for k in ("members", "threshold", "val_macro_f1", "val_members")}))
    print(table())


if __name__ == "__main__":
    main()
