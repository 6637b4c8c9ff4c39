"""Write the plain form (``model.npz`` + ``model.json``) of the saved scikit-learn models and record it.

usage: python scripts/export_plain_models.py [clauses-sklearn topics-sklearn]

For models saved before training wrote the plain form itself: reads ``model.skops`` (hash-checked),
exports it with :func:`nlp_service.models.plain.export`, checks that the plain model gives the same
probabilities on every labelled row of its training data (max difference printed), and adds both
files to the model's entry in ``models/manifest.json``.
"""

from __future__ import annotations

import sys

from nlp_service.models import clauses, plain, topics
from nlp_service.models.artifacts import MODELS_DIR, attach, check_model, load_skops


def labelled_inputs(name: str) -> list[str]:
    """The model input of every labelled row (topics: every split; clauses: every clause, as labelled)."""
    if name == "topics-sklearn":
        from nlp_service.training.topics import load_split

        rows = [r for split in ("train", "test", "test-b") for r in load_split(split)]
        return [topics.model_input(r.get("title"), r["text"]) for r in rows]
    from nlp_service.training.clauses import context, load

    return [clauses.sklearn_input(context(r)) for r in load()]


def main(names: list[str]) -> int:
    """Export, compare and record each model; 1 when a plain model differs."""
    import numpy as np

    trusted = {"clauses-sklearn": clauses.SKOPS_TRUSTED, "topics-sklearn": topics.SKOPS_TRUSTED}
    failed = False
    for name in names:
        check_model(name)
        model = load_skops(MODELS_DIR / name / "model.skops", trusted[name])
        files = plain.export(model, MODELS_DIR / name)
        docs = labelled_inputs(name)
        ours = plain.PlainTextClassifier(MODELS_DIR / name).predict_proba(docs)
        diff = float(np.abs(model.predict_proba(docs) - ours).max())
        print(f"{name}: {len(docs)} labelled rows, largest probability difference {diff:.2e}")
        if diff > 1e-9:
            failed = True
            continue
        attach(name, files)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["clauses-sklearn", "topics-sklearn"]))
