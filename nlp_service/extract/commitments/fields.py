"""Fields of one commitment: actor, modality (word and strength), action, target, deadline.

No Chinese toolkit parses pledges (LTP and HanLP give dependency trees that need model weights we
may not download, and still leave modality and deadline to rules), so the field rules are written
here; the verb test uses jieba's part-of-speech dictionary.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from nlp_service.extract.commitments.context import (
    ADVISES,
    HAS_VERB,
    ISSUER_LEAD,
    LEAD_CHARS,
    MODAL_XU,
    MODAL_YAO,
    MODAL_YING,
    OBJECT_MARKER,
    OPENING_DEADLINE,
    REQUIRES,
    SPEECH_VERBS,
    ClauseContext,
    list_intro_end,
    unquoted,
)
from nlp_service.extract.region_year import PROVINCES, names_a_place, self_named_place, short_place
from nlp_service.segment.words import pos_tags
from nlp_service.text.markers import (
    CITED_TITLE,
    FIVE_YEAR_PLANS,
    HAN,
    RELATIVE_YEARS,
    SENTENCE_END_CHARS,
    cited_spans,
    in_spans,
    numeral_years_as_digits,
)

STRENGTH = {  # modality word -> strength (must / will / strive / consider)
    "必须": "must", "务必": "must", "确保": "must", "坚决": "must", "严禁": "must", "不得": "must",
    "应当": "must", "须": "must", "要": "will", "将": "will", "拟": "will", "计划": "will", "力争": "strive",
    "争取": "strive", "努力": "strive", "力求": "strive", "目标": "strive", "着力": "strive",
    "探索": "consider", "鼓励": "consider", "适时": "consider", "逐步": "consider", "可": "consider",
}
# the modal words of guide commitments-v2 (corpus/README.md §7.5), as written in the text
# (the lookahead names each alternative's first character: several open with a lookbehind, which had the
# engine try them all at every position; tests/test_regex_prefixes.py checks no match is lost)
_MODAL = re.compile(
    r"(?=[必务确坚严不应须力争努着拟计目将要适逐探鼓可])(必须|务必|确保|坚决|严禁|不得|应当|(?:" + MODAL_YING + ")该?|"
    + MODAL_XU + r"|力争|争取|努力|力求|着力|拟|计划(?=在|于|到|用|新建|投资|完成|安排)|目标(?:是|为|[：:])|"
    r"(?<![即必终])将(?![近军来])(?!" + OBJECT_MARKER + r")|"
    + MODAL_YAO + r"|适时|逐步|探索|鼓励|"
    r"(?<![许认不宁])可(?![能以见靠持行控复推信观比谓爱口塑选疑怜操]))"
)
# -- fields --------------------------------------------------------------------------------------
_PREP = re.compile(r"^(?:以|在|对|按|按照|通过|围绕|聚焦|依托|针对|面向|结合|根据|为|从|向|与|同)[^，,]{1,30}?(?=[\u4e00-\u9fff]{2})")  # noqa: E501
_TITLES = r"局长|主任|厅长|部长|市长|省长|区长|县长|书记|院长|负责人|司长|秘书长"
_SPEAKER = re.compile(
    r"((?:[\u4e00-\u9fff]{1,8}?(?:市|省|区|县|州))?[\u4e00-\u9fff]{0,8}?(?:局|委员会|委|厅|部|办公室|办|政府|院|中心|(?<!公)司))"
    # 重庆市税务局副局长: a deputy speaks for the body too, unless another post follows (市委副书记、市长: the mayor's)
    rf"(?:党组书记、|党委书记、|党组成员、)?(?:{_TITLES}|副(?:{_TITLES})(?!、))"
)
_SAYS = re.compile(SPEECH_VERBS)
# a speaker and the words that give the floor (交通运输部运输服务司司长徐亚华表示，……将……)
_SPEAKER_SAYS = re.compile(_SPEAKER.pattern + r"[\u4e00-\u9fff]{2,3}(?:在[^，。]{0,20})?(?:" + _SAYS.pattern + ")")
# a match of _SPEAKER holds one of its titles: a paragraph without any is not searched (the
# pattern's lazy runs of Han characters try every position of a long paragraph)
_SPEAKER_TITLE = re.compile(_TITLES)
_NAME_BOUNDARY = frozenset("据从由经及与是的在对向为了以等、说称请")  # what may stand just before a speaker's body
_HEAD_OF_GOVERNMENT = re.compile(r"(?:^|[，。、：\s副])(市|省|区|县|州)长"
                                 r"(?=[\u4e00-\u9fff]{2,3}(?:[在到前来说强表指要，。]))")
# a title forwarded by a body the scrape left out (转发北京市应急管理局关于……) names the body it forwards
_TITLE_ACTOR = re.compile(r"^(?:转发)?([\u4e00-\u9fff]{2,20}?(?:人民政府办公厅|人民政府办公室|人民政府|政府|委员会|"
                          r"局|厅|部|委|办公室|(?<!公)司))(?:关于|印发|转发)")
_CENTRAL_COMMITTEE = re.compile(r"代表(?:中国共产党)?第[一二三四五六七八九十]{1,3}届中央委员会|"
                                r"受[^，。]{0,10}中央委员会委托|中国共产党第[一二三四五六七八九十]{1,3}次全国代表大会|[（(][一二三四五六七八九十]{1,3}大[）)]")
_PRESS_CONFERENCE = re.compile(r"(?:在|从)[^，。]{0,10}?召开的([\u4e00-\u9fff]{2,12}?(?:政府|指挥部|委员会|局|厅))"
                               r"新闻发布会|(?:^|[，,。\s])([\u4e00-\u9fff]{2,20}?(?:政府|指挥部|委员会|局|厅|机制))"
                               r"(?:\d{1,2}日)?召开新闻发布会")  # 2月6日，国务院联防联控机制召开新闻发布会
# the body a news item says issued a document on a day, its aims between (国家税务总局山西省税务局聚焦……要求，
# 于2月14日下发《……》; 国家能源局1日发布通知; 省医疗保障局会同省财政厅……共同印发了《……》)
_ISSUED_ON = re.compile(r"(?:^|[，,。\s）)])([\u4e00-\u9fff]{2,30}?(?:人民政府|政府|办公厅|委员会|局|厅|委|部|组))"
                        r"(?:[^。；;]{0,60}?于\d{1,2}月\d{1,2}日|会同[^。；;]{0,60}?(?:共同|联合)|"
                        r"(?:、[\u4e00-\u9fff]{1,12}?(?:政府|委|局|厅))*(?:\d{1,2}日)?)"
                        r"(?:联合|共同)?(?:印发|下发|出台|发布|发出)了?(?:《|关于|通知|紧急通知)")
# the place whose government or committee a news item reports meeting (its decisions follow: 会议要求……)
_MEETING = re.compile(r"^([\u4e00-\u9fff]{1,6}?[省市区县])[^，。\s]{0,30}?(?:会议|推进会|工作会|调度会)(?:召开|举行)"
                      r"|(?:^|[，,。\s])([\u4e00-\u9fff]{1,6}?[省市区县])(?:委|政府)?[^，。\s]{0,12}?主持召开"
                      r"(?:[省市区县]委|[省市区县]政府)[^，。\s]{0,20}?(?:会议|常委会)")
# the body a news item names as its source (据中山市教育和体育局消息, 记者从黑龙江省农业农村厅获悉)
_NEWS_SOURCE = re.compile(r"(?:据|从)([\u4e00-\u9fff]{2,16}?(?:政府|办公厅|委员会|局|厅|委|部|办|银行|分行|协会))"
                          r"(?:消息|获悉|了解到)|从([\u4e00-\u9fff]{2,12}?(?:省|市|区|县|政府|局|厅|委))"
                          r"(?:近期|近日|日前)?(?:发布|印发|出台)的《")  # 记者从宝山区近期发布的《……》中了解到
_REGION = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:省|市|自治区|区|县))")
_DEADLINE = re.compile(
    r"(?:到|至|在)?((?:19|20)\d\d)年(?:底|末)?(?:前|以前)?|([一二三四五六七八九十]{2}五)(?:期间|时期|末)?"
)
# the subject before a modal and the adverbs between them (我们一定要……, 各地都要……, 各级领导更要……)
# up to the modal itself: 企业主要负责人要…… is not 企业主 before the 要 of 主要
_SUBJECT = re.compile(r"([\u4e00-\u9fff“”]{2,12}?)(?=(?:重点|还|也|则|都|均|一定|尤其|特别|更|要|将|必须|力争|争取|"
                      r"计划|拟|确保|应当|须|正)+$)")



# adverb-like words before a task's verb (持续推进, 认真落实): never the action themselves
_SOFT_VERBS = {"继续", "持续", "不断", "积极", "大力", "进一步", "着力", "全力", "努力", "加快", "切实", "深入", "更加",
               "主动", "坚持", "注重", "重点", "全面", "扎实", "稳步", "逐步", "加速", "超常", "发力", "认真", "充分",
               "尽量", "依法", "及时", "严格", "坚决", "予以"}
_NEGATIONS = {"不", "不再", "暂不"}
# a head before the verb that names who acts, not what is measured (南沙区给予……, 国务院决定, 法律出版社出版)
_WHO = re.compile(r"(?:全|本)?[\u4e00-\u9fff]{1,10}(?:省|市|区|县|州|政府|局|委|部|厅|办|署|社|院|中心)")
_NOUN_TAGS = ("n", "j", "vn")  # nouns (ns, nt, nz …), abbreviations, verbal nouns
_QUOTE_CHARS = frozenset("“‘「（(”’」）)")
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
    words = _verb_nouns(_split_adverbs([(w, "m" if w[:1].isdigit() else f) for w, f in pos_tags(rest)]))
    quoted = []
    depth = 0
    for w, _ in words:
        quoted.append(depth > 0)
        if not _QUOTE_CHARS.isdisjoint(w):
            depth += sum(w.count(c) for c in "“‘「（(") - sum(w.count(c) for c in "”’」）)")
    def verb_at(i: int) -> bool:
        w, f = words[i]
        if quoted[i] or len(w) < 2:
            return False
        if not f.startswith("v"):
            return HAS_VERB.fullmatch(w) is not None  # a policy verb jieba tags otherwise (落实/a)
        # jieba tags many verbs vn (突破, 改革, 建设); one counts before a number, at the start or after
        # adverb-like verbs alone (加快建设, 进一步大力发展; not 人的全面发展)
        return (f != "vn" or i == 0 or (i + 1 < len(words) and words[i + 1][1] == "m")
                or all(w in _SOFT_VERBS for w, _ in words[:i]))

    # the first verb that is not an adverb-like verb before another verb
    i = next((i for i in range(len(words)) if verb_at(i) and not (
        words[i][0] in _SOFT_VERBS and i + 1 < len(words) and words[i + 1][1].startswith("v"))), None)
    if i is None:
        return None, None
    j = i + 1
    if (j < len(words) and words[j][1].startswith("v") and words[j][1] != "vn" and len(words[j][0]) >= 2
            and (j + 1 == len(words) or words[j + 1][0] != "人员")):
        j += 1  # 引进/v 支持/v (享受/v 退休/v 人员: who retired, not a second action)
    if i > 0 and words[i - 1][0] in _NEGATIONS:
        i -= 1  # 不加收税款滞纳金: the action is 不加收, not its opposite
    action = "".join(w for w, _ in words[i:j])
    h = i
    while h > 0 and words[h - 1][0] in _SOFT_VERBS:
        h -= 1  # 应免税款予以退还: the adverbs before the verb are no part of what it acts on
    head = "".join(w for w, _ in words[:h]).strip("“”‘’ ")
    tail = []
    for k in range(j, len(words)):
        w = words[k][0]
        if (_STOP_TARGET.search(w) and not (quoted[k] and w == "、")) or w in "（(":
            break
        tail.append(w)
    target = "".join(tail).strip("“”‘’ ") or None
    if target in ("至", "到", "于", "为"):  # 提高到51.5%, 延长至3月底: what it reaches was cut off, and what
        return action, None  # rises stands before with its old level (城镇化率从47.5%): the figure's metric tells
    if target is None and head and words[0][1] != "p" and not _WHO.fullmatch(head) and any(
            f.startswith(_NOUN_TAGS) and w not in _SOFT_VERBS for w, f in words[:i]):
        target = head  # 技术交易额突破900亿元: what is measured stands before the verb (加快发展, 每年培育: none
        # does; 南沙区给予250万元补贴: who acts does not)
    return action, target[:30] if target else None


_PERSON_SUFFIX = frozenset("人者期方员")  # 缴费/v 人 → 缴费人: who pays; 参保/v 期 → 参保期


def _verb_nouns(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A verb jieba cut from a one-character suffix of a noun (缴费/v 人, 缴费/v 期) joined back as a noun.

    Only where the next word can follow a subject (a verb, adverb, preposition, adjective, a
    punctuation mark; not for 人): 实现/v 人/n 的, 提高/v 人/n 林, 强化/v 人/n 、物 and 塑造/v 人。 are a
    verb and its object.
    """
    out: list[tuple[str, str]] = []
    for k, (w, f) in enumerate(words):
        after = words[k + 1] if k + 1 < len(words) else ("", "x")
        if (w in _PERSON_SUFFIX and out and out[-1][1].startswith("v") and len(out[-1][0]) >= 2
                and after[1][:1] in ("v", "d", "p", "a", "c", "x", "w")
                and after[0] not in ("与", "和", "的", "同", "、") and (w != "人" or after[1][:1] not in ("x", "w"))):
            out[-1] = (out[-1][0] + w, "n")
            continue
        out.append((w, f))
    return out


