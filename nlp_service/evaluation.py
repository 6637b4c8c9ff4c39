"""Score extraction against our gold files (``corpus/gold/indicators/*.json``).

Matching is offset-free, as in the reference scorer the project was given: a
predicted indicator matches a gold one when value and unit agree after
magnitude normalisation (亿元 = 1e8 元, 名 = 人) and the gold ``cue`` lies
inside the predicted sentence (whitespace ignored). Predictions that match an
optional gold indicator, or only cover a rank phrase, are neither right nor
wrong. Metric accuracy uses the same leniency as the reference scorer
(containment either way, or 60% of the gold metric's characters).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_MAG = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "十万": 1e5, "万": 1e4,
        "千": 1e3, "百": 1e2}
_FAMILY = {"名": "人", "位": "人", "户": "家", "项": "个", "条": "个", "件": "个", "所": "个", "座": "个", "批": "个",
           "套": "个", "台": "个", "日": "天", "％": "%", "百分点": "个百分点"}
_PLAIN = {"千瓦", "千瓦时", "千克", "千米", "百分点", "千伏"}


def _norm_unit(value: float, unit: str | None) -> tuple[float, str]:
    unit = (unit or "").strip()
    if unit not in _PLAIN and unit not in _FAMILY:
        for k in sorted(_MAG, key=len, reverse=True):
            if unit.startswith(k) and unit != k and unit[len(k):] not in ("",):
                value, unit = value * _MAG[k], unit[len(k):]
                break
        else:
            if unit in _MAG:  # a bare magnitude (军队裁员100万)
                value, unit = value * _MAG[unit], ""
    return value, _FAMILY.get(unit, unit)


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def matches(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Whether a predicted indicator is the gold one."""
    try:
        pv, pu = _norm_unit(float(pred["value"]), pred.get("unit"))
        gv, gu = _norm_unit(float(gold["value"]), gold.get("unit"))
    except (TypeError, ValueError, KeyError):
        return False
    if pu != gu or not _close(pv, gv):
        return False
    cue, sent, txt = _squash(gold["cue"]), _squash(pred.get("sentence")), _squash(pred.get("text"))
    return cue in sent or bool(txt and (txt in cue or cue in txt))


