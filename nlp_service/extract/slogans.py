"""Slogans: campaign and programme names, numeric formulas, catchphrases.

Chinese policy writing puts its slogans in quotation marks (“强基登峰”, “1+N”, “卡脖子”), but it
quotes many other things too: awards (“西湖友谊奖”), products (亚运火炬“薪火”), achievement
titles, laws, journals, direct speech. No toolkit separates them (the best available is "every
quoted span"), so the decision is written here, as rules over the quoted text and the words
around it — see :func:`candidate_kind`. Slogans that the text does not quote (新质生产力, 稳中求进)
are found through a lexicon mined from what the corpus quotes across many documents
(``resources/slogans.tsv``, built by ``scripts/mine_slogans.py``).

Each slogan is reported once with ``count`` and every span where it stands in the clean text,
quoted or not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from nlp_service.extract.finding import Finding
from nlp_service.text.markers import has_han

if TYPE_CHECKING:
    from nlp_service.models.quotes import QuoteClassifier

RULES_VERSION = 6  # raise with every change of the rules or the lexicon: the blind split is scored once per version
MAX_CHARS = 16  # a longer quotation is speech or a policy sentence, not a slogan
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"'}

_AWARD = re.compile(r"(?:奖|奖项|称号|荣誉|勋章|金奖|银奖|大奖|杯|红旗|认证|大师|标兵|模范|能手|之星"
                    r"|示范[\u4e00-\u9fff]{0,2}|名园|名城|名镇|名村)$|^全国示范")
_LAW = re.compile(r"(?:法|办法|条例|规定|细则|意见|通知|方案|规划|纲要|决定|公告|指南|标准|报告|白皮书)$")
_TITLE = re.compile(r"(?:技术与应用|关键技术|系统|装置|装备|设备|平台建设|研究|项目|工艺|材料|产品|芯片|软件)$")
_PRODUCT_BEFORE = re.compile(r"(?:火炬|飞机|卫星|探测器|飞船|号|系列|品牌|商标|(?<!农)产品|芯片|机器人|型号|牌"
                             r"|名为|叫做|称为|命名为|杂志|期刊|报|卡通人物|吉祥物|店|餐厅|航母|改为|更名为|改名为)$")
_AWARD_BEFORE = re.compile(r"(?:获颁|荣获|获得|授予|被评为|入选|评为)$")
# a thing launched, commissioned, flown or named: 成功发射“…”, “…”号 入列
_OBJECT_BEFORE = re.compile(r"(?:发射|入列|下水|首飞|试飞|交付|服役|着陆|登陆|对接|命名为|取名|摘得|夺得|获评|获誉"
                            r"|举办|承办|主办)了?$")
# the word after the closing quote says what the quoted name names: a vessel or craft, an award, a
# product, a medium or account, an event, a work, an organisation
_NAME_AFTER = re.compile(
    r"^(?:号|轮|舰|艇|卫星|飞船|探测器|火箭|潜水器|列车|专列|航班|系列(?:飞船|卫星|火箭|产品|机型)"
    r"|奖|杯|奖章|勋章|称号|荣誉称号"
    r"|服务[，。、；]|(?:特色|系列|金融|保险)?产品|等?[\u4e00-\u9fff]{0,3}品牌|商标|牌|系列产品|型|款|[\u4e00-\u9fff]{0,3}计算机"
    r"|(?:手机|移动)?(?:APP|App|app|客户端)|(?:政务)?微信(?:公众号|号|主页)?|公众号|微博|抖音号|小程序|网站|网页"
    r"|专栏|栏目|节目|频道|[\u4e00-\u9fff]{0,6}热线|杂志|期刊|报|中欧班列|班列"
    r"|大会|论坛|博览会|展会|展览会|峰会|大赛|竞赛|比赛|晚会|运动会|一书|一文|著作|丛书"
    r"|公司|集团|有限公司|协会|学会|基金会|医院|大学|学院|研究院|研究所)"
)
# a part of a screen or a form someone is told to use (选择“其他申报”, 进入“税费申报及缴纳”, 政务服务APP“浙里办”,
# “调查问卷”子栏目, “欠税缴纳”链接): the name of a menu, an app or a field, not a slogan
_INTERFACE_BEFORE = re.compile(r"(?:进入|选择|点击|登录|登陆|打开|勾选|下载|注明|填入|选定|上线"
                               r"|APP|App|app|小程序|客户端)$")
_INTERFACE_AFTER = re.compile(r"^(?:菜单|子?栏目|模块|页面|按钮|链接|行次|选项|入口|功能|界面|卡(?![位点])"
                              r"|窗口|专区|板块|版块)")
# a vessel, craft or satellite by its own name: …号 (嫦娥五号, 上海号), …舰 (辽宁舰)
_CRAFT_TEXT = re.compile(r"(?:[一二三四五六七八九十\d]+号|[\u4e00-\u9fff]{2,}号|舰)$")
# a financial or insurance product by its own name (租金保, 抗疫担保贷, 沪惠保)
_PRODUCT_TEXT = re.compile(r"^(?!.*[即就尽不无])[\u4e00-\u9fffA-Za-z]{2,}(?:贷|保|宝|险)$")  # not 见贷即保, 应保尽保
_PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt"})
# the quoted text is itself an organisation or a team (a short form is caught by 简称 below)
_ORG_TEXT = re.compile(r"(?:委员会|公司|集团|协会|学会|基金会|医院|大学|学院|研究院|研究所|实验室|联盟|组织|队|队伍"
                       r"|[省市县区][\u4e00-\u9fff]{1,4}[局厅委]|馆|中心|科技园|产业园|基地"
                       r"|博览会|展览会|交易会|运动会|大会|论坛|峰会|大赛|竞赛|艺术节|文化节|电影节)$")
# a lettered part of a framework: “A基础共性”、“B关键技术”、“C行业应用” (a code and its name; AI变革 is no code)
_PART_LABEL = re.compile(r"^[A-Z][\u4e00-\u9fff]{2,}")
_SHORT_FORM_BEFORE = re.compile(r"(?:以下简称|下称|简称|即)$")
# words someone said or held, reported (or refuted): 他们又说“农民太苦”, 有些人所说的“完全无法可循”,
# 所谓的“新观念”, 那种“左”的冒险主义 — speech or a view, not a slogan of the text (guide slogans-v2)
_VIEW_BEFORE = re.compile(r"(?:所谓的|认为|所说的|说什么|鼓吹|宣扬|叫嚷|那种|(?<![解小传听])说)[：:，,]?$")
_SPEECH = re.compile(r"[。！？!?；;]|[，,].*[，,]")
# what stands between two quotations of one list: 、 和 与 …, after an optional gloss in brackets
_LISTED = re.compile(r"(?:（[^（）“”]{0,20}）)?[、，,]?(?:和|与|及|以及|或)?")
# parallel short phrases (2–8 characters each, 3 to 8 of them, no sentence end): 早发现、早报告、早隔离
_PARALLEL = re.compile(r"^[^。！？!?；;，,、]{2,8}(?:[，,、][^。！？!?；;，,、]{2,8}){2,7}$")
_FORMULA = re.compile(
    r"^\d+$|[+＋]|^[\dA-Za-z+＋]+$|、|^[一二两三四五六七八九十百千万]+(?:个|大|项|化|链|位|张|条|区|点|网|联|型|流|新)"
    r"|^[二两三四五六七八九十]+[\u4e00-\u9fff]{1,2}$|^(?:[一二两三四五六七八九十][\u4e00-\u9fff]{1,2}){2,}$"
)
_CAMPAIGN_AFTER = re.compile(
    r"^(?:重点研发计划|计划|工程|行动|专项行动|专项|战略|政策|行动计划|三年行动|品牌|应用场景|应用|平台|模式|体系|"
    r"科创平台|改革|试点|活动|项目|建设|工作|示范|创建|系列)"
)
_CAMPAIGN_TEXT = re.compile(r"(?:\d{4}|\d+条|新政|计划|工程|行动|战略|专项)$|^双[\u4e00-\u9fff]{2,}")
# part-of-speech tags of an ordinary dictionary word (jieba's tag set): not a name (nr ns nt nz), an
# idiom (i) or a set phrase (l), which a slogan may well be
_PLAIN_TAGS = frozenset({"n", "v", "vn", "a", "ad", "an", "d", "ng", "vg", "ag", "f", "s", "t", "b", "z"})
KINDS = ("campaign", "formula", "catchphrase")
# rules whose "not a slogan" stands whatever the learned filter would say: speech, foreign words, and
# names recognised by their form or frame (awards, titles, products, craft, media, events, organisations,
# menus and apps)
NAME_RULES = frozenset({"award", "title", "craft", "product", "product_before", "object_before", "name_after",
                        "interface", "proper_name", "organisation", "part_label"})
HARD_RULES = NAME_RULES | {"speech", "not_chinese", "one_character"}


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every quotation, quote marks included in the span.

    >>> quoted_spans("构建“1+N”体系，实施‘强基登峰’工程")
    [(2, 7, '1+N'), (12, 18, '强基登峰')]

    """
    out = []
    i = 0
    n = len(text)
    while i < n:
        close = _PAIRS.get(text[i])
        if close:
            j = text.find(close, i + 1)
            nxt_open = text.find(text[i], i + 1) if close != text[i] else -1
            if j > i + 1 and (nxt_open < 0 or nxt_open > j) and "\n" not in text[i + 1:j]:
                out.append((i, j + 1, text[i + 1:j]))
                i = j + 1
                continue
        i += 1
    return out


