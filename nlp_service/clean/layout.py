"""Rejoin paragraphs that a page layout broke in the middle of a sentence.

Newspaper pages extracted to text break paragraphs at column ends
(“形成以宁” | “波大学…”) and sometimes move the continuation elsewhere on the
page (“走好“开” … “放路”：…”). Wrong joins are worse than missed ones, so a
join needs positive evidence, each kind named in the result:

- ``word_across_break``: a dictionary word spans the junction (宁|波 -> 宁波);
  dictionary words only (no HMM guesses);
- ``unbalanced_quote``: the head opens a quotation that the tail closes;
- ``open_sentence``: the head's last sentence is under way (it carries
  sentence-internal punctuation ，、： or an unclosed quotation, is at least
  :data:`MIN_OPEN_SENTENCE` characters long and is no "label：title" line such
  as 应用七：辅助稽查办案) and the tail ends that sentence;
- ``trailing_comma``: the head ends in ， or 、;
- ``open_mark``: the head ends by opening a quotation, a title or a bracket
  (认真执行《 | 民族区域自治法): no paragraph ends that way;
- ``closes_mark``: the tail starts by closing the mark the head left open
  (…执行《民族区域自治法 | 》，…); a tail that starts with a closing mark is
  joined only on this evidence;
- ``wrapped_line``: the text is hard-wrapped (a PDF's lines: :func:`wrap_width`)
  and the head's last line is as wide as the page, carries punctuation (a table's
  rows are as wide and carry none) and ends mid-sentence;
- ``leading_punctuation``: the tail starts with ，、；： (法律 | 、 | 法规 | ，国家机关…):
  no sentence starts so;
- ``across_page_number`` (with ``wrapped_line``): a page number stands between
  a wrapped line and its continuation (…在增强和提 | 3 | 升社区服务…); the
  page number stays a paragraph of its own, after the joined one;
- ``short_fragment`` (beside another kind): the tail is a few characters without
  punctuation (广义货币M | 2 | 增长11.3%，…) that show no evidence alone, and the
  evidence was read on it together with the line after it;
- ``figure_across_break``: a figure's number ends the head and its unit starts
  the tail (国内生产总值达到74.4 | 万亿元，…), read by the quantity grammar of
  :mod:`nlp_service.extract.quantities`; the head's last sentence is under way
  (as for ``open_sentence``, :data:`MIN_OPEN_SENTENCE` characters) and the tail
  ends it or runs on (hard-wrapped lines).

Adjacent paragraphs (duplicates between them skipped) are joined on any one
piece of evidence when the head ends without a sentence end (or by opening a
mark) and the tail does not start like a new paragraph (list markers, headings,
dashes, quotes — a quotation, title or bracket may start the next line of
hard-wrapped prose; a closing mark or ，、；： always continues); bylines,
sources, dates and page numbers (来源：…, 撰文 …, 2017-10-27, 26) are never joined
(a number alone after a Latin letter is a subscript, not a page number). A head
that leaves a quotation open is only joined to a tail that closes one, unless the
head opened it at its very end, the line is wrapped prose, or the tail starts
with ，、；：.
A *displaced* tail (one that starts by closing a quotation it never opened)
is joined to a head elsewhere only with both ``unbalanced_quote`` and
``word_across_break``, and only when the pairing is unambiguous: heads and tails
are paired by elimination, one candidate at a time; anything still ambiguous
stays apart.

Not handled yet: displaced continuations without quotation marks (the
sample's “市各类企业R&D经费…” has lost its head), breaks inside headings, a
wrapped line that happens to end a sentence where its paragraph goes on (left
apart), table cells wrapped within a row of a wrapped page.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from nlp_service.extract.quantities import find_quantities
from nlp_service.segment.sentences import QUOTE_CLOSERS, QUOTE_OPENERS
from nlp_service.text.markers import ELLIPSIS, SENTENCE_END_CHARS

MIN_OPEN_SENTENCE = 6
MAX_FRAGMENT = 6  # a line this short without punctuation is read with the line after it
# hard-wrapped text (wrap_width): how many body lines, and what share, must lie near one width
MIN_WRAPPED_LINES = 10
MIN_WRAPPED_SHARE = 0.4
WRAP_SLACK = 6  # columns (three wide characters) either side of the most common width
MIN_WRAP_COLUMNS = 30  # narrower "lines" are list items or table cells, not a page's text width
_SENTENCE_END = re.compile(f"[{SENTENCE_END_CHARS}{ELLIPSIS}]")  # an open sentence may end in …
_INTERNAL_PUNCT = re.compile(r"[，、：,:]")
# 应用七：辅助稽查办案 — a short "label：title" line is a heading, not a sentence under way.
_LABEL_LINE = re.compile(r"^[^，、：,:。！？；]{1,8}[：:][^，、：,:。！？；]{1,16}$")
# A tail that begins like this starts a new paragraph, not a continuation.
_NEW_PARAGRAPH = re.compile(
    r"""
      [一二三四五六七八九十]+、          # 一、
    | [（(][一二三四五六七八九十0-9]+[）)] # （一） (1)
    | [0-9]+[.、．)]                     # 1. 1、
    | 第[一二三四五六七八九十百0-9]+[条章节] # 第一条
    | [—\-–●○■□◆◇★☆•·※>#“‘「『]         # dashes, bullets, opening quotes
    """,
    re.VERBOSE,
)
_WORD_CHAR = re.compile(r"[\w]")
# Bylines, sources and dates: lines that stand alone, never halves of a sentence.
_PAGE_NUMBER = r"^[-—–·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?[-—–·\s]*$"  # 26, - 3 -, — 4 —, 第5页
_METADATA_LINE = re.compile(  # the lookahead: the first characters of the words, a date or a page number
    r"(?=[来发作责撰记通摄图字\d\-—–·\s第])(?:(?:来源|发布时间|发布日期|发文日期|作者|责任编辑|撰文|记者|通讯员|摄影|图片|字号)[：:\s]"
    r"|^\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?(?:\s|$|来源)"
    rf"|{_PAGE_NUMBER})"
)
_PAGE_LINE = re.compile(_PAGE_NUMBER)

# Marks that open and close: quotations, titles (《》), brackets. A paragraph never ends with an opener.
_MARK_PAIRS = dict(zip(QUOTE_OPENERS + "《〈（(", QUOTE_CLOSERS + "》〉）)", strict=True))
_MARK_CLOSERS = {close: open_ for open_, close in _MARK_PAIRS.items()}

# a table row of a wrapped page: its number, a space, then a code or another number (119 C石化…, 110 8 可编…)
_ROW_START = re.compile(r"\d+\s+(?:[A-Za-z]|\d)")
_DOTTED_NUMBER = re.compile(r"\d+(?:\.\d+)+\s")  # 3.2.3.3 数据交换
# the main blocks of East Asian width W and F (unicodedata.east_asian_width per character cost
# a fifth of the whole layout step): CJK, kana, Hangul, full-width forms
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_NEVER_FIRST = "，、；：,;:"  # punctuation that never opens a sentence: a line that starts with it continues
_SUBSCRIPT = re.compile(r"\d{1,2}(?:\.\d)?")
_LATIN_END = re.compile(r"[A-Za-z]$")

WordAcross = Callable[[str, str], "str | None"]


@dataclass(frozen=True, slots=True)
class Join:
    """Paragraph ``tail`` continues paragraph ``head`` (indices of input paragraphs)."""

    head: int
    tail: int
    displaced: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Piece:
    """A paragraph as layout repair sees it."""

    index: int
    text: str
    heading: bool


def _quote_balance(text: str) -> int:
    return sum(text.count(c) for c in QUOTE_OPENERS) - sum(text.count(c) for c in QUOTE_CLOSERS)


def _closes_unopened(text: str) -> bool:
    """True when the text closes a quotation before opening any (a displaced tail)."""
    depth = 0
    for ch in text:
        if ch in QUOTE_OPENERS:
            depth += 1
        elif ch in QUOTE_CLOSERS:
            depth -= 1
            if depth < 0:
                return True
    return False


def _ends_open(text: str) -> bool:
    last = text[-1]
    return bool(_WORD_CHAR.match(last)) or last in "，、,“‘"


def _starts_as_continuation(text: str) -> bool:
    return bool(_WORD_CHAR.match(text[0])) and not _NEW_PARAGRAPH.match(text)


def _last_open_mark(text: str) -> str | None:
    """The innermost mark ``text`` leaves open (“, 《, （ …), if any; a mismatched closer is ignored."""
    stack: list[str] = []
    for ch in text:
        if ch in _MARK_PAIRS:
            stack.append(ch)
        elif ch in _MARK_CLOSERS and stack and stack[-1] == _MARK_CLOSERS[ch]:
            stack.pop()
    return stack[-1] if stack else None


def _closes_mark(head: str, tail: str) -> bool:
    """Whether ``tail`` starts by closing the mark ``head`` left open (…执行《民族区域自治法 | 》，…)."""
    if tail[:1] not in _MARK_CLOSERS:
        return False
    opened = _last_open_mark(head)
    return opened is not None and tail[:1] == _MARK_PAIRS[opened]


def _figure_across(head: str, tail: str) -> bool:
    """Whether a figure's number ends ``head`` and its unit starts ``tail`` (达到74.4 | 万亿元)."""
    if not head[-1].isdigit():
        return False
    left = head[-16:]
    return any(q.number_start < len(left) < q.end for q in find_quantities(left + tail[:12]))


def _width(text: str) -> int:
    """Display width: two columns for a wide character (CJK, full-width forms), one for the rest."""
    return 2 * len(text) - len(_WIDE.sub("", text))  # the wide characters count twice


def wrap_width(pieces: list[Piece]) -> int | None:
    """The width a hard-wrapped text (a PDF's lines) was wrapped at, or None when it is not wrapped.

    Wrapped when at least :data:`MIN_WRAPPED_LINES` body lines, and :data:`MIN_WRAPPED_SHARE` of
    them, lie within a few columns of the most common width (justified lines vary by a little:
    half-width digits, squeezed punctuation); paragraphs of a text that is not wrapped vary far more.
    """
    widths = [_width(p.text) for p in pieces if not p.heading]
    if len(widths) < MIN_WRAPPED_LINES:
        return None
    mode = Counter(widths).most_common(1)[0][0]
    near = sum(mode - WRAP_SLACK <= w <= mode + WRAP_SLACK for w in widths)
    if mode < MIN_WRAP_COLUMNS or near < MIN_WRAPPED_LINES or near < MIN_WRAPPED_SHARE * len(widths):
        return None
    return mode


def _wrapped(line: str, following: str, wrap: int) -> bool:
    """Whether ``line`` of a text wrapped at ``wrap`` columns runs on into ``following``.

    It is as wide as the page, ends mid-sentence and carries punctuation (a line of prose: a
    table's rows are as wide, end in a code and carry none); neither it nor ``following`` starts
    a table row (119 C石化…, 5 AI工业网络…) and ``line`` ends with no numbered heading of its own.
    """
    return _width(line) >= wrap - WRAP_SLACK and _ends_open(line) and _is_prose(line) \
        and not _ROW_START.match(line) and not _ROW_START.match(following) and not _heading_at_end(line)


def _is_prose(line: str) -> bool:
    """Whether a line carries punctuation, as a line of running text does (a title or caption does not)."""
    return (_INTERNAL_PUNCT.search(line) or _SENTENCE_END.search(line)) is not None


def _heading_at_end(line: str) -> bool:
    """Whether a line ends with a numbered heading of its own (…访问。3.2.3.3 数据交换, …。（二）基本原则)."""
    last = _last_sentence(line).strip()
    number = _NEW_PARAGRAPH.match(last) or _DOTTED_NUMBER.match(last)
    return number is not None and not _INTERNAL_PUNCT.search(last, number.end())


def _is_fragment(text: str) -> bool:
    """A few characters with no punctuation: a subscript (M | 2), a quoted word (“ | 十三五 | ”)."""
    return len(text) <= MAX_FRAGMENT and not _INTERNAL_PUNCT.search(text) and not _SENTENCE_END.search(text)


def _last_sentence(text: str) -> str:
    ends = list(_SENTENCE_END.finditer(text))
    return text[ends[-1].end():] if ends else text


def _evidence(head: str, tail: str, word_across: WordAcross) -> list[str]:
    found = []
    word = word_across(head, tail)
    if word:
        found.append(f"word_across_break:{word}")
    if _quote_balance(head) > 0 and _closes_unopened(tail):
        found.append("unbalanced_quote")
    last = _last_sentence(head)
    if (
        len(last) >= MIN_OPEN_SENTENCE
        and (_INTERNAL_PUNCT.search(last) or _quote_balance(last) > 0)
        and not _LABEL_LINE.match(last)
        and _SENTENCE_END.search(tail)
    ):
        found.append("open_sentence")
    if head[-1] in "，、,":
        found.append("trailing_comma")
    if head[-1] in _MARK_PAIRS:
        found.append("open_mark")
    if _closes_mark(head, tail):
        found.append("closes_mark")
    if len(last) >= MIN_OPEN_SENTENCE and (_SENTENCE_END.search(tail) or _ends_open(tail)) \
            and _figure_across(head, tail):
        found.append("figure_across_break")  # 附件1 | 名词解释 is a label and its title, no figure
    return found


def find_broken_paragraphs(pieces: list[Piece], word_across: WordAcross) -> list[Join]:
    """Joins to make among ``pieces`` (the kept paragraphs, in input order).

    Joins chain: a tail can itself be the head of the next join. Every join's
    ``head`` is the first paragraph of its chain.

    Example:
        >>> from nlp_service.segment.words import WordSegmenter
        >>> seg = WordSegmenter()
        >>> ps = [Piece(0, "着眼大创新，形成以宁", False), Piece(1, "波大学为引领的体系。", False)]
        >>> find_broken_paragraphs(ps, seg.word_across)[0].evidence
        ('word_across_break:宁波大学', 'open_sentence')

    """
    joins: list[Join] = []
    head_of: dict[int, int] = {}
    text_of = {p.index: p.text for p in pieces}
    wrap = wrap_width(pieces)
    # Adjacent joins.
    for k, (prev, nxt) in enumerate(itertools.pairwise(pieces)):
        after = pieces[k + 2] if k + 2 < len(pieces) else None
        # a number alone after a Latin letter is a subscript (广义货币M | 2, PM | 2.5), not a page number
        subscript = _SUBSCRIPT.fullmatch(nxt.text) is not None and _LATIN_END.search(prev.text) is not None
        if wrap is not None and after is not None and _PAGE_LINE.match(nxt.text) and not prev.heading \
                and not after.heading and _wrapped(prev.text, after.text, wrap) \
                and _starts_as_continuation(after.text) and _is_prose(after.text) and not subscript \
                and not (_METADATA_LINE.search(prev.text) and prev.index not in head_of):
            # 革，充分发挥模式创新在增强和提 | 3 | 升社区服务…: a page break inside a wrapped paragraph;
            # the paragraph runs on past its page number, which stays a paragraph of its own
            head = head_of.get(prev.index, prev.index)
            joins.append(Join(head, after.index, False, ("wrapped_line", "across_page_number")))
            head_of[after.index] = head
            text_of[head] += after.text
            continue
        if prev.heading or nxt.heading or (_METADATA_LINE.search(prev.text) and prev.index not in head_of) or (
                _METADATA_LINE.search(nxt.text) and not subscript):
            continue
        head = head_of.get(prev.index, prev.index)
        head_text = text_of[head]
        opener = head_text[-1] in _MARK_PAIRS  # the tail is what the head opened: 认真执行《 | 民族区域自治法
        closes = _closes_mark(head_text, nxt.text)
        # a line as wide as the page, ending mid-sentence, runs on to the next (which may open a quotation)
        wrapped = wrap is not None and _wrapped(prev.text, nxt.text, wrap)
        punctuated = nxt.text[0] in _NEVER_FIRST  # ，国家机关的决议…: no sentence starts with a comma
        continues = _starts_as_continuation(nxt.text) or subscript or punctuated or (  # 2.5: no list marker
            wrapped and (nxt.text[0] in QUOTE_OPENERS + "《"
                         or (nxt.text[0] in "（(" and not _NEW_PARAGRAPH.match(nxt.text))))  # not （一）
        if not (_ends_open(head_text) or opener) or not (continues or closes):
            continue
        if _quote_balance(head_text) > 0 and not _closes_unopened(nxt.text) and not (opener or wrapped or punctuated):
            continue  # the head left a quotation open and this paragraph does not close it
        evidence = _evidence(head_text, nxt.text, word_across)
        if wrapped:
            evidence.append("wrapped_line")
        if punctuated:
            evidence.append("leading_punctuation")
        if not evidence and _is_fragment(nxt.text) and after is not None and not after.heading \
                and not _METADATA_LINE.search(after.text) \
                and (_starts_as_continuation(after.text) or _closes_mark(head_text + nxt.text, after.text)):
            # 广义货币M | 2 | 增长11.3%，…。: a subscript or quoted word on a line of its own is read
            # with the line after it, which must finish the sentence for open_sentence to hold
            evidence = [*_evidence(head_text, nxt.text + after.text, word_across), "short_fragment"]
        if not continues and "closes_mark" not in evidence:
            continue
        if evidence == ["short_fragment"]:
            continue
        if evidence:
            joins.append(Join(head, nxt.index, False, tuple(evidence)))
            head_of[nxt.index] = head
            text_of[head] = head_text + nxt.text
    # Displaced tails: whole chains (after adjacent joins) are the units now.
    units = [p for p in pieces if p.index not in head_of and not p.heading and not _METADATA_LINE.search(p.text)]
    heads = [u.index for u in units if _quote_balance(text_of[u.index]) > 0 and _ends_open(text_of[u.index])]
    tails = [u.index for u in units
             if _starts_as_continuation(text_of[u.index]) and _closes_unopened(text_of[u.index])]
    candidates: dict[int, dict[int, tuple[str, ...]]] = {}
    for h in heads:
        for t in tails:
            if h == t:
                continue
            ev = _evidence(text_of[h], text_of[t], word_across)
            if "unbalanced_quote" in ev and any(e.startswith("word_across_break") for e in ev):
                candidates.setdefault(h, {})[t] = tuple(ev)
    for h, t, pair_ev in _pair_by_elimination(candidates):
        joins.append(Join(h, t, True, pair_ev))
    return joins


def _pair_by_elimination(
    candidates: dict[int, dict[int, tuple[str, ...]]],
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Pair heads with tails one forced choice at a time.

    A head with a single candidate tail takes it, unless another head also has
    that tail as its only candidate (then both stay apart). The taken tail is
    removed from every other head's options, which may force the next choice.
    """
    cands = {h: dict(ts) for h, ts in candidates.items() if ts}
    pairs: list[tuple[int, int, tuple[str, ...]]] = []
    while True:
        forced = None
        for h, ts in cands.items():
            if len(ts) != 1:
                continue
            (t,) = ts
            rivals = [o for o, ots in cands.items() if o != h and t in ots]
            if all(len(cands[o]) > 1 for o in rivals):
                forced = (h, t, ts[t])
                break
        if forced is None:
            return pairs
        h, t, _ev = forced
        pairs.append(forced)
        del cands[h]
        for other in cands.values():
            other.pop(t, None)
        cands = {o: ts for o, ts in cands.items() if ts}
