"""Targets and reported figures of v1 results, and the link from each target to its outcome."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from nlp_service.extract.indicators import years_in
from nlp_service.text.markers import CHANGE_FROM, CHANGE_TO, NUMERAL_DIGIT_CHARS, PER_YEAR_AVERAGE, YEAR, YEARS_TO_RUN
from nlp_service.tracking.metrics import core, kind_of, metric_key, same_free_metric, shared_run

# raise with every change of the rules below or of the extraction they read: the test split is
# scored once per version
TRACKER_VERSION = 72
STATUSES = ("met", "not_met", "partly_met", "no_evidence", "not_due")
RATE_TOLERANCE = 0.5  # percentage points around an approximate rate target (guide tracking-v1 §8.4)
AMOUNT_TOLERANCE = 0.02  # share of an approximate amount target
_CLAUSE_END = re.compile(r"[，,；;。：:！？!?\n]")
_RANGE_JOIN = ("－", "-", "—", "–", "~", "～", "至", "到")
_DOWN_WORDS = ("下降", "减少", "降低", "回落", "下滑")
_UP_WORDS = ("增长", "增加", "提高", "上涨", "上升", "增至", "提高到")
_DELTA_WORDS = ("增加", "减少", "提高", "降低", "下降", "多", "少", "增长")
_NOT_A_YEAR_VALUE = re.compile("累计|年均|平均每年|季度|上半年|下半年|个月|月份|今年|拟|预期|预计|力争|目标是|计划"
                               "|要把|曾提出|提出要|年初(?:确定|提出|预定)")
# (a target recalled in the review: 曾提出，要把…控制在10%以内; 没有实现年初确定的…降低4%左右…的目标)
# the words of a span of years: a five-year plan's totals and averages, a horizon of decades (合计 is not one:
# 合计比上一年增长百分之四点六 is a year's total); a year in numerals (一九八五年, 2005年内) is none
_MULTI_YEAR = re.compile(rf"{PER_YEAR_AVERAGE}|(?<![{NUMERAL_DIGIT_CHARS}十])五年(?!级)|{YEARS_TO_RUN}"
                         r"|期间|累计|翻[一两]番")
# the size of the people a measure serves (今年高校毕业生820多万人), and the bound that decides whom a measure
# covers (年应纳税所得额不到100万元的部分): a commitment's figures that set no target
_COHORT = re.compile(r"(?:毕业生|劳动力|人口|农民工|就业人员)(?:人数|总量|总数|规模)?(?:预计|将|将会|仍)?"
                     r"(?:高达|达到|达|为|有|超过)?[0-9.一二三四五六七八九十百千万亿]+多?万?人(?:以上|左右)?$")
_COHORT_CHANGE = re.compile("增|减|提高|降低|转移|脱贫|帮助|促进|实现|完成|培训|安置")
_THRESHOLD = re.compile("(?:不到|不足|不超过|(?<!不)低于|(?<!不)超过|(?<!不)高于)"
                        "[0-9.一二三四五六七八九十百千万亿]+[^的，,。；;]{0,3}的")
_CLASSIFIERS = ("项", "条", "个", "只", "大", "次", "种", "点", "方面", "件", "位", "句", "手", "字")
# the level a change starts from (由每人每年380元提高到420元, 能耗由前三年分别上升4.9%…，转为下降1.2%,
# 居民消费价格由上年的上涨3.9%回落到1.8%): after 由/从 in its clause (the clause ends with the figure), before
# the 到/至/转为 of the change
_FROM_BEFORE = re.compile(rf"{CHANGE_FROM}(?P<when>[^由从到至，,。；;：:]{{0,30}})$")
_TO_AFTER = re.compile(rf"[^由从到至。；;：:！？!?]{{0,30}}?(?:{CHANGE_TO})")
# … of a year its words name: a named year (由2012年的52.6%, 由一九五七年的…) is the level of that year, and
# in a review (no word of a plan in the sentence before it) 上年 and 前三年 are years before the one reviewed;
# a plan's 上年 (中央财政支出将由上年18亿元增加到95亿元) is the year reviewed, as the extractor reads it
_YEAR_BEFORE = re.compile(r"上年|去年|前[一二两三四五]年")
# the level a change reaches (由240元提高到450元): in a review of several years it is the level of their last
_CHANGE_REACHES = re.compile(r"[由从][^由从，,。；;：:]{1,30}?(?:到|至|转为|变为)[^由从到至，,。；;：:]{0,20}$")
_SPAN = re.compile(r"^\d{4}-(\d{4})$")
_PLAN_WORD = re.compile("将|拟|要|计划|预计|力争|争取")
_COMPARATORS = {"~": "approx", ">=": "floor", ">": "floor", "<=": "ceiling", "<": "ceiling", "=": "exact"}
# an outcome stated in words (guide tracking-v1 §8.3, §8.7): the year's aim reached or missed, in a
# sentence that names the metric (国内生产总值增长率达到预期目标, 城镇调查失业率明显低于年初预期目标,
# 进出口总额出现下降，预期增长目标未能实现); 完成全年主要目标任务 names no metric and settles nothing
# (主要目标 are every aim at once: no metric's)
_AIM = r"(?:(?:年初|全年|年度)的?(?:预期|预定)?|(?:预期|预定))(?!主要)(?:[\u4e00-\u9fff]{0,4}?)目标"
_STATED = re.compile(
    rf"(?P<met>(?:达到|实现|完成)了?{_AIM}|超额完成了?{_AIM})"
    rf"|(?P<not_met>{_AIM}(?:未能|没有|未)(?:实现|完成|达到)|(?:未能|没有|未)(?:实现|完成|达到){_AIM})"
    rf"|(?P<lower>低于{_AIM})|(?P<higher>高于{_AIM})"
    # the binding targets together (各项约束性指标超额完成): energy, carbon and emission intensity
    rf"|(?P<binding_met>约束性指标(?:全面|均|都|全部)?(?:超额)?完成)"
    rf"|(?P<binding_not_met>约束性指标(?:未能|没有|未)(?:全面)?完成)")
# the metric keys that 约束性指标 names in a report's review: the binding targets of the five-year plans
_BINDING = frozenset({"energy_intensity", "carbon_intensity", "emissions"})
# … but not an aim still ahead (为实现全年预期目标, 确保完成年度目标) or a plan (今年, 拟)
_AHEAD = re.compile(r"(?:为|确保|力争|争取|努力|要|将|能否|保证|今年|明年|拟)[^，,。；;]{0,4}$")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass(frozen=True)
class Figure:
    """One figure of one article, with what tracking needs to compare it."""

    article_id: str
    year: int | None  # the article's year
    region: str | None
    text: str
    sentence: str | None
    context: str  # the clause of the figure, up to its end
    phrase: str  # the whole clause: what a free metric is compared by
    metric: str | None
    key: str | None
    direction: str
    value: float
    value_high: float | None
    unit: str | None
    base_unit: str | None
    normalized_value: float | None
    comparator: str
    change: str | None
    period: str | None
    start: int
    end: int

    @property
    def kind(self) -> str:
        """``rate`` or ``amount``."""
        return kind_of(self.unit)


@dataclass(frozen=True)
class Statement:
    """An outcome stated in words: a report says the year's aim for a metric was reached or missed."""

    article_id: str
    year: int | None  # the report's year; it speaks of the year before
    region: str | None
    text: str  # from the clause that names the metric to the words of the verdict
    sentence: str
    keys: frozenset[str]  # the metric keys its words name (rate or amount)
    phrase: str  # the words before the verdict: what a free metric is compared by
    verdict: str  # met | not_met | lower | higher (than the aim)

    value = None  # no figure: the evidence objects of the API and the CLI read these
    unit = None

    @property
    def period(self) -> str | None:
        """The year it speaks of."""
        return str(self.year - 1) if self.year is not None else None

    def names(self, target: Figure) -> bool:
        """Whether its words name the quantity ``target`` sets."""
        if target.key is not None:  # emissions:氨氮 is named by its own key, or by all emissions at once
            return target.key in self.keys or target.key.partition(":")[0] in self.keys
        return not self.keys and same_free_metric(target.phrase, self.phrase)

    def status(self, target: Figure) -> str | None:
        """The status it gives ``target``: lower or higher than the aim decide by the metric's direction."""
        if self.verdict in ("met", "not_met"):
            return self.verdict
        if target.direction == "neutral":
            return None
        return "met" if (self.verdict == "lower") == (target.direction == "down") else "not_met"


