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
- **band**: ``bands × rows`` band keys per document (derived from the threshold: 42 × 3 at the
  default 0.3), 64-bit hashes of each band's
  rows; equal keys in any band make a candidate pair (found by sorting, not by Python dicts, so
  memory stays at 8 bytes × bands per document). A second route (``Params.noisy``,
  :func:`with_noisy_pairs`) bands character 3-gram signatures the same way, for copies noisy all
  over, whose 5-grams fall below the threshold.
- **verify**: identical normalised texts are ``exact``; the fraction of equal signature bins
  estimates the Jaccard similarity of the shingle sets. From ``threshold`` up (or when the noisy
  route vouches for a pair) the texts are aligned and judged (:func:`explain`, the one decision
  point): by the alignment rules (:func:`verify`), or by the learned model under the rules' signs
  of a template (the default). Templated reports on different events (李强欢迎西班牙首相 /
  新加坡总理, dated commentaries) share 45–65% of their 5-grams, as much as OCR-noisy copies; they
  differ in names and dates, which the alignment sees and the estimate cannot.
- **clusters**: connected components of the kept pairs, a contained text joined to the
  containers of one story only (:func:`components`).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import numpy as np

MIN_CHARS = 16  # shorter normalised texts (placeholders such as "CONTENT NOTFOUND", 15) are not compared
_NUMERAL_DIGITS = "〇零一二两三四五六七八九"  # numerals that stand for one digit each (两 = 2)
_DIGITS = str.maketrans(_NUMERAL_DIGITS, "001223456789")
PRIME = np.uint64(1099511628211)  # FNV prime: the polynomial base of the shingle hash


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


@lru_cache(maxsize=1)
def _lut() -> np.ndarray:
    """:func:`_table` as an array over every code point (0 = dropped; above the BMP: unchanged)."""
    lut = np.arange(0x110000, dtype=np.uint32)
    for cp, to in _table().items():
        lut[cp] = 0 if to is None else to
    lut[0] = 0
    return lut


def normalise_many(texts: Sequence[str]) -> list[str]:
    """:func:`normalise` of many texts at once — one numpy lookup over all their code points.

    ``str.translate`` with a 65,536-entry dict costs ~150 µs for 900 characters, more than
    signing them; a lookup table indexed by code point does the batch in a few milliseconds.
    """
    if not texts:
        return []
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    mapped = _lut()[cps]
    keep = mapped != 0
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    bounds = np.concatenate(([0], np.cumsum(lens)))
    kept_before = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))[bounds]
    joined = mapped[keep].tobytes().decode("utf-32-le")
    return [joined[a:b] for a, b in zip(kept_before[:-1].tolist(), kept_before[1:].tolist(), strict=True)]


MIX_1 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64's finaliser constants
MIX_2 = np.uint64(0x94D049BB133111EB)
ROTATION = np.uint32(0x9E3779B1)  # the densification's offset per step


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (uint64 → uint64) of a copy of ``x``, vectorised (:func:`mix_in_place`)."""
    y = np.array(x, dtype=np.uint64)
    return mix_in_place(y, np.empty_like(y))


def mix_in_place(x: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser of a uint64 array, in place (``tmp``: scratch of its size).

    Overflow is the intended modulo 2^64.
    """
    with np.errstate(over="ignore"):
        np.right_shift(x, np.uint64(30), out=tmp)
        x ^= tmp
        x *= MIX_1
        np.right_shift(x, np.uint64(27), out=tmp)
        x ^= tmp
        x *= MIX_2
        np.right_shift(x, np.uint64(31), out=tmp)
        x ^= tmp
    return x


def _gram_codes(text: str, k: int) -> np.ndarray:
    """Polynomial 64-bit codes of the character ``k``-grams of ``text`` (one for a shorter text), in order."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps)
    if n == 0:
        return cps
    k = min(k, n)
    h = cps[:n - k + 1].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            h *= PRIME
            h += cps[j:n - k + 1 + j]
    return h


def shingles(norm: str, k: int = 5) -> np.ndarray:
    """Distinct 64-bit hashes of the character ``k``-grams of a normalised text (one for a short text)."""
    h = _gram_codes(norm, k)
    if not len(h):
        return h
    h = mix_in_place(h, np.empty_like(h))
    h.sort()  # sorted and distinct, as np.unique gives them (whose hashing path is 6× slower here)
    return _distinct_sorted(h)


def _distinct_sorted(h: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted, non-empty array (the first of each run of equal ones)."""
    first = np.empty(len(h), dtype=bool)  # not np.r_[True, …]: its index parsing cost as much as the sort
    first[0] = True
    np.not_equal(h[1:], h[:-1], out=first[1:])
    return h[first]


@lru_cache(maxsize=4096)
def _gram_set(text: str, k: int) -> np.ndarray:
    """A text's character ``k``-grams as sorted distinct 64-bit codes, kept for its next pairs.

    The codes are :func:`shingles`' hashes before the finaliser: that is a bijection of 64-bit
    values, so the two give the same sets, intersections and Jaccard, and exact Jaccard does not
    need the mixing the signatures do (a third of the time). Kept: a document of a cluster is
    aligned with each of the others.
    """
    h = _gram_codes(text, k)
    if not len(h):
        return h
    h.sort()
    return _distinct_sorted(h)


def jaccard(a: str, b: str, k: int = 5) -> float:
    """The exact Jaccard similarity of two normalised texts' character ``k``-gram sets."""
    x, y = _gram_set(a, k), _gram_set(b, k)
    if not len(x) and not len(y):
        return 1.0
    if len(x) > len(y):
        x, y = y, x
    at = np.searchsorted(y, x)  # both sorted and distinct: x[i] is in y where y[at[i]] equals it
    at[at == len(y)] = 0
    inter = int(np.count_nonzero(y[at] == x))
    return inter / (len(x) + len(y) - inter)


DEFAULT_THRESHOLD = 0.3  # see Params: catches 10% scattered edits (5-gram Jaccard 0.43-0.6)
VERIFIERS = ("rules", "learned")
NOISY_K = 3  # the second route's shingles: a 15%-noisy copy keeps ~0.45 of its 3-grams, ~0.28 of its 5-grams
NOISY_THRESHOLD = 0.35  # … and its pairs are aligned from this estimated 3-gram Jaccard up
NOISY_BANDS, NOISY_ROWS = 42, 3  # candidate chance 0.91 at 3-gram Jaccard 0.38, 0.005 at 0.05
NOISY_WINDOW = 8  # members of a band bucket each is paired with (see candidate_pairs)
NOISY_MAX_BUCKET = 16  # … and buckets of more members are left out (boilerplate, a small vocabulary)


