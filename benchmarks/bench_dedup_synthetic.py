"""Archive dedup on a synthetic archive with known clusters, built from real corpus text.

usage: .venv/bin/python benchmarks/bench_dedup_synthetic.py [--docs 10000] [--threshold 0.3] [--seed 0]
       [--verifier rules|learned] [--no-noisy-route]

Originals: passages of 300–1,500 characters cut at paragraph boundaries from the government
documents of ``../shared/corpus`` (gov-work-reports, policy-docs), one per document region, all
different. About 40% of the archive are copies of an original, each of a known kind:

- ``exact``; ``format`` (whitespace, full-width digits and letters, other punctuation);
- ``edit2`` / ``edit5`` / ``edit10`` / ``edit20``: that share of characters replaced at scattered
  positions (numerals left alone);
- ``ocr5`` / ``ocr15``: the noise model of a scan or a transcript, figures not spared
  (``nlp_service/dedup/noise.py``): each character with that probability is substituted (60%: a
  digit by a look-alike, 0→O, 1→l, 5→S, 6→8, 8→B, 2→Z, 3→8; any other character by a random
  one), dropped (20%: dropped digits included) or followed by an inserted random character (20%);
- ``para_insert`` / ``para_delete``: a paragraph from another document added, or one dropped;
- ``truncated``: the first 60–90%; ``midword``: line breaks inserted inside words;
- ``headline``: a different headline line on top.

Hard negatives (must stay apart): ``templated`` — the same passage with every figure changed
(another year's report, another city's numbers); ``boilerplate`` — a different passage under the same
200-character standard preamble. Prints pairwise precision/recall/F1 over all pairs in the same
true/predicted cluster, the adjusted Rand index, recall per copy kind and the false merges per
negative kind, and documents/s of the kernel.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from nlp_service.dedup.minhash import Params, find_duplicates, normalise
from nlp_service.dedup.noise import HAN, ocr
from nlp_service.training.corpus import SOURCES, documents

FULL = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz，。",
                     "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
                     "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ,.")
NUMERALS = set("0123456789零〇一二两三四五六七八九十百千万亿")
PREAMBLE = ("为深入贯彻落实党中央、国务院决策部署，进一步优化营商环境，激发市场主体活力，推动经济社会高质量发展，"
            "结合本地实际，经研究，现就有关事项通知如下。请各地区、各部门认真组织实施，确保各项措施落地见效，"
            "重大情况及时报告。本通知自印发之日起施行，由市发展改革委负责解释。")


def originals(n: int, rng: random.Random) -> list[str]:
    out = []
    for group in SOURCES:
        for _, text, _ in documents(group):
            paras = [p.strip() for p in text.split("\n") if len(p.strip()) > 30]
            k = 0
            while k < len(paras):
                chunk = []
                while k < len(paras) and sum(map(len, chunk)) < rng.randint(300, 1500):
                    chunk.append(paras[k])
                    k += 1
                if sum(map(len, chunk)) >= 300:
                    out.append("\n".join(chunk))
    rng.shuffle(out)
    # the corpus repeats documents and passages (a notice inside its reprint): an original sharing a
    # 30-character stretch with an earlier one would make a true containment look like a false merge
    seen: set[str] = set()
    unique = []
    for t in out:
        norm = normalise(t)
        if any(norm[i:i + 20] in seen for i in range(len(norm) - 19)):
            continue
        seen.update(norm[i:i + 20] for i in range(0, len(norm) - 19, 10))
        unique.append(t)
        if len(unique) == n:
            break
    return unique


NEWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news-archive"


def sentence_pool(rng: random.Random) -> list[str]:
    """Distinct sentences (10-200 characters) of the government corpus and, when present, the news
    archives (research use: read from ../shared at run time, never stored)."""
    texts = [t for group in SOURCES for _, t, _ in documents(group)]
    for path in sorted(NEWS.glob("*/items.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            texts.extend((json.loads(line).get("text") or "") for line in fh)
    seen: set[str] = set()
    for t in texts:
        for x in re.split(r"(?<=[。！？；])|\n", t):
            x = x.strip()
            if 10 <= len(x) <= 200:
                seen.add(x)
    pool = sorted(seen)
    rng.shuffle(pool)
    return pool


def composed_originals(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct originals of 300-1,500 characters, each a run of randomly drawn real sentences in
    paragraphs of 2-5 — for archives larger than the corpus has distinct passages (1M documents).
    Two originals share a sentence now and then (each is drawn ~20 times at 1M), never a paragraph."""
    pool = sentence_pool(rng)
    out = []
    for _ in range(n):
        target, paras, size = rng.randint(300, 1500), [], 0
        while size < target:
            para = "".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
            paras.append(para)
            size += len(para)
        out.append("\n".join(paras))
    return out


def edit(text: str, share: float, rng: random.Random) -> str:
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff" and c not in NUMERALS]
    for i in rng.sample(spots, int(len(spots) * share)):
        chars[i] = rng.choice(HAN)
    return "".join(chars)


def copy_of(text: str, kind: str, rng: random.Random, donor: str) -> str:
    paras = text.split("\n")
    if kind == "exact":
        return text
    if kind == "format":
        return "  ".join(p.translate(FULL) for p in paras)
    if kind.startswith("edit"):
        return edit(text, int(kind[4:]) / 100, rng)
    if kind.startswith("ocr"):
        return ocr(text, int(kind[3:]) / 100, rng)
    if kind == "para_insert":
        extra = rng.choice(donor.split("\n"))
        at = rng.randint(0, len(paras))
        return "\n".join([*paras[:at], extra, *paras[at:]])
    if kind == "para_delete" and len(paras) > 2:
        del paras[rng.randrange(len(paras))]
        return "\n".join(paras)
    if kind == "truncated":
        return text[: int(len(text) * rng.uniform(0.6, 0.9))]
    if kind == "midword":
        chars = list(text)
        for i in sorted(rng.sample(range(1, len(chars)), 8), reverse=True):
            chars.insert(i, "\n")
        return "".join(chars)
    if kind == "headline":
        return "新闻标题：" + donor[:20] + "\n" + text
    return text


