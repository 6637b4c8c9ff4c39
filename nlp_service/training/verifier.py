"""Train the learned pair verifier (``models/dedup-verifier``) on the train pairs of guide dedup-pairs-v1.

usage: nlp-service train verifier [--score-test]

Features: :func:`nlp_service.dedup.verifier.pair_features` of the normalised texts. Chosen by
5-fold cross-validation on the train pairs, grouped by story (no story in two folds): the
regularisation ``C`` and the decision threshold are those with the highest cross-validated recall
at precision ≥ ``MIN_PRECISION``; the same cross-validation scores the hand rules
(:func:`nlp_service.dedup.minhash.verify` at the engine's threshold) for comparison. How the
engine combines the model with the rules' signs of a template is fixed in
:func:`nlp_service.dedup.minhash.explain`, not chosen here.

``--score-test`` scores the test pairs once for this model version (``corpus/dedup/scores.json``
refuses a second time): the rules and the model, in one run.

``--engine train|test|test-c|test-d`` scores what the engine decides (:func:`nlp_service.dedup.minhash.judge`:
the rules, and the model with the template signs on top), a pair counted as vouched for by the
noisy-copy route when its estimated 3-gram Jaccard reaches the route's threshold. ``test`` and the
blind split (``test-d``: ``scripts/sample_dedup_pairs.py --blind``, records in no earlier pair and
no cluster read) are scored once per ``ENGINE_VERSION`` and model version; ``test`` is not blind
any more (its scores were seen between engine versions). ``test-c`` was the blind split of engines
5-7 (scored once each); its misses were read after engine 7, and it is development data now,
scored as often as wanted and not recorded.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from typing import Any

import numpy as np

from nlp_service import scores
from nlp_service.dedup import minhash as mh
from nlp_service.dedup.verifier import FEATURES, NAME, pair_features
from nlp_service.models.artifacts import MODELS_DIR, record
from nlp_service.training.dedup_pairs import BLIND_SPLIT, DRAWN_BLIND, FOLDER, LabelledPair, labelled_pairs

VERSION = "5"
ENGINE_VERSION = "8"  # minhash.explain and template_veto: raise it when either changes
MIN_PRECISION = 0.99
SCORES = FOLDER / "scores.json"


def _data_sha256() -> str:
    h = hashlib.sha256()
    for path in [FOLDER / "pairs.jsonl", FOLDER / "noisy_pairs.jsonl", *sorted((FOLDER / "labels").glob("*"))]:
        h.update(path.read_bytes())
    return h.hexdigest()


def _estimate(a: str, b: str, k: int = 5) -> float:
    """The engine's MinHash estimate of the Jaccard similarity of two normalised texts."""
    return float(mh.estimated_jaccard(mh.signatures([a, b], k), np.array([[0, 1]]))[0])


def featurise(pairs: list[LabelledPair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, the hand rules' verdict) of the pairs."""
    x, y, rules = [], [], []
    for p in pairs:
        a, b, alignment = mh.oriented(mh.normalise(p.a), mh.normalise(p.b))
        x.append(pair_features(a, b, alignment))
        y.append(p.same)
        rules.append(mh.verify(a, b, _estimate(a, b), mh.DEFAULT_THRESHOLD, alignment) is not None)
    return np.array(x), np.array(y, dtype=bool), np.array(rules, dtype=bool)


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, Any]:
    """Precision, recall and counts of ``pred`` against ``gold``."""
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    return {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0, "tp": tp, "fp": fp, "fn": fn}


def per_stratum(pred: np.ndarray, gold: np.ndarray, pairs: list[LabelledPair]) -> dict[str, dict[str, Any]]:
    """:func:`prf` per stratum of the pairs (the draw's stratum, or the made pairs' kind)."""
    return {s: prf(pred[[p.stratum == s for p in pairs]], gold[[p.stratum == s for p in pairs]])
            for s in sorted({p.stratum for p in pairs})}


def best_threshold(prob: np.ndarray, gold: np.ndarray) -> tuple[float, dict]:
    """The threshold with the highest recall at precision ≥ MIN_PRECISION (ties: the highest threshold)."""
    best: tuple[float, dict] = (1.0, prf(np.zeros_like(gold), gold))
    for t in sorted(set(np.round(prob, 4).tolist()), reverse=True):
        s = prf(prob >= t, gold)
        if s["precision"] >= MIN_PRECISION and s["recall"] > best[1]["recall"]:
            best = (t, s)
    return best


def _fit(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000, class_weight="balanced")).fit(x, y)


