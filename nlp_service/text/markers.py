"""The form of Chinese text, asked in one place: Han characters, sentence ends, headings, list markers.

Every component that asks "is this a Han character", "does this line end a sentence", "is this a
numbered heading" or "does this paragraph open with a list number" asks here, so that one rule has
one answer across the normaliser, the paragraph splitter, layout repair, clause splitting,
commitments and the store. Each rule is named; the paragraph splitter records on every
:class:`~nlp_service.document.Paragraph` which heading rule and which list marker it matched, so
later components read the name instead of matching the text again.

Written by hand: these are the numbering conventions of Chinese official documents (GB/T
9704-2012 §7.3.3: 一、 （一） 1. （1）; articles 第X条; enumerations 一是…二是…), which no
library models.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


_P = TypeVar("_P", bound=_HasText)

# -- characters ------------------------------------------------------------------------------------
# CJK Unified Ideographs, Extension A and the compatibility block
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_RANGES}]")


def han_count(text: str) -> int:
    """Number of Han characters in ``text``."""
    return len(text) - len(HAN.sub("", text))  # the characters removed: no list of them made (findall)


def has_han(text: str) -> bool:
    """Whether ``text`` holds any Han character."""
    return HAN.search(text) is not None


# -- years ----------------------------------------------------------------------------------------
# the title of a document a text names in 《》 (cited plans, laws, books): what it says is that document's
CITED_TITLE = re.compile(r"《[^《》]{1,80}》")


def cited_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each cited title of ``text``: :func:`in_spans` asks whether a position lies inside one."""
    return [m.span() for m in CITED_TITLE.finditer(text)] if "《" in text else []


