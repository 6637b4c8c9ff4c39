"""Draw a second, train-only batch of paragraphs for topic labelling, aimed at the thin labels.

usage: python scripts/sample_paragraphs_extra.py [--seed 7] [--per-cue 100] [--random 100] [--batches 4]
       [--name extra] [--id-prefix q] [--labels LABEL,...] [--select cue|uncertain]

The first draw (scripts/sample_paragraphs.py) left some labels with under 110 training paragraphs
(城乡建设与区域, 商贸开放, 教育人才, 资源能源环境, 农业农村, 安全国防, 宏观经济) and the first
model weakest on exactly those. With ``--select cue`` (the default) this draw picks, for each such
label, ``--per-cue`` paragraphs that contain one of its cue words (the cue only proposes a
candidate: every paragraph is then labelled by reading with the full taxonomy, and many turn out to carry other labels); with
``--select uncertain`` (uncertainty sampling) it picks, for each such label, paragraphs on which
the shipped scikit-learn topic model is unsure of that label: score within ±0.2 of its threshold,
random among those — the boundary cases a model learns most from. Either way plus ``--random``
paragraphs drawn at random. Only documents outside the frozen topic test split and
outside the gold excerpts are used, so the test split stays untouched; every row is ``train``.

Writes corpus/topics/sample-NAME.jsonl and corpus/topics/batches/NAME-NN.jsonl (ids PREFIX0000…);
paragraphs already in an earlier draw (any corpus/topics/sample*.jsonl) are never drawn again.

Draws so far: ``extra`` (seed 7, ids q…, all seven cue labels below); ``extra2`` (seed 11, ids r…,
``--labels 商贸开放,改革治理,城乡建设与区域,安全国防,资源能源环境,教育人才`` — the labels the second
model was still weakest on in cross-validation on train); ``extra3`` (seed 13, ids s…,
``--select uncertain --per-cue 95 --random 135 --labels
城乡建设与区域,商贸开放,资源能源环境,改革治理,产业发展,农业农村,安全国防`` — the seven labels under 0.78
F1 in grouped cross-validation on train, 2026-11-27); ``extra4`` (seed 19, ids u…, ``--select
uncertain --per-cue 85 --random 120 --labels
城乡建设与区域,安全国防,商贸开放,改革治理,科技创新,农业农村,资源能源环境,宏观经济`` — the eight labels
under 0.78 F1 in grouped cross-validation on the natural-distribution train rows, 2026-11-27).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from nlp_service.pipeline import Pipeline
from nlp_service.training.corpus import (
    SOURCES,
    documents,
    gold_sources,
    topic_paragraphs,
    topic_test_documents,
    write_annotation_batches,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "topics"
CUES = {
    "城乡建设与区域": ("城镇化", "城市更新", "城乡", "住房", "棚户区", "老旧小区", "交通", "区域协调", "长三角", "京津冀",
                "粤港澳", "西部", "市政", "基础设施"),
    "商贸开放": ("外贸", "进出口", "自贸", "对外开放", "外资", "消费", "跨境", "一带一路", "口岸", "商务", "出口"),
    "教育人才": ("教育", "学校", "人才", "高校", "职业教育", "教师", "学生"),
    "资源能源环境": ("生态", "环境", "污染", "节能", "碳", "能源", "水资源", "减排"),
    "农业农村": ("农业", "农村", "农民", "粮食", "乡村", "扶贫"),
    "安全国防": ("国防", "军队", "安全生产", "应急", "公共安全", "国家安全", "治安"),
    "宏观经济": ("国内生产总值", "经济增长", "物价", "宏观调控", "通货膨胀", "经济运行"),
    "改革治理": ("改革", "放管服", "营商环境", "依法行政", "审批", "监管", "简政放权", "政务服务"),
}


def _unsure(pool: list[dict], labels: list[str], band: float = 0.2) -> dict[str, list[bool]]:
    """Per label, whether the shipped scikit-learn model's score is within ``band`` of its threshold."""
    from nlp_service.models.topics import TAXONOMY, load_topic_model

    model = load_topic_model("sklearn")
    scores = model.scores([(r["title"], r["text"]) for r in pool])
    return {lab: list(abs(scores[:, TAXONOMY.index(lab)] - model.threshold) <= band) for lab in labels}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-cue", type=int, default=100)
    ap.add_argument("--random", type=int, default=100)
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--name", default="extra")
    ap.add_argument("--id-prefix", default="q")
    ap.add_argument("--labels", default=",".join(list(CUES)[:7]), help="cue labels to draw for, comma-separated")
    ap.add_argument("--select", choices=("cue", "uncertain"), default="cue",
                    help="per label: paragraphs with a cue word, or those the shipped model is unsure of")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    exclude = gold_sources() | topic_test_documents()
    done = {json.loads(x)["text"] for f in sorted(OUT.glob("sample*.jsonl"))
            for x in f.read_text(encoding="utf-8").splitlines()}
    cues = {lab: CUES.get(lab, ()) for lab in args.labels.split(",")}
    pipeline = Pipeline.build()
    pool = []
    for group in SOURCES:
        for key, text, title in documents(group):
            if key in exclude:
                continue
            shown_title, paragraphs = topic_paragraphs(pipeline, text, title)
            pool += [{"group": group, "doc": key, "title": shown_title, "text": t} for t in paragraphs if t not in done]
    rng.shuffle(pool)
    unsure = _unsure(pool, list(cues)) if args.select == "uncertain" else {}
    picked, seen = [], set()
    for label, words in cues.items():
        if args.select == "uncertain":
            hits = [r for i, r in enumerate(pool) if r["text"] not in seen and unsure[label][i]]
        else:
            hits = [r for r in pool if r["text"] not in seen and any(c in r["text"] for c in words)]
        docs_used: dict[str, int] = {}
        for r in hits:
            if len([x for x in picked if x.get("cue") == label]) >= args.per_cue:
                break
            if docs_used.get(r["doc"], 0) >= 3:  # spread over documents
                continue
            docs_used[r["doc"]] = docs_used.get(r["doc"], 0) + 1
            picked.append({**r, "cue": label})
            seen.add(r["text"])
    rest = [r for r in pool if r["text"] not in seen]
    picked += [{**r, "cue": None} for r in rng.sample(rest, args.random)]
    rng.shuffle(picked)
    for i, r in enumerate(picked):
        r["id"] = f"{args.id_prefix}{i:04d}"
        r["split"] = "train"
    with (OUT / f"sample-{args.name}.jsonl").open("w", encoding="utf-8") as fh:
        for r in picked:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    size = write_annotation_batches(picked, OUT / "batches", args.name, args.batches)
    print(f"{len(picked)} paragraphs from {len({r['doc'] for r in picked})} documents (pool {len(pool)}); "
          f"{args.batches} batches of ~{size}")


if __name__ == "__main__":
    main()
