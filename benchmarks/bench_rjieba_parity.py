"""Parity and speed of rjieba (jieba-rs) against jieba, with and without the policy dictionary.

Last measured: 2026-11-26, ``.venv/bin/python benchmarks/bench_rjieba_parity.py`` (all documents,
no cap; about 47 s wall on the dev container's CPU, one process; output abridged)::

    jieba 0.42.1, rjieba 0.2.2, python 3.11.7
    corpus: 933 documents (max all per file), 93060 sentences, 3,639,353 chars; dictionary: 515 entries
    from nlp_service/resources/policy_words.tsv

    == with policy dictionary ==
    sentences: 93060  identical: 91629 (98.462%)  differing: 1431
      of which the Chinese tokens differ: 0; only digit/Latin/ASCII-punctuation runs differ: 1431
    tokens: jieba 1930057  rjieba 1925894
    throughput: jieba 194,336 chars/s (18.7 s)  rjieba 2,034,151 chars/s (1.8 s)  rjieba/jieba speed ratio 10.5x
    examples (10; Chinese-token differences first, then evenly spaced others):
      jieba : …升级/规划/（/2011/-/2015/年/）/》/，/增强…
      rjieba: …升级/规划/（/2011-2015/年/）/》/，/增强/传感器/及…
      jieba : …发布/GB///Z17977/-/2000
      rjieba: …发布/GB///Z17977-2000
      jieba : 20182038/-/T/-/339
      rjieba: 20182038-T-339
      jieba : …年/，/培育/3/-/5/家/国内/领先/的/工业互联网…
      rjieba: …年/，/培育/3-5/家/国内/领先/的/工业互联网/行业/平台…
      jieba : …：/nssygl/@/163/./com
      rjieba: …：/nssygl/@/163.com
      jieba : …海关/热线电话/：/86/-/27/-/82210181/，/通关/事宜…
      rjieba: …海关/热线电话/：/86-27-82210181/，/通关/事宜/请/联系/徐菁/13886026767…
      (4 more of the same kind)

    == default dictionaries only ==
    sentences: 93060  identical: 91629 (98.462%)  differing: 1431
      of which the Chinese tokens differ: 0; only digit/Latin/ASCII-punctuation runs differ: 1431
    tokens: jieba 1963849  rjieba 1959686
    throughput: jieba 172,499 chars/s (21.1 s)  rjieba 1,960,790 chars/s (1.9 s)  rjieba/jieba speed ratio 11.4x
    examples: the same 10 sentences as above

    == attribution ==
    differ with dictionary only: 0; without dictionary only: 0;
    in both runs: 1431

Reading: the user dictionary is applied identically by both libraries (same differing sentences with
and without it, and no sentence whose Chinese tokens differ).  Every difference is in runs of ASCII
digits/letters joined by ``-``, ``.``, ``/`` etc. (years ranges, standard numbers, phone numbers,
e-mail addresses): jieba 0.42.1 splits them at the punctuation, jieba-rs keeps them whole.
Timings are single passes after a 200-sentence warm-up; expect about +-15% between runs.

What it does: loads ``nlp_service/resources/policy_words.tsv``, adds every entry with
``add_word(word, freq, tag)`` to a fresh ``jieba.Tokenizer()`` and a fresh ``rjieba.Jieba()``, splits the
corpus texts the dictionary was mined from (never ``heldout/`` or ``news-archive/``) into sentences on
。！？； and newlines, and compares ``cut(sentence, HMM=True)`` / ``cut(sentence, hmm=True)`` sentence by
sentence; then repeats with the default dictionaries.  ``--max-docs N`` caps the documents per corpus file.
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import os
import re
import sys
import time
from pathlib import Path

import jieba
import rjieba

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DICT = REPO_ROOT / "nlp_service" / "resources" / "policy_words.tsv"
DEFAULT_CORPUS_ROOT = REPO_ROOT.parent / "shared" / "corpus"

# The corpora the dictionary was mined from (scripts/mine_policy_words.py).
# heldout/ and news-archive/ are never read.
CORPORA: list[tuple[str, tuple[str, ...]]] = [
    ("ningbo-sci-tech-2024.txt", ()),
    ("policy-docs/politic_analysis_paper_2025/policy_documents.jsonl", ("text",)),
    ("policy-docs/NS_policy_recommendation/nansha_policy_documents.jsonl", ("text",)),
    ("policy-docs/policy_text_frenq/local_policy_documents.jsonl", ("text",)),
    ("policy-docs/DataFountain-2020-NCP-policy-QA/policy_articles.jsonl", ("text",)),
    ("gov-work-reports/*.jsonl", ("content", "text")),
]
EXCLUDED = ("heldout", "news-archive")
SENTENCE_END = re.compile(r"[。！？；\n]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def load_texts(root: Path, max_docs: int) -> list[str]:
    """Texts of the corpora, at most ``max_docs`` per file (0 = all)."""
    texts: list[str] = []
    for pattern, fields in CORPORA:
        for path in sorted(glob.glob(str(root / pattern))):
            rel = os.path.relpath(path, root)
            if any(part in EXCLUDED for part in Path(rel).parts):
                raise SystemExit(f"refusing to read {rel}")
            if not path.endswith(".jsonl"):
                texts.append(Path(path).read_text(encoding="utf-8"))
                continue
            n = 0
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if max_docs and n >= max_docs:
                        break
                    row = json.loads(line)
                    text = next((row[f] for f in fields if row.get(f)), "")
                    if text:
                        texts.append(text)
                        n += 1
    return texts


def sentences(texts: list[str]) -> list[str]:
    """Split on 。！？； and newlines; keep non-blank pieces (delimiter dropped)."""
    out = []
    for t in texts:
        out.extend(s for s in SENTENCE_END.split(t) if s.strip())
    return out


def load_dict(path: Path) -> list[tuple[str, int, str]]:
    """(word, freq, tag) rows of a policy_words.tsv file."""
    rows = []
    header_seen = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            header_seen = True
            if cols[0] == "word":
                continue
        rows.append((cols[0], int(cols[1]), cols[2]))
    return rows


def make_tokenizers(entries: list[tuple[str, int, str]]) -> tuple[jieba.Tokenizer, rjieba.Jieba]:
    """A fresh jieba.Tokenizer and rjieba.Jieba, both with ``entries`` added identically."""
    jt = jieba.Tokenizer()
    jt.initialize()
    rt = rjieba.Jieba()
    for word, freq, tag in entries:
        jt.add_word(word, freq, tag)
        rt.add_word(word, freq, tag)
    return jt, rt


def timed(fn, sents: list[str]) -> tuple[list[list[str]], float]:
    """Cut every sentence with ``fn``; returns (cuts, seconds)."""
    t0 = time.perf_counter()
    cuts = [fn(s) for s in sents]
    return cuts, time.perf_counter() - t0


def _cjk_tokens(cut: list[str]) -> list[str]:
    return [t for t in cut if CJK.search(t)]


def first_diff_window(a: list[str], b: list[str], width: int = 8) -> tuple[str, str]:
    """The two cuts around the first differing token, ``/``-joined."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    lo = max(0, i - 3)

    def show(x: list[str]) -> str:
        s = "/".join(x[lo : i + width])
        return ("…" if lo else "") + s + ("…" if i + width < len(x) else "")

    return show(a), show(b)


