"""Word segmentation with jieba and the policy user dictionary.

The dictionary ``resources/policy_words.tsv`` (mined from the government texts
of the corpus by ``scripts/mine_policy_words.py``, curated by hand; every entry
names a source document) is added to a private ``jieba.Tokenizer`` so that
policy terms (新质生产力, 规上工业企业, 研值在线 ...) stay whole.

``rjieba`` (the jieba-rs binding, about ten times faster) is the fast path,
and the default; ``NLPS_TOKENIZER=jieba`` selects the reference. Raw, its cuts differ from jieba's in
1.5% of corpus sentences, all in ASCII runs such as ``2011-2015``; with the
re-cut below they are identical on every sentence of the corpus (figures in
``benchmarks/bench_rjieba_parity.py`` and the README).

Not handled yet: part-of-speech tags (jieba.posseg is several times slower).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from nlp_service import resources

if TYPE_CHECKING:
    from nlp_service.document import Token

POLICY_WORDS = "policy_words.tsv"


@dataclass(frozen=True, slots=True)
class DictionaryEntry:
    """One user-dictionary word."""

    word: str
    freq: int
    tag: str


def load_policy_words() -> list[DictionaryEntry]:
    """The curated policy dictionary, or an empty list if it is not shipped."""
    if not resources.exists(POLICY_WORDS):
        return []
    return [DictionaryEntry(r["word"], int(r["freq"]), r["tag"]) for r in resources.read_tsv(POLICY_WORDS)]


class _Backend(Protocol):
    def cut(self, text: str, hmm: bool) -> list[str]: ...

    def cut_for_search(self, text: str) -> list[str]: ...

    def has_word(self, word: str) -> bool: ...


class _JiebaBackend:
    def __init__(self, entries: list[DictionaryEntry]) -> None:
        import jieba  # lazily: loading the dictionary takes about a second

        jieba.setLogLevel(logging.WARNING)
        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        for e in entries:
            self._tok.add_word(e.word, e.freq, e.tag)

    def cut(self, text: str, hmm: bool) -> list[str]:
        return list(self._tok.cut(text, HMM=hmm))

    def cut_for_search(self, text: str) -> list[str]:
        return list(self._tok.cut_for_search(text))

    def has_word(self, word: str) -> bool:
        return bool(self._tok.FREQ.get(word))


# jieba 0.42.1 cuts a run of ASCII letters/digits joined by punctuation (2011-2015,
# 163.com, A.B.C) with this pattern (jieba.finalseg.re_skip, plus the single
# punctuation between); jieba-rs keeps the run whole. Re-cutting such runs the
# jieba way makes rjieba's output identical to jieba's on the whole corpus
# (benchmarks/bench_rjieba_parity.py); written here because neither library
# exposes the option.
_JIEBA_ASCII_PIECES = re.compile(r"[a-zA-Z0-9]+(?:\.\d+)?%?|[^a-zA-Z0-9]+")
_JOINED_ASCII_RUN = re.compile(r"[a-zA-Z0-9][^a-zA-Z0-9]|[^a-zA-Z0-9][a-zA-Z0-9]")
# the same junction with both sides ASCII, searched in the whole text: an ASCII word that has a junction
# has it in the text too (9 paragraphs in 10 of policy text have none)
_ASCII_PAIR = re.compile(r"[a-zA-Z0-9][\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
                         r"|[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f][a-zA-Z0-9]")


class _RJiebaBackend:
    def __init__(self, entries: list[DictionaryEntry]) -> None:
        import rjieba

        if not entries:  # the default dictionary alone: one shared copy (loading one takes 0.2 s)
            self._tok = _rjieba_default()
            return
        self._tok = rjieba.Jieba()
        for e in entries:
            self._tok.add_word(e.word, e.freq, e.tag)

    def cut(self, text: str, hmm: bool) -> list[str]:
        words = self._tok.cut(text, hmm=hmm)
        if not _ASCII_PAIR.search(text):  # no word of the text can be a joined ASCII run: nothing to re-cut
            return words
        out: list[str] = []
        for word in words:
            if len(word) > 1 and word.isascii() and _JOINED_ASCII_RUN.search(word) and not self._tok.has_word(word):
                out.extend(_JIEBA_ASCII_PIECES.findall(word))
            else:
                out.append(word)
        return out

    def cut_for_search(self, text: str) -> list[str]:
        return list(self._tok.cut_for_search(text, hmm=True))

    def has_word(self, word: str) -> bool:
        return bool(self._tok.has_word(word))


class WordSegmenter:
    """Cuts text into word spans; safe to share between threads once built."""

    def __init__(self, backend: str = "rjieba", entries: list[DictionaryEntry] | None = None) -> None:
        entries = load_policy_words() if entries is None else entries
        if backend == "jieba":
            self._backend: _Backend = _JiebaBackend(entries)
        elif backend == "rjieba":
            self._backend = _RJiebaBackend(entries)
        else:
            raise ValueError(f"unknown tokenizer {backend!r}; use 'jieba' or 'rjieba'")
        self.backend = backend
        self.dictionary_size = len(entries)

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` (HMM on for unknown words), whitespace included."""
        return self._backend.cut(text, True)

    def cut_for_search(self, text: str) -> list[str]:
        """Search-mode words: every word plus the dictionary words inside long ones (人才引进 → 人才 引进 人才引进)."""
        return self._backend.cut_for_search(text)

    def spans(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        """Word spans of ``text`` shifted by ``offset``; whitespace is not a word.

        Example:
            >>> seg = WordSegmenter()
            >>> t = "培育发展新质生产力"
            >>> [t[s:e] for s, e in seg.spans(t)]
            ['培育', '发展', '新质生产力']

        """
        return [(s, e) for s, e, _ in self.words_at(text, offset)]

    def words_at(self, text: str, offset: int = 0) -> list[Token]:
        """Each word of ``text`` as a :class:`~nlp_service.document.Token` (start, end, word), shifted by ``offset``.

        Whitespace is not a word.
        """
        from nlp_service.document import Token

        out: list[Token] = []
        new = tuple.__new__  # Token._make without its length check: an article has thousands of words
        pos = offset
        for word in self._backend.cut(text, True):
            end = pos + len(word)
            if not word.isspace():
                out.append(new(Token, (pos, end, word)))
            pos = end
        return out

    def word_across(self, left: str, right: str, context: int = 4) -> str | None:
        """A dictionary word that spans the junction of ``left`` and ``right``.

        Evidence that a paragraph break cut a word in two: 形成以宁 | 波大学 -> 宁波.
        Only dictionary words count (HMM off), so a guess never joins paragraphs.
        """
        a, b = left[-context:], right[:context]
        if not a or not b:
            return None
        pos = 0
        for word in self._backend.cut(a + b, False):
            end = pos + len(word)
            if pos < len(a) < end and len(word) >= 2 and self._backend.has_word(word):
                return word
            pos = end
        return None


@lru_cache(maxsize=1)
def pos_tagger():
    """Jieba's part-of-speech tagger (shared by entities and commitment fields), loaded once."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    folder = private_cache_dir()
    posseg = _import_posseg(folder)
    _initialize(posseg.dt.tokenizer, folder)
    return posseg.dt


def _import_posseg(folder: Path | None) -> Any:
    """``import jieba.posseg``, its word-tag table read from a cache in ``folder`` when there is one.

    At import jieba.posseg parses its 349,046-line dictionary into a word → tag table (about 0.15 s,
    a tenth of building the pipeline). With a cache of that table in ``folder`` (a private folder, as for
    :func:`_initialize`; keyed by jieba's version and the dictionary file's size and time), the
    import reads an empty dictionary and the table is filled from the cache, read in one piece: the
    same table (``tests/test_segment.py``). Without one, jieba parses as usual and the cache is
    written.
    """
    import io
    import marshal
    import sys

    import jieba

    if "jieba.posseg" in sys.modules or folder is None:
        import jieba.posseg

        return jieba.posseg
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        st = dictionary.stat()
        key = (jieba.__version__, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    cache = folder / "jieba-posseg-tags.marshal"
    table = None
    try:  # a file in a folder only this user can write: marshal reads what this function wrote there
        stored_key, stored = marshal.loads(cache.read_bytes())  # noqa: S302
        if key is not None and tuple(stored_key) == key and isinstance(stored, dict):
            table = stored
    except (OSError, ValueError, EOFError, TypeError):
        pass
    if table is None:
        import jieba.posseg

        if key is not None:
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            try:
                tmp.write_bytes(marshal.dumps((key, jieba.posseg.dt.word_tag_tab)))
                os.replace(tmp, cache)
            except OSError:
                tmp.unlink(missing_ok=True)
        return jieba.posseg
    default_dict_file = jieba.Tokenizer.get_dict_file
    jieba.Tokenizer.get_dict_file = lambda self: io.BytesIO()
    try:
        import jieba.posseg
    finally:
        jieba.Tokenizer.get_dict_file = default_dict_file
    jieba.posseg.dt.word_tag_tab.update(table)
    return jieba.posseg


def private_cache_dir() -> Path | None:
    """A folder for caches derived from installed data that only this user can write, or None.

    ``$XDG_CACHE_HOME/nlp_service`` (default ``~/.cache/nlp_service``), created with mode 0700; None
    when it cannot be created or is not private (owned by another user, writable by others).
    """
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nlp_service"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return folder if st.st_uid == os.getuid() and not st.st_mode & 0o022 else None


def _initialize(tokenizer: Any, folder: Path | None) -> None:
    """``tokenizer.initialize()`` for jieba's default dictionary, its cache kept in ``folder`` and read fast.

    jieba keeps its prefix-dictionary cache, ``jieba.cache``, in the shared temporary folder
    (where any local user can plant one, and where another user's cache cannot be read or
    replaced) and reads it with ``marshal.load(file)``, which in CPython calls the file's ``readinto`` once for
    each of half a million strings: 0.8–1.2 s of the service's start, against 0.3 s for
    ``marshal.loads`` of the file's bytes, the same objects. Here the cache lives in ``folder``, a
    private folder (:func:`private_cache_dir`), and is read in one piece. When it is missing or
    unreadable, or there is no private folder, jieba initialises itself (building the dictionary
    and writing its cache, into ``folder`` when there is one).
    """
    import marshal

    import jieba

    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT or folder is None:
        tokenizer.check_initialized()
        return
    tokenizer.tmp_dir = str(folder)
    try:  # a file in a folder only this user can write: marshal reads what jieba wrote there
        freq, total = marshal.loads((folder / "jieba.cache").read_bytes())  # noqa: S302
    except (OSError, ValueError, EOFError, TypeError):
        tokenizer.check_initialized()
        return
    with tokenizer.lock:
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True


@lru_cache(maxsize=1)
def _rjieba_default():
    import rjieba

    return rjieba.Jieba()  # jieba's default dictionary, as jieba.posseg uses it


def pos_tags(text: str, hmm: bool = False) -> list[tuple[str, str]]:
    """(word, tag) pairs of ``text`` from the dictionary alone, by rjieba (jieba-rs): jieba's tag set.

    jieba.posseg in pure Python cost two thirds of reading the commitment fields. Without the HMM,
    both tag the 3,757 labelled clauses of guide commitments-v2 alike but for digit runs (jieba:
    ``eng``, rjieba: ``m``, the numeral tag) and rjieba is 7 times faster on them
    (``benchmarks/bench_rjieba_parity.py --tags``); an unknown run stays single characters.

    >>> pos_tags("技术交易额突破900亿元")
    [('技术', 'n'), ('交易额', 'n'), ('突破', 'vn'), ('900', 'm'), ('亿元', 'm')]

    """
    return _rjieba_default().tag(text, hmm)