def statements(clean: str, article_id: str, year: int | None, region: str | None) -> list[Statement]:
    """The outcomes a text states in words (:data:`_STATED`), each naming a metric before its verdict."""
    out = []
    for m in _STATED.finditer(clean):
        stop = [e.end() for e in _SENTENCE_END.finditer(clean, max(0, m.start() - 120), m.start())]
        begin = stop[-1] if stop else max(0, m.start() - 120)
        before = clean[begin:m.start()]
        verdict = next(name for name, value in m.groupdict().items() if value)
        binding = verdict.startswith("binding_")  # names its metrics itself: nothing need come before
        if _AHEAD.search(before) or not (before.strip() or binding):
            continue
        if binding:
            keys, verdict = _BINDING, verdict.removeprefix("binding_")
        else:
            keys = frozenset(found[0] for found in (metric_key(before, unit) for unit in ("%", None)) if found)
        end = _SENTENCE_END.search(clean, m.end())
        out.append(Statement(article_id=article_id, year=year, region=region, text=clean[begin:m.end()].strip(),
                             sentence=clean[begin:end.start() if end else len(clean)].strip(), keys=keys,
                             phrase=before, verdict=verdict))
    return out


@dataclass(frozen=True)
class Target:
    """A figure inside a commitment, due in a year."""

    figure: Figure
    due: int | None
    commitment: dict
    commitment_index: int