def compare(label: str, entries: list[tuple[str, int, str]], sents: list[str], n_examples: int) -> set[int]:
    """Cut all sentences with both libraries, print the parity report, return differing indices."""
    jt, rt = make_tokenizers(entries)
    # warm-up (lazy structures, caches) outside the timed region
    for s in sents[:200]:
        list(jt.cut(s, HMM=True))
        rt.cut(s, hmm=True)
    jcuts, jsec = timed(lambda s: list(jt.cut(s, HMM=True)), sents)
    rcuts, rsec = timed(lambda s: rt.cut(s, hmm=True), sents)
    chars = sum(len(s) for s in sents)
    diff = [i for i, (a, b) in enumerate(zip(jcuts, rcuts, strict=True)) if a != b]
    # A difference is "CJK" when the tokens containing Chinese characters differ;
    # otherwise only runs of digits / Latin letters / ASCII punctuation are cut differently.
    cjk_diff = [i for i in diff if _cjk_tokens(jcuts[i]) != _cjk_tokens(rcuts[i])]
    n = len(sents)
    print(f"== {label} ==")
    print(f"sentences: {n}  identical: {n - len(diff)} ({100.0 * (n - len(diff)) / n:.3f}%)  differing: {len(diff)}")
    print(
        f"  of which the Chinese tokens differ: {len(cjk_diff)}; only digit/Latin/ASCII-punctuation runs differ: "
        f"{len(diff) - len(cjk_diff)}"
    )
    jtok = sum(len(c) for c in jcuts)
    rtok = sum(len(c) for c in rcuts)
    print(f"tokens: jieba {jtok}  rjieba {rtok}")
    print(
        f"throughput: jieba {chars / jsec:,.0f} chars/s ({jsec:.1f} s)  rjieba {chars / rsec:,.0f} chars/s "
        f"({rsec:.1f} s)  rjieba/jieba speed ratio {jsec / rsec:.1f}x"
    )
    if diff:
        # Chinese-token differences first (all of them up to n_examples), then evenly spaced others.
        picks = cjk_diff[:n_examples]
        rest = [i for i in diff if i not in set(cjk_diff)]
        if len(picks) < n_examples and rest:
            step = max(1, len(rest) // (n_examples - len(picks)))
            picks += rest[::step][: n_examples - len(picks)]
        print(f"examples ({len(picks)}; Chinese-token differences first, then evenly spaced others):")
        for k in picks:
            a, b = first_diff_window(jcuts[k], rcuts[k])
            print(f"  jieba : {a}")
            print(f"  rjieba: {b}")
            print()
    return set(diff)


def compare_segmenters(sents: list[str]) -> None:
    """nlp_service.WordSegmenter: jieba vs rjieba with the ASCII-run re-cut (the service's fast path)."""
    sys.path.insert(0, str(REPO_ROOT))
    from nlp_service.segment.words import WordSegmenter

    js, rs = WordSegmenter("jieba"), WordSegmenter("rjieba")
    for s in sents[:200]:
        js.cut(s)
        rs.cut(s)
    jcuts, jsec = timed(js.cut, sents)
    rcuts, rsec = timed(rs.cut, sents)
    chars = sum(len(s) for s in sents)
    diff = [i for i, (a, b) in enumerate(zip(jcuts, rcuts, strict=True)) if a != b]
    n = len(sents)
    print("== nlp_service WordSegmenter: jieba vs rjieba + ASCII-run re-cut (policy dictionary) ==")
    print(f"sentences: {n}  identical: {n - len(diff)} ({100.0 * (n - len(diff)) / n:.3f}%)  differing: {len(diff)}")
    print(f"throughput: jieba {chars / jsec:,.0f} chars/s  rjieba+re-cut {chars / rsec:,.0f} chars/s  "
          f"ratio {jsec / rsec:.1f}x")
    for k in diff[:10]:
        a, b = first_diff_window(jcuts[k], rcuts[k])
        print(f"  jieba : {a}\n  rjieba: {b}\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dict", type=Path, default=DEFAULT_DICT)
    ap.add_argument("--corpus-root", type=Path, default=DEFAULT_CORPUS_ROOT)
    ap.add_argument("--max-docs", type=int, default=0, help="documents per corpus file (0 = all)")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--tags", action="store_true",
                    help="instead: part-of-speech parity on the labelled clauses (commitment fields use rjieba's tags)")
    ap.add_argument("--tags-corpus", type=int, metavar="EVERY", default=0,
                    help="instead: part-of-speech parity, HMM off and on, on the sentences of every EVERY-th document")
    args = ap.parse_args(argv)
    jieba.setLogLevel(logging.WARNING)
    if args.tags:
        return compare_tags(args.examples)
    if args.tags_corpus:
        return compare_tags_corpus(args.tags_corpus)

    texts = load_texts(args.corpus_root, args.max_docs)
    sents = sentences(texts)
    entries = load_dict(args.dict)
    print(
        f"jieba {jieba.__version__}, rjieba {_rjieba_version()}, python {sys.version.split()[0]}\n"
        f"corpus: {len(texts)} documents (max {args.max_docs or 'all'} per file), {len(sents)} sentences, "
        f"{sum(len(s) for s in sents):,} chars; dictionary: {len(entries)} entries from "
        f"{os.path.relpath(args.dict, REPO_ROOT)}\n"
    )
    with_dict = compare("with policy dictionary", entries, sents, args.examples)
    plain = compare("default dictionaries only", [], sents, args.examples)
    compare_segmenters(sents)
    print("== attribution ==")
    print(f"differ with dictionary only: {len(with_dict - plain)}; without dictionary only: {len(plain - with_dict)};")
    print(f"in both runs: {len(with_dict & plain)}")
    return 0


