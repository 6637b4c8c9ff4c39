"""What a reader uses to decide a clause: document kind, section, list and lead-in, tense markers.

The markers and section patterns are shared by the rules classifier (:mod:`.gate`), the
evidence gate and the field reader (:mod:`.fields`); they live here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nlp_service.extract.region_year import title_line
from nlp_service.text.markers import CARRIES_OUT, before_licence

LABELS = ("commitment", "achievement", "other")


SECTIONS = ("review", "plan", "none")


@dataclass(frozen=True, slots=True)
class ClauseContext:
    """One clause with what a reader uses to decide it.

    The first five fields are what the annotators saw; the rest is the document structure the
    walker (:func:`clause_contexts`) reads: the document kind, the section the clause stands in
    (a review part or a plan/tasks part), whether it is an item of a list opened by a lead-in (and
    the lead-in), the segmenter's heading rule when the clause is a heading line, and the part of
    its sentence before it (where a 将 or a 到2025年 carries over to the clauses after it).
    """

    clause: str
    sentence: str  # the sentence, clause marked with 【】
    before: str = ""  # up to 120 characters before the sentence, same paragraph
    heading: str | None = None  # nearest heading above
    title: str | None = None  # document title
    kind: str | None = None  # document kind (KINDS)
    section: str = "none"  # SECTIONS
    in_list: bool = False
    lead_in: str | None = None
    heading_rule: str | None = None
    carried: str = ""

    @property
    def before_clause(self) -> str:
        """The clause's sentence up to the clause (the part a lead such as 通知要求， stands in)."""
        return self.sentence.partition("【")[0]

    @property
    def plain_sentence(self) -> str:
        """The clause's sentence without the marks 【】 around the clause."""
        return self.sentence.replace("【", "").replace("】", "")

    def model_text(self) -> tuple[str, str]:
        """(first, second) segment of the classifier input: the clause, then its context.

        The structure comes first as short tags, so that a character model reads it like text.
        """
        tags = (f"{_KIND_TAG.get(self.kind or '', '')}{_SECTION_TAG[self.section]}{'列' if self.in_list else ''}"
                f"{'题' if self.heading_rule else ''}")
        return self.clause, (f"{tags}｜{(self.lead_in or '')[-30:]}｜{self.heading or ''}｜{self.before[-40:]}｜"
                             f"{self.sentence}｜{self.title or ''}")

    def features(self) -> dict[str, float]:
        """The structure as one-hot features (for a linear model beside the n-grams)."""
        out = {f"kind={self.kind}": 1.0, f"section={self.section}": 1.0}
        if self.in_list:
            out["in_list"] = 1.0
        if self.heading_rule:
            out[f"heading={self.heading_rule}"] = 1.0
        if says_future(self.clause):
            out["future"] = 1.0
        if says_past(self.clause):
            out["past"] = 1.0
        if says_future(self.carried):
            out["sentence_future"] = 1.0
        if says_past(self.carried):
            out["sentence_past"] = 1.0
        return out


_KIND_TAG = {"work-report": "报", "cpc-report": "党", "plan": "规", "action-plan": "方", "measures": "措",
             "notice": "通", "news": "闻"}
_SECTION_TAG = {"review": "回", "plan": "计", "none": "无"}


# -- markers -------------------------------------------------------------------------------------
# 将 as the object marker (将X提高至Y) says nothing of time; 将 right before an adverb or a preposition
# (将优先纳入……, 将通过减免租金……为企业减压) is the future, whatever verb follows
OBJECT_MARKER = (r"(?!通过|优先|进一步|全力|加快|继续|积极|大力|逐步|尽快|陆续|适时|持续|不断|切实|着力|依法|按照|根据|"
                 r"对(?![口象应外])|为(?!期)|在(?![校职岗读编册建途押库])|于|与|从(?![业事])|向|给予|予以|结合|会同|分批|视情|"
                 r"酌情|主动|及时|直接)"
                 r"[^，。；]{1,25}?(?:提高|降低|调整|扩大|缩短|延长|增加|减少|纳入|列入|作为|改为|放宽|下放|上调|下调|"
                 r"视为|确定为|认定为|分为|转化为|交由|整合|贯穿|融入|减免|免除|写入|(?:广泛)?应用于|运用于|用于)")
