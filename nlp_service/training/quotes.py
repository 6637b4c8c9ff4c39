"""Train the learned slogan filter ``quotes-sklearn`` on the labelled quotations of guide slogans-v2.

usage: nlp-service train quotes [--folds 5] [--recall 0.95]

Data: corpus/slogans/train.jsonl with train.gold.tsv (model fitting and cross-validation) and
dev.jsonl with dev.gold.tsv (validation); ``optional`` items are left out. Each item is found in
the clean text of its document (the product classifies quotations of the clean text) and becomes
one quotation document (:func:`nlp_service.models.quotes.quote_doc`). The test split is never read.

Model: binary features (:func:`nlp_service.models.quotes.quote_features`), multinomial logistic
regression over not / campaign / formula / catchphrase, fitted on the quotations no hard rule
(speech, names by form or frame) rules out — in service those never reach it. Chosen by grouped cross-validation on the
train items (folds by document): the regularisation C, then the probability threshold of
"slogan" (1 − P(not)) with the highest precision among those whose out-of-fold recall reaches
``--recall``. The dev items are scored once with the model fitted on train; the saved model is then
refitted on train + dev with the chosen C and threshold. Writes models/quotes-sklearn/
(model.skops, model.npz + model.json, metrics.json) and its manifest entry.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

from nlp_service.models.artifacts import MODELS_DIR, dump_skops, record
from nlp_service.models.plain import export as export_plain

NAME = "quotes-sklearn"
VERSION = "3"  # raise with every refit: the blind split is scored once per version
CLASSES = ("not", "campaign", "formula", "catchphrase")
LIBRARIES = ("scikit-learn", "skops", "numpy")
GRID_C = (0.1, 0.3, 1.0, 3.0)


def labelled(split: str) -> tuple[list[str], list[str], list[str], dict[str, int]]:
    """(quotation documents, labels, document keys, counts) of a labelled split, optional items left out."""
    from nlp_service.extract.slogans import quoted_spans
    from nlp_service.models.quotes import quote_doc
    from nlp_service.pipeline import Pipeline
    from nlp_service.slogan_eval import documents, load_gold
    from nlp_service.text.normalize import normalize

    items = [it for it in load_gold(split) if it["label"] != "optional"]
    texts = documents({it["doc"] for it in items})
    runner = Pipeline.build(slogan_model="rules").for_tasks(("slogans",))  # the clean text is all it needs
    clean = {key: runner.extract(text, title=title).clean_text for key, (text, title) in texts.items()}
    docs, labels, groups = [], [], []
    counts = {"items": len(items), "not_found": 0}
    for it in items:
        text = clean[it["doc"]]
        want = normalize(it["quote"]).text.strip()
        spans = [(s, e, q) for s, e, q in quoted_spans(text) if q.strip() == want]
        if not spans:
            counts["not_found"] += 1  # the cleaning changed the quotation (a repeated paragraph dropped, …)
            continue
        s, e, q = spans[0]
        docs.append(quote_doc(text, s, e, q, len(spans)))
        labels.append(it["class"] if it["label"] == "slogan" else "not")
        groups.append(it["doc"])
    return docs, labels, groups, counts


def pipeline(c: float) -> Any:
    """Binary quotation features and a multinomial logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    from nlp_service.models.quotes import quote_features

    features = FeatureUnion([("quote", TfidfVectorizer(analyzer=quote_features, binary=True, use_idf=False,
                                                       norm=None, lowercase=False))])
    return make_pipeline(features, LogisticRegression(C=c, max_iter=2000))


def slogan_probability(model: Any, docs: list[str]) -> list[float]:
    """1 − P(not) of each quotation; 0 where a hard rule rules it out (the model never sees those)."""
    from nlp_service.models.quotes import hard_rule

    proba = model.predict_proba(docs)
    col = list(model.classes_).index("not")
    return [0.0 if hard_rule(d) else 1.0 - float(p[col]) for d, p in zip(docs, proba, strict=True)]


