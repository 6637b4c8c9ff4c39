"""Fitted scikit-learn text classifiers as plain arrays: loaded in milliseconds, applied with numpy.

The clause and topic models are trained with scikit-learn and stored with skops (``model.skops``,
the artifact of record). Rebuilding them takes seconds at start-up — importing skops and
scikit-learn alone is about 1.5 s — and every ``predict_proba`` call pays scikit-learn's input
validation. :func:`export` writes what prediction needs as ``model.npz`` (numbers) and
``model.json`` (vocabularies, settings), both listed with their sha256 in ``models/manifest.json``;
:class:`PlainTextClassifier` loads them and computes the same probabilities:

- each ``TfidfVectorizer`` of the ``FeatureUnion``: counts (character n-grams in numpy by
  :class:`~nlp_service.models.char_ngrams.CharNgramCounter`; word tokens — a token pattern or an
  analyzer function — by a dictionary lookup), then binary / sublinear tf, idf and the l2 norm as
  ``TfidfTransformer`` applies them;
- the classifier: ``LogisticRegression`` (two classes: the logistic function; more: softmax) or
  ``OneVsRestClassifier`` of logistic regressions (one logistic per label).

Written by hand because no library reads a fitted scikit-learn pipeline without scikit-learn (ONNX
converters have no operator for our analyzer functions). ``tests/test_plain_models.py`` compares
the probabilities with scikit-learn's on every labelled row. Functions named in ``model.json``
(preprocessors, analyzers) are imported only from :data:`ALLOWED_FUNCTIONS`.
"""

from __future__ import annotations

import importlib
import itertools
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

FORMAT = "plain-text-classifier-v1"
ALLOWED_FUNCTIONS = ("nlp_service.models.topics.jieba_words", "nlp_service.models.clauses.clause_part",
                     "nlp_service.models.clauses.context_part", "nlp_service.models.clauses.structure_part",
                     "nlp_service.models.quotes.quote_features")
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's VectorizerMixin._white_spaces


def _name(fn: Any) -> str | None:
    if fn is None:
        return None
    name = f"{fn.__module__}.{fn.__qualname__}"
    if name not in ALLOWED_FUNCTIONS:
        raise ValueError(f"{name} is not an allowed function of a plain model")
    return name


