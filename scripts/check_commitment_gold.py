"""Validate commitments-v2 gold files (corpus/README.md §7.5); print an excerpt as the extractor reads it.

usage: python scripts/check_commitment_gold.py [FILE ...]      # default: every corpus/gold/commitments-v2/*.json
       python scripts/check_commitment_gold.py --show FILE     # the excerpt, normalised (simplified script,
                                                               # half-width digits): copy cores from this text
       python scripts/check_commitment_gold.py --agreement [PREFIX] [-v]   # the two labellings of each
                                                               # double-labelled excerpt (second/ against
                                                               # first/, else the main file), scored alike;
                                                               # -v lists every disagreement (to adjudicate)

Checks: required keys; every core (and optional / not-commitment string) is an exact substring of
the normalised excerpt and lies inside one clause (no ，；。 inside); fields have the guide's types
(modality from the guide's list or null, deadline "YYYY" / "YYYY-YYYY" or null, quantity null or
{value, unit, comparator}); no core listed twice.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from nlp_service.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
MODALS = {"必须", "务必", "确保", "坚决", "应当", "应", "须", "不得", "严禁", "要", "将", "拟", "计划", "力争", "争取",
          "努力", "力求", "着力", "目标", "鼓励", "探索", "可", "适时", "逐步"}
COMPARATORS = {"=", ">", ">=", "<", "<=", "~", "range"}
KEYS = ("id", "guide", "split", "kind", "source", "text", "commitments", "commitments_optional", "not_commitments")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def check(path: Path) -> list[str]:
    g = json.loads(path.read_text(encoding="utf-8"))
    errs = [f"missing key {k}" for k in KEYS if k not in g]
    if errs:
        return errs
    text = squash(normalize(g["text"]).text)
    seen = set()
    for i, c in enumerate(g["commitments"]):
        where = f"commitments[{i}] {c.get('core')!r}"
        if set(c) != {"core", "actor", "modality", "deadline", "quantity"}:
            errs.append(f"{where}: keys must be core, actor, modality, deadline, quantity")
            continue
        core = squash(c["core"] or "")
        if core in seen:
            errs.append(f"{where}: listed twice")
        seen.add(core)
        if not core or core not in text:
            errs.append(f"{where}: not a substring of the normalised excerpt (see --show)")
        if re.search(r"[，；。]", core):
            errs.append(f"{where}: runs across a clause boundary")
        if c["modality"] is not None and c["modality"] not in MODALS:
            errs.append(f"{where}: modality {c['modality']!r} not in the guide's list")
        if c["deadline"] is not None and not re.fullmatch(r"(?:19|20)\d\d(?:-(?:19|20)\d\d)?", str(c["deadline"])):
            errs.append(f"{where}: deadline {c['deadline']!r} is not YYYY or YYYY-YYYY")
        q = c["quantity"]
        if q is not None and (not isinstance(q, dict) or set(q) != {"value", "unit", "comparator"}
                              or not isinstance(q["value"], int | float) or q["comparator"] not in COMPARATORS):
            errs.append(f"{where}: quantity must be null or {{value: number, unit, comparator}}")
    for key in ("commitments_optional", "not_commitments"):
        for s in g[key]:
            if not isinstance(s, str) or squash(s) not in text:
                errs.append(f"{key} {s!r}: not a substring of the normalised excerpt")
    return errs


def agreement(prefix: str, verbose: bool = False) -> None:
    """Commitment F1 and field agreement between the two labellings of the double-labelled excerpts.

    The first labelling plays the gold, the second the prediction, under the evaluation's own
    matching (:func:`nlp_service.evaluation.score_commitments_v2`); F1 is symmetric up to the
    optional cores, which only the first labelling's count.
    """
    from nlp_service.evaluation import FIELDS, CommitmentScore, score_commitments_v2

    base = ROOT / "corpus/gold/commitments-v2"
    total = CommitmentScore()
    for second in sorted((base / "second").glob(f"{prefix}*.json")):
        first = base / "first" / second.name
        first = first if first.exists() else base / second.name
        g1, g2 = (json.loads(x.read_text(encoding="utf-8")) for x in (first, second))
        sc = score_commitments_v2(g1, [{**c, "text": c["core"]} for c in g2["commitments"]])
        total.add(sc)
        print(sc.row(second.stem))
        if verbose:
            lines = [f"    only first: {m}" for m in sc.misses] + [f"    only second: {f}" for f in sc.false_positives]
            print("\n".join(lines + [f"    field {e}" for e in sc.field_errors]))
    print(total.row("ALL"))
    print("fields on matched pairs: " + ", ".join(f"{k} {total.accuracy(k):.3f}" for k in FIELDS))


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--agreement"]:
        rest = [a for a in args[1:] if a != "-v"]
        agreement(rest[0] if rest else "", verbose="-v" in args)
        return
    if args[:1] == ["--show"]:
        print(normalize(json.loads(Path(args[1]).read_text(encoding="utf-8"))["text"]).text)
        return
    files = [Path(a) for a in args] or sorted((ROOT / "corpus/gold/commitments-v2").glob("*.json"))
    bad = 0
    for f in files:
        if f.name == "FROZEN.json":
            continue
        errs = check(f)
        bad += bool(errs)
        for e in errs:
            print(f"{f.name}: {e}")
    print(f"{len(files)} files checked, {bad} with errors")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