# 要 as a modal word, not in a word that holds it (需要, 重要, 主要, 纲要, 要求, 要素 …): the fields' modal
# words and the future markers read it alike
MODAL_YAO = r"(?<![需重主只摘纪提概纲])要(?![求素点闻害职件员案领])"
# 应 and 须 as modals of obligation (企业应实行封闭管理, 须定时对……消毒), not in a word that holds them (应对,
# 相应, 供应, 回应, 应届, 应付, 应力, 应运; 须知, 无须, 毋须): the fields' modal words and the gate's evidence
# read them alike
MODAL_YING = r"(?<![理本相供响反适对效感呼顺答照回承])应(?![对用急收付届聘征邀试变答运有激力])"
MODAL_XU = r"(?<![必无毋不])须(?!知)"
# the verbs by which a news item gives someone the floor (局长张建龙强调，……; 他表示：……): read by the
# gate (a clause that only leads into speech) and by the fields (who has the floor)
SPEECH_VERBS = r"表示|说|介绍|指出|强调|透露|通报|认为|谈到|坦言"
# advice someone gives (市税务局……建议公众尽量选择……), not the word as a noun (的建议, 建议书, 建议稿, 为建议)
ADVISES = r"(?<![为的和与及])建议(?![下的和与及书稿])"
# the lookahead names where a match can start: at a marker of the last alternatives, or one character before
# a marker of the first (which takes the character before it): without it every position tried them all
_FUTURE_FIRST = "将必务确力争拟计预目努着"
FUTURE = re.compile(
    rf"(?=[要到12今未下明新十{_FUTURE_FIRST}]|[^已必即终][{_FUTURE_FIRST}])(?:"
    r"(?:^|[^已必即终])(?:将(?![近来])(?!" + OBJECT_MARKER + r")|必须|务必|确保|力争|争取|拟|计划(?:在|于|到|用|新建|投资|完成|安排)|预期|目标(?!初步|基本|全面|如期|顺利|已)|力求|"  # noqa: E501
    r"(?<![懈的同])努力(?![。，”])|着力)|" + MODAL_YAO +
    r"|到(?:19|20)\d\d年|(?:19|20)\d\d年(?:底|末)?前|今后|未来|下一步|明年|今年(?!以来)|新的一年|十[一二三四五六七八九]五(?:期间|时期)?)"
)
# what a subsidy or relief measure provides (给予……奖励, 可予以展期): policy content, never a report
GRANTING = r"给予|予以|准予|减免|免收|免征|减征|缓缴"  # the verbs of a grant or relief (给予……补贴, 免征……, 准予延期)
PROVISION = re.compile(GRANTING + r"|资助|补贴|补助|奖励|返还|贴息|配套|展期|续贷|一次性")
# (read for whether it occurs: a 了 after a character that is no space or comma, as the rule was first
# written — a run of one to four such characters, then 了 — but tried at the 了 only; the lookahead names
# every alternative's first character)
PAST = re.compile(
    r"(?=[已累去上过一五以实完取达建同比了曾先业截此])(?:"
    r"已经|已(?![于经])|累计|去年|上年|过去(?:一|五|的)|一年来|五年来|以来(?!自)|实现了|完成了|取得了|达到了|建成了|"
    r"同比|比上年|比去年|(?<=[^\s，。为除])了(?![解结])|曾|先后|业已|截至|截止|此前)"
)


# a quoted name or slogan (“两个确保”), not quoted speech; a five-year plan in quotes (“十四五”) still looks forward
_SHORT_QUOTE = re.compile(r"“(?!十[一二三四五六七八九]五”)[^“”，,。；;：:！？!?]{1,12}”")