def proper_name(tags: list[tuple[str, str]]) -> bool:
    """Proper names only, by the dictionary's tags (广东南沙, 中国广州): a place, person or organisation."""
    return len(tags) >= 2 and all(t in _PROPER_TAGS for _, t in tags)


def plain_word(tags: list[tuple[str, str]]) -> bool:
    """One ordinary word of the general dictionary (龙头, 套餐, 外行), which scare quotes only emphasise."""
    return len(tags) == 1 and tags[0][1] in _PLAIN_TAGS


def classify_quote(text: str, start: int, end: int, inner: str, *, use_lexicon: bool = True) -> tuple[str | None, str]:
    """(slogan kind or None, the rule that decided) for the quotation ``text[start:end]``.

    ``use_lexicon=False`` leaves out the rules that read the mined lexicon (the miner builds it).

    >>> t = "实施“强基登峰”工程，获颁“西湖友谊奖”，亚运火炬“薪火”，构建“1+N”体系，成功发射“天问一号”"
    >>> [(q, classify_quote(t, s, e, q)) for s, e, q in quoted_spans(t)]  # doctest: +NORMALIZE_WHITESPACE
    [('强基登峰', ('campaign', 'campaign_context')), ('西湖友谊奖', (None, 'award')),
     ('薪火', (None, 'product_before')), ('1+N', ('formula', 'formula')), ('天问一号', (None, 'craft'))]

    """
    from nlp_service.segment.words import pos_tags

    inner = inner.strip()
    squashed = re.sub(r"\s+", "", inner)
    parallel = bool(_PARALLEL.match(squashed))  # 早发现、早报告、早隔离: a formula however long
    if not squashed or (len(squashed) > MAX_CHARS and not parallel) or (_SPEECH.search(inner) and not parallel):
        return None, "speech"
    if not has_han(inner) and not re.search(r"\d", inner):
        return None, "not_chinese"  # Science, Nature, English names
    before = text[max(0, start - 4):start]
    known = use_lexicon and squashed in lexicon()
    if _VIEW_BEFORE.search(before):
        return None, "speech"
    if len(squashed) == 1 and not known:
        return None, "one_character"  # “左”, “疫”: a word emphasised, never a slogan on its own
    if "的" in squashed and re.search(r"[、，,]", squashed):
        return None, "speech"  # 具有立法、司法、行政性质的文件: a list that describes, no parallel slogan
    after = text[end:end + 8]
    campaign_after = bool(_CAMPAIGN_AFTER.match(after))
    # a bare number (“12345”热线) is a formula only where nothing names it (see the name rules below)
    formula = (bool(_FORMULA.search(squashed)) and not squashed.isdigit()) or parallel
    if _CRAFT_TEXT.search(squashed):
        return None, "craft"
    if _PART_LABEL.match(squashed):
        return None, "part_label"
    if _PRODUCT_TEXT.search(squashed) and not formula and not known:
        return None, "product"
    tags = pos_tags(squashed) if not formula and not known else []  # read by the proper-name and scare rules
    # a formula, or a slogan the corpus quotes in three documents, is no name whatever stands around it
    # (“1+17”热线, “互联网+”农产品, “菜篮子”产品)
    if not formula and not known:
        if _AWARD.search(squashed) or (_AWARD_BEFORE.search(before) and not campaign_after):
            return None, "award"
        if (_LAW.search(squashed) and len(squashed) > 4) or (_TITLE.search(squashed) and len(squashed) > 6
                                                           and not _CAMPAIGN_TEXT.search(squashed)):
            return None, "title"
        if _PRODUCT_BEFORE.search(before):
            return None, "product_before"
        if _OBJECT_BEFORE.search(before):
            return None, "object_before"
        if _NAME_AFTER.match(after):
            return None, "name_after"
        if _INTERFACE_BEFORE.search(before) or _INTERFACE_AFTER.match(after):
            return None, "interface"
        if proper_name(tags):
            return None, "proper_name"
    if not formula and (_ORG_TEXT.search(squashed) or _SHORT_FORM_BEFORE.search(before)) and not known:
        return None, "organisation"
    if formula or squashed.isdigit():
        return "formula", "formula"
    if campaign_after or _CAMPAIGN_TEXT.search(squashed):
        return "campaign", "campaign_context"
    if use_lexicon and not known and not quoted_elsewhere(squashed) and plain_word(tags):
        return None, "scare"  # one ordinary word that the corpus does not quote in other documents
    return "catchphrase", "catchphrase"