def _function(name: str | None) -> Callable[[str], Any] | None:
    if name is None:
        return None
    if name not in ALLOWED_FUNCTIONS:
        raise ValueError(f"a plain model names {name}, which is not allowed")
    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def export(model: Any, directory: Path) -> list[Path]:
    """Write ``model.npz`` and ``model.json`` for a fitted ``Pipeline(FeatureUnion(tfidf…), classifier)``."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    from nlp_service.models.char_ngrams import code

    union, clf = model.steps[0][1], model.steps[-1][1]
    arrays: dict[str, Any] = {}
    parts = []
    for k, (name, vec) in enumerate(union.transformer_list):
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        part = {"name": name, "n_features": len(terms), "binary": bool(vec.binary),
                "sublinear_tf": bool(vec.sublinear_tf), "norm": vec.norm, "use_idf": bool(vec.use_idf),
                "lowercase": bool(vec.lowercase), "preprocessor": _name(vec.preprocessor)}
        word_ngrams = vec.analyzer != "char" and vec.ngram_range[0] != 1
        if vec.strip_accents is not None or vec.stop_words is not None or word_ngrams:
            raise ValueError(f"{name}: strip_accents, stop words and word n-grams are not supported")
        if vec.analyzer == "char":
            part |= {"kind": "char", "ngram_range": list(vec.ngram_range)}
            arrays[f"{k}.codes"] = np.array([code(t) for t in terms], dtype=np.uint64)
        elif callable(vec.analyzer):
            part |= {"kind": "analyzer", "analyzer": _name(vec.analyzer), "terms": terms}
        elif vec.analyzer == "word" and vec.ngram_range == (1, 1):
            part |= {"kind": "tokens", "token_pattern": vec.token_pattern, "terms": terms}
        else:
            raise ValueError(f"{name}: analyzer {vec.analyzer!r} is not supported")
        if vec.use_idf:
            arrays[f"{k}.idf"] = np.asarray(vec.idf_, dtype=np.float64)
        parts.append(part)
    if isinstance(clf, OneVsRestClassifier):
        estimators = clf.estimators_
        if not all(isinstance(e, LogisticRegression) and e.coef_.shape[0] == 1 for e in estimators):
            raise ValueError("one-vs-rest of binary logistic regressions only")
        coef = np.vstack([e.coef_ for e in estimators])
        intercept = np.concatenate([e.intercept_ for e in estimators])
        kind = "one_vs_rest"
    elif isinstance(clf, LogisticRegression):
        coef, intercept = clf.coef_, clf.intercept_
        kind = "binary" if coef.shape[0] == 1 else "multinomial"
    else:
        raise ValueError(f"{type(clf).__name__} is not supported")
    arrays["coef"], arrays["intercept"] = np.asarray(coef, dtype=np.float64), np.asarray(intercept, dtype=np.float64)
    meta = {"format": FORMAT, "vectorizers": parts, "classifier": kind,
            "classes": [c.item() if hasattr(c, "item") else c for c in clf.classes_]}
    npz, js = directory / "model.npz", directory / "model.json"
    np.savez(npz, **arrays)
    js.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return [npz, js]


class _Tokens:
    """Counts of a word vocabulary: tokens from a pattern or an analyzer function, looked up in a dict."""

    def __init__(self, part: dict) -> None:
        self.index = {t: i for i, t in enumerate(part["terms"])}
        self.n_features = part["n_features"]
        pre = _function(part["preprocessor"])
        if part["kind"] == "analyzer":
            self.analyze: Callable[[str], Sequence[str]] = _function(part["analyzer"])  # type: ignore[assignment]
        else:
            pattern = re.compile(part["token_pattern"])
            lower = part["lowercase"] and pre is None  # a given preprocessor replaces lower-casing
            self.analyze = lambda d: pattern.findall(pre(d) if pre else d.lower() if lower else d)

    def counts(self, docs: Sequence[str]) -> Any:
        import numpy as np
        import scipy.sparse as sp

        rows, cols = [], []
        for r, d in enumerate(docs):
            for t in self.analyze(d):
                j = self.index.get(t)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        x = sp.csr_matrix((np.ones(len(rows)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
                          shape=(len(docs), self.n_features))
        x.sum_duplicates()
        return x


class PlainTextClassifier:
    """``predict_proba`` and ``classes_`` of an exported model, with numpy and scipy only."""

    def __init__(self, directory: Path) -> None:
        import numpy as np

        from nlp_service.models.char_ngrams import CharNgramCounter

        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory / 'model.json'} is not {FORMAT}")
        with np.load(directory / "model.npz") as z:
            arrays = {k: z[k] for k in z.files}
        self.parts = []
        for k, part in enumerate(meta["vectorizers"]):
            if part["kind"] == "char":
                pre = _function(part["preprocessor"])
                lower = part["lowercase"] and pre is None

                def prepare(d: str, pre: Any = pre, lower: bool = lower) -> str:
                    return _WHITE_SPACES.sub(" ", pre(d) if pre else d.lower() if lower else d)

                codes = arrays[f"{k}.codes"]
                counter: Any = CharNgramCounter(tuple(part["ngram_range"]), prepare, codes,
                                                np.arange(len(codes), dtype=np.int64), part["n_features"])
            else:
                counter = _Tokens(part)
            self.parts.append((part, counter, arrays.get(f"{k}.idf")))
        self.coef, self.intercept = arrays["coef"], arrays["intercept"]
        # each vectorizer's columns of the coefficients, transposed and contiguous: scores = Σ block @ weights
        bounds = np.cumsum([0] + [part["n_features"] for part, _, _ in self.parts])
        self.weights = [np.ascontiguousarray(self.coef[:, a:b].T) for a, b in itertools.pairwise(bounds)]
        self.kind = meta["classifier"]
        self.classes_ = np.array(meta["classes"])

    def blocks(self, docs: Sequence[str]) -> list[Any]:
        """Each vectorizer's TF-IDF matrix of ``docs`` (CSR), as scikit-learn's ``_tfidf`` weights it.

        The weights are applied to the counts' data in place rather than by products with diagonal
        matrices: the same value for every entry (one product each), at a fifth of the cost on the
        few paragraphs of one article.
        """
        import numpy as np

        out = []
        for part, counter, idf in self.parts:
            x = counter.counts(docs)  # CSR, sorted indices, no explicit zeros
            data = x.data
            if part["binary"]:
                data.fill(1)
            if part["sublinear_tf"]:
                np.log(data, data)
                data += 1
            if idf is not None:
                data *= idf[x.indices]
            if part["norm"] == "l2":
                lengths = np.diff(x.indptr)
                rows = lengths > 0
                squares = np.zeros(x.shape[0])
                if data.size:  # the row sums scipy's sum(axis=1) takes: reduceat over each row's entries
                    squares[rows] = np.add.reduceat(data * data, x.indptr[:-1][rows])
                norms = np.sqrt(squares)
                norms[norms == 0] = 1
                data *= np.repeat(1 / norms, lengths)
            elif part["norm"] is not None:
                raise ValueError(f"norm {part['norm']!r} is not supported")
            out.append(x)
        return out

    def transform(self, docs: Sequence[str]) -> Any:
        """The model's feature matrix of ``docs`` (CSR)."""
        import scipy.sparse as sp

        return sp.hstack(self.blocks(docs), format="csr")

    def predict_proba(self, docs: Sequence[str]) -> Any:
        """Class (or label) probabilities, as the scikit-learn model's ``predict_proba``.

        The logistic and softmax functions in numpy: importing ``scipy.special`` for them took 0.2 s
        of the service's start.
        """
        import numpy as np

        scores = np.zeros((len(docs), self.coef.shape[0]))
        for x, w in zip(self.blocks(docs), self.weights, strict=True):
            scores += x @ w
        scores += self.intercept
        if self.kind == "binary":
            p = _logistic(scores[:, 0])
            return np.column_stack([1 - p, p])
        if self.kind == "multinomial":
            e = np.exp(scores - scores.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return _logistic(scores)


def _logistic(x: Any) -> Any:
    import numpy as np

    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for x < -709: the probability is 0
        return 1.0 / (1.0 + np.exp(-x))


def load_text_classifier(model_dir: Path, entry: dict, trusted: list[str]) -> Any:
    """A saved scikit-learn text classifier: its plain form when the manifest lists it, else its skops file.

    ``entry`` is the model's manifest entry (:func:`~nlp_service.models.artifacts.check_model` has
    checked every file). Both forms give the same probabilities (``scripts/export_plain_models.py``
    and ``tests/test_plain_models.py`` compare them on every labelled row); the plain one loads in
    milliseconds without importing scikit-learn.
    """
    if f"{model_dir.name}/model.json" in entry["files"]:
        return PlainTextClassifier(model_dir)
    from nlp_service.models import char_ngrams
    from nlp_service.models.artifacts import load_skops

    # the same matrices, character n-grams counted in numpy (models/char_ngrams.py)
    return char_ngrams.install(load_skops(model_dir / "model.skops", trusted))