def fit(c: float, docs: list[str], labels: list[str]) -> Any:
    """The model fitted on the quotations no hard rule decides (the only ones it sees in service)."""
    from nlp_service.models.quotes import hard_rule

    keep = [i for i, d in enumerate(docs) if not hard_rule(d)]
    return pipeline(c).fit([docs[i] for i in keep], [labels[i] for i in keep])


def pr_at(scores: list[float], labels: list[str], threshold: float) -> tuple[float, float]:
    """(precision, recall) of "slogan" at ``threshold``."""
    tp = sum(s >= threshold and y != "not" for s, y in zip(scores, labels, strict=True))
    fp = sum(s >= threshold and y == "not" for s, y in zip(scores, labels, strict=True))
    fn = sum(s < threshold and y != "not" for s, y in zip(scores, labels, strict=True))
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def best_threshold(scores: list[float], labels: list[str], recall: float) -> tuple[float, float, float]:
    """(threshold, precision, recall): the most precise threshold whose recall reaches ``recall``."""
    best = (0.0, *pr_at(scores, labels, 0.0))
    for t in sorted(set(scores)):
        p, r = pr_at(scores, labels, t)
        if r >= recall and p > best[1]:
            best = (t, p, r)
    return best


def cross_validate(docs: list[str], labels: list[str], groups: list[str], c: float, folds: int) -> list[float]:
    """Out-of-fold slogan probabilities, folds by document."""
    from sklearn.model_selection import GroupKFold

    out = [0.0] * len(docs)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(docs, labels, groups):
        model = fit(c, [docs[i] for i in train_idx], [labels[i] for i in train_idx])
        for i, p in zip(test_idx, slogan_probability(model, [docs[i] for i in test_idx]), strict=True):
            out[i] = p
    return out


def data_hash() -> str:
    """sha256 of the train and dev items and labels the model is fitted on."""
    h = hashlib.sha256()
    folder = Path(__file__).resolve().parents[2] / "corpus" / "slogans"
    for name in ("train.jsonl", "train.gold.tsv", "dev.jsonl", "dev.gold.tsv"):
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> None:
    """Choose C and the threshold by cross-validation, validate on dev, refit on train + dev and save."""
    ap = argparse.ArgumentParser(prog="nlp-service train quotes")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--recall", type=float, default=0.95, help="out-of-fold recall the threshold must keep")
    args = ap.parse_args(argv)
    docs, labels, groups, counts = labelled("train")
    dev_docs, dev_labels, _, dev_counts = labelled("dev")
    grid = {}
    for c in GRID_C:
        oof = cross_validate(docs, labels, groups, c, args.folds)
        t, p, r = best_threshold(oof, labels, args.recall)
        grid[c] = {"threshold": round(t, 4), "precision": round(p, 3), "recall": round(r, 3)}
        print(f"C={c}: out-of-fold precision {p:.3f} at recall {r:.3f} (threshold {t:.3f})")
    c = max(grid, key=lambda k: (grid[k]["precision"], -k))
    threshold = grid[c]["threshold"]
    model = fit(c, docs, labels)
    dp, dr = pr_at(slogan_probability(model, dev_docs), dev_labels, threshold)
    print(f"chosen C={c}, threshold {threshold:.3f}; dev (fitted on train): precision {dp:.3f} recall {dr:.3f}")
    final = fit(c, docs + dev_docs, labels + dev_labels)
    out = MODELS_DIR / NAME
    out.mkdir(parents=True, exist_ok=True)
    dump_skops(final, out / "model.skops")
    files = [out / "model.skops", *export_plain(final, out)]
    metrics = {"model": NAME, "version": VERSION, "classes": list(final.classes_), "C": c, "threshold": threshold,
               "recall_wanted": args.recall, "folds": args.folds, "train": counts, "dev": dev_counts,
               "cross_validation": {str(k): v for k, v in grid.items()},
               "dev_fitted_on_train": {"precision": round(dp, 3), "recall": round(dr, 3)},
               "fitted_on": "train + dev", "data_sha256": data_hash()}
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    files.append(out / "metrics.json")
    record(files, model=NAME, libraries=LIBRARIES, data_sha256=metrics["data_sha256"],
           metrics={"version": VERSION, "threshold": threshold})
    print(f"saved {out}")