def unquoted(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """Matches of ``pattern`` in ``text`` outside short quotations.

    A marker inside a quoted name or slogan (为落实“两个确保”, “确保”工程) says nothing of the
    sentence around it; one inside quoted speech (他说：“我们将……”) still does.
    """
    matches = pattern.finditer(text)
    if "“" not in text:
        yield from matches
        return
    quotes = [q.span() for q in _SHORT_QUOTE.finditer(text)]
    for m in matches:
        last = m.end() - 1  # the marker's last character (a match may begin one character before it)
        if not any(a < last < b for a, b in quotes):
            yield m


# a clause and its sentence are asked for these markers by the gate, the rules verdict and the
# classifier's features in turn: each text is searched once
@lru_cache(maxsize=16384)
def says_future(text: str) -> bool:
    """Whether ``text`` holds a :data:`FUTURE` marker (not inside a quoted name: “两个确保”)."""
    return next(unquoted(FUTURE, text), None) is not None


@lru_cache(maxsize=16384)
def says_past(text: str) -> bool:
    """Whether ``text`` holds a :data:`PAST` marker."""
    return PAST.search(text) is not None


# an item's number before its text (一、, 2）, （三）, 4.), if any: what a task or target verb may follow
ITEM_NUMBER = r"^(?:[一二三四五六七八九十\d]+[、.．)）]|（[一二三四五六七八九十\d]+）|\d+[.．])?\s*"
TASK_VERB = re.compile(
    ITEM_NUMBER +
    r"(?:进一步|持续|大力|积极|全面|深入|切实|不断|加快|加大|着力|全力|重点|坚持|继续|统筹|稳步|有序|扎实|认真|严格|主动|努力)?"
    r"(?:加快|加强|加大|推进|推动|实施|支持|鼓励|引导|完善|健全|建立|建设|打造|构建|培育|发展|深化|提升|提高|强化|优化|"
    r"促进|落实|开展|组织|扩大|降低|减少|增加|给予|设立|探索|布局|部署|遴选|引进|攻克|突破|创建|融入|保障|做好|抓好|"
    r"坚持|严格|规范|统筹|推行|推广|实行|建成|形成|争创|壮大|夯实|拓展|提供|对|按|免|减|延长|取消|落实|确保|力争|争取)"
)
REVIEW_SECTION = re.compile(  # a review or background part
    r"回顾|过去一年|过去五年|一年来|五年来|(?:19|20)\d\d年以来|大以来|工作总结|主要成效|主要进展|取得的|成绩|成就$|"
    r"现状|形势|背景|意义$"
)
PLAN_SECTION = re.compile(
    r"任务|安排|总体要求|目标|措施|举措|重点|意见|方案|规划|计划|纲要|政策|办法|细则|通知|决定|行动|建议|要求|保障|支持|扶持|奖励|补贴"
)
NOT_CLAUSE = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]?)?\s*[^\u4e00-\u9fff]*$|说[。，]?$|表示[。，]?$|指出[，：]?$")  # noqa: E501


OTHER_MARKERS = re.compile(  # the lookahead: every alternative's first character
    r"(?=[本法联电邮附特此原来记新申根依按经由所是包如说表指介认透称会决听])(?:本作品|法宝引证码|联系人|联系电话|电话[:：]|邮箱|附件|特此|此件|原标题|来源[:：]|记者|新华社|申报材料|申请材料|"
    r"^(?:根据|依据|按照)[^，]{2,30}[，,]$|^(?:经|由)[^，]{2,20}(?:同意|审核|确认)[，,]|所称|是指|包括以下|如下[：:]|"
    r"(?:说|表示|指出|介绍|认为|透露|称)[，。：:]?$|^会议(?:号召|认为|强调|指出)[，,]?$|决定批准|听取和?审议|听取并审议)"
)


HAS_VERB = re.compile(
    r"加快|加强|推进|推动|实施|支持|完善|建立|建设|打造|构建|培育|发展|深化|提升|提高|强化|优化|促进|落实|开展|扩大|"
    r"降低|减少|增加|设立|布局|引进|突破|创建|实现|完成|达到|形成|增长|下降|出台|印发|启动|举办|新增|新建"
)


# -- evidence ------------------------------------------------------------------------------------
# A clause the classifier calls a commitment is reported only with evidence that the text looks
# forward at that point: a marker in its sentence, a task list it belongs to, or a plan document or
# tasks section around it. The classifier was trained mostly on official documents; in a newspaper
# feature that mixes review and plan, the evidence keeps reviews out (seed article: precision 0.23
# without it, see models/clauses-sklearn/MODEL_CARD.md).
_LIST_INTRO = re.compile(
    r"(?:任务书|任务|重点(?:包括|是|有)?|主要(?:包括|有|是)|包括|目标(?:是|为)?|措施|举措|部署|安排|如下|要求"
    # 必须把握好以下政策原则：, not 可以看到以下的数字：
    r"|(?:必须|务必|(?<![需重主只])要(?![求素点])|应当|应该)[^，。；]{0,10}以下)"
    r"[^，。；]{0,6}(?:——|—|：|:)\s*$"
)
STANDING = re.compile(r"明确(?!了)|规定(?!了)|提出(?!了)|决定(?!了)")


