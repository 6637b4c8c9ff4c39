"""The learned pair verifier: alignment features and a logistic regression beside the hand rules.

The rules of :func:`nlp_service.dedup.minhash.verify` turn a pair down on the first sign of a
template (a figure changed, a word swapped); scan noise spread over a text sets off the same signs.
The model weighs them together. Its features describe where the edits of the character
alignment fall (:func:`pair_features`):

- similarity: exact Jaccard of character 5-grams and 3-grams (3-grams survive heavy noise), length
  ratio, share of the shorter text that aligns, containment;
- edits: edit operations per character, replaced runs per character, the longest replaced run,
  the share of runs longer than one character, a substitution repeated (a template's slot);
- figures: share of digit characters edited against share of other characters edited, figures
  turned into other figures (a template's fill) against figures garbled (scan noise), as
  :func:`nlp_service.dedup.minhash.figure_changes` reads them, whether the multisets of figures
  differ both ways;
- phrases: phrases (over 3 characters) added or dropped, on one side or both, those carrying
  numerals, a passage (50+ characters) added or dropped, edits at the ends only (a headline);
- the hand rules' verdict (none, near, contained) — the model is trained beside them, not instead.

The model is scikit-learn's ``LogisticRegression`` on standardised features, trained by
``nlp-service train verifier`` on the train pairs of guide dedup-pairs-v1; applied here in numpy
from ``models/dedup-verifier/model.json`` (hash-checked against the manifest), so the engine does
not import scikit-learn. Features are hand-written: they are the alignment facts the rules
already compute, and no library describes an alignment this way. The engine asks it through
:func:`nlp_service.dedup.minhash.explain` (the default verifier), after the rules' signs of a
template have had their say.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nlp_service.dedup import minhash as mh

NAME = "dedup-verifier"
FEATURES = (
    "j5", "j3", "len_ratio", "matched", "contained",
    "ops_per_char", "replaced_per_char", "max_run", "multi_share", "repeated_swap",
    "figure_share", "figure_edit_rate", "other_edit_rate", "figure_excess", "swapped", "garbled", "figures_changed",
    "phrases", "phrases_both_sides", "phrases_with_numerals", "passage", "edges_only", "log_len",
    "rules_near", "rules_contained",
)


def pair_features(a: str, b: str, alignment: list[tuple[str, int, int, int, int]] | None = None) -> np.ndarray:
    """The feature vector (:data:`FEATURES`) of two normalised texts (``alignment``: their opcodes, if known)."""
    from nlp_service.clean.repeats import NUMERAL

    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n = max(1, len(short))
    j5 = mh.jaccard(a, b, 5)
    if alignment is None:
        alignment = mh.opcodes(a, b)
    edits = mh.Edits.of(alignment)
    ops, matched, replaced, runs = edits.ops, edits.matched, edits.replaced, edits.runs
    swaps = Counter((a[a0:a1], b[b0:b1]) for a0, a1, b0, b1 in replaced)
    fig_total, fig_edited, other_total, other_edited = mh.edit_counts(a, ops)
    swapped, garbled, _ = mh.figure_changes(a, b, alignment)
    phrases = [(op, a[a0:a1] + b[b0:b1], a0 == b0 == 0 or (a1, b1) == (len(a), len(b)))
               for op, a0, a1, b0, b1 in ops if op != "replace" and max(a1 - a0, b1 - b0) > mh.MAX_REPLACED_RUN]
    fa = Counter(m.group() for m in mh.digit_runs(a))
    fb = Counter(m.group() for m in mh.digit_runs(b))
    fig_rate = fig_edited / fig_total if fig_total else 0.0
    other_rate = other_edited / max(1, other_total)
    kinds = {op for op, _, _ in phrases}
    rules = mh.verify(a, b, j5, 0.0, alignment, edits)
    values = {
        "j5": j5, "j3": mh.jaccard(a, b, 3), "len_ratio": len(short) / max(1, len(long_)),
        "matched": matched / n, "contained": float(bool(short) and short in long_),
        "ops_per_char": len(ops) / n, "replaced_per_char": len(runs) / n,
        "max_run": math.log1p(max(runs, default=0)), "multi_share": sum(r > 1 for r in runs) / max(1, len(runs)),
        "repeated_swap": float(bool(swaps) and swaps.most_common(1)[0][1] > 1),
        "figure_share": fig_total / max(1, len(a)), "figure_edit_rate": fig_rate, "other_edit_rate": other_rate,
        "figure_excess": fig_rate - other_rate, "swapped": math.log1p(swapped), "garbled": math.log1p(garbled),
        "figures_changed": float(bool((fa - fb) and (fb - fa))),
        "phrases": math.log1p(len(phrases)), "phrases_both_sides": float(kinds == {"insert", "delete"}),
        "phrases_with_numerals": math.log1p(sum(1 for _, x, edge in phrases
                                                if not edge and len(x) < mh.PASSAGE and NUMERAL.search(x))),
        "passage": float(any(len(x) >= mh.PASSAGE for _, x, _ in phrases)),
        "edges_only": float(bool(ops) and all(edge for _, _, edge in phrases) and not runs),
        "log_len": math.log(n), "rules_near": float(rules == "near"),
        "rules_contained": float(rules == "contained"),
    }
    return np.array([values[f] for f in FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class Model:
    """A logistic regression in plain numbers: standardise, dot, sigmoid; same above ``threshold``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    version: str

    def probability(self, x: np.ndarray) -> float:
        """The probability that the pair with features ``x`` is one story."""
        z = float(((x - self.mean) / self.scale) @ self.coef + self.intercept)
        return 1.0 / (1.0 + math.exp(-z))

    def reasons(self, x: np.ndarray, top: int = 3) -> list[str]:
        """The features that pushed the verdict most, as ``name+`` (towards same) or ``name-``."""
        push = ((x - self.mean) / self.scale) * self.coef
        order = np.argsort(-np.abs(push))[:top]
        return [f"{FEATURES[i]}{'+' if push[i] > 0 else '-'}" for i in order]


@lru_cache(maxsize=1)
def load() -> Model:
    """The trained model (hash-checked against ``models/manifest.json``)."""
    from nlp_service.models.artifacts import MODELS_DIR, ModelError, check_model

    check_model(NAME)
    d = json.loads((MODELS_DIR / NAME / "model.json").read_text(encoding="utf-8"))
    if tuple(d["features"]) != FEATURES:
        raise ModelError(f"{NAME} was trained on other features; retrain it (`nlp-service train verifier`)")
    return Model(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]),
                 float(d["threshold"]), str(d["version"]))
