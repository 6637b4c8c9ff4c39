"""Freeze the blind test split of guide commitments-v2 (and draw the dev excerpts), before any rule is written.

usage: python scripts/freeze_commitment_split.py [--seed 23]
       python scripts/freeze_commitment_split.py --add-dev news=8 work-report=4 --seed 31
                                          (more dev excerpts of some kinds; the test split is left as frozen)
       python scripts/freeze_commitment_split.py --add-dev cpc-report=12 --seed 97
                                          (a kind with fewer documents left: several excerpts a document)
       python scripts/freeze_commitment_split.py --add-dev news=12 --unread --seed 241
                                          (from documents nobody has read: every used news document is drawn)
       python scripts/freeze_commitment_split.py --add-test test-b --seed 47
                                          (a further blind split, once the first one has been read)
       python scripts/freeze_commitment_split.py --add-test test-c --seed 53 --quotas work-report=8 ...
                                          (with other quotas per kind than test-b's)

Test documents are drawn per document kind (corpus/README.md §7.7) from the documents that no
commitment work has touched: not in the v1 clause sample, not a gold excerpt's source, not in
the search gold, not the sample article; among those, documents nobody has read at all come first,
then the topic test split's, then documents with a few paragraphs labelled for topics only. A
candidate that shares sentences with another document of the corpus (a reprint, a near version)
is skipped, so that no test sentence can reach a train split. One excerpt per document: a run of
whole sentences of 1,200-2,200 characters; for half the documents that state targets, the run
that opens at the first target cue (预期目标, 主要目标, 到20XX年), else a random run.

Writes corpus/gold/commitments-v2/<id>.json skeletons (text, source offsets, kind; the annotators
fill in `commitments`) and corpus/gold/commitments-v2/FROZEN.json (the list, the date, the seed).
Dev excerpts (`--dev N`) come from documents already used for rules, so they may be read freely.

A further blind split (`--add-test NAME`) is drawn the same way once the first has been read for
errors. Its excerpts come from documents nobody has read where the corpus still has them (news,
notices, measures); for the kinds it has none of (every work report, congress report and plan has
had some sentences sampled), from the longest run of a used document that no sample, gold excerpt
or topic paragraph touches, with 300 characters of margin on each side ("unread-region" tier).
Since the tracking and slogan labels exist, every report a tracking annotator read (the target and
the outcome report of each labelled year) counts as read throughout, and each quoted string of the
slogan splits counts as read with its context.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import json
import random
import re
from collections import Counter
from pathlib import Path

from nlp_service.extract.commitments.context import document_kind
from nlp_service.training.corpus import SHARED_CORPUS, SOURCES, gold_sources

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "gold" / "commitments-v2"
QUOTAS_B = {"work-report": 6, "cpc-report": 3, "plan": 3, "action-plan": 4, "measures": 4, "notice": 5, "news": 5}
QUOTAS = {"work-report": 8, "cpc-report": 3, "plan": 3, "action-plan": 6, "measures": 9, "notice": 9, "news": 9}
_SENT_END = re.compile(r"[。！？!?]|\n")
_TARGET_CUE = re.compile(r"预期目标|主要目标|发展目标|目标任务|(?:^|[，。\s])到(?:19|20)\d\d年")


def raw_documents():
    """(group, key, field, raw text, title) of every document, with the title a reader would see."""
    for group, (path, field, idf) in SOURCES.items():
        with (SHARED_CORPUS / path).open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                text = d.get(field) or d.get("text") or d.get("content")
                if text and len(text) > 200:
                    yield group, f"{path}#{d[idf]}", field, text, d.get("title") or d.get("title_from_filename")


def sentence_keys(text: str) -> set[str]:
    """Normalised sentences of 20+ Han characters: what a reprint shares with its original."""
    out = set()
    for s in _SENT_END.split(text):
        han = "".join(re.findall(r"[\u4e00-\u9fff]", s))
        if len(han) >= 20:
            out.add(hashlib.sha1(han.encode()).hexdigest()[:16])
    return out


def used_documents() -> tuple[set[str], set[str], set[str], set[str]]:
    """(touched by commitment work, ids judged in the search gold, topic test documents, topic train documents)."""
    commit = {json.loads(x)["doc"] for x in (ROOT / "corpus/clauses/sample.jsonl").open(encoding="utf-8")}
    commit |= gold_sources()
    search_ids = {j["source_id"] for x in (ROOT / "corpus/search_gold.jsonl").open(encoding="utf-8")
                  for j in json.loads(x)["judged"]}
    topic_test, topic_train = set(), set()
    for f in glob.glob(str(ROOT / "corpus/topics/sample*.jsonl")):
        for x in open(f, encoding="utf-8"):
            r = json.loads(x)
            (topic_test if r.get("split") == "test" else topic_train).add(r["doc"])
    return commit, search_ids, topic_test, topic_train


def excerpt(text: str, rng: random.Random, targeted: bool, lo: int = 1200, hi: int = 2200) -> tuple[int, int]:
    """A run of whole sentences: [start, end) offsets into ``text``."""
    bounds = [0] + [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
    bounds = sorted(set(bounds))
    if len(text) <= hi:
        return 0, len(text)
    starts = [b for b in bounds if b <= len(text) - lo]
    start = None
    if targeted:
        cue = next((m.start() for m in _TARGET_CUE.finditer(text) if m.start() > 200), None)
        if cue is not None:
            start = max(b for b in bounds if b <= cue)
    if start is None:
        start = rng.choice(starts)
    end = next((b for b in bounds if b >= start + lo), len(text))
    if end - start > hi:
        end = max((b for b in bounds if start + lo <= b <= start + hi), default=start + hi)
    return start, end


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--dev", type=int, default=8)
    ap.add_argument("--add-dev", nargs="+", metavar="KIND=N", help="append dev excerpts of these kinds")
    ap.add_argument("--add-test", metavar="NAME", help="freeze a further blind split under this name")
    ap.add_argument("--min-run", type=int, default=1400, help="shortest unread run of a used document to draw from")
    ap.add_argument("--dry-run", action="store_true", help="print what would be drawn, freeze nothing")
    ap.add_argument("--unread", action="store_true", help="--add-dev from documents no commitment work touched")
    ap.add_argument("--quotas", nargs="+", metavar="KIND=N", help="excerpts per kind of --add-test (default test-b's)")
    args = ap.parse_args()
    if args.add_test:
        quotas = dict((k, int(n)) for k, n in (x.split("=") for x in args.quotas)) if args.quotas else QUOTAS_B
        add_test(args.add_test, args.seed, quotas, args.min_run, args.dry_run)
        return
    if args.add_dev:
        add_dev(dict((k, int(n)) for k, n in (x.split("=") for x in args.add_dev)), random.Random(args.seed),
                args.dry_run, args.unread)
        return
    rng = random.Random(args.seed)
    touched, search_ids, topic_test, topic_train = used_documents()
    docs = list(raw_documents())
    touched |= {d[1] for d in docs if d[1].split("#", 1)[1] in search_ids}
    owners: Counter[str] = Counter()
    keys = {}
    for _, key, _, text, _ in docs:
        keys[key] = sentence_keys(text)
        owners.update(keys[key])
    def tier(key: str) -> int:
        return 0 if key not in topic_test | topic_train else 1 if key in topic_test else 2
    pool: dict[str, list] = {k: [] for k in QUOTAS}
    for group, key, field, text, title in docs:
        if key in touched:
            continue
        shared = sum(owners[h] > 1 for h in keys[key])
        if keys[key] and shared / len(keys[key]) > 0.1:
            continue  # a reprint or near version of another document
        pool[document_kind(title, text)].append((tier(key), rng.random(), group, key, field, text, title))
    frozen = []
    for kind, n in QUOTAS.items():
        cands = sorted(pool[kind])[:n]
        for t, _, group, key, field, text, title in cands:
            s, e = excerpt(text, rng, targeted=rng.random() < 0.5)
            frozen.append({"kind": kind, "group": group, "source": key, "source_field": field, "title": title,
                           "tier": ["fresh", "topic-test", "topic-train"][t], "source_start": s, "source_end": e,
                           "before": text[max(0, s - 600):s], "text": text[s:e]})
    test_keys = {f["source"] for f in frozen}
    dev = []
    dev_pool = [d for d in docs if d[1] in touched and d[1] not in gold_sources() and d[1] not in test_keys]
    for group, key, field, text, title in rng.sample(dev_pool, args.dev):
        s, e = excerpt(text, rng, targeted=rng.random() < 0.5)
        dev.append({"kind": document_kind(title, text), "group": group, "source": key, "source_field": field,
                    "title": title, "tier": "used", "source_start": s, "source_end": e,
                    "before": text[max(0, s - 600):s], "text": text[s:e]})
    OUT.mkdir(parents=True, exist_ok=True)
    for split, rows in (("test", frozen), ("dev", dev)):
        for i, r in enumerate(rows):
            r["id"] = f"{split}-{i + 1:02d}-{r['kind']}"
            write_skeleton(r, split)
    manifest = {"frozen": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seed": args.seed, "quotas": QUOTAS,
                "test": [{k: r[k] for k in ("id", "kind", "group", "source", "tier", "source_start", "source_end")}
                         for r in frozen],
                "dev": [{k: r[k] for k in ("id", "kind", "group", "source", "source_start", "source_end")} for r in dev]}
    (OUT / "FROZEN.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"test: {len(frozen)} documents {Counter(r['kind'] for r in frozen)}; tiers {Counter(r['tier'] for r in frozen)}; "
          f"{sum(len(r['text']) for r in frozen)} characters; dev {len(dev)}")


def write_skeleton(r: dict, split: str) -> None:
    """corpus/gold/commitments-v2/<id>.json with the excerpt and empty lists for the annotators."""
    keys = ("kind", "source", "source_field", "source_start", "source_end", "title")
    gold = {"id": r["id"], "guide": "commitments-v2", "split": split, **{k: r[k] for k in keys},
            "annotator": None, "annotated": None, "notes": "",
            "before": r["before"], "text": r["text"], "commitments": [], "commitments_optional": [],
            "not_commitments": []}
    (OUT / f"{r['id']}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _several_excerpts(pool: list[tuple], count: int, rng: random.Random) -> list[tuple]:
    """``count`` excerpts of the documents of ``pool``, each document drawn in proportion to its length."""
    spans: dict[str, list[tuple[int, int]]] = {d[1]: [] for d in pool}
    out: list[tuple] = []
    room = list(pool)
    while room and len(out) < count:
        d = rng.choices(room, weights=[len(x[3]) for x in room])[0]
        for _ in range(200):
            s, e = excerpt(d[3], rng, targeted=False)
            if all(e <= a or s >= b for a, b in spans[d[1]]):
                spans[d[1]].append((s, e))
                out.append((*d, s, e))
                break
        else:
            room.remove(d)  # no room left for another excerpt of this document
    return out


def _twin(text: str, keys: set[str]) -> bool:
    """Whether more than a tenth of a text's sentences are among ``keys`` (a reprint or near version)."""
    mine = sentence_keys(text)
    return bool(mine) and len(mine & keys) / len(mine) > 0.1


