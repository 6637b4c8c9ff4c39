"""Draw the clauses to be labelled under guide commitments-v2, and the relabelling batches of the v1 clauses.

usage: python scripts/sample_clauses_v2.py [--seed 29] [--batches 4] [--relabel-batches 4] [--overlap 30]
       python scripts/sample_clauses_v2.py --more 2 --seed 61 --quotas news=80:5 cpc-report=16:15 ...
                                          (a further draw of the kinds named, KIND=DOCUMENTS:PER_DOCUMENT)

New clauses come from documents of every kind (corpus/README.md §7.7) outside the frozen test
split of corpus/gold/commitments-v2 and outside every document that shares a sentence with a test
excerpt. Work reports and plans give half their quota from their target sections (paragraphs with
预期目标, 主要目标, 到20XX年, 拟安排, 我们将 …), so that target lists, budget pledges and 我们将
sentences are well represented; the other half is drawn at random. Clauses of the v1 sample are
not drawn again.

Writes corpus/clauses/v2/sample.jsonl (ids n0000…) and batches corpus/clauses/v2/batches/new-NN.jsonl
and re-NN.jsonl (the 2,172 v1 clauses, shuffled, without their v1 labels); the first ``overlap``
items of batch k are repeated at the end of batch k+1 so that agreement can be measured.

A further draw (``--more N``) takes clauses of the kinds named from documents outside every test
split (test, test-b, test-c …) and every gold source, never a clause drawn before, and writes
corpus/clauses/v2/sample-N.jsonl (ids mN-0000…) and batches more-N-KK.jsonl. With ``--gated`` it
draws only clauses the extractor's gate passes to the classifier (no structural never-rule, some
forward evidence): the clauses the classifier decides at run time, where its errors cost;
``--evidence E …`` keeps only those whose evidence is one of E (``report``: the news clauses a
route of the gate newly passes). ``--uncertain LO HI`` keeps, of the gated clauses, those the
classifier decides (no override of the finder) and gives a commitment probability from LO to HI:
the clauses nearest its threshold, where a label teaches it most (uncertainty sampling). A further
draw also leaves out clauses whose sentence stands in a ``val`` excerpt (the training data would
drop them while the slice is held back).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from freeze_commitment_split import OUT as GOLD_V2  # noqa: E402
from freeze_commitment_split import raw_documents, sentence_keys  # noqa: E402

from sample_clauses import clauses_of as v1_clauses_of  # noqa: E402

from nlp_service.extract.commitments.context import document_kind  # noqa: E402
from nlp_service.pipeline import Pipeline  # noqa: E402
from nlp_service.training.corpus import gold_sources  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "clauses" / "v2"
# kind: (documents, clauses per document)
QUOTAS = {"work-report": (60, 11), "cpc-report": (12, 12), "plan": (6, 20), "action-plan": (30, 9),
          "notice": (35, 6), "measures": (32, 6), "news": (60, 5)}
_TARGETS = re.compile(r"预期目标|主要目标|发展目标|目标任务|目标是|(?:^|[，。\s])到(?:19|20)\d\d年|拟安排|拟发行|我们将|确保")
FIELDS = ("id", "kind", "title", "heading", "before", "sentence", "clause")


def clauses_of(pipeline: Pipeline, text: str, title: str | None) -> list[dict]:
    """The v1 sampler's clauses with 200 characters before them, marked when their paragraph states targets."""
    out = v1_clauses_of(pipeline, text, title, before_chars=200, with_paragraph=True)
    for c in out:
        c["target_section"] = bool(_TARGETS.search(c.pop("paragraph")))
    return out