def in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies strictly inside one of ``spans`` (after its opening mark, before its closing one)."""
    return any(a < pos < b for a, b in spans)

YEAR = re.compile(r"(?=[12])(?<!\d)((?:19|20)\d\d)(?!\d)")  # a four-digit year of 1900–2099
# a year in Chinese numerals, as old reports write them (一九五八, 二〇〇五), and its digits
NUMERAL_DIGIT_CHARS = "〇○零一二三四五六七八九"  # the characters of a year in numerals, 0 to 9
NUMERAL_CHARS = NUMERAL_DIGIT_CHARS + "十百千万"  # … and of any number in numerals
NUMERAL_YEAR = rf"(?:一九[{NUMERAL_DIGIT_CHARS}]{{2}}|二[〇○零][{NUMERAL_DIGIT_CHARS}]{{2}})"
NUMERAL_DIGITS = str.maketrans(NUMERAL_DIGIT_CHARS, "000123456789")
_NUMERAL_YEAR_SAID = re.compile(rf"(?=[一二])(?<![{NUMERAL_CHARS}])({NUMERAL_YEAR})年")  # (?=: its first characters


def numeral_years_as_digits(text: str) -> str:
    """``text`` with every year written in Chinese numerals in digits (在一九五八年 -> 在1958年).

    >>> numeral_years_as_digits("一九五八年和二〇〇五年，三千九百年")
    '1958年和2005年，三千九百年'
    """
    return _NUMERAL_YEAR_SAID.sub(lambda m: m.group(1).translate(NUMERAL_DIGITS) + "年", text)


# -- years said relative to the text's own ---------------------------------------------------------
# the word, and the years it is from the year of the text (去年 in a 2015 report is 2014)
RELATIVE_YEARS = {"去年": -1, "上年": -1, "上一年": -1, "今年": 0, "本年度": 0, "本年": 0, "当年": 0, "新的一年": 0,
                  "明年": 1}

# -- spans of years said in words ------------------------------------------------------------------
# an average over years (年均增长7%, 平均每年增长百分之六点七)
PER_YEAR_AVERAGE = r"年均|平均每年|每年平均"
# years given to reach something (十二年内, 用二十年的时间, 今后三年), never a year itself (一九八五年内, 2005年内)
YEARS_TO_RUN = (r"(?<![0-9])[0-9]{1,2}年(?:之?内|的?时间)"
                rf"|(?<![{NUMERAL_DIGIT_CHARS}])[一二两三四五六七八九十几]+年(?:之?内|的?时间)"
                r"|(?:今后|未来)[一二两三四五六七八九十几0-9]+年")

# -- changes from one level to another ----------------------------------------------------------------
# 由/从 the level a change starts from … 到/至/转为/变为 the level it reaches (由535万吨增长到1108万吨)
CHANGE_FROM = "[由从]"
CHANGE_TO = "转为|变为|到|至"

# -- five-year plans ---------------------------------------------------------------------------------
# the years of each five-year plan, by its short name (“十四五”); the 1963-1965 adjustment had none
FIVE_YEAR_PLANS = {
    "一五": "1953-1957", "二五": "1958-1962", "三五": "1966-1970", "四五": "1971-1975", "五五": "1976-1980",
    "六五": "1981-1985", "七五": "1986-1990", "八五": "1991-1995", "九五": "1996-2000", "十五": "2001-2005",
    "十一五": "2006-2010", "十二五": "2011-2015", "十三五": "2016-2020", "十四五": "2021-2025", "十五五": "2026-2030",
}
_PLAN_NAME = r"(?:十[一二三四五]五|[一二三四五六七八九十]五)"
# a plan named as one: quoted (“七五”), or before 期间/时期/末/计划/规划 (十五计划); 末 asks for its last year
FIVE_YEAR_PLAN = re.compile(rf"“({_PLAN_NAME})”(期?末|期间|时期)?"
                            rf"|(?<![一二三四五六七八九十第])({_PLAN_NAME})(期?末|期间|时期|计划|规划)")


def plan_period(m: re.Match) -> str:
    """The years a :data:`FIVE_YEAR_PLAN` match names: the plan's five, or its last one after 末.

    >>> [plan_period(FIVE_YEAR_PLAN.search(t)) for t in ("“十四五”末", "“十二五”期末", "“十五”期间", "七五计划")]
    ['2025', '2015', '2001-2005', '1986-1990']
    """
    span = FIVE_YEAR_PLANS[m.group(1) or m.group(3)]
    return span[-4:] if (m.group(2) or m.group(4) or "").endswith("末") else span


# -- source boilerplate -----------------------------------------------------------------------------
# the licence and copyright notes that archives (Wikisource) append to a document: no content of it
LICENCE_NOTE = re.compile(r"著作权法|本作品|维基文库|公有领域|社群共识|法院研究室|官方正式译文|立法、行政、司法性质")
# the words that open such a block (not 著作权法 alone, which policy text names too); all after it is the note
LICENCE_BLOCK_START = re.compile(r"本作品|维基文库|社群共识|公有领域|版权失效")


def before_licence(paragraphs: Iterable[_P]) -> Iterator[_P]:
    """The paragraphs before the licence note that closes a source's text (本作品来自……, 维基文库……).

    The note starts where a paragraph opens with one of its words: a policy text may name 公有领域
    inside a sentence of its own. The one reading of where a text's content ends, for the commitment
    walker and the article's year alike.
    """
    return itertools.takewhile(lambda p: not LICENCE_BLOCK_START.match(p.text.lstrip()), paragraphs)


# -- citation ----------------------------------------------------------------------------------------
# verbs by which a text says it carries out another body's decision or document (为贯彻落实党中央、国务院决策部署,
# 根据财政部……联合发布的《……》): the body named after them is cited, not the text's issuer
CARRIES_OUT = "贯彻|落实|按照|根据|依据|依照|遵照|响应|执行"

# -- sentence ends ---------------------------------------------------------------------------------
SENTENCE_END_CHARS = "。！？!?；;"
SENTENCE_END = re.compile(f"[{SENTENCE_END_CHARS}]")
ELLIPSIS = "…"

# -- headings --------------------------------------------------------------------------------------
_CN = "一二三四五六七八九十"
# (name, level, pattern at the start of a line); a heading also has a title after its marker
HEADING_RULES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("cn_section", 2, re.compile(rf"[{_CN}百]{{1,3}}、\S")),
    ("cn_subsection", 3, re.compile(rf"[（(][{_CN}]{{1,3}}[）)]\S")),
    ("ordinal", 3, re.compile(rf"第[{_CN}]{{1,3}}[、，,]\S")),
    # 2.1 风险管理 / 3.2.1风险 (a bare "2.5亿元" is a number, not a section)
    ("dotted", 3, re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,2}){2,}[ \t]*[^\d\s.]|[0-9]{1,2}\.[0-9]{1,2}[ \t]+[^\d\s.]")),
    ("numbered", 4, re.compile(r"(?:[（(][0-9]{1,2}[）)]|[0-9]{1,2}[.、．](?![0-9]))\S")),
    ("chapter", 2, re.compile(rf"第[{_CN}百0-9]{{1,4}}[章编节部分]+(?:\s|$|\S)")),
)
# CommonMark: the #s are followed by a space ("#话题#" is a hashtag, not a heading)
MARKDOWN_HEADING = re.compile(r"(#{1,6})[ \t]+")
MAX_HEADING_CHARS = 40
# the numbered starts a normaliser may see run into flat text: 一、 （一） 第X条/章/节
SECTION_START = re.compile(rf"（[{_CN}]{{1,3}}）|[{_CN}]{{1,3}}、|第[{_CN}百]{{1,4}}[条章节]")


def heading_rule(line: str) -> tuple[str, int] | None:
    """(rule name, level) when ``line`` is a numbered heading: short, no sentence end, not ending in ，、：."""
    if not line or len(line) > MAX_HEADING_CHARS or SENTENCE_END.search(line) or line[-1] in "，、,：:":
        return None
    for name, level, pattern in HEADING_RULES:
        if pattern.match(line):
            return name, level
    return None


def section_heading_line(line: str) -> bool:
    """A short numbered line with no sentence end (一、鼓励企业科技防疫): a heading run into flat text.

    A bare marker (四、) is no heading yet: its title follows the space.
    """
    line = line.strip()
    m = SECTION_START.match(line)
    return len(line) <= MAX_HEADING_CHARS and m is not None and m.end() < len(line) and \
        not re.search(r"[。；！？]", line)


# -- list markers ----------------------------------------------------------------------------------
# the number or bullet that opens a list item, each a named rule; one alternative per rule
LIST_MARKERS: tuple[tuple[str, str], ...] = (
    ("bullet", rf"[-—–·•]{{1,2}}(?=[{HAN_RANGES}])"),
    ("paren", rf"[（(][{_CN}\d]{{1,3}}[）)]"),
    ("cn_number", rf"[{_CN}]{{1,3}}、"),
    ("enumeration", rf"[{_CN}]{{1,3}}是"),
    ("arabic", r"\d{1,2}[.．、]"),
    ("circled", r"[①-⑳]"),
    ("ordinal", rf"第[{_CN}]{{1,3}}[，,、]"),
    ("article", rf"第[{_CN}百\d]{{1,4}}条"),
)
LIST_MARKER = re.compile(r"^\s*(?:" + "|".join(f"(?P<{name}>{p})" for name, p in LIST_MARKERS) + ")")


def list_marker(text: str) -> str | None:
    """The name of the list marker ``text`` opens with (``paren`` for （一）, ``enumeration`` for 一是…)."""
    m = LIST_MARKER.match(text)
    return m.lastgroup if m else None


def strip_list_marker(text: str) -> str:
    """``text`` without its opening list marker and the spaces after it."""
    m = LIST_MARKER.match(text)
    return text[m.end():].lstrip() if m else text
