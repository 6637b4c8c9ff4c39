#!/usr/bin/env python3
"""Mine, curate and write the policy user dictionary for jieba.

Output: ``nlp_service/resources/policy_words.tsv`` (see its ``#`` header).

Method (deterministic; stdlib + jieba only):

1. Load the government / policy texts listed in ``CORPORA`` (paths relative to
   the corpus root, default ``../shared/corpus`` beside the repository).  ``heldout/`` and
   ``news-archive/`` are never opened (guarded by ``_assert_allowed``).
   Documents written mostly in traditional script (a few 1920s-1950s reports)
   are skipped; exact duplicate texts are counted once.
2. Count Chinese-only character n-grams (runs of CJK ideographs; n = 1..8)
   with Apriori pruning (an n-gram is only counted when both of its
   (n-1)-gram parts occur >= APRIORI_MIN times).
3. Keep n-grams of 3..8 chars that are frequent (>= MIN_COUNT), spread over
   several documents (>= MIN_DOCS), cohesive (minimum pointwise mutual
   information over all binary splits >= MIN_PMI), have free boundaries
   (left and right branching entropy >= MIN_ENTROPY, a text boundary counts
   as a distinct neighbour), mostly start and end on plain-jieba token
   boundaries in context (>= MIN_ALIGN), are "bound" (some jieba sub-span is
   used mostly inside the word: ``bind() >= MIN_BIND``), pass the
   phrase-shape filters (no function character at either end, no 的/了
   inside, no verb/adverb first token, no locative/abstract last token), and
   that plain jieba (HMM on) splits into 2+ pieces.
4. Add quoted terms (“...” / 「...」, 2..10 CJK chars) that are quoted in
   >= QUOTE_MIN_DOCS documents and that plain jieba splits.
5. Curation by reading the candidates, kept as data next to this script:
   * ``policy_words.reject.txt``: candidates rejected on reading (junk fragments,
     free compositions, clauses, boilerplate).
   * ``policy_words.manual.tsv``: ``word<TAB>tag<TAB>reason``.  A word that is
     not a (kept) mined candidate is added with ``source = manual:<reason>``;
     for a mined word the row only overrides the heuristic POS tag.
6. For every kept word: ``freq = max(corpus count, jieba's suggest_freq)``,
   bumped until ``jieba.Tokenizer`` with the whole dictionary loaded keeps
   every word whole in isolation (HMM on and off); the share of corpus
   occurrences that are cut whole in context is logged.

Usage::

    .venv/bin/python scripts/mine_policy_words.py                 # rebuild TSV
    .venv/bin/python scripts/mine_policy_words.py --candidates cand.tsv
        # also dump every mined candidate with its statistics (for curation)

Takes about 1.5 minutes on one CPU core.  Output is byte-identical between runs
(the header carries ``CURATED_ON``, not the build time).  Curation loop: dump
the candidates, read the ones not yet rejected, add junk to the reject list and
missing terms / tag fixes to the manual list, rebuild.
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import math
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jieba

# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT_DIR = Path(__file__).resolve().parent
DEFAULT_CORPUS_ROOT = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_OUTPUT = REPO_ROOT / "nlp_service" / "resources" / "policy_words.tsv"
REJECT_FILE = SCRIPT_DIR / "policy_words.reject.txt"
MANUAL_FILE = SCRIPT_DIR / "policy_words.manual.tsv"

# Date of the last curation pass.  A constant (not "today") so that
# re-running the script on the same inputs reproduces the file byte for byte.
CURATED_ON = "2026-11-26"

# (glob relative to corpus root, text fields in priority order, id fields in
#  priority order).  Order matters only for which occurrence is cited.
CORPORA: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("ningbo-sci-tech-2024.txt", (), ()),
    ("policy-docs/politic_analysis_paper_2025/policy_documents.jsonl", ("text",), ("id",)),
    ("policy-docs/NS_policy_recommendation/nansha_policy_documents.jsonl", ("text",), ("title_from_filename", "blob")),
    ("policy-docs/policy_text_frenq/local_policy_documents.jsonl", ("text",), ("id",)),
    ("policy-docs/DataFountain-2020-NCP-policy-QA/policy_articles.jsonl", ("text",), ("docid",)),
    ("gov-work-reports/*.jsonl", ("content", "text"), ("id", "title")),
]
EXCLUDED = ("heldout", "news-archive")

MIN_N, MAX_N = 3, 8  # candidate n-gram lengths
APRIORI_MIN = 5  # n-grams rarer than this are not counted at all
MIN_COUNT = 10  # corpus occurrences
MIN_DOCS = 5  # distinct documents
MIN_BIND = 0.6  # see bind(): share of a jieba sub-span's uses inside w
MIN_PMI = 3.0  # natural log, minimum over binary splits
MIN_ENTROPY = 1.0  # natural log, left and right branching entropy
MIN_ALIGN = 0.6  # share of occurrences on jieba token boundaries
QUOTE_MIN_DOCS = 3
QUOTE_MIN_LEN, QUOTE_MAX_LEN = 2, 10
TRAD_MAX_RATIO = 0.02  # skip docs with more traditional-only chars

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
QUOTED = re.compile(rf"[“「]([\u4e00-\u9fff]{{{QUOTE_MIN_LEN},{QUOTE_MAX_LEN}}})[”」]")

# Characters that (almost) never start / end a policy term.
BAD_FIRST = set("的了和与及等是在对把被从向将并也都而或之其这那以于就又还着地得所使让到给个每该此即如且但则")
BAD_LAST = set("的了和与及是在对把被从向将并也都而或之其这那以于就又还着地得使让到给个各该此即如且但则加进要为")

# Phrase-shape filters on plain jieba's segmentation of an n-gram candidate:
# candidates whose first token is a verb/adverb/pronoun/preposition (verb
# phrases, clauses) or whose last token is a locative/quantifier/abstract
# head (fragments like "...期间", "...问题") are not terms.
LEAD_TOKENS = set(
    """
