"""Score slogan extraction on the quoted-span gold of guide slogans-v2 (corpus/README.md §9).

The unit is one quoted string of one document. Each document is extracted whole (slogans only);
a gold item counts as predicted when a slogan of the result has the item's text (normalised as
the extractor normalises it). ``optional`` items count neither way.

The blind test split is scored once per version of the slogan rules
(:data:`nlp_service.extract.slogans.RULES_VERSION`): ``record`` keeps the figures in
``corpus/slogans/scores.json`` and refuses a second test score of the same version. Errors are
listed for the dev split only; the test split's stay unread.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp_service import scores
from nlp_service.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "slogans"
SCORES = GOLD / "scores.json"
KINDS = ("campaign", "formula", "catchphrase")


def load_gold(split: str, folder: Path = GOLD) -> list[dict[str, Any]]:
    """The items of ``split`` with their final label (``<split>.gold.tsv``: id, label, class)."""
    labels = {}
    with (folder / f"{split}.gold.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            labels[row["id"]] = (row["label"], row["class"] or None)
    items = []
    for line in (folder / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["id"] not in labels:
            raise ValueError(f"{split}: item {item['id']} has no gold label")
        item["label"], item["class"] = labels[item["id"]]
        items.append(item)
    return items


def documents(keys: set[str]) -> dict[str, tuple[str, str | None]]:
    """Document key (``file#id``) → (text, title) from the shared corpus, as the split was drawn."""
    from nlp_service.training.corpus import SHARED_CORPUS, SOURCES

    out: dict[str, tuple[str, str | None]] = {}
    for path, text_field, idf in SOURCES.values():
        if not any(k.startswith(path + "#") for k in keys):
            continue
        for line in (SHARED_CORPUS / path).open(encoding="utf-8"):
            d = json.loads(line)
            key = f"{path}#{d[idf]}"
            if key in keys:
                out[key] = (d.get(text_field) or d.get("text") or d.get("content") or "",
                            d.get("title") or d.get("title_from_filename"))
    missing = keys - out.keys()
    if missing:
        raise FileNotFoundError(f"{len(missing)} documents of the split are not in the corpus, e.g. {min(missing)}")
    return out


@dataclass
class SloganScore:
    """Counts of one split: slogan or not, and the kind of every slogan found."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_right: int = 0
    optional: int = 0
    by_kind: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # kind → tp/fp/fn
    by_doc_kind: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    false_by_class: Counter = field(default_factory=Counter)  # not_slogan class → predicted as slogan
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        """Precision, recall and F1 of the counts."""
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def add(self, item: dict[str, Any], predicted: str | None) -> None:
        """Count one item: ``predicted`` is the slogan kind the extractor gave its text, or None."""
        label, cls = item["label"], item["class"]
        if label == "optional":
            self.optional += 1
            return
        gold = cls if label == "slogan" else None
        doc = self.by_doc_kind[item["kind"]]
        if gold and predicted:
            self.tp += 1
            doc["tp"] += 1
            self.kind_right += gold == predicted
            self.by_kind[gold]["tp_gold"] += 1
            self.by_kind[predicted]["pred"] += 1
            self.by_kind[gold]["both"] += gold == predicted
            if gold != predicted:
                self.errors.append(f"{item['id']} kind {predicted}, gold {gold}: “{item['quote']}”")
        elif gold:
            self.fn += 1
            doc["fn"] += 1
            self.by_kind[gold]["tp_gold"] += 1
            self.errors.append(f"{item['id']} missed {gold}: …{item['left'][-30:]}“{item['quote']}”"
                               f"{item['right'][:20]}…")
        elif predicted:
            self.fp += 1
            doc["fp"] += 1
            self.by_kind[predicted]["pred"] += 1
            self.false_by_class[cls or "other"] += 1
            self.errors.append(f"{item['id']} false {predicted} ({cls}): …{item['left'][-30:]}“{item['quote']}”"
                               f"{item['right'][:20]}…")

    def summary(self) -> dict[str, Any]:
        """The figures as stored in scores.json."""
        p, r, f = self.prf(self.tp, self.fp, self.fn)
        kinds = {}
        for k in KINDS:
            c = self.by_kind.get(k, Counter())
            kinds[k] = {"gold": c["tp_gold"], "predicted": c["pred"], "both": c["both"],
                        "P": round(c["both"] / c["pred"], 3) if c["pred"] else None,
                        "R": round(c["both"] / c["tp_gold"], 3) if c["tp_gold"] else None}
        docs = {k: dict(zip(("P", "R", "F1"), (round(x, 3) for x in self.prf(c["tp"], c["fp"], c["fn"])),
                            strict=True)) | {"gold": c["tp"] + c["fn"]} for k, c in sorted(self.by_doc_kind.items())}
        return {"gold_slogans": self.tp + self.fn, "predicted": self.tp + self.fp, "tp": self.tp,
                "P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "optional": self.optional,
                "kind_accuracy": round(self.kind_right / self.tp, 3) if self.tp else None,
                "kinds": kinds, "document_kinds": docs, "false_by_class": dict(self.false_by_class)}

    def lines(self) -> list[str]:
        """The figures as printed."""
        s = self.summary()
        out = [f"slogan or not: gold {s['gold_slogans']}, predicted {s['predicted']}, right {s['tp']}: "
               f"P {s['P']:.3f}  R {s['R']:.3f}  F1 {s['F1']:.3f}  (optional items left out: {s['optional']}); "
               f"kind right on {s['kind_accuracy']} of the slogans found"]
        for k, v in s["kinds"].items():
            out.append(f"  {k:<12} gold {v['gold']:>4}  predicted {v['predicted']:>4}  P {v['P']}  R {v['R']}")
        for k, v in s["document_kinds"].items():
            out.append(f"  documents: {k:<12} gold {v['gold']:>4}  P {v['P']:.3f}  R {v['R']:.3f}")
        if s["false_by_class"]:
            out.append("  not slogans taken for slogans, by class: "
                       + ", ".join(f"{k} {n}" for k, n in sorted(s["false_by_class"].items())))
        return out


def seen_items(split: str, folder: Path = GOLD) -> set[str]:
    """Items of ``split`` the rule writer has seen (``labels/<split>-seen.txt``), kept apart in the figures."""
    path = folder / "labels" / f"{split}-seen.txt"
    if not path.exists():
        return set()
    return {x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")}


def score(pipeline: Any, split: str, folder: Path = GOLD) -> dict[str, SloganScore]:
    """Extract every document of ``split`` (slogans only) and score its items.

    ``all`` items, and ``unseen``: those the rule writer never saw (the same unless some were seen).
    """
    items = load_gold(split, folder)
    seen = seen_items(split, folder)
    docs = documents({it["doc"] for it in items})
    runner = pipeline.for_tasks(("slogans",))
    found: dict[str, dict[str, str]] = {}
    for key, (text, title) in docs.items():
        art = runner.extract(text, title=title)
        found[key] = {s.text: s.kind for s in art.slogans}
    out = {"all": SloganScore(), "unseen": SloganScore()}
    for it in items:
        predicted = found[it["doc"]].get(normalize(it["quote"]).text.strip())
        out["all"].add(it, predicted)
        if it["id"] not in seen:
            out["unseen"].add(it, predicted)
    return out


def record(split: str, result: dict[str, SloganScore] | None, version: str, path: Path = SCORES, *,
           check_only: bool = False) -> Path:
    """Keep the figures of ``split`` under ``version``; the test split only once per version.

    Raises:
        AlreadyScored: ``split`` is test and ``version`` has test figures.

    """
    summary = {name: sc.summary() for name, sc in result.items()} if result else None
    return scores.record(path, version, split, summary, check_only=check_only,
                         hint="change the slogan rules (and RULES_VERSION), the lexicon or the model")