def _split_adverbs(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Dictionary words of an adverb and a verb cut in two (认真落实 → 认真 落实, 尽量减少 → 尽量 减少).

    jieba's dictionary holds such compounds as one word tagged z, i, l or n, which hid the verb; a set
    phrase of two verbs, the second a policy verb (贯彻落实/i, 研究制定/l), is read as one verb.
    """
    out = []
    for w, f in words:
        if len(w) >= 4 and not f.startswith("v"):
            k = next((k for k in (2, 3) if w[:k] in _SOFT_VERBS), 0)
            rest = pos_tags(w[k:]) if k else []
            if len(rest) == 1 and (rest[0][1].startswith("v") or HAS_VERB.fullmatch(rest[0][0])):
                out += [(w[:k], "d"), (w[k:], "v")]
                continue
            if len(w) == 4 and f in ("i", "l") and HAS_VERB.fullmatch(w[2:]):
                first = pos_tags(w[:2])
                if len(first) == 1 and first[0][1] == "v":
                    out.append((w, "v"))
                    continue
        out.append((w, f))
    return out


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
    >>> speaker_body("市委副书记、市长唐良智前往北碚区"), speaker_body("园区长期以来")
    ('市政府', None)

    """
    if "长" not in text and not _SPEAKER_TITLE.search(text):
        return None  # every title both patterns name: 局长 … 负责人, 市长 … 州长
    for m in _SPEAKER.finditer(text):
        body = _whole_name(text, m)
        if body:
            return body
    head = _HEAD_OF_GOVERNMENT.search(text)  # the head of a government speaks for it (市长 -> 市政府)
    return f"{head.group(1)}政府" if head else None


def _nearest_speaker(before: str) -> str | None:
    """The body of the speaker given the floor last in ``before`` (……部……司司长徐亚华表示，), read whole.

    >>> _nearest_speaker("对此，交通运输部运输服务司司长徐亚华表示，一方面，")
    '交通运输部运输服务司'
    """
    bodies = speaker_floors(before)[1]
    return bodies[-1] if bodies else None


def speaker_floors(text: str) -> tuple[list[int], list[str]]:
    """Where each speaker a text gives the floor stops being introduced, and the body it speaks for.

    A news item hands the floor from one official to the next (……司长张莹说，……。……司长徐亚华表示，……);
    what follows a speaker, up to the next, is theirs. Ends in order, bodies read whole.

    >>> speaker_floors("国家发展改革委秘书长丛亮表示，各地要……。交通运输部运输服务司司长徐亚华表示，将……")
    ([14, 38], ['国家发展改革委', '交通运输部运输服务司'])
    """
    ends: list[int] = []
    bodies: list[str] = []
    if not _SAYS.search(text) or not _SPEAKER_TITLE.search(text):
        return ends, bodies  # most texts give no one the floor: the lazy pattern is not tried on them
    for m in _SPEAKER_SAYS.finditer(text):
        body = _whole_name(text, m)
        if body:
            ends.append(m.end())
            bodies.append(body)
    return ends, bodies


def _whole_name(text: str, m: re.Match[str]) -> str | None:
    """The body a speaker pattern matched (group 1), read from where its name starts.

    A name longer than the pattern reaches (中国电子技术标准化研究院院长, 工业和信息化部信息通信管理局局长) is
    read up to 16 characters further back, to a boundary (据, 从, 、, a comma): not 子技术标准化研究院;
    None when no boundary is that near, or the match holds 的 (撤销他的……委员会主任: no name).
    """
    def inside_name(at: int) -> bool:  # the character before ``at`` goes on a name
        return at > 0 and HAN.match(text[at - 1]) is not None and text[at - 1] not in _NAME_BOUNDARY

    start = m.start()
    while start > max(0, m.start() - 16) and inside_name(start):
        start -= 1
    if inside_name(start) or "的" in m.group(1):
        return None
    return text[start + (text[start] == "请"):m.end(1)]  # 请国家卫生健康委党组成员……介绍: invited, not in the name


def document_actor(title: str | None, text: str, kind: str | None = None) -> str | None:
    """Who speaks in a document: the issuing body of a notice, the government of a work report.

    >>> document_actor(None, "同志们：现在，我代表中国共产党第十一届中央委员会，向大会作报告。", "cpc-report")
    '中国共产党'
    >>> document_actor(None, "江西：六大举措保障就业 2月13日，省政府办公厅下发《关于做好……的通知》，……", "news")
    '省政府办公厅'
    >>> document_actor(None, "浙江出台17条措施 记者从5日召开的浙江省政府新闻发布会上获悉，……", "news")
    '浙江省政府'
    >>> document_actor(None, "陕西出台八条措施 记者获悉：为……，省脱贫攻坚领导小组出台《八条措施》。", "measures")
    '省脱贫攻坚领导小组'
    >>> document_actor(None, "高中2月10日云开课 2月6日，据中山市教育和体育局消息，……", "news")
    '中山市教育和体育局'

    """
    if kind == "cpc-report" and _CENTRAL_COMMITTEE.search(text[:600] + (title or "")):
        return "中国共产党"  # a congress report speaks for the Party (guide §7.5)
    lead = text[:LEAD_CHARS]
    issued = ISSUER_LEAD.search(lead)  # ……领导小组出台《……》: the body a report says issued the document
    if kind == "news":
        # a text that opens with its own title names its author (北京市昌平区经济和信息化局关于……的说明
        # 2月5日，北京市政府办公厅印发《……》: the bureau explains what the office issued)
        m = ((None if title else _TITLE_ACTOR.search(text.lstrip()[:60])) or issued or _ISSUED_ON.search(lead)
             or _PRESS_CONFERENCE.search(lead) or _NEWS_SOURCE.search(lead))
        if m:
            return next(g for g in m.groups() if g)
        held = _MEETING.search(lead)  # 周口市……推进会召开, 郑州市市长……主持召开市政府常务会议: the place that meets
        place = held and (held.group(1) or held.group(2))
        if place and names_a_place(place):
            return place
    if title:
        m = _TITLE_ACTOR.search(title)
        if m:
            return m.group(1)
        if "政府工作报告" in title:
            if "国务院" in title or "中华人民共和国" in title:
                return "国务院"
            place = _place_in(title)
            return f"{place}人民政府" if place else None
        place = _place_in(title)
        if place:
            return place
    m = _ON_BEHALF.search(text[:600])  # 现在，我代表国务院，向大会报告政府工作: a report without its title
    if m:
        return m.group(1)
    tokens = re.split(r"\s+", text.strip()[:300])
    head = tokens[0][:60]
    for m in (_TITLE_ACTOR.search(head), _HEADLINE_ACTOR.search(head), _DECREE.match(head)):
        if m:
            return m.group(1)
    # 关于印发……的通知 北京市海淀区人民政府; issuers before the title (甘肃省医疗保障局 甘肃省财政厅 关于……) — one body
    # alone before other words is the site a scrape came from (山东省人民政府 政策文件 ……)
    joint = len(tokens) > 1 and (_BODY_ONLY.fullmatch(tokens[1]) or tokens[1].startswith("关于"))
    issuer = next((t for t in tokens[0 if joint else 1:6] if _BODY_ONLY.fullmatch(t)), None)
    if issuer := issuer or _signature(text) or _cover_signature(text) or _interpreter(text) or _implementer(text):
        return issuer
    # a document quoted by the report that carries it (……出台八条措施 记者获悉：……领导小组出台《……》)
    return (issued.group(1) if issued else speaker_body(text[:3000]) or _acting_body(text)
            or (self_named_place(text) if kind != "news" else None))


_ON_BEHALF = re.compile(r"我代表([\u4e00-\u9fff]{0,12}?(?:人民政府|国务院|政府))[，,]?\s*向[^。]{0,20}报告")


def _place_in(title: str) -> str | None:
    """The first place a title names with its suffix (宁波市, 上海市, 南沙区), read from where the place's name starts.

    Not any run before 市 or 区: 关于促进智慧城市…… names no city (`于促进智慧城市` was taken for one).

    >>> _place_in("关于促进智慧城市健康发展的指导意见"), _place_in("关于宁波市科技创新的实施意见")
    (None, '宁波市')
    """
    for m in _REGION.finditer(title):
        name = m.group(1)
        for i in range(len(name) - 1):
            stem = short_place(name[i:])
            if stem != name[i:] and (stem in PROVINCES or names_a_place(stem)):
                return name[i:]
    return None


def _signature(text: str) -> str | None:
    r"""The first body of the signature block that ends a document (bodies, one per line, then the date).

    What a page or a register adds after the date ((此件主动公开), 扫一扫在手机打开当前页) is not part of
    the document; a name typeset with its characters spaced out (科 技 部) or broken where a
    line ran out (……肺炎疫情 防控工作领导小组指挥部) is one name.

    >>> _signature("专此函复。\n科 技 部\n2019年5月22日\n（此件主动公开）")
    '科技部'
    >>> _signature("……落实。\n\n国家发展改革委\n中 央 网 信 办\n工业和信息化部\n国 家 能 源 局\n2020年12月23日")
    '国家发展改革委'
    >>> _signature("严肃责任追究。 广西壮族自治区新型冠状病毒感染的肺炎疫情 防控工作领导小组指挥部 2020年1月27日 "
    ...            "扫一扫在手机打开当前页")
    '广西壮族自治区新型冠状病毒感染的肺炎疫情防控工作领导小组指挥部'
    """
    tail = _PAGE_NOTES.sub("", text.rstrip()[-600:])
    m = _DATE_END.search(tail)
    if not m:
        return None
    # a scrape joins lines with one space (……报告。 中国人民银行成都分行办公室 2020年2月1日): a body name has none;
    # an office's seal in brackets stands for its body's (（国家粮食局办公室代章）: 国家粮食局)
    lines = _spaced_names([_STAMPED.sub(r"\1", x) for x in re.split(r"\s+", tail[:m.start()]) if x])
    block: list[str] = []
    for line in reversed(lines):
        if _BODY_ONLY.fullmatch(line):
            block.append(line)
        elif (block and not _NAME_END.search(line) and _BODY_ONLY.fullmatch(line + block[-1])
              and (line.startswith(("国家", "中国", "中华", "全国"))
                   or names_a_place(line[:2]) or names_a_place(line[:3]))):
            block[-1] = line + block[-1]  # the head of a name the line broke: its place (not 附件 ……范本 above it)
        elif block and len(line) <= 10 and _HAN.fullmatch(line) and _NAME_END.search(line):
            block.append(line)  # a body by its short form among the signatories (中央网信办)
        else:
            break
    if not block:
        return None
    first = block[-1]
    # ……局办公室 2020年9月22日印发: the bureau's office prints what the bureau issues
    printed = "印发" in m.group() and re.fullmatch(r".+[局委厅]办公室", first)
    return first[:-3] if printed else first


def _cover_signature(text: str) -> str | None:
    r"""The signature of a cover notice that opens a document, the document it issues after it.

    (……，现予发布。 ……部 ……委员会 2015年12月29日 ……指南……)

    >>> _cover_signature("……标准体系建设指南（2015年版）》，现予发布。\n联系人：张三\n工业和信息化部\n"
    ...                  "国家标准化管理委员会\n2015年12月29日\n国家智能制造标准体系建设指南……" + "。" * 900)
    '工业和信息化部'
    """
    cover = _COVER_END.search(text[:3000])
    if not cover:
        return None
    date = _DATE.search(text, cover.end(), cover.end() + 400)
    return _signature(text[:date.end()]) if date else None


def _spaced_names(tokens: list[str]) -> list[str]:
    """Tokens with each run of one- or two-character Chinese tokens joined (科 技 部 → 科技部): a name set apart."""
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        if t and len(t) <= 2 and _HAN.fullmatch(t):
            run.append(t)
            continue
        out.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if t:
            out.append(t)
    return out


def _implementer(text: str) -> str | None:
    """The body that carries out the document itself (工业和信息化部会同有关部门做好规划的组织实施) — its issuer.

    >>> _implementer("五、组织实施 商务部会同有关部门加强统筹协调，抓好本方案的落实。")
    '商务部'
    """
    tail = text[-3000:]
    m = _IMPLEMENTS.search(tail) or _ORGANISES.search(tail)
    return m.group(1) if m else None


def _acting_body(text: str) -> str | None:
    """The body a document names most often as the one that acts (科技部组织专家……, 科技部结合……), twice at least.

    A notice that its scrape left unsigned still says who does its procedure. On the 221 policy
    documents of the corpus it decides the author of 8, 6 of them the issuer their metadata names.

    >>> _acting_body("各地报送科技部。科技部组织专家论证。科技部结合论证意见确定名单。")
    '科技部'
    """
    counts = Counter(m.group(1) for m in _ACTS.finditer(text))
    if not counts:
        return None
    body, n = counts.most_common(1)[0]
    return body if n >= 2 else None


def _interpreter(text: str) -> str | None:
    """The body that interprets a regulation (本规定由X负责解释, 解释权属于X) or wrote it — its issuer as a rule.

    >>> _interpreter("本指南由住房和城乡建设部组织编制，由中国城市科学研究会负责具体技术内容的解释。……")
    '住房和城乡建设部'
    """
    m = _INTERPRETS.search(text[-1500:]) or _WRITTEN_BY.search(text)
    return next(g for g in m.groups() if g) if m else None


# 国务院 signs its own documents; a joint mechanism is a body (国务院应对……疫情联防联控机制)
_BODY = (r"(?:[\u4e00-\u9fff（）]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
         r"指挥部|领导小组|联防联控机制|局|厅|部|署|委|中心|银行|分行)|国务院)")
# bodies that issue a document together are joined by 、 (教育部办公厅、工业和信息化部办公厅联合印发……)
_HEADLINE_ACTOR = re.compile(rf"^({_BODY}(?:、{_BODY})*)"
                             r"(?:关于|印发|组织|开展|发布|出台|召开|部署|下发|联合|启动|推出|要求)")
_BODY_ONLY = re.compile(rf"(?:中华人民共和国)?{_BODY}")
_STAMPED = re.compile(r"^[（(]([\u4e00-\u9fff]{2,30}?)(?:办公室|办公厅)?代章[）)]$")
# what a page or a register adds after a document's date: (此件主动公开), the site's QR-code and print links
_PAGE_NOTES = re.compile(r"(?:\s*(?:[（(]此件[\u4e00-\u9fff]{2,8}[）)]|扫一扫在手机打开当前页|"
                         r"【?(?:打印本页|关闭窗口)】?))+$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# how a cover notice hands over the document it issues
_COVER_END = re.compile(r"(?:现予(?:以)?(?:发布|印发)|现(?:将[^。]{0,30})?印发给你们|请[^。]{0,12}(?:遵照|贯彻)执行|"
                        r"特此通知)[^。]{0,12}。")
_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_DATE_END = re.compile(_DATE.pattern + r"\s*(?:印发|发布)?\W*$")  # a document's date last (……日印发)
_NAME_END = re.compile(r"[办局部委厅院会组室司署行心府]$")  # how a body's name, or its short form, ends
_IMPLEMENTS = re.compile(rf"(?:^|[\s。；：:])({_BODY}(?:、{_BODY})*)会同[^，。；]{{0,30}}?(?:做好|负责|加强|抓好)"
                         r"[^，。；]{0,20}?(?:组织实施|统筹协调)")
# … or the body that an item on carrying it out names first (（四）强化组织实施。工业和信息化部将加强……,
# 健全工作机制。国家医保局将定期调度……)
_ORGANISES = re.compile(rf"(?:组织实施|组织领导|组织保障|工作机制|统筹协调)[。．.]\s*({_BODY})(?:将|牵头|会同|负责)")
_ACTS = re.compile(rf"(?:^|[\s。；，：:])(?![由经向报请在对])(?=[\u4e00-\u9fff])({_BODY})"
                   r"(?:组织|负责|会同|结合|统筹|指导|将|适时|定期)")
_INTERPRETS = re.compile(rf"解释权(?:属于|归)({_BODY})|由({_BODY})负责解释")
# a document that says who wrote it (本指南由住房和城乡建设部组织编制, 本标准由……提出)
_WRITTEN_BY = re.compile(rf"本(?:指南|标准|规范|办法|方案|规划|计划|意见|通知|细则|规定|文件)由({_BODY})"
                         r"(?:组织|负责)?(?:编制|制定|发布|印发|起草|提出)")
# a body's order by its number (……领导小组指挥部令（第1号）): the body issues it
_DECREE = re.compile(rf"^({_BODY})令[（(]第")
# a task's lead unit named after it: （省卫生健康委牵头）, （责任单位：市人社局、市财政局）
_LEAD_UNIT = re.compile(r"[（(](?:(?:责任|牵头|主责|实施)(?:单位|部门)[:：]\s*)?([\u4e00-\u9fff]{2,20}?)"
                        r"(?:牵头|负责|[、，,；;）)])")


_NOTES = ("以下简称", "简称", "含", "包括", "不含", "不包括", "下同", "试行", "暂行")
_PART_OF = re.compile(r"(?:局|部|委|厅|院|办|署|司|行)$")  # 商务部（外资司）: the department, in brackets
_NEXT_ITEM = re.compile(r"\s(?:\d{1,2}[．.、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)")


def _lead_unit_after(sentence: str, paragraph: str) -> re.Match[str] | None:
    """The lead unit tag of the item a sentence stands in: the first one after it, before the next item.

    A scrape may hold several numbered items in one paragraph, each closed by its own
    （责任单位：……）; without one after the sentence, a tag at the paragraph's end.

    >>> para = ("1．加大贷款投放。各银行持续加大支持。（责任单位：市金融监管局、市财政局） "
    ...         "2．降低融资成本。（责任单位：人行中支）")
    >>> _lead_unit_after("【1．加大贷款投放。】", para).group(1), _lead_unit_after("2．降低融资成本。", para).group(1)
    ('市金融监管局', '人行中支')
    """
    at = _sentence_at(sentence, paragraph)
    if at >= 0:
        rest = paragraph[at:]
        nxt = _NEXT_ITEM.search(rest)
        found = _lead_unit(rest[:nxt.start()] if nxt else rest)
        if found or nxt:
            return found
    return _lead_unit(paragraph[-120:])


_AFTER_SENTENCE = re.compile(f"(?<=[{SENTENCE_END_CHARS}])")  # splits a text after each sentence's end


def _sentence_at(sentence: str, paragraph: str) -> int:
    """Where ``sentence`` (its clause marked by 【】 or not) starts in ``paragraph``, or -1."""
    return paragraph.find(sentence.replace("【", "").replace("】", ""))


def _item_subject(sentence: str, paragraph: str) -> str | None:
    """Who acts in the nearest earlier sentence of the clause's paragraph that names a subject before its modal word.

    A subject named at the start of an item carries to its later subjectless sentences (guide
    §7.9: 医疗机构应当……。合理配置……。). On dev (version 31's model) actor accuracy rose from 0.641
    to 0.666 in notices and from 0.555 to 0.581 in news; in reports the author speaks for a body's
    tasks (东部地区要……。支持……) and it fell, 0.947 to 0.798 in work reports, so they do without. Only
    the nearest such sentence: the paragraph's first alone gave 0.650 and 0.573.
    """
    at = _sentence_at(sentence, paragraph)
    if at <= 0:
        return None
    for earlier in reversed(_AFTER_SENTENCE.split(paragraph[:at])):
        actor = _modal_and_actor(earlier)[1]
        if actor:
            return actor
    return None


def _lead_unit(text: str) -> re.Match[str] | None:
    """The first lead-unit tag of ``text``: a tag closes its task.

    Not a bracket naming a part of the body before it (税务总局（纳税服务司）), nor a bracketed word the
    phrase goes on after (村庄(社区)的劳务人员). A tag after a body's name that says who leads
    (县级医院（省卫生健康委牵头，……）) is one.
    """
    return next((m for m in _LEAD_UNIT.finditer(text) if not _inline_bracket(text, m)), None)


def _inline_bracket(text: str, m: re.Match[str]) -> bool:
    """Whether the bracket a lead-unit match opens belongs to the phrase around it, not to a tag."""
    if text.startswith(_NOTES, m.start() + 1):
        return True  # （以下简称示范园区）, （含劳务派遣人员）: a note, no tag
    close = min((i for i in (text.find("）", m.start()), text.find(")", m.start())) if i >= 0), default=-1)
    if close < 0:
        return False
    if close + 1 == m.end() and _PART_OF.search(text, 0, m.start()):
        return True  # 税务总局（纳税服务司）
    return bool(HAN.match(text[close + 1:close + 2]))  # 村庄(社区)的, 村（社区、网格）为作战单元


_SPAN = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–~至到]\s*((?:19|20)\d\d)\s*年")
# a title states its span in brackets, 年 or not: ……行动方案（2021—2023）
_TITLE_SPAN = re.compile(r"[（(]((?:19|20)\d\d)\s*年?\s*[-—–~至到]\s*((?:19|20)\d\d)\s*年?[）)]")
_YEAR = re.compile(r"(?<![比较与同自从由])((?:19|20)\d\d)\s*年(?!\d{1,2}月\d{1,2}日)(?!以来|来|的(?:基础|水平))")
_DATE_START = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:起|开始|以来)")
_FYP_RE = re.compile(r"([一二三四五六七八九十]{2}五)(?:期间|时期|末)?")


