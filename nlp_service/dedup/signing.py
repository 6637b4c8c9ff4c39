"""The MinHash signing of archive dedup: one batch of documents in whole-array passes.

Signing is the hot loop of archive dedup. No MinHash library signs this scheme (one-permutation
MinHash with rotation densification over polynomial character k-gram hashes, shared with the
in-article repeat finder and the Spark engine), so it is written here, over the concatenated code
points of a batch (``minhash.signatures_for`` hands it runs of ~100,000 characters, whose arrays stay
in the cache) rather than per document:

- the k-gram hash of every position, grown from the (k-1)-gram one (one multiply-add per size);
- each hash's bin, offset by its document's first bin; the k-grams that run over a document's end
  go to a sink bin past the last;
- ``np.minimum.at`` keeps each bin's least value (numpy ≥ 1.25 runs it in a tight loop);
- the empty bins of each document take the next filled bin to their right (rotation).

It gives the values of :func:`nlp_service.dedup.minhash.signature` of
:func:`~nlp_service.dedup.minhash.shingles` per document (tested). It replaced a loop compiled by
numba, whose import and cached-kernel load (~0.6 s) cost more than the loop itself on archives
of 30,000 news items (``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp_service.dedup.minhash import PRIME, ROTATION, mix_in_place

_LOW = np.uint64(0xFFFFFFFF)
_LITTLE = np.little_endian  # a uint64 array viewed as uint32 pairs: the low half first


def sign_batch(norms: Sequence[str], sizes: Sequence[int], num_perm: int) -> list[np.ndarray]:
    """[len(norms), num_perm] uint32 signatures of the texts for each shingle size of ``sizes``, in that order."""
    m = len(norms)
    out = np.full((len(sizes), m * num_perm + 1), 0xFFFFFFFF, dtype=np.uint32)  # + the sink bin
    lens = np.fromiter((len(x) for x in norms), dtype=np.int64, count=m)
    cps = np.frombuffer("".join(norms).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    ends = np.cumsum(lens)
    n_all = len(cps)
    sink = m * num_perm
    first_bin = np.repeat(np.arange(0, sink, num_perm, dtype=np.int64), lens)  # of each position's document
    shift = np.uint64(64 - (num_perm.bit_length() - 1))
    tmp = np.empty(n_all, dtype=np.uint64)
    poly, grams = cps, 1  # poly[p]: the hash of the `grams` characters from p
    result: list[np.ndarray] = [np.empty(0, dtype=np.uint32)] * len(sizes)
    order = sorted(range(len(sizes)), key=lambda q: sizes[q])
    for q in order:
        k = sizes[q]
        with np.errstate(over="ignore"):
            while grams < k and grams < n_all:
                nxt = poly[:n_all - grams] * PRIME  # a new array: cps (grams 1) stays as it is
                nxt += cps[grams:]
                poly, grams = nxt, grams + 1
        n = n_all - k + 1 if n_all >= k else 0
        last = q == order[-1] and poly is not cps
        hashes = mix_in_place(poly[:n] if last else poly[:n].copy(), tmp[:n])
        key = np.right_shift(hashes, shift, out=tmp[:n]).view(np.int64)  # < num_perm: the same as int64
        key += first_bin[:n]
        for j in range(1, k):  # the k-grams that run over a document's end (all of a shorter one's)
            at = (ends - j)[lens >= j]
            key[at[at < n]] = sink
        flat = out[q]
        np.minimum.at(flat, key, hashes.view(np.uint32)[0::2] if _LITTLE else (hashes & _LOW).astype(np.uint32))
        hit = np.zeros(sink + 1, dtype=bool)
        hit[key] = True
        sig, filled = flat[:-1].reshape(m, num_perm), hit[:-1].reshape(m, num_perm)
        for i in np.flatnonzero((lens > 0) & (lens < k)).tolist():  # shorter than k: one shingle of it all
            h = np.zeros(1, dtype=np.uint64)
            with np.errstate(over="ignore"):
                for c in cps[ends[i] - lens[i]:ends[i]]:
                    h *= PRIME
                    h += c
            v = int(mix_in_place(h, np.empty(1, dtype=np.uint64))[0])
            b = v >> int(shift)
            sig[i, b] = min(int(sig[i, b]), v & 0xFFFFFFFF)
            filled[i, b] = True
        _densify_rows(sig, filled)
        result[q] = sig
    return result


def _densify_rows(sig: np.ndarray, filled: np.ndarray) -> None:
    """Rotation, all rows at once: an empty bin takes the next filled bin to its right, cyclically.

    Plus ``ROTATION`` per step, in place; a row with no filled bin (an empty text) stays as it is.
    """
    num_perm = sig.shape[1]
    rows = np.flatnonzero(~filled.all(axis=1) & filled.any(axis=1))
    if not len(rows):
        return
    f = filled[rows]
    pos = np.arange(num_perm, dtype=np.int64)
    nxt = np.where(f, pos, 2 * num_perm)
    np.minimum.accumulate(nxt[:, ::-1], axis=1, out=nxt[:, ::-1])  # the next filled bin at or after each
    wrap = nxt[:, 0] + num_perm  # none after: the row's first filled bin, one turn on
    nxt = np.where(nxt < num_perm, nxt, wrap[:, None])
    s = sig[rows]
    with np.errstate(over="ignore"):
        moved = np.take_along_axis(s, nxt % num_perm, axis=1) + (nxt - pos).astype(np.uint32) * ROTATION
    sig[rows] = np.where(f, s, moved)
