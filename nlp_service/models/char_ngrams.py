"""Character n-gram TF-IDF in numpy: the same matrix as a fitted scikit-learn TfidfVectorizer.

A fitted ``TfidfVectorizer(analyzer="char")`` slices every n-gram of every document in Python and
looks each one up in a dict (``CountVectorizer._count_vocab``): for the clause model that loop was
half the time of extracting commitments. Here each n-gram is a 64-bit code (its code points, 21
bits each: distinct for n = 1, 2, 3 since no character is NUL), computed for every position of all
documents at once with array arithmetic, and found in the sorted codes of the vocabulary with
``np.searchsorted``. Preprocessing stays the vectorizer's own (its preprocessor, lower case, runs
of white space collapsed), and the counts go through its own ``_tfidf`` (idf, sublinear tf, norm),
so the matrix is the vectorizer's; ``tests/test_clause_models.py`` compares them on every labelled
row. Written by hand because no library computes a fitted vocabulary's n-gram counts vectorised.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

MAX_N = 3  # 21 bits a character: three fit in 63 bits
_TABLE = 0x10000  # unigram table: the Basic Multilingual Plane


class CharNgramCounter:
    """Counts of a fitted char-n-gram vocabulary (n ≤ 3), computed in numpy.

    Built from a fitted vectorizer (:meth:`from_vectorizer`) or from the plain arrays of a model
    exported by :mod:`nlp_service.models.plain` (the vocabulary's codes and feature indices).
    """

    def __init__(self, ngram_range: tuple[int, int], preprocess: Any, codes: Any, features: Any, n_features: int,
                 dtype: Any = None) -> None:
        import numpy as np

        self.lo, self.hi = ngram_range
        self.preprocess = preprocess
        self.codes = np.asarray(codes, dtype=np.uint64)
        self.features = np.asarray(features, dtype=np.int64)
        self.n_features = n_features
        self.dtype = dtype or np.float64
        self.table = CodeTable(self.codes, self.features)  # every n-gram of the vocabulary
        # unigrams are also looked up in an array indexed by code point (one gather, no hashing); it
        # covers the Basic Multilingual Plane, a rarer character goes to its last slot, which holds
        # no feature (-1), and is looked up in the hash table like the longer n-grams
        self.unigrams = None
        if self.lo == 1:
            singles = self.codes < np.uint64(_TABLE)
            self.unigrams = np.full(_TABLE + 1, -1, dtype=np.int64)
            self.unigrams[self.codes[singles].astype(np.int64)] = self.features[singles]

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> CharNgramCounter:
        """The counter of a fitted ``TfidfVectorizer(analyzer="char")``."""
        import numpy as np

        terms = list(vectorizer.vocabulary_)
        spaces, preprocess, decode = vectorizer._white_spaces, vectorizer.build_preprocessor(), vectorizer.decode
        return cls(vectorizer.ngram_range, lambda d: spaces.sub(" ", preprocess(decode(d))),
                   np.array([code(t) for t in terms], dtype=np.uint64),
                   np.array([vectorizer.vocabulary_[t] for t in terms], dtype=np.int64),
                   len(vectorizer.vocabulary_), vectorizer.dtype)

    def counts(self, raw_documents: Iterable[str]) -> Any:
        """The [documents × vocabulary] count matrix (CSR, sorted indices, no duplicates).

        Every hit is one key, ``document × n_features + feature``; the sorted keys give the counts
        and the CSR arrays directly. That is scipy's ``sum_duplicates`` of the (document, feature)
        pairs at a third of its cost, the same matrix entry for entry.
        """
        import numpy as np
        import scipy.sparse as sp

        docs = [self.preprocess(d) for d in raw_documents]
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        text = "".join(docs)
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
        doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)  # the document of each character
        room = np.cumsum(lengths)[doc_of] - np.arange(len(cps))  # characters from here to its document's end
        width = np.int64(self.n_features)
        keys = []
        for n in range(self.lo, self.hi + 1):
            if len(cps) < n:
                continue
            if n == 1 and self.unigrams is not None:
                feature = self.unigrams[np.minimum(cps, np.uint64(_TABLE)).astype(np.int64)]
                wide = np.flatnonzero(cps >= np.uint64(_TABLE))
                if wide.size:  # beyond the table: looked up in the hash table
                    feature[wide] = self.table.lookup(cps[wide])
                hit = feature >= 0
                keys.append(doc_of[hit] * width + feature[hit])
                continue
            codes = cps[: len(cps) - n + 1].copy()
            for k in range(1, n):
                codes = (codes << np.uint64(21)) | cps[k: len(cps) - n + 1 + k]
            inside = room[: len(codes)] >= n  # the n-gram ends inside its document
            codes, owner = codes[inside], doc_of[: len(codes)][inside]
            feature = self.table.lookup(codes)
            hit = feature >= 0
            keys.append(owner[hit] * width + feature[hit])
        key = np.sort(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
        first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if key.size else key
        counts = np.diff(np.append(first, key.size)).astype(self.dtype)
        unique = key[first]
        rows, cols = np.divmod(unique, width)
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(docs)), out=indptr[1:])
        index = np.int32 if max(self.n_features, unique.size) < 2**31 else np.int64  # as scipy chooses
        x = sp.csr_matrix((counts, cols.astype(index), indptr.astype(index)), shape=(len(docs), self.n_features))
        x.has_canonical_format = True  # keys sorted and unique: features ascending and distinct in each row
        return x

class CodeTable:
    """A hash table from n-gram codes to features, probed for whole arrays of codes at once.

    Open addressing with linear probing, at most a quarter full; the slot of a code is the top
    bits of its product with a large odd constant (Fibonacci hashing). A lookup gathers every
    code's slot at once and walks on only for the codes that found another code there, so most
    codes cost one gather where ``np.searchsorted`` in the sorted vocabulary costs a binary search
    of 15-16 steps (about 3x the time on the clause model's vocabularies). Written by hand:
    numpy has no vectorised hash lookup, and a compiled one (numba) would add its import to the
    service's start.
    """

    EMPTY = 2**64 - 1  # no n-gram (n <= 3, 21 bits a character) has this code
    MULTIPLIER = 0x9E3779B97F4A7C15

    def __init__(self, codes: Any, features: Any) -> None:
        import numpy as np

        codes = np.asarray(codes, dtype=np.uint64)
        features = np.asarray(features, dtype=np.int64)
        bits = max(4, int(np.ceil(np.log2(max(1, len(codes)) * 4))))
        self.shift, self.mask = np.uint64(64 - bits), (1 << bits) - 1
        self.keys = np.full(1 << bits, self.EMPTY, dtype=np.uint64)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        slot = self.slots(codes)
        pending = np.arange(len(codes))
        while pending.size:  # each round: every pending code whose slot is free; one code a slot
            s = pending[self.keys[slot[pending]] == self.EMPTY]
            taken, first = np.unique(slot[s], return_index=True)
            self.keys[taken], self.values[taken] = codes[s[first]], features[s[first]]
            pending = pending[self.keys[slot[pending]] != codes[pending]]
            slot[pending] = (slot[pending] + 1) & self.mask

    def slots(self, codes: Any) -> Any:
        """Where each code's probe starts."""
        import numpy as np

        return ((codes * np.uint64(self.MULTIPLIER)) >> self.shift).astype(np.int64)

    def lookup(self, codes: Any) -> Any:
        """The feature of each code, -1 where the table lacks it."""
        import numpy as np

        out = np.full(len(codes), -1, dtype=np.int64)
        at, slot = np.arange(len(codes)), self.slots(codes)
        while at.size:
            found = self.keys[slot]
            hit = found == codes
            out[at[hit]] = self.values[slot[hit]]
            on = ~hit & (found != self.EMPTY)  # another code in the slot: try the next one
            at, codes, slot = at[on], codes[on], (slot[on] + 1) & self.mask
        return out


def _sklearn_transform(counter: CharNgramCounter, vectorizer: Any, raw_documents: Iterable[str]) -> Any:
    """``vectorizer.transform(raw_documents)``: the same TF-IDF matrix, counted by ``counter``."""
    x = counter.counts(raw_documents)
    if vectorizer.binary:
        x.data.fill(1)
    return vectorizer._tfidf.transform(x, copy=False)


def code(term: str) -> int:
    """The 64-bit code of an n-gram (n ≤ 3): its code points, 21 bits each."""
    code = 0
    for ch in term:
        code = (code << 21) | ord(ch)
    return code


def install(model: Any) -> Any:
    """Give every fitted char-n-gram TfidfVectorizer inside ``model`` (n ≤ 3) the numpy transform."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp_service.models.artifacts import vectorizers

    for vectorizer in vectorizers(model):
        if isinstance(vectorizer, TfidfVectorizer) and vectorizer.analyzer == "char" \
                and vectorizer.ngram_range[1] <= MAX_N:
            vectorizer.transform = partial(_sklearn_transform, CharNgramCounter.from_vectorizer(vectorizer), vectorizer)
    return model
