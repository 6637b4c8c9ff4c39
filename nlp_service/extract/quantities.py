"""Quantities: a number with its unit, comparator and range, as spans.

Layered on :mod:`nlp_service.extract.numbers`. A quantity needs a unit from
``resources/units.tsv`` (percent, 个百分点 and 倍 included), or is one of the
unit-less forms named below. Numbers with no unit are not quantities: that
alone keeps out dates (2023年8月30日), versions (3.0版), codes (科创甬江2035)
and most words that contain numerals (一流, 统一).

Rules (each a named alternative):
- ``unit``: number [多|余] [one space] unit  (58.27亿元, 350多个, 500余个, 36.9%, 3个百分点, 1.5倍,
  建成 120 个 as PDF text sets it)
- ``range``: number [-—~至到] number unit  (3%—5%, 4至8个, 10-20万元)
- ``ratio``: a:b  (1:1配套) -> value a/b, unit ``ratio``
- ``doubling``: 翻番 / 翻一番 / 翻两番 -> 2 / 2 / 4 倍
- ``fraction``: 六分之一, 1/3 -> 0.1667, 0.3333 ``ratio``
- ``duration``: N年 when a duration cue stands before it (不超过5年, 扩大到三年, 期限)
- ``bare_magnitude``: 6600多万农村人口 -> 6600 万 (an Arabic number whose magnitude is the unit)
- ``shared_unit``: 分别高4.2和0.7个百分点 -> both in 个百分点
- per-unit amounts keep the divisor in the unit: 0.5万元/笔
- ``vague``: 上百家 (>= 100 家), 数十个 (~ 10 个), 近千人 (~ 1000 人), 破万 / 过万 (>= 10000)

Comparators (imprecision made explicit): before the number 超过/突破/超/高于/多于/逾 ``>``,
不低于/不少于/至少 ``>=``, 低于/少于/不足/不到 ``<``, 不超过/最高/最多/至多 ``<=``,
约/近/将近/接近/大约 ``~``; after it 以上 ``>=``, 以内/以下 ``<=``, 左右/上下 ``~``;
多/余 between number and unit ``~``. The word is kept in ``comparator_word``.

Not handled yet: units before the number (人民币100元), compound units other than the listed
concentrations (元/吨), negative numbers, 千分之.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp_service import resources
from nlp_service.extract.numbers import Number, chinese_to_number, find_numbers

MAGNITUDE_VALUE = {"": 1.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12}

_BEFORE = (  # longest first
    ("不超过", "<="), ("不高于", "<="), ("不低于", ">="), ("不少于", ">="), ("不到", "<"), ("不足", "<"),
    ("超过", ">"), ("突破", ">"), ("高于", ">"), ("多于", ">"), ("至少", ">="), ("最少", ">="),
    ("低于", "<"), ("少于", "<"), ("最高", "<="), ("最多", "<="), ("至多", "<="), ("上限", "<="),
    ("将近", "~"), ("接近", "~"), ("大约", "~"), ("约为", "~"), ("约", "~"), ("近", "~"), ("逾", ">"), ("超", ">"),
    # a technical specification writes them as signs (自洽率≥30%, 识别误差<10%)
    (">=", ">="), ("<=", "<="), ("≥", ">="), ("≤", "<="), ("⩾", ">="), ("⩽", "<="), (">", ">"), ("<", "<"),
    ("＞", ">"), ("＜", "<"),
)
_AFTER = (("以上", ">="), ("以内", "<="), ("以下", "<="), ("左右", "~"), ("上下", "~"))
_RANGE_SEP = re.compile(r"[-—–~～至到]{1,2}")
_RULE_FAMILY = {"fraction": "ratio", "duration": "time", "bare_magnitude": "other"}


@dataclass(frozen=True, slots=True)
class Unit:
    """An entry of ``units.tsv``."""

    unit: str
    base: str
    family: str
    magnifiable: bool


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit. Offsets are into the text given to :func:`find_quantities`."""

    start: int  # first character of the comparator word or the number
    end: int  # after the unit and any trailing comparator word
    value: float
    value_max: float | None
    unit: str  # as written, magnitude included: 亿元, 万人, %, 个百分点, ratio
    base_unit: str
    normalized_value: float
    comparator: str  # = > >= < <= ~ range
    comparator_word: str | None
    rule: str
    number_start: int
    number_end: int  # end of number + magnitude (before 多/余 and the unit)
    chinese_numeral: bool
    family: str = "other"  # the unit's family in units.tsv; ratio, time (N年), other (a bare 万)


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """The unit lexicon."""
    return {r["unit"]: Unit(r["unit"], r["base_unit"], r["family"], r["magnifiable"] == "yes")
            for r in resources.read_tsv("units.tsv")}