@lru_cache(maxsize=4096)  # a clause asks its sentence, lead-in and headings: the same texts for every item of a list
def deadline_in(text: str, year: int | None = None) -> str | None:
    """The year or span a text says something is due (corpus/README.md §7.5), or None.

    A span (2021—2023年) gives "2021-2023"; 到/在/于 a year, a year with 底/末/前, or a bare year
    gives the year (a date a measure starts from, 自2020年2月1日起, 比2019年, and the year a change
    starts from, 由2012年的52.6%, are no deadline); “十四五” gives its five years; 今年/新的一年/本年 give
    ``year``, 明年 the year after.

    >>> [deadline_in(t, 2024) for t in ("到2025年，", "2021—2023年行动", "“十四五”时期", "今年要", "比2019年增长",
    ...                                 "明年", "在一九五八年完成", "由2012年的52.6%提高到2030年的70%")]
    ['2025', '2021-2023', '2021-2025', '2024', None, '2025', '1958', '2030']

    """
    if "年" not in text and "五" not in text:
        return None  # every form below names 年 (a year, 今年, 明年) or 五 (“十四五”)
    text = numeral_years_as_digits(text)  # 在一九五八年完成 (old reports write years in numerals)
    m = _SPAN.search(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    for m in _YEAR.finditer(_DATE_START.sub("", text)):
        return m.group(1)
    m = _FYP_RE.search(text)
    if m and m.group(1) in FIVE_YEAR_PLANS:
        return FIVE_YEAR_PLANS[m.group(1)]
    if year and _THIS_YEAR.search(text):
        return str(year)
    if year and _NEXT_YEAR.search(text):
        return str(year + 1)
    return None


_THIS_YEAR = re.compile("|".join(w for w, delta in RELATIVE_YEARS.items() if delta == 0))
_NEXT_YEAR = re.compile("|".join(w for w, delta in RELATIVE_YEARS.items() if delta == 1))
_THIS_YEAR_SAID = re.compile(r"今年|新的一年|本年度?")
_DIGIT = re.compile(r"\d")
_SHORT_ITEM_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]\s*")
_ITEM_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*")
_CONNECTIVE = re.compile(
    r"^(?:新的一年|同时|此外|另外|为此|其中|一方面|另一方面|与此同时|[一二三四五六七八九十]是)[，,]?")
