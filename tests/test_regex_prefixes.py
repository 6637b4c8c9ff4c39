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

from nlp_service.extract import indicators, numbers

normalize = importlib.import_module("nlp_service.text.normalize")  # the package exports a function by that name

ALPHABET = ("0123456789０１２３４５６７８９ＡＺａｚAZaz .,．，：～·•・＋－／％＆%"
            "\r\n\t\u00a0\u2003\u3000\u2028\x0b\x85"
            "零〇○一二两三四五六七八九十百千万亿点分之年月日元吨至到—-~的是增长")
PATTERNS = {"normalize rules": normalize._RULES, "spaced figures": normalize._SPACED_DIGITS,
            "numbers": numbers.NUMBER, "years": indicators._YEAR}


def without_prefix(p: re.Pattern[str]) -> re.Pattern[str]:
    assert p.pattern.startswith("(?=["), p.pattern[:20]
    return re.compile(p.pattern[p.pattern.index("])") + 2:], p.flags)


def matches(p: re.Pattern[str], text: str) -> list[tuple[int, int, str | None, tuple]]:
    return [(m.start(), m.end(), m.lastgroup, m.groups()) for m in p.finditer(text)]


@pytest.mark.parametrize("name", PATTERNS)
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=40))
def test_the_lookahead_drops_no_match(name: str, text: str) -> None:
    p = PATTERNS[name]
    assert matches(p, text) == matches(without_prefix(p), text)


@pytest.mark.parametrize(("name", "text"), [
    ("normalize rules", "１０ ％\r\n２０２４年"), ("spaced figures", "粮食总产量稳定在4 9 2 5 0 万吨"),
    ("numbers", "百分之三十六点九，1,200.5元，六分之一"), ("years", "二〇〇五年至2010年"),
])
def test_each_pattern_still_finds_its_examples(name: str, text: str) -> None:
    assert matches(PATTERNS[name], text)
