"""The near-duplicate kernel: normalise → shingle → sign → band → candidate pairs → verify → clusters.

Every stage works on numpy arrays of code points, not on Python strings or sets — the measurements
quoted in issue 7 found per-document Python work (NFKC, shingle sets, ``MinHash.update``) slower
than the hashing itself. Written here rather than taken from datasketch: datasketch's
``update_batch`` hashes each shingle through Python objects (~800 documents/s measured), and a
vectorised one-permutation scheme over code-point arrays is an order of magnitude faster.

- **normalise**: one ``str.translate`` table (built once for the BMP): full-width ASCII to
  half-width, ASCII letters to lower case, whitespace, punctuation, symbols and control
  characters dropped — so reformatted copies (full-width digits, other punctuation and spacing)
  normalise to the same string.
- **shingle**: character ``k``-grams (default 5) as 64-bit polynomial hashes of code points,
  mixed (splitmix64 finaliser).
- **sign**: one-permutation MinHash with ``num_perm`` bins (default 128) and densification by
  rotation (Shrivastava & Li 2014): the top bits of a shingle's hash pick its bin, the low 32 bits
  are its value; an empty bin takes the value of the next non-empty bin to its right plus a
  per-distance offset.
- **band**: ``bands × rows`` (default 32 × 4) band keys per document, 64-bit hashes of each band's
  rows; equal keys in any band make a candidate pair (found by sorting, not by Python dicts, so
  memory stays at 8 bytes × bands per document).
- **verify**: identical normalised texts are ``exact``; the fraction of equal signature bins
  estimates the Jaccard similarity of the shingle sets. From ``threshold`` up the texts are
  aligned: the pair is kept when one text contains the other (``contained``: truncated copies),
  when they differ only by scattered small edits that touch no number (``near``: OCR noise — the
  test of the in-article dedup, ``in_article.noisy_copy``), or, at an estimate ``≥ SURE`` (0.9),
  when no aligned difference changes a number (``near``: a passage added or dropped).
  Templated reports on different events (李强欢迎西班牙首相 /
  新加坡总理, dated commentaries) share 45–65% of their 5-grams, as much as OCR-noisy copies; they
  differ in names and dates, which the alignment sees and the estimate cannot.
- **clusters**: union-find over the kept pairs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SURE = 0.9  # estimated Jaccard from which passages may be added or dropped (but no figure changed)
MIN_CHARS = 16  # shorter normalised texts (placeholders such as "CONTENT NOTFOUND", 15) are not compared
_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_P = np.uint64(1099511628211)  # FNV prime: the polynomial base of the shingle hash


@lru_cache(maxsize=1)
def _table() -> dict[int, int | None]:
    table: dict[int, int | None] = {}
    for cp in range(0x10000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat[0] in "PZCS" or ch.isspace():
            table[cp] = None
        elif 0xFF01 <= cp <= 0xFF5E:  # full-width ASCII
            half = cp - 0xFEE0
            table[cp] = ord(chr(half).lower())
        elif "A" <= ch <= "Z":
            table[cp] = cp + 32
    return table


def normalise(text: str) -> str:
    """Text as compared: no whitespace, punctuation or symbols; half-width, lower-case ASCII.

    >>> normalise("２０２４年，GDP 增长 5%！")
    '2024年gdp增长5'

    """
    return text.translate(_table())


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (uint64 → uint64), vectorised; overflow is the intended modulo 2^64."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def shingles(norm: str, k: int = 5) -> np.ndarray:
    """Distinct 64-bit hashes of the character ``k``-grams of a normalised text (one for a short text)."""
    cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    if n < k:
        k = n
    h = np.zeros(n - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _P + cps[j:n - k + 1 + j]
    return np.unique(_mix(h))


@dataclass(frozen=True)
class Params:
    """LSH parameters, derived from the threshold and validated up front."""

    threshold: float = 0.5
    k: int = 5
    num_perm: int = 128
    bands: int = 32
    rows: int = 4

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands × rows ({self.bands} × {self.rows}) must equal num_perm ({self.num_perm})")
        if self.num_perm & (self.num_perm - 1):
            raise ValueError("num_perm must be a power of two (its top hash bits pick the bin)")
        if self.k < 1:
            raise ValueError("k must be at least 1")

    def candidate_probability(self, jaccard: float) -> float:
        """Chance that two documents of this Jaccard similarity share at least one band."""
        return 1 - (1 - jaccard ** self.rows) ** self.bands


def signature(sh: np.ndarray, num_perm: int = 128) -> np.ndarray:
    """One-permutation MinHash of a shingle-hash array, densified (uint32, ``num_perm`` bins)."""
    sig = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    if len(sh) == 0:
        return sig
    bits = num_perm.bit_length() - 1
    bins = (sh >> np.uint64(64 - bits)).astype(np.int64)
    vals = (sh & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    np.minimum.at(sig, bins, vals)
    empty = np.zeros(num_perm, dtype=bool)
    empty[:] = True
    empty[np.unique(bins)] = False
    if empty.any():  # rotation: the next filled bin to the right, with an offset per step
        filled = np.flatnonzero(~empty)
        idx = np.flatnonzero(empty)
        pos = np.searchsorted(filled, idx) % len(filled)
        src = filled[pos]
        dist = (src - idx) % num_perm
        with np.errstate(over="ignore"):
            sig[idx] = sig[src] + (dist.astype(np.uint32) * np.uint32(0x9E3779B1))
    return sig


def band_keys(sigs: np.ndarray, params: Params) -> np.ndarray:
    """[n_docs, bands] uint64 keys: each band's rows hashed together."""
    n = sigs.shape[0]
    parts = sigs.reshape(n, params.bands, params.rows).astype(np.uint64)
    key = np.zeros((n, params.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(params.rows):
            key = _mix(key * _P + parts[:, :, r] + np.uint64(r + 1))
    return key


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """[m, 2] document index pairs (i < j) that share a key in some band, each pair once."""
    pairs = []
    n = keys.shape[0]
    for b in range(keys.shape[1]):
        col = keys[:, b]
        order = np.argsort(col, kind="stable")
        sorted_keys = col[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], n]
        for s, e in zip(starts, ends, strict=True):
            if e - s > 1:
                members = np.sort(order[s:e])
                # a bucket of m documents: pair each with the first (enough for connected components)
                # plus consecutive members, so that verification sees more than a star
                first = members[0]
                pairs.append(np.stack([np.full(e - s - 1, first), members[1:]], axis=1))
                if e - s > 2:
                    pairs.append(np.stack([members[1:-1], members[2:]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs), axis=0)


def estimated_jaccard(sigs: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Fraction of equal bins per pair."""
    if len(pairs) == 0:
        return np.zeros(0)
    return (sigs[pairs[:, 0]] == sigs[pairs[:, 1]]).mean(axis=1)


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)
        self.size = np.ones(n, dtype=np.int64)

    def find(self, x: int) -> int:
        """The root of ``x``."""
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return int(x)

    def union(self, a: int, b: int) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


@dataclass
class DedupResult:
    """Clusters of duplicate documents: ``cluster[i]`` is the representative index of document i."""

    cluster: np.ndarray
    pairs: np.ndarray
    similarity: np.ndarray
    kinds: list[str]  # per kept pair: exact, near or contained
    rejected: int = 0  # candidate pairs at or above the threshold that alignment turned down


def verify(a: str, b: str, estimate: float, threshold: float) -> str | None:
    """The kind of a candidate pair of normalised texts, or None when it is no duplicate."""
    from nlp_service.dedup.in_article import noisy_copy

    if a == b:
        return "exact"
    if estimate < threshold:
        return None
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in long_:
        return "contained"
    if noisy_copy(a, b):
        return "near"
    if estimate >= SURE and not _numbers_replaced(a, b):
        return "near"  # inserted or deleted passages (another scrape), no figure changed
    return None


def _numbers_replaced(a: str, b: str) -> bool:
    """True when aligned, differing segments of ``a`` and ``b`` carry numbers.

    二〇二三年 / 二〇二四年新年贺词: templated reports of different events, not copies.
    """
    from difflib import SequenceMatcher

    from nlp_service.dedup.in_article import NUMERAL

    sm = SequenceMatcher(None, a, b, autojunk=False)
    return any(op == "replace" and (NUMERAL.search(a[a0:a1]) or NUMERAL.search(b[b0:b1]))
               and a[a0:a1].translate(_DIGITS) != b[b0:b1].translate(_DIGITS)  # 三 / 3 is the same figure
               for op, a0, a1, b0, b1 in sm.get_opcodes())


def find_duplicates(texts: Sequence[str], params: Params | None = None) -> DedupResult:
    """Cluster ``texts``; the representative of a cluster is its earliest document."""
    params = params or Params()
    norms = [normalise(t) for t in texts]
    sigs = np.stack([signature(shingles(x, params.k), params.num_perm) for x in norms]) if norms else \
        np.zeros((0, params.num_perm), dtype=np.uint32)
    return cluster_signatures(sigs, norms, params)


def cluster_signatures(sigs: np.ndarray, norms: Sequence[str], params: Params) -> DedupResult:
    """Band, verify and cluster precomputed signatures (``norms`` only to tell exact copies)."""
    n = sigs.shape[0]
    pairs = candidate_pairs(band_keys(sigs, params)) if n else np.zeros((0, 2), dtype=np.int64)
    sim = estimated_jaccard(sigs, pairs)
    kinds = [verify(norms[a], norms[b], float(s), params.threshold) for (a, b), s in zip(pairs, sim, strict=True)]
    keep = np.array([k is not None for k in kinds], dtype=bool)
    rejected = int(((sim >= params.threshold) & ~keep).sum()) if len(sim) else 0
    pairs, sim = pairs[keep], sim[keep]
    kinds = [k for k in kinds if k is not None]
    uf = UnionFind(n)
    for a, b in pairs:
        uf.union(int(a), int(b))
    roots = np.array([uf.find(i) for i in range(n)], dtype=np.int64)
    first = {}
    for i, r in enumerate(roots):  # representative: the earliest document of each cluster
        first.setdefault(int(r), i)
    return DedupResult(cluster=np.array([first[int(r)] for r in roots], dtype=np.int64), pairs=pairs,
                       similarity=sim, kinds=kinds, rejected=rejected)
