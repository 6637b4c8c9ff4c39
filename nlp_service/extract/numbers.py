"""Find numbers in Chinese text: Arabic, Chinese numerals, percentages, fractions.

Each number is a span with its value; a trailing magnitude (万, 亿, 万亿, 千) is
reported separately so that the unit keeps it, as the contract asks
(“1.4万亿元” -> value 1.4, magnitude 万亿; “三千七百亿斤” -> 3700, 亿).

Chinese numerals are converted with ``cn2an`` (a well-kept converter); which
spans are numerals at all is decided here, because cn2an converts whatever it
is given (一流, 长三角, 两三个 are words, not quantities: callers require a unit
after the number, and :data:`CHINESE_NUMERAL` never starts a number with a
lone magnitude character).

Not handled yet: 千分之 (permille in words), numbers written with both
Chinese and Arabic digits in one run (3千5百), Roman numerals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DIGIT_CN = "零〇一二两三四五六七八九"
_MAGNITUDES = ("万亿", "亿", "万", "千")  # trailing magnitudes, longest first

# Each alternative is a named rule. The lookahead names the characters a number starts with: the
# lookbehind of ``arabic`` left the engine to try every alternative at every position
NUMBER = re.compile(
    rf"""(?=[百\d{_DIGIT_CN}十])(?:
      (?P<percent_cn>百分之(?P<pct>[{_DIGIT_CN}十百千点]+))             # 百分之三十六点九
    | (?P<fraction_cn>(?P<den>[{_DIGIT_CN}十百]+)分之(?P<num>[{_DIGIT_CN}十百]+))  # 六分之一
    | (?P<arabic>(?<![A-Za-z0-9.])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)      # 1,200 58.27
    | (?P<chinese>[{_DIGIT_CN}十][{_DIGIT_CN}十百千万亿点]*)              # 三千七百 五十
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in text. ``end`` excludes the magnitude, ``mag_end`` includes it."""

    start: int
    end: int
    value: float
    magnitude: str  # "", "万", "亿", "万亿", "千"
    mag_end: int
    kind: str  # "arabic" | "chinese" | "percent_cn" | "fraction_cn" | "approx_cn"
    value_max: float | None = None  # 两三个 -> 2..3


@lru_cache(maxsize=4096)
def chinese_to_number(text: str) -> float | None:
    """Value of a Chinese numeral, or None when it is not one.

    Example:
        >>> chinese_to_number("三十六点九"), chinese_to_number("一百零八"), chinese_to_number("两")
        (36.9, 108.0, 2.0)

    """
    import cn2an  # lazily: its import reads configuration files

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _split_magnitude(text: str, start: int, end: int) -> tuple[int, str, int]:
    """(end of the digits, magnitude, end of the magnitude) for a number ending at ``end``."""
    for mag in _MAGNITUDES:
        if text.startswith(mag, end):
            return end, mag, end + len(mag)
    return end, "", end


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text``, left to right.

    Example:
        >>> [(n.value, n.magnitude) for n in find_numbers("净增58.27亿元，粮食三千七百亿斤，1.4万亿元")]
        [(58.27, '亿'), (3700.0, '亿'), (1.4, '万亿')]

    """
    out: list[Number] = []
    for m in NUMBER.finditer(text):
        rule = m.lastgroup if m.group("percent_cn") is None and m.group("fraction_cn") is None else (
            "percent_cn" if m.group("percent_cn") else "fraction_cn")
        if rule == "percent_cn":
            v = chinese_to_number(m.group("pct"))
            if v is not None:
                out.append(Number(m.start(), m.end(), v, "", m.end(), rule))
        elif rule == "fraction_cn":
            den, num = chinese_to_number(m.group("den")), chinese_to_number(m.group("num"))
            if den and num is not None:
                out.append(Number(m.start(), m.end(), round(num / den, 4), "", m.end(), rule))
        elif m.group("arabic"):
            raw = m.group("arabic")
            if raw.startswith("0") and len(raw) > 1 and not raw.startswith("0."):
                continue  # 0571, codes
            end, mag, mag_end = _split_magnitude(text, m.start(), m.end())
            out.append(Number(m.start(), end, float(raw.replace(",", "")), mag, mag_end, rule or "arabic"))
        else:
            out.extend(_chinese(text, m.start(), m.end()))
    return out


def _chinese(text: str, start: int, end: int) -> list[Number]:
    raw = text[start:end]
    if raw.endswith("点"):
        raw, end = raw[:-1], end - 1
    unit_thousand = len(raw) > 1 and raw.endswith("千") and text.startswith(_UNITS_OF_THOUSAND, end)
    if unit_thousand:
        raw, end = raw[:-1], end - 1  # 一千九百五十万千瓦: 千瓦 is the unit
    if not raw:
        return []
    # A trailing magnitude belongs to the unit, unless a larger one stands before it
    # (六亿零三百万 is one value).
    for mag in _MAGNITUDES:
        if raw.endswith(mag) and len(raw) > len(mag) and not (unit_thousand and mag == "千"):  # 一千千瓦: 1000
            head = raw[: -len(mag)]
            if not any(big in head for big in ("亿", "万") if _MAG_RANK[big] >= _MAG_RANK[mag]):
                v = chinese_to_number(head)
                if v is not None:
                    return [Number(start, end - len(mag), v, mag, end, "chinese")]
            break
    if raw in {"万", "亿", "千", "百"}:
        return []
    if len(raw) == 2 and all(c in _SMALL for c in raw) and _SMALL.index(raw[1]) == _SMALL.index(raw[0]) + 1:
        low = _SMALL.index(raw[0]) + 1  # 两三个, 三四家: a vague "two or three"
        return [Number(start, end, float(low), "", end, "approx_cn", float(low + 1))]
    v = chinese_to_number(raw)
    if v is None and "亿" in raw and text.startswith(("多万", "余万"), end):
        v = chinese_to_number(raw + "万")  # 六亿三千多万: the quantity reads the 万 after 多 with it
    return [Number(start, end, v, "", end, "chinese")] if v is not None else []


_MAG_RANK = {"千": 1, "万": 2, "亿": 3, "万亿": 4}
_UNITS_OF_THOUSAND = ("瓦", "克", "米", "伏")  # the rest of 千瓦, 千克, 千米, 千伏
_SMALL = "一两三四五六七八九"
