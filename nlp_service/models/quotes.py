"""Quotation features for the learned slogan filter (model ``quotes-sklearn``).

A quotation is decided from its inner text and a few characters around it. The classifier (a
logistic regression over the features below, trained by ``nlp-service train quotes`` on the
labelled quotations of guide slogans-v2) sees one *document* per quotation, written by
:func:`quote_doc`, and its vectorizer calls :func:`quote_features` on it:

- the hand rules' verdict and the rule that gave it (:func:`~nlp_service.extract.slogans.classify_quote`),
- whether the mined lexicon knows the text, in how many documents and as which kind,
- length, the part-of-speech pattern (one ordinary dictionary word?), characters and character
  pairs of the text, its first and last characters,
- the 1–3 characters before the opening and after the closing quote (号, 奖, 工程, 发射 …, 所谓),
- punctuation and scripts inside (、，+ · digits, Latin), and how often the document quotes it.

Feature extraction is hand-written because the features are ours (rule verdicts, lexicon counts);
the model itself is scikit-learn's, applied by :mod:`nlp_service.models.plain` without it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

SEP = "\x1f"  # fields of a quotation document; never inside normalised text
BEFORE, AFTER = 6, 8  # characters of context kept on each side
_HAS = {"、": "enum", "，": "comma", ",": "comma", "+": "plus", "＋": "plus", "·": "dot", " ": "space",
        "-": "dash", "/": "slash", "：": "colon"}


def quote_doc(text: str, start: int, end: int, inner: str, occurrences: int = 1) -> str:
    """The document the classifier reads for the quotation ``text[start:end]`` (quote marks included)."""
    return SEP.join((text[max(0, start - BEFORE):start], inner.strip(), text[end:end + AFTER], str(occurrences)))


def _verdict(doc: str) -> tuple[str, str, str, str, tuple[str | None, str]]:
    """(before, inner, after, occurrences, the hand rules' verdict) of a quotation document."""
    from nlp_service.extract.slogans import classify_quote

    before, inner, after, occ = doc.split(SEP)
    verdict = classify_quote(f"{before}“{inner}”{after}", len(before), len(before) + len(inner) + 2, inner)
    return before, inner, after, occ, verdict


def hard_rule(doc: str) -> str | None:
    """The hard rule (:data:`~nlp_service.extract.slogans.HARD_RULES`) that rules the quotation out, if any."""
    from nlp_service.extract.slogans import HARD_RULES

    rule = _verdict(doc)[4][1]
    return rule if rule in HARD_RULES else None


def quote_features(doc: str) -> list[str]:
    """Feature tokens of one quotation document (see the module docstring).

    >>> sorted(f for f in quote_features(quote_doc("成功发射“天问”探测器", 4, 8, "天问")) if f.startswith("rule"))
    ['rule=object_before', 'rulekind=None']

    """
    from nlp_service.extract.slogans import lexicon, quoted_documents
    from nlp_service.segment.words import pos_tags

    before, inner, after, occ, (kind, rule) = _verdict(doc)
    out = [f"rule={rule}", f"rulekind={kind}", f"len={min(len(inner), 12)}", f"occ={min(int(occ), 3)}"]
    entry = lexicon().get(inner)
    if entry is not None:
        out += ["lex", f"lexkind={entry.kind}", f"lexdocs={min(int(math.log2(entry.documents)), 5)}"]
    quoted = quoted_documents().get(inner)
    if quoted is not None:
        out += [f"qdocs={min(int(math.log2(quoted[0])), 5)}"] + (["rejected"] if quoted[1] else [])
    tags = pos_tags(inner) if inner else []
    out.append(f"ntok={min(len(tags), 4)}")
    if len(tags) <= 3:
        out.append("tags=" + "-".join(t for _, t in tags))
    out += [f"tag:{t}" for _, t in tags]
    out += [f"c:{c}" for c in inner]
    out += [f"cb:{inner[i:i + 2]}" for i in range(len(inner) - 1)]
    if inner:
        out += [f"first:{inner[0]}", f"last:{inner[-1]}", f"last2:{inner[-2:]}"]
    for n in (1, 2, 3):
        if len(before) >= n:
            out.append(f"b{n}:{before[-n:]}")
        if len(after) >= n:
            out.append(f"a{n}:{after[:n]}")
    if "所谓" in before:
        out.append("so_called")
    words_before = pos_tags(before) if before else []
    words_after = pos_tags(after) if after else []
    if words_before:
        out += [f"bw:{words_before[-1][0]}", f"bt:{words_before[-1][1]}"]
    if words_after:
        out += [f"aw:{words_after[0][0]}", f"at:{words_after[0][1]}"]
    out += [f"has:{name}" for ch, name in _HAS.items() if ch in inner]
    if re.search(r"\d", inner):
        out.append("has:digit")
    if re.search(r"[A-Za-z]", inner):
        out.append("has:latin")
    return out


class QuoteClassifier:
    """The saved ``quotes-sklearn`` model in its plain form: P(slogan) and the kind of each quotation."""

    name = "quotes-sklearn"

    def __init__(self, models_dir: Path | None = None) -> None:
        from nlp_service.models.artifacts import MODELS_DIR, check_model
        from nlp_service.models.plain import PlainTextClassifier

        directory = (models_dir or MODELS_DIR) / self.name
        entry = check_model(self.name, models_dir or MODELS_DIR)  # every file hash-checked
        self.model = PlainTextClassifier(directory)
        self.threshold = float(entry["metrics"]["threshold"])
        self.version = str(entry["metrics"]["version"])
        self.classes = [str(c) for c in self.model.classes_]

    def classify(self, docs: list[str]) -> list[tuple[str | None, float]]:
        """(kind or None, P(slogan)) of each quotation document; a slogan when P(slogan) reaches the threshold."""
        if not docs:
            return []
        proba = self.model.predict_proba(docs)
        out: list[tuple[str | None, float]] = []
        k_not = self.classes.index("not")
        for row in proba:
            p = 1.0 - float(row[k_not])
            kinds = [(float(row[k]), c) for k, c in enumerate(self.classes) if c != "not"]
            out.append((max(kinds)[1] if p >= self.threshold else None, p))
        return out