@dataclass
class Tracked:
    """A target, its status, the reason in words and the figures that settle it."""

    target: Target
    status: str
    reason: str
    evidence: list[Figure | Statement] = field(default_factory=list)


def _region(result: dict) -> str | None:
    region = result.get("region")
    return region.get("name") if isinstance(region, dict) else region


def _year(result: dict) -> int | None:
    year = result.get("year")
    value = year.get("value") if isinstance(year, dict) else year
    return value if isinstance(value, int) else None


def _clause_ends(clean: str, start: int) -> list[re.Match[str]]:
    """The clause ends within 200 characters before ``start``, in order."""
    return list(_CLAUSE_END.finditer(clean, max(0, start - 200), start))


def _clause(clean: str, start: int, end: int) -> tuple[str, str]:
    """(the clause of a figure up to the figure's end, the phrase that names what it measures).

    The clause reaches back over the clause before when it names nothing before the figure
    (国内生产总值达到74.4万亿元，增长6.7%). The phrase is the whole clause (完成100公里架空线入地:
    the object follows the number), or, in a list of figures (新建林地5万亩、绿地1000公顷), the
    list item of the figure when it names one.
    """
    cut = [m.end() for m in _clause_ends(clean, start)]
    own = begin = cut[-1] if cut else max(0, start - 200)
    if len(cut) >= 2 and len(core(clean[begin:end])) < 2 and clean[cut[-1] - 1] in "，,":
        begin = cut[-2]
    stop = _CLAUSE_END.search(clean, end, end + 200)
    finish = stop.start() if stop else end + 200
    # the list item and the object after the number are read in the figure's own clause (完成55万平方米、
    # 2.8万户…房屋改造), not in the clause before that the context reached back to
    item_begin = clean.rfind("、", own, start) + 1 or own
    item_end = clean.find("、", end, finish)
    item = clean[max(item_begin, own):item_end if item_end >= 0 else finish]
    if len(core(item)) >= 2:
        return clean[begin:end], item
    return clean[begin:end], clean[own:finish] if len(core(clean[own:finish])) >= 2 else clean[begin:finish]


_DIGIT = re.compile(r"\d")
# a figure in years is a duration (再延长三年, 延长30年的政策) or a span, never a level to reach; a time
# limit in days or hours (审批时间压缩至120天) is, and stays
_DURATIONS = frozenset({"年"})
_VERB_ONLY = 2  # Han characters left of a clause that names no metric (开工, 完成) once fillers are gone


