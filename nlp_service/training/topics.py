"""Train the scikit-learn topic model (taxonomy.v1, multi-label) on ``corpus/topics/topics.jsonl``.

usage: python -m nlp_service.training.topics [--seed 0]

Work in progress for issue 5: the model is trained, scored on the frozen test split and saved to
``models/topics-sklearn/`` (skops + metrics + manifest entry); it is not yet wired into the
pipeline (``topics`` stays empty) — see README "Where work stands".

Features: TF-IDF over jieba words (uni- and bigrams) and character 1–3-grams of the paragraph (its
document title prepended); one-vs-rest logistic regression (class_weight balanced), whose
probabilities are the scores. C and the decision threshold are chosen by 5-fold cross-validation
on the train split (grouped by document); the test split is scored once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
import zipfile
from pathlib import Path

import numpy as np

from nlp_service.models.clauses import MODELS_DIR, record

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpus" / "topics" / "topics.jsonl"
TAXONOMY = ("宏观经济", "财政金融", "科技创新", "教育人才", "产业发展", "农业农村", "资源能源环境", "城乡建设与区域",
            "商贸开放", "社会民生", "改革治理", "安全国防", "外交港澳台", "政治建设")


def jieba_words(text: str) -> list[str]:
    """Words of a paragraph (a TfidfVectorizer analyzer; whitespace and punctuation dropped)."""
    import jieba

    return [w for w in jieba.lcut(text) if w.strip() and any("\u4e00" <= c <= "\u9fff" or c.isalnum() for c in w)]


def model_input(row: dict) -> str:
    """Title and paragraph, as the model reads them."""
    return f"{row.get('title') or ''}｜{row['text']}"


def _f1s(y: np.ndarray, p: np.ndarray) -> dict:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    prec, rec, f1, sup = precision_recall_fscore_support(y, p, zero_division=0)
    return {"micro_f1": round(float(f1_score(y, p, average="micro", zero_division=0)), 3),
            "macro_f1": round(float(f1_score(y, p, average="macro", zero_division=0)), 3),
            "per_label": {lab: {"precision": round(float(prec[i]), 3), "recall": round(float(rec[i]), 3),
                                "f1": round(float(f1[i]), 3), "support": int(sup[i])}
                          for i, lab in enumerate(TAXONOMY)}}


def main(argv: list[str] | None = None) -> None:
    """Train, choose C and threshold by CV on train, score test once, save."""
    import skops.io as sio
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline

    ap = argparse.ArgumentParser(prog="python -m nlp_service.training.topics")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines()]
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    y_train = np.array([[lab in r["labels"] for lab in TAXONOMY] for r in train], dtype=int)
    y_test = np.array([[lab in r["labels"] for lab in TAXONOMY] for r in test], dtype=int)
    x_train = [model_input(r) for r in train]

    def build(c: float):  # -> sklearn Pipeline
        features = FeatureUnion([
            ("words", TfidfVectorizer(analyzer=jieba_words, ngram_range=(1, 1), sublinear_tf=True, min_df=2)),
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                                      max_features=60000)),
        ])
        return make_pipeline(features, OneVsRestClassifier(
            LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=args.seed)))

    groups = [r["doc"] for r in train]
    best = None
    t0 = time.perf_counter()
    for c in (1.0, 4.0, 16.0):
        proba = cross_val_predict(build(c), x_train, y_train, cv=GroupKFold(n_splits=5), groups=groups,
                                  method="predict_proba")
        for thr in (0.3, 0.4, 0.5, 0.6):
            macro = _f1s(y_train, (proba >= thr).astype(int))["macro_f1"]
            if best is None or macro > best[0]:
                best = (macro, c, thr)
    cv_secs = time.perf_counter() - t0
    macro_cv, c, thr = best
    model = build(c).fit(x_train, y_train)
    t0 = time.perf_counter()
    proba_test = model.predict_proba([model_input(r) for r in test])
    secs = time.perf_counter() - t0
    metrics = {"model": "topics-sklearn", "version": "1", "taxonomy": "taxonomy.v1", "C": c, "threshold": thr,
               "cv_macro_f1": macro_cv, "cv_seconds": round(cv_secs), "train_paragraphs": len(train),
               "test_paragraphs": len(test), "test": _f1s(y_test, (proba_test >= thr).astype(int)),
               "paragraphs_per_second": round(len(test) / secs),
               "data_sha256": hashlib.sha256(DATA.read_bytes()).hexdigest()}
    out = MODELS_DIR / "topics-sklearn"
    out.mkdir(parents=True, exist_ok=True)
    sio.dump(model, out / "model.skops", compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    record([out / "model.skops", out / "metrics.json"])
    print(json.dumps({k: v for k, v in metrics.items() if k != "test"}, ensure_ascii=False))
    print(json.dumps(metrics["test"], ensure_ascii=False))


if __name__ == "__main__":
    main()