def templated(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+(?:\.\d+)?", lambda m: str(int(float(m.group()) * rng.uniform(1.2, 3)) + 1), text)


KINDS = ("exact", "format", "edit2", "edit5", "edit10", "edit20", "ocr5", "ocr15", "para_insert", "para_delete",
         "truncated", "midword", "headline")


def archive(n_docs: int, rng: random.Random, composed: bool = False) -> tuple[list[str], list[int], list[str]]:
    """(texts, true cluster, kind) of a synthetic archive of ``n_docs`` documents, shuffled.

    Originals are distinct corpus passages, or with ``composed`` runs of real sentences
    (:func:`composed_originals`, enough for a million documents)."""
    n_orig = int(n_docs * 0.55)
    pool = composed_originals(n_orig + n_docs // 10, rng) if composed else originals(n_orig + n_docs // 10, rng)
    n_fresh = min(n_docs // 10, len(pool) // 4)
    n_donor = min(500, len(pool) // 10)
    donors, pool = pool[:n_donor], pool[n_donor:]  # paragraphs inserted into copies come from outside the archive
    base, fresh = pool[:len(pool) - n_fresh], pool[len(pool) - n_fresh:]  # fresh ones carry the boilerplate negatives
    texts, truth, kinds = [], [], []
    for i, t in enumerate(base):
        texts.append(t)
        truth.append(i)
        kinds.append("original")
    with_digits = [i for i, t in enumerate(base) if len(re.findall(r"\d", t)) >= 3]
    while len(texts) < n_docs:
        r = rng.random()
        i = rng.randrange(len(base))
        if r < 0.85:
            kind = rng.choice(KINDS)
            texts.append(copy_of(base[i], kind, rng, rng.choice(donors)))
            truth.append(i)
        elif r < 0.93 and with_digits:
            i = rng.choice(with_digits)
            kind = "templated"
            texts.append(templated(base[i], rng))
            truth.append(len(base) + len(texts))  # its own cluster
        elif fresh:
            kind = "boilerplate"
            texts.append(PREAMBLE + "\n" + fresh.pop())
            truth.append(len(base) + len(texts))
        else:
            continue
        kinds.append(kind)
    same: dict[str, int] = {}  # two templated copies can come out identical: then they are duplicates
    truth = [same.setdefault(normalise(t), lab) for t, lab in zip(texts, truth, strict=True)]
    order = list(range(len(texts)))
    rng.shuffle(order)
    texts = [texts[k] for k in order]
    truth = [truth[k] for k in order]
    kinds = [kinds[k] for k in order]
    return texts, truth, kinds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--verifier", choices=["rules", "learned"], default=Params.verifier)
    ap.add_argument("--no-noisy-route", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    texts, truth, kinds = archive(args.docs, rng)
    n_base = kinds.count("original")
    t0 = time.perf_counter()
    res = find_duplicates(texts, Params(threshold=args.threshold, verifier=args.verifier,
                                        noisy=not args.no_noisy_route))
    secs = time.perf_counter() - t0
    pred = res.cluster.tolist()

    def groups(labels):
        g: dict[int, list[int]] = {}
        for i, lab in enumerate(labels):
            g.setdefault(lab, []).append(i)
        return g.values()

    true_pairs = {p for g in groups(truth) for p in combinations(sorted(g), 2)}
    pred_pairs = {p for g in groups(pred) for p in combinations(sorted(g), 2)}
    tp = len(true_pairs & pred_pairs)
    prec = tp / len(pred_pairs) if pred_pairs else 1.0
    rec = tp / len(true_pairs) if true_pairs else 1.0
    from sklearn.metrics import adjusted_rand_score

    print(f"{len(texts):,} documents ({n_base:,} originals), threshold {args.threshold}, verifier {args.verifier}, "
          f"noisy-copy route {'off' if args.no_noisy_route else 'on'}; kernel {secs:.1f} s = "
          f"{len(texts) / secs:,.0f} documents/s (one core)")
    print(f"pairwise precision {prec:.4f}, recall {rec:.4f}, F1 {2 * prec * rec / (prec + rec):.4f}; "
          f"ARI {adjusted_rand_score(truth, pred):.4f}")
    per_kind: Counter = Counter()
    found: Counter = Counter()
    first_of = {}
    for i, (lab, kind) in enumerate(zip(truth, kinds, strict=True)):
        if kind == "original":
            first_of[lab] = i
    for i, (lab, kind) in enumerate(zip(truth, kinds, strict=True)):
        if kind in KINDS:
            per_kind[kind] += 1
            found[kind] += pred[i] == pred[first_of[lab]]
    print("| copy kind | copies | recall |")
    print("|---|---|---|")
    for kind in KINDS:
        print(f"| {kind} | {per_kind[kind]} | {found[kind] / max(1, per_kind[kind]):.3f} |")
    truths: dict[int, set[int]] = {}
    for t, p in zip(truth, pred, strict=True):
        truths.setdefault(p, set()).add(t)
    for neg in ("templated", "boilerplate"):
        idx = [i for i, k in enumerate(kinds) if k == neg]
        merged = sum(len(truths[pred[i]]) > 1 for i in idx)
        print(f"{neg}: {len(idx)} documents, {merged} merged with a document of another story")


if __name__ == "__main__":
    main()
