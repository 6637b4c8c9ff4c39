"""The outcome matcher of tracking: the hand rules beside a learned matcher, on the gold pairs.

usage: python benchmarks/bench_tracking_matcher.py [--test]

Metric matching must survive paraphrase: a synonym table (``resources/metrics.tsv``, the
rules of :func:`nlp_service.tracking.track.same_metric`) and a learned matcher, both measured.

The learned matcher scores each (target, candidate outcome) pair: every figure of the outcome
report of the target's due year and kind (rate or amount; amounts of one base unit). Features
(:func:`pair_features`): the rules' verdict, the metric keys (equal, in conflict, one only), the
characters the two metric phrases share (runs, share of the shorter and of the longer, containment,
bigram Jaccard of phrases, of the extractor's metric words and of the clauses), the unit, the
distance of the values, whether both move the same way, a construction stage in conflict. Model:
scikit-learn ``LogisticRegression`` on standardised features; the outcome is the best-scoring
candidate when its probability reaches a threshold, else the rules' fallbacks (an outcome stated
in words, or no evidence). ``C`` and the threshold are chosen by 5-fold cross-validation on the
train years grouped by year (link accuracy on found targets, the scorer of
``nlp-service eval --tracking``); the model is then fitted on all train years and scored on dev
beside the rules. Neither split is blind for the rules (they were written from both); the rules'
train figure is an in-sample one.

``--test`` scores the frozen test years once for this matcher version (``corpus/tracking/scores.json``
refuses a second time), the rules in the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import warnings
from pathlib import Path

import numpy as np

from nlp_service import scores
from nlp_service.pipeline import Pipeline
from nlp_service.tracking import evaluate
from nlp_service.tracking.metrics import _SHARE, core, shared_run
from nlp_service.tracking.track import (
    _DOWN_WORDS,
    _UP_WORDS,
    TRACKER_VERSION,
    Figure,
    _stage,
    figures,
    pick_by_rules,
    same_metric,
)

MATCHER_VERSION = "1"
FEATURES = ("rules", "key_equal", "key_conflict", "key_one", "run_of_shorter", "run_of_longer", "run_log",
            "phrase_jaccard", "metric_jaccard", "clause_jaccard", "unit_same", "value_distance",
            "same_way", "other_way", "stage_conflict", "contained")
CS = (0.1, 1.0, 10.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _jaccard(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def _way(change: str | None) -> int:
    return -1 if any(w in (change or "") for w in _DOWN_WORDS) else 1 if any(w in (change or "") for w in _UP_WORDS) \
        else 0


def _value(f: Figure) -> float:
    return f.normalized_value if f.kind == "amount" and f.normalized_value is not None else f.value


def candidates(target: Figure, found: list[Figure]) -> list[Figure]:
    """The figures of one document (its due year's, as :func:`track` passes them) the target could be settled by."""
    return [g for g in found if g.kind == target.kind and not (
        target.kind == "amount" and target.base_unit and g.base_unit and target.base_unit != g.base_unit)]


def pair_features(t: Figure, c: Figure) -> list[float]:
    """The feature vector (:data:`FEATURES`) of a target and a candidate outcome."""
    a, b = core(_SHARE.split(t.phrase)[0]), core(_SHARE.split(c.phrase)[0])
    run = shared_run(a, b) if a and b else 0
    vt, vc = _value(t), _value(c)
    if t.kind == "rate":
        distance = min(abs(vc - vt) / (abs(vt) + 1.0), 3.0)
    else:
        distance = min(abs(math.log(abs(vc) / abs(vt))), 5.0) if vt and vc else 5.0
    wt, wc = _way(t.change), _way(c.change)
    st, sc = _stage(t.context), _stage(c.context)
    return [float(same_metric(t, c)), float(bool(t.key and c.key and t.key == c.key)),
            float(bool(t.key and c.key and t.key != c.key)), float(bool(t.key) != bool(c.key)),
            run / max(1, min(len(a), len(b))), run / max(1, len(a), len(b)), math.log1p(run),
            _jaccard(a, b), _jaccard(core(t.metric), core(c.metric)), _jaccard(core(t.context), core(c.context)),
            float((t.unit or "").strip() == (c.unit or "").strip()), distance,
            float(wt * wc > 0), float(wt * wc < 0), float(bool(st and sc and st != sc)),
            float(bool(a and b and (a in b or b in a)))]


class Cached:
    """The pipeline with its results kept: every fold and setting reads the same reports."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline, self.resources, self.memo = pipeline, pipeline.resources, {}

    def extract(self, text: str, **kw):
        key = (text, tuple(sorted(kw.items())))
        if key not in self.memo:
            self.memo[key] = self.pipeline.extract(text, **kw)
        return self.memo[key]


def training_rows(pipe: Cached, gold_files: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every candidate of every found gold target of ``gold_files``."""
    result = evaluate.report_results(pipe)
    x, y = [], []
    for f in gold_files:
        gold = json.loads(f.read_text(encoding="utf-8"))
        res, region, year = result(gold["target_doc"])
        targets, _ = figures(res, gold["target_doc"], region=region, year=year)
        res, region, year = result(gold["outcome_doc"])
        _, reported = figures(res, gold["outcome_doc"], region=region, year=year)
        for t in targets:
            if t.due != gold["target_year"]:
                continue
            p = next((p for p in gold["pairs"] if evaluate.names(t.figure, p["target"])), None)
            if p is None:
                continue
            out = p["outcome"] or {}
            found = [g for g in reported if isinstance(g, Figure) and g.period == str(t.due)
                     and g.article_id != t.figure.article_id]
            for c in candidates(t.figure, found):
                x.append(pair_features(t.figure, c))
                y.append(out.get("value") is not None and evaluate.names(c, out))
    return np.array(x), np.array(y)


def learned_pick(x: np.ndarray, y: np.ndarray, c: float, threshold: float):
    """A ``pick`` for :func:`track`: the fitted model's best candidate when it reaches ``threshold``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=5000).fit(scaler.transform(x), y)

    def pick(target: Figure, found: list[Figure]) -> Figure | None:
        cands = candidates(target, found)
        if not cands:
            return None
        p = model.predict_proba(scaler.transform(np.array([pair_features(target, g) for g in cands])))[:, 1]
        k = int(np.argmax(p))
        return cands[k] if p[k] >= threshold else None
    return pick


def score_files(pipe: Cached, files: list[Path], pick) -> evaluate.TrackingScore:
    """The tracking scorer on ``files`` only (copied as one split into a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            gold = json.loads(f.read_text(encoding="utf-8"))
            gold["split"] = "fold"
            (Path(tmp) / f.name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        return evaluate.score(pipe, "fold", Path(tmp), pick)


def line(name: str, s: evaluate.TrackingScore) -> str:
    m = s.summary()
    return f"| {name} | {s.found} | {m['link_accuracy_found']:.3f} | {m['status_accuracy_found']:.3f} |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--test", action="store_true", help="score the test years once for this matcher version")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    key = f"tracking@{TRACKER_VERSION}+matcher-lr@{MATCHER_VERSION}"
    if args.test:
        scores.record(evaluate.SCORES, key, "test", None, hint="change the matcher (and MATCHER_VERSION)")
    split = {f: json.loads(f.read_text(encoding="utf-8"))["split"] for f in sorted(evaluate.GOLD.glob("*.json"))}
    train = [f for f, s in split.items() if s == "train"]
    dev = [f for f, s in split.items() if s == "dev"]
    pipe = Cached(Pipeline.build())
    folds = [train[k::5] for k in range(5)]  # each gold file is one year of one group
    rows = {k: training_rows(pipe, fold) for k, fold in enumerate(folds)}
    cv: dict[tuple[float, float], list[int]] = {}
    for k, fold in enumerate(folds):
        x = np.vstack([rows[j][0] for j in rows if j != k])
        y = np.concatenate([rows[j][1] for j in rows if j != k])
        for c in CS:
            for thr in THRESHOLDS:
                s = score_files(pipe, fold, learned_pick(x, y, c, thr))
                got = cv.setdefault((c, thr), [0, 0, 0])
                got[0] += s.found
                got[1] += s.link_ok
                got[2] += s.status_ok
    print("cross-validation on the train years (5 folds by year), link / status accuracy on found targets:")
    for (c, thr), (n, link, status) in sorted(cv.items()):
        print(f"  C={c:<5} threshold={thr}: {link / n:.3f} / {status / n:.3f}")
    (c, thr), best = max(cv.items(), key=lambda kv: (kv[1][1], kv[1][2]))
    print(f"chosen: C={c}, threshold={thr} (cross-validated link accuracy {best[1] / best[0]:.3f})")
    x, y = training_rows(pipe, train)
    print(f"training pairs: {len(y)} candidates, {int(y.sum())} outcomes")
    pick = learned_pick(x, y, c, thr)
    print("\n| matcher | found | link accuracy (found) | status accuracy (found) |\n|---|---|---|---|")
    print(line("rules, train (in sample)", score_files(pipe, train, pick_by_rules)))
    print(line("learned, train (in sample)", score_files(pipe, train, pick)))
    print(line("rules, dev", score_files(pipe, dev, pick_by_rules)))
    print(line("learned, dev", score_files(pipe, dev, pick)))
    if args.test:
        test = [f for f, s in split.items() if s == "test"]
        rules, learned = score_files(pipe, test, pick_by_rules), score_files(pipe, test, pick)
        print(line("rules, test", rules))
        print(line("learned, test (scored once)", learned))
        scores.record(evaluate.SCORES, key, "test", learned.summary(), hint="change the matcher (and MATCHER_VERSION)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