_INTRO_MARK = re.compile(r"——|—|：|:")


def list_intro_end(text: str) -> int | None:
    """Where a task list opens in ``text`` (just after “任务书——”, “重点包括：”), or None.

    >>> t = "重点包括：加快建设研究中心"
    >>> t[list_intro_end(t):]
    '加快建设研究中心'

    """
    for m in _INTRO_MARK.finditer(text):
        if _LIST_INTRO.search(text[:m.end()]):
            return m.end()
    return None


def task_heading(text: str) -> bool:
    """A heading that names a task (（一）支持企业科研攻关, 三、加快建设现代化产业体系).

    >>> task_heading("（一）支持企业科研攻关"), task_heading("一、总则"), task_heading("一、2023年工作回顾")
    (True, False, False)

    """
    return bool(TASK_VERB.search(text.strip())) and not REVIEW_SECTION.search(text)



# -- document kind -------------------------------------------------------------------------------
KINDS = ("work-report", "cpc-report", "plan", "action-plan", "measures", "notice", "news")
_KIND_RULES = (  # (kind, pattern on the title, pattern on what the opening says the document is)
    ("work-report", r"政府工作报告(?!的决议)", r"向大会报告(?:政府)?工作|代表[^，。]{0,8}政府[^，。]{0,6}报告工作"),
    ("cpc-report", r"全国代表大会上的(?:政治)?报告|[（(]十?[一二三四五六七八九十]大[）)]",
     r"代表第[^，。]{1,6}届中央委员会"),
    ("plan", r"规划|纲要", r"特?制定本规划|编制本规划|本规划(?:期|范围|所称)"),
    ("action-plan", r"实施方案|行动计划|行动方案|工作方案|实施意见|工作要点|三年行动",
     r"特?制定本(?:实施|工作|行动)?方案|制定本行动计划|特制定本计划"),
    ("measures", r"办法|细则|措施|扶持|奖励|补贴|资助", r"特?制定本(?:办法|细则|措施)|享受本办法|第一条\s*(?:为|根据)"),
    ("notice", r"通知|意见|决定|通告|公告|指南|指引|指导|规定|条例|决议|函",
     r"特?制定本(?:意见|指南|规定|框架|指引|导则|准则)|现(?:印发|将)"),
)
# a headline is an official document's title when it says so (关于……的通知, ……实施方案); a news
# headline that mentions 政策 or 措施 is not
# the words a document's title ends with, and a short bracketed note after them (（征求意见稿）, （试行）)
_TITLE_WORDS = "通知|方案|办法|规划|意见|措施|细则|计划|纲要|决定|公告|通告|指南|指引|规定|条例|报告|要点|决议"
_TITLE_NOTE = r"(?:[（(][^（）()]{1,14}[）)])?"
_DOC_TITLE = re.compile(rf"^关于|印发|(?:{_TITLE_WORDS}|指南建议){_TITLE_NOTE}$")
# a whole first line that reads as a document's title (“……”重点专项2021年度项目申报指南建议（征求意见稿）)
_TITLE_SHAPE = re.compile(rf"[^，。；：！？]{{6,60}}?(?:{_TITLE_WORDS}|建议){_TITLE_NOTE}")
# the form of an official document: an addressee line, numbered parts, articles
_OFFICIAL_FORM = re.compile(r"(?:^|\s)各[^：:。，]{1,40}[：:]|(?:^|\s)[一二三四五六七八九十]、\S|"
                            r"(?:^|\s)第[一二三四五六七八九十]+[章条]|(?:^|\s)（[一二三四五六七八九十]）")
_NEWS = re.compile(r"记者|新华社|日电|日讯|报道|据悉|近日|撰文|通讯员|本报|图片由|摄影|供图|"
                   r"\d{1,2}月\d{1,2}日[，,]|(?:说|表示|介绍)[，。：]")


