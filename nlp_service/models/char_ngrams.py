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
        order = np.argsort(codes)
        self.codes = np.asarray(codes, dtype=np.uint64)[order]
        self.features = np.asarray(features, dtype=np.int64)[order]
        self.n_features = n_features
        self.dtype = dtype or np.float64

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
        """The [documents × vocabulary] count matrix (CSR, sorted indices)."""
        import numpy as np
        import scipy.sparse as sp

        docs = [self.preprocess(d) for d in raw_documents]
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        text = "".join(docs)
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
        doc_of = np.repeat(np.arange(len(docs)), lengths)  # the document of each character
        room = np.cumsum(lengths)[doc_of] - np.arange(len(cps))  # characters from here to its document's end
        rows, cols = [], []
        for n in range(self.lo, self.hi + 1):
            if len(cps) < n:
                continue
            codes = cps[: len(cps) - n + 1].copy()
            for k in range(1, n):
                codes = (codes << np.uint64(21)) | cps[k: len(cps) - n + 1 + k]
            inside = room[: len(codes)] >= n  # the n-gram ends inside its document
            codes, owner = codes[inside], doc_of[: len(codes)][inside]
            at = np.searchsorted(self.codes, codes)
            at[at == len(self.codes)] = 0
            hit = self.codes[at] == codes
            rows.append(owner[hit])
            cols.append(self.features[at[hit]])
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        x = sp.csr_matrix((np.ones(len(r), dtype=self.dtype), (r, c)), shape=(len(docs), self.n_features))
        x.sum_duplicates()  # repeated (document, n-gram) pairs become counts, indices sorted
        return x


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