@dataclass(frozen=True)
class Params:
    """LSH parameters, validated up front; ``bands`` × ``rows`` derived from the threshold when not given.

    The default threshold was chosen on the synthetic benchmark (``benchmarks/bench_dedup_synthetic.py``):
    OCR-like copies with 10% scattered edits keep only 0.43–0.6 of their 5-grams, so the LSH must
    propose pairs from about 0.3 on; alignment (:func:`verify`), not the estimate, turns down
    templated reports of other events. ``bands``/``rows`` minimise the mean of the false-positive
    area below the threshold and the false-negative area above it (the criterion of datasketch's
    ``MinHashLSH``), with ``bands × rows ≤ num_perm``: 0.3 → 42 × 3, 0.4 → 32 × 4, 0.5 → 25 × 5.
    """

    threshold: float = DEFAULT_THRESHOLD
    k: int = 5
    num_perm: int = 128
    bands: int = 0  # 0 (with rows 0): derived from the threshold
    rows: int = 0
    verifier: str = "learned"  # "rules" (verify) or "learned" (the model beside them): see judge
    noisy: bool = True  # a second candidate route on character 3-grams for copies noisy all over

    @property
    def shingle_sizes(self) -> tuple[int, ...]:
        """The shingle sizes signed: ``k``, then the noisy-copy route's :data:`NOISY_K` when it is on."""
        return (self.k, NOISY_K) if self.noisy else (self.k,)

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        if self.num_perm & (self.num_perm - 1) or self.num_perm < 2:
            raise ValueError("num_perm must be a power of two (its top hash bits pick the bin)")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        if (self.bands == 0) != (self.rows == 0):
            raise ValueError("give both bands and rows, or neither (then they are derived from the threshold)")
        if self.bands == 0:
            bands, rows = optimal_bands(self.threshold, self.num_perm)
            object.__setattr__(self, "bands", bands)
            object.__setattr__(self, "rows", rows)
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands × rows ({self.bands} × {self.rows}) must be at most num_perm ({self.num_perm})")
        if self.verifier not in VERIFIERS:
            raise ValueError(f"verifier must be one of {', '.join(VERIFIERS)}")

    def candidate_probability(self, jaccard: float) -> float:
        """Chance that two documents of this Jaccard similarity share at least one band."""
        return 1 - (1 - jaccard ** self.rows) ** self.bands