def _own_clause(clean: str, start: int, end: int) -> str:
    """The figure's own clause up to its end, without the clause before that :func:`_clause` may reach back to."""
    cut = _clause_ends(clean, start)
    return clean[cut[-1].end() if cut else max(0, start - 200):end]


def _clause_before(clean: str, start: int) -> str:
    """The clause before the one at ``start``, when a comma joins them in one sentence; else ''."""
    cut = _clause_ends(clean, start)
    if not cut or cut[-1].group() not in "，,":
        return ""
    begin = cut[-2].end() if len(cut) >= 2 else max(0, start - 200)
    return clean[begin:cut[-1].start()]


def _is_name(ind: dict) -> bool:
    """四项基本原则, 八项规定, 两只手: a small number in words before a classifier names a thing, it is no figure."""
    return (not any(ch.isdigit() for ch in ind["text"]) and float(ind["value"]) <= 10
            and (ind.get("unit") or "") in _CLASSIFIERS)


def _reported(fig: Figure) -> bool:
    """Whether a figure outside commitments can be an outcome: a level or rate of one year.

    Not: a running total (累计), a multi-year average (年均上涨1.9%), part of a year (一季度下降6.7%),
    a plan (今年赤字率拟按2.8%安排: the later report's own targets, where the commitment extractor
    missed them), a target the review recalls (去年…曾提出，要把…上涨幅度控制在百分之十以内), a difference from
    another year in an amount (比去年增加300亿元) or in percentage points (低0.4个百分点) — none of
    them is the year's value of a target's metric.
    """
    if _NOT_A_YEAR_VALUE.search(fig.context) or (fig.unit or "").strip() == "个百分点":
        return False
    return not (fig.kind == "amount" and "比" in fig.context and fig.change in _DELTA_WORDS)


def _adds(change: str | None) -> bool:
    """Whether the extractor's change word says an amount was added or taken off (增加, 比上年减少), not reached."""
    return change is not None and change.endswith((*_DELTA_WORDS, "上升", "增产", "减产"))