def write_batches(rows: list[dict], prefix: str, n: int, overlap: int) -> None:
    size = -(-len(rows) // n)
    chunks = [rows[k * size:(k + 1) * size] for k in range(n)]
    for k, chunk in enumerate(chunks):
        extra = chunks[k - 1][:overlap] if k else chunks[-1][:overlap]
        with (OUT / "batches" / f"{prefix}-{k + 1:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in chunk + extra:
                fh.write(json.dumps({f: r.get(f) for f in FIELDS}, ensure_ascii=False) + "\n")


def eligible_documents() -> tuple[dict[str, list], set[str]]:
    """Documents per kind outside every test split and gold excerpt and no reprint of a test excerpt
    (more than 10% of their sentences in one: reports share set phrases of 20+ characters, so one
    shared sentence does not make a reprint), and the sentence keys of the test excerpts."""
    test = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(GOLD_V2.glob("test-*.json"))]
    test_keys = set().union(*(sentence_keys(g["text"]) for g in test))
    excluded = {g["source"] for g in test} | gold_sources()
    by_kind: dict[str, list] = {}
    for group, key, _, text, title in raw_documents():
        keys = sentence_keys(text)
        if key in excluded or (keys and len(keys & test_keys) / len(keys) > 0.1):
            continue
        by_kind.setdefault(document_kind(title, text), []).append((group, key, text, title))
    return by_kind, test_keys


def gated(rows: list[dict], evidence: set[str] | None = None, uncertain: tuple[float, float] | None = None,
          laid_down: bool = True) -> list[dict]:
    """The rows whose clause the commitments gate passes to the classifier (found by the walker), with one
    of ``evidence`` when given; with ``uncertain`` (lo, hi), only those no override decides whose
    commitment probability (the served classifier) lies from lo to hi."""
    from nlp_service.extract.commitments.find import overridden
    from nlp_service.extract.commitments.gate import forward_evidence, never
    from nlp_service.models.clauses import load_clause_classifier
    from nlp_service.training.clauses import attach_contexts

    attach_contexts(rows)
    keep = [r for r in rows if "_ctx" in r and never(r["_ctx"]) is None
            and (why := forward_evidence(r["_ctx"])) is not None and (evidence is None or why in evidence)]
    if uncertain is not None:
        keep = [r for r in keep if not overridden(r["_ctx"], laid_down=laid_down) and r["_ctx"].heading_rule is None]
        p = load_clause_classifier("sklearn").commitment_probabilities([r["_ctx"] for r in keep])  # the served model
        keep = [r for r, q in zip(keep, p, strict=True) if uncertain[0] <= q <= uncertain[1]]
    for r in rows:
        r.pop("_ctx", None)
    return keep


def val_keys() -> set[str]:
    """The sentence keys of the commitment excerpts held back as ``val``."""
    val = [g for f in sorted(GOLD_V2.glob("dev-*.json"))
           if (g := json.loads(f.read_text(encoding="utf-8"))).get("split") == "val"]
    return set().union(*(sentence_keys(g["text"]) for g in val)) if val else set()


def more(n: int, quotas: dict[str, tuple[int, int]], seed: int, batches: int, overlap: int,
         only_gated: bool = False, evidence: set[str] | None = None,
         uncertain: tuple[float, float] | None = None) -> None:
    """A further draw of clauses of some kinds (see the module docstring)."""
    from nlp_service.extract.commitments.gate import explains_the_law

    rng = random.Random(seed)
    seen = {(json.loads(x)["doc"], json.loads(x)["clause"]) for f in [ROOT / "corpus/clauses/sample.jsonl",
                                                                      *OUT.glob("sample*.jsonl")]
            for x in f.read_text(encoding="utf-8").splitlines()}
    by_kind, test_keys = eligible_documents()
    held = test_keys | val_keys()
    pipeline = Pipeline.build()
    rows = []
    for kind, (ndocs, per_doc) in quotas.items():
        docs = by_kind.get(kind, [])
        for group, key, text, title in rng.sample(docs, min(ndocs, len(docs))):
            cl = [c for c in clauses_of(pipeline, text, title) if (key, c["clause"]) not in seen
                  and not sentence_keys(c["sentence"].replace("【", "").replace("】", "")) & held]
            if only_gated:
                cl = [{k: v for k, v in r.items() if k != "doc"}
                      for r in gated([{**c, "doc": key} for c in cl], evidence, uncertain,
                                     laid_down=not explains_the_law(text, kind))]
            picked = rng.sample(cl, min(per_doc, len(cl)))
            rows += [{"group": group, "doc": key, "kind": kind, "split": "train", **c} for c in picked]
    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["id"] = f"m{n}-{i:04d}"
    with (OUT / f"sample-{n}.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    write_batches(rows, f"more-{n}", batches, overlap)
    kinds = {k: sum(r["kind"] == k for r in rows) for k in quotas}
    print(f"{len(rows)} clauses from {len({r['doc'] for r in rows})} documents {kinds} in {batches} batches")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--more", type=int, metavar="N", help="a further draw, numbered N (needs --quotas)")
    ap.add_argument("--quotas", nargs="+", metavar="KIND=DOCS:PER_DOC")
    ap.add_argument("--seed", type=int, default=29)
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--relabel-batches", type=int, default=4)
    ap.add_argument("--overlap", type=int, default=30)
    ap.add_argument("--gated", action="store_true", help="with --more: only clauses the gate passes")
    ap.add_argument("--evidence", nargs="+", help="with --gated: only clauses with one of these evidences")
    ap.add_argument("--uncertain", nargs=2, type=float, metavar=("LO", "HI"),
                    help="with --gated: only clauses the classifier decides with a commitment probability in [LO, HI]")
    args = ap.parse_args()
    if args.more is not None:
        quotas = {k: (int(v.split(":")[0]), int(v.split(":")[1])) for k, v in (q.split("=") for q in args.quotas)}
        more(args.more, quotas, args.seed, args.batches, args.overlap, args.gated,
             set(args.evidence) if args.evidence else None, tuple(args.uncertain) if args.uncertain else None)
        return
    rng = random.Random(args.seed)
    test = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(GOLD_V2.glob("test-*.json"))]
    test_docs = {g["source"] for g in test}
    test_keys = set().union(*(sentence_keys(g["text"]) for g in test))
    v1 = [json.loads(x) for x in (ROOT / "corpus/clauses/sample.jsonl").read_text(encoding="utf-8").splitlines()]
    v1_seen = {(r["doc"], r["clause"]) for r in v1}
    by_kind: dict[str, list] = {k: [] for k in QUOTAS}
    excluded = test_docs | gold_sources()
    for group, key, _, text, title in raw_documents():
        if key in excluded or sentence_keys(text) & test_keys:
            continue
        by_kind[document_kind(title, text)].append((group, key, text, title))
    pipeline = Pipeline.build()
    rows = []
    for kind, (ndocs, per_doc) in QUOTAS.items():
        for group, key, text, title in rng.sample(by_kind[kind], min(ndocs, len(by_kind[kind]))):
            cl = [c for c in clauses_of(pipeline, text, title) if (key, c["clause"]) not in v1_seen]
            picked: list[dict] = []
            if kind in ("work-report", "plan", "cpc-report"):
                targeted = [c for c in cl if c["target_section"]]
                picked = rng.sample(targeted, min(per_doc // 2, len(targeted)))
            rest = [c for c in cl if c not in picked]
            picked += rng.sample(rest, min(per_doc - len(picked), len(rest)))
            rows += [{"group": group, "doc": key, "kind": kind, "split": "train", **c} for c in picked]
    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["id"] = f"n{i:04d}"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "batches").mkdir(exist_ok=True)
    with (OUT / "sample.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    write_batches(rows, "new", args.batches, args.overlap)
    relabel = [dict(r) for r in v1]
    for r in relabel:
        r["kind"] = None  # the v1 sample kept no kind; the annotator reads the title
    rng.shuffle(relabel)
    write_batches(relabel, "re", args.relabel_batches, args.overlap)
    kinds = {k: sum(r["kind"] == k for r in rows) for k in QUOTAS}
    print(f"{len(rows)} new clauses from {len({r['doc'] for r in rows})} documents {kinds}; "
          f"{len(relabel)} v1 clauses in {args.relabel_batches} relabelling batches")


if __name__ == "__main__":
    main()
