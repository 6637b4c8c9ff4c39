"""Score tracking against the gold pairs of ``corpus/tracking`` (guide tracking-v1), one split at a time.

For each gold year: both reports go through the pipeline, :func:`~nlp_service.tracking.track.figures`
takes the targets of report Y and the reported figures of report Y+1, and
:func:`~nlp_service.tracking.track.track` links them. A gold target is *found* when a system target's
figure lies in its text with the same value (as written, or in base units). On the found ones:
the **link** is right when both say "no outcome", or the system's outcome figure lies in the gold
outcome clause with the gold value; the **status** is right when equal. End-to-end figures count
a missed target as wrong.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nlp_service import scores
from nlp_service.extract.quantities import find_quantities
from nlp_service.tracking.track import TRACKER_VERSION, Figure, Statement, Tracked, figures, pick_by_rules, track

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "corpus" / "tracking" / "pairs"
SCORES = ROOT / "corpus" / "tracking" / "scores.json"


def record(split: str, result: TrackingScore | None, path: Path = SCORES, *, check_only: bool = False) -> Path:
    """Keep the figures of ``split`` under the tracker version; the test split only once per version.

    Raises:
        AlreadyScored: ``split`` is test and this version has test figures.

    """
    return scores.record(path, f"tracking@{TRACKER_VERSION}", split, result.summary() if result else None,
                         hint="change the tracker (and TRACKER_VERSION)", check_only=check_only)


@dataclass
class TrackingScore:
    """Counts of one split, overall and per metric key."""

    gold: int = 0
    found: int = 0
    link_ok: int = 0
    status_ok: int = 0
    extra: int = 0  # system targets due in a gold year that no gold pair names
    per_key: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    confusion: Counter = field(default_factory=Counter)  # (gold status, system status or "missed")
    errors: list[str] = field(default_factory=list)  # each found target linked or settled wrongly, in words

    def summary(self) -> dict:
        """The headline figures, per metric key included."""
        f, g = max(self.found, 1), max(self.gold, 1)
        return {"gold": self.gold, "found": self.found, "extra": self.extra,
                "link_accuracy_found": round(self.link_ok / f, 3),
                "status_accuracy_found": round(self.status_ok / f, 3),
                "link_accuracy": round(self.link_ok / g, 3), "status_accuracy": round(self.status_ok / g, 3),
                "per_key": {k: dict(c) for k, c in sorted(self.per_key.items())},
                "confusion": {f"{a}->{b}": n for (a, b), n in sorted(self.confusion.items())}}

    def lines(self) -> list[str]:
        """The figures as printed lines."""
        f = max(self.found, 1)
        g = max(self.gold, 1)
        out = [f"gold pairs {self.gold}; targets found {self.found} ({self.found / g:.3f}); "
               f"system targets no gold pair names: {self.extra}",
               f"on found targets: link accuracy {self.link_ok / f:.3f}, status accuracy {self.status_ok / f:.3f}",
               f"end to end (missed = wrong): link {self.link_ok / g:.3f}, status {self.status_ok / g:.3f}",
               "per metric key (gold, found, link ok, status ok):"]
        for key, c in sorted(self.per_key.items(), key=lambda kv: -kv[1]["gold"]):
            out.append(f"  {key:<34} {c['gold']:4d} {c['found']:4d} {c['link']:4d} {c['status']:4d}")
        out.append("gold status → system status: " + ", ".join(
            f"{g}→{s} {n}" for (g, s), n in sorted(self.confusion.items())))
        return out


def _overlaps(a: str, b: str) -> bool:
    """One text inside the other, compared as the extractor reads them.

    The gold quotes the raw record (１９５６年…增长１９．７％ in the old reports), the extractor its
    NFKC-folded clean text.
    """
    a, b = _folded(a), _folded(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _same_value(fig: Figure, value: float | str, unit: str | None) -> bool:
    """Whether a system figure has the gold value, as written or in base units.

    The extractor reads 一百四十五亿七千七百万元 as 14,577,000,000 元; the gold writes 145.77 亿元.
    """
    if abs(fig.value - float(value)) < 1e-6:
        return True
    norm = fig.normalized_value
    gold = find_quantities(f"{float(value):g}{unit}") if unit and norm is not None else []
    return norm is not None and bool(gold) and gold[0].base_unit == fig.base_unit and \
        abs(gold[0].normalized_value - norm) <= 1e-9 * max(1.0, abs(norm))


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def report_documents() -> dict[str, tuple[str, str | None, str | None, str | None]]:
    """Document key (``file#id``) → (text, title, published, area) of the State Council and Shanghai reports.

    Read as the ingest reads a record: a Shanghai record's ``year`` is its published date, its
    ``area`` its region.
    """
    from nlp_service.training.corpus import SHARED_CORPUS, SOURCES

    out = {}
    for group in ("state-council", "shanghai"):
        path, text_field, idf = SOURCES[group]
        for line in (SHARED_CORPUS / path).open(encoding="utf-8"):
            d = json.loads(line)
            out[f"{path}#{d[idf]}"] = (d.get(text_field) or "", d.get("title"),
                                       str(d["year"]) if d.get("year") else None, d.get("area"))
    return out


def names(fig: Figure, gold: dict) -> bool:
    """Whether a system figure is the one a gold target or outcome quotes: in its text, with its value."""
    return _overlaps(fig.text, gold["text"]) and _same_value(fig, gold["value"], gold.get("unit"))


def report_results(pipeline) -> Callable[[str], tuple]:
    """For a report key: (v1 result, stored region, stored year), what the store keeps of it; each extracted once."""
    from nlp_service.contract import to_v1
    from nlp_service.store.records import to_record

    docs = report_documents()
    results: dict[str, tuple] = {}

    def result(key: str) -> tuple:
        if key not in results:
            text, title, published, area = docs[key]
            res = to_v1(pipeline.extract(text, title=title, published=published), 0.0, include_tokens=False)
            rec = to_record(res, pipeline.resources.segmenter, region=area, published=published)
            results[key] = (res, rec.region, rec.year)
        return results[key]
    return result


def score(pipeline, split: str, gold_dir: Path = GOLD,
          pick: Callable[[Figure, list[Figure]], Figure | None] = pick_by_rules) -> TrackingScore:
    """Score ``split`` (train, dev or test) of the gold with ``pipeline`` (``pick``: the outcome matcher)."""
    result = report_results(pipeline)
    sc = TrackingScore()
    for f in sorted(gold_dir.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        if gold["split"] != split:
            continue
        year = gold["target_year"]
        res, region, stored_year = result(gold["target_doc"])
        targets, _ = figures(res, gold["target_doc"], region=region, year=stored_year)
        res, region, stored_year = result(gold["outcome_doc"])
        _, reported = figures(res, gold["outcome_doc"], region=region, year=stored_year)
        tracked = track([t for t in targets if t.due == year], [(stored_year, region, reported)], pick)
        used: set[int] = set()
        for p in gold["pairs"]:
            _score_pair(sc, p, tracked, used)
        sc.extra += len(tracked) - len(used)
    return sc


def _score_pair(sc: TrackingScore, p: dict, tracked: list[Tracked], used: set[int]) -> None:
    key = p["target"]["metric_key"]
    sc.gold += 1
    sc.per_key[key]["gold"] += 1
    hit = next((k for k, t in enumerate(tracked) if k not in used and names(t.target.figure, p["target"])), None)
    if hit is None:
        sc.confusion[p["status"], "missed"] += 1
        return
    used.add(hit)
    t = tracked[hit]
    sc.found += 1
    sc.per_key[key]["found"] += 1
    gold_out = p["outcome"]
    first = t.evidence[0] if t.evidence else None
    if gold_out is None:
        link = first is None
    elif gold_out.get("value") is None:  # an outcome in words (§8.3): none, or the statement itself
        link = first is None or (isinstance(first, Statement) and _overlaps(first.text, gold_out["text"]))
    else:
        link = isinstance(first, Figure) and names(first, gold_out)
    if p["status"] == "no_evidence" and not t.evidence:
        link = True
    sc.link_ok += link
    sc.per_key[key]["link"] += link
    ok = t.status == p["status"]
    sc.status_ok += ok
    sc.per_key[key]["status"] += ok
    sc.confusion[p["status"], t.status] += 1
    if not (link and ok):
        said = first.text if first is not None else "-"
        sc.errors.append(f"{p['id']} [{key}] gold {p['status']}, system {t.status} ({t.reason}) | target: "
                         f"{p['target']['text']} | gold outcome: {(gold_out or {}).get('text', '-')} | "
                         f"system outcome: {said}")
