"""The MinHash signing loop of archive dedup, compiled.

Signing is the hot loop of archive dedup: about 60% of a run when it was written with numpy array
operations, most of it temporaries the size of the archive's text. No MinHash library signs this
scheme (one-permutation MinHash with rotation densification over polynomial character k-gram
hashes, shared with the in-article repeat finder and the Spark engine), so the loop is written here
and compiled by numba; the machine code is cached beside this module. It gives the values of
:func:`nlp_service.dedup.minhash.signature` of :func:`~nlp_service.dedup.minhash.shingles` per
document (tested). Imported only where archives are signed: the API and the extractor never load
numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from nlp_service.dedup.minhash import MIX_1, MIX_2, PRIME, ROTATION


@njit(cache=True, nogil=True)
def _mix(x: np.uint64) -> np.uint64:  # pragma: no cover - compiled; minhash._mix of one value
    x = (x ^ (x >> np.uint64(30))) * MIX_1
    x = (x ^ (x >> np.uint64(27))) * MIX_2
    return x ^ (x >> np.uint64(31))


@njit(cache=True, nogil=True)
def sign_batch(cps, starts, lens, sizes, bits, out, hit):  # pragma: no cover - compiled
    """Fill ``out[q, i]`` with the signature of document ``i`` for shingle size ``sizes[q]``.

    ``cps``: the code points of all documents; ``starts``/``lens``: each document's run of them;
    ``bits``: log2 of the number of bins; ``hit``: zeros of ``out``'s shape (bins filled).
    """
    shift = np.uint64(64 - bits)
    low = np.uint64(0xFFFFFFFF)
    num_perm = out.shape[2]
    for i in range(lens.shape[0]):
        s, n = starts[i], lens[i]
        if n == 0:
            continue
        for q in range(sizes.shape[0]):
            k = min(sizes[q], n)  # shorter than k: one shingle of the whole text
            for p in range(n - k + 1):
                h = np.uint64(0)
                for j in range(k):
                    h = h * PRIME + np.uint64(cps[s + p + j])
                hv = _mix(h)
                b = np.int64(hv >> shift)
                v = np.uint32(hv & low)
                if v < out[q, i, b]:
                    out[q, i, b] = v
                hit[q, i, b] = True
            # rotation: an empty bin takes the next filled bin to its right, plus an offset per step
            for c in range(num_perm):
                if not hit[q, i, c]:
                    j = c + 1
                    while not hit[q, i, j % num_perm]:
                        j += 1
                    out[q, i, c] = out[q, i, j % num_perm] + np.uint32(j - c) * ROTATION
