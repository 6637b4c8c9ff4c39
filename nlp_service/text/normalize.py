r"""Normalise raw article text and keep a map back to raw-input offsets.

What changes (each a named rule below):
- line breaks of every kind (CRLF, CR, U+2028/2029, VT, FF) become ``\n``;
- zero-width characters, soft hyphens and control characters are removed;
- full-width ASCII letters and digits become half-width; so do full-width
  ``．，：～`` between digits, ``＋－／`` between letters or digits
  (``１＋Ｎ`` -> ``1+N``) and ``％`` after a digit (``１２．５％`` -> ``12.5%``);
  Chinese punctuation (“”，。：) elsewhere is kept as written;
- whitespace runs fold to one space, and vanish at line ends; a run of two or
  more ideographic or em spaces (U+3000, U+2003) after a sentence end, after a short
  numbered heading (一、…, （一）…) or before one, is an indent that starts a new
  paragraph in texts scraped without line breaks; in a *flat* text (no line break
  at all, :data:`FLAT_MIN_CHARS` or longer: scrapes that collapsed every paragraph
  break into a space) any whitespace run in those places starts a new paragraph;
- the spaces of a figure typeset digit by digit vanish, the one before its unit too
  (``4 9 2 5 0 万吨`` -> ``49250万吨``: three single digits or more, or two before a
  unit), and a middle dot between digits before a percent sign is a decimal point
  (``14·1％`` -> ``14.1%``);
- traditional script is converted to simplified (:mod:`nlp_service.text.script`);
- an HTML page is reduced to its text first (:mod:`nlp_service.text.html`).

Not handled yet: NFKC of rarer compatibility characters (circled digits ①
stay as written, so list markers survive), GBK/GB18030 input (callers decode).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from nlp_service.text.html import html_to_text, looks_like_html
from nlp_service.text.markers import SECTION_START, section_heading_line
from nlp_service.text.script import ScriptDecision, to_simplified

_FW_OFFSET = 0xFEE0  # full-width ASCII block starts at U+FF01 = "!" + 0xFEE0
_TERMINATORS = "。！？；：”」』!?;:"
_INDENT_SPACES = "\u3000\u2003"  # ideographic and em spaces: the indent of a Chinese paragraph
FLAT_MIN_CHARS = 300  # a shorter text without line breaks is one paragraph as written



# a run of the spaces the space rule folds to one; the spaced-figure rules read the same run, so that
# a second pass, which sees one space where this one saw an ideographic space or a tab, reads alike
_SPACE_RUN = r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+"
# One alternative per rule; the group name is the rule's name. The lookahead names every character a
# rule's match can start with: most alternatives open with a lookbehind, which left the regex engine to
# try the whole table at every position of the text (8x slower on the corpus, the same matches)
_RULE_FIRST = ("\r\u2028\u2029\x0b\x0c\x85 \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
               "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff0c\uff1a\uff5e\u00b7\u2022\u30fb\uff0b\uff0d\uff0f"
               "\uff05\uff06")
_RULES = re.compile(
    rf"""(?=[{_RULE_FIRST}])(?:
      (?P<crlf>\r\n)
    | (?P<linebreak>[\r\u2028\u2029\x0b\x0c\x85])
    | (?P<fw_spaced>(?<=[0-9\uff10-\uff19]){_SPACE_RUN}(?:\uff0e(?=[0-9\uff10-\uff19])|\uff05))
    | (?P<space>{_SPACE_RUN})
    | (?P<fw_alnum>[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])
    | (?P<fw_num_punct>(?<=[0-9\uff10-\uff19])[\uff0e\uff0c\uff1a\uff5e](?=[0-9\uff10-\uff19]))
    | (?P<dot_decimal>(?<=[0-9\uff10-\uff19])[\u00b7\u2022\u30fb](?=[0-9\uff10-\uff19]+\s?[%\uff05]))
    | (?P<fw_formula>(?<=[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])
                     [\uff0b\uff0d\uff0f]
                     (?=[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]))
    | (?P<fw_percent>(?<=[0-9\uff10-\uff19])\uff05)
    | (?P<fw_amp>(?<=[A-Za-z\uff21-\uff3a\uff41-\uff5a])\uff06(?=[A-Za-z\uff21-\uff3a\uff41-\uff5a]))
    )""",
    re.VERBOSE,
)
# single digits each followed by one space, three or more of them, or two before a unit: the space
# of a figure typeset digit by digit (4 9 2 5 0 万吨, 1 0 ％, 1 9 9 9 年1 2 月) — not a list (1 2 3 is
# three digits, but a figure only where a unit follows or where at least three stand together)
_D = "[0-9\uff10-\uff19]"
_NOT_INSIDE = rf"(?<![0-9\uff10-\uff19.,．])(?<!{_D}[ \t\u00a0\u3000])"  # a run starts at its first digit
_SPACED_DIGITS = re.compile(  # (?={_D}): both alternatives start with a digit (lets the engine skip to one)
    rf"(?={_D})(?:{_NOT_INSIDE}{_D}(?:{_SPACE_RUN}{_D}){{2,}}(?![0-9\uff10-\uff19])"
    rf"|{_NOT_INSIDE}{_D}{_SPACE_RUN}{_D}(?=(?:{_SPACE_RUN})?[%％万亿千年月日元吨]))"
)
_DIGIT_CHAR = re.compile(_D)
_UNIT_AFTER_SPACE = re.compile(rf"{_SPACE_RUN}(?=[\u4e00-\u9fff%\uff05])")  # the spaces before a spaced figure's unit
# Removed before the other rules run, so that every rule sees the neighbours a second pass over
# the clean text would see ("1\x07：2" must become "1:2" at once, or cleaning is not stable).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]+")
_FW_TABLE = {"\uff0e": ".", "\uff0c": ",", "\uff1a": ":", "\uff0f": "/", "\uff0b": "+", "\uff0d": "-",
             "\uff5e": "~", "\uff05": "%", "\uff06": "&"}


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for every character, its offset in the raw input.

    ``raw_offsets`` has ``len(text) + 1`` entries; ``raw_offsets[i]`` is the
    raw index of ``text[i]`` and the last entry is ``len(raw)``, so a span
    ``(s, e)`` maps to ``(raw_offsets[s], raw_offsets[e - 1] + 1)``. For HTML
    input the raw text is the text extracted from the page.
    """

    text: str
    raw_offsets: array
    script: ScriptDecision
    input_format: str  # "text" | "html"

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to a span of the raw input."""
        if end <= start:
            pos = self.raw_offsets[start]
            return pos, pos
        return self.raw_offsets[start], self.raw_offsets[end - 1] + 1


def normalize(raw: str) -> NormalizedText:
    r"""Normalise one article.

    Example:
        >>> normalize("　　增长１２．５％，\u200b达到“１＋Ｎ”。").text
        '增长12.5%，达到“1+N”。'

    """
    input_format = "text"
    if looks_like_html(raw):
        raw = html_to_text(raw)
        input_format = "html"
    converted, decision = to_simplified(raw)
    text, offsets = _apply_rules(converted)
    return NormalizedText(text, offsets, decision, input_format)


def fold_seam(left: str, right: str) -> tuple[str, str]:
    """Both sides of a rejoined line break, written as normalising the joined text would write them.

    The full-width rules look at both neighbours, so a line break hid them: ``"增长5，" + "6月"``
    becomes ``"增长5," + "6月"``, the form a second normalisation of the clean text would give.
    Only the character on each side of the seam can change (every such rule maps one character to one).

    Example:
        >>> fold_seam("增长5，", "6月")
        ('增长5,', '6月')

    """
    a, b = left[-2:], right[:2]
    window = a + b
    if not a or not b or any(c.isspace() for c in window):
        return left, right
    folded, _ = _apply_visible_rules(window)
    if folded == window or len(folded) != len(window):
        return left, right
    return left[:len(left) - len(a)] + folded[:len(a)], folded[len(a):] + right[len(b):]


def _drop_invisible(src: str) -> tuple[str, array | None]:
    """``src`` without invisible characters, and the raw index of each kept one (None: nothing dropped)."""
    if not _INVISIBLE.search(src):
        return src, None
    kept = array("l")
    pieces: list[str] = []
    pos = 0
    for m in _INVISIBLE.finditer(src):
        pieces.append(src[pos:m.start()])
        kept.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(src[pos:])
    kept.extend(range(pos, len(src)))
    return "".join(pieces), kept


def _apply_rules(raw: str) -> tuple[str, array]:
    src, kept = _drop_invisible(raw)
    text, offsets = _apply_visible_rules(src)
    if kept is None:
        return text, offsets
    kept.append(len(raw))
    return text, array("l", (kept[o] for o in offsets))


def _apply_visible_rules(src: str) -> tuple[str, array]:
    out: list[str] = []
    offsets = array("l")
    last_char = "\n"  # last character emitted, to know whether we are at a line start
    line: list[str] = []  # pieces of the current output line, to recognise a heading line
    pos = 0
    # a flat scrape (all 599 articles of the 2020 policy Q&A corpus) keeps its paragraph breaks as
    # single spaces; there a space after a sentence end or around a numbered heading is a break
    flat = len(src) >= FLAT_MIN_CHARS and not any(c in src for c in "\n\r\u2028\u2029\x0b\x0c\x85")
    # a figure typeset digit by digit (粮食总产量稳定在4 9 2 5 0 万吨, 1 9 9 9 年): its spaces are dropped
    # and so is the space between it and its unit (4 9 2 5 0 万吨 -> 49250万吨)
    in_figure: set[int] = set()
    for m in _SPACED_DIGITS.finditer(src):
        unit = _UNIT_AFTER_SPACE.match(src, m.end())
        in_figure.update(i for i in range(m.start(), unit.end() if unit else m.end()) if not _DIGIT_CHAR.match(src[i]))

    def emit(piece: str, raw_start: int, one_to_one: bool) -> None:
        nonlocal last_char
        if not piece:
            return
        out.append(piece)
        if "\n" in piece:
            line.clear()
            piece_tail = piece.rsplit("\n", 1)[1]
            if piece_tail:
                line.append(piece_tail)
        else:
            line.append(piece)
        if one_to_one:
            offsets.extend(range(raw_start, raw_start + len(piece)))
        else:
            offsets.extend([raw_start] * len(piece))
        last_char = piece[-1]

    for m in _RULES.finditer(src):
        if m.start() > pos:
            emit(src[pos:m.start()], pos, True)
        rule = m.lastgroup
        s = m.start()
        if rule in ("crlf", "linebreak"):
            emit("\n", s, False)
        elif rule == "space" and s in in_figure:
            pass
        elif rule == "space":
            nxt = src[m.end()] if m.end() < len(src) else "\n"
            at_edge = last_char == "\n" or nxt in "\r\n\u2028\u2029"
            if at_edge:
                pass
            elif (flat or sum(m.group().count(c) for c in _INDENT_SPACES) >= 2) and (
                    last_char in _TERMINATORS or SECTION_START.match(src, m.end())
                    or section_heading_line("".join(line))):
                emit("\n", s, False)  # an indent inside a line: a new paragraph (after a sentence or a heading)
            else:
                emit(" ", s, False)
        elif rule == "fw_spaced":  # a scan's space inside a figure (经济增长8 ．8 ％): 8.8%
            emit(_FW_TABLE[m.group()[-1]], m.end() - 1, True)
        elif rule == "fw_alnum":
            emit(chr(ord(m.group()) - _FW_OFFSET), s, True)
        elif rule == "dot_decimal":  # a middle dot as the decimal point of a rate (增长14·1％): 14.1%
            emit(".", s, True)
        else:  # fw_num_punct, fw_formula, fw_percent, fw_amp
            emit(_FW_TABLE[m.group()], s, True)
        pos = m.end()
    if pos < len(src):
        emit(src[pos:], pos, True)
    offsets.append(len(src))
    return "".join(out), offsets