_ACTORISH = re.compile(
    r"^各|^国家$|(?:政府|部门|单位|局|委员会|委|厅|部|办公室|办|院|中心|企业|公司|机构|银行|分行|支行|学校|高校|医院|协会|集团|组|司|市|省|区|县|州|"
    r"镇|乡|村|国|党|中央|党委|我们|人民|群众|社会|行业|部队|军队|者|员|干部|主体|平台|机关|学校|医疗机构|专家|财政|社|组织|"
    r"民|(?<!每)人|家长|学生|师生|旅客|游客|乘客|商户|业主|家庭|用户)$"  # the public a notice tells: 居民要……
)
# people or places as a group (两岸同胞, 民族地区, 有条件的地方): a short name, not a clause that ends in one
# (我们理解、信赖、关心台湾同胞, 对于疫情较重的地方)
_GROUP = re.compile(r"^[^，,、]{0,6}(?:同胞|地区|地方)$")
_COMMA = re.compile(r"[，,。；;！？!?]")  # a comma, or the end of an earlier sentence the clause carries
# the condition a provision opens with (……经查证属实的，; 泄漏举报人信息的，) or its purpose (以……为根本目的，),
# then what it does
_CONDITION = re.compile(r"^[^，,。；;：:]{2,40}的[，,]\s*(?=\S)")
_MODAL_FIRST = re.compile(r"^(?:都|也|还|则|均)?(?:要|必须|应当|应|须|将)")
_YOU = {"我们", "我市", "我省", "我区", "我县", "我委", "我局", "我厅", "我部", "本市", "本省", "全市", "全省", "全区"}


