"""Commitments: forward-looking pledges, targets and planned measures, clause by clause.

Two steps. A classifier (``nlp_service.models.clauses``: rules, scikit-learn or char-BERT) labels
every clause ``commitment`` / ``achievement`` / ``other`` from the clause and its context
(:class:`ClauseContext`). Then :func:`commitment_fields` reads the fields of each commitment:
actor, modality (word and strength), action, target, quantity (the indicator it carries) and
deadline. No Chinese toolkit parses pledges (LTP and HanLP give dependency trees that need model
weights we may not download, and still leave modality and deadline to rules), so the field rules
are written here; the verb test uses jieba's part-of-speech dictionary.

The rules classifier (:func:`rule_label`) is the baseline of the comparison in
``models/clauses-*/MODEL_CARD.md``: explicit markers first (将/要/力争…, 已/累计/去年…), then
the section (a review part vs a tasks part, a plan document vs a news report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.segment.words import pos_tagger

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
STRENGTH = {  # modality word -> strength (must / will / strive / consider)
    "必须": "must", "务必": "must", "确保": "must", "坚决": "must", "一律": "must", "严禁": "must",
    "不得": "must", "应当": "must", "须": "must", "要": "will", "将": "will", "拟": "will", "计划": "will",
    "部署": "will", "力争": "strive", "争取": "strive", "努力": "strive", "力求": "strive", "目标": "strive",
    "着力": "strive", "全力": "strive", "探索": "consider", "研究": "consider", "鼓励": "consider",
    "适时": "consider", "逐步": "consider", "可": "consider",
}
_MODAL = re.compile(
    r"(必须|务必|确保|坚决|一律|严禁|不得|应当|力争|争取|努力|力求|着力|全力|拟|计划|目标是?|"
    r"(?<![即必终])将(?![近军来])|(?<![需重主只摘纪提概])要(?![求素点闻害职件员案领])|适时|逐步|探索|鼓励|(?<![许认])可(?![能以见靠持行]))"
)
_BA = (r"[^，。；]{1,25}?(?:提高|降低|调整|扩大|缩短|延长|增加|减少|纳入|列入|作为|改为|放宽|下放|上调|下调|"
       r"视为|确定为|认定为|分为|转化为|交由)")  # 将 as the object marker (将X提高至Y) says nothing of time
_FUTURE = re.compile(
    r"(?:^|[^已必即终])(?:将(?![近来])(?!" + _BA + r")|必须|务必|确保|力争|争取|拟|计划(?:在|于|到|用|新建|投资|完成|安排)|预期|目标|力求|"  # noqa: E501
    r"(?<![懈的同])努力(?![。，”])|着力)|(?<![需重主只摘纪提概])要(?![求素点闻害职件员案领])"
    r"|到(?:19|20)\d\d年|(?:19|20)\d\d年(?:底|末)?前|今后|未来|下一步|明年|今年(?!以来)|新的一年|十[一二三四五六七八九]五(?:期间|时期)?"
)
_PAST = re.compile(
    r"已经|已(?![于经])|累计|去年|上年|过去(?:一|五|的)|一年来|五年来|以来|实现了|完成了|取得了|达到了|建成了|"
    r"同比|比上年|比去年|[^\s，。]{1,4}了(?![解结])|曾|先后|业已|截至|截止|此前"
)
_TASK_VERB = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．)）]|（[一二三四五六七八九十\d]+）|\d+[.．])?\s*"
    r"(?:进一步|持续|大力|积极|全面|深入|切实|不断|加快|加大|着力|全力|重点|坚持|继续|统筹|稳步|有序|扎实|认真|严格|主动)?"
    r"(?:加快|加强|加大|推进|推动|实施|支持|鼓励|引导|完善|健全|建立|建设|打造|构建|培育|发展|深化|提升|提高|强化|优化|"
    r"促进|落实|开展|组织|扩大|降低|减少|增加|给予|设立|探索|布局|部署|遴选|引进|攻克|突破|创建|融入|保障|做好|抓好|"
    r"坚持|严格|规范|统筹|推行|推广|实行|建成|形成|争创|壮大|夯实|拓展|提供|对|按|免|减|延长|取消|落实|确保|力争|争取)"
)
_REVIEW_SECTION = re.compile(r"回顾|过去一年|过去五年|一年来|五年来|以来|工作总结|主要成效|进展|成绩|成就|成果")
_PLAN_SECTION = re.compile(
    r"任务|安排|总体要求|目标|措施|举措|重点|意见|方案|规划|计划|纲要|政策|办法|细则|通知|决定|行动|建议|要求|保障|支持|扶持|奖励|补贴"
)
_PLAN_TITLE = re.compile(r"方案|规划|计划|纲要|意见|措施|办法|细则|通知|决定|政策|行动|指南|指导|若干|条例|规定|公告")
_NOT_CLAUSE = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]?)?\s*[^\u4e00-\u9fff]*$|说[。，]?$|表示[。，]?$|指出[，：]?$")  # noqa: E501


_OTHER = re.compile(
    r"本作品|法宝引证码|联系人|联系电话|电话[:：]|邮箱|附件|特此|此件|原标题|来源[:：]|记者|新华社|申报材料|申请材料|"
    r"^(?:根据|依据|按照)[^，]{2,30}[，,]$|^(?:经|由)[^，]{2,20}(?:同意|审核|确认)[，,]|所称|是指|包括以下|如下[：:]|"
    r"(?:说|表示|指出|介绍|认为|透露|称)[，。：:]?$|^会议(?:号召|认为|强调|指出)[，,]?$|决定批准|听取和?审议|听取并审议"
)


def rule_label(ctx: ClauseContext) -> tuple[str, float]:
    """The rules baseline: (label, confidence).

    Explicit markers decide first; without them the section decides: a review part (回顾, 过去一年,
    成就) makes a clause with a verb an achievement, a tasks part or a plan document a commitment.

    >>> rule_label(ClauseContext("力争技术交易额突破900亿元。", "【力争技术交易额突破900亿元。】"))
    ('commitment', 0.9)
    >>> rule_label(ClauseContext("累计为上百家初创企业发放信用贷款6.5亿元，",
    ...                          "【累计为上百家初创企业发放信用贷款6.5亿元，】"))
    ('achievement', 0.85)
    >>> rule_label(ClauseContext("实施大学生就业促进计划，", "【实施大学生就业促进计划，】",
    ...                          heading="一、2013年工作回顾"))
    ('achievement', 0.7)

    """
    clause = ctx.clause
    body = clause.strip()
    if _NOT_CLAUSE.search(body) or sum("\u4e00" <= c <= "\u9fff" for c in body) < 4:
        return "other", 0.8
    if _OTHER.search(body):
        return ("achievement", 0.6) if re.search(r"决定批准|听取", body) else ("other", 0.7)
    future = bool(_FUTURE.search(clause))
    past = bool(_PAST.search(clause))
    if future and not past:
        return "commitment", 0.9
    if past and not future:
        return "achievement", 0.85
    heading = ctx.heading or ""
    review = bool(_REVIEW_SECTION.search(heading)) or (
        not heading and bool(_PAST.search(ctx.before[-80:] + ctx.sentence)))
    plan = bool(_PLAN_SECTION.search(heading)) or bool(_PLAN_TITLE.search(ctx.title or ""))
    sentence_future = bool(_FUTURE.search(ctx.sentence)) or bool(_FUTURE.search(ctx.before[-40:]))
    if future and past:
        return ("achievement", 0.55) if review and not plan else ("commitment", 0.55)
    if review and not sentence_future:
        return ("achievement", 0.7) if _HAS_VERB.search(body) else ("other", 0.5)
    if plan or sentence_future:
        return "commitment", 0.7
    if _TASK_VERB.search(body):
        return "commitment", 0.55
    return "other", 0.5


_HAS_VERB = re.compile(
    r"加快|加强|推进|推动|实施|支持|完善|建立|建设|打造|构建|培育|发展|深化|提升|提高|强化|优化|促进|落实|开展|扩大|"
    r"降低|减少|增加|设立|布局|引进|突破|创建|实现|完成|达到|形成|增长|下降|出台|印发|启动|举办|新增|新建"
)


# -- fields --------------------------------------------------------------------------------------
_PREP = re.compile(r"^(?:以|在|对|按|按照|通过|围绕|聚焦|依托|针对|面向|结合|根据|为|从|向|与|同)[^，,]{1,30}?(?=[\u4e00-\u9fff]{2})")  # noqa: E501
_SPEAKER = re.compile(
    r"((?:[\u4e00-\u9fff]{1,8}?(?:市|省|区|县|州))?[\u4e00-\u9fff]{0,8}?(?:局|委员会|委|厅|部|办公室|办|政府|院|中心))"
    r"(?:党组书记、|党委书记、)?(?:局长|主任|厅长|部长|市长|省长|区长|县长|书记|院长|负责人)"
)
_TITLE_ACTOR = re.compile(r"^([\u4e00-\u9fff]{2,20}?(?:人民政府办公厅|人民政府办公室|人民政府|政府|委员会|局|厅|部|委|办公室))(?:关于|印发)")  # noqa: E501
_REGION = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:省|市|自治区|区|县))")
_DEADLINE = re.compile(
    r"(?:到|至|在)?((?:19|20)\d\d)年(?:底|末)?(?:前|以前)?|([一二三四五六七八九十]{2}五)(?:期间|时期|末)?"
)
_FYP = {"十一五": "2006-2010", "十二五": "2011-2015", "十三五": "2016-2020", "十四五": "2021-2025",
        "十五五": "2026-2030"}
_SUBJECT = re.compile(r"([\u4e00-\u9fff“”]{2,12}?)(?=(?:重点|还|也|则|要|将|必须|力争|争取|计划|拟|确保|应当|须|正)+)")



_SOFT_VERBS = {"继续", "持续", "不断", "积极", "大力", "进一步", "着力", "全力", "努力", "加快", "切实", "深入", "更加",
               "主动", "坚持", "注重", "重点", "全面", "扎实", "稳步", "逐步", "加速", "超常", "发力"}
_STOP_TARGET = re.compile(r"[，,；;。、：:（(！？!?]|^\d")


def action_and_target(rest: str) -> tuple[str | None, str | None]:
    """The action (main verb, with a second verb joined: 引进支持) and its object after a modal.

    Words in quotation marks are never the verb; a leading prepositional phrase (以世界一流标准,
    从“有没有”向……) is skipped to the verb after it; an adverb-like verb (持续, 加快) before
    another verb is not the action.

    >>> action_and_target("以世界一流标准打造甬江科创区")
    ('打造', '甬江科创区')
    >>> action_and_target("技术交易额突破900亿元")
    ('突破', '技术交易额')
    >>> action_and_target("持续提升‘抓战略、抓改革’的科技管理能力")
    ('提升', '抓战略、抓改革’的科技管理能力')

    """
    words = [(p.word, p.flag) for p in pos_tagger().cut(rest)]
    quoted = []
    depth = 0
    for w, _ in words:
        quoted.append(depth > 0)
        depth += sum(w.count(c) for c in "“‘「（(") - sum(w.count(c) for c in "”’」）)")
    def verb_at(i: int) -> bool:
        w, f = words[i]
        if quoted[i] or len(w) < 2 or not f.startswith("v"):
            return False
        # jieba tags many verbs vn (突破, 改革); one counts before a number or at the start
        return f != "vn" or i == 0 or (i + 1 < len(words) and words[i + 1][1] == "m")

    verbs = [i for i in range(len(words)) if verb_at(i)]
    verbs = [i for i in verbs
             if not (words[i][0] in _SOFT_VERBS and i + 1 < len(words) and words[i + 1][1].startswith("v"))]
    if not verbs:
        return None, None
    i = verbs[0]
    j = i + 1
    if j < len(words) and words[j][1].startswith("v") and words[j][1] != "vn" and len(words[j][0]) >= 2:
        j += 1  # 引进/v 支持/v
    action = "".join(w for w, _ in words[i:j])
    head = "".join(w for w, _ in words[:i]).strip("“”‘’ ")
    tail = []
    for k in range(j, len(words)):
        w = words[k][0]
        if (_STOP_TARGET.search(w) and not (quoted[k] and w == "、")) or w in "（(":
            break
        tail.append(w)
    target = "".join(tail).strip("“”‘’ ") or None
    if target is None and head and words[0][1] != "p":
        target = head  # 技术交易额突破900亿元: what is measured stands before the verb
    return action, target[:30] if target else None


@dataclass(frozen=True, slots=True)
class Fields:
    """Fields of one commitment clause."""

    actor: str | None
    modality: str | None
    strength: str | None
    action: str | None
    target: str | None
    deadline: str | None


def speaker_body(text: str) -> str | None:
    """The body a quoted speaker works for (市科技局局长费小琛 -> 市科技局), if the text says so.

    >>> speaker_body("市科技局局长费小琛在接受采访时表示")
    '市科技局'

    """
    m = _SPEAKER.search(text)
    return m.group(1) if m else None


def document_actor(title: str | None, text: str) -> str | None:
    """Who speaks in a document: the issuing body of a notice, the government of a work report."""
    if title:
        m = _TITLE_ACTOR.search(title)
        if m:
            return m.group(1)
        if "政府工作报告" in title:
            if "国务院" in title or "中华人民共和国" in title:
                return "国务院"
            r = _REGION.search(title)
            return f"{r.group(1)}人民政府" if r else None
        r = _REGION.search(title)
        if r:
            return r.group(1)
    return speaker_body(text[:3000])


def _deadline(text: str, default_year: int | None) -> str | None:
    for m in _DEADLINE.finditer(text):
        if m.group(1):
            return m.group(1)
        if m.group(2) in _FYP:
            return _FYP[m.group(2)]
    if default_year and re.search(r"今年|新的一年|本年度?", text):
        return str(default_year)
    if default_year and "明年" in text:
        return str(default_year + 1)
    return None


def commitment_fields(clause: str, sentence: str, *, document_actor: str | None, speaker: str | None,
                      heading: str | None, default_year: int | None, paragraph: str = "") -> Fields:
    """Actor, modality, action, target and deadline of one commitment clause.

    >>> f = commitment_fields("力争引进支持全球顶尖人才10人，", "另一方面，……力争引进支持全球顶尖人才10人，……。",
    ...                       document_actor="宁波", speaker=None, heading=None, default_year=2024,
    ...                       paragraph="新的一年，宁波将……。另一方面，……力争引进支持全球顶尖人才10人，……。")
    >>> (f.actor, f.modality, f.strength, f.action, f.target, f.deadline)
    ('宁波', '力争', 'strive', '引进支持', '全球顶尖人才', '2024')
    >>> f = commitment_fields("我们将持续提升科技管理能力，", "“我们将持续提升科技管理能力，……”",
    ...                       document_actor="宁波", speaker="市科技局", heading=None, default_year=None)
    >>> (f.actor, f.modality, f.action, f.target)
    ('市科技局', '将', '提升', '科技管理能力')

    """
    body = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*", "", clause.strip())
    intro = list_intro_end(body)
    if intro is not None and intro < len(body):  # 重点包括：加快建设…… -> 加快建设……
        body = body[intro:]
    body = re.sub(r"^(?:新的一年|同时|此外|另外|为此|其中|一方面|另一方面|与此同时|[一二三四五六七八九十]是)[，,]?", "", body)  # noqa: E501
    m = _MODAL.search(body)
    modality = m.group(1) if m else None
    if modality and modality.startswith("目标"):
        modality = "目标"
    actor = None
    rest = body
    if m:
        head = body[:m.start()].strip("，, ")
        rest = body[m.end():]
        sm = _SUBJECT.match(body[:m.end()]) if head else None
        if head and len(head) <= 12 and not _PREP.match(head) and not re.search(r"\d", head):
            actor = (sm.group(1) if sm else head).strip("“”‘’").split("的")[0] or None
            if actor in _SOFT_VERBS:
                actor = None
    if actor in (None, "我们", "我市", "我省", "我区"):
        resolved = speaker if actor == "我们" and speaker else document_actor
        actor = resolved or actor
    elif actor == "我国":
        actor = "中国"
    action, target = action_and_target(rest.lstrip("是：:"))
    deadline = _deadline(clause, None) or _deadline(sentence, None) or (
        _deadline(heading or "", None)) or _deadline(paragraph or sentence, default_year)
    return Fields(actor, modality, STRENGTH.get(modality or ""), action, target, deadline)


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
_STANDING = re.compile(r"明确(?!了)|规定(?!了)|提出(?!了)|决定(?!了)")
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
    if _FUTURE.search(clause):
        return "marker"
    if _FUTURE.search(before):
        return "sentence"
    if in_list:
        return "list"
    if plan_context:
        return "plan"
    if _STANDING.search(clause):
        return "standing"
    return None


def plan_context(title: str | None, heading: str | None) -> bool:
    """A plan document (方案, 意见, 办法, 规划…) or a tasks section of any document."""
    if heading and _REVIEW_SECTION.search(heading):
        return False
    return bool(_PLAN_TITLE.search(title or "")) or bool(heading and (_TASK_HEADING.search(heading)
                                                                        or _TASK_VERB.search(heading.strip())))


def task_heading(text: str) -> bool:
    """A heading that names a task (（一）支持企业科研攻关, 三、加快建设现代化产业体系).

    >>> task_heading("（一）支持企业科研攻关"), task_heading("一、总则"), task_heading("一、2023年工作回顾")
    (True, False, False)

    """
    return bool(_TASK_VERB.search(text.strip())) and not _REVIEW_SECTION.search(text)


_PLEDGE = re.compile(r"力争|争取|确保|力求|(?:^|[，,\s])到(?:19|20)\d\d年")


def explicit_pledge(clause: str) -> bool:
    """A pledge word and no past marker: 力争/争取/确保/力求, or a clause opening with 到2027年.

    These overrule the classifier: on the train split 14 of the 15 clauses they pick are labelled
    commitments, while a classifier can miss one in a context unlike its training data.

    >>> explicit_pledge("力争技术交易额突破900亿元。"), explicit_pledge("已确保供应。")
    (True, False)

    """
    return bool(_PLEDGE.search(clause)) and not _PAST.search(clause)
