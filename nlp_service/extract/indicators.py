"""Numeric indicators: quantities with the metric they measure, change, period and rank.

For every sentence of the clean text, quantities (:mod:`.quantities`) become
indicators unless they are not figures (see below), and gain:

- ``metric``: the thing measured. For a counted noun (4个龙头, 11名外国专家) the
  noun after the unit; otherwise the phrase before the number in its clause,
  stripped of time words, change verbs and particles (2022年宁波R&D经费支出净增58.27亿元
  -> 宁波R&D经费支出). A generic head (增幅, 增速, 比重) borrows the subject of the
  clause before it. With 分别 the listed subjects are distributed over the figures
  (高技术制造业、装备制造业增加值分别增长8.9%、7.7% -> two metrics, the shared head 增加值
  added to the first).
- ``change``: the change word nearest before the number in its clause (增长, 净增, 增至 …).
- ``period``: a year or span in the sentence (2022年, 一九五八年, 2021—2025年, 到2025年, a five-year
  plan: “十四五”末 -> 2025, “七五”计划 -> 1986-1990; not the base of a comparison, 比1955年,
  比“六五”期间, nor the year a change starts from, 由一九五七年的…增长到), else in the paragraph,
  else in the nearest heading before it that dates its section (一、2014年工作回顾,
  一、过去一年工作回顾) or a span in the title (……行动计划（2024-2025年）), else, for a target
  (力争, 争取, 预计, 目标是) given no years to run, the year of the text; else none. 去年/上年,
  今年/本年/新的一年 and 明年 in the sentence are resolved against ``published``
  (``text.markers.RELATIVE_YEARS``; after the sentence's own years, before the paragraph's). A
  figure per year (年均, 每年) takes the first span among these. Years listed before 分别 are
  shared out over its figures (2024年、2025年分别突破2.2万亿元、2.4万亿元).
- ``rank``: a rank claim after the number in the same clause group (居全省首位, 全国第一, 前十).

Not figures (nothing is extracted): dates, years, ordinals (第十二届), versions (3.0版),
codes (PM2.5, 5G), numbers inside short quoted names and titles (“两个直接”, “161”工程, “科技新政15条”, 《十六条》),
the indefinite 一 (一批, 一个), pairs named in words (两条道路, 两个市场).

Not handled yet: metrics that are only in an earlier sentence, units before numbers
(人民币100元), per-unit rates (元/吨), commitments' use of these indicators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from nlp_service.extract.finding import Finding
from nlp_service.extract.numbers import chinese_to_number
from nlp_service.extract.quantities import GAP, Quantity, find_quantities
from nlp_service.text.markers import (
    CHANGE_FROM,
    CHANGE_TO,
    FIVE_YEAR_PLAN,
    NUMERAL_CHARS,
    NUMERAL_DIGIT_CHARS,
    NUMERAL_DIGITS,
    NUMERAL_YEAR,
    PER_YEAR_AVERAGE,
    RELATIVE_YEARS,
    YEARS_TO_RUN,
    cited_spans,
    in_spans,
    plan_period,
)

_CLAUSE_DELIM = "，,；;：:。！？!?（(）)"
_CHANGE_WORDS = (
    "较上年增长", "较上年下降", "比上年增长", "比上年增加", "比上年下降", "比上年减少",
    "同比增长", "同比下降", "年均增长",
    "提高到", "提高至", "增加到", "增加至", "降低到", "降低至", "下降到", "下降至", "扩大到", "扩大至",
    "扩增到", "扩增至", "扩充到", "扩充至", "提升到", "提升至", "放宽到", "放宽至", "延长到", "延长至",
    "减少到", "减少至", "增长到", "增长至", "上升到", "上升至", "增至", "降至", "达到", "净增", "增长",
    "增加", "下降", "减少", "提高", "降低", "上升", "扩大", "缩小", "上涨", "下跌", "增幅", "翻番", "达",
)
# the change words that reach a level (提高到, 增至): they end the noun a figure counts, and the metric before one
_TO_LEVEL = tuple(w for w in _CHANGE_WORDS if w.endswith(("到", "至")))
_FEW = "[两二三四五六七八九十]"  # a few years in numerals (两年来, 这五年)
_STRIP_TAIL = re.compile(
    rf"(?:比上一年|比上年|比去年|较上一年|较上年|较去年|比[\d{NUMERAL_DIGIT_CHARS}]{{4}}年|"
    r"同比|年均|分别|共计|合计|总计|累计|共有|共|有|为|是|达到|达|实现|完成|仅用|用了|用|"
    + "|".join(_TO_LEVEL) + "|"
    r"减少|增加|增长|下降|提高|降低|净增|扩大|(?<![许认不宁])可|(?:由|从)[\d.]+(?:年|个|倍|%)?的?|"
    r"超过|突破|不低于|不少于|不超过|超|近|约|逾|至少|最高|以|给予|按|到|至|了|的|在|对|和|及|与|预计|预期|"
    # adverbs between the subject and its verb (涨幅仍然高达21.7%, 失业率平均为5.1%, 人口已达2.5亿); not the
    # 均 of 人均/日均, the 平均 of 每人平均, the 都 of 首都/成都 or the 要 of 纲要, which are part of a word
    r"高达|仍然|仍|依然|已经|已|(?<![人日年月户亩周平])均|(?<![首成京古])都|也|(?<![返归偿退])还|再|又|(?<![人户亩])平均|"
    r"(?<![大主武])将|(?<![主需重纲摘概提简必首])要|"
    # the 由/从 of a change (钢产量由3700万吨增加到…; not 自由, 理由, 服从) and 每年 before its verb (平均每年增长),
    # with the year or state it starts from (农场由1954年的…, 招生数将从一九八○年的…, 材料从原来的…)
    rf"(?:由|从)(?:(?:\d{{4}}|{NUMERAL_YEAR})年(?:底|末)?|上年|去年|原来|初期|最初)的?|"
    r"(?<![自理缘事来])由|(?<![服听随盲自])从|每年|"
    # a change named by its verb (贡献率上升3个百分点, 收入实际增长9.2%, 物业费减免50%); not 增产, whose
    # verb-only clause (粮食总产量达到120万吨，增产3万吨) tracking reads as a change of the amount before it
    r"上升|(?<![不])实际|减免)+$"
)
_STRIP_HEAD = re.compile(
    # a list's bullet (●辖区内临时号牌有效期为15天)
    r"^(?:[●○■□◆◇▲△★☆•·▪]\s*|"
    r"(?:\d{4}|" + NUMERAL_YEAR + r")年(?:\d{1,2}月)?(?:底|末|初|上半年|下半年|前)?|"
    # a day or month of the year before the subject (1月23日以来, 2月底前, 3月份)
    r"(?<!\d)\d{1,2}月(?:\d{1,2}日)?(?=以来|起|底|末|初|[份前中上下])(?:份|底|末|初|中旬|上旬|下旬)?前?|"
    r"今年|去年|上年|本年|全年|当年|年内|"
    # a span of years before the subject (这五年, 五年间, 两年来)
    r"(?:这|近)?" + _FEW + r"年(?:来|间|中|内)?|以来|同期|的|"
    r"其中|此外|另外|同时|并|共|已经|已|均|还|将|再|又|累计|在(?![校职岗建读园])|对(?!外)|从|截至|截止|到|至|"
    r"力争|争取|确保|预计|预期|我国|这一年|"
    # a conjunction or adverb that opens the clause (但财政用于民生的比例达到70%, 也有三分之一; not 都市, 也门)
    r"但是|但|而且|而|并且|且|然而|不过|仍然|仍|依然|也(?!门)|都(?![市江会城]))+"
)
# the plan a figure is measured against, not what it measures (超过原定的年度计划, 还超过了第一个五年计划所规定的
# 一九五七年的指标): the metric is the subject named before
_PLAN_FRAME = re.compile(r"(?:但是)?(?:还|又)?(?:超过|超额完成)了?(?:原定的|原订的)?[^，。；]{0,20}?(?:计划|指标)")
_INCLUSION = re.compile(r"(?:包括|包含|含|不包括|不含)[^，。；]*$")
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_GENERIC = {"增幅", "增速", "比重", "占比", "增长", "总数", "规模", "数量", "总量", "总额", "比例", "幅度", "人数"}
# a space between two Chinese characters: lines a scrape joined (……返还政策 预计返还资金十六亿元 稳定就业岗位……)
_LINE_GAP = re.compile(r"[\u4e00-\u9fff][ \u3000\t]+(?=[\u4e00-\u9fff])")
_RIGHT_STOP = re.compile(
    r"^\s+(?=[\u4e00-\u9fff])|[，,；;：:。！？!?、（(…《》]|(?<![公中])共(?![同享建青性识赢生创治商])|累计|为|在|获|获批|登上|"
    r"享受|参与|参加|实现|开展|落地|被|将|已|从|向|对|于|等|的|和|与|及|以"
)
_RIGHT_PUNCT = re.compile(r"^\s+$|[，,；;：:。！？!?、（(…《》]")
_COUNT_FAMILIES = {"count", "organisation", "people"}
# a year in Arabic or in Chinese numerals (2022年, 一九五八年, 二〇〇五年), or a span of them (2021—2025年)
_A_YEAR = rf"(?:(?:19|20)\d{{2}}|{NUMERAL_YEAR})"
_YEAR = re.compile(rf"(?=[\d{NUMERAL_CHARS}])(?<![\d{NUMERAL_CHARS}])({_A_YEAR})(?:年?\s*[-—–~至到]\s*({_A_YEAR}))?年")
# 按一九五二年不变价格计算: the year of the prices a figure is measured in, not the year it is of
_PRICE_BASE_AFTER = re.compile(r"的?不变价格")
_RANK = re.compile(
    r"(?:(?:连续\S{1,3})?(?:居|位居|跃居|保持|排在|排名|位列|列|稳居|居于)?)"
    r"(?:全国|全省|全市|全区|全球|世界|国内|省内|同类城市)"
    r"(?:第[一二三四五六七八九十\d]+位?|首位|前[一二三四五六七八九十\d]+(?:位|名)?|领先|第一方阵|前列)"
)
_QUOTED = re.compile(r"“[^“”]{1,12}”|‘[^‘’]{1,12}’|「[^「」]{1,12}」|《[^《》]{1,12}》")  # 《十六条》: a title
_COUNT_UNITS = {"个", "条", "项", "件", "种", "方面", "大", "类", "批", "场", "次"}
_AWARD_NOUN = re.compile(r"(?:奖励|补贴|补助|资助|支持|扶持|经费|奖金|贴息|配套|资金)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator(Finding):
    """A numeric indicator; ``start``/``end`` are offsets into the article's clean text."""

    text: str
    sentence: str
    metric: str | None
    value: float
    value_max: float | None
    unit: str
    normalized_value: float
    base_unit: str
    comparator: str
    change: str | None
    period: str | None
    rank: str | None


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What the extractor knows around one sentence."""

    text: str
    start: int  # offset of the sentence in the clean text
    paragraph_years: tuple[str, ...]  # years named in the paragraph, in order
    heading_years: tuple[str, ...]  # years of the headings above, nearest last
    published_year: int | None


def _is_figure(sentence: str, q: Quantity, quoted: list[tuple[int, int]]) -> bool:
    if any(a <= q.number_start and q.end <= b for a, b in quoted):
        return False  # quoted names (“两个直接”) and the formulas of the slogan lexicon (四个全面, 两个一百年)
    if q.chinese_numeral and q.rule == "unit" and q.normalized_value == q.value:
        if q.value in (0, 1) and q.unit != "倍":
            return False  # the indefinite 一 (一批, 一个), 零部件; not 增长一倍, a doubling
        if q.value == 2 and q.base_unit in _COUNT_UNITS:
            return False  # 两条道路, 两个市场: a pair named, not counted
    return True


@lru_cache(maxsize=1)
def _numeral_formulas() -> re.Pattern | None:
    """Names that hold a numeral, not counts.

    The formulas of the slogan lexicon (四个全面, 两个一百年, 六稳) and the numbered names the corpus
    always writes with one numeral (八项规定, 和平共处五项原则: ``resources/numbered_names.tsv``, mined
    by ``scripts/mine_numbered_names.py``). Longest first, so that 和平统一、一国两制 wins over 一国两制.
    """
    from nlp_service.extract.slogans import lexicon

    table = resources.files("nlp_service.resources").joinpath("numbered_names.tsv").read_text(encoding="utf-8")
    numbered = [line.split("\t")[0] for line in table.splitlines() if line.strip() and not line.startswith("#")]
    names = sorted({*(t for t, e in lexicon().items() if e.kind == "formula" and _NUMERAL_IN.search(t)), *numbered},
                   key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


_NUMERAL_IN = re.compile(r"[\d一二两三四五六七八九十百千万]")


def _clause_start(sentence: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and sentence[i - 1] not in _CLAUSE_DELIM + "、" and not _LINE_GAP.match(sentence, i - 2):
        i -= 1
    return i


# a change (the change words that reach a level: 扩增到, 达到) or the next count inside the noun after a figure
# (13个|扩增到30个, 5个|方面15条措施; not 4万个|5G基站,
# not 收入过200亿元, which describes the counted)
_FIGURE_OR_CHANGE = re.compile(r"(?<![\dA-Za-z])\d+(?=[个项条家名所支批类种次座张件台辆套])|" + "|".join(_TO_LEVEL))
_NOTE_BEFORE = re.compile(r"[（(][^（）()，。；]{1,20}[）)]\s*$")  # 行业技术规范标准（送审稿）不少于3项


def _left_metric(sentence: str, start: int, floor: int) -> tuple[str | None, int]:
    note = _NOTE_BEFORE.search(sentence[max(floor, start - 24):start])
    if note and note.start() > 0:  # a bracketed note just before the figure names nothing: read before it
        start = max(floor, start - 24) + note.start()
    left_start = _clause_start(sentence, start, floor)
    raw = sentence[left_start:start].rstrip(GAP)  # 下降到 30 (a space before the figure)
    stripped = _STRIP_TAIL.sub("", raw)
    head = _STRIP_HEAD.match(stripped)
    offset = head.end() if head else 0
    metric = stripped[offset:].strip(" “”\"‘’")
    if _PLAN_FRAME.fullmatch(metric):
        return None, left_start + offset  # 超过年度计划百分之四点一: what exceeded the plan is named before
    return (metric or None), left_start + offset


def _right_metric(sentence: str, end: int) -> str | None:
    """The noun right after a quantity: 11名|外国专家, 4亿元的|区域创新发展联合基金, 2个为|集成项目.

    It runs to a punctuation mark or a function word (为, 在, 对, 等, 向 …: :data:`_RIGHT_STOP`); a
    function word inside a noun jieba cuts whole ends the metric with that noun: 6个技术方向 keeps its
    方向, 重点优抚对象 its 对象, where a stop on the character cut them (疑似病例|正在排查 still stops at
    正在, no noun).
    """
    from nlp_service.segment.words import pos_tags

    rest = sentence[end:end + 24]
    rest = re.sub(r"^(?:的|为|是)", "", rest)
    m = _RIGHT_STOP.search(rest)
    stop = m.start() if m else len(rest)
    if m and not _RIGHT_PUNCT.search(m.group()):
        at = 0
        for word, flag in pos_tags(rest):
            if at <= m.start() and m.end() <= at + len(word) and len(word) > len(m.group()) and flag in ("n", "nz"):
                stop = at + len(word)  # the stop lies inside a noun (方向, 对象): the noun ends the metric
                break
            at += len(word)
            if at > m.start():
                break
    noun = rest[:stop]
    figure = _FIGURE_OR_CHANGE.search(noun)
    noun = noun[:figure.start()] if figure else noun
    noun = noun.strip(" “”\"‘’")
    return noun if len(noun) >= 2 else None


def _right_clause(sentence: str, end: int) -> str | None:
    """The rest of the clause after a duration: 仅用48天|就与…签订区域联合基金合作协议."""
    stop = end
    while stop < len(sentence) and sentence[stop] not in _CLAUSE_DELIM + "…":
        stop += 1
    text = re.sub(r"^(?:就|便|即|完成|了)+", "", sentence[end:stop])
    return text or None


def _previous_clause_subject(sentence: str, clause_start: int) -> str | None:
    """The stripped text of the clause before ``clause_start`` (增长22.6% borrows its subject)."""
    if clause_start <= 1:
        return None
    prev_start = _clause_start(sentence, clause_start - 1, 0)
    prev = sentence[prev_start:clause_start - 1]
    if _INCLUSION.match(prev) and prev_start > 1:
        # 工业总产值（不包括手工业产值，下同），包括原有企业和新建企业的在内，预计达到…: notes of what is
        # counted, and brackets, name nothing; the subject is the clause before them
        before = _BRACKETED.sub("", sentence[:prev_start - 1]).rstrip(_CLAUSE_DELIM + "、")
        prev = before[_clause_start(before, len(before), 0):]
    text = _STRIP_HEAD.sub("", prev)
    text = re.sub(r"[“‘][^”’]*[”’]$", "", text).strip()
    if len(text) < 2 or re.fullmatch(r"[一二三四五六七八九十0-9]+", text):
        return None  # list markers (一、) are no subject
    return text


def _change(sentence: str, clause_start: int, start: int) -> str | None:
    window = sentence[clause_start:start]
    best: tuple[int, str] | None = None
    for word in _CHANGE_WORDS:
        pos = window.rfind(word)
        if pos >= 0 and (best is None or pos + len(word) > best[0] or
                         (pos + len(word) == best[0] and len(word) > len(best[1]))):
            best = (pos + len(word), word)
    return best[1] if best else None


_BASE_WORDS = "比|较|同|与|相比"
_BASE_BEFORE = re.compile(rf"(?:{_BASE_WORDS})$")
_PLAN_BASE_BEFORE = re.compile(rf"(?:{_BASE_WORDS}|是)$")  # 是“十一五”末的3.1倍


_FROM_BEFORE = re.compile(rf"{CHANGE_FROM}$")
_CHANGE_TO = re.compile(CHANGE_TO)


def _period(ctx: SentenceContext, upto: int) -> str | None:
    """The year or span of the figure at ``upto``: the first of :func:`_periods`.

    A figure per year (年均增长10%, 每年认定10家) takes the first span among them instead: the years
    the average runs over. The two levels of a change over a span take its ends (这两年中，钢产量由
    2046万吨增加到3178万吨: 1976 and 1978 when 这两年 is 1977-1978; 从1980年至1985年…由…增加到…:
    1980 and 1985), unless the level it starts from is a comparison's base (同“五五”时期相比…由…).
    """
    found = _periods(ctx, upto)
    source, first = next(found, ("", None))
    if first is None:
        return None
    text, clause_start = ctx.text, _clause_start(ctx.text, upto, 0)
    per_year = _PER_YEAR.search(text, clause_start, upto)
    if per_year and "-" not in first:
        if source == "before" and ctx.published_year and int(first) > ctx.published_year and _DEADLINE_BEFORE.search(
                text, 0, upto):
            return f"{ctx.published_year}-{first}"  # 到2023年，每年打造10个 (in a plan of 2021): 2021-2023
        if source != "before":
            # 今后五年，争取…平均每年增长百分之五: the report's own year is no average's period
            return next((p for _, p in found if "-" in p), None if source == "target" else first)
        return first
    base_year = _BASE_YEAR_IN.search(text, clause_start, upto)
    base = int(base_year.group(1).translate(NUMERAL_DIGITS)) if base_year else 0
    if base and source == "before" and "-" not in first and base < int(first) - 1 and _change(
            text, clause_start, upto):
        return f"{base + 1}-{first}"  # 一九八五年…比一九八○年末增长三倍: 1981-1985
    if "-" not in first:
        return first
    from_level = _FROM_BEFORE.search(text, clause_start, upto) and _CHANGE_TO.search(text, upto,
                                                                                     _clause_end(text, upto))
    base_plans = [plan_period(m) for m in FIVE_YEAR_PLAN.finditer(text, 0, upto)
                  if _BASE_BEFORE.search(text, 0, m.start())]
    if base_plans:  # “六五”时期同“五五”时期相比…由3.053亿吨增加到3.7062亿吨: 五五's level, then 六五's
        return base_plans[-1] if from_level else first
    if per_year:
        return first
    if from_level:
        start = int(first[:4])
        return str(start if source == "before" and _ENDPOINTS.search(text, 0, upto) else start - 1)
    if _CHANGE_TO_BEFORE.search(text, clause_start, upto) and _CHANGE_FROM_IN.search(text, clause_start, upto):
        return first[-4:]  # …增加到3178万吨: the level at the span's end
    return first


def _clause_end(sentence: str, pos: int) -> int:
    m = _CLAUSE_END.search(sentence, pos)
    return m.start() if m else len(sentence)


_CLAUSE_END = re.compile(f"[{_CLAUSE_DELIM}]")
_CHANGE_FROM_IN = re.compile(CHANGE_FROM)
_CHANGE_TO_BEFORE = re.compile(rf"(?:{CHANGE_TO})$")
_DEADLINE_BEFORE = re.compile(rf"(?:到|至)\s*{_A_YEAR}年[^。；;]*$")  # 到2023年，…每年…
# the year a change is measured from, in the figure's clause (比一九八○年末增长三倍)
_BASE_YEAR_IN = re.compile(rf"(?:{_BASE_WORDS})({_A_YEAR})年")
# a span stated as the years a change runs between (从一九八○年至一九八五年，…由…增加到…)
_ENDPOINTS = re.compile(rf"(?:{CHANGE_FROM}{_A_YEAR}年?|{_A_YEAR}年)\s*[至到]\s*{_A_YEAR}年")


_PER_YEAR = re.compile(rf"{PER_YEAR_AVERAGE}|每年|年平均")
# the present (目前, 截至目前) and a day or month named without its year (截至2月18日, 1月20日以来, 2月以来)
_NOW_OR_DATE = re.compile(r"目前|当前|眼下|(?<![\d年])[1-9]\d?月(?:[1-9]\d?日|以来|份|底|初|中旬|上旬|下旬)")
# a target stated with no year is due in the year its text is of (力争引进支持全球顶尖人才10人, in a text of 2024)
_FORWARD = re.compile(r"力争|争取|预计|目标(?:是|为)")  # 将, 计划, 确保, 要 too were worse on the dev split
# … unless it is given years to come (力争用二十年的时间, 在十二年内达到, 今后五年)
_YEARS_LONG = re.compile(YEARS_TO_RUN)


def _periods(ctx: SentenceContext, upto: int) -> Iterator[tuple[str, str]]:
    """(source, year) of where a figure's year may come from, best first.

    The sentence up to the figure (``before``), else the whole sentence; 去年/今年 …; the paragraph;
    the headings above, nearest first; for a target, the year of the text.
    """
    titles = cited_spans(ctx.text)
    for source, text in (("before", ctx.text[:upto]), ("sentence", ctx.text)):
        # 比1955年增加了…: the base of a comparison, not the year a figure is of; nor is the year a change
        # starts from the year of the level it reaches (由一九五七年的535万吨增长到1108万吨: 1108 is not 1957's);
        # nor a year in a cited title (为贯彻落实《……行动计划（2019-2021年）》，构建……)
        years = [(m.start(), _year_text(m)) for m in _years(text) if not _BASE_BEFORE.search(text, 0, m.start())
                 and (m.group(2) or not (_FROM_BEFORE.search(text, 0, m.start())
                                         and _CHANGE_TO.search(text, m.end(), upto)))
                 and not in_spans(m.start(), titles)]
        years += [(m.start(), plan_period(m)) for m in FIVE_YEAR_PLAN.finditer(text)  # “十四五”末, “七五”计划
                  if not _PLAN_BASE_BEFORE.search(text, 0, m.start())  # 比“六五”期间增长, 是“十一五”末的3.1倍
                  and not in_spans(m.start(), titles)]
        if years:
            yield source, max(years)[1]
            break
    if ctx.published_year:
        for word, delta in RELATIVE_YEARS.items():
            if word in ctx.text:
                yield "relative", str(ctx.published_year + delta)
                break
        else:
            if _NOW_OR_DATE.search(ctx.text):  # 目前…, 截至2月18日…: the year of the text
                yield "relative", str(ctx.published_year)
    yield from (("paragraph", y) for y in ctx.paragraph_years[:1])
    yield from (("heading", y) for y in reversed(ctx.heading_years))
    group = ctx.text.rfind("；", 0, upto) + 1
    if (ctx.published_year and _FORWARD.search(ctx.text, group, upto)
            and not _YEARS_LONG.search(ctx.text, group, upto)):
        yield "target", str(ctx.published_year)


# a paragraph that opens a review of the years before the report (过去五年，…; 这两年中，…; 五年来，… in its
# first two sentences): a time adverbial of its own clause, not 近两年平均经济增速
_REVIEW_YEARS = re.compile(rf"^(?:[^。！？]*[。！？]){{0,2}}?[^。！？]*?(?:^|[。！？，,；;：:])\s*在?"
                           rf"(?:过去的?({_FEW})年|({_FEW})年(?:以)?来|(?:这|近|最近)({_FEW})年(?:来|中|里|间|以来|[，,]))")


def review_years(paragraph: str) -> int | None:
    """How many years before its report a paragraph opens a review of (过去五年，…  -> 5), or None.

    >>> review_years("一九七八年比一九七七年增长。这两年中，钢产量由…增加到…")
    2
    >>> review_years("并同近两年平均经济增速相衔接。") is None
    True
    """
    m = _REVIEW_YEARS.match(paragraph[:200])
    if m:
        return int(chinese_to_number(m.group(1) or m.group(2) or m.group(3)) or 0) or None
    return 5 if _FIVE_YEARS_SAID.match(paragraph[:200]) else None


# … and 过去五年, 五年来 anywhere in those sentences (我们回顾过去五年的工作), as in a heading
_FIVE_YEARS_SAID = re.compile(r"^(?:[^。！？]*[。！？]){0,2}?[^。！？]*?(?:过去的?五年|近?五年来)")


def years_before(published_year: int, n: int = 5) -> str:
    """The span a review of the ``n`` years before a report of ``published_year`` is about (2018 -> "2013-2017")."""
    return f"{published_year - n}-{published_year - 1}"


def years_in(text: str) -> tuple[str, ...]:
    """Years and year spans named in ``text`` (2022年 -> "2022", 2021—2025年 -> "2021-2025")."""
    return tuple(_year_text(m) for m in _years(text))


def _years(text: str) -> list[re.Match]:
    """The years and spans named in ``text`` (:data:`_YEAR`), less the years of constant prices."""
    return [m for m in _YEAR.finditer(text) if not _PRICE_BASE_AFTER.match(text, m.end())]


def _year_text(m: re.Match) -> str:
    start = m.group(1).translate(NUMERAL_DIGITS)
    return f"{start}-{m.group(2).translate(NUMERAL_DIGITS)}" if m.group(2) else start


_SINCE = re.compile(r"以来|来")


def paragraph_years(text: str, *, cited: bool = True) -> tuple[str, ...]:
    """The years a paragraph is about: :func:`years_in`, less the start of a span (2013年以来).

    ``cited`` False: less those inside a cited title too (为贯彻落实《……行动计划（2019-2021年）》，…).

    >>> paragraph_years("2013年以来新增的市场主体去年纳税4.76万亿元。2021年贷款增长27.3%。")
    ('2021',)
    """
    titles = [] if cited else cited_spans(text)
    return tuple(_year_text(m) for m in _years(text) if not _SINCE.match(text, m.end())
                 and not in_spans(m.start(), titles))


def heading_years(text: str, published_year: int | None) -> tuple[str, ...]:
    """The years a heading is about: those it names, else the one its words name (一、过去一年工作回顾).

    >>> heading_years("一、过去一年工作回顾", 2005), heading_years("二、2005年工作总体部署", 2005)
    (('2004',), ('2005',))
    """
    years = paragraph_years(text)
    if years or published_year is None:
        return years
    if _FIVE_YEARS_SAID.match(text):  # 一、过去五年工作回顾: the five years before the report
        return (years_before(published_year),)
    word = next((w for w in _HEADING_RELATIVE_YEAR if w in text), None)
    return (str(published_year + _HEADING_RELATIVE_YEAR[word]),) if word else ()


_HEADING_RELATIVE_YEAR = {"过去一年": -1, "一年来": -1, **RELATIVE_YEARS}


def _rank(sentence: str, end: int) -> str | None:
    stop = min((sentence.find(c, end) for c in "；;。" if sentence.find(c, end) >= 0), default=len(sentence))
    m = _RANK.search(sentence, end, stop)
    return m.group() if m else None


# what may stand between two figures of one list after 分别: 112家、224家和134家
_FIGURE_LIST_GAP = re.compile(r"[、和与及]|以及")
_CONJUNCTIONS = frozenset({"和", "与", "及", "以及"})
# what the subjects are compared with is no part of them (小微企业、“三农”贷款增速比各项贷款平均增速分别高4.2和
# 0.7个百分点), nor are the adverbs and modal words metrics drop (_STRIP_TAIL: 二氧化硫、氮氧化物排放要分别减少…)
_COMPARED_TAIL = re.compile(r"(?:比|较|高于|低于)[^、，,；;。]*$")
# word classes that do not stand in a shared noun phrase (jieba's tags: preposition, numeral, adverb,
# conjunction, pronoun)
_NOT_IN_A_HEAD = frozenset("pmdcr")
# a subject that is itself a measure (能耗, 用水量, 增长率) takes no head from its neighbour (能耗、二氧化碳排放量)
_MEASURE_END = re.compile(r"[量率耗额值数度价费金入出比]$")


def _listed_after(sentence: str, quantities: list[Quantity]) -> list[Quantity]:
    """The figures of the list that opens ``quantities`` (分别增加到【112家、224家和134家】)."""
    out = quantities[:1]
    for q in quantities[1:]:
        if not _FIGURE_LIST_GAP.fullmatch(sentence[out[-1].end:q.start].strip(GAP)):
            break
        out.append(q)
    return out


def _subject_items(subject: str, want: int) -> list[str]:
    """The listed subjects before 分别: split at 、, and at 和/与/及 too when that gives one per figure.

    城市和农村低保标准 (two figures) -> 城市, 农村低保标准; 科技、教育、卫生和文化事业的支出 (four figures)
    -> four subjects. A conjunction splits only where jieba tags it as one (普及 is no 及), and only
    when the count then matches the figures listed after 分别.
    """
    from nlp_service.segment.words import pos_tags

    items = [x for x in subject.split("、") if x]
    if len(items) >= 2 and len(items) == want:
        return items
    joined, current = [], ""
    for word, tag in pos_tags(subject):
        if word == "、" or (word in _CONJUNCTIONS and tag == "c"):
            joined.append(current)
            current = ""
        else:
            current += word
    joined = [x for x in [*joined, current] if x]
    return joined if 2 <= len(joined) == want else items


def _shared_head(items: list[str]) -> tuple[str, str]:
    """(generic head, word head) the listed subjects share: 二氧化硫、氮氧化物排放量 -> 排放量.

    The word head — the last subject less its first word, when it holds no preposition, numeral or
    adverb — goes to a subject that ends in one word after its last 的, unless that word is itself a
    measure (城市和农村低保标准 -> 城市低保标准; 直属的内河和沿海运输企业的货物周转量 ->
    直属的内河运输企业的货物周转量; 能耗、二氧化碳排放量 stay apart); the generic head (增加值, 产量 …)
    goes to any other subject that lacks it; 城镇居民人均可支配收入和农村居民人均纯收入 keep their own.
    """
    from nlp_service.segment.words import pos_tags

    head = ""
    for generic in ("增加值", "收入", "产量", "投资", "总额", "规模", "比重", "人数", "数量", "产值", "支出", "增速",
                    "增幅"):
        if items[-1].endswith(generic) and not all(i.endswith(generic) for i in items):
            head = generic
    tagged = pos_tags(items[-1])[1:]
    if items[-1][:1] in "“‘「『（(" or any(tag[:1] in _NOT_IN_A_HEAD for _, tag in tagged):
        # a last subject opened by a quote (“三农”贷款增速) has no first word to drop; 浙江从没有产量 and
        # 冶金三大重点行业的复工率 have no noun phrase to share
        return head, ""
    return head, "".join(w for w, _ in tagged).lstrip("的")


_YEAR_LIST_GAP = re.compile(r"[、和与及,，\s]*")


def _listed_years(clause: str) -> tuple[list[str], int]:
    """The years a clause ends with, listed (工业总产值1958年和1959年 -> ["1958", "1959"]), and where they begin."""
    found = _years(clause)
    gaps = [clause[a.end():b.start()] for a, b in pairwise(found)]
    if len(found) < 2 or clause[found[-1].end():].strip() or not all(_YEAR_LIST_GAP.fullmatch(g) for g in gaps):
        return [], len(clause)
    return [_year_text(m) for m in found], found[0].start()


def _distribute(sentence: str, quantities: list[Quantity]
                ) -> tuple[dict[int, str], dict[int, tuple[str, int]], dict[int, int]]:
    """Figures listed after 分别: their metrics, their years, and the first figure of each one's list.

    The first map holds the metric of each figure whose subjects distribute; the second, the year of
    each figure whose years distribute and where the listed years begin; the third, for every figure
    of a list after its first, the start of that list's first figure.
    甲、乙增加值分别增长8.9%、7.7% -> 甲增加值, 乙增加值; 城市和农村低保标准分别提高9.97%和14.1% ->
    城市低保标准, 农村低保标准; 城乡低保标准分别提高9.97%和14.1%: no metrics to distribute, one change.
    Years listed in the clause before 分别 are shared out the same way (营收2024年、2025年分别突破2.2万亿元、
    2.4万亿元 -> 2024, 2025); the figures keep the subject of the clause before.
    """
    from nlp_service.segment.words import pos_tags

    metrics: dict[int, str] = {}
    periods: dict[int, tuple[str, int]] = {}
    first_of_list: dict[int, int] = {}
    for m in re.finditer("分别", sentence):
        after = [q for q in quantities if q.start >= m.end()]  # 分别突破2.2万亿元: the figure starts at its comparator
        listed = _listed_after(sentence, after)
        first_of_list.update((q.start, listed[0].start) for q in listed[1:])
        subject_start = _clause_start(sentence, m.start(), 0)
        # the subject list may itself use 、 — walk back over it
        while subject_start > 0 and sentence[subject_start - 1] == "、":
            subject_start = _clause_start(sentence, subject_start - 1, 0)
        years, begin = _listed_years(sentence[subject_start:m.start()])
        if len(years) >= 2 and len(years) == len(listed):  # 2024年、2025年分别突破2.2万亿元、2.4万亿元
            periods.update((q.start, (y, subject_start + begin)) for q, y in zip(listed, years, strict=True))
            continue
        subject = _STRIP_HEAD.sub("", sentence[subject_start:m.start()])
        subject = _STRIP_TAIL.sub("", _COMPARED_TAIL.sub("", subject))
        items = _subject_items(subject, len(listed))
        if len(items) < 2 or len(after) < len(items):
            continue
        head, word_head = _shared_head(items)
        for item, q in zip(items, after, strict=False):
            tail = item.rpartition("的")[2]
            if word_head and item != items[-1] and len(pos_tags(tail)) == 1 and not _MEASURE_END.search(tail):
                item += word_head  # 城镇和农村常住居民人均可支配收入; 直属的内河和沿海运输企业的货物周转量
            elif head and not item.endswith(head):
                item += head
            metrics[q.start] = item
    return metrics, periods, first_of_list


def find_indicators(ctx: SentenceContext) -> list[Indicator]:
    """Indicators of one sentence (offsets into the clean text).

    Example:
        >>> ctx = SentenceContext("2022年宁波R&D经费支出净增58.27亿元，对全省增量的贡献达22.5%。", 0, (), (), None)
        >>> [(i.metric, i.value, i.unit, i.change, i.period) for i in find_indicators(ctx)]
        [('宁波R&D经费支出', 58.27, '亿元', '净增', '2022'), ('全省增量的贡献', 22.5, '%', '达', '2022')]

    """
    s = ctx.text
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(s)]
    if (formulas := _numeral_formulas()) is not None:
        quoted += [(m.start(), m.end()) for m in formulas.finditer(s)]
    quantities = [q for q in find_quantities(s) if _is_figure(s, q, quoted)]
    distributed, listed_years, first_of_list = _distribute(s, quantities)
    out: list[Indicator] = []
    changes: dict[int, str | None] = {}
    year_lists: dict[int, str | None] = {}  # the metric of each list of years before 分别, by its start
    previous_metric: str | None = None
    floor = 0
    for q in quantities:
        evidence = [f"quantity:{q.rule}"]
        if q.comparator_word:
            evidence.append(f"comparator:{q.comparator_word}")
        left, left_pos = _left_metric(s, q.start, floor)
        if q.start in listed_years:  # 工业总产值1958年和1959年分别增长…: the subject stands before the years
            left, left_pos = _left_metric(s, listed_years[q.start][1], 0)
        family = q.family
        clause_start = _clause_start(s, q.start, floor)
        right = None
        if family in _COUNT_FAMILIES or q.rule == "ratio":
            right = _right_metric(s, q.end)
        elif family == "time" and not left and not s.startswith("的", q.end):  # 6个月的……标准: attributive
            right = _right_clause(s, q.end)
        elif (noun := _right_metric(s, q.end)) and _AWARD_NOUN.search(noun) and not s.startswith("的", q.end):
            right = noun  # 给予最高2000万元|落户奖励
        elif s.startswith("的", q.end):
            attributive = _right_metric(s, q.end)
            right = attributive if attributive and attributive not in _GENERIC else None
        metric: str | None
        if q.start in listed_years and listed_years[q.start][1] in year_lists:  # the list's later figures
            metric, text_start, text_end = year_lists[listed_years[q.start][1]], q.start, q.end
        elif q.start in distributed:
            metric, text_start, text_end = distributed[q.start], q.start, q.end
            evidence.append("metric:distributed")
        elif right:
            # the noun may follow a stripped 的/就/quote: the span ends where the noun ends in the sentence
            metric, text_start, text_end = right, q.start, s.index(right, q.end) + len(right)
            evidence.append("metric:counted_noun")
        elif left and left not in _GENERIC:
            metric, text_start, text_end = left, left_pos, q.end
            evidence.append("metric:before")
        elif left and previous_metric:
            metric, text_start, text_end = previous_metric + left, left_pos, q.end
            evidence.append("metric:previous_clause")
        elif not left and (borrowed := previous_metric or _previous_clause_subject(s, clause_start)):
            metric = borrowed
            text_start, text_end = q.start, q.end
            evidence.append("metric:previous_clause")
        else:
            metric, text_start, text_end = left, (left_pos if left else q.start), q.end
        change = _change(s, clause_start, q.start) or ("翻番" if q.rule == "doubling" else None)
        if change is None and q.start in first_of_list:  # 分别提高9.97%和14.1%: the list's change is every figure's
            change = changes.get(first_of_list[q.start])
        changes[q.start] = change
        if q.start in listed_years:
            year_lists.setdefault(listed_years[q.start][1], metric)
        out.append(Indicator(
            text=s[text_start:text_end], start=ctx.start + text_start, end=ctx.start + text_end, sentence=s,
            metric=metric, value=q.value, value_max=q.value_max, unit=q.unit,
            normalized_value=q.normalized_value, base_unit=q.base_unit, comparator=q.comparator,
            change=change,
            period=listed_years[q.start][0] if q.start in listed_years else _period(ctx, q.start),
            rank=_rank(s, q.end),
            confidence=round(0.9 if metric else 0.6, 2), evidence=tuple(evidence),
        ))
        if metric and metric not in _GENERIC:
            previous_metric = metric
        floor = q.end
    return out