def add_dev(quotas: dict[str, int], rng: random.Random, dry_run: bool = False, unread: bool = False) -> None:
    """Append dev excerpts of the given kinds, from documents already used for rules, outside the test split.

    ``unread``: from documents no commitment work has touched instead (the pool later test splits draw
    from), for a kind whose used documents have all been drawn. ``dry_run``: print what would be drawn,
    write nothing.
    """
    manifest = json.loads((OUT / "FROZEN.json").read_text(encoding="utf-8"))
    taken = {r["source"] for r in manifest["test"] + manifest["dev"]}
    taken |= {r["source"] for split in manifest.values() if isinstance(split, dict) for r in split.get("excerpts", [])}
    touched, search_ids, _, _ = used_documents()
    every = list(raw_documents())
    golds = taken | gold_sources()
    docs = [d for d in every if d[1] not in golds]
    touched |= {d[1] for d in docs if d[1].split("#", 1)[1] in search_ids}
    # a validation excerpt must be a document the rules were not written on: not a reprint or near version
    # (more than a tenth of its sentences shared, as for the test split) of a gold excerpt's document
    gold_keys = set().union(*(sentence_keys(d[3]) for d in every if d[1] in golds))
    n = len(manifest["dev"])
    for kind, count in quotas.items():
        pool = [d for d in docs if (d[1] not in touched if unread else d[1] in touched)
                and document_kind(d[4], d[3]) == kind
                and not _twin(d[3], gold_keys)]
        if len(pool) >= count:  # one excerpt a document (the draws of seeds 31 … 89 as they were made)
            picks = [(*d, *excerpt(d[3], rng, targeted=rng.random() < 0.5)) for d in rng.sample(pool, count)]
        else:  # fewer documents left than excerpts wanted (congress reports): several excerpts of one
            picks = _several_excerpts(pool, count, rng)  # document, drawn by its length, none overlapping
        for group, key, field, text, title, s, e in picks:
            n += 1
            rid = f"dev-{n:02d}-{kind}"
            print(rid, key)
            if dry_run:
                continue
            write_skeleton({"id": rid, "kind": kind, "source": key, "source_field": field, "source_start": s,
                            "source_end": e, "title": title, "before": text[max(0, s - 600):s],
                            "text": text[s:e]}, "dev")
            manifest["dev"].append({"id": rid, "kind": kind, "group": group, "source": key, "source_start": s,
                                    "source_end": e})
    if dry_run:
        return
    (OUT / "FROZEN.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_texts() -> dict[str, list[str]]:
    """Every text span of a document that some sample, gold file or topic paragraph showed to a reader."""
    seen: dict[str, list[str]] = {}
    for f in ("corpus/clauses/sample.jsonl", "corpus/clauses/v2/clauses.jsonl"):
        for x in (ROOT / f).open(encoding="utf-8"):
            r = json.loads(x)
            for k in ("before", "sentence", "heading", "title"):
                if r.get(k):
                    seen.setdefault(r["doc"], []).append(r[k].replace("【", "").replace("】", ""))
    for f in glob.glob(str(ROOT / "corpus/topics/sample*.jsonl")):
        for x in open(f, encoding="utf-8"):
            r = json.loads(x)
            seen.setdefault(r["doc"], []).append(r["text"])
    for f in (ROOT / "corpus" / "gold").rglob("*.json"):
        g = json.loads(f.read_text(encoding="utf-8"))
        if "source" in g:
            seen.setdefault(g["source"], []).extend(x for x in (g.get("before"), g.get("text")) if x)
    for f in (ROOT / "corpus" / "slogans").glob("*.jsonl"):
        for x in f.open(encoding="utf-8"):
            r = json.loads(x)
            seen.setdefault(r["doc"], []).append(r["left"] + r["quote"] + r["right"])
    return seen


def tracking_documents() -> set[str]:
    """Reports a tracking annotator read from end to end (the target and the outcome report of a year)."""
    out = set()
    for f in (ROOT / "corpus" / "tracking").rglob("*.json"):
        g = json.loads(f.read_text(encoding="utf-8"))
        out |= {g[k] for k in ("target_doc", "outcome_doc") if g.get(k)}
    return out


def read_mask(text: str, spans: list[str], margin: int = 300) -> bytearray:
    """1 for every character of ``text`` that one of ``spans`` (found verbatim, 8+ characters) touches, with margin."""
    read = bytearray(len(text) + 1)
    for s in spans:
        for piece in re.split(r"\s+", s):  # samples keep the words, not always the document's spacing
            if len(piece) < 8:
                continue
            i = text.find(piece)
            while i >= 0:
                read[max(0, i - margin):i + len(piece) + margin] = b"\x01" * (min(len(text), i + len(piece) + margin)
                                                                            - max(0, i - margin))
                i = text.find(piece, i + 1)
    return read


def unread_run(text: str, spans: list[str], margin: int = 300) -> tuple[int, int]:
    """The longest [start, end) of ``text`` that none of ``spans`` (found verbatim, 8+ characters) touches."""
    read = read_mask(text, spans, margin)
    best, start = (0, 0), None
    for i, r in enumerate(read):
        if not r and start is None:
            start = i
        elif (r or i == len(text)) and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def add_test(name: str, seed: int, quotas: dict[str, int], min_run: int = 1400, dry_run: bool = False) -> None:
    """Freeze a further blind split ``name`` (ids ``<name>-NN-kind``) beside the first one."""
    rng = random.Random(seed)
    manifest = json.loads((OUT / "FROZEN.json").read_text(encoding="utf-8"))
    if name in manifest:
        raise SystemExit(f"{name} is frozen already ({manifest[name]['frozen']})")
    taken = {r["source"] for r in manifest["test"] + manifest["dev"]} | tracking_documents()
    taken |= {r["source"] for split in manifest.values() if isinstance(split, dict) for r in split.get("excerpts", [])}
    touched, search_ids, topic_test, topic_train = used_documents()
    every = list(raw_documents())  # read the corpus once: reprints are counted against all of it
    docs = [d for d in every if d[1] not in taken]
    v2 = {json.loads(x)["doc"] for x in (ROOT / "corpus/clauses/v2/clauses.jsonl").open(encoding="utf-8")}
    touched |= v2 | {d[1] for d in docs if d[1].split("#", 1)[1] in search_ids}
    seen = read_texts()
    owners: Counter[str] = Counter()
    keys = {}
    for _, key, _, text, _ in every:
        keys[key] = sentence_keys(text)
        owners.update(keys[key])
    pool: dict[str, list] = {k: [] for k in quotas}
    for group, key, field, text, title in docs:
        shared = sum(owners[h] > 1 for h in keys[key])
        if keys[key] and shared / len(keys[key]) > 0.1:
            continue  # a reprint or near version of another document
        kind = document_kind(title, text)
        if key not in touched and key not in topic_test | topic_train:
            pool.setdefault(kind, []).append((0, rng.random(), group, key, field, text, title, (0, len(text))))
        elif key not in gold_sources():
            s, e = unread_run(text, seen.get(key, []))
            if e - s >= min_run:
                pool.setdefault(kind, []).append((1, rng.random(), group, key, field, text, title, (s, e)))
    rows = []
    print("candidates (tier: documents):", {k: dict(Counter(c[0] for c in v)) for k, v in pool.items()})
    if dry_run:
        return
    for kind, n in quotas.items():
        for t, _, group, key, field, text, title, (lo, hi) in sorted(pool[kind])[:n]:
            s, e = excerpt(text[lo:hi], rng, targeted=rng.random() < 0.5)
            s, e = s + lo, e + lo
            rows.append({"kind": kind, "group": group, "source": key, "source_field": field, "title": title,
                         "tier": ["fresh", "unread-region"][t], "source_start": s, "source_end": e,
                         "before": text[max(lo, s - 600):s], "text": text[s:e]})
    for i, r in enumerate(rows):
        r["id"] = f"{name}-{i + 1:02d}-{r['kind']}"
        write_skeleton(r, name)
    manifest[name] = {"frozen": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seed": seed, "quotas": quotas,
                      "excerpts": [{k: r[k] for k in ("id", "kind", "group", "source", "tier", "source_start",
                                                      "source_end")} for r in rows]}
    (OUT / "FROZEN.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{name}: {len(rows)} excerpts {Counter(r['kind'] for r in rows)}; tiers {Counter(r['tier'] for r in rows)}; "
          f"{sum(len(r['text']) for r in rows)} characters")


if __name__ == "__main__":
    main()
