"""The labelled pairs of guide dedup-pairs-v1, with their texts (read from ../shared at run time).

Two files in ``corpus/dedup/``: ``pairs.jsonl`` (pairs of news items, labelled by reading in
``labels/``) and ``noisy_pairs.jsonl`` (a record against a copy made by the scan noise model or with a
passage cut, labelled by construction: see ``scripts/make_noisy_pairs.py``). The news archives are
research-use: only record ids are stored, texts are read here and never written.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nlp_service.training.corpus import ROOT, SHARED_CORPUS

NEWS = SHARED_CORPUS / "news-archive"
RECORD_ID = re.compile(r"(?:cctv_news-xwlb|xin-wen-lian-bo)-\d{8}-\d+")  # a record of either news archive
FOLDER = ROOT / "corpus" / "dedup"
# The blind split: pairs of records nobody had read when the engine was last changed
# (sample_dedup_pairs.py --blind). test-c was that split for engines 5-7; its misses were read
# after engine 7, so it is development data now, and test-d (drawn then) is the blind one.
BLIND_SPLIT = "test-d"
DRAWN_BLIND = ("test-c", BLIND_SPLIT)  # splits drawn blind, each with made pairs of its own records


@dataclass(frozen=True)
class LabelledPair:
    """One labelled pair with both texts."""

    id: str
    a: str  # raw text of the first record
    b: str  # raw text of the second (a noisy copy for noisy pairs)
    same: bool
    split: str
    stratum: str  # the draw's stratum, or noisy-<rate>
    story: str  # the smaller record id: pairs of one story share it (grouped cross-validation)


def news_records(ids: Iterable[str] | None = None) -> dict[str, dict]:
    """Records of both news archives by id (all of them, or only ``ids``)."""
    want = set(ids) if ids is not None else None
    out = {}
    for path in sorted(NEWS.glob("*/items.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if want is None or d["id"] in want:
                    out[d["id"]] = d
    return out


def labels() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(primary label by pair id, (first, second) label of each doubly labelled pair)."""
    assignment = json.loads((FOLDER / "labels" / "assignment.json").read_text(encoding="utf-8"))
    primary: dict[str, str] = {}
    second: dict[str, str] = {}
    for who, a in assignment.items():
        if not isinstance(a, dict):
            continue
        path = FOLDER / "labels" / a["file"]
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                pid, lab = row["id"], row["label"].strip()
                if lab not in ("same", "different", "unsure"):
                    raise ValueError(f"{a['file']}: {pid} has label {lab!r}")
                if a["primary"][0] <= pid <= a["primary"][1]:
                    primary[pid] = lab
                elif a["overlap"][0] <= pid <= a["overlap"][1]:
                    second[pid] = lab
                else:
                    raise ValueError(f"{a['file']}: {pid} is outside {who}'s ranges")
    return primary, [(primary[p], second[p]) for p in sorted(second) if p in primary]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def labelled_pairs(split: str = "all", noisy: bool = True) -> list[LabelledPair]:
    """Every labelled pair of ``split`` (train, test or all), ``unsure`` and repeated pairs left out."""
    from nlp_service.dedup.noise import CUT_MODEL, MODEL, cut_passage, noisy_copy

    primary, _ = labels()
    read = [p for p in _jsonl(FOLDER / "pairs.jsonl") if primary.get(p["id"], "unsure") != "unsure"]
    made = _jsonl(FOLDER / "noisy_pairs.jsonl") if noisy else []
    chosen = [p for p in read + made if split == "all" or p["split"] == split]
    records = news_records({p["a"] for p in chosen} | {p["b"] for p in chosen})
    out, seen = [], set()
    for p in chosen:
        if "noise" in p and p["noise"]["model"] == CUT_MODEL:
            b = cut_passage(records[p["b"]]["text"], p["noise"]["seed"]) or ""
            same, stratum = p["label"] == "same", "cut"
        elif "noise" in p:
            if p["noise"]["model"] != MODEL:
                raise ValueError(f"{p['id']}: noise model {p['noise']['model']!r}, this code makes {MODEL!r}")
            b = noisy_copy(records[p["b"]]["text"], p["noise"]["rate"], p["noise"]["seed"])
            same, stratum = p["label"] == "same", f"noisy-{round(p['noise']['rate'] * 100)}"
        else:
            key = frozenset((p["a"], p["b"]))
            if key in seen:  # a same-URL pair drawn in another stratum too: counted once
                continue
            seen.add(key)
            b, same, stratum = records[p["b"]]["text"], primary[p["id"]] == "same", p["stratum"]
        out.append(LabelledPair(p["id"], records[p["a"]]["text"], b, same, p["split"], stratum, min(p["a"], p["b"])))
    return out