def main(argv: list[str] | None = None) -> None:
    """Cross-validate, fit and write the model (or, with --score-test, score the test pairs once)."""
    ap = argparse.ArgumentParser(prog="nlp-service train verifier")
    ap.add_argument("--score-test", action="store_true", help="score the test pairs (once per model version)")
    ap.add_argument("--engine", choices=["train", "test", *DRAWN_BLIND],
                    help="score the engine's decisions on a split")
    args = ap.parse_args(argv)
    if args.engine:
        score_engine(args.engine)
        return
    from sklearn.model_selection import GroupKFold

    if args.score_test:
        score_test()
        return
    train = labelled_pairs("train")
    x, y, rules = featurise(train)
    groups = np.array([p.story for p in train])
    print(f"train pairs: {len(train)} ({int(y.sum())} same); features {len(FEATURES)}")
    folds = list(GroupKFold(n_splits=5).split(x, y, groups))
    results: dict[str, dict[str, Any]] = {"rules": {"cv": prf(rules, y)}}
    print(f"rules: {results['rules']['cv']}")
    for c in (0.1, 1.0, 10.0):
        prob = np.zeros(len(y))
        for tr, te in folds:
            prob[te] = _fit(x[tr], y[tr], c).predict_proba(x[te])[:, 1]
        t, s = best_threshold(prob, y)
        results[f"model C={c}"] = {"C": c, "threshold": t, "cv": s}
        print(f"model C={c}: threshold {t:.4f} {s}")
    name, chosen = max(((k, v) for k, v in results.items() if k != "rules"),
                       key=lambda kv: (kv[1]["cv"]["recall"], kv[1]["cv"]["precision"], -kv[1]["C"]))
    print(f"chosen: {name}")
    model = _fit(x, y, chosen["C"])
    scaler, lr = model[0], model[1]
    out = MODELS_DIR / NAME
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.json").write_text(json.dumps({
        "version": VERSION, "features": list(FEATURES), "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
        "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]), "threshold": chosen["threshold"]},
        indent=1) + "\n", encoding="utf-8")
    data = _data_sha256()
    (out / "metrics.json").write_text(json.dumps({
        "version": VERSION, "data_sha256": data, "train_pairs": len(train), "train_same": int(y.sum()),
        "min_precision": MIN_PRECISION, "chosen": name, "cross_validation": results},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    record([out / "model.json", out / "metrics.json"], MODELS_DIR, model=NAME, libraries={}, data_sha256=data,
           metrics={"version": VERSION, "threshold": chosen["threshold"]})
    print(f"wrote {out}")


def score_test() -> None:
    """Score the test pairs once for this model version: the rules and the model."""
    from nlp_service.dedup.verifier import load

    model = load()
    key = f"{NAME}@{model.version}"
    scores.record(SCORES, key, "test", None, hint="train a new version", check_only=True)
    test = labelled_pairs("test")
    x, y, rules = featurise(test)
    prob = np.array([model.probability(f) for f in x])
    learned = prob >= model.threshold
    summary = {"pairs": len(test), "same": int(y.sum()), "rules": prf(rules, y), "model": prf(learned, y),
               "rules_per_stratum": per_stratum(rules, y, test), "model_per_stratum": per_stratum(learned, y, test)}
    scores.record(SCORES, key, "test", summary, hint="train a new version")
    print(json.dumps(summary, ensure_ascii=False, indent=1))


def engine_verdicts(pairs: list[LabelledPair], verifier: str) -> np.ndarray:
    """Whether the engine (:func:`~nlp_service.dedup.minhash.judge`) calls each pair a copy."""
    params = mh.Params(verifier=verifier)
    out = []
    for p in pairs:
        a, b = mh.normalise(p.a), mh.normalise(p.b)
        routed = _estimate(a, b, mh.NOISY_K) >= mh.NOISY_THRESHOLD
        out.append(mh.judge(a, b, _estimate(a, b), params, noisy_route=routed) is not None)
    return np.array(out, dtype=bool)


def score_engine(split: str) -> None:
    """The engine's decisions with either verifier on ``split``; the test split once per version."""
    from nlp_service.dedup.verifier import load

    key = f"dedup-engine@{ENGINE_VERSION}+{NAME}@{load().version}"
    hint = "change the engine (ENGINE_VERSION) or the model"
    once = split in ("test", BLIND_SPLIT)  # train and the read test-c are development data
    if once:
        scores.record(SCORES, key, split, None, hint=hint, check_only=True)
    pairs = labelled_pairs(split)
    gold = np.array([p.same for p in pairs], dtype=bool)
    summary: dict[str, Any] = {"pairs": len(pairs), "same": int(gold.sum())}
    for verifier in mh.VERIFIERS:
        pred = engine_verdicts(pairs, verifier)
        summary[verifier] = prf(pred, gold)
        summary[f"{verifier}_per_stratum"] = per_stratum(pred, gold, pairs)
    if once:
        scores.record(SCORES, key, split, summary, hint=hint)
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