def candidate_kind(text: str, start: int, end: int, inner: str) -> str | None:
    """The slogan kind of a quotation ``text[start:end]``, or None when it is not a slogan.

    >>> t = "实施“强基登峰”工程，获颁“西湖友谊奖”，亚运火炬“薪火”，构建“1+N”体系，突破“卡脖子”技术"
    >>> [(q, candidate_kind(t, s, e, q)) for s, e, q in quoted_spans(t)]
    [('强基登峰', 'campaign'), ('西湖友谊奖', None), ('薪火', None), ('1+N', 'formula'), ('卡脖子', 'catchphrase')]

    """
    return classify_quote(text, start, end, inner)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class Slogan(Finding):
    """One slogan of an article, with every place it stands (``start``/``end``: the first)."""

    text: str
    kind: str
    count: int
    spans: tuple[tuple[int, int], ...]
    source: str  # "quoted" | "lexicon"


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """A slogan known from the corpus."""

    text: str
    kind: str
    documents: int


@lru_cache(maxsize=1)
def lexicon() -> dict[str, LexiconEntry]:
    """``resources/slogans.tsv``: slogans quoted across the corpus, plus the hand-curated ones."""
    out = {}
    table = resources.files("nlp_service.resources").joinpath("slogans.tsv").read_text(encoding="utf-8")
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, kind, docs, *_ = line.split("\t")
        out[text] = LexiconEntry(text, kind, int(docs))
    return out