def document_head(title: str | None, text: str) -> str:
    """A document's title, else the line that stands in for it ("" when none does).

    The first line when it has a title's shape (its issuers before it), else its first word when that
    reads like a title (short, no comma).

    >>> document_head(None, "北京市企业防控疫情指引 根据……要求，现提出本指引。")
    '北京市企业防控疫情指引'
    """
    head = (title or "").split("｜")[0]
    if not head:
        line = re.sub(r"[ \t\u3000]", "", text.strip().split("\n", 1)[0])  # a PDF's spaced title: 2021 年度
        first = line if _TITLE_SHAPE.fullmatch(line) else re.split(r"\s", text.strip(), maxsplit=1)[0]
        head = title_line(text) or (
            first if len(first) <= 60 and not re.search(r"[，。；：]|^第[一二三四五六七八九十]+章", first) else "")
    return head


def issued_title(head: str) -> str:
    """The title of the document a notice issues (关于印发《X办法》的通知 → X办法), else ``head`` itself."""
    issued = re.search(r"印发《?([^《》]{4,}?)》?的通知", head)
    return issued.group(1) if issued else head


# a guide written for a kind of unit (……餐饮服务单位防控指引, ……企业防控疫情指引, 养老机构老年人就医指南): those it
# is written for act where its provisions name no one (guide §7.8; dev-169, 171, 213)
# (the name runs back to a word that ends another phrase: 流行期间|餐饮服务单位, 软件和|信息服务业企业, or a bracket);
# not an application guide (……企业奖励申报指南): its provisions are the grants of the body that issues it
_GUIDE_FOR = re.compile(r"([^的间及和与、\s《》“”（）()]{0,6}(?:单位|企业|机构|场所|商户|学校|医院|食堂))"
                        r"(?![\u4e00-\u9fff]{0,10}?(?:申报|申请|办事|办理|认定|奖励|补贴|扶持))"
                        r"[\u4e00-\u9fff]{0,10}?(?:指引|指南)$")


def guide_addressee(head: str) -> str | None:
    """Those a guide is written for, as its title names them (新型冠状病毒感染的肺炎流行期间餐饮服务单位防控指引).

    >>> guide_addressee("新型冠状病毒感染的肺炎流行期间餐饮服务单位防控指引"), guide_addressee("关于做好春耕的通知")
    ('餐饮服务单位', None)
    >>> guide_addressee("广州南沙新区（自贸片区）先进制造业企业奖励申报指南")  # an application guide
    """
    m = _GUIDE_FOR.search(head.strip("》 "))
    return m.group(1) if m else None


def document_kind(title: str | None, text: str) -> str:
    """The kind of a document (corpus/README.md §7.7): its title, else what its opening says it is.

    Without a title, the first line stands in for it when it reads like one (short, no comma).

    >>> document_kind("2019年国务院政府工作报告", "各位代表：")
    'work-report'
    >>> document_kind(None, "关于开展新型冠状病毒感染的肺炎心理危机干预的通知 各县（区）卫生健康委：")
    'notice'
    >>> document_kind(None, "为推动产业发展，特制定本实施方案。一、总体要求")
    'action-plan'
    >>> document_kind(None, "各地出台惠企政策 新华社北京1月28日电 题：")
    'news'

    """
    opening = text[:1500]
    head = issued_title(document_head(title, text))  # 关于印发《X办法》的通知: the kind of X
    for kind, in_title, _ in _KIND_RULES[:2]:
        if re.search(in_title, head):
            return kind
    if _DOC_TITLE.search(head.strip("》 ")):
        for kind, in_title, _ in _KIND_RULES[2:]:
            if re.search(in_title, head):
                return kind
    for kind, _, says in _KIND_RULES:
        if re.search(says, opening):
            return kind
    if _NEWS.search(opening[:600]):
        return "news"
    official = _DOC_TITLE.search(head.strip("》 ")) or _OFFICIAL_FORM.search(text[:3000])
    return "notice" if official else "news"


