"""Fields of one commitment: actor, modality (word and strength), action, target, deadline.

No Chinese toolkit parses pledges (LTP and HanLP give dependency trees that need model weights we
may not download, and still leave modality and deadline to rules), so the field rules are written
here; the verb test uses jieba's part-of-speech dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.extract.commitments.context import list_intro_end
from nlp_service.segment.words import pos_tagger

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


