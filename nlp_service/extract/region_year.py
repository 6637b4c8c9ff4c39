"""Where and when an article speaks: its region and its year, each with the evidence it rests on.

Both are pipeline outputs (``region_year.v1``): commitments read the year for "今年" deadlines,
indicators for "今年/去年" periods, and the store files the article under both. A caller's
``published`` date or region wins over what the text suggests.

The rules are written by hand: they are conventions of Chinese official writing (a region in the
title, 国务院/中共中央 for national documents, a signature date at the end), which no library models.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from nlp_service.text.markers import (
    CARRIES_OUT,
    CITED_TITLE,
    LICENCE_NOTE,
    YEAR,
    before_licence,
    numeral_years_as_digits,
)

if TYPE_CHECKING:
    from nlp_service.document import Paragraph
    from nlp_service.extract.entities import Entity

PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
             "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门")
NATIONAL = "全国"
# national bodies; and the addressees only a national body writes to (各省、自治区、直辖市……：)
_NATIONAL = re.compile(r"国务院|中华人民共和国|全国人民代表大会|中国共产党|中共中央"
                       r"|党的第.{1,3}次全国代表大会|（.大）|\(.大\)|各省、自治区、直辖市|各省[（(]区、市[）)]")
# an untitled text that opens with a document's title on the line of its addressees
# (江西省人民政府印发关于……的通知 各市、县（区）人民政府，……：), its issuers before it on that line
# (甘肃省医疗保障局 甘肃省财政厅 关于……的通知)
_TITLE_LINE = re.compile(r"^\s*((?:[^\s，。；：]{2,30}[ \t\u3000]+){0,8}?"
                         r"[^\s，。；：]{6,80}(?:通知|意见|办法|方案|规划|计划|决定|公告|通告|细则|措施))\s")
# a national body the text says it carries out (为贯彻落实党中央、国务院决策部署) is no issuer
_FOLLOWS = re.compile(rf"(?:{CARRIES_OUT})[^，。；：]{{0,6}}$")
_NATIONAL_NAMES = {"中华人民共和国", "中国", "全国", "我国", "国家"}
_MACRO_REGIONS = {"东北", "华北", "华东", "华中", "华南", "西南", "西北", "东南", "东部", "中部", "西部"}  # no issuers
_ADMIN_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|省|市|自治州|地区|盟|区|县|新区)$")
_ADMIN_AFTER = "省市区县州盟旗"
MIN_PLACE_MENTIONS = 3  # a region read from the body must be named at least this often

_FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# a year in the body that is no statement of the article's own time: a deadline or target year
# (到2025年, 至2035年, 2025年前), one end of a span (2021—2025年), a base year (比2020年)
_NOT_NOW = re.compile(r"(?:到|至|于|比|较|同比|自|从)\s*$")
# … but a day "as of" which the text counts (截至2020年2月10日24时) is the article's own time (截至2019年底 in a
# 2020 notice is last year's figure: a year without its day stays out)
_AS_OF_DAY = re.compile(r"截(?:至|止到?)\s*$")
_AFTER_NOT_NOW = re.compile(r"^\s*年?\s*(?:前|以前|之前|底前|年底前|以来|[-—–~至到])")
_WRITTEN_AS_YEAR = re.compile(r"年|\s*[-—–~至到]\s*(?:19|20)\d\d")
_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]\s*\d{1,4}\s*号")  # 国发〔2020〕5号
_CITED_WITHIN = 20  # characters after a cited title within which a number is the cited document's
DATELINE_PARAGRAPHS = 3  # a signature date stands in the last (or first) paragraphs
_REVIEW_HEADING = re.compile(r"回顾|总结|工作情况")  # 一、2021年工作回顾 heads the 2022 report
# a clause that speaks of the future names target years, not the article's own (到/左右/力争 …)
_FUTURE_CLAUSE = re.compile(r"将|要|力争|争取|确保|目标|远景|规划|预期|计划|左右|以上|以内")
_CLAUSE_END = re.compile(r"[，,。；;！？!?]")


@dataclass(frozen=True, slots=True)
class Inferred:
    """A value the pipeline inferred, and why."""

    value: str | int | None
    evidence: str | None


UNKNOWN = Inferred(None, None)


def short_place(place: str) -> str:
    """宁波市 → 宁波, 黑龙江省 → 黑龙江 (a one-character rest keeps its suffix)."""
    short = _ADMIN_SUFFIX.sub("", place)
    return short if len(short) >= 2 else place


def title_line(text: str) -> str:
    """The title an untitled text opens with, or ""."""
    m = _TITLE_LINE.match(text)
    return m.group(1) if m else ""


@lru_cache(maxsize=4096)  # asked of the same subjects by the gate and the field reader
def names_a_place(name: str) -> bool:
    """Whether every word of ``name`` is a place name by jieba's tags (宁波, 浙江宁波, 中国): a subject that acts.

    >>> names_a_place("宁波"), names_a_place("今年"), names_a_place("北京冬奥会")
    (True, False, False)

    """
    from nlp_service.segment.words import pos_tags

    tags = pos_tags(name)
    return bool(tags) and all(flag == "ns" for _, flag in tags)


_SELF = {"我省": "省", "我市": "市", "我区": "区", "我县": "县"}


def self_named_place(text: str) -> str | None:
    """The place a document that speaks of itself as 我省 (我市, 我区, 我县) names most, with that suffix.

    An unsigned plan of a province (……全面提升我省智能制造创新能力 …… 山东省……) is its province's: at
    least twice named, and the place names more often than any other of its kind.

    >>> self_named_place("全面提升我省创新能力。山东省加快建设。山东省推进改造。江苏省经验值得借鉴。")
    '山东省'
    """
    said = [(text.count(w), suffix) for w, suffix in _SELF.items() if w in text]
    if not said:
        return None
    suffix = max(said)[1]
    counts = Counter(m.group(1) for m in re.finditer(rf"(?=([\u4e00-\u9fff]{{2,3}}{suffix}))", text))
    top = [(name, n) for name, n in counts.most_common()  # not 北京市市 of 北京市市场监督管理局
           if not name[:-1].endswith(suffix) and names_a_place(name[:-1])][:2]
    if top and top[0][1] >= 2 and (len(top) == 1 or top[0][1] > top[1][1]):
        return top[0][0]
    return None


def article_region(title: str | None, entities: Sequence[Entity], text: str) -> Inferred:
    """The region an article speaks for: a place in its title; 全国; its most frequent place.

    A place is a LOC entity that is a province or is written as an administrative unit somewhere
    (宁波市, 南沙区 — jieba also tags 深度, 海洋 as places); suffixes are dropped (宁波市 → 宁波).
    """
    title = title or title_line(text)
    head = title + text[:200]

    def place(name: str) -> str | None:
        short = _ADMIN_SUFFIX.sub("", name)
        if (name in _NATIONAL_NAMES or short in _MACRO_REGIONS or len(short) < 2
                or name[0] in "各全本"):  # 城市, 各县区, 全市: no places
            return None
        if short in PROVINCES or _ADMIN_SUFFIX.search(name) or any(f"{short}{c}" in head or f"{short}{c}" in text
                                                                   for c in _ADMIN_AFTER):
            return short
        return None

    locs = [(e, place(e.text)) for e in entities if e.type == "LOC"]
    in_title = sorted((title.find(e.text), p, e.text) for e, p in locs if p and e.text in title)
    if in_title:
        return Inferred(in_title[0][1], f"title names {in_title[0][2]}")
    for p in PROVINCES:  # a province named in the title but not tagged (黑龙江省人民政府办公厅关于……)
        if p in title:
            return Inferred(p, f"title names {p}")
    headline = _headline_province(text)
    if headline:
        return Inferred(headline, f"headline opens with {headline}")
    opening = CITED_TITLE.sub("", text[:200])
    m = _NATIONAL.search(title) or next((m for m in _NATIONAL.finditer(opening)
                                         if not _FOLLOWS.search(opening[max(0, m.start() - 12):m.start()])), None)
    if m:
        return Inferred(NATIONAL, f"national body {m.group()}")
    counts: dict[str, int] = {}
    for e, named in locs:
        if named:
            counts[named] = counts.get(named, 0) + e.count
    province = _province_of_cities(counts, text)
    if province:
        return province
    best = max(counts.items(), key=lambda kv: kv[1], default=None)
    if best and best[1] >= MIN_PLACE_MENTIONS:
        return Inferred(best[0], f"most named place ({best[1]} mentions)")
    named = self_named_place(text)  # 结合我市……工作实际 …… 济南市……: the place a document calls 我市
    if named:
        return Inferred(short_place(named), f"calls itself {named[-1]} ({named})")
    # a national body only in a document the text cites (按照《国务院……的通知》) or carries out: a city's
    # notice that carries out a national one speaks for the city it names; with no place named, for the nation
    m = _NATIONAL.search(text[:200])
    if m:
        return Inferred(NATIONAL, f"cites a national body {m.group()}")
    return UNKNOWN


_HEADLINE_PROVINCE = re.compile(r"^(?:【[^】]{1,20}】)?(" + "|".join(PROVINCES) + r")"
                                r"(?:省|市|(?:壮族|回族|维吾尔)?自治区)?(?![、和与及，,])")


def _headline_province(text: str) -> str | None:
    """The province a news headline opens with (贵州强化市场监管……, 福建：……, 黑龙江省再推……), if no place follows it.

    A headline that goes on to a place inside it (上海宝山出台……, 河南郑州：……) speaks for that place, and
    one that lists provinces (福建、江苏、山东积极……) for none of them: both are left to the other rules.

    >>> _headline_province("贵州强化市场监管维护价格稳定 2月4日，省市场监管局……")
    '贵州'
    >>> _headline_province("上海宝山出台15项政策 宝山区……") is None
    True
    """
    from nlp_service.segment.words import pos_tags

    head = text.lstrip()[:40]
    m = _HEADLINE_PROVINCE.match(head)
    if not m:
        return None
    after = pos_tags(head[m.end():m.end() + 4])
    if after and (after[0][1] == "ns" or (after[0][1].startswith("n") and any(after[0][0] + c in text
                                                                               for c in _ADMIN_AFTER))):
        return None  # 上海宝山出台…… (宝山区 in the text; jieba tags 宝山 a person)
    return m.group(1)


# a province's own document: its government's addressees (各市人民政府，……省政府各部门), or it speaks of 全省
_PROVINCIAL = re.compile(r"省政府各部门|省直各|省各有关部门|省直有关部门|各市人民政府|各设区市|各地级以上市")


@lru_cache(maxsize=1)
def _city_provinces() -> dict[str, str]:
    """Prefecture-level city (short name) → its province (resources/places.tsv)."""
    from nlp_service.resources import read_tsv

    return {row["short"]: row["province"] for row in read_tsv("places.tsv")}


def _province_of_cities(counts: dict[str, int], text: str) -> Inferred | None:
    """The province a provincial document speaks for when it names two or more of its cities and never itself.

    A provincial plan that assigns tasks to 济南, 青岛 and 淄博 and speaks of 全省 is 山东's, not
    青岛's (the city it names most). Provincial: its government's addressees, or 全省 three times;
    no other province may be named (吉林 the city is 吉林 the province's).
    """
    if not (_PROVINCIAL.search(text[:800]) or text.count("全省") >= 3):
        return None
    of = _city_provinces()
    cities = Counter({place: n for place, n in counts.items() if place in of and place not in PROVINCES})
    provinces = Counter(of[place] for place in cities)
    top = provinces.most_common(2)
    others = [p for p in counts if p in PROVINCES and top and p != top[0][0]]  # another province named: not sure
    if top and top[0][1] >= 2 and (len(top) == 1 or top[0][1] > top[1][1]) and not others:
        named = "、".join(place for place, _ in cities.most_common() if of[place] == top[0][0])
        return Inferred(top[0][0], f"a provincial text naming cities of {top[0][0]} ({named})")
    return None


def _years_of_now(text: str) -> list[int]:
    """Years of ``text`` that may be the article's own: no deadline, span end or base year."""
    out = []
    text = numeral_years_as_digits(text)  # 一九八二年 -> 1982年, the same length: offsets hold
    for m in YEAR.finditer(text):
        after = text[m.end():m.end() + 4]
        if not after.lstrip().startswith("年"):
            continue
        before = text[max(0, m.start() - 3):m.start()]
        as_of_day = _AS_OF_DAY.search(before) and _FULL_DATE.match(text, m.start())
        if not as_of_day and (_NOT_NOW.search(before) or _AFTER_NOT_NOW.match(text[m.end():m.end() + 6])):
            continue
        out.append(int(m.group(1)))
    return out


def published_year(published: str | None) -> int | None:
    """The year of a published date (``2024-01-20``, ``2024``), or None."""
    return int(published[:4]) if published and published[:4].isdigit() else None


def article_year(published: str | None, title: str | None, paragraphs: Sequence[Paragraph]) -> Inferred:
    """The year an article speaks in.

    In order: the published date; a year in the title; a year in a heading among the first eight
    paragraphs (the year after it for a review heading: 一、2021年工作回顾 heads the 2022 report); a
    full date in the last or first paragraphs (the signature or dateline); the document's own number
    in its title or first paragraphs (石政发〔2020〕3号; not one cited after a title); else the latest year the
    body names outside clauses about the future and that is no deadline, span end or base year
    (到2025年, 2021—2025年, 比2020年, 力争2030年… are not the article's own year), the source's
    licence block left out (a Wikisource note's "2024年社群共识" is no year of a 1969 report).
    Written on the State Council and Shanghai reports with their titles hidden: 32 of 54 right,
    where the published date or a year in the title gives every one.
    """
    if (year := published_year(published)) is not None:
        return Inferred(year, f"published {published}")
    # a title may be taken from the first heading (一、2021年工作回顾): the same rule for both
    for line, what in [(title, "title"), *((p.text, f"heading {p.text[:30]}") for p in paragraphs[:8]
                                           if p.kind == "heading")]:
        # a year written as one (2021年度, 2021-2023年) before a number that names a programme (科技创新2030-“……”)
        if line and (m := next((y for y in YEAR.finditer(line) if _WRITTEN_AS_YEAR.match(line, y.end())), None)
                     or YEAR.search(line)):
            if _REVIEW_HEADING.search(line):
                return Inferred(int(m.group(1)) + 1, f"the year after the review heading {line[:30]}")
            return Inferred(int(m.group(1)), what)
    for p in [*reversed(paragraphs[-DATELINE_PARAGRAPHS:]), *paragraphs[:DATELINE_PARAGRAPHS]]:
        if len(p.text) <= 40 and (m := _FULL_DATE.search(p.text)):
            return Inferred(int(m.group(1)), f"dated {m.group()}")
    # the document's own number at its head (石政发〔2020〕3号): the year it was issued in; the numbers
    # it cites further on are of older documents
    numbers = [m for line in [title or "", *(p.text for p in paragraphs[:DATELINE_PARAGRAPHS])]
               for m in _DOCUMENT_NUMBER.finditer(line)
               if "》" not in line[max(0, m.start() - _CITED_WITHIN):m.start()]]  # 《…》（国发〔2017〕5号）: cited
    if numbers:
        latest = max(numbers, key=lambda m: m.group(1))
        return Inferred(int(latest.group(1)), f"document number {latest.group()}")
    years = [y for p in before_licence(paragraphs) if not LICENCE_NOTE.search(p.text)
             for clause in _CLAUSE_END.split(p.text) if not _FUTURE_CLAUSE.search(clause)
             for y in _years_of_now(clause)]
    if years:
        return Inferred(max(years), f"latest year named in the text ({max(years)}年)")
    return UNKNOWN