@lru_cache(maxsize=4096)  # asked of a clause's sentence and lead-in again for each of its clauses
def _modal_and_actor(text: str) -> tuple[str | None, str | None, str]:
    """The modal word of ``text``, the subject before it and what follows it."""
    titles = cited_spans(text)
    # not the 确保 of “两个确保”, nor the 要 of a cited 《……纲要》
    m = next((x for x in unquoted(_MODAL, text) if not in_spans(x.start(), titles)), None)
    if not m:
        return None, None, text
    modality = "目标" if m.group(1).startswith("目标") else {"应该": "应"}.get(m.group(1), m.group(1))
    # the subject stands after the last comma before the modal (今后，我们要……; 下一步，税务部门将……)
    head = _SHORT_ITEM_NUMBER.sub("", _COMMA.split(text[:m.start()].strip("，, "))[-1])
    if head.startswith("我们") and head[2:3] not in ("", "的") and text[:m.start()].rstrip().endswith(("，", ",")):
        head = "我们"  # 我们更寄希望于台湾人民，要……: the modal opens a clause of the same subject
    actor = None
    if head and len(head) <= 50 and not _PREP.match(head) and not _DIGIT.search(head):
        sm = _SUBJECT.match(head + text[m.start():m.end()])
        said = _SAID.match(head)  # 会议要求各地要……, 明确提出企业要……: who is told acts (not 提出……申请的单位)
        told = head[said.end():] if said and "的" not in head[said.end():] else None
        if told:  # up to its first verb, adverb or preposition (各地邮政管理部门继续加强……)
            words = _split_adverbs(pos_tags(told))
            k = next((k for k, (_, f) in enumerate(words) if k and f in ("v", "d", "ad", "p")), len(words))
            told = "".join(w for w, _ in words[:k])
        for cand in (told, sm.group(1) if sm else None, head, head.split("的")[0]):
            cand = (cand or "").strip("“”‘’")
            if cand and _names_actor(cand):
                actor = cand  # 今年发展的主要预期目标是：, 持续加快……: no body stands before the modal
                break
    return modality, actor, text[m.end():]


