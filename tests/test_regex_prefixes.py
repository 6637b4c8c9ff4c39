"""Patterns that name the characters their matches start with find exactly what they found without it.

A lookahead such as ``(?=[0-9])`` in front of a pattern whose alternatives open with lookbehinds lets
the regex engine skip to the positions where a match can start; it must never drop a match. Each
pattern is compared with itself less that lookahead, on text drawn from the characters its rules read.
"""

from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp_service.clean import layout
from nlp_service.extract import indicators, numbers, quantities
from nlp_service.extract.commitments import context, fields, gate
from nlp_service.segment import sentences
from nlp_service.text import markers

normalize = importlib.import_module("nlp_service.text.normalize")  # the package exports a function by that name

ALPHABET = ("0123456789０１２３４５６７８９ＡＺａｚAZaz .,．，：～·•・＋－／％＆%"
            "\r\n\t\u00a0\u2003\u3000\u2028\x0b\x85"
            "零〇○一二两三四五六七八九十百千万亿点分之年月日元吨至到—-~的是增长")
PATTERNS = {"normalize rules": normalize._RULES, "spaced figures": normalize._SPACED_DIGITS,
            "numbers": numbers.NUMBER, "years": indicators._YEAR, "modal words": fields._MODAL,
            "deadline words": gate._DEADLINE_WORDS, "procedure": gate._PROCEDURE,
            "contents leader": gate._CONTENTS_LEADER, "four-digit years": markers.YEAR,
            "ratios": quantities._RATIO, "slash fractions": quantities._SLASH_FRACTION,
            "sentence ends": sentences._TERMINATOR, "future markers": context.FUTURE,
            "other markers": context.OTHER_MARKERS, "pledge words": gate._PLEDGE, "rule words": gate._RULE_WORD,
            "years in numerals": markers._NUMERAL_YEAR_SAID, "metadata lines": layout._METADATA_LINE}


def alphabet(p: re.Pattern[str]) -> str:
    """The shared characters and every character the pattern's text names (a match's first character among them)."""
    return "".join(sorted(set(ALPHABET) | {c for c in p.pattern if not c.isspace() and c not in "\\()[]{}?*+|^$"}))


def without_prefix(p: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern less its leading lookahead: ``(?=[…])`` or ``(?=\\d)``."""
    text = p.pattern
    assert text.startswith("(?="), text[:20]
    end = text.index("])") + 2 if text.startswith("(?=[") else text.index(")") + 1
    return re.compile(text[end:], p.flags)


def matches(p: re.Pattern[str], text: str) -> list[tuple[int, int, str | None, tuple]]:
    return [(m.start(), m.end(), m.lastgroup, m.groups()) for m in p.finditer(text)]


@pytest.mark.parametrize("name", PATTERNS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_lookahead_drops_no_match(name: str, data: st.DataObject) -> None:
    p = PATTERNS[name]
    text = data.draw(st.text(alphabet=alphabet(p), max_size=40))
    assert matches(p, text) == matches(without_prefix(p), text)


@pytest.mark.parametrize(("name", "text"), [
    ("normalize rules", "１０ ％\r\n２０２４年"), ("spaced figures", "粮食总产量稳定在4 9 2 5 0 万吨"),
    ("numbers", "百分之三十六点九，1,200.5元，六分之一"), ("years", "二〇〇五年至2010年"),
    ("modal words", "各地应当加快建设"), ("deadline words", "力争到2025年底"), ("procedure", "特制定本方案。"),
    ("contents leader", "（一）加强组织协调 ........ 12"), ("four-digit years", "2024年"),
    ("ratios", "按1:1配套"), ("slash fractions", "完成1/3"), ("sentence ends", "建成。"),
    ("future markers", "全市将加快建设"), ("other markers", "联系电话：12345"), ("pledge words", "力争建成"),
    ("years in numerals", "一九五八年"), ("metadata lines", "来源：新华社"),
])
def test_each_pattern_still_finds_its_examples(name: str, text: str) -> None:
    assert matches(PATTERNS[name], text)


# the past markers as first written: a run of one to four characters before 了 (the pattern now tries the 了 itself)
PAST_AS_WRITTEN = re.compile(
    r"已经|已(?![于经])|累计|去年|上年|过去(?:一|五|的)|一年来|五年来|以来|实现了|完成了|取得了|达到了|建成了|"
    r"同比|比上年|比去年|[^\s，。]{1,4}了(?![解结])|曾|先后|业已|截至|截止|此前"
)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=alphabet(PAST_AS_WRITTEN) + "了解结", max_size=30))
def test_the_past_markers_occur_where_they_did(text: str) -> None:
    assert (context.PAST.search(text) is None) == (PAST_AS_WRITTEN.search(text) is None)