def metric_ok(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Lenient metric agreement."""
    pm, gm = _squash(pred.get("metric")), _squash(gold.get("metric"))
    if not pm or not gm:
        return not pm and not gm
    return pm in gm or gm in pm or len(set(pm) & set(gm)) / len(set(gm)) >= 0.6


class _F1:
    """The harmonic mean of a score's ``precision`` and ``recall`` (one definition for every score)."""

    @property
    def precision(self) -> float:
        """Share of predictions that are right (each score defines it)."""
        raise NotImplementedError

    @property
    def recall(self) -> float:
        """Share of gold items found (each score defines it)."""
        raise NotImplementedError

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score(_F1):
    """Counts for one or more gold files."""

    gold: int = 0
    tp: int = 0
    fp: int = 0
    metric_ok: int = 0
    comparator_ok: int = 0
    period_ok: int = 0
    change_ok: int = 0
    metric_exact: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Accumulate another score."""
        self.gold += other.gold
        self.tp += other.tp
        self.fp += other.fp
        self.metric_ok += other.metric_ok
        self.comparator_ok += other.comparator_ok
        self.period_ok += other.period_ok
        self.change_ok += other.change_ok
        self.metric_exact += other.metric_exact

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / gold."""
        return self.tp / self.gold if self.gold else 0.0

    def row(self, name: str) -> str:
        """One table row."""
        ma = self.metric_ok / self.tp if self.tp else 0.0
        ca = self.comparator_ok / self.tp if self.tp else 0.0
        pa = self.period_ok / self.tp if self.tp else 0.0
        ga = self.change_ok / self.tp if self.tp else 0.0
        me = self.metric_exact / self.tp if self.tp else 0.0
        return (f"{name:<28} {self.gold:>5} {self.tp:>5} {self.fp:>5} {self.precision:>6.3f} {self.recall:>6.3f} "
                f"{self.f1:>6.3f} {ma:>7.3f} {me:>7.3f} {ca:>7.3f} {pa:>7.3f} {ga:>7.3f}")


# metric: lenient (one inside the other, or 60% of the gold's characters); metric=: the same text
HEADER = (f"{'gold file':<28} {'gold':>5} {'tp':>5} {'fp':>5} {'P':>6} {'R':>6} {'F1':>6} {'metric':>7} {'metric=':>7} "
          f"{'compar':>7} {'period':>7} {'change':>7}")


def score_indicators(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> Score:
    """Score the predicted indicators of one document against its gold."""
    sc = Score(gold=len(gold["indicators"]))
    used: set[int] = set()
    for g in gold["indicators"]:
        for i, p in enumerate(predicted):
            if i not in used and matches(p, g):
                used.add(i)
                sc.tp += 1
                sc.metric_ok += metric_ok(p, g)
                sc.comparator_ok += (p.get("comparator") or "=") == g.get("comparator", "=")
                sc.period_ok += p.get("period") == g.get("period")
                sc.change_ok += (p.get("change") or None) == (g.get("change") or None)
                sc.metric_exact += _squash(p.get("metric")) == _squash(g.get("metric"))
                break
        else:
            sc.misses.append(f"{g['cue']} ({g['value']} {g['unit']})")
    ranks = [_squash(r) for r in gold.get("ranks", [])]
    for i, p in enumerate(predicted):
        if i in used:
            continue
        txt = _squash(p.get("text"))
        if any(matches(p, g) for g in gold.get("indicators_optional", [])) or any(
                txt and (txt in r or r in txt) for r in ranks):
            continue
        sc.fp += 1
        sc.false_positives.append(f"{p.get('text')} ({p.get('value')} {p.get('unit')})")
    return sc


def load_gold(paths: list[Path], split: str | None) -> list[tuple[Path, dict[str, Any]]]:
    """Gold files, optionally only one split."""
    out = []
    for p in sorted(paths):
        g = json.loads(p.read_text(encoding="utf-8"))
        if split in (None, "all") or g.get("split") == split:
            out.append((p, g))
    return out


# -- slogans (gold/commitments/*.json, guide slogans-v1) ------------------------------------------------
_QUOTES = "“”\"'‘’《》「」『』"


def _strip_quotes(s: str | None) -> str:
    return _squash(s).strip(_QUOTES)


@dataclass
class SetScore(_F1):
    """Counts for set-matched items (slogans, commitments); same rules as the reference scorer.

    Slogans: a predicted slogan is right when it equals a gold or optional one (quotes and
    whitespace ignored); recall over ``slogans``; a prediction in ``not_slogans`` is a hard error.
    """

    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0
    hard: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    hard_errors: list[str] = field(default_factory=list)
    kinds_ok: int = 0
    kinds_n: int = 0

    def add(self, other: SetScore) -> None:
        """Accumulate another score."""
        for name in ("gold", "found", "predicted", "right", "hard", "kinds_ok", "kinds_n"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        """Right predictions / predictions."""
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Gold found / gold."""
        return self.found / self.gold if self.gold else 0.0

    def row(self, name: str) -> str:
        """One table row."""
        kind = f"{self.kinds_ok / self.kinds_n:>6.3f}" if self.kinds_n else f"{'-':>6}"
        return (f"{name:<28} {self.gold:>5} {self.found:>5} {self.predicted:>5} {self.precision:>6.3f} "
                f"{self.recall:>6.3f} {self.f1:>6.3f} {self.hard:>5} {kind}")


SET_HEADER = (f"{'gold file':<28} {'gold':>5} {'found':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'hard':>5} "
              f"{'kind':>6}")


def score_slogans(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> SetScore:
    """Score predicted slogans of one document."""
    pred = {_strip_quotes(p["text"]): p.get("kind") for p in predicted}
    gs = {_strip_quotes(s) for s in gold.get("slogans", [])}
    ok = gs | {_strip_quotes(s) for s in gold.get("slogans_optional", [])}
    bad = {_strip_quotes(s) for s in gold.get("not_slogans", [])}
    kinds = {_strip_quotes(k): v for k, v in gold.get("slogan_kinds", {}).items()}
    sc = SetScore(gold=len(gs), found=len(gs & set(pred)), predicted=len(pred), right=len(set(pred) & ok),
                  hard=len(set(pred) & bad))
    sc.misses = sorted(gs - set(pred))
    sc.wrong = sorted(set(pred) - ok)
    sc.hard_errors = sorted(set(pred) & bad)
    for s in gs & set(pred):
        if s in kinds:
            sc.kinds_n += 1
            sc.kinds_ok += pred[s] == kinds[s]
    return sc


# -- commitments-v2: whole documents, excerpts scored, one gold per prediction, fields ---------------
FIELDS = ("actor", "modality", "deadline", "quantity")


@dataclass
class CommitmentScore(_F1):
    """Counts of one or more commitments-v2 gold excerpts (corpus/README.md §7.5).

    A gold commitment is found by the shortest unused prediction that contains its core; each
    prediction matches at most one gold commitment (so one prediction that swallows a sentence
    finds one commitment, not all of it). A prediction that matches no gold commitment is right
    when it contains an optional core, a hard error when it contains a ``not_commitments``
    string, else wrong. Fields are compared on the matched pairs.
    """

    gold: int = 0
    found: int = 0
    predicted: int = 0
    wrong: int = 0
    hard: int = 0
    field_ok: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)

    def add(self, other: CommitmentScore) -> None:
        """Accumulate another score."""
        for name in ("gold", "found", "predicted", "wrong", "hard"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k in FIELDS:
            self.field_ok[k] += other.field_ok[k]

    @property
    def precision(self) -> float:
        """Predictions not wrong / predictions (optional matches count as right)."""
        return (self.predicted - self.wrong - self.hard) / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Gold found / gold."""
        return self.found / self.gold if self.gold else 0.0

    def accuracy(self, name: str) -> float:
        """Share of matched pairs whose field ``name`` agrees."""
        return self.field_ok[name] / self.found if self.found else 0.0

    def row(self, name: str) -> str:
        """One table row."""
        fields = " ".join(f"{self.accuracy(k):>8.3f}" for k in FIELDS)
        return (f"{name:<34} {self.gold:>5} {self.found:>5} {self.predicted:>5} {self.precision:>6.3f} "
                f"{self.recall:>6.3f} {self.f1:>6.3f} {self.hard:>5} {fields}")


COMMITMENT_HEADER = (f"{'gold file':<34} {'gold':>5} {'found':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} "
                     f"{'hard':>5} " + " ".join(f"{k:>8}" for k in FIELDS))


def field_agrees(name: str, pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Whether one field of a matched prediction agrees with the gold (rules in the module docstring)."""
    if name == "quantity":
        pq, gq = pred.get("quantity"), gold.get("quantity")
        if not pq or not gq:
            return not pq and not gq
        try:
            pv, pu = _norm_unit(float(pq["value"]), pq.get("unit"))
            gv, gu = _norm_unit(float(gq["value"]), gq.get("unit"))
        except (TypeError, ValueError, KeyError):
            return False
        return pu == gu and _close(pv, gv)
    if name == "actor":  # lenient, as metrics are: containment either way or 60% of the gold's characters
        return metric_ok({"metric": pred.get("actor")}, {"metric": gold.get("actor")})
    return (pred.get(name) or None) == (gold.get(name) or None)


def score_commitments_v2(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> CommitmentScore:
    """Score the predicted commitments that fall inside one gold excerpt."""
    cores = [_squash(c["core"]) for c in gold["commitments"]]
    texts = [_squash(p["text"]) for p in predicted]
    sc = CommitmentScore(gold=len(cores), predicted=len(predicted))
    used: set[int] = set()
    order = sorted(range(len(cores)), key=lambda k: sum(cores[k] in t for t in texts))
    matched: dict[int, int] = {}
    for k in order:
        cands = [i for i, t in enumerate(texts) if i not in used and cores[k] in t]
        if cands:
            i = min(cands, key=lambda i: len(texts[i]))
            used.add(i)
            matched[k] = i
    for k, g in enumerate(gold["commitments"]):
        if k not in matched:
            sc.misses.append(g["core"])
            continue
        sc.found += 1
        p = predicted[matched[k]]
        for name in FIELDS:
            ok = field_agrees(name, p, g)
            sc.field_ok[name] += ok
            if not ok:
                sc.field_errors.append(f"{name}: {g['core']} — gold {g.get(name)!r}, predicted {p.get(name)!r}")
    optional = [_squash(c) for c in gold.get("commitments_optional", [])]
    bad = [_squash(c) for c in gold.get("not_commitments", [])]
    for i, t in enumerate(texts):
        if i in used or any(c in t for c in optional):
            continue
        if any(c in t for c in bad):
            sc.hard += 1
            sc.false_positives.append(f"HARD {predicted[i]['text']}")
        else:
            sc.wrong += 1
            sc.false_positives.append(predicted[i]["text"])
    return sc


def excerpt_predictions(result: dict[str, Any], raw_span: Any, start: int, end: int) -> list[dict[str, Any]]:
    """The commitments of a whole-document result that start inside the raw excerpt ``[start, end)``."""
    out = []
    for c in result["commitments"]:
        a, _ = raw_span(c["start"], c["end"])
        if start <= a < end:
            out.append(c)
    return out


COMMITMENT_GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold" / "commitments-v2"


def evaluate_commitments(pipeline: Any, split: str, gold_dir: Path = COMMITMENT_GOLD,
                         verbose: bool = False) -> dict[str, Any]:
    """Score ``pipeline`` on the commitments-v2 excerpts of ``split``: rows per file, per kind, in all.

    Each excerpt's whole source document is extracted (the extractor sees what a user would
    send: headings, the review part before a tasks part), and the commitments that start
    inside the excerpt are scored.
    """
    from nlp_service.contract import to_v1
    from nlp_service.training.corpus import source_document

    files = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))
             if p.name != "FROZEN.json"]
    files = [g for g in files if split == "all" or g["split"] == split]
    rows: dict[str, Any] = {}
    kinds: dict[str, CommitmentScore] = {}
    total, lines = CommitmentScore(), []
    for g in files:
        if not g["commitments"] and not g.get("annotator"):
            continue  # not annotated yet
        text, title = source_document(g["source"])
        art = pipeline.extract(text, title=g.get("title") or title)
        res = to_v1(art, 0.0, include_tokens=False)
        sc = score_commitments_v2(g, excerpt_predictions(res, art.raw_span, g["source_start"], g["source_end"]))
        rows[g["id"]] = sc
        kinds.setdefault(g["kind"], CommitmentScore()).add(sc)
        total.add(sc)
        if verbose:
            lines.append(sc.row(g["id"]))
            lines += [f"    miss: {m}" for m in sc.misses]
            lines += [f"    not in gold: {f}" for f in sc.false_positives]
            lines += [f"    field {e}" for e in sc.field_errors]
    return {"files": rows, "kinds": kinds, "total": total, "lines": lines}


def commitment_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The figures of :func:`evaluate_commitments` as plain numbers (for metrics files)."""
    def one(sc: CommitmentScore) -> dict[str, Any]:
        return {"gold": sc.gold, "found": sc.found, "predicted": sc.predicted, "precision": round(sc.precision, 3),
                "recall": round(sc.recall, 3), "f1": round(sc.f1, 3), "hard_errors": sc.hard,
                "field_accuracy": {k: round(sc.accuracy(k), 3) for k in FIELDS}}
    return {"all": one(result["total"]), "kinds": {k: one(v) for k, v in sorted(result["kinds"].items())},
            "documents": len(result["files"])}


# -- issuers: who issued a document, against the department its record names --------------------------
ISSUER_TABLE = Path(__file__).resolve().parents[1] / "corpus" / "issuers" / "departments.tsv"
ISSUER_SOURCE = "policy-docs/politic_analysis_paper_2025/policy_documents.jsonl"


def department_names(department_en: str, table: list[tuple[str, tuple[str, ...]]]) -> tuple[str, ...] | None:
    """The Chinese names of the first body a record's English ``department_en`` lists, or None.

    ``table``: (English name, Chinese names) rows; the longest English name that opens the list wins.

    >>> t = [("Ministry of Science and Technology", ("科学技术部", "科技部")), ("State Council", ("国务院",))]
    >>> department_names("Ministry of Science and Technology, Ministry of Education", t)
    ('科学技术部', '科技部')
    """
    for en, zh in sorted(table, key=lambda row: -len(row[0])):
        if department_en.startswith(en):
            return zh
    return None


def load_department_table(path: Path = ISSUER_TABLE) -> list[tuple[str, tuple[str, ...]]]:
    """``corpus/issuers/departments.tsv`` as (English name, its Chinese names)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            en, zh = line.split("\t")
            rows.append((en, tuple(zh.split("|"))))
    return rows


def evaluate_issuers(pipeline: Any, verbose: bool = False) -> dict[str, Any]:
    """The issuer the commitment extractor falls back on (a document's author) against its record's department.

    Over the policy documents whose records name their issuing department in English
    (``ISSUER_SOURCE``), the test documents of the commitment gold left out: right when the
    extractor's author agrees with the department's Chinese name as the commitment scorer
    compares actors (containment or most characters), wrong when it names another body, none
    when it names none. The departments are the records' metadata, translated by the data set's
    authors: silver labels (a reply signed 科技部 is filed under the State Council).
    """
    from nlp_service.extract.commitments.context import document_kind
    from nlp_service.extract.commitments.fields import document_actor
    from nlp_service.training.corpus import SHARED_CORPUS

    table = load_department_table()
    cleaner = pipeline.for_tasks(())  # the clean text only: cleaning always runs, nothing else is read here
    held = set()
    for p in COMMITMENT_GOLD.glob("*.json"):
        g = json.loads(p.read_text(encoding="utf-8"))
        if p.name != "FROZEN.json" and str(g.get("split", "")).startswith("test"):
            held.add(g["source"])
    counts = {"documents": 0, "unmapped": 0, "held_out": 0, "right": 0, "wrong": 0, "none": 0}
    lines = []
    with (SHARED_CORPUS / ISSUER_SOURCE).open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if f"{ISSUER_SOURCE}#{d['id']}" in held:
                counts["held_out"] += 1
                continue
            names = department_names(d.get("department_en") or "", table)
            if names is None:
                counts["unmapped"] += 1
                continue
            counts["documents"] += 1
            title = d.get("title")
            clean = cleaner.extract(d["text"], title=title).clean_text
            author = document_actor(title, clean, document_kind(title, clean))
            right = author is not None and any(field_agrees("actor", {"actor": author}, {"actor": n}) for n in names)
            verdict = "right" if right else "none" if author is None else "wrong"
            counts[verdict] += 1
            if verbose and verdict != "right":
                lines.append(f"    {verdict}: {d['id']} — department {names[0]}, extractor {author}")
    found = counts["right"] + counts["wrong"]
    return {**counts, "precision": round(counts["right"] / found, 3) if found else 0.0,
            "recall": round(counts["right"] / counts["documents"], 3) if counts["documents"] else 0.0,
            "lines": lines}