_SAID = re.compile(r".{0,12}?(?:提出|要求|强调|指出|表示|希望|号召|倡议)(?!的)")
_CLAUSE_OPENERS = {"v", "l", "i", "d", "p", "c"}  # verbs, set phrases, adverbs, prepositions, conjunctions


def _names_actor(text: str) -> bool:
    """Whether ``text`` names who acts: 我们, a body (市科技局, 各地, 中央财政), a group (两岸同胞) or a place (宁波).

    Words that end like a body but open with a verb, a set phrase, an adverb, a preposition or a
    conjunction and run to three words or more (切实做好……失业人员, 加快构建新发展格局, 对于……地方) are a
    clause; a verb before 的 (提供贷款的银行) or as the first of two words (参建企业) is part of a name, one
    before a quantity (建设一批……的创新中心) is not.
    """
    if text in _YOU:
        return True
    if not (_ACTORISH.search(text) or _GROUP.search(text) or names_a_place(text)):
        return False
    tags = pos_tags(text)
    if len(tags) >= 3 and tags[0][1].startswith("v") and tags[1][1] == "m":
        return False  # a verb and a quantity: what is made (建设一批……创新中心, 培育一批……企业), not who makes it
    if len(text) <= 6 and _PEOPLE_GROUP.search(text) and len(tags[0][0]) == 1 and tags[0][1].startswith("v"):
        return True  # people named by where they go or come from (返京人员, 进场者), a one-character verb first
    return len(tags) < 3 or tags[0][1] not in _CLAUSE_OPENERS or "的" in text


_PEOPLE_GROUP = re.compile(r"(?:人员|者|户|学生|市民|居民|群众|职工|员工|家长|患者|旅客|乘客|游客)$")
_DETERMINERS = {"各", "各类", "各级", "广大", "有关", "相关", "社会"}  # 鼓励各民主党派…: part of who acts
_EVERY_PLACE = {"各地", "各省", "各市", "各区", "各县"}  # jieba tags them pronouns (r): 要求各地加强…… -> 各地
# a set phrase that names people (各族人民/l) is part of who acts and ends it; a manner word jieba tags as an
# attribute (主动/b) ends it too (指导企业主动与职工沟通 -> 企业, not 企业主动与职工)
_PEOPLE = re.compile(r"(?:人民|群众|同胞|干部|职工)$")
_MANNER_WORDS = {"主动", "积极", "及时", "自主", "自愿", "有序", "依法"}
_ALSO_ENCOURAGED = re.compile(r"^(?:和|并|、|与)?(?:支持|引导|帮助|推动)")


_BODY_END = re.compile(r"(?:政府|部门|单位|局|委员会|委|厅|办公室|中心|企业|公司|机构|银行|分行|支行|"
                       r"学校|高校|医院|协会|集团|小组|平台|机关|财政|[^全本我各大]部(?!分|门))")
_BODY_NAME = re.compile(r"[\u4e00-\u9fff“”、]+")
# how a body's name opens: its level or its place (省中小企业发展促进中心, 各级中小企业公共服务平台, 中央财政)
_BODY_LEVEL = re.compile(r"^(?:全?(?:省|市|区|县|州|自治区)|各级|各地|中央|国家|国务院|地方|属地|自治区|人民|司法|税务|"
                         r"公安|海关|政府)")
# which of them is not said
_GENERIC_BODIES = {"企业", "平台", "单位", "机构", "财政", "各类财政", "部分企业", "有关部门", "相关部门"}
# a level or a result reported (全省高新技术企业达到5000家, 国有企业改革取得突破性进展): what is measured or
# achieved stands first, not who acts
_MEASURED = re.compile(r"(?:达到|突破|超过|增长|提高到|扩大到|扩大至|下降|减少|占|为|控制在|稳定在|保持在)"
                       r"[^，,。；;]{0,6}\d|(?:显著|明显|大幅)(?:提升|提高|增强|改善)|取得|得到|进展|成效|完成|完善$|只减不增")