def _sentence_lead(clean: str, start: int) -> str:
    """The sentence of the figure at ``start`` up to it (at most 200 characters)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(clean, max(0, start - 200), start)]
    return clean[ends[-1] if ends else max(0, start - 200):start]


def _level_changed_from(fig: Figure, when: str, lead: str, plan_year: int | None) -> Figure:
    """A figure a change starts from (:data:`_FROM_BEFORE`), with the year its words name.

    Its period is the last year ``when`` names (由1979年的…、1980年的一百二十七亿元: 1980); else, inside a
    commitment (``plan_year``: the year before the report's), that year; else none for a year before
    the one reviewed (上年, 前三年, where ``lead``, the sentence up to the figure, has no word of a plan),
    else the extractor's.
    """
    named = years_in(when)  # the extractor's reading of a year, in Arabic or Chinese numerals
    if named:
        return replace(fig, period=named[-1])
    if plan_year is not None:
        return replace(fig, period=str(plan_year))
    if _YEAR_BEFORE.search(when) and not _PLAN_WORD.search(lead):
        return replace(fig, period=None)
    return fig


def figures(result: dict, article_id: str | None = None, *, region: str | None = None,
            year: int | None = None) -> tuple[list[Target], list[Figure | Statement]]:
    """(targets, reported figures and outcomes stated in words) of one v1 result.

    ``article_id``, ``region`` and ``year`` default to the result's own (the store passes what it
    keeps: a region or date given with the article wins over the inferred one).
    """
    clean = result.get("clean_text") or ""
    aid = article_id or result.get("id") or ""
    year, region = year or _year(result), region or _region(result)
    spans = [(c["start"], c["end"], k) for k, c in enumerate(result.get("commitments", []))
             if c.get("start") is not None]
    inds = sorted((i for i in result.get("indicators", [])
                   if i.get("value") is not None and i.get("start") is not None), key=lambda i: i["start"])
    targets: list[Target] = []
    reported: list[Figure | Statement] = list(statements(clean, aid, year, region))
    skip = set()
    for n, ind in enumerate(inds):
        if n in skip:
            continue
        high = ind.get("value_max")
        nxt = inds[n + 1] if n + 1 < len(inds) else None
        if (nxt is not None and nxt.get("unit") == ind.get("unit") and 0 < nxt["start"] - ind["end"] <= 1
                and clean[ind["end"]:nxt["start"]] in _RANGE_JOIN) or (
                nxt is not None and nxt["start"] == ind["end"] and nxt["text"][:1] in _RANGE_JOIN):
            high = nxt["value"]  # 6.5%－7%: the extractor sees two figures
            skip.add(n + 1)
        if _is_name(ind) or (ind.get("unit") or "").strip() in _DURATIONS:
            continue  # 四项基本原则; 再延长三年, 延长30年的政策: a duration is no quantity to track
        context, phrase = _clause(clean, ind["start"], ind["end"])
        # the clause names the metric (居民消费价格上涨2%); else the extractor's metric, which looks
        # further back (国内生产总值达到74.4万亿元，增长6.7% → 国内生产总值)
        found = metric_key(context, ind.get("unit")) or metric_key(ind.get("metric") or "", ind.get("unit")) \
            or metric_key(phrase, ind.get("unit"))  # 完成1000万以上农村贫困人口脱贫任务: the noun follows the number
        if found is not None and kind_of(ind.get("unit")) == "amount" and _adds(ind.get("change")) \
                and len(core(_own_clause(clean, ind["start"], ind["end"])).replace("了", "")) <= _VERB_ONLY:
            # 粮食总产量达到13908亿斤，增加177亿斤: a clause of a verb alone is read with the subject before it,
            # but the amount it adds is a change of that quantity, not its level (a rate after it, 增长6.7%, is
            # the subject's growth: its key stands)
            found = None
        if found is None and len(core(context)) <= _VERB_ONLY and "分别" not in context:
            # 启动新的三年棚改攻坚计划，今年开工580万套 / 农村居民人均纯收入5153元，实际增长9.8%: a clause
            # of a verb only measures what the clause before it in its sentence names — unless that
            # clause holds an amount this one changes (粮食总产量达到46947万吨，增产3877万吨)
            before = _clause_before(clean, ind["start"])
            if not (kind_of(ind.get("unit")) == "amount" and _DIGIT.search(before)):
                found = metric_key(before, ind.get("unit"))
        own = ind.get("metric") or ""
        if "metric:distributed" in (ind.get("evidence") or ()) and own and own in context:
            # 城镇调查失业率、城镇登记失业率分别为4.8%和4.3%: each figure its own metric of the list in its clause
            found = metric_key(own, ind.get("unit")) or found
        fig = Figure(article_id=aid, year=year, region=region, text=ind["text"], sentence=ind.get("sentence"),
                     context=context, phrase=phrase, metric=ind.get("metric"), key=found[0] if found else None,
                     direction=found[1] if found else "up", value=float(ind["value"]),
                     value_high=float(high) if high is not None else None, unit=ind.get("unit"),
                     base_unit=ind.get("base_unit"), normalized_value=ind.get("normalized_value"),
                     comparator="range" if high is not None
                     else _COMPARATORS.get(ind.get("comparator") or "=", "exact"),
                     change=ind.get("change"), period=ind.get("period"), start=ind["start"], end=ind["end"])
        inside = next((k for s, e, k in spans if s <= ind["start"] < e), None)
        start_of_change = _FROM_BEFORE.search(context)
        when = start_of_change["when"] if start_of_change and _TO_AFTER.match(clean, ind["end"]) else None
        lead = _sentence_lead(clean, ind["start"]) if when is not None else ""
        if inside is None:
            if _reported(fig):
                reported.append(fig if when is None else _level_changed_from(fig, when, lead, None))
                span = _SPAN.match(fig.period or "")
                if span and _CHANGE_REACHES.search(context):
                    reported.append(replace(fig, period=span[1]))  # … also a level of the span's last year
            continue
        if year is not None and when is not None:
            # 由每人每年380元提高到420元: the level a commitment raises is the one of the year before the report,
            # or of the year it names; not a plan's figure or an average (由原定平均每年百分之六, 由今年预计的44%)
            if not _NOT_A_YEAR_VALUE.search(when):
                reported.append(_level_changed_from(fig, when, lead, year - 1))
            continue
        if (_COHORT.search(context) and not _COHORT_CHANGE.search(context)) or _THRESHOLD.search(
                clean, max(0, ind["start"] - 3), ind["end"] + 1):
            continue  # 今年高校毕业生820多万人, 应纳税所得额不到100万元的部分: who or what a measure is for
        c = result["commitments"][inside]
        years = YEAR.findall(c.get("deadline") or "")
        due = int(years[-1]) if years else year
        if due == year and _MULTI_YEAR.search(context):
            # a figure over several years (五年内增加的年产能力, “十五”期间年均增长7%) is due when they end: a
            # year its text does not give, whatever the report's plan section says of its year
            due = None
        targets.append(Target(fig, due, c, inside))
    return targets, reported


def same_metric(target: Figure, other: Figure) -> bool:
    """Whether ``other`` measures the quantity ``target`` sets (key, or shared metric phrase; same kind)."""
    if target.kind != other.kind:
        return False
    if target.kind == "amount" and target.base_unit != other.base_unit and not (
            target.key is not None and target.key == other.key and not (target.base_unit and other.base_unit)):
        return False  # 贫困人口再减少1000万 and 贫困人口减少800万人: a bare number counts what its key counts
    if target.key is None and other.key is None and target.kind == "amount" and (
            target.change in _DELTA_WORDS) != (other.change in _DELTA_WORDS):
        # 中央财政投入增加300亿元 sets an increase: 投入国债资金147亿元, a level, does not settle it (a metric
        # key, such as poverty_reduction, names its quantity whichever way a text words it)
        return False
    if _stage(target.context) and _stage(other.context) and _stage(target.context) != _stage(other.context):
        return False  # 保障性安居工程新安排740万套 is started, 基本建成772万套 finished: two quantities
    if target.key is not None or other.key is not None:
        return target.key == other.key
    if target.kind == "amount" and _magnitudes_apart(target, other):
        # 国家财政将每年安排支出1030多亿元 and 中央财政支出42.7亿元 share words, not a quantity: outside
        # one era of campaign figures, a target and its gold outcome are within 2.1× of each other
        return False
    return same_free_metric(target.phrase, other.phrase)


MAX_FREE_RATIO = 5.0  # how far apart a free-metric target and its outcome may be (train/dev gold: ≤ 2.07 after 1958)


def _magnitudes_apart(target: Figure, other: Figure) -> bool:
    a = target.normalized_value if target.normalized_value is not None else target.value
    b = other.normalized_value if other.normalized_value is not None else other.value
    if a <= 0 or b <= 0:
        return False
    return max(a, b) / min(a, b) > MAX_FREE_RATIO


# the stage of a construction a figure counts: started (开工, 新安排) or finished (建成, 竣工)
_STARTED = re.compile(r"开工|新安排|开建")
_FINISHED = re.compile(r"建成|竣工|交付")


def _stage(context: str) -> str | None:
    started, finished = _STARTED.search(context), _FINISHED.search(context)
    return "started" if started and not finished else "finished" if finished and not started else None


def _signed(outcome: Figure, target: Figure) -> float:
    """The outcome's value, negative when it moves against the target (增长 set, 下降 reported, or back)."""
    def way(change: str | None) -> int:
        return -1 if any(w in (change or "") for w in _DOWN_WORDS) else \
            1 if any(w in (change or "") for w in _UP_WORDS) else 0

    value = outcome.normalized_value if outcome.kind == "amount" and outcome.normalized_value is not None \
        else outcome.value
    return -value if way(outcome.change) * way(target.change) < 0 else value


