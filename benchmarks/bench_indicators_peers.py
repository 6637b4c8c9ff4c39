"""Numeric-indicator extraction: ours next to JioNLP and Microsoft Recognizers-Text, same gold, one run.

Last measured: 2026-12-05 (the development machine, 2 vCPUs, one core, Python 3.11.7),
``benchmarks/.peers-venv/bin/python benchmarks/bench_indicators_peers.py`` (ours: the whole
``extract``, every component). Scored on the frozen test excerpts only (dev was tuned on, the sample
article read throughout); the test split is not blind for ours (it was read after its first
scoring)::

    4 gold docs, 117 gold indicators, 10240 chars; throughput >= 2 s per system, one core
    system                 split  gold    tp    fp      P      R     F1  metric  compar    chars/s
    nlp_service            test    117   113     3  0.974  0.966  0.970   0.655   0.929     82,203
    jionlp.extract_money   test    117    20     1  0.952  0.171  0.290   0.000   0.600  1,585,158
    recognizers            test    117    61    10  0.859  0.521  0.649   0.000   0.721     33,607
    recognizers+num        test    117    62   140  0.307  0.530  0.389   0.000   0.726     35,186

usage: benchmarks/.peers-venv/bin/python benchmarks/bench_indicators_peers.py [--min-seconds S]

The peers live in their own venv (``benchmarks/.peers-venv``, git-ignored) and
are never dependencies of nlp_service:

    python3 -m venv benchmarks/.peers-venv
    benchmarks/.peers-venv/bin/pip install jionlp recognizers-text-suite "emoji<2"
    benchmarks/.peers-venv/bin/pip install -e .    # the package and its dependencies (skops, …)

(``recognizers-text`` 1.0.2a2 imports ``emoji.UNICODE_EMOJI``, which emoji 2.x
removed, hence the pin.)

Gold: every ``corpus/gold/indicators/*.json`` (split dev/test) plus the seed
gold ``../shared/eval/seed.gold.json`` on ``../shared/corpus/ningbo-sci-tech-2024.txt``
(split "seed"). Scoring is ``nlp_service.evaluation.score_indicators``.

Every system gets the same input, ``nlp_service.text.normalize.normalize(text).text``.
Peer adapters map each peer hit to the predicted-indicator dict:

* JioNLP ``jionlp.ner.extract_money(text, with_parsing=True)`` (the top-level
  ``jionlp.extract_money`` does not exist in 1.5.31): value = the normalised
  amount (the low end of a range), unit = ``detail['case']`` (元, 美元, ...);
  comparator from ``definition`` (blur -> ~, blur+ -> >=, blur- -> <=,
  *span -> range, else =).
* Recognizers-Text, ``Culture.Chinese``: ``recognize_percentage`` (unit %),
  ``recognize_currency`` (CNY -> 元, other currencies keep their English unit
  name), ``recognize_dimension`` (value = resolved value, unit = the unit as
  written in the span after the number, e.g. 8199万吨 -> 81990000 吨, because
  the peer's own unit string is English ("Ton") and could never equal the gold
  unit), all comparator "=". Row "recognizers+num" adds ``recognize_number``
  hits that no other hit covers, with unit "" (the peer gives none).
* metric is None for all peers; sentence = the sentence (split on 。！？；)
  containing the span.

Throughput: all normalised gold texts concatenated into one document, each
system called on it repeatedly until at least ``--min-seconds`` elapsed
(includes the adapter / ``to_v1``); chars/s on one core. Figures vary with the
machine; the ratios are the point.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from nlp_service.evaluation import Score, score_indicators  # noqa: E402
from nlp_service.text.normalize import normalize  # noqa: E402

Pred = dict[str, Any]
_SENT_END = "。！？；"


def load_docs() -> list[dict[str, Any]]:
    """Gold docs with ``text`` (normalised), ``published`` and ``split``."""
    docs = []
    for p in sorted((ROOT / "corpus" / "gold" / "indicators").glob("*.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        g["name"] = p.stem
        docs.append(g)
    seed = json.loads((SHARED / "eval" / "seed.gold.json").read_text(encoding="utf-8"))
    seed.update(name="seed", split="seed", published=None,
                text=(SHARED / "corpus" / "ningbo-sci-tech-2024.txt").read_text(encoding="utf-8"))
    docs.append(seed)
    for d in docs:
        d["text"] = normalize(d["text"]).text
    return docs


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence (split on 。！？；) containing text[start:end]."""
    a = max(text.rfind(c, 0, start) for c in _SENT_END) + 1
    ends = [i for i in (text.find(c, max(end - 1, start)) for c in _SENT_END) if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    return text[a:b]


def pred(text: str, start: int, end: int, value: float, unit: str, comparator: str = "=") -> Pred:
    return {"value": value, "unit": unit, "text": text[start:end], "sentence": sentence_of(text, start, end),
            "metric": None, "comparator": comparator}


# --- ours ---------------------------------------------------------------------------------------------------

def make_ours() -> Callable[[str, str | None], list[Pred]]:
    from nlp_service.contract import to_v1
    from nlp_service.pipeline import Pipeline
    pipe = Pipeline.build()

    def run(text: str, published: str | None) -> list[Pred]:
        return to_v1(pipe.extract(text, published=published), 0, include_tokens=False)["indicators"]
    return run


# --- JioNLP ---------------------------------------------------------------------------------------------------

_JIO_CMP = {"blur": "~", "blur+": ">=", "blur-": "<="}


def make_jionlp() -> Callable[[str, str | None], list[Pred]]:
    import jionlp
    extract_money = jionlp.ner.extract_money

    def run(text: str, published: str | None) -> list[Pred]:
        out = []
        for r in extract_money(text, with_parsing=True):
            det = r.get("detail") or {}
            num = det.get("num")
            if isinstance(num, (list, tuple)):
                num = num[0]
            try:
                value = float(num)
            except (TypeError, ValueError):
                continue
            d = det.get("definition", "accurate")
            cmp_ = "range" if "span" in d else _JIO_CMP.get(d, "=")
            s, e = r["offset"]
            out.append(pred(text, s, e, value, det.get("case") or "元", cmp_))
        return out
    return run


# --- Recognizers-Text -----------------------------------------------------------------------------------------

_NUM_PREFIX = re.compile(r"^[\d.,，．]*[零〇一二两三四五六七八九十百千万亿点几余多]*")


def make_recognizers(with_numbers: bool) -> Callable[[str, str | None], list[Pred]]:
    from recognizers_number import recognize_number, recognize_percentage
    from recognizers_number_with_unit import recognize_currency, recognize_dimension
    from recognizers_text import Culture
    zh = Culture.Chinese

    def value_of(res: dict[str, Any]) -> float | None:
        v = str((res or {}).get("value", "")).rstrip("%")
        try:
            return float(v)
        except ValueError:
            return None

    def run(text: str, published: str | None) -> list[Pred]:
        out: list[Pred] = []
        spans: list[tuple[int, int]] = []
        for m in recognize_percentage(text, zh):
            v = value_of(m.resolution)
            if v is not None:
                out.append(pred(text, m.start, m.end + 1, v, "%"))
                spans.append((m.start, m.end + 1))
        for m in recognize_currency(text, zh):
            v = value_of(m.resolution)
            if v is None:
                continue
            iso = (m.resolution or {}).get("isoCurrency")
            unit = "元" if iso == "CNY" else str((m.resolution or {}).get("unit") or "")
            out.append(pred(text, m.start, m.end + 1, v, unit))
            spans.append((m.start, m.end + 1))
        for m in recognize_dimension(text, zh):
            v = value_of(m.resolution)
            if v is None:
                continue
            written = m.text[_NUM_PREFIX.match(m.text).end():].strip() or str((m.resolution or {}).get("unit"))
            out.append(pred(text, m.start, m.end + 1, v, written))
            spans.append((m.start, m.end + 1))
        if with_numbers:
            for m in recognize_number(text, zh):
                s, e = m.start, m.end + 1
                v = value_of(m.resolution)
                if v is None or any(a <= s and e <= b for a, b in spans):
                    continue
                out.append(pred(text, s, e, v, ""))
        return out
    return run


# --- main -----------------------------------------------------------------------------------------------------

def throughput(run: Callable[[str, str | None], list[Pred]], doc: str, min_s: float) -> tuple[float, int]:
    run(doc, None)  # warm-up
    n, t0 = 0, time.perf_counter()
    while True:
        run(doc, None)
        n += 1
        el = time.perf_counter() - t0
        if el >= min_s:
            return n * len(doc) / el, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-seconds", type=float, default=2.0, help="minimum duration of each throughput timing")
    args = ap.parse_args()
    # a comparison scores the frozen test excerpts only: dev was tuned on, the sample read throughout
    docs = [d for d in load_docs() if d["split"] == "test"]
    systems: list[tuple[str, Callable[[], Callable[[str, str | None], list[Pred]]]]] = [
        ("nlp_service", make_ours),
        ("jionlp.extract_money", make_jionlp),
        ("recognizers", lambda: make_recognizers(False)),
        ("recognizers+num", lambda: make_recognizers(True)),
    ]
    big = "\n".join(d["text"] for d in docs)
    print(f"{len(docs)} gold docs, {sum(len(d['indicators']) for d in docs)} gold indicators, "
          f"{len(big)} chars; throughput >= {args.min_seconds:g} s per system, one core")
    head = (f"{'system':<22} {'split':<5} {'gold':>5} {'tp':>5} {'fp':>5} {'P':>6} {'R':>6} {'F1':>6} "
            f"{'metric':>7} {'compar':>7} {'chars/s':>10}")
    print(head)
    print("-" * len(head))
    for name, factory in systems:
        try:
            run = factory()
        except Exception as exc:  # a peer that does not import is reported, not fatal
            print(f"{name:<22} unavailable: {type(exc).__name__}: {exc}")
            continue
        sc = Score()
        for d in docs:
            sc.add(score_indicators(d, run(d["text"], d.get("published"))))
        cps, _ = throughput(run, big, args.min_seconds)
        ma = sc.metric_ok / sc.tp if sc.tp else 0.0
        ca = sc.comparator_ok / sc.tp if sc.tp else 0.0
        print(f"{name:<22} {'test':<5} {sc.gold:>5} {sc.tp:>5} {sc.fp:>5} {sc.precision:>6.3f} {sc.recall:>6.3f} "
              f"{sc.f1:>6.3f} {ma:>7.3f} {ca:>7.3f} {cps:>10,.0f}")
    print(f"measured {datetime.date.today().isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
