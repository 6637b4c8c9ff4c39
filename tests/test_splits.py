"""No test item is a copy of a training item: every labelled data set, compared on normalised text."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from nlp_service.training.corpus import dedup_key

ROOT = Path(__file__).resolve().parents[1]


def _rows(path: str) -> list[dict]:
    return [json.loads(x) for x in (ROOT / path).read_text(encoding="utf-8").splitlines() if x.strip()]


def copies(rows: list[dict], field: str, test_splits: tuple[str, ...]) -> list[str]:
    """Ids of rows of ``test_splits`` whose normalised ``field`` equals a train row's."""
    train = {dedup_key(r[field]) for r in rows if r["split"] == "train"}
    return [r["id"] for r in rows if r["split"] in test_splits and dedup_key(r[field]) in train]


def test_the_key_ignores_spacing_punctuation_width_and_case():
    assert dedup_key("（一）加快 建设，ＡＩ创新中心。") == dedup_key("(一)加快建设,ai创新中心")
    assert dedup_key("加快建设") != dedup_key("加快建成")
    rows = [{"id": "a", "split": "train", "text": "一、加快建设。"},
            {"id": "b", "split": "test", "text": "一 加快建设"},
            {"id": "c", "split": "test", "text": "加快建成"}]
    assert copies(rows, "text", ("test",)) == ["b"]  # the check itself finds a planted copy


def test_topic_test_splits_share_no_paragraph_with_train():
    rows = _rows("corpus/topics/topics.jsonl")
    splits = Counter(r["split"] for r in rows)
    assert splits["train"] >= 4000 and splits["test"] >= 400
    assert copies(rows, "text", ("test", "test-b")) == []
    # the copies found when the check was introduced stay out of scoring, labels kept
    assert splits["test-dup"] == 20


def test_topic_test_b_is_frozen_and_disjoint_by_document():
    frozen = json.loads((ROOT / "corpus/topics/FROZEN-test-b.json").read_text(encoding="utf-8"))
    sample = ROOT / "corpus/topics/sample-testb.jsonl"
    assert hashlib.sha256(sample.read_bytes()).hexdigest() == frozen["sha256"]
    test_b = _rows("corpus/topics/sample-testb.jsonl")
    assert len(test_b) == frozen["paragraphs"] >= 400
    earlier = {r["doc"] for f in (ROOT / "corpus/topics").glob("sample*.jsonl") if f.name != sample.name
               for r in _rows(f"corpus/topics/{f.name}")}
    assert not earlier & {r["doc"] for r in test_b}


@pytest.mark.parametrize("path", ["corpus/clauses/clauses.jsonl"])
def test_clause_test_split_shares_no_clause_with_train(path):
    rows = _rows(path)
    assert copies(rows, "clause", ("test",)) == []
    assert Counter(r["split"] for r in rows)["test-dup"] == 42