def compare_tags(examples: int) -> int:
    """jieba.posseg (no HMM) against rjieba's tag on every labelled clause of guide commitments-v2."""
    import jieba.posseg

    from nlp_service.segment.words import pos_tags

    rows = [json.loads(x) for x in (REPO_ROOT / "corpus/clauses/v2/clauses.jsonl").open(encoding="utf-8")]
    clauses = [r["clause"] for r in rows]
    t0 = time.perf_counter()
    ref = [[(p.word, p.flag) for p in jieba.posseg.dt.cut(c, HMM=False)] for c in clauses]
    t1 = time.perf_counter()
    fast = [pos_tags(c) for c in clauses]
    t2 = time.perf_counter()
    def digits_m(tags):  # jieba without its HMM tags a digit run eng, rjieba m (the numeral tag)
        return [(w, "m" if w[:1].isdigit() else f) for w, f in tags]

    same_but_digits = sum(a != b and digits_m(a) == digits_m(b) for a, b in zip(ref, fast, strict=True))
    differ = [i for i, (a, b) in enumerate(zip(ref, fast, strict=True)) if digits_m(a) != digits_m(b)]
    words = sum(len(a) for a in ref)
    word_differ = sum(sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))
                      for a, b in zip(ref, fast, strict=True))
    n = len(clauses)
    print(f"part-of-speech tags, no HMM, {n} labelled clauses, {words} words")
    print(f"identical clauses: {n - len(differ) - same_but_digits} of {n}; the same but for digit runs tagged eng "
          f"by jieba and m by rjieba: {same_but_digits}; differing otherwise: {len(differ)} "
          f"({len(differ) / n:.2%}); words differing in all: {word_differ}")
    print(f"jieba.posseg {(t1 - t0):.2f} s, rjieba {(t2 - t1):.2f} s: {(t1 - t0) / (t2 - t1):.0f}x")
    for i in differ[:examples]:
        print("  jieba :", " ".join(f"{w}/{f}" for w, f in ref[i]))
        print("  rjieba:", " ".join(f"{w}/{f}" for w, f in fast[i]))
    return 0