# -- the walker: every clause of a document with its context --------------------------------------
_REVIEW_OPENING = re.compile(
    r"^(?:各位代表[！!，,]\s*)?(?:过去(?:的)?[一五]年|[一二三四五]年来|去年|上一年|(?:19|20)\d\d年以来|(?:19|20)\d\d年[，,]?我们"
    r"|[^，。]{0,12}以来[，,]|回顾)"
)
_ADDRESS = re.compile(r"(?:各位代表|同志们|代表们)[！!]")
_PLAN_OPENING = re.compile(
    r"^(?:各位代表[！!，,]\s*)?(?:今年|新的一年|明年|今后|下一步|未来|(?:19|20)\d\d年(?:是|[，,]?(?:要|我们要|政府工作))"
    r"|[^。]{0,20}(?:主要任务|总体要求|预期目标|主要目标|工作部署|重点工作)(?:是|为|如下)?[：:，,])"
)
OPENING_DEADLINE = re.compile(r"^(?:[^，。；]{0,10}[，,])?(?:力争|争取)?(?:(?:到|至)(?:19|20)\d\d年(?:底|末)?|"
                              r"(?:19|20)\d\d年(?:底|末)?(?:前|以前))")
_OPENS_LIST = re.compile(r"[：:]\s*$")
# a body that lays out what is to be done (人社部会同有关部门做出专门部署，……。 / 《通知》……提出了4个方面的要求。):
# in news, the sentences after it, and the items of the enumeration it opens (一是……), are the measures
DEPLOYS = re.compile(r"(?:做出|作出)了?[^，。；的]{0,6}部署(?![的和])|(?:提出|明确)了?[^，。；]{0,12}要求[。：:]")
# 要求 as the verb that requires (……的通知，要求改善……; 公安部要求各地……), not the noun of a basis (按照……要求,
# 符合要求, 文件要求) nor one of a list of nouns (标准和要求): read by the gate and by the actor of 要求X做Y
REQUIRES = r"(?<![的和与及照据件合到足])要求(?![的和与及])"
_FORWARD_OPENING = re.compile(r"(?<![即必终已])将(?![近来军])|" + REQUIRES + r"|下一步|力争|计划(?:在|于|到|用)|拟")
_PROVIDES = re.compile(r"可(?!能|以说|见)|不得|" + PROVISION.pattern)
_CONTINUES = re.compile(r"^(?:同时|与此同时|此外|另外|并且|还要|还将)[，,]?")
_TRAILING_REMARK = re.compile(r"（[^（）]*(?:联系|电话|对接|咨询|负责|牵头|责任单位|配合)[^（）]*）\s*$")
# a congress report is a programme: outside the parts a heading or an opening marks as a review, its
# parts lay down tasks (四、经济建设和经济体制改革 …) whose imperatives carry no marker word
_DEFAULT_SECTION = {"plan": "plan", "action-plan": "plan", "measures": "plan", "notice": "plan", "cpc-report": "plan"}
# a news item that reports a new policy names who issued it in its lead (省政府办公厅下发《……》; not a
# document it acts on: 根据财政部……联合发布的《……》, 为落实教育部……印发的《……》)
_ISSUER = (r"[\u4e00-\u9fff（）]{2,24}?(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府|办公厅|办公室|委员会|"
           r"指挥部|领导小组|海关|总署|局|厅|部|委|办|分行|省|市|自治区)")
# a count of items (24, 十, 两) before 条, 项, 个方面
COUNT = r"[\d一二三四五六七八九十两]{1,3}"
# … or a counted set of measures (出台24条措施, 出台十条措施加强……)
_COUNTED_MEASURES = COUNT + r"(?:条|项|个方面)[^，。；]{0,6}?(?:措施|举措|政策|意见|规定)"
# a reporter's verb before the issuer (记者从……获悉, ……宣布市……办公室出台《……》): no part of its name
_HEARD = "宣布|获悉|了解到"
# bodies that issue a document together are joined by 、 (教育部办公厅、工业和信息化部办公厅联合印发《……》)
ISSUER_LEAD = re.compile(rf"(?:^|[，,。\s日）]|{_HEARD})(?!为?(?:{CARRIES_OUT})|{_HEARD})({_ISSUER}(?:、{_ISSUER})*)"
                         r"(?:近日|日前|联合)?(?:印发|下发|出台|发布|制定出台|制定|推出)(?:了|的)?"
                         r"(?:[《“]|通知|意见|公告|通告|" + _COUNTED_MEASURES + r")")