加强 坚持 为 有 提高 推进 深化 实施 促进 不 要 取得 可 做好 推动 完善 支持 加大 实现
我们 采取 加快 优化 依法 落实 保持 制定 发挥 本 降低 比 开展 增强 强化 巩固 积极 走 有关
现 进一步 维护 通过 关于 应对 按 提供 各 各级 全面 我国 大力 切实 认真 着力 努力 不断 深入
进行 根据 按照 对 用于 打赢 贯彻 贯彻落实 建立 健全 建立健全 构建 形成 扩大 培育 引导 鼓励
严格 继续 保障 确保 把 同 和 与 及 在 由 经 向 从 将 并 已 其 这 该 凡 请 如 若 以 于 也 都
就 又 还 是 即 等 要求 必须 应当 应 需 需要 能够 可以 加以 予以 给予 组织 指导 做到 抓好
搞好 办好 用好 管好 发布 印发 召开 举行 做 作出 作 更 最 很 较 更加 充分 全力 尽快 及时
持续 稳步 有序 有效 统筹 协调
""".split()
)
TRAIL_TOKENS = set(
    """
等 下 上 中 后 内 如下 好 多 人 问题 情况 要求 期间 以来 方面 过程 时 前 里 外 间 的 了
者 一 二 三 为 于 作用 贡献 精神 力度 进展
""".split()
)
INNER_BAD = set("的了")

# A handful of very common characters that only exist in traditional script;
# used to detect (and skip) documents written in it.
TRAD_ONLY = set(
    "們會國產這個為發經對來時於與說黨爲學業動進過長關實現點當體義無開後還應種問題"
    "機樣間運軍農區電華門歷東統計劃設濟聯從據權隊議營組織幣幾號亂戰勞網導衛財"
)

ORG_SUFFIXES = (
    "委员会",
    "办公室",
    "研究院",
    "研究所",
    "实验室",
    "基金委",
    "人民政府",
    "总局",
    "银行",
    "大学",
    "学院",
    "集团",
    "公司",
    "协会",
    "基金会",
    "部",
    "局",
    "厅",
    "委",
    "署",
    "院",
    "所",
)
PLACE_SUFFIXES = ("自治区", "新区", "大湾区", "科创区", "自贸区", "示范区", "省", "市", "县")

log = logging.getLogger("mine_policy_words")


# --------------------------------------------------------------------------
# corpus loading
# --------------------------------------------------------------------------


@dataclass
class Doc:
    """One corpus document: citation reference, raw text, CJK runs."""

    ref: str  # corpus-relative-path#id  (or just the path)
    text: str
    runs: list[str] = field(default_factory=list)


def _assert_allowed(rel: str) -> None:
    parts = Path(rel).parts
    if any(p in EXCLUDED for p in parts):
        raise SystemExit(f"refusing to read excluded corpus path: {rel}")


def _trad_ratio(text: str) -> float:
    han = CJK_RUN.findall(text)
    n = sum(len(r) for r in han) or 1
    return sum(1 for ch in text if ch in TRAD_ONLY) / n


def load_documents(root: Path) -> tuple[list[Doc], list[str]]:
    """Read every document of ``CORPORA``; returns (documents, skipped refs)."""
    docs: list[Doc] = []
    skipped: list[str] = []
    seen_texts: set[str] = set()
    for pattern, text_fields, id_fields in CORPORA:
        _assert_allowed(pattern)
        paths = sorted(glob.glob(str(root / pattern)))
        if not paths:
            raise SystemExit(f"corpus file(s) not found: {root / pattern}")
        for path in paths:
            rel = os.path.relpath(path, root)
            _assert_allowed(rel)
            if not path.endswith(".jsonl"):
                raw = [(rel, Path(path).read_text(encoding="utf-8"))]
            else:
                raw = []
                with open(path, encoding="utf-8") as fh:
                    for lineno, line in enumerate(fh, 1):
                        if not line.strip():
                            continue
                        row = json.loads(line)
                        text = next((row[f] for f in text_fields if row.get(f)), "")
                        rid = next((str(row[f]) for f in id_fields if row.get(f)), f"line{lineno}")
                        raw.append((f"{rel}#{rid}", text))
            for ref, text in raw:
                if not text:
                    continue
                if _trad_ratio(text) > TRAD_MAX_RATIO:
                    skipped.append(ref)
                    continue
                runs = CJK_RUN.findall(text)
                key = "".join(runs)
                if key in seen_texts:  # exact duplicate text
                    continue
                seen_texts.add(key)
                docs.append(Doc(ref, text, runs))
    return docs, skipped


# --------------------------------------------------------------------------
# n-gram statistics
# --------------------------------------------------------------------------


def bind(word: str, pieces: list[str], counts: dict[int, Counter]) -> float:
    """Max over proper contiguous spans S of jieba's pieces of count(w)/count(S).

    High when some part of the word (e.g. 营商 in 营商环境, 新质 in 新质生产力)
    is mostly used inside this word; low for free compositions of common
    words (经济/发展, 体系/建设).
    """
    cw = counts[len(word)][word]
    best = 0.0
    for i in range(len(pieces)):
        for j in range(i + 1, len(pieces) + 1):
            if j - i == len(pieces):
                continue
            span = "".join(pieces[i:j])
            cs = counts[len(span)][span] if len(span) <= MAX_N else 0
            if cs:
                best = max(best, cw / cs)
    return best


def count_ngrams(docs: list[Doc]) -> tuple[dict[int, Counter], int]:
    """Apriori n-gram counting over CJK runs.  Returns {n: Counter}, total chars."""
    runs = [r for d in docs for r in d.runs]
    total = sum(len(r) for r in runs)
    counts: dict[int, Counter] = {1: Counter(ch for r in runs for ch in r)}
    # positions[k] = start offsets in run k whose (n-1)-gram is frequent
    positions = [list(range(len(r))) for r in runs]
    for n in range(2, MAX_N + 1):
        prev = counts[n - 1]
        c: Counter = Counter()
        new_positions = []
        for r, pos in zip(runs, positions, strict=True):
            pos_set = set(pos)
            cand = [
                i
                for i in pos
                if i + n <= len(r)
                and (i + 1) in pos_set
                and prev[r[i + 1 : i + n]] >= APRIORI_MIN
                and prev[r[i : i + n - 1]] >= APRIORI_MIN
            ]
            for i in cand:
                c[r[i : i + n]] += 1
            new_positions.append(cand)
        counts[n] = Counter({g: k for g, k in c.items() if k >= APRIORI_MIN})
        positions = [[i for i in pos if r[i : i + n] in counts[n]] for r, pos in zip(runs, new_positions, strict=True)]
        log.info("n=%d: %d frequent n-grams", n, len(counts[n]))
    return counts, total


def min_pmi(word: str, counts: dict[int, Counter], total: int) -> float:
    """Minimum PMI (natural log) of the word over all its binary splits."""
    cw = counts[len(word)][word]
    best = math.inf
    for k in range(1, len(word)):
        a, b = word[:k], word[k:]
        ca, cb = counts[len(a)][a], counts[len(b)][b]
        if not ca or not cb:
            return -math.inf
        best = min(best, math.log(cw * total / (ca * cb)))
    return best


def _entropy(counter: Counter, boundary: int) -> float:
    n = sum(counter.values()) + boundary
    if not n:
        return 0.0
    h = -sum(c / n * math.log(c / n) for c in counter.values())
    h += boundary * (-(1 / n) * math.log(1 / n))  # each boundary is its own symbol
    return h


@dataclass
class Stats:
    """Context statistics of one candidate word."""

    count: int = 0
    docs: set = field(default_factory=set)
    first_ref: str = ""
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    lbound: int = 0
    rbound: int = 0
    aligned: int = 0


def context_stats(words: set[str], docs: list[Doc], tok: jieba.Tokenizer) -> dict[str, Stats]:
    """One pass over the corpus: counts, docs, neighbours, jieba alignment."""
    stats: dict[str, Stats] = {w: Stats() for w in words}
    lengths = sorted({len(w) for w in words})
    for di, doc in enumerate(docs):
        for r in doc.runs:
            bounds = {0}
            pos = 0
            for t in tok.cut(r, HMM=True):
                pos += len(t)
                bounds.add(pos)
            L = len(r)
            for i in range(L):
                for n in lengths:
                    if i + n > L:
                        break
                    w = r[i : i + n]
                    s = stats.get(w)
                    if s is None:
                        continue
                    s.count += 1
                    if di not in s.docs:
                        s.docs.add(di)
                        if not s.first_ref:
                            s.first_ref = doc.ref
                    if i == 0:
                        s.lbound += 1
                    else:
                        s.left[r[i - 1]] += 1
                    if i + n == L:
                        s.rbound += 1
                    else:
                        s.right[r[i + n]] += 1
                    if i in bounds and (i + n) in bounds:
                        s.aligned += 1
    return stats


def quoted_terms(docs: list[Doc]) -> dict[str, set[int]]:
    """Quoted CJK strings and the documents quoting them."""
    found: dict[str, set[int]] = defaultdict(set)
    for di, doc in enumerate(docs):
        for m in QUOTED.finditer(doc.text):
            found[m.group(1)].add(di)
    return found


# --------------------------------------------------------------------------
# curation data
# --------------------------------------------------------------------------


def read_reject(path: Path) -> set[str]:
    """Words of the reject list ('#' comments ignored)."""
    out = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                out.add(line)
    return out


def read_manual(path: Path) -> dict[str, tuple[str, str]]:
    """Rows of the manual list: word -> (tag, reason)."""
    out: dict[str, tuple[str, str]] = {}
    if path.exists():
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] == "word":
                continue
            if len(parts) != 3:
                raise SystemExit(f"{path}:{lineno}: expected word<TAB>tag<TAB>reason")
            word, tag, reason = (p.strip() for p in parts)
            out[word] = (tag, reason)
    return out


def guess_tag(word: str) -> str:
    """Heuristic POS tag: nt / ns by suffix, else n."""
    if word.endswith(ORG_SUFFIXES):
        return "nt"
    if word.endswith(PLACE_SUFFIXES):
        return "ns"
    return "n"


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def fit_freqs(entries: dict[str, int]) -> tuple[dict[str, int], jieba.Tokenizer]:
    """Freq = max(count, suggest_freq), bumped until every word cuts whole."""
    base = jieba.Tokenizer()
    base.initialize()
    freqs = {w: max(c, base.suggest_freq(w, tune=False)) for w, c in entries.items()}
    for _ in range(10):
        tok = jieba.Tokenizer()
        tok.initialize()
        for w in sorted(freqs):
            tok.add_word(w, freqs[w])
        bad = [w for w in sorted(freqs) if tok.lcut(w, HMM=False) != [w] or tok.lcut(w, HMM=True) != [w]]
        if not bad:
            return freqs, tok
        for w in bad:
            tok.FREQ[w] = 0
            freqs[w] = max(freqs[w] * 2, tok.suggest_freq(w, tune=False))
    raise SystemExit(f"could not make jieba keep these whole: {bad}")


def context_check(entries: dict[str, dict], docs: list[Doc], tok: jieba.Tokenizer) -> tuple[int, int, list[str]]:
    """Count how often each word is a single token when the corpus is cut in context.

    Occurrences nested inside a longer dictionary word (发展改革委 inside
    国家发展改革委) are not counted.
    """
    occ: Counter = Counter()
    hit: Counter = Counter()
    lengths = sorted({len(w) for w in entries})
    for doc in docs:
        for r in doc.runs:
            found = [(i, r[i : i + n]) for i in range(len(r)) for n in lengths if r[i : i + n] in entries]
            if not found:
                continue
            pos = 0
            spans = set()
            for t in tok.cut(r, HMM=True):
                spans.add((pos, t))
                pos += len(t)
            for i, w in found:
                if any(j <= i and j + len(v) >= i + len(w) and len(v) > len(w) for j, v in found):
                    continue
                occ[w] += 1
                hit[w] += (i, w) in spans
    poor = sorted(w for w in occ if hit[w] < 0.5 * occ[w])
    return sum(hit.values()), sum(occ.values()), poor


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-root", type=Path, default=DEFAULT_CORPUS_ROOT)
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--candidates", type=Path, help="also write all candidates with stats here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    jieba.setLogLevel(logging.WARNING)

    docs, skipped = load_documents(args.corpus_root)
    log.info("%d documents loaded, %d skipped as traditional script", len(docs), len(skipped))

    tok = jieba.Tokenizer()
    tok.initialize()

    counts, total = count_ngrams(docs)
    pool = set()
    pmi: dict[str, float] = {}
    for n in range(MIN_N, MAX_N + 1):
        for w, c in counts[n].items():
            if c < MIN_COUNT or w[0] in BAD_FIRST or w[-1] in BAD_LAST:
                continue
            p = min_pmi(w, counts, total)
            if p >= MIN_PMI:
                pool.add(w)
                pmi[w] = p
    quotes = quoted_terms(docs)
    quote_pool = {w for w, ds in quotes.items() if len(ds) >= QUOTE_MIN_DOCS}
    manual = read_manual(MANUAL_FILE)
    reject = read_reject(REJECT_FILE)
    log.info(
        "%d cohesive n-grams, %d quoted terms, %d manual, %d rejected",
        len(pool),
        len(quote_pool),
        len(manual),
        len(reject),
    )

    stats = context_stats(pool | quote_pool | set(manual), docs, tok)

    # ---- candidate selection ------------------------------------------------
    candidates: dict[str, dict] = {}
    for w in sorted(pool | quote_pool):
        s = stats[w]
        pieces = tok.lcut(w, HMM=True)
        if len(pieces) < 2:  # plain jieba already keeps it whole
            continue
        hl, hr = _entropy(s.left, s.lbound), _entropy(s.right, s.rbound)
        align = s.aligned / s.count if s.count else 0.0
        b = bind(w, pieces, counts) if w in pool else float("nan")
        via_ngram = (
            w in pool
            and s.count >= MIN_COUNT
            and len(s.docs) >= MIN_DOCS
            and min(hl, hr) >= MIN_ENTROPY
            and align >= MIN_ALIGN
            and b >= MIN_BIND
            and not (INNER_BAD & set(w))
            and pieces[0] not in LEAD_TOKENS
            and pieces[-1] not in TRAIL_TOKENS
        )
        via_quote = w in quote_pool
        if not (via_ngram or via_quote):
            continue
        candidates[w] = dict(
            count=s.count,
            docs=len(s.docs),
            ref=s.first_ref,
            pmi=pmi.get(w, float("nan")),
            hl=hl,
            hr=hr,
            align=align,
            bind=b,
            how="ngram+quote" if via_ngram and via_quote else "ngram" if via_ngram else "quote",
            jieba="/".join(pieces),
        )
    log.info("%d candidates after filtering", len(candidates))

    if args.candidates:
        with open(args.candidates, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("word\tcount\tdocs\tpmi\tHl\tHr\talign\tbind\thow\tjieba\trejected\tref\n")
            for w, c in sorted(candidates.items(), key=lambda kv: (-kv[1]["count"], kv[0])):
                fh.write(
                    f"{w}\t{c['count']}\t{c['docs']}\t{c['pmi']:.2f}\t{c['hl']:.2f}\t"
                    f"{c['hr']:.2f}\t{c['align']:.2f}\t{c['bind']:.2f}\t{c['how']}\t{c['jieba']}\t"
                    f"{int(w in reject)}\t{c['ref']}\n"
                )

    # ---- curation -------------------------------------------------------------
    entries: dict[str, dict] = {}
    for w, c in candidates.items():
        if w in reject:
            continue
        tag = manual[w][0] if w in manual else guess_tag(w)
        entries[w] = dict(count=c["count"], docs=c["docs"], tag=tag, source=c["ref"])
    for w, (tag, reason) in manual.items():
        if w in entries:
            continue
        if w in reject:
            raise SystemExit(f"{w!r} is both in the manual list and the reject list")
        s = stats[w]
        entries[w] = dict(count=s.count, docs=len(s.docs), tag=tag, source=f"manual:{reason}")
    unused = sorted(w for w in reject if w not in candidates)
    if unused:
        log.info("%d reject-list entries are no longer candidates (e.g. %s)", len(unused), ", ".join(unused[:5]))

    freqs, user_tok = fit_freqs({w: max(e["count"], 1) for w, e in entries.items()})
    whole, total_occ, poor = context_check(entries, docs, user_tok)
    log.info(
        "in context: %d/%d corpus occurrences (%.1f%%) cut whole with the dictionary",
        whole,
        total_occ,
        100.0 * whole / max(total_occ, 1),
    )
    if poor:
        log.info("words cut whole in < 50%% of their occurrences: %s", ", ".join(poor))

    # ---- write ------------------------------------------------------------------
    n_manual = sum(1 for e in entries.values() if e["source"].startswith("manual:"))
    header = [
        "# policy_words.tsv - jieba user dictionary of Chinese policy terms",
        "# (institution names, policy concepts, programme and metric names).",
        f"# Built by scripts/mine_policy_words.py; curated {CURATED_ON}.",
        "# Rebuild: .venv/bin/python scripts/mine_policy_words.py",
        f"# Method: CJK n-grams ({MIN_N}-{MAX_N} chars) with count>={MIN_COUNT}, docs>={MIN_DOCS},"
        f" min split PMI>={MIN_PMI:.1f},",
        f"#   left/right branching entropy>={MIN_ENTROPY:.1f}, >={MIN_ALIGN:.0%} of occurrences on jieba"
        " token boundaries,",
        f"#   bind>={MIN_BIND:.1f} (some jieba sub-span is mostly used inside the word), phrase-shape",
        f"#   filters, and split into 2+ pieces by plain jieba {jieba.__version__}; plus terms quoted (“…”)",
        f"#   in >={QUOTE_MIN_DOCS} documents; then curation: scripts/policy_words.reject.txt",
        "#   (rejected candidates), scripts/policy_words.manual.tsv (added terms with",
        "#   reason, tag overrides).",
        "# Corpora used (under ../shared/corpus):",
        *[f"#   {p}" for p, _, _ in CORPORA],
        f"#   {len(docs)} documents after removing exact duplicates; "
        f"{len(skipped)} traditional-script documents skipped.",
        "# Corpora excluded: heldout/ (evaluation data), news-archive/, ner/,",
        "#   policy-docs/DataFountain-2020-NCP-policy-QA/qa_train_20200301.jsonl.",
        "# Columns: word; freq = jieba frequency, max(corpus count, jieba suggest_freq),",
        "#   verified to keep every word whole; tag = jieba POS (n, nz, nt organisation, ns place,",
        "#   l phrase); docs = distinct corpus documents containing the word;",
        "#   source = corpus-relative-path#doc-id of the first occurrence, or manual:<reason>.",
        f"# Entries: {len(entries)} ({n_manual} added by curation).",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(header) + "\n")
        fh.write("word\tfreq\ttag\tdocs\tsource\n")
        for w in sorted(entries):
            e = entries[w]
            fh.write(f"{w}\t{freqs[w]}\t{e['tag']}\t{e['docs']}\t{e['source']}\n")
    log.info("wrote %d entries to %s", len(entries), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
