"""Find repeated paragraphs inside one article.

Three kinds, each reported with the paragraph it repeats and a similarity:

- ``exact``: the same text after normalisation and with whitespace removed
  (similarity 1.0); the first occurrence is kept.
- ``contained``: the whole paragraph stands inside a longer one (the sample's
  “宁波东方理工大学（暂名）…4个龙头为引领…” inside “形成以宁波大学、…”);
  similarity is its share of the longer one's length. The longer one is kept,
  even when it comes later: the first *full* occurrence wins.
- ``near``: an OCR-noisy or lightly edited copy; similarity is
  ``difflib.SequenceMatcher.ratio`` over the characters without punctuation,
  at least :data:`NEAR_RATIO`, both at least :data:`MIN_NEAR_CHARS` long, and
  the archive engine's verifier calls the two paragraphs copies (one verifier for
  an article and an archive: :func:`nlp_service.dedup.minhash.judge`); the
  earlier one is kept.

Safety: a paragraph is only marked a duplicate when every one of its sentences
is found in the paragraph it repeats — verbatim, or (for ``near``) as a
sentence with ratio at least :data:`SENTENCE_RATIO` whose differences are
scattered one-character edits (:data:`MAX_EDIT_RUN`) that touch no number
(so 公司法/公务员法 or 六百一十万吨/三百六十万吨 are different content). A sentence
that occurs nowhere else, even as a noisy copy, is never dropped.

Candidate pairs come from an inverted index of character 5-grams
(:data:`SHINGLE`, content-sampled in long paragraphs), so long inputs are not
compared pair by pair; shingles that
occur in more than :data:`MAX_POSTING` paragraphs (boilerplate) are ignored.

Not handled yet: repeats shorter than :data:`MIN_CHARS` characters (short lines
such as “……” or “附件” are kept), repeats of a single sentence inside
otherwise different paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import chain

import numpy as np

from nlp_service.segment.sentences import split_sentences

MIN_CHARS = 6
MIN_CONTAINED_CHARS = 12
MIN_NEAR_CHARS = 20
MAX_EDIT_RUN = 1
SHINGLE = 5
MAX_POSTING = 16
SAMPLE_MOD = 4
MIN_SAMPLED = 8
CANDIDATE_SHARE = 0.5
NEAR_RATIO = 0.85
SENTENCE_RATIO = 0.8

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Repeat:
    """Paragraph ``index`` repeats paragraph ``of``."""

    index: int
    of: int
    kind: str  # "exact" | "contained" | "near"
    similarity: float


def compact(text: str) -> str:
    """Text without whitespace: the key for exact and contained repeats."""
    return _SPACE.sub("", text)


def letters(text: str) -> str:
    """Text without whitespace and punctuation: the basis of near-repeat similarity."""
    return _NOT_WORD.sub("", text)


def find_exact_repeats(texts: dict[int, str]) -> list[Repeat]:
    """Paragraphs whose whitespace-free text equals an earlier paragraph's.

    Example:
        >>> find_exact_repeats({0: "甲乙丙丁戊己。", 1: "别的内容在此。", 2: "甲乙丙丁 戊己。"})
        [Repeat(index=2, of=0, kind='exact', similarity=1.0)]

    """
    first: dict[str, int] = {}
    repeats = []
    for index in sorted(texts):
        key = compact(texts[index])
        if len(letters(key)) < MIN_CHARS:
            continue
        if key in first:
            repeats.append(Repeat(index, first[key], "exact", 1.0))
        else:
            first[key] = index
    return repeats


def find_near_and_contained(texts: dict[int, str]) -> list[Repeat]:
    """Contained and near repeats among ``texts`` (paragraph index -> text).

    Each index appears at most once as a repeat; its ``of`` is never itself a
    repeat in the returned list (chains are resolved to the kept paragraph).
    """
    keys = {i: compact(t) for i, t in texts.items()}
    bare = {i: letters(k) for i, k in keys.items()}
    grams = {i: _sampled_shingles(b) for i, b in bare.items() if len(b) >= MIN_CHARS}
    postings: dict[str, list[int]] = defaultdict(list)
    for i, gs in grams.items():
        for g in gs:
            postings[g].append(i)

    decided: dict[int, Repeat] = {}
    # Shorter paragraphs first: they are the ones that can stand inside others.
    for i in sorted(grams, key=lambda k: (len(bare[k]), k)):
        usable = [postings[g] for g in grams[i] if len(postings[g]) <= MAX_POSTING]
        if not usable:
            continue
        shared: Counter[int] = Counter(chain.from_iterable(usable))  # one count over every posting
        shared.pop(i, None)
        need = CANDIDATE_SHARE * len(usable)
        best: Repeat | None = None
        for j, count in shared.most_common():
            if count < need:
                break
            if j in decided:
                continue
            found = _compare(i, j, keys, bare, texts)
            if found and (best is None or found.similarity > best.similarity):
                best = found
        if best:
            decided[i] = best
    return _resolve_chains(decided)


def _sampled_shingles(text: str) -> set[str]:
    """Character 5-grams, thinned by content for long paragraphs.

    A shingle is kept when its first character's code point is divisible by
    :data:`SAMPLE_MOD` — a choice that depends on the text only, so two copies
    keep the same shingles wherever they sit. Paragraphs too short to keep
    at least :data:`MIN_SAMPLED` that way keep them all. Only candidate
    generation uses this; every candidate is verified on the full text.
    """
    starts = range(max(1, len(text) - SHINGLE + 1))
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)[:len(starts)]
    sampled = {text[j:j + SHINGLE] for j in np.flatnonzero(points % SAMPLE_MOD == 0).tolist()}
    return sampled if len(sampled) >= MIN_SAMPLED else {text[j:j + SHINGLE] for j in starts}


def _compare(i: int, j: int, keys: dict[int, str], bare: dict[int, str], texts: dict[int, str]) -> Repeat | None:
    ki, kj = keys[i], keys[j]
    if len(ki) < len(kj) and len(bare[i]) >= MIN_CONTAINED_CHARS and ki in kj:
        if _sentences_found(texts[i], kj, texts[j], exact_only=True):
            return Repeat(i, j, "contained", round(len(ki) / len(kj), 3))
        return None
    bi, bj = bare[i], bare[j]
    if min(len(bi), len(bj)) < max(MIN_NEAR_CHARS, 0.8 * max(len(bi), len(bj))):
        return None
    ratio = SequenceMatcher(None, bi, bj, autojunk=False).ratio()
    if ratio < NEAR_RATIO or not _archive_copy(texts[i], texts[j]):
        return None
    # The earlier paragraph is the one kept.
    dup, kept = (i, j) if i > j else (j, i)
    if dup != i:
        return None  # j will find i when its turn comes
    if not _sentences_found(texts[dup], keys[kept], texts[kept], exact_only=False):
        return None
    return Repeat(dup, kept, "near", round(ratio, 3))


def _archive_copy(a: str, b: str) -> bool:
    """Whether the archive engine's verifier (:func:`nlp_service.dedup.minhash.judge`) calls two paragraphs copies.

    One verifier for both scales: a paragraph repeated inside an article is judged as a document
    repeated across an archive is (noise against a template's fill), before the sentence check
    below makes sure nothing is lost.
    """
    from nlp_service.dedup.minhash import Params, jaccard, judge, normalise

    x, y = normalise(a), normalise(b)
    return judge(x, y, jaccard(x, y), Params(noisy=False)) is not None


def _sentences_found(text: str, target_key: str, target_text: str, exact_only: bool) -> bool:
    target_sentences: list[str] | None = None
    for s, e in split_sentences(text):
        key = compact(text[s:e])
        if not letters(key) or key in target_key:
            continue
        if exact_only:
            return False
        if target_sentences is None:
            target_sentences = [letters(target_text[a:b]) for a, b in split_sentences(target_text)]
        mine = letters(key)
        if not any(noisy_copy(mine, t) for t in target_sentences):
            return False
    return True


NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


def noisy_copy(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only by scattered small edits, none touching a number.

    OCR noise changes a character here and there; templated text that differs
    in a name or a figure (钢：…六百一十万吨 / 水泥：…三百六十万吨,
    公司法 / 公务员法) is different content and must not be dropped.
    """
    sm = SequenceMatcher(None, a, b, autojunk=False)
    if sm.ratio() < SENTENCE_RATIO:
        return False
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        if a1 - a0 > MAX_EDIT_RUN or b1 - b0 > MAX_EDIT_RUN:
            return False
        if NUMERAL.search(a[a0:a1]) or NUMERAL.search(b[b0:b1]):
            return False
    return True


def _resolve_chains(decided: dict[int, Repeat]) -> list[Repeat]:
    out = []
    for i, rep in decided.items():
        target, seen = rep.of, {i}
        while target in decided and target not in seen:
            seen.add(target)
            target = decided[target].of
        if target in seen:  # a cycle cannot keep anything: leave this one kept
            continue
        out.append(Repeat(i, target, rep.kind, rep.similarity))
    return sorted(out, key=lambda r: r.index)