# … or names the document first (《中山市中小学……在线学习指导意见》正式出台): not a press conference (发布会)
# … or, heading the item, a counted set of measures (山西：21条税收措施助力企业复产扩能; not a meeting's
# decision reported: 国务院常务会议确定3项措施)
DOCUMENT_ISSUED = re.compile(r"》(?:近日|日前)?(?:正式|日前|近日)?(?:出台|印发|公布|发布(?!会))"
                             rf"|^(?![^，。；\s]{{0,10}}?(?:会议|确定|部署))[^，。；\s]{{0,10}}?{_COUNTED_MEASURES}")
LEAD_CHARS = 400  # how far into a news item its lead reaches


def _later_item(para: Any) -> bool:
    """Whether a paragraph opens a later item of an enumeration (二是……, 三是……; the splitter named its marker)."""
    return bool(para.marker == "enumeration" and not para.text.lstrip().startswith("一是"))


def _issues_a_document(opening: str) -> bool:
    """Whether ``opening`` reports a document just issued (省政府办公厅下发《……》, 《……》正式出台).

    Read on a news item's lead, and on the first two sentences of a news paragraph (a subhead, then
    市科技局发布《……》，对……): its provisions follow.
    """
    return bool(ISSUER_LEAD.search(opening) or DOCUMENT_ISSUED.search(opening))


@dataclass(frozen=True, slots=True)
class ClauseSite:
    """Where a clause stands: its span of the clean text, its sentence, paragraph and heading path."""

    start: int
    end: int
    sentence: Any  # nlp_service.document.Sentence
    paragraph: Any  # nlp_service.document.Paragraph
    headings: tuple[str, ...]  # the headings above, outermost first
    ctx: ClauseContext


def section_of(headings: tuple[str, ...]) -> str | None:
    """``review`` or ``plan`` when a heading above decides it (the innermost decisive one), else None.

    >>> section_of(("一、2018年工作回顾",)), section_of(("三、2019年政府工作任务", "（一）继续创新和完善宏观调控"))
    ('review', 'plan')

    """
    for h in reversed(headings):
        if REVIEW_SECTION.search(h):
            return "review"
        if PLAN_SECTION.search(h) or task_heading(h):
            return "plan"
    return None


