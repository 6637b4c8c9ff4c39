"""Freeze the year split of the tracking gold (guide ``tracking-v1``) before any tracking rule exists.

usage: python scripts/freeze_tracking_split.py

A target of year Y is stated in the work report of year Y and settled by the report of year Y+1, so
one *pair* reads two documents. The split is by target year, and it is drawn so that no test
document is read by a train or dev pair:

- **test**: the longest run of consecutive State Council reports that no earlier rule work read (no
  commitment dev excerpt, no gold excerpt of any task): reports 2008–2014, i.e. target years
  2008–2013; and for Shanghai the last pair whose documents no gold excerpt comes from (target year
  2023, reports 2023 and 2024).
- **excluded**: the pairs on the border, which would read a test document (target year 2007, whose
  outcome is in the 2008 report; 2014, whose targets are in it; Shanghai 2022).
- **dev**: the remaining target years Y with Y % 4 == 1 (tolerances and matcher choices are made on
  them); **train**: the rest. Both are read freely.

A pair exists only where both reports are in the corpus (1989–1991, 1996 and 2020 are missing). Writes
``corpus/tracking/FROZEN.json`` with the years and the sha256 of every test document's text.
Refuses to run when the file exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path

from nlp_service.training.corpus import SOURCES, SHARED_CORPUS, gold_sources

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "tracking" / "FROZEN.json"
TEST = {"state-council": range(2008, 2014), "shanghai": range(2023, 2024)}


def reports(group: str) -> dict[int, tuple[str, str]]:
    """year → (document key, text) of the yearly work reports of one group."""
    path, field, idf = SOURCES[group]
    out = {}
    for line in (SHARED_CORPUS / path).open(encoding="utf-8"):
        d = json.loads(line)
        year = d.get("year") or (int(m.group()) if (m := re.match(r"\d{4}(?=年)", d.get("title") or "")) else None)
        if year and "政府工作报告" in (d.get("title") or d.get("doc_type") or ""):
            out[int(year)] = (f"{path}#{d[idf]}", d.get(field) or "")
    return out


def main() -> int:
    if OUT.exists():
        print(f"{OUT.relative_to(ROOT)} exists: the split is frozen", file=sys.stderr)
        return 1
    read_for_rules = gold_sources()
    split: dict[str, dict[str, list[int]]] = {}
    test_docs = {}
    for group, test_years in TEST.items():
        docs = reports(group)
        pairs = sorted(y for y in docs if y + 1 in docs)
        test = [y for y in pairs if y in test_years]
        touched = {y for y in test} | {y + 1 for y in test}
        for y in touched:
            key, text = docs[y]
            if key in read_for_rules:
                raise SystemExit(f"test document {key} is a gold source")
            test_docs[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        excluded = [y for y in pairs if y not in test and ({y, y + 1} & touched)]
        rest = [y for y in pairs if y not in test and y not in excluded]
        split[group] = {"test": test, "excluded": excluded,
                        "dev": [y for y in rest if y % 4 == 1], "train": [y for y in rest if y % 4 != 1]}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"frozen": dt.date.today().isoformat(), "guide": "tracking-v1",
                               "years": split, "test_documents": test_docs}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    for group, s in split.items():
        print(group, {k: len(v) for k, v in s.items()}, "test", s["test"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
