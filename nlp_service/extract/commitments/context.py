"""What a reader uses to decide a clause: document kind, section, list and lead-in, tense markers.

The markers and section patterns are shared by the rules classifier (:mod:`.gate`), the
evidence gate and the field reader (:mod:`.fields`); they live here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABELS = ("commitment", "achievement", "other")


@dataclass(frozen=True, slots=True)
class ClauseContext:
    """One clause with what a reader uses to decide it (the same fields the annotators saw)."""

    clause: str
    sentence: str  # the sentence, clause marked with 【】
    before: str = ""  # up to 120 characters before the sentence, same paragraph
    heading: str | None = None  # nearest heading above
    title: str | None = None  # document title

    def model_text(self) -> tuple[str, str]:
        """(first, second) segment of the classifier input: the clause, then its context."""
        return self.clause, f"{self.heading or ''}｜{self.before[-40:]}｜{self.sentence}｜{self.title or ''}"


# -- markers -------------------------------------------------------------------------------------
_BA = (r"[^，。；]{1,25}?(?:提高|降低|调整|扩大|缩短|延长|增加|减少|纳入|列入|作为|改为|放宽|下放|上调|下调|"
       r"视为|确定为|认定为|分为|转化为|交由)")  # 将 as the object marker (将X提高至Y) says nothing of time
FUTURE = re.compile(
    r"(?:^|[^已必即终])(?:将(?![近来])(?!" + _BA + r")|必须|务必|确保|力争|争取|拟|计划(?:在|于|到|用|新建|投资|完成|安排)|预期|目标|力求|"  # noqa: E501
    r"(?<![懈的同])努力(?![。，”])|着力)|(?<![需重主只摘纪提概])要(?![求素点闻害职件员案领])"
    r"|到(?:19|20)\d\d年|(?:19|20)\d\d年(?:底|末)?前|今后|未来|下一步|明年|今年(?!以来)|新的一年|十[一二三四五六七八九]五(?:期间|时期)?"
)
PAST = re.compile(
    r"已经|已(?![于经])|累计|去年|上年|过去(?:一|五|的)|一年来|五年来|以来|实现了|完成了|取得了|达到了|建成了|"
    r"同比|比上年|比去年|[^\s，。]{1,4}了(?![解结])|曾|先后|业已|截至|截止|此前"
)
TASK_VERB = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．)）]|（[一二三四五六七八九十\d]+）|\d+[.．])?\s*"
    r"(?:进一步|持续|大力|积极|全面|深入|切实|不断|加快|加大|着力|全力|重点|坚持|继续|统筹|稳步|有序|扎实|认真|严格|主动)?"
    r"(?:加快|加强|加大|推进|推动|实施|支持|鼓励|引导|完善|健全|建立|建设|打造|构建|培育|发展|深化|提升|提高|强化|优化|"
    r"促进|落实|开展|组织|扩大|降低|减少|增加|给予|设立|探索|布局|部署|遴选|引进|攻克|突破|创建|融入|保障|做好|抓好|"
    r"坚持|严格|规范|统筹|推行|推广|实行|建成|形成|争创|壮大|夯实|拓展|提供|对|按|免|减|延长|取消|落实|确保|力争|争取)"
)
REVIEW_SECTION = re.compile(r"回顾|过去一年|过去五年|一年来|五年来|以来|工作总结|主要成效|进展|成绩|成就|成果")
PLAN_SECTION = re.compile(
    r"任务|安排|总体要求|目标|措施|举措|重点|意见|方案|规划|计划|纲要|政策|办法|细则|通知|决定|行动|建议|要求|保障|支持|扶持|奖励|补贴"
)
PLAN_TITLE = re.compile(r"方案|规划|计划|纲要|意见|措施|办法|细则|通知|决定|政策|行动|指南|指导|若干|条例|规定|公告")
NOT_CLAUSE = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]?)?\s*[^\u4e00-\u9fff]*$|说[。，]?$|表示[。，]?$|指出[，：]?$")  # noqa: E501


OTHER_MARKERS = re.compile(
    r"本作品|法宝引证码|联系人|联系电话|电话[:：]|邮箱|附件|特此|此件|原标题|来源[:：]|记者|新华社|申报材料|申请材料|"
    r"^(?:根据|依据|按照)[^，]{2,30}[，,]$|^(?:经|由)[^，]{2,20}(?:同意|审核|确认)[，,]|所称|是指|包括以下|如下[：:]|"
    r"(?:说|表示|指出|介绍|认为|透露|称)[，。：:]?$|^会议(?:号召|认为|强调|指出)[，,]?$|决定批准|听取和?审议|听取并审议"
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
    r"(?:任务书|任务|重点(?:包括|是|有)?|主要(?:包括|有|是)|包括|目标(?:是|为)?|措施|举措|部署|安排|如下|要求)"
    r"[^，。；]{0,6}(?:——|—|：|:)\s*$"
)
STANDING = re.compile(r"明确(?!了)|规定(?!了)|提出(?!了)|决定(?!了)")
_TASK_HEADING = re.compile(r"任务|目标|措施|举措|重点工作|工作安排|总体要求|主要内容|行动|保障|政策|支持|扶持|奖励|补贴|建设|推进|加快|实施")  # noqa: E501


def list_intro_end(text: str) -> int | None:
    """Where a task list opens in ``text`` (just after “任务书——”, “重点包括：”), or None.

    >>> t = "重点包括：加快建设研究中心"
    >>> t[list_intro_end(t):]
    '加快建设研究中心'

    """
    for m in re.finditer(r"——|—|：|:", text):
        if _LIST_INTRO.search(text[:m.end()]):
            return m.end()
    return None


def forward_evidence(clause: str, before: str, *, in_list: bool, plan_context: bool) -> str | None:
    """Why a clause may be a commitment: ``marker`` | ``sentence`` | ``list`` | ``plan`` | ``standing``.

    ``before`` is the part of the sentence before the clause: a marker there carries over to the
    clauses after it (宁波将超常发力抓创新，【部署……项目200个以上】), never backwards.
    """
    if FUTURE.search(clause):
        return "marker"
    if FUTURE.search(before):
        return "sentence"
    if in_list:
        return "list"
    if plan_context:
        return "plan"
    if STANDING.search(clause):
        return "standing"
    return None


def plan_context(title: str | None, heading: str | None) -> bool:
    """A plan document (方案, 意见, 办法, 规划…) or a tasks section of any document."""
    if heading and REVIEW_SECTION.search(heading):
        return False
    return bool(PLAN_TITLE.search(title or "")) or bool(heading and (_TASK_HEADING.search(heading)
                                                                        or TASK_VERB.search(heading.strip())))


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
    ("cpc-report", r"全国代表大会上的报告|[（(]十?[一二三四五六七八九十]大[）)]", r"代表第[^，。]{1,6}届中央委员会"),
    ("plan", r"规划|纲要", r"特?制定本规划|编制本规划|本规划(?:期|范围|所称)"),
    ("action-plan", r"实施方案|行动计划|行动方案|工作方案|实施意见|工作要点|三年行动",
     r"特?制定本(?:实施|工作|行动)?方案|制定本行动计划|特制定本计划"),
    ("measures", r"办法|细则|措施|扶持|奖励|补贴|资助", r"特?制定本(?:办法|细则|措施)|享受本办法|第一条\s*(?:为|根据)"),
    ("notice", r"通知|意见|决定|通告|公告|指南|指导|规定|条例|决议|函", r"特?制定本(?:意见|指南|规定)|现(?:印发|将)"),
)
# a headline is an official document's title when it says so (关于……的通知, ……实施方案); a news
# headline that mentions 政策 or 措施 is not
_DOC_TITLE = re.compile(r"^关于|印发|(?:通知|方案|办法|规划|意见|措施|细则|计划|纲要|决定|公告|通告|指南|规定|条例|报告|要点)"
                        r"(?:[（(][^（）()]{1,8}[）)])?$")
_NEWS = re.compile(r"记者|新华社|日电|日讯|报道|据悉|近日|\d{1,2}月\d{1,2}日[，,]|(?:说|表示|介绍)[，。：]")


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
    head = (title or "").split("｜")[0]
    if not head:
        first = re.split(r"\s", text.strip(), maxsplit=1)[0]
        head = first if len(first) <= 60 and not re.search(r"[，。；：]|^第[一二三四五六七八九十]+章", first) else ""
    issued = re.search(r"印发《?([^《》]{4,}?)》?的通知", head)  # 关于印发《X办法》的通知: the kind of X
    head = issued.group(1) if issued else head
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
    return "news" if _NEWS.search(opening[:600]) else "notice"
