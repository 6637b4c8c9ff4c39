"""Which quantity a figure measures: the metric-key phrase table, and matching of free metrics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

MIN_SHARED = 4  # Han characters two free metric phrases must share to name the same quantity
SHARED_SHARE = 0.75  # … and the share of the shorter phrase that run must be
RATE_UNITS = ("%", "％", "‰", "个百分点")
# plan and report verbs and fillers around a metric phrase: 新建绿地 and 新增绿地 are one metric
_FILLERS = re.compile("中央财政|地方财政|各级财政|"
                      "今年|全年|去年|上年|年末|年底|全市|全国|全区|全省|拟安排|拟|安排|计划|预期|目标|要|将|力争|确保|"
                      "继续|完成|实现|达到|新增|新建|改建|建设|增加|减少|提高|降低|下降|增长|上涨|控制在|控制|保持|"
                      "稳定在|稳定|超过|以上|以内|左右|左右的|约|其中|分别|累计|(?<!公)共|的|"
                      "[由从](?=[^由从，,。；]{0,12}?到)|到(?= |$)|"  # 公共 is a word; 由35元提高到40元 is a frame
                      "以及|及(?!时)|和(?![平谐])|(?<!参)与")  # A及B / A和B: 架空线入地及合杆整治
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# units and counters: 增加5232亿元 names no metric, 亿元 is no phrase two figures can share
_UNITS = re.compile(r"[0-9０-９.．]+\s*(?:万亿元|亿元|万元|千元|元|万亿|亿|万|千)?\s*"
                    "(?:个|家|张|户|公里|千米|平方米|平方公里|亩|公顷|套|间|台|条|座|片|人次|人|项|吨|斤|千瓦时|所|处|辆)?")
_SHARE = re.compile("相当于|占|的比例|的比重|比重|贡献率")
# 单位地区生产总值能耗: a quantity per unit of output is an intensity, not the output the phrase names
_PER_UNIT = re.compile("(?:单位|每万元|万元)(?:地区|国内)?$")


_NOTE = re.compile(r"（[^（）]{0,20}）|\([^()]{0,20}\)|的")


@dataclass(frozen=True)
class MetricKey:
    """One row of ``metrics.tsv``."""

    key: str
    direction: str  # up, down, neutral
    kind: str  # rate or amount
    phrases: tuple[str, ...]
    qualified: bool  # several quantities under one key (emissions): the phrase found is part of the key


@lru_cache(maxsize=1)
def table() -> tuple[MetricKey, ...]:
    """The rows of ``nlp_service/resources/metrics.tsv``."""
    rows = []
    text = resources.files("nlp_service.resources").joinpath("metrics.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, direction, kind, phrases = line.split("\t")
            rows.append(MetricKey(key, direction, kind, tuple(phrases.split("|")), key == "emissions"))
    return tuple(rows)


def kind_of(unit: str | None) -> str:
    """``rate`` for percentages and per-mille, else ``amount``."""
    return "rate" if unit and unit.strip() in RATE_UNITS else "amount"


def metric_key(context: str, unit: str | None) -> tuple[str, str] | None:
    """(key, direction) of the phrase nearest the end of ``context`` whose key fits the unit; None if none.

    ``context`` is the text before the number (its clause, or the clause before when that one names
    nothing): the phrase ending last wins, a longer one on ties.
    """
    kind = kind_of(unit)
    share = _SHARE.search(context)
    if share:  # 研发经费支出相当于生产总值的比例: a share of GDP is not GDP; a free metric
        return None
    context = _NOTE.sub("", context)  # 粮食（不包括大豆）的产量 names 粮食产量: no phrase of the table has a note or 的
    best: tuple[int, int, str, str] | None = None
    for row in table():
        if row.kind != kind:
            continue
        for phrase in row.phrases:
            pos = context.rfind(phrase)
            if pos >= 0 and not _PER_UNIT.search(context, 0, pos):
                cand = (pos + len(phrase), len(phrase), f"{row.key}:{phrase}" if row.qualified else row.key,
                        row.direction)
                if best is None or cand[:2] > best[:2]:
                    best = cand
    return (best[2], best[3]) if best else None


def core(metric: str | None) -> str:
    """The Han characters of a metric phrase, fillers removed (what free metrics are compared by)."""
    return "".join(_HAN_RUN.findall(_FILLERS.sub("", _UNITS.sub(" ", metric or ""))))


def shared_run(a: str, b: str) -> int:
    """Characters ``a`` and ``b`` share in order, in runs of two or more.

    制造业企业加计扣除比例 and 制造业企业研发费用加计扣除比例 share all 11 of the first: 研发费用
    only qualifies the same quantity.
    """
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(m.size for m in blocks if m.size >= 2)


def same_free_metric(a: str | None, b: str | None) -> bool:
    """Two free metric phrases name one quantity.

    One is inside the other, or they share :data:`MIN_SHARED` characters in order (runs of two or
    more) that are :data:`SHARED_SHARE` of the shorter; for shares (A相当于B的比例, A占B) the
    subjects A are compared, not the common frame.

    >>> same_free_metric("将制造业企业加计扣除比例提高到", "将制造业企业研发费用加计扣除比例提高到")
    True
    >>> same_free_metric("中央财政为此新增支出", "中央财政用于三农的支出")
    False
    """
    ca, cb = core(_SHARE.split(a or "")[0]), core(_SHARE.split(b or "")[0])
    if not ca or not cb:
        return False
    n, shorter = shared_run(ca, cb), min(len(ca), len(cb))
    # 中央财政为此新增支出 / 中央财政用于三农的支出 share 中央财政 only: most of the shorter must be shared
    return n == shorter or (n >= MIN_SHARED and n >= SHARED_SHARE * shorter)