def clause_contexts(paragraphs: Sequence[Any], text: str, *, title: str | None, kind: str) -> list[ClauseSite]:
    """Every clause of the kept paragraphs with its context, in reading order.

    ``paragraphs`` are :class:`nlp_service.document.Paragraph` objects (``kind``, ``level``,
    ``rule``, ``sentences``); ``text`` is the clean text they index. The walk keeps the heading path
    (by level), the section (a decisive heading above, else the opening of the latest paragraph
    that opened a review or a plan part — in news, of the paragraph itself —, else the document
    kind's default), and the list a lead-in
    opened (``主要预期目标是：``, ``重点任务——``) until the list ends (a paragraph that does not
    end in ；/，, or is not an item).
    """
    from nlp_service.extract.clauses import split_clauses

    sites: list[ClauseSite] = []
    path: list[tuple[int, str]] = []  # (level, heading text)
    opening_state: str | None = None
    lead_in: str | None = None  # the lead-in of the list open at the end of the previous paragraph
    para_continues_list = False
    block = ""
    # an unnumbered paragraph between two items of an enumeration (二是…。 / 减轻……。 / 三是…) still
    # belongs to the list (numbered items 1、2、 of a Q&A do not carry a list across their answers)
    item_follows: dict[int, bool] = {}
    upcoming = False
    for para in reversed(paragraphs):
        item_follows[para.index] = upcoming
        upcoming = para.kind != "heading" and (_later_item(para) or upcoming)
    persistent = kind != "news"  # a report's 今年…/过去一年… opens a part that lasts until the next one
    default_section = _DEFAULT_SECTION.get(kind, "none")
    if kind == "news" and _issues_a_document(text[:LEAD_CHARS]):
        default_section = "plan"  # a news item on a document just issued reports its provisions (guide §7.8)
    # an untitled text that opens with its title (财政部 海关总署 税务总局关于……的公告 财政部公告……): no clause
    # starts inside that line
    opened = title_line(text) if title is None else ""
    title_end = text.find(opened) + len(opened) if opened else 0
    for para in before_licence(paragraphs):  # no clause of the source's licence note (本作品来自……)
        if para.text == title:
            continue  # the title line is no clause of the text
        if para.kind == "heading":
            level = para.level or 9
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, para.text[:60]))
            lead_in = None
            opening_state = None  # a new part: what an earlier paragraph opened is over
        headings = tuple(h for _, h in path)
        first = para.sentences[0].text if para.sentences else para.text
        if para.kind != "heading":
            if not persistent or _ADDRESS.fullmatch(para.text.strip()):
                # in news a paragraph's opening speaks for that paragraph only; a speech's address
                # (各位代表！) closes a part as a heading does (old reports have no other)
                opening_state = None
            if _REVIEW_OPENING.search(first):
                opening_state = "review"
            elif _PLAN_OPENING.search(first) or (
                    kind == "news" and _issues_a_document("".join(s.text for s in para.sentences[:2]))):
                opening_state = "plan"
            if lead_in is not None and para.marker is None and not para_continues_list and \
                    not item_follows[para.index]:
                lead_in = None
        by_heading = section_of(headings if para.kind != "heading" else headings[:-1])
        if kind == "news" and by_heading == "plan":
            by_heading = None  # a newspaper's subhead (提升创新发展驱动力) opens no tasks part
        section = by_heading or opening_state or default_section
        heading = headings[-1] if headings and para.kind != "heading" else (headings[-2] if len(headings) > 1
                                                                            else None)
        carried = ""
        # in news, a sentence with a pledge or a requirement (福建省将……。, 会议要求……。) is followed by
        # sentences that go on listing it: it carries to them until a sentence reports the past, and
        # into the next paragraphs while they are items of a list it opened (……主要有四个方面： 一是……)
        if para.kind == "heading" or (lead_in is None and not _OPENS_LIST.search(para.text)
                                       and not (kind == "news" and para.marker == "enumeration")):
            block = ""
        for sent in para.sentences:
            intro = list_intro_end(sent.text)
            if intro is not None:
                lead_in = sent.text[:intro]
            carried = carried if _CONTINUES.match(sent.text) else block
            if kind == "news":
                if _FORWARD_OPENING.search(sent.text) or DEPLOYS.search(sent.text):
                    block = sent.text
                elif PAST.search(sent.text) and not (block and _PROVIDES.search(sent.text)):
                    block = ""  # (对……企业，可返还其上年度……: a provision of the policy, not a report)
            for cs, ce in split_clauses(sent.text, sent.start):
                if cs < title_end:
                    continue
                remark = _TRAILING_REMARK.search(text, cs, ce)
                if remark and remark.start() > cs:  # （牵头单位：省工业和信息化厅） is not part of the pledge
                    ce = remark.start()
                clause = text[cs:ce]
                before_clause = text[sent.start:cs]
                item = lead_in is not None and (intro is None or ce - sent.start > intro)
                ctx = ClauseContext(
                    clause, before_clause + "【" + clause + "】" + text[ce:sent.end],
                    text[max(para.start, sent.start - 120):sent.start], heading, title, kind, section,
                    item, lead_in if item else None, para.rule if para.kind == "heading" else None,
                    carried + before_clause)
                sites.append(ClauseSite(cs, ce, sent, para, headings, ctx))
            carried = sent.text
        tail = para.text.rstrip()
        # a list goes on after an item that ends in ；or ，, and after a line broken mid-sentence (PDF text)
        para_continues_list = tail.endswith(("；", ";", "，", "……", "：", ":", "—")) or not tail.endswith(
            ("。", "！", "？", "!", "?", "”", "」"))
        if lead_in is not None and para.kind != "heading" and not para_continues_list and \
                list_intro_end(tail) != len(tail) and para.marker is None and \
                not item_follows[para.index]:
            lead_in = None
        opening = OPENING_DEADLINE.match(para.text) if para.kind != "heading" and lead_in is None else None
        if opening:  # 第一步，到2020年……。 then ——items: the items inherit its deadline
            lead_in = opening.group(0)
    return sites