# when the clause happens, before who acts (今年中央财政安排……, 展期内财政给予……)
_TIME_LEAD = re.compile(r"^(?:今年|明年|今后|当年|同年|同时|此外|其中|目前|现在|[一二三四五六七八九十\d]+年(?:来|内)?|"
                        r"[^，,]{1,4}期(?:内|间))")
_SUBJECT_NEXT = {"对", "在", "向", "为", "按", "按照", "会同", "联合", "与", "同", "将", "把", "于", "从"}
_BENEFITS = re.compile(r"^(?:可|可以)?(?:享受|享有|获得|纳入|列入|适用|符合|申请|申报)")
# an office, not a firm
_OFFICE_END = re.compile(r"(?:局|厅|委|[^全本我各大]部|银行|分行|支行|办公室|中心|部门|机关|财政)$")
# a clause that opens with a verb or an adverb acts on the body it names (指导企业制定……, 广泛宣传政府……)
_OPENS_AS_ACTION = re.compile(r"^(?:指导|引导|帮助|组织|协调|督促|推动|支持|鼓励|宣传|服务|依托|通过|围绕|针对|"
                              r"结合|根据|按照|坚持|广泛|全面|充分|最大|切实|深入|持续|不断|进一步|着力|努力|积极|大力|"
                              r"优先|重点|面向|利用|协同|动员|规范|合理|科学|做好|发挥|减轻|解决|加大|调整|使|让|定|预计|"
                              r"公示|明确|合计|会同|搭建|发布|协助|配合)")


def _own_subject(body: str) -> str | None:
    """Who acts in a clause without a modal word, when it opens with a body's name and then acts.

    省中小企业发展促进中心对全省中小微企业运行进行监测, 司法部门开辟法律援助绿色通道,
    中央财政按照规定的标准安排经费 → the body (guide §7.8: a lead unit or the author speaks only
    when the clause names none). The name ends like a body (:data:`_BODY_END`) and runs to a
    verb, an adverb or a preposition (the longest such name: 省中小企业 is not the 中心; it stops
    at a preposition). jieba's dictionary tags many verbs as nouns (面向, 利用, 协同, 动员/n), so
    a verb that opens the clause cannot be told from a name's first word by its tag: the name must
    open with its level or place (:data:`_BODY_LEVEL`, a place name) or be a short name of its own
    (税务总局, 人民银行: an office of at most six characters, no policy verb in it); and a clause
    that opens with a verb or an adverb we know (指导企业……, 广泛宣传……) acts on it. One before 享受/纳入 is a
    beneficiary (the granting side acts); a clause that reports a level or a result (……达到5000家,
    ……取得进展) states what became of its head.
    """
    time = _TIME_LEAD.match(body)
    body = body[time.end():] if time else body
    name = _BODY_NAME.match(body[:30])
    if not name or not _BODY_END.search(name.group()):
        return None  # most clauses open with no body's name: nothing below is asked of them
    first = _COMMA.split(body, maxsplit=1)[0]
    if _MEASURED.search(first) or _CONDITION.match(body) or (
            _OPENS_AS_ACTION.match(body) or HAS_VERB.match(body) or any(body.startswith(v) for v in _SOFT_VERBS)):
        return None
    best = None
    for m in _BODY_END.finditer(name.group()):
        rest = body[m.end():]
        if not rest or _BENEFITS.match(rest):
            continue
        words = pos_tags(_COMMA.split(rest, maxsplit=1)[0][:16])
        if not words:
            continue
        if words[0][0] in _SUBJECT_NEXT:
            best = body[:m.end()]
            break  # 中心对企业……: the name ends at the preposition
        k = next((k for k, (_, f) in enumerate(words) if not f.startswith("d")), len(words))
        if k < len(words) - 1 and words[k][1].startswith("v") and not rest.startswith("的", len(words[k][0])):
            best = body[:m.end()]  # a verb with an object (平台初步建立: what is built; 机构改革的重点: a noun)
    if best is None or best in _GENERIC_BODIES or "的" in best or _SAID.match(best):
        return None  # 宁夏要求各地……: who is told acts (_modal_and_actor reads that with a modal word)
    if "的" in first and not any(f.startswith("v") for _, f in pos_tags(first.rsplit("的", 1)[1])):
        return None  # ……部门发布的测试要求, 政府投资项目产生的岗位信息: a noun phrase, nobody acts
    if any(w in _SOFT_VERBS or f == "p" for w, f in pos_tags(best)):
        return None  # 上海等城市加快推进智算中心, 智能制造标准在企业: the name ended before
    own_name = len(best) <= 6 and _OFFICE_END.search(best) is not None and not HAS_VERB.search(best)
    if not (_BODY_LEVEL.match(best) or names_a_place(best[:3]) or names_a_place(best[:2]) or own_name):
        return None
    return best if _names_actor(best) else None


# who is encouraged may be qualified (鼓励有条件的地方……, 符合条件的企业)
_QUALIFIED = re.compile(r"(?:有|符合|具备)条件的")
# 由X做Y: the agent a clause names (全部由政府兜底采购收储, 全市在线学习工作由市教育和体育局负责指导); a body, and a
# verb of doing (not 由……调整为, 由5年延长至8年)
_AGENT = re.compile(r"由([\u4e00-\u9fff]{0,24}?(?:政府|局|厅|委|部门|单位|中心|办公室|机构|银行|公司|学校|医院|财政))"
                    r"(?:负责|承担|牵头|组织|实施|兜底|统筹|制定|指导|审核|审批|办理|发放|准备|提供|支付|安排|协调|"
                    r"监督|确定|认定|核定|拨付|统一)")


def _encouraged(rest: str) -> str | None:
    """X of 鼓励X做Y, and of 要求X做Y (:func:`_told`): the nouns before the first verb.

    鼓励银行机构加大信贷投放 -> 银行机构. A second verb of encouragement joined to the first is stepped over
    (鼓励和支持X进行监督 -> X).
    """
    words: list[tuple[str, str]] = []
    rest = _ALSO_ENCOURAGED.sub("", rest)
    qualified = _QUALIFIED.match(rest)  # 鼓励有条件的地方……: the qualifier goes with the nouns it qualifies
    if qualified:
        words.append((qualified.group(0), "b"))
        rest = rest[qualified.end():]
    for word, flag in pos_tags(rest[:30]):
        if word in _MANNER_WORDS:
            break
        if words and flag == "l" and _PEOPLE.search(word):  # 全国各族人民: a set phrase of people ends who acts
            words.append((word, "n"))  # (紧密团结/n follows it)
            break
        flag = "n" if word in _EVERY_PLACE else flag
        if flag.startswith(("n", "j", "b")) or (words and word in "和及与、") or (not words and word in _DETERMINERS):
            words.append((word, flag))  # b: 大型, 国有, 民营 (鼓励各大型银行……), before a noun only
        else:
            break
    while words and not words[-1][1].startswith(("n", "j")):
        words.pop()
    actor = "".join(w for w, _ in words).strip("和及与、")
    return actor if len(actor) >= 2 else None