@lru_cache(maxsize=1)
def quoted_documents() -> dict[str, tuple[int, bool]]:
    """``resources/quoted_documents.tsv``: how many corpus documents quote a string, and whether it was rejected."""
    table = resources.files("nlp_service.resources").joinpath("quoted_documents.tsv").read_text(encoding="utf-8")
    out = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            text, docs, rejected = line.split("\t")
            out[text] = (int(docs), rejected == "1")
    return out


def quoted_elsewhere(text: str) -> bool:
    """Whether corpus documents quote ``text`` (two or more, scored documents left out) and nobody rejected it."""
    docs, rejected = quoted_documents().get(text, (0, False))
    return docs >= 2 and not rejected


MIN_UNQUOTED = 3  # lexicon entries shorter than this are matched only where quoted


def find_slogans(text: str, blocked: tuple[tuple[int, int], ...] = (),
                 classifier: QuoteClassifier | None = None) -> list[Slogan]:
    """Slogans of a clean text, best evidence first (quoted ones, then lexicon matches).

    ``blocked`` spans (e.g. book titles) are skipped. With ``classifier`` (the learned filter,
    :class:`~nlp_service.models.quotes.QuoteClassifier`) it decides every quotation the hard rules
    (:data:`HARD_RULES`: speech, no Chinese, names by form or frame) leave open; without it,
    :func:`classify_quote` decides every one.
    """
    quotes = [(s, e, inner) for s, e, inner in quoted_spans(text) if not any(bs <= s < be for bs, be in blocked)]
    verdicts = [classify_quote(text, s, e, inner) for s, e, inner in quotes]
    # a string named as a thing once (“上海长宁”APP) is that thing wherever the document quotes it, and so
    # are the quotations listed with it (“神威太湖之光”和“天河二号”)
    named = [rule in NAME_RULES for _, rule in verdicts]
    listed = [bool(_LISTED.fullmatch(text, quotes[k][1], quotes[k + 1][0])) for k in range(len(quotes) - 1)]
    for k in range(len(listed)):  # forward along a list, then back: every member of a list with a name
        named[k + 1] = named[k + 1] or (listed[k] and named[k])
    for k in reversed(range(len(listed))):
        named[k] = named[k] or (listed[k] and named[k + 1])
    names = {inner.strip() for (_, _, inner), is_name in zip(quotes, named, strict=True)
             if is_name and inner.strip() not in lexicon()}
    decided: list[tuple[str, str | None, float]] = []  # (text, kind, confidence) of each quotation
    if classifier is None:
        for (_, _, inner), (kind, _) in zip(quotes, verdicts, strict=True):
            decided.append((inner.strip(), kind, 0.75))
    else:
        from nlp_service.models.quotes import quote_doc

        open_quotes = [q for q, (_, rule) in zip(quotes, verdicts, strict=True) if rule not in HARD_RULES]
        occurrences = Counter(inner.strip() for _, _, inner in open_quotes)
        docs = [quote_doc(text, s, e, inner, occurrences[inner.strip()]) for s, e, inner in open_quotes]
        for (_, _, inner), (kind, p) in zip(open_quotes, classifier.classify(docs), strict=True):
            decided.append((inner.strip(), kind, p))
    kinds: dict[str, Counter] = {}
    confidence: dict[str, float] = {}
    for key, kind, p in decided:
        if kind and key not in names:
            kinds.setdefault(key, Counter())[kind] += 1
            confidence[key] = max(confidence.get(key, 0.0), p)
    found: dict[str, tuple[str, float, str]] = {}
    for key, seen in kinds.items():
        entry = lexicon().get(key)
        # one occurrence in a campaign context (“强基登峰”工程) names the campaign for all of them
        kind = entry.kind if entry else next(k for k in KINDS if k in seen)
        conf = round(confidence[key], 3) if classifier is not None else 0.9 if entry else 0.75
        found[key] = (kind, conf, "quoted")
    for entry in lexicon().values():
        if entry.text not in found and len(entry.text) >= MIN_UNQUOTED and entry.text in text:
            found[entry.text] = (entry.kind, 0.7, "lexicon")
    spans_of = {key: [(m.start(), m.end()) for m in re.finditer(re.escape(key), text)] for key in found}
    longer = sorted(spans_of, key=len, reverse=True)
    out = []
    for key, (kind, conf, source) in found.items():
        # an occurrence inside a longer slogan (领跑 in 领跑领先) is not an occurrence of its own
        spans = tuple(sp for sp in spans_of[key]
                      if not any(len(o) > len(key) and any(a <= sp[0] and sp[1] <= b for a, b in spans_of[o])
                                 for o in longer))
        if spans:
            out.append(Slogan(text=key, kind=kind, count=len(spans), spans=spans, source=source,
                              start=spans[0][0], end=spans[0][1], confidence=conf, evidence=(source,)))
    out.sort(key=lambda x: x.spans[0][0])
    return out
