"""Validate indicator gold files: schema, cue uniqueness, excerpt fidelity.

usage: .venv/bin/python scripts/check_indicator_gold.py corpus/gold/indicators/*.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nlp_service.text.normalize import normalize  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
COMPARATORS = {"=", ">", ">=", "<", "<=", "~", "range"}
FIELDS = {"cue", "value", "unit", "comparator", "metric", "change", "period", "rank"}


def source_text(gold: dict) -> str | None:
    """The source field of the document a gold file cites."""
    path, _, key = gold["source"].partition("#")
    f = SHARED / path
    if not f.exists():
        return None
    if f.suffix != ".jsonl":
        return f.read_text(encoding="utf-8")
    for line in f.open(encoding="utf-8"):
        row = json.loads(line)
        ids = {str(row.get(k)) for k in ("id", "docid", "title", "title_from_filename", "blob")}
        if key in ids:
            return row[gold["source_field"]]
    return None


def check(path: Path) -> list[str]:
    """Problems found in one gold file."""
    errors = []
    gold = json.loads(path.read_text(encoding="utf-8"))
    for k in ("id", "guide", "split", "source", "source_field", "source_start", "source_end", "text", "indicators"):
        if k not in gold:
            errors.append(f"missing field {k}")
    if gold.get("split") not in {"dev", "test"}:
        errors.append("split must be dev or test")
    src = source_text(gold)
    if src is None:
        errors.append(f"source not found: {gold.get('source')}")
    elif src[gold["source_start"]:gold["source_end"]] != gold["text"]:
        errors.append("text is not source[source_start:source_end]")
    clean = re.sub(r"\s+", "", normalize(gold["text"]).text)
    for group in ("indicators", "indicators_optional"):
        for i, ind in enumerate(gold.get(group, [])):
            where = f"{group}[{i}] {ind.get('cue')!r}"
            missing = FIELDS - set(ind)
            if missing:
                errors.append(f"{where}: missing {sorted(missing)}")
            cue = re.sub(r"\s+", "", ind.get("cue") or "")
            if not cue or cue not in clean:
                errors.append(f"{where}: cue is not in the normalised (simplified, half-width) excerpt")
            elif clean.count(cue) > 1:
                errors.append(f"{where}: cue occurs {clean.count(cue)} times; lengthen it")
            if ind.get("comparator") not in COMPARATORS:
                errors.append(f"{where}: comparator {ind.get('comparator')!r}")
            if not isinstance(ind.get("value"), (int, float)):
                errors.append(f"{where}: value must be a number")
            if ind.get("comparator") == "range" and not isinstance(ind.get("value_max"), (int, float)):
                errors.append(f"{where}: a range needs value_max")
    return errors


def main() -> int:
    """Check every file named on the command line."""
    bad = 0
    for p in map(Path, sys.argv[1:]):
        errs = check(p)
        gold = json.loads(p.read_text(encoding="utf-8"))
        print(f"{p.name}: {len(gold.get('indicators', []))} indicators, "
              f"{len(gold.get('indicators_optional', []))} optional, {len(errs)} problems")
        for e in errs:
            print("   ", e)
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