def judge(target: Figure, outcome: Figure) -> tuple[str, str]:
    """(met or not_met, the comparison in words) under guide tracking-v1 §8.4."""
    scale = 1.0
    if target.kind == "amount" and target.normalized_value is not None and target.value:
        scale = target.normalized_value / target.value
    lo = target.value * scale
    hi = (target.value_high * scale) if target.value_high is not None else lo
    actual = _signed(outcome, target)
    tol = RATE_TOLERANCE if target.kind == "rate" else AMOUNT_TOLERANCE * abs(lo)
    d, c = target.direction, target.comparator
    if c == "floor":
        ok, rule = actual >= lo, f"≥ {_fmt(lo, scale)}"
    elif c == "ceiling":
        ok, rule = actual <= lo, f"≤ {_fmt(lo, scale)}"
    elif c == "range":
        ok, rule = {"up": (actual >= lo, f"≥ {_fmt(lo, scale)}"), "down": (actual <= hi, f"≤ {_fmt(hi, scale)}")}.get(
            d, (lo <= actual <= hi, f"in {_fmt(lo, scale)}–{_fmt(hi, scale)}"))
    elif d == "up":
        ok, rule = actual >= lo - tol, f"≥ {_fmt(lo, scale)} − {_fmt(tol, scale)}"
    elif d == "down":
        ok, rule = actual <= lo + tol, f"≤ {_fmt(lo, scale)} + {_fmt(tol, scale)}"
    else:
        ok, rule = abs(actual - lo) <= tol, f"= {_fmt(lo, scale)} ± {_fmt(tol, scale)}"
    return ("met" if ok else "not_met"), f"{_fmt(actual, scale)} {rule} ({c}, {d})"


