"""Shared fixtures: one pipeline per session, paths into ../shared."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlp_service.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "corpus" / "ningbo-sci-tech-2024.txt"
SCORER = SHARED / "eval" / "score.py"
SEED_GOLD = SHARED / "eval" / "seed.gold.json"

needs_shared = pytest.mark.skipif(not SAMPLE.exists(), reason="../shared (corpus and scorer) is not beside the repo")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline.build()


@pytest.fixture(scope="session")
def sample_text() -> str:
    if not SAMPLE.exists():
        pytest.skip("../shared/corpus/ningbo-sci-tech-2024.txt is not available")
    return SAMPLE.read_text(encoding="utf-8")


def corpus_documents() -> Iterator[tuple[str, str]]:
    """(id, text) of every government document in gov-work-reports and policy-docs (never heldout)."""
    files = sorted((SHARED / "corpus" / "gov-work-reports").glob("*.jsonl")) + sorted(
        f for f in (SHARED / "corpus" / "policy-docs").glob("*/*.jsonl") if "qa_train" not in f.name
    )
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                doc = json.loads(line)
                text = doc.get("text") or doc.get("content")
                if text:
                    yield f"{f.parent.name}/{f.name}:{n}", text