# a lead-in that announces what follows (为……，坚决打赢……，现将有关事项通知如下：, ……提出如下意见：): its modal
# words belong to its purpose, not to the items
_ANNOUNCES = re.compile(r"如下[^，,。；;：:]{0,4}[：:]\s*$")
_PLEDGE_MODALS = ("将", "要")
# who is told, urged, called or asked to act (要求/指导/督促/布置/倡导/建议/号召X做Y, 请各地……: X acts, guide §7.8,
# §7.9); not 引导 (the author acts) nor 鼓励 (read apart, with its modality); 请 opening a clause, not 申请/提请
_TOLD = re.compile(rf"{REQUIRES}|(?:(?<!为)(?:指导|督促|布置|倡导|号召)(?![下的])|{ADVISES})[，,：:]?"
                   r"|(?:^|(?<=[，,。；;：:\s]))请(?![示求假])")


def _told(text: str) -> str | None:
    """X of the nearest 要求X做Y in ``text`` that names who acts, read like 鼓励X做Y.

    通知要求各地加强…… -> 各地; 会议号召，全国各族人民…… -> 全国各族人民.
    """
    for end in reversed([m.end() for m in _TOLD.finditer(text)]):  # the nearest that names someone
        told = _encouraged(text[end:])
        if told and _names_actor(told):
            return told
    return None


def commitment_fields(ctx: ClauseContext, *, headings: tuple[str, ...] = (), paragraph: str = "",
                      document_actor: str | None = None, speaker: str | None = None,
                      floor: str | None = None, year: int | None = None, addressee: str | None = None) -> Fields:
    """Actor, modality, action, target and deadline of one commitment clause.

    What the clause does not say it inherits (corpus/README.md §7.2, §7.5): the modality and the
    actor from its sentence before it, then from the lead-in of its list; the deadline from the
    sentence, the lead-in, the headings above (innermost first), a 今年 in the paragraph, and, in
    the tasks part of a work report, the report's year. Where the clause, its sentence, a lead unit and
    the item's earlier sentences name no one, a guide's provisions are asked of ``addressee`` (those
    it is written for, :func:`~nlp_service.extract.commitments.context.guide_addressee`). The actor
    then falls back on the speaker given the floor in its sentence, then on ``floor`` (the body of the
    last speaker a news item gave the floor before the clause, :func:`speaker_floors`), the speaker a
    news item quotes (for 我们), or the document's author.

    >>> f = commitment_fields(ClauseContext("力争引进支持全球顶尖人才10人，", "……【力争引进支持全球顶尖人才10人，】"),
    ...                       paragraph="新的一年，宁波将……。", document_actor="宁波", year=2024)
    >>> (f.actor, f.modality, f.strength, f.action, f.target, f.deadline)
    ('宁波', '力争', 'strive', '引进支持', '全球顶尖人才', '2024')
    >>> f = commitment_fields(ClauseContext("我们将持续提升科技管理能力，", "“【我们将持续提升科技管理能力，】……”"),
    ...                       document_actor="宁波", speaker="市科技局")
    >>> (f.actor, f.modality, f.action, f.target)
    ('市科技局', '将', '提升', '科技管理能力')
    >>> f = commitment_fields(ClauseContext("城镇新增就业1100万人以上，", "【城镇新增就业1100万人以上，】",
    ...                                     in_list=True, lead_in="今年发展的主要预期目标是：", kind="work-report",
    ...                                     section="plan"),
    ...                       document_actor="国务院", year=2019)
    >>> (f.actor, f.modality, f.deadline)
    ('国务院', '目标', '2019')

    """
    body = _ITEM_NUMBER.sub("", ctx.clause.strip())
    intro = list_intro_end(body)
    if intro is not None and intro < len(body):  # 重点包括：加快建设…… -> 加快建设……
        body = body[intro:]
    body = _CONNECTIVE.sub("", body)
    modality, actor, rest = _modal_and_actor(body)
    if modality is None:
        actor = _own_subject(body)
    agent = _AGENT.search(body)  # 数字版教材由市教育和体育局准备好: the clause names who does it
    if agent:
        actor = agent.group(1).partition("会同")[0]  # 由市农业农村局会同相关部门负责……: the lead body
    # the modal word comes from the clause's own sentence or its lead-in; the actor may also come
    # from an earlier sentence that the clause continues
    before = ctx.before_clause
    lead_in = ctx.lead_in or ""
    for source in (before, "" if _ANNOUNCES.search(lead_in) else lead_in):  # 现将……通知如下： lends no modal word
        modality = modality or _modal_and_actor(source)[0]
    carried = None  # _modal_and_actor of ctx.carried, read once when needed
    if modality is None and ctx.kind == "news":  # a news item's pledge (福建省将……。实施……；支持……, 一要……)
        # governs the sentences that go on listing it; a rule's or a purpose's modal (不得, 可, 为确保) does not
        carried = _modal_and_actor(ctx.carried)
        modality = carried[0] if carried[0] in _PLEDGE_MODALS else None
    if actor is None:
        actor = (carried or _modal_and_actor(ctx.carried))[1] or _modal_and_actor(ctx.lead_in or "")[1]
    if actor is None and _MODAL_FIRST.match(body):  # 各级干部特别是领导干部，【都要带头……】: the subject stands alone
        subject = _COMMA.split(ctx.carried.rstrip("，, "))[-1].strip("“”‘’ ")
        actor = subject if 2 <= len(subject) <= 20 and _names_actor(subject) else None
    if modality == "鼓励" and actor is None:
        actor = _encouraged(rest)  # 鼓励X做Y: X acts
    if actor is None:  # 宁夏要求各地各学校……，严格执行……: who is told acts (guide §7.8), in the clause or its sentence
        actor = _told(body) or _told(before)
    if actor is None:
        lead = _lead_unit(ctx.sentence) or _lead_unit_after(ctx.sentence, paragraph)
        actor = lead.group(1) if lead and _ACTORISH.search(lead.group(1)) else None  # a unit, not a place: （青岛）
    if actor is None and ctx.kind in ("notice", "news"):  # not in a report: its author speaks for what follows
        actor = _item_subject(ctx.sentence, paragraph)  # a body's tasks (东部地区要……。支持……: 国务院)
    if actor is None:  # a guide's provisions are asked of those it is written for (餐饮服务单位防控指引)
        actor = addressee
    if actor is None or actor in _YOU:
        said = _nearest_speaker(before) or floor  # ……司长徐亚华表示，一方面，将……
        resolved = said or (speaker if actor == "我们" and speaker else document_actor)
        actor = resolved or actor
    elif actor == "我国":
        actor = "中国"
    condition = _CONDITION.match(rest)  # 举报线索经查证属实的，给予……: the action follows the condition
    action, target = action_and_target(rest[condition.end():] if condition else rest.lstrip("是：:"))
    deadline = None
    opening = OPENING_DEADLINE.match(paragraph)  # 第一步，到2020年……。 speaks for the whole paragraph
    for k, source in enumerate((ctx.clause, ctx.carried, ctx.lead_in or "", opening.group(0) if opening else "",
                                *reversed(headings))):
        if k < 3 and "《" in source:  # 为落实《……纲要（2006—2020年）》: a cited title's span is not the task's
            source = CITED_TITLE.sub("", source)
        deadline = deadline_in(source, year)
        if deadline:
            break
    if deadline is None and year and (_THIS_YEAR_SAID.search(paragraph) or (
            ctx.kind == "work-report" and ctx.section == "plan")):
        deadline = str(year)
    if deadline is None and ctx.kind in ("plan", "action-plan") and ctx.title:
        # the tasks of a plan are due within its span (……行动计划（2021—2023年）)
        span = _TITLE_SPAN.search(ctx.title)
        deadline = f"{span.group(1)}-{span.group(2)}" if span else deadline_in(ctx.title)
    return Fields(actor, modality, STRENGTH.get(modality or ""), action, target, deadline)