def _fmt(x: float, scale: float) -> str:
    return f"{x / scale:g}"


def _closest(target: Figure, found: list[Figure]) -> Figure | None:
    """Of one document's figures of the target's metric, the one worded most like it (the first on ties).

    One key can hold several quantities of a report (a total and its part, two stages of one programme):
    the one whose wording shares the most with the target's settles it.
    """
    if len(found) <= 1:
        return found[0] if found else None
    want = core(target.phrase)
    return max(found, key=lambda g: shared_run(want, core(g.phrase)))


def pick_by_rules(target: Figure, figures: list[Figure]) -> Figure | None:
    """Of one document's figures of the target's due year, the outcome: same metric, worded most like it."""
    return _closest(target, [g for g in figures if same_metric(target, g)])


def track(targets: Iterable[Target],
          documents: Sequence[tuple[int | None, str | None, list[Figure | Statement]]],
          pick: Callable[[Figure, list[Figure]], Figure | None] = pick_by_rules) -> list[Tracked]:
    """Each target's status against ``documents``: (year, region, reported figures) of every article.

    A document can settle a target when it is of the same region (or either has none) and of a
    later year; the outcome is, in the first such document (earliest year first) with a figure that
    measures the same quantity in the target's due year, the one of them worded most like the
    target (:func:`_closest`; ``pick`` chooses among a document's figures of the due year, for a
    matcher to be measured beside the rules). Without one, a report of the year after that states in words
    that the aim for the same metric was reached or missed (:class:`Statement`) settles it.
    """
    out = []
    for t in targets:
        f = t.figure
        if t.due is None:
            out.append(Tracked(t, "not_due", "no due year: the document has no year" if f.year is None else
                               "no due year: a figure over several years, whose end the text does not give"))
            continue
        later = sorted(((y, r, figs) for y, r, figs in documents if y is not None and y > t.due
                        and (f.region is None or r is None or r == f.region)), key=lambda d: d[0])
        if not later:
            out.append(Tracked(t, "not_due", f"no document after {t.due} yet"))
            continue
        hit = next((found for found in (pick(f, [g for g in figs if isinstance(g, Figure) and g.period == str(t.due)
                                                 and g.article_id != f.article_id]) for _, _, figs in later)
                    if found is not None), None)
        said = None if hit is not None else next(
            (s for y, _, figs in later if y == t.due + 1 for s in figs
             if isinstance(s, Statement) and s.article_id != f.article_id and s.names(f) and s.status(f)), None)
        if said is not None:
            verdict = said.status(f)
            assert verdict is not None  # chosen for having one
            out.append(Tracked(t, verdict, f"stated in {said.year}: {said.text[-40:]}", [said]))
            continue
        if hit is None:
            out.append(Tracked(t, "no_evidence", f"no figure of this metric for {t.due} in {len(later)} later "
                                                 f"document{'s' if len(later) > 1 else ''}"))
            continue
        status, reason = judge(f, hit)
        out.append(Tracked(t, status, reason, [hit]))
    return out