@lru_cache(maxsize=1)
def _unit_pattern() -> re.Pattern[str]:
    names = sorted(units(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def _match_unit(text: str, pos: int, magnitude: str) -> tuple[Unit, str, int] | None:
    """The unit at ``pos`` (after the number's magnitude), with any extra magnitude (十万元)."""
    extra = ""
    for mag in ("十万", "百万", "千万", "万亿", "亿", "万", "千"):
        if not magnitude and text.startswith(mag, pos):
            m = _unit_pattern().match(text, pos + len(mag))
            if m and units()[m.group()].magnifiable:
                extra = mag
                pos += len(mag)
                break
    m = _unit_pattern().match(text, pos)
    if not m or (m.group() == "周" and text.startswith("年", m.end())):
        return None  # 30周年 is an anniversary, not 30 weeks
    if m.group() == "人" and _PERSON_WORD.match(text, m.end()):
        return None  # 十亿多人口, 2 人民银行: the 人 of a word, not people counted
    if m.group() == "部" and text.startswith(("门", "分", "委", "署"), m.end()):
        return None  # 九部门联合印发, 分为四部分: the 部 of 部门 or 部分, not a count of films or phones
    if m.group() == "所" and text.startswith("示", m.end()):
        return None  # 如图1所示: a figure's number, not a count of schools
    if m.group() == "次" and _SESSION.match(text, m.end()) and "届" in text[max(0, pos - 8):pos]:
        return None
    unit = units()[m.group()]
    if (magnitude or extra) and not unit.magnifiable:
        return None
    return unit, extra, m.end()


def _comparator_before(text: str, start: int) -> tuple[str, str, int] | None:
    if start > 0 and text[start - 1] in GAP:  # 超过 100 个
        start -= 1
    for word, comp in _BEFORE:
        s = start - len(word)
        if s >= 0 and text.startswith(word, s):
            return word, comp, s
        # 超过了 / 达到约: allow one particle between
        s2 = s - 1
        if s2 >= 0 and text[start - 1] in "了达为" and text.startswith(word, s2):
            return word, comp, s2
    return None


def _comparator_after(text: str, end: int) -> tuple[str, str, int] | None:
    if end < len(text) and text[end] in GAP:  # 1200 万人 以上
        end += 1
    for word, comp in _AFTER:
        if text.startswith(word, end):
            return word, comp, end + len(word)
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Quantities in ``text`` (a sentence), left to right.

    Example:
        >>> [(q.value, q.unit, q.comparator) for q in find_quantities("城镇新增就业1200万人以上，增长约5.5%")]
        [(1200.0, '万人', '>='), (5.5, '%', '~')]

    """
    numbers = find_numbers(text)
    out: list[Quantity] = []
    i = 0
    while i < len(numbers):
        q, consumed = _quantity_at(text, numbers, i)
        if q is not None:
            out.append(q)
        i += consumed
    out.extend(_doublings(text))
    out.extend(_ratios(text, numbers))
    out.extend(_slash_fractions(text))
    vague = _vague(text)
    out = [q for q in out if not any(v.start <= q.number_start < v.end for v in vague)] + vague
    return sorted(out, key=lambda q: q.start)


def _quantity_at(text: str, numbers: list[Number], i: int) -> tuple[Quantity | None, int]:
    n = numbers[i]
    if n.kind == "percent_cn":
        return _build(text, n, n.value, None, "%", "%", "", n.mag_end, "unit", n.mag_end), 1
    if n.kind == "fraction_cn":
        return _build(text, n, n.value, None, "ratio", "ratio", "", n.mag_end, "fraction", n.mag_end), 1
    if n.kind == "arabic" and (
        (n.start > 0 and (text[n.start - 1].isascii() and text[n.start - 1].isalpha()))
        or (n.mag_end < len(text) and text[n.mag_end].isascii() and text[n.mag_end].isalpha())
    ):
        return None, 1  # PM2.5, 5G, 3D
    if text[:n.start].rstrip(GAP).endswith("第"):
        return None, 1  # ordinals (第十二届, 第 3 名)
    if text[:n.start].rstrip(GAP).endswith(("如图", "见图", "如表", "见表", "附图", "附表", "附件")):
        return None, 1  # a figure's, a table's or an annex's number (如图1所示, 见附件2)
    # range: number sep number unit
    if i + 1 < len(numbers):
        nxt = numbers[i + 1]
        between = text[n.mag_end:nxt.start]
        unit_between = _match_unit(text, n.mag_end, n.magnitude)
        if _RANGE_SEP.fullmatch(between) or (unit_between and _RANGE_SEP.fullmatch(text[unit_between[2]:nxt.start])):
            tail = _match_unit(text, nxt.mag_end, nxt.magnitude)
            if (tail and nxt.magnitude == n.magnitude) or (tail and not n.magnitude):
                unit, extra, uend = tail
                written = nxt.magnitude + extra + unit.unit
                return _build(text, n, n.value, nxt.value, written, unit.base, nxt.magnitude + extra, uend,
                              "range", nxt.mag_end), 2
    pos = n.mag_end
    magnitude = n.magnitude
    approx_word = None
    value, value_max = n.value, n.value_max
    if text.startswith(("多", "余"), pos):
        approx_word = text[pos]
        pos += 1
        after = next((mag for mag in ("万亿", "亿", "万") if text.startswith(mag, pos)), None)
        if after and not magnitude and n.kind == "chinese" and "亿" in text[n.start:n.end] and after == "万":
            # 六亿三千多万: the digits after 亿 count 万, the whole is 6.3亿 (六亿三千 alone reads 600,003,000)
            whole = chinese_to_number(text[n.start:n.end] + "万")
            if whole is not None:
                value, magnitude, pos = whole / 1e8, "亿", pos + 1
        elif after and not magnitude:  # 6600多万: 多 before the magnitude
            magnitude, pos = after, pos + len(after)
        elif after and magnitude == "千" and after in ("万", "亿"):  # 三千多万: 3000 of 万
            value, value_max = value * 1000, value_max * 1000 if value_max is not None else None
            magnitude, pos = after, pos + len(after)
    matched = _match_unit(text, pos, magnitude)
    if matched is None and pos < len(text) and text[pos] in GAP:
        # PDF and web text often set a space between figure and unit (建成 120 个, 58.27 亿元)
        matched = _match_unit(text, pos + 1, magnitude)
    if matched is None:
        years = _YEARS.match(text, pos)
        if years is not None and n.value < 1000 and (  # 延长2020年2月份: a year, not 2020 years
                (n.value < 100 and _comparator_before(text, n.start))
                or _DURATION_CUE.search(text, max(0, n.start - 6), n.start) is not None):
            return _build(text, n, n.value, n.value_max, "年", "年", magnitude, years.end(), "duration",
                          n.mag_end, approx_word), 1
        if magnitude in ("万", "亿") and (n.kind == "arabic" or (approx_word and text.startswith("人口", pos))) \
                and not _NOT_AFTER_BARE.match(text, pos):
            # 6600多万农村人口, 军队裁员100万: the magnitude is the whole unit
            return _build(text, n, n.value, n.value_max, magnitude, "", magnitude, pos, "bare_magnitude",
                          n.mag_end, approx_word), 1
        shared = _shared_unit(text, numbers, i)
        if shared is not None:
            unit, extra, _ = shared
            return _build(text, n, n.value, n.value_max, numbers[i + 1].magnitude + extra + unit.unit,
                          unit.base, numbers[i + 1].magnitude + extra, n.mag_end, "shared_unit", n.mag_end), 1
        return None, 1
    unit, extra, uend = matched
    written = magnitude + extra + unit.unit
    base = unit.base
    per = _PER_UNIT.match(text, uend)
    if per:
        written, base, uend = written + per.group(), base + per.group(), per.end()
    q = _build(text, n, value, value_max, written, base, magnitude + extra, uend,
               "unit", n.mag_end, approx_word)
    return q, 1


GAP = " \u00a0\u3000"  # one space, no-break space or ideographic space between a figure and its unit
# what makes 人 the first character of a word (人口, 人民, 人才, 人员 …) rather than the unit
_PERSON_WORD = re.compile(r"[口民才员们事权身文力物类工]")
# 五届人大五次会议, 十九届四中全会: a session's ordinal, not a count of meetings
_SESSION = re.compile(r"会议|全会|全体会议")
_PER_UNIT = re.compile(r"/(?:笔|人|吨|年|月|平方米|户|家|个|次|亩|天|件|台|套|辆|项|千瓦时|度)")
_YEARS = re.compile(r"年(?![月级度底末初内来间前后中代])")
_DURATION_CUE = re.compile(r"(?:不超过|不少于|最长|最短|期限|为期|延长|扩大到|扩大至|长达|服务期)")
_NOT_AFTER_BARE = re.compile(r"[年月日号次届个]")
_LIST_JOIN = re.compile(r"[、和与及]|以及")


def _shared_unit(text: str, numbers: list[Number], i: int) -> tuple[Unit, str, int] | None:
    """分别高4.2和0.7个百分点: a number without a unit takes the unit of the next one in a list."""
    j = i
    while j + 1 < len(numbers) and _LIST_JOIN.fullmatch(text[numbers[j].mag_end:numbers[j + 1].start]):
        j += 1
        found = _match_unit(text, numbers[j].mag_end, numbers[j].magnitude)
        if found:
            return found
    return None


def _build(text: str, n: Number, value: float, value_max: float | None, unit: str, base: str, magnitude: str,
           unit_end: int, rule: str, number_end: int, approx_word: str | None = None) -> Quantity:
    comparator, word, start, end = "=", None, n.start, unit_end
    if value_max is not None:
        comparator = "range"
    before = _comparator_before(text, n.start)
    after = _comparator_after(text, unit_end)
    if after:
        word, comparator, end = after[0], after[1], after[2]
    elif approx_word:
        word, comparator = approx_word, "~"
    if before and comparator in ("=", "range"):
        word, comparator, start = before[0], before[1], before[2]
    elif before:
        start = before[2]
    if value_max is not None and comparator != "range" and not before and not after:
        comparator = "range"
    bare = unit[len(magnitude):].split("/")[0]
    family = _RULE_FAMILY.get(rule) or (units()[bare].family if bare in units() else "other")
    return Quantity(
        start=start, end=end, value=value, value_max=value_max, unit=unit, base_unit=base,
        normalized_value=value * MAGNITUDE_VALUE.get(magnitude, 1.0), comparator=comparator,
        comparator_word=word, rule=rule, number_start=n.start, number_end=number_end,
        chinese_numeral=n.kind in ("chinese", "percent_cn", "fraction_cn", "approx_cn"), family=family,
    )


_DOUBLING = re.compile(r"翻了?(?P<times>[一两二三四])?番")  # 翻番, 翻一番, 翻了一番, 翻两番
_TIMES = {None: 1, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4}


def _doublings(text: str) -> list[Quantity]:
    out = []
    for m in _DOUBLING.finditer(text):
        v = float(2 ** _TIMES[m.group("times")])
        out.append(Quantity(m.start(), m.end(), v, None, "倍", "倍", v, "=", None, "doubling",
                            m.start(), m.end(), True, "multiple"))
    return out


_RATIO = re.compile(r"(?=\d)(?<![\d.:])(\d+(?:\.\d+)?)[:：](\d+(?:\.\d+)?)(?![\d.:])")


def _ratios(text: str, numbers: list[Number]) -> list[Quantity]:
    out = []
    for m in _RATIO.finditer(text):
        a, b = float(m.group(1)), float(m.group(2))
        if b == 0 or (a > 24 and b > 59):
            continue
        if re.match(r"\d{1,2}[:：]\d{2}$", m.group()) and b >= 10:
            continue  # 14:30 is a time of day
        v = round(a / b, 4)
        out.append(Quantity(m.start(), m.end(), v, None, "ratio", "ratio", v, "=", None, "ratio",
                            m.start(), m.end(), False, "ratio"))
    return out


_SLASH_FRACTION = re.compile(r"(?=\d)(?<![\d./])(\d{1,2})/(\d{1,2})(?![\d./])")


def _slash_fractions(text: str) -> list[Quantity]:
    """减少1/3 -> 0.3333 ratio (not dates such as 3/15: the numerator must be smaller)."""
    out = []
    for m in _SLASH_FRACTION.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if 0 < a < b <= 10:
            v = round(a / b, 4)
            before = _comparator_before(text, m.start())
            after = _comparator_after(text, m.end())
            comp, word = (after[1], after[0]) if after else ((before[1], before[0]) if before else ("=", None))
            out.append(Quantity(before[2] if before else m.start(), after[2] if after else m.end(), v, None,
                                "ratio", "ratio", v, comp, word, "fraction", m.start(), m.end(), False, "ratio"))
    return out


# 上百家, 上千人, 数十个, 近百项, 破万, 过万: quantities stated only by their order of magnitude.
_VAGUE = re.compile(r"(?P<word>上|数|近|破|过|逾)(?P<mag>十|百|千|万|亿)(?![一二三四五六七八九十百千万亿0-9])")
_VAGUE_COMPARATOR = {"上": ">=", "数": "~", "近": "~", "破": ">=", "过": ">=", "逾": ">"}
_VAGUE_VALUE = {"十": 10.0, "百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8}


def _vague(text: str) -> list[Quantity]:
    out = []
    for m in _VAGUE.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in "第":
            continue
        matched = _match_unit(text, m.end(), "")
        if matched is None and m.group("word") not in "破过":
            continue  # 数十 alone, 近百年: not a counted quantity
        v = _VAGUE_VALUE[m.group("mag")]
        unit, end, base = ("", m.end(), "") if matched is None else (matched[0].unit, matched[2], matched[0].base)
        family = "other" if matched is None else matched[0].family
        out.append(Quantity(m.start(), end, v, None, unit, base, v, _VAGUE_COMPARATOR[m.group("word")],
                            m.group("word") + m.group("mag"), "vague", m.start(), m.end(), True, family))
    return out