def compare_tags_corpus(every: int) -> int:
    """Part-of-speech parity on corpus sentences, without and with the HMM.

    The sentences of every ``every``-th corpus document, normalised as the pipeline does. Without
    the HMM rjieba is the entity tagger's dictionary pass; with it, the comparison shows why the
    entity tagger keeps jieba.posseg's HMM (rjieba segments first and tags after).
    """
    import jieba.posseg

    from nlp_service.segment.sentences import split_sentences
    from nlp_service.segment.words import pos_tags
    from nlp_service.text.normalize import normalize
    from nlp_service.training.corpus import SOURCES, documents

    sentences = []
    for group in SOURCES:
        for i, (_, text, _) in enumerate(documents(group)):
            if i % every == 0:
                norm = normalize(text).text
                sentences += [norm[a:b] for a, b in split_sentences(norm)]
    chars = sum(map(len, sentences))
    print(f"part-of-speech tags on {len(sentences):,} corpus sentences ({chars:,} characters, "
          f"every {every}th document)")
    for hmm in (False, True):
        t0 = time.perf_counter()
        ref = [[(p.word, p.flag) for p in jieba.posseg.dt.cut(s, HMM=hmm)] for s in sentences]
        t1 = time.perf_counter()
        fast = [pos_tags(s, hmm) for s in sentences]
        t2 = time.perf_counter()
        same = sum(a == [(w, "eng" if f == "m" and w.isascii() and w.isalnum() else f) for w, f in b]
                   for a, b in zip(ref, fast, strict=True))
        print(f"  HMM {'on ' if hmm else 'off'}: identical sentences {same:,} of {len(sentences):,} "
              f"({same / len(sentences):.2%}, digit runs compared as jieba's eng); "
              f"jieba.posseg {chars / (t1 - t0):,.0f} chars/s, rjieba {chars / (t2 - t1):,.0f} chars/s")
    return 0


def _rjieba_version() -> str:
    try:
        from importlib.metadata import version

        return version("rjieba")
    except Exception:  # pragma: no cover - metadata missing
        return "?"


if __name__ == "__main__":
    sys.exit(main())