@lru_cache(maxsize=64)  # every Params computes it; the in-article repeat finder builds one per pair
def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with the least mean of false-positive and false-negative probability areas."""
    def error(rows: int) -> float:
        bands = num_perm // rows
        below = np.linspace(0, threshold, 201)
        above = np.linspace(threshold, 1, 201)
        fp = np.trapezoid(1 - (1 - below ** rows) ** bands, below)
        fn = np.trapezoid((1 - above ** rows) ** bands, above)
        return float(0.5 * fp + 0.5 * fn)

    rows = min(range(1, num_perm + 1), key=error)
    return num_perm // rows, rows


def signature(sh: np.ndarray, num_perm: int = 128) -> np.ndarray:
    """One-permutation MinHash of a shingle-hash array, densified (uint32, ``num_perm`` bins).

    The per-document reference: the archive signs batches with :mod:`.signing`, which is tested
    to give these values.
    """
    sig = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    if len(sh) == 0:
        return sig
    bits = num_perm.bit_length() - 1
    bins = (sh >> np.uint64(64 - bits)).astype(np.int64)
    vals = (sh & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    np.minimum.at(sig, bins, vals)
    empty = np.ones(num_perm, dtype=bool)
    empty[bins] = False
    _densify(sig, empty)
    return sig


def _densify(sig: np.ndarray, empty: np.ndarray) -> None:
    """Rotation: an empty bin takes the next filled bin to its right, plus an offset per step (in place)."""
    if not empty.any():
        return
    num_perm = len(sig)
    filled = np.flatnonzero(~empty)
    idx = np.flatnonzero(empty)
    pos = np.searchsorted(filled, idx) % len(filled)
    src = filled[pos]
    dist = (src - idx) % num_perm
    with np.errstate(over="ignore"):
        sig[idx] = sig[src] + (dist.astype(np.uint32) * ROTATION)


def signatures(norms: Sequence[str], k: int = 5, num_perm: int = 128) -> np.ndarray:
    """[len(norms), num_perm] signatures of many normalised texts; row i = ``signature(shingles(norms[i]))``."""
    return signatures_for(norms, (k,), num_perm)[0]


def signatures_for(norms: Sequence[str], ks: Sequence[int], num_perm: int = 128) -> list[np.ndarray]:
    """:func:`signatures` of the same texts for every shingle size of ``ks``, in that order.

    Batch passes over the concatenated code points of runs of ~``SIGN_RUN`` characters
    (:func:`nlp_service.dedup.signing.sign_batch`): the same values as :func:`signature` of
    :func:`shingles` per document (tested).
    """
    from nlp_service.dedup.signing import sign_batch

    runs = [sign_batch(part, ks, num_perm) for part in text_runs(norms, SIGN_RUN)] or [sign_batch([], ks, num_perm)]
    return [np.concatenate([r[q] for r in runs]) for q in range(len(ks))] if len(runs) > 1 else runs[0]


SIGN_RUN = 100_000  # a batch's arrays (~60 bytes a character) stay in the cache: 1.5x faster than runs of 1M


def text_runs(texts: Sequence[str], chars: int) -> Iterator[Sequence[str]]:
    """Consecutive runs of ``texts`` of about ``chars`` characters each (a run ends with the text that reaches it)."""
    start, size = 0, 0
    for i, t in enumerate(texts):
        size += len(t)
        if size >= chars:
            yield texts[start:i + 1]
            start, size = i + 1, 0
    if start < len(texts):
        yield texts[start:]


def band_keys(sigs: np.ndarray, params: Params) -> np.ndarray:
    """[n_docs, bands] uint64 keys: each band's rows hashed together."""
    n = sigs.shape[0]
    parts = sigs[:, : params.bands * params.rows].reshape(n, params.bands, params.rows).astype(np.uint64)
    key = np.zeros((n, params.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(params.rows):
            key = _mix(key * PRIME + parts[:, :, r] + np.uint64(r + 1))
    return key


def candidate_pairs(keys: np.ndarray, window: int = 1, max_bucket: int = 0) -> np.ndarray:
    """[m, 2] document index pairs (i < j) that share a key in some band, each pair once, sorted.

    Per band, documents with the same key form a bucket; with its members in index order
    m0 < m1 < … each is paired with the first (enough for connected components) and with the
    ``window`` members before it (so that verification sees more than a star): (m0, mj) for j ≥ 1
    and (mi, mi+d) for 1 ≤ d ≤ ``window``. Vectorised: one stable order per band
    (:func:`_buckets`), no Python loop over buckets. The noisy-copy route uses a wider window: its
    buckets hold whole clusters of copies of one story, and a noisy copy is only recognised next to
    its original, not next to another copy. ``max_bucket`` (0: no limit) leaves out buckets of more
    members: on 3-grams, an archive of boilerplate or of a small vocabulary puts thousands of
    documents in one bucket, which would be aligned pair by pair.
    """
    n = keys.shape[0]
    code = np.zeros(0, dtype=np.int64)
    for b in range(keys.shape[1]):
        order, sk, new = _buckets(keys[:, b])  # members of a bucket in index order
        if max_bucket:
            starts = np.flatnonzero(new)
            sizes = np.diff(np.r_[starts, n])
            small = np.repeat(sizes <= max_bucket, sizes)
            order, sk = order[small], sk[small]
            new = new[small]
            n_kept = len(order)
        else:
            n_kept = n
        first = order[np.maximum.accumulate(np.where(new, np.arange(n_kept), 0))]  # bucket's first member
        member = ~new
        parts = [first[member].astype(np.int64) * n + order[member]]
        for d in range(1, window + 1):
            if d >= n_kept:
                break
            same = sk[d:] == sk[:-d]
            # (mi, mi+d), both in one bucket and mi not its first member (paired above already)
            keep = same & ~new[:-d]
            parts.append(order[:-d][keep].astype(np.int64) * n + order[d:][keep])
        band = np.concatenate(parts)
        code = sorted_union(code, band)  # one pair code a*n+b (a < b); merged per band: memory ~ distinct pairs
    return np.stack([code // n, code % n], axis=1) if n else np.zeros((0, 2), dtype=np.int64)


def _buckets(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, keys in that order, where each bucket starts): equal keys together, in index order.

    ``np.argsort(kind="stable")`` gives this order but sorts 64-bit keys by merging, ~4x slower
    than numpy's default (vectorised) sort: the keys are sorted unstably, each given its bucket's
    rank, and (rank, index) pairs packed into one integer are sorted again — the same order.
    """
    n = len(keys)
    order = np.argsort(keys, kind="stable" if n >= 2**32 else None)
    sk = keys[order]
    new = np.empty(n, dtype=bool)
    new[:1] = True
    np.not_equal(sk[1:], sk[:-1], out=new[1:])
    if n < 2**32:  # within a bucket the keys are equal: only the indices move
        packed = (np.cumsum(new, dtype=np.uint64) << np.uint64(32)) | order.astype(np.uint64)
        packed.sort()
        order = (packed & np.uint64(0xFFFFFFFF)).astype(np.intp)
    return order, sk, new


def sorted_union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.union1d(a, b)``, the same sorted array, by one sort.

    numpy 2.4's ``unique`` (which ``union1d`` calls) hashes integers: 25-50x slower than sorting
    them, measured on 10^4 to 10^6 random int64 codes.
    """
    c = np.concatenate((a, b))
    c.sort()
    return _distinct_sorted(c) if len(c) else c


def banded_pairs(sigs: np.ndarray, params: Params, rows: np.ndarray | None = None, *, window: int = 1,
                 max_bucket: int = 0, group: int = 6) -> np.ndarray:
    """:func:`candidate_pairs` of the signatures' band keys, in bounded memory (the same pairs).

    The keys of ``group`` bands at a time, computed ``CHUNK`` rows at a time (``rows``: the
    signature row of each local index, if not the index; ``sigs`` may be a memory-mapped file):
    a million documents' keys of all 42 bands would hold 336 MB at once, six bands hold 48 MB.
    A pair found in any band is a pair, so the groups' pairs are merged.
    """
    n = len(rows) if rows is not None else len(sigs)
    code = np.zeros(0, dtype=np.int64)
    for g in range(0, params.bands if n else 0, group):
        sub = dataclasses.replace(params, bands=min(group, params.bands - g))
        cols = slice(g * params.rows, (g + sub.bands) * params.rows)
        keys = np.empty((n, sub.bands), dtype=np.uint64)
        for c in range(0, n, CHUNK):
            block = sigs[c:c + CHUNK] if rows is None else sigs[rows[c:c + CHUNK]]
            keys[c:c + CHUNK] = band_keys(np.asarray(block)[:, cols], sub)
        pairs = candidate_pairs(keys, window, max_bucket)
        code = sorted_union(code, pairs[:, 0] * np.int64(n) + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1) if n else np.zeros((0, 2), dtype=np.int64)


CHUNK = 100_000  # rows or pairs at a time where a whole archive's arrays would not fit beside each other


def estimated_jaccard(sigs: np.ndarray, pairs: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Fraction of equal bins per pair (``rows``: the signature row of each local index, if not the index).

    In chunks of ``CHUNK`` pairs: the two gathered signature blocks of a million pairs would take a GB.
    """
    out = np.zeros(len(pairs))
    for c in range(0, len(pairs), CHUNK):
        p = pairs[c:c + CHUNK] if rows is None else rows[pairs[c:c + CHUNK]]
        out[c:c + CHUNK] = (np.asarray(sigs[p[:, 0]]) == np.asarray(sigs[p[:, 1]])).mean(axis=1)
    return out


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


MAX_REPLACED_RUN = 3  # longest replaced run of an OCR-noisy copy (a few adjacent misread characters)
MAX_MULTI_SHARE = 0.34  # share of replaced runs that may be longer than one character
NOISY = 0.04  # edits per character from which replaced runs may be twice as long (10% scattered edits)
NOISY_MIN_CHARS = 300  # … in texts at least this long
MIN_NOISE_DENSITY = 0.01  # edits per character from which a multi-character run counts as adjacent misreads
SURE = 0.9  # estimated Jaccard from which a short added or dropped phrase may carry figures
SHORT = 100  # normalised characters below which only scattered single-character noise is allowed
PASSAGE = 50  # an added or dropped run this long is a passage (a paragraph), shorter ones are phrases
MIN_MATCHED = 0.8  # share of the shorter text that must align
_FIGURE = re.compile(r"[0-9〇零一二三四五六七八九]+")  # a figure in digits or numerals (三 and 3 the same)
_DIGIT_RUN = re.compile(r"[0-9]+")


@lru_cache(maxsize=256)  # each text of a pair is read for its figures by the template signs, the figure
def figure_runs(text: str) -> tuple[re.Match[str], ...]:  # veto and the model's features in turn: scanned once
    """The figures of ``text`` in digits or numerals (:data:`_FIGURE`), as matches."""
    return tuple(_FIGURE.finditer(text))


@lru_cache(maxsize=256)
def digit_runs(text: str) -> tuple[re.Match[str], ...]:
    """The runs of digits of ``text``, as matches."""
    return tuple(_DIGIT_RUN.finditer(text))
_ALL_FIGURE = re.compile(r"[0-9〇零一二三四五六七八九十百千万亿.]+")
NOISE_RATE = 0.02  # edited share of the characters outside figures from which a text is noisy all over
NOISE_FIGURE_RATIO = 3.0  # … and figures may be edited up to this many times as often as the rest
NOISE_SLACK = 0.1  # … plus this share (a text has few figure characters: 2 of 12 edited is chance)
LEARNED_NOISE_SLACK = 0.3  # … the learned verifier's slack: a short text's few figures may all be hit by chance
FIGURE_CHANCE = 0.05  # chance below which every figure changed is a template's fill, not noise (a 5% test)
NOISE_MIN_ESTIMATE = 0.3  # estimated Jaccard below which changed figures are never taken for noise


def edit_counts(a: str, ops: Sequence[tuple[str, int, int, int, int]]) -> tuple[int, int, int, int]:
    """(figure characters, those edited, other characters, those edited) of ``a`` under the edit opcodes ``ops``.

    Figures are digits (numerals — 一, 三 — stand in words, 统一, 第三, as often as in figures). A
    phrase or passage of more than ``MAX_REPLACED_RUN`` characters added or dropped is no noise and
    not counted; an insertion edits the character it follows.
    """
    return _edit_counts(a, tuple(ops))


@lru_cache(maxsize=64)  # the verifier's features, its noise test and its chance test count one pair's edits
def _edit_counts(a: str, ops: tuple[tuple[str, int, int, int, int], ...]) -> tuple[int, int, int, int]:
    figure = bytearray(len(a))  # 1 where a digit stands; counted by bytearray.count, in C
    for m in digit_runs(a):
        figure[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    fig_total = figure.count(1)
    fig_edited = other_edited = 0
    for op, a0, a1, b0, b1 in ops:
        if op != "replace" and max(a1 - a0, b1 - b0) > MAX_REPLACED_RUN:
            continue
        if op == "insert":
            a0 = max(0, a0 - 1)
            a1 = min(len(a), a0 + 1)
        n_fig = figure.count(1, a0, a1)
        fig_edited += n_fig
        other_edited += (a1 - a0) - n_fig
    return fig_total, fig_edited, len(a) - fig_total, other_edited


def noise_all_over(a: str, b: str, ops: Sequence[tuple[str, int, int, int, int]], min_rate: float = NOISE_RATE,
                   slack: float = NOISE_SLACK, count_swaps: bool = True) -> bool:
    """Whether the edits between ``a`` and ``b`` (alignment opcodes) are scan noise spread over the whole text.

    Scan and transcript noise hits figures as often as other characters and garbles them (0→O, 1→l,
    a dropped digit); a template's other fill changes its figures into other figures and leaves the
    rest (十三届 → 十四届, 175人 → 176人). So three conditions:

    - at least ``min_rate`` (``NOISE_RATE``) of the characters outside figures are edited (a phrase
      or passage of more than ``MAX_REPLACED_RUN`` characters added or dropped is no noise; the
      learned verifier asks with 0 and lets its model judge how much else was edited);
    - figure characters are edited at most ``NOISE_FIGURE_RATIO`` times as often (plus ``slack``,
      ``NOISE_SLACK``: a text has few figure characters; the learned verifier allows
      ``LEARNED_NOISE_SLACK`` and lets its model weigh the rest);
    - figures turned into other figures (numerals in words too: 十三届 → 十四届) are no more than
      those garbled (turned into letters or other characters, dropped), plus one in a text of
      ``NOISY_MIN_CHARS`` or more (a look-alike digit, 3 → 8). This count reads the edited runs
      alone; the learned verifier reads each whole figure instead (:func:`figures_swapped`, where a
      look-alike digit however often is a misread) and asks without it (``count_swaps=False``).
    """
    from nlp_service.clean.repeats import NUMERAL

    fig_total, fig_edited, other_total, other_edited = edit_counts(a, ops)
    if not other_total or other_edited < min_rate * other_total:
        return False
    other_rate = other_edited / other_total
    if fig_edited > (NOISE_FIGURE_RATIO * other_rate + slack) * max(1, fig_total):
        return False
    if not count_swaps:  # the learned verifier reads whole figures instead (figures_swapped)
        return True
    swapped = garbled = 0
    for op, a0, a1, b0, b1 in ops:
        if op != "replace" and max(a1 - a0, b1 - b0) > MAX_REPLACED_RUN:
            continue  # a phrase or passage added or dropped (a cut reprint, 人民大会堂) is no noise
        sa, sb = a[a0:a1], b[b0:b1]
        if op == "replace" and (NUMERAL.search(sa) and NUMERAL.search(sb)) and not (
                _DIGIT_RUN.search(sa) or _DIGIT_RUN.search(sb)):
            swapped += 1  # 十三届 → 十四届: numerals in words are changed by noise only now and then
        elif op == "replace" and (_DIGIT_RUN.search(sa) or _DIGIT_RUN.search(sb)):
            if _ALL_FIGURE.fullmatch(sa) and _ALL_FIGURE.fullmatch(sb):
                swapped += 1  # a figure became another figure: a template's fill
            else:
                garbled += 1
        elif op == "delete" and _DIGIT_RUN.search(sa):
            garbled += 1
    free = 1 if len(a) >= NOISY_MIN_CHARS else 0  # one look-alike digit (3 → 8) in a long noisy text
    return swapped <= garbled + free


@dataclass(frozen=True)
class Edits:
    """The edits of one alignment as every test of a pair reads them (made once, :meth:`of`)."""

    ops: list[tuple[str, int, int, int, int]]  # the opcodes other than equal runs
    replaced: list[tuple[int, int, int, int]]  # (a0, a1, b0, b1) of each replaced run
    runs: list[int]  # the length of each replaced run (the longer side)
    matched: int  # characters of ``a`` in equal runs

    @classmethod
    def of(cls, alignment: Sequence[tuple[str, int, int, int, int]]) -> Edits:
        """The edits of ``alignment`` (all its opcodes, equal runs included)."""
        ops = [op for op in alignment if op[0] != "equal"]
        replaced = [(a0, a1, b0, b1) for op, a0, a1, b0, b1 in ops if op == "replace"]
        return cls(ops, replaced, [max(a1 - a0, b1 - b0) for a0, a1, b0, b1 in replaced],
                   sum(a1 - a0 for op, a0, a1, _, _ in alignment if op == "equal"))


def verify(a: str, b: str, estimate: float, threshold: float,
           alignment: Sequence[tuple[str, int, int, int, int]] | None = None, edits: Edits | None = None) -> str | None:
    """The kind of a candidate pair of normalised texts, or None when it is no duplicate.

    ``exact`` when equal; ``contained`` when the shorter is inside the longer (truncated copies), or
    is inside it but for noise after the checks below (a reprint that cut a paragraph).
    Otherwise, from ``threshold`` up, the texts are aligned (Levenshtein opcodes from rapidfuzz, C++:
    ten times faster than ``difflib`` on 1,500 characters, and verification is most of the
    engine's time) and the pair is ``near``
    when the differences look like noise or an added/dropped passage, not like another story told
    with the same template:

    - no figure changes: the multisets of figures (三 and 3 the same) differ only one way (a
      passage added or dropped), and no replaced run changes a figure — 2023年 / 2024年新年贺词
      and another city's numbers are other documents — unless the text is noisy all over and the
      noise touches figures no more than the rest (:func:`noise_all_over`: a scan, a transcript);
    - every replaced run is at most ``MAX_REPLACED_RUN`` characters (twice that in a text of
      ``NOISY_MIN_CHARS`` or more with ``NOISY`` edits per character, where neighbouring misreads
      run together), and at most
      ``MAX_MULTI_SHARE`` of them longer than one (OCR misreads are single characters, now and
      then two side by side);
    - a replaced run longer than one character is accepted only in a text noisy all over
      (``MIN_NOISE_DENSITY`` edits per character): one swapped word in otherwise identical text
      (李强会见巴西总统 / 智利总统) is another event on a template;
    - no sign of a template filled for another story (:func:`template_veto`: a substitution
      repeated, a phrase added to a short item or carrying a figure, phrases of its own on both sides);
    - ``MIN_MATCHED`` of the shorter text aligns.

    ``alignment``: the opcodes of ``a`` against ``b`` when the caller has them already; ``edits``:
    :meth:`Edits.of` them, when the caller has read them too (the learned verifier's features).
    """
    from nlp_service.clean.repeats import NUMERAL

    if a == b:
        return "exact"
    if estimate < threshold:
        return None
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in long_:
        return "contained"
    changed = figures_changed(a, b)
    if changed and estimate < NOISE_MIN_ESTIMATE:
        return None
    if edits is None:
        edits = Edits.of(opcodes(a, b) if alignment is None else alignment)
    ops = edits.ops
    # noise all over the text touches figures no more than other characters; a template changes its
    # figures and little else (another year's report, another city's numbers). Checked only when a
    # figure changed: most pairs never ask.
    if changed and not noise_all_over(a, b, ops):
        return None
    figure_noise = changed  # the changed figures are noise: checked just above
    replaced, runs = edits.replaced, edits.runs
    # edits all over a long text: runs of neighbouring misreads get longer and may repeat; in a short
    # text the same density is a few names swapped (李强欢迎澳大利亚总理阿尔巴尼斯 / 巴基斯坦总理夏巴兹)
    noisy = len(short) >= NOISY_MIN_CHARS and len(ops) >= NOISY * len(short)
    if any(r > MAX_REPLACED_RUN * (2 if noisy else 1) for r in runs):
        return None
    multi = sum(r > 1 for r in runs)
    if multi and (multi > MAX_MULTI_SHARE * len(runs) or len(ops) < MIN_NOISE_DENSITY * len(short)):
        return None
    if template_veto(a, b, ops, estimate):
        return None
    for a0, a1, b0, b1 in replaced:  # a figure changed (业 misread as 一 is noise: the counts above saw it)
        if (NUMERAL.search(a[a0:a1]) and NUMERAL.search(b[b0:b1])
                and a[a0:a1].translate(_DIGITS) != b[b0:b1].translate(_DIGITS)):
            if not figure_noise and not noise_all_over(a, b, ops):
                return None
            figure_noise = True
    added = [op for op, a0, a1, b0, b1 in ops if op != "replace" and max(a1 - a0, b1 - b0) > MAX_REPLACED_RUN]
    if edits.matched < MIN_MATCHED * len(short):
        return None
    return "contained" if added else "near"  # one side cut or extended: the other lies (noisily) inside it


def same_verdict(estimate: float, other: float, params: Params) -> bool:
    """Whether :func:`explain` gives a pair the same verdict and reason at either estimate.

    It reads the estimate only against ``params.threshold``, ``NOISE_MIN_ESTIMATE`` and ``SURE``
    (a pair of the noisy-copy route is raised to the threshold): two estimates on the same side of
    each give one answer. The report reuses a verified pair's reason on this condition.
    """
    return all((estimate < cut) == (other < cut) for cut in (params.threshold, NOISE_MIN_ESTIMATE, SURE))


def judge(a: str, b: str, estimate: float, params: Params, *, noisy_route: bool = False) -> str | None:
    """The verdict on a candidate pair of normalised texts (the engines' one decision point): see :func:`explain`."""
    return explain(a, b, estimate, params, noisy_route=noisy_route)[0]


def explain(a: str, b: str, estimate: float, params: Params, *, noisy_route: bool = False
            ) -> tuple[str | None, str]:
    """(kind or None, the reason) for a candidate pair of normalised texts.

    ``rules``: :func:`verify`; a pair of the noisy-copy route (``noisy_route``) is aligned whatever
    its 5-gram estimate (its 3-gram estimate vouched for it). ``learned``: exact and contained copies
    as the rules say; so is a pair whose shorter text has fewer than ``SHORT`` characters (a
    teaser's few words are all a template changes, and few train pairs are that short), except
    that a short text which is the longer with one passage cut out (:func:`one_cut`: more than
    twice ``MAX_REPLACED_RUN`` characters, no figure in it) is ``contained`` — a reprint that cut a
    sentence, where a template would change a word or a figure in place. Any other
    pair from the threshold up (or of the noisy-copy route) is turned down on a sign of a
    template — :func:`template_veto`; figures turned into other figures more often than garbled,
    :func:`figures_swapped`; figures edited far more often than the rest, :func:`noise_all_over`;
    every figure changed where noise this heavy would have left one, :func:`chance_all_figures_hit` —
    and otherwise goes to the model (:mod:`nlp_service.dedup.verifier`), which weighs how much else
    was edited: ``near``, or ``contained`` when one side only has phrases of its own, when its
    probability reaches the model's threshold.
    """
    if params.verifier == "rules":
        kind = verify(a, b, max(estimate, params.threshold) if noisy_route else estimate, params.threshold)
        return kind, "alignment rules" if kind else "alignment rules: another story"
    if a == b:
        return "exact", "equal after normalisation"
    if estimate < params.threshold and not noisy_route:
        return None, f"estimated Jaccard {estimate:.2f} below {params.threshold}"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in long_:
        return "contained", "the shorter text lies inside the longer"
    if len(short) < SHORT:  # a teaser's few words are all a template changes: the rules' strict limits hold
        cut = one_cut(short, long_)
        if cut is not None and len(cut) > 2 * MAX_REPLACED_RUN and not _ALL_FIGURE.search(cut):
            return "contained", f"the shorter text is the longer with one passage cut ({len(cut)} characters)"
        first, second, aligned = _oriented_once(a, b)  # read as the model reads a pair: either way round alike
        kind = verify(first, second, max(estimate, params.threshold), params.threshold, aligned)
        return kind, f"a short text ({len(short)} characters): alignment rules" + ("" if kind else ", another story")
    from nlp_service.dedup.verifier import FEATURES, load

    pair = (a, b)
    a, b, alignment = _oriented_once(*pair)
    veto = template_veto(a, b, [op for op in alignment if op[0] != "equal"], estimate, any_figure=False)
    if veto:
        return None, veto
    if figures_changed(a, b):
        veto = _figure_veto(a, b, alignment)
        if veto:
            return None, veto
    model = load()
    x = _features_once(*pair)
    p = model.probability(x)
    why = f"model {p:.2f} {'≥' if p >= model.threshold else '<'} {model.threshold:.2f} ({', '.join(model.reasons(x))})"
    if p < model.threshold:
        return None, why
    one_sided = x[FEATURES.index("phrases")] > 0 and not x[FEATURES.index("phrases_both_sides")]
    return ("contained" if one_sided else "near"), why


# A pair verified as a candidate is explained again for the report (a member against its
# representative, mostly the same two texts): its alignment and features are kept for that.
@lru_cache(maxsize=2048)
def _oriented_once(a: str, b: str) -> tuple[str, str, tuple[tuple[str, int, int, int, int], ...]]:
    x, y, alignment = oriented(a, b)
    return x, y, tuple(alignment)


@lru_cache(maxsize=2048)
def _features_once(a: str, b: str) -> np.ndarray:
    """:func:`~nlp_service.dedup.verifier.pair_features` of the pair :func:`oriented` reads, read-only."""
    from nlp_service.dedup.verifier import pair_features

    x, y, alignment = _oriented_once(a, b)
    features = pair_features(x, y, list(alignment))
    features.setflags(write=False)
    return features


def one_cut(short: str, long_: str) -> str | None:
    """The passage ``long_`` has beyond ``short`` when ``short`` is ``long_`` with one passage cut out, else None."""
    from rapidfuzz.distance import Prefix

    gap = len(long_) - len(short)
    p = int(Prefix.similarity(short, long_))  # the common prefix's length
    return long_[p:p + gap] if gap > 0 and long_[p + gap:] == short[p:] else None


def oriented(a: str, b: str) -> tuple[str, str, list[tuple[str, int, int, int, int]]]:
    """(a, b, their alignment) read from the side with more digits (then the greater text).

    The template signs and the model's features read a pair from one side: noise garbles and
    drops digits, never adds them, so the side with more digits is the one a noisy copy was made
    from; and the verdict does not depend on which of the two came first in the archive. The
    model is trained on pairs read the same way round. The two are aligned in that order (an
    alignment reversed is not always the one made the other way round: equal edits tie).
    """
    da, db = _digits(a), _digits(b)
    if db > da or (db == da and b > a):
        a, b = b, a
    return a, b, opcodes(a, b)


@lru_cache(maxsize=256)  # a document is read again for each of its candidate pairs (consecutive ones: few held)
def _digits(text: str) -> int:
    # ten scans in C: a generator over the characters was a third of the verifier's time
    return sum(text.count(d) for d in "0123456789")


def _figure_veto(a: str, b: str, alignment: Sequence[tuple[str, int, int, int, int]]) -> str | None:
    """Why the changed figures between ``a`` and ``b`` are a template's fill, if so.

    Figures swapped rather than garbled, read from either side; figures edited far more often than
    the rest; every figure of ``a`` (the side with more digits: noise only loses them) changed where
    noise as heavy as the rest shows leaves one untouched but for ``FIGURE_CHANCE`` of copies
    (:func:`chance_all_figures_hit`).
    """
    sides = ((a, b, alignment), (b, a, reverse(alignment)))
    if any(figures_swapped(x, y, al) for x, y, al in sides):
        return "figures turned into other figures"
    if not all(noise_all_over(x, y, [op for op in al if op[0] != "equal"], min_rate=0.0, slack=LEARNED_NOISE_SLACK,
                              count_swaps=False) for x, y, al in sides):
        return "figures edited far more often than the rest"
    chance = chance_all_figures_hit(a, b, alignment)
    if chance < FIGURE_CHANCE:
        return f"every figure changed: noise this heavy does that by chance with p = {chance:.3f}"
    return None


def reverse(alignment: Sequence[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """The opcodes of ``b`` against ``a`` from those of ``a`` against ``b``."""
    swap = {"insert": "delete", "delete": "insert"}
    return [(swap.get(tag, tag), b0, b1, a0, a1) for tag, a0, a1, b0, b1 in alignment]


def noisy_params(num_perm: int) -> Params:
    """The banding of the noisy-copy route's 3-gram signatures (both engines)."""
    return Params(threshold=NOISY_THRESHOLD, k=NOISY_K, num_perm=num_perm, bands=NOISY_BANDS, rows=NOISY_ROWS,
                  noisy=False)


def with_noisy_pairs(sigs3: np.ndarray, pairs: np.ndarray, rows: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(candidate pairs with those of the noisy-copy route added, which of them the route vouches for).

    The route's pairs are candidates on 3-gram signatures (banded ``NOISY_BANDS`` × ``NOISY_ROWS``,
    buckets paired over ``NOISY_WINDOW``) whose estimated 3-gram Jaccard is at least
    ``NOISY_THRESHOLD``, buckets of more than ``NOISY_MAX_BUCKET`` members left out; a pair both
    routes propose is vouched for too (its 5-gram estimate may lie below the threshold: that is
    what heavy noise does). ``rows`` maps the local document indices of ``pairs`` to rows of
    ``sigs3`` (a memory-mapped file of the whole archive, read ``CHUNK`` rows at a time).
    """
    n = len(rows) if rows is not None else len(sigs3)
    extra = banded_pairs(sigs3, noisy_params(sigs3.shape[1]), rows, window=NOISY_WINDOW, max_bucket=NOISY_MAX_BUCKET)
    extra = extra[estimated_jaccard(sigs3, extra, rows) >= NOISY_THRESHOLD]
    code1, code2 = pairs[:, 0] * np.int64(n) + pairs[:, 1], extra[:, 0] * np.int64(n) + extra[:, 1]
    union = sorted_union(code1, code2)
    return np.stack([union // n, union % n], axis=1), np.isin(union, code2)


_OCCASION = re.compile(r"[0-9〇零一二两三四五六七八九十百]+(?:周年|届|次会议|次全体会议|次代表大会)")


def _garbled_digit(x: str, y: str) -> bool:
    """One side is digits and the other is not: a figure misread (0 → O, 1 → l), not another figure."""
    return bool(_DIGIT_RUN.fullmatch(x)) != bool(_DIGIT_RUN.fullmatch(y))


def figure_outcomes(a: str, b: str, ops: Sequence[tuple[str, int, int, int, int]]
                    ) -> tuple[tuple[re.Match[str], str], ...]:
    """Each figure of ``a`` with what became of it in ``b``: ``kept``, ``swapped`` or ``garbled``.

    Each figure of ``a`` (digits or numerals) is compared with what the alignment ``ops`` (all its
    opcodes, equal runs included) puts in its place in ``b``, read as digits: numerals as their
    digits (八 = 8, so 第十八届 / 第18届 is one figure), letters and other characters left out
    (2O24 and 2卫24 read 224: what a misread leaves). The figure is
    **garbled** — scan or transcript noise — when what can be read of it agrees with the figure:
    digits dropped (2024 → 224) or gained (read from the side that kept them), digits misread as
    their look-alikes (3 → 8, 5 → 6; in digits only: 二〇二五 → 二〇二六 is another year), or nothing
    readable left. It is **swapped** — another figure,
    a template's fill — when the digits that can be read disagree: 2023 → 2024, 19 → 21, 十三届 →
    十四届, and a figure that a template filled and noise then garbled (3029 against 2O19). One
    figure changed into another that no scanner confuses (6项 → 7项) is a swap: a correction is
    another version of the facts (guide dedup-pairs-v1). Figures inside a phrase or passage the
    other text lacks are left out (a cut, not a garble). An occasion's number swapped (逝世99周年 →
    100周年, 十三届 → 十四届) names another occasion, noisy or not (:func:`figure_changes` says so).
    """
    return _figure_outcomes(a, b, tuple(ops))


@lru_cache(maxsize=64)  # the verifier's features, its figure veto and its chance test read one pair's outcomes
def _figure_outcomes(a: str, b: str, ops: tuple[tuple[str, int, int, int, int], ...]
                     ) -> tuple[tuple[re.Match[str], str], ...]:
    # where a boundary of a lies in b: before (lo) and after (hi) what was inserted there — by bisection
    # over the opcodes (contiguous, in order), for the figures' boundaries only
    starts = [op[1] for op in ops]
    ends = [op[2] for op in ops]

    def at(k: int, p: int) -> int:
        _, a0, a1, b0, b1 = ops[k]
        return b0 + (p - a0) * (b1 - b0) // max(1, a1 - a0)

    def lo(p: int) -> int:
        return at(bisect_left(ends, p), p)  # the first opcode that reaches p

    def hi(p: int) -> int:
        return at(bisect_right(starts, p) - 1, p)  # the last opcode that starts at or before p

    def dropped(s: int, e: int) -> bool:  # inside a phrase or passage the other text lacks
        tag, a0, a1, _, _ = ops[bisect_right(starts, s) - 1]
        return tag == "delete" and a1 - a0 > MAX_REPLACED_RUN and e <= a1

    out = []
    for m in figure_runs(a):
        s, e = m.span()
        tag, a0, a1, _, _ = ops[bisect_right(starts, s) - 1]
        if tag == "equal" and a0 < s and e < a1:  # inside an equal run, away from its ends: b has it as it is
            out.append((m, "kept"))  # (most figures of a copy; an edit at a run's end may join a figure)
            continue
        if dropped(s, e):
            continue  # gone with its passage
        there = "".join(_FIGURE.findall(b[lo(s):hi(e)]))
        x, y = m.group().translate(_DIGITS), there.translate(_DIGITS)
        shapes = m.group().isascii() and there.isascii()  # 五 → 六 is no look-alike misread; 5 → 6 is
        if x == y:
            outcome = "kept"
        elif y and not _misread(y, x, shapes) and not _misread(x, y, shapes):
            outcome = "swapped"
        else:
            outcome = "garbled"
        out.append((m, outcome))
    return tuple(out)


def figure_changes(a: str, b: str, ops: Sequence[tuple[str, int, int, int, int]]) -> tuple[int, int, bool]:
    """(figures swapped, figures garbled, an occasion's number swapped) of ``a`` in ``b`` (:func:`figure_outcomes`)."""
    outcomes = figure_outcomes(a, b, ops)
    swapped = sum(o == "swapped" for _, o in outcomes)
    garbled = sum(o == "garbled" for _, o in outcomes)
    occasion = any(o == "swapped" and _OCCASION.match(a, m.start()) for m, o in outcomes)
    return swapped, garbled, occasion


def chance_all_figures_hit(a: str, b: str, ops: Sequence[tuple[str, int, int, int, int]]) -> float:
    """How likely noise as heavy as the rest of the text shows would have changed every figure of ``a`` that changed.

    1.0 when a figure in digits is kept. Otherwise the product over the figures in digits of the
    chance that noise hits at least one of its characters, ``1 - (1 - r) ** len``, with ``r`` the
    edited share of the characters outside figures. A scan at 15% leaves one of three two-digit
    figures untouched but for 3% of copies; a template fills every figure whatever the rest.
    """
    figures = [(m, o) for m, o in figure_outcomes(a, b, ops) if m.group().isascii() and m.group().isdigit()]
    if not figures or any(o == "kept" for _, o in figures):
        return 1.0
    _, _, other_total, other_edited = edit_counts(a, [op for op in ops if op[0] != "equal"])
    r = other_edited / max(1, other_total)
    return float(np.prod([1 - (1 - r) ** len(m.group()) for m, _ in figures]))


def figures_swapped(a: str, b: str, ops: Sequence[tuple[str, int, int, int, int]]) -> bool:
    """Whether figures were turned into other figures more often than garbled (a template's fill, not noise).

    A template swaps and never garbles; noise garbles (:func:`figure_changes`). An occasion's number
    swapped decides alone.
    """
    swapped, garbled, occasion = figure_changes(a, b, ops)
    if occasion or swapped > garbled:
        return True
    digits = [o for m, o in figure_outcomes(a, b, ops) if m.group().isascii()]
    return digits.count("swapped") > digits.count("garbled")


@lru_cache(maxsize=1)
def _lookalike_digits() -> frozenset[tuple[str, str]]:
    """Digit pairs a scanner confuses, both ways: those of the noise model (nlp_service.dedup.noise)."""
    from nlp_service.dedup.noise import LOOKALIKE

    pairs = {(d, c) for d, cs in LOOKALIKE.items() for c in cs if c.isdigit()}
    return frozenset(pairs | {(c, d) for d, c in pairs})


def _lookalike(x: str, y: str) -> bool:
    """Whether ``y`` is ``x`` with digits misread as their look-alikes and none dropped (3 → 8)."""
    return len(x) == len(y) and x != y and _misread(y, x)


def _misread(y: str, x: str, shapes: bool = True) -> bool:
    """Whether ``y`` is the figure ``x`` with digits dropped or misread as their look-alikes (2024 → 224, 35 → 8).

    That is what the noise model does to a figure (a look-alike digit, a dropped digit, in any
    mix): ``y`` is a subsequence of ``x`` in which each digit is the one of ``x`` or its look-alike
    (the earliest match of each digit of ``y`` is the best one: it leaves the most of ``x`` for the rest).
    ``shapes`` False: the figures were written in numerals (二〇二五), whose shapes are not the
    digits' — only dropped ones count.
    """
    pairs = _lookalike_digits() if shapes else frozenset()
    k = 0
    for c in y:
        while k < len(x) and x[k] != c and (x[k], c) not in pairs:
            k += 1
        if k == len(x):
            return False
        k += 1
    return True


@lru_cache(maxsize=64)  # asked of one pair by the learned verifier and again by the rules its features read
def figures_changed(a: str, b: str) -> bool:
    """Whether the multisets of figures (三 and 3 the same) differ both ways, not only by a passage added or dropped."""
    fa = Counter(x.group().translate(_DIGITS) for x in figure_runs(a))  # translate the runs, not the whole text:
    fb = Counter(x.group().translate(_DIGITS) for x in figure_runs(b))  # str.translate is slow on long CJK text
    return bool((fa - fb) and (fb - fa))


def opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    """The Levenshtein alignment of ``a`` against ``b`` as (tag, a0, a1, b0, b1), equal runs included."""
    # as_list gives (tag, src_start, src_end, dest_start, dest_end) tuples; rapidfuzz's stub says Opcode objects
    return cast("list[tuple[str, int, int, int, int]]", _levenshtein().opcodes(a, b).as_list())


@lru_cache(maxsize=1)
def _levenshtein():  # imported where pairs are aligned only (the extractor's start does without it), once
    from rapidfuzz.distance import Levenshtein

    return Levenshtein


def template_veto(a: str, b: str, ops: Sequence[tuple[str, int, int, int, int]], estimate: float, *,
                  any_figure: bool = True) -> str | None:
    """Why the edits between ``a`` and ``b`` (alignment opcodes) are a template filled for another story, if so.

    These signs do not come from noise, so both verifiers heed them (the rules of :func:`verify`
    and the learned model of :func:`judge`):

    - in a text with few edits a substitution occurs twice: a template's slot is filled
      consistently (法文版 … 法文 / 俄文版 … 俄文), while a noisy scan may repeat a misread (a digit
      garbled into its look-alike letter or digit, 0 → O, 3 → 8, counts as noise however often);
    - in a text with few edits a run of more than twice ``MAX_REPLACED_RUN`` characters is replaced:
      a name swapped (欢迎西班牙首相桑切斯 / 新加坡总理李显龙), where misreads come one or two at a time;
    - in a text under ``SHORT`` characters a phrase is added or dropped (two commentaries' teasers);
    - below ``SURE``, a phrase (longer than ``MAX_REPLACED_RUN``, shorter than ``PASSAGE``) inside
      the text carries a figure: the same annual ceremony's report with "今年是…75周年" added is
      another year's event, a follow-up story adds its own date (a headline or a dateline at either
      end may; so may a whole paragraph). With ``any_figure`` False (the learned verifier, whose
      model sees the rest) only an occasion's number counts (周年, 届, 次会议): a cut sentence with
      other figures, "2023年共有3.2万人参加", may be a reprint's cut;
    - below ``SURE``, each text has phrases the other lacks: rewritten, not cut or extended (the
      French edition's notice against the English one's: 法文版和此前出版的 / 英汉对照).
    """
    short = min(len(a), len(b))
    noisy = short >= NOISY_MIN_CHARS and len(ops) >= NOISY * short
    if not noisy:  # stop at the first substitution seen twice (most candidate pairs are template fills)
        seen: set[tuple[str, str]] = set()
        for op, a0, a1, b0, b1 in ops:
            if op == "replace":
                swap = (a[a0:a1], b[b0:b1])
                if swap in seen:
                    return "a substitution repeated: a template's slot"
                if _substitution(*swap):
                    seen.add(swap)
    if not noisy and any(op == "replace" and max(a1 - a0, b1 - b0) > 2 * MAX_REPLACED_RUN
                         for op, a0, a1, b0, b1 in ops):
        return "a name or phrase swapped"
    if short < SHORT and any(op != "replace" and max(a1 - a0, b1 - b0) > 1 for op, a0, a1, b0, b1 in ops):
        return "a phrase added to a short item"
    added = [(op, a[a0:a1] + b[b0:b1], a0 == b0 == 0 or (a1, b1) == (len(a), len(b))) for op, a0, a1, b0, b1 in ops
             if op != "replace" and max(a1 - a0, b1 - b0) > MAX_REPLACED_RUN]
    from nlp_service.clean.repeats import NUMERAL

    marks = NUMERAL if any_figure else _OCCASION
    if estimate < SURE and any(len(x) < PASSAGE and not edge and marks.search(x) for _, x, edge in added):
        return "a phrase with a figure added" if any_figure else "a phrase with an occasion's number added"
    if estimate < SURE and {op for op, _, _ in added} == {"insert", "delete"}:
        return "each text has phrases of its own"
    return None


_DIGIT_CHARS = frozenset("0123456789" + _NUMERAL_DIGITS)  # what _DIGITS reads as digits, and the digits


@lru_cache(maxsize=8192)  # the same few swaps (一 → 二, 3 → 4) recur in pair after pair of template fills
def _substitution(x: str, y: str) -> bool:
    """Whether the replaced run ``x`` → ``y`` is a substitution a template's slot could make.

    Not when it writes one figure another way (三 → 3), garbles a figure (0 → O) or misreads a
    digit as its look-alike (3 → 8). A run without digits or numerals is always one: checked first,
    as most runs are (a fifth of verifying a templated bulletin was these checks).
    """
    if _DIGIT_CHARS.isdisjoint(x) and _DIGIT_CHARS.isdisjoint(y):
        return True
    return x.translate(_DIGITS) != y.translate(_DIGITS) and not _garbled_digit(x, y) and not _lookalike(x, y)


def find_duplicates(texts: Sequence[str], params: Params | None = None) -> DedupResult:
    """Cluster ``texts``; the representative of a cluster is its earliest document."""
    params = params or Params()
    norms = normalise_many(texts)
    sigs, *noisy = signatures_for(norms, params.shingle_sizes, params.num_perm)
    return cluster_signatures(sigs, norms, params, noisy[0] if noisy else None)


def components(n: int, pairs: np.ndarray, kinds: Sequence[str] | np.ndarray, lengths: Sequence[int] | np.ndarray
               ) -> np.ndarray:
    """A cluster label per document: connected components of the kept pairs, containment attached once.

    ``kinds`` gives each pair's kind (or is a boolean array: is it ``contained``). ``exact`` and
    ``near`` pairs are joined first (scipy's connected components: C, no Python loop over the
    millions of pairs of a large archive). ``contained`` pairs then join each shorter text to its
    containers, but not to containers of two stories: a truncated lead that stops before the first
    figure is inside both this year's report and last year's, and must not merge the two.

    - Its first container is the one whose story has the most copies already (then the earliest):
      a lead cut from a report that circulates in many copies belongs to that report, not to a
      templated report of another year that it also happens to start.
    - Every other container joins too when it forms a kept pair with that first one (a copy with a
      new headline that contains the original, which contains the lead): the containers are then
      one story by the verifier's own verdict. Containers that the verifier turned down against
      each other, or never compared, stay apart.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    contained = (np.asarray(kinds, dtype=bool) if isinstance(kinds, np.ndarray) and kinds.dtype == bool
                 else np.fromiter((k == "contained" for k in kinds), dtype=bool, count=len(pairs)))
    joined = pairs[~contained]
    graph = coo_matrix((np.ones(len(joined), dtype=np.int8), (joined[:, 0], joined[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    cont = pairs[contained]
    if len(cont) == 0:
        return labels.astype(np.int64)
    lengths = np.asarray(lengths)
    a, b = cont[:, 0], cont[:, 1]
    a_short = (lengths[a] < lengths[b]) | ((lengths[a] == lengths[b]) & (a < b))
    short, long_ = np.where(a_short, a, b), np.where(a_short, b, a)
    size = np.bincount(labels)
    order = np.lexsort((long_, -size[labels[long_]], short))  # per shorter text: the largest story first
    short, long_ = short[order], long_[order]
    once = np.r_[True, short[1:] != short[:-1]]  # each shorter text's first container
    first = long_[once][np.cumsum(once) - 1]  # … beside each of its containers
    lo, hi = np.minimum(long_, first), np.maximum(long_, first)
    code = pairs.min(axis=1) * n + pairs.max(axis=1)
    kept_with_first = np.isin(lo * n + hi, code)  # the container and the first one form a kept pair
    attach = once | kept_with_first
    uf = UnionFind(int(labels.max()) + 1)
    for s_, l_ in zip(labels[short[attach]].tolist(), labels[long_[attach]].tolist(), strict=True):
        uf.union(s_, l_)
    root = np.array([uf.find(c) for c in range(int(labels.max()) + 1)], dtype=np.int64)
    return root[labels]


def cluster_signatures(sigs: np.ndarray, norms: Sequence[str], params: Params,
                       sigs3: np.ndarray | None = None) -> DedupResult:
    """Band, verify and cluster precomputed signatures (``norms`` are the texts the verifier aligns).

    With ``params.noisy`` and the 3-gram signatures ``sigs3``, the pairs of the noisy-copy route
    (:func:`with_noisy_pairs`) are judged too; their ``similarity`` is the 5-gram estimate like the others'.
    """
    n = sigs.shape[0]
    pairs = banded_pairs(sigs, params)
    routed = np.zeros(len(pairs), dtype=bool)
    if params.noisy and sigs3 is not None:
        pairs, routed = with_noisy_pairs(sigs3, pairs)
    sim = estimated_jaccard(sigs, pairs)
    verdicts = [judge(norms[a], norms[b], float(s), params, noisy_route=bool(r))
                for (a, b), s, r in zip(pairs.tolist(), sim.tolist(), routed.tolist(), strict=True)]
    keep = np.array([k is not None for k in verdicts], dtype=bool)
    rejected = int(((sim >= params.threshold) & ~keep).sum()) if len(sim) else 0
    pairs, sim = pairs[keep], sim[keep]
    kinds = [k for k in verdicts if k is not None]
    roots = components(n, pairs, kinds, [len(x) for x in norms])
    first: dict[int, int] = {}
    for i, r in enumerate(roots):  # representative: the earliest document of each cluster
        first.setdefault(int(r), i)
    return DedupResult(cluster=np.array([first[int(r)] for r in roots], dtype=np.int64), pairs=pairs,
                       similarity=sim, kinds=kinds, rejected=rejected)
