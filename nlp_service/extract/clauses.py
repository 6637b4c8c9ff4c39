"""Split a sentence into clauses: the unit that commitments are decided on.

A Chinese policy sentence strings several actions together with commas —
“新的一年，宁波将超常发力抓创新，加快……技术突破，部署……项目200个以上，
力争攻克重大标志性成果20项以上”: each comma piece is one pledge. A clause is
such a piece, cut at ，,：: (sentences already end at 。；！？), with three
repairs no off-the-shelf splitter makes (hanlp and LTP split sentences, not
clauses, and need model weights we may not download):

* a comma inside a short quotation (“投、贷、保、担”, “诊断+提升”) does not cut;
  a long quotation (a speech: “我们将……，实施……工程，……。”) is cut inside,
  because each of its pieces is a pledge of its own;
* a leading piece that carries no predicate of its own — a time or a connective
  (“新的一年，”, “同时，”, “一方面，”, “一是，”, “重点包括：”), a condition
  (“对新认定的高新技术企业，”, “……的，”) or a prepositional frame (“根据……，”,
  “经……审定后，”) — is joined to the piece after it, so that the clause reads on its
  own and a subsidy provision stays one clause with its condition;
* a piece shorter than ``MIN_CHARS`` characters is joined to its neighbour.
"""

from __future__ import annotations

import re

from nlp_service.segment.sentences import QUOTE_CLOSERS, QUOTE_OPENERS
from nlp_service.text.markers import strip_list_marker

_CUT = "，,：:"
_CUT_AT = re.compile(f"[{_CUT}]")
SPEECH_CHARS = 20  # a quotation longer than this is direct speech: cut inside it
MIN_CHARS = 4
_LEAD = re.compile(
    r"^(?:(?:19|20)\d\d年(?:[上下]半年|底|末|初|前|以来|起)?|今年|明年|去年|当年|新的一年|今后(?:一个时期|[一二三四五]年)?|未来[一二三四五两]?年?"
    r"|同时|此外|另外|为此|因此|其中|其次|首先|最后|再次|此后|目前|当前|近年来|近期|总之|总的来看|与此同时|在此基础上|对此|据此|据悉|据了解"
    r"|[一二三四五六七八九十]是|第[一二三四五六七八九十]|一方面|另一方面|具体来看|具体而言|比如|例如|特别是|尤其是"
    r"|从.{1,10}(?:看|来看)|.{1,6}方面"
    r"|(?:对|对于|凡|凡是)[^，,：:]{1,80}(?:的|企业|单位|机构|项目|个人|人员|公司|载体|园区|商户|人才|团队)|[^，,：:]{2,60}的(?:企业|单位|机构|项目|个人|人员)?"  # 对…的，给予…  # noqa: E501
    r"|(?:根据|依据|按照|依照)[^，,：:]{1,40}|(?:经|在)[^，,：:]{1,30}(?:后|後|前|时|期间|之际)"
    r"|.{0,8}(?:包括|如下|主要有|重点有|分别是|主要是|重点是|要求|指出|表示|强调|透露|介绍|说))$"
)




_MARKS = re.compile(f"[（）{QUOTE_OPENERS}{QUOTE_CLOSERS}]")


def _protected(text: str) -> list[bool]:
    """Positions inside a short quotation (where a comma does not cut)."""
    inside = [False] * len(text)
    stack: list[int] = []
    brackets: list[int] = []
    for m in _MARKS.finditer(text):  # only brackets and quotation marks change anything
        i, ch = m.start(), m.group()
        if ch == "（":
            brackets.append(i)
        elif ch == "）" and brackets:
            start = brackets.pop()
            if not brackets:
                for j in range(start + 1, i):
                    inside[j] = True  # a remark in brackets is never cut: （对接部门：区科信局，联系人：……）
        if ch in QUOTE_OPENERS:
            stack.append(i)
        elif ch in QUOTE_CLOSERS and stack:
            start = stack.pop()
            if i - start - 1 <= SPEECH_CHARS:
                for j in range(start + 1, i):
                    inside[j] = True
    return inside


def _between_digits(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _thousands(text: str, i: int) -> bool:
    """A comma that groups the digits of one figure (27,203,319,000元), not one between clauses."""
    return text[i] == "," and _THOUSANDS.match(text, i) is not None


def split_clauses(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Clause spans of one sentence, shifted by ``offset``.

    Example:
        >>> t = "新的一年，宁波将超常发力抓创新，部署“科创甬江2035”重点研发计划项目200个以上，力争攻克成果20项以上。"
        >>> [t[s:e] for s, e in split_clauses(t)]
        ['新的一年，宁波将超常发力抓创新，', '部署“科创甬江2035”重点研发计划项目200个以上，', '力争攻克成果20项以上。']
        >>> t = "构建“投、贷、保、担”联动体系，按1:1配套支持。"
        >>> [t[s:e] for s, e in split_clauses(t)]
        ['构建“投、贷、保、担”联动体系，', '按1:1配套支持。']
        >>> t = "本年收入合计27,203,319,000元，加上上年结转收入3,154,657,000元。"
        >>> [t[s:e] for s, e in split_clauses(t)]
        ['本年收入合计27,203,319,000元，', '加上上年结转收入3,154,657,000元。']

    """
    inside = _protected(text)
    pieces: list[list[int]] = []
    start = 0
    for m in _CUT_AT.finditer(text):
        i, ch = m.start(), m.group()
        if not inside[i] and not (ch in "：:" and _between_digits(text, i)) and not _thousands(text, i):
            end = i + 1
            while end < len(text) and text[end] in QUOTE_CLOSERS + "）)】 ":
                end += 1
            if end > start:
                pieces.append([start, end])
            start = end
    if start < len(text):
        pieces.append([start, len(text)])
    pieces = [p for p in pieces if text[p[0]:p[1]].strip()]
    merged: list[list[int]] = []
    carry: list[int] | None = None
    for piece in pieces:
        body = strip_list_marker(text[piece[0]:piece[1]].strip()).rstrip(_CUT).strip("“”‘’ ")
        lead = bool(_LEAD.match(body)) or len(body) < MIN_CHARS
        if carry is not None:
            piece = [carry[0], piece[1]]
            carry = None
        if lead:
            carry = piece
            continue
        merged.append(piece)
    if carry is not None:
        if merged:
            merged[-1][1] = carry[1]
        else:
            merged.append(carry)
    out = []
    for s, e in merged:
        while s < e and text[s] == " ":
            s += 1
        out.append((s + offset, e + offset))
    return out
