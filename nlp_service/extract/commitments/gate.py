"""Which clauses are commitments: what can never be one, the forward evidence, and the rules baseline.

Three questions, asked of every clause the walker (:func:`.context.clause_contexts`) yields:

1. :func:`never` — is it structurally no commitment? A fragment (no predicate, fewer than four
   Han characters once a deadline and a list number are taken off), a bare lead-in
   (``今年发展的主要预期目标是：``), a purpose or basis clause (``为贯彻落实……精神，``,
   ``根据《……》，``) or a procedural formula (``特制定本方案``, ``现印发给你们``, ``请认真贯彻执行``).
2. :func:`forward_evidence` — does the text look forward there? A marker in the clause or earlier
   in its sentence, a list opened by a lead-in, a task heading, a plan or tasks section.
3. The classifier (``nlp_service.models.clauses``) labels the rest; :func:`rule_label` is the
   rules baseline among the classifiers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp_service.extract.commitments.context import (
    ADVISES,
    COUNT,
    DEPLOYS,
    FUTURE,
    GRANTING,
    HAS_VERB,
    ITEM_NUMBER,
    MODAL_XU,
    MODAL_YING,
    NOT_CLAUSE,
    OTHER_MARKERS,
    PROVISION,
    REQUIRES,
    SPEECH_VERBS,
    STANDING,
    TASK_VERB,
    ClauseContext,
    list_intro_end,
    says_future,
    says_past,
    task_heading,
    unquoted,
)
from nlp_service.extract.region_year import PROVINCES, names_a_place
from nlp_service.segment.words import pos_tags
from nlp_service.text.markers import han_count, strip_list_marker

_MODAL_WORD = re.compile(r"必须|务必|确保|应当|应|须|要|将|拟|力争|争取|鼓励|支持|给予|可")
_STRONG_FUTURE = re.compile(
    r"(?<![即必终已])将(?![近来军])|力争|争取|计划(?:在|于|到|用)|拟|明年|今后|下一步|新的一年|未来[一二三四五]?年"
)
# what a body requires or states as policy carries to the clauses after it (通知要求，各地……，……; 要求改善……
# [up to 40 characters]，维护……): in news, 26 of 31 labelled clauses after 要求 and a short lead are
# commitments, and 9 of the 13 with a lead of 13 to 40 characters that had no other evidence
_REQUIREMENT = re.compile(REQUIRES + r"[^，。；]{0,40}[，：:]|(?:明确|提出|强调|规定)[，：:]")
# a clause that states a requirement itself (……的通知，要求改善医务人员工作和休息条件，): 4 labelled news
# clauses without other evidence, all commitments
_REQUIRES = re.compile(REQUIRES + r"(?=[，,：:]?[\u4e00-\u9fff]{2})")  # 通知要求，有力有序释放……: the comma too
# 应 and 须 as modals of obligation (企业应实行封闭管理, 须定时对……消毒), read as the fields read them; not 应当
# (a rule the text lays down, explicit_rule) nor 应该
_OBLIGATION = re.compile(MODAL_YING + r"(?![当该])|" + MODAL_XU)
# what a measure grants (可申请一次性社保补贴, 给予……补贴, 免征……): of the labelled news clauses with one and no
# past or future marker, 17 of 32 are commitments (the classifier decides)
_GRANTS = re.compile(r"可(?:以)?(?:申请|享受|获得|领取|按)|" + GRANTING)
# advice an authority gives (市税务局……建议公众尽量选择……): what it asks of those it addresses (guide §7.8)
_ADVISES = re.compile(ADVISES)


def _binds(text: str) -> bool:
    """Whether ``text`` holds a modal of obligation or a rule word (企业应实行封闭管理，【严格执行……登记制度；】).

    What the sentence before a clause binds its subject to governs the clauses that go on listing
    it, as its modal word does in the fields (guide §7.5). Of the labelled clauses whose sentence
    has one before them and which have none, no past marker: 52 commitments, 16 other, 3 achievements.
    """
    return bool(_OBLIGATION.search(text) or _RULE_WORD.search(text))


# a sentence that opens with 必须 states what must be done (必须更加自觉地把……作为……，尊重……，保障……):
# of the labelled clauses in such a sentence 17 of 21 are commitments (必须看到/指出 is a comment)
_MUST_OPENING = re.compile(r"^(?:[^，。；！？]{0,6}?)必须(?!看到|指出|承认|说明|注意到|认识到|明确)")
_SUBJECT_MUST = re.compile(r"(?:我们|我国[\u4e00-\u9fff]{0,6}|全[党国][\u4e00-\u9fff]{0,6}|各级[\u4e00-\u9fff]{1,8}|"
                           r"[\u4e00-\u9fff]{1,6}(?:人民|干部|同志|部门|政府|组织|企业|单位|机构|机关))(?:都|一定|必须)?(?:要|必须|应当|应该)"
                           r"(?![求素点闻害])")
MIN_HAN = 4  # a commitment has at least this many Han characters beside its deadline and list number
_DEADLINE_WORDS = re.compile(  # the lookahead: the first characters (the optional words leave no prefix)
    r"(?=[力争到至在12今明新“十])(?:(?:力争|争取)?(?:到|至|在)?(?:19|20)\d\d年(?:底|末|前|以前)?|今年|明年|新的一年"
    r"|今后[一二三四五]?年?|“?十[一二三四五六七八九]五”?(?:期间|时期|末)?)"
)
_PURPOSE = re.compile(r"^(?:为了?|为进一步|为切实|为深入|为全面|为加快|为更好|为有效)[^，,；;。]{2,80}[，,]?$")
_BASIS = re.compile(r"^(?:根据|依据|按照|依照|遵照|结合)[^，,；;。]{2,80}[，,]$")
_PROCEDURE = re.compile(  # the lookahead: the first characters of the alternatives (特? leaves no prefix)
    r"(?=[特制现印请遵认贯自负审经以])(?:特?制定本|现(?:将|予)?印发|现将[^，。]{0,30}(?:印发|通知|公布)|印发给你们|请(?:各地|各单位|各部门)?[^，。]{0,12}(?:贯彻|执行|落实|遵照)"
    r"|遵照执行|(?:^|认真|请)贯彻执行。?$|自[^，。]{0,16}起(?:施行|执行|实施)|负责解释|审议通过|特此通知|现予公布|经[^，。]{1,20}(?:同意|批准)[，,]?$"
    r"|以下简称|^(?:现就|现将)[^，。]{0,30}(?:通知|如下))"
)
# a non-final clause that only frames the next one (在常态化疫情防控下，围绕……的迫切需求，对……的企业，):
# no commitment of its own (the convention of guide commitments-v2; 以……为抓手 and 聚焦…… carry content)
_FRAME = re.compile(
    r"^(?:在|围绕|针对|对于?|通过|除|按照|依照|依托|结合|利用|面向|随着|基于|经|从|当|凡)[^，,；;。]{1,60}?"
    r"(?:下|中|外|内|前|后|时|期间|方面|领域|情况下|前提下|基础上|过程中|的|等|需求|问题|场景|事项|要求|精神|部署|规定|原则|"
    r"标准|方式|手段|形式|渠道|区域|企业|单位|机构|项目|人员|城市)[，,]$"
)
# a clause that only says who speaks (……局长张建龙强调，; 他表示：): the words follow in the next clause
_SPEECH_LEAD = re.compile(rf"(?:{SPEECH_VERBS})[:：]?$")
# what a year is (今年是改革开放37周年, 明年是建党一百周年): an anniversary, no task
_ANNIVERSARY = re.compile(r"是[^，。；]{0,30}?(?:\d+|[一二三四五六七八九十百]+)周年")
# what a document says about its own term (本办法有效期届满，将根据实施情况依法予以评估修订。): procedure
_OWN_TERM = re.compile(r"^本(?:办法|规定|细则|措施|政策|通知|意见|方案|计划|规划|条例|决定)[^。]{0,30}"
                       r"(?:有效期|施行|执行|废止|修订|失效|解释)")
_PURPOSE_SENTENCE = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]{1,4}条\s*)?(?:为了?|为进一步|为切实|为深入|为全面|为加快|为更好|为有效)"
)
_PROCEDURE_END = re.compile(
    r"(?:特?制定本[^，。]{0,12}|现提出[^，。]{0,12}|现就[^，。]{0,30}(?:通知|意见)如下|制定如下[^，。]{0,12})[：:。】]*$"
)
# a heading that only names its part: a short word before 措施/目标/思路/… (三、保障措施, （一）总体目标, 二、基本原则)
_SECTION_LABEL = re.compile(r"^[（(]?[一二三四五六七八九十\d]{0,3}[）)、.．]?\s*[\u4e00-\u9fff]{2,4}"
                            r"(?:措施|目标|思路|内容|原则|要求|任务)$")
# an item's own number: a numeral and its mark ((二十), 二、, 13.), not the optional one of ITEM_NUMBER
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、])\s*")
# a principle's label: one or two four-character phrases as the first sentence of a paragraph
_PRINCIPLE_LABEL = re.compile(r"^\s*[\u4e00-\u9fff]{4}(?:[，,、][\u4e00-\u9fff]{4})?[。．.]\s*$")
_LEAD_ONLY = re.compile(r"^(?:[^，。；]{0,30}?)(?:目标|任务|要求|措施|举措|重点|安排)(?:是|为|如下|包括|主要有)?[：:]$")


def body_han(clause: str) -> int:
    """Han characters of a clause once list numbers and deadline words are taken off.

    >>> body_han("到2025年，全区"), body_han("（三）加快建设现代化产业体系")
    (2, 11)

    """
    return han_count(_DEADLINE_WORDS.sub("", strip_list_marker(clause)))


_PREDICATE_FLAGS = ("v", "a", "i", "l")  # verbs (vn too), adjectives (效应显著), idioms and set phrases (全面实现)
_PREDICATE_WORDS = re.compile(
    r"发展|提高|提升|增强|实现|达到|超过|突破|增长|下降|降低|减少|扩大|优化|完善|健全|形成|建成|推进|推动|加快|加强|"
    r"显著|明显|领先|取得|成为|进入|保持|稳定|覆盖|落实|开展|建立|支持|给予|免|减|延长|缓缴|补贴|奖励|资助"
)


def has_predicate(clause: str) -> bool:
    """Whether a clause holds a predicate: a verb, adjective or set phrase by jieba's tags, or a policy verb.

    jieba's dictionary holds compounds (大力发展/nz, 明显提高/nr), so the tags alone miss some;
    the policy verbs catch them.

    >>> has_predicate("大力发展装配式建筑"), has_predicate("环境保护效应显著"), has_predicate("人民公社的其他福利事业")
    (True, True, False)

    """
    if _PREDICATE_WORDS.search(clause) or HAS_VERB.search(clause):
        return True
    return any(flag.startswith(_PREDICATE_FLAGS) for _, flag in pos_tags(clause))


# the addressees of a notice (各市、县（区）人民政府，……，各高等院校：): who is written to, no pledge
_ADDRESSEES = re.compile(r"^各[^。；;！？!?]{1,300}[：:]$")
# a website's copyright notice under a news item (未经授权不得转载、摘编……。违者本网将追究……), no pledge
_COPYRIGHT = re.compile(r"不得(?:转载|摘编)|转载请注明|版权所有(?![者人权])|本网将追究|本网保留")
# the dot leader of a table of contents (six dots, three ellipses or six middle dots); prose writes …… (two)
_CONTENTS_LEADER = re.compile(r"(?=[.…·])(?:\.{6,}|…{3,}|·{6,})")
# a count of what a document holds (加大金融服务支持力度的措施6条, ……5个部分28条): no clause of its own
_COUNTS_PARTS = re.compile(rf"(?:措施|举措|政策|任务){COUNT}(?:条|项)$|{COUNT}个(?:部分|方面){COUNT}(?:条|项)$")


@lru_cache(maxsize=8192)  # asked by the extractor's gate and again by the rules verdict the classifier reads
def never(ctx: ClauseContext) -> str | None:
    """Why a clause can never be a commitment: fragment, contents, licence, addressees, lead-in, purpose, frame ….

    >>> never(ClauseContext("四、保障措施", "【四、保障措施】", heading_rule="numbered"))
    'lead-in'
    >>> [never(ClauseContext(c, c)) for c in ("到2025年，全区", "今年发展的主要预期目标是：",
    ...  "为贯彻落实党中央关于科技创新的战略部署，", "在常态化疫情防控下，", "特制定本实施方案。",
    ...  "加快发展先进制造业集群。")]
    ['fragment', 'lead-in', 'purpose', 'frame', 'procedure', None]

    """
    body = ctx.clause.strip().rstrip("，,；;。")
    if body_han(body) < MIN_HAN or NOT_CLAUSE.search(body):
        return "fragment"
    if _ANNIVERSARY.search(body):
        return "frame"  # 今年是改革开放37周年: what the year is
    if _SPEECH_LEAD.search(body):
        return "frame"  # 国家林业和草原局局长张建龙强调，: who speaks; what is said follows
    if _CONTENTS_LEADER.search(ctx.sentence):
        return "contents"  # （一）加强组织协调 ........ 12: an entry of the table of contents, not the heading itself
    if _COUNTS_PARTS.search(body):
        return "contents"  # a news item counts what a document holds
    if _COPYRIGHT.search(ctx.sentence):
        return "licence"
    if "各" in ctx.sentence and _is_addressee_line(ctx.sentence):
        return "addressees"
    if _LEAD_ONLY.match(ctx.clause.strip()) or list_intro_end(ctx.clause.strip()) == len(ctx.clause.strip()):
        return "lead-in"
    if (ctx.heading_rule and _SECTION_LABEL.match(body)) or _SECTION_LABEL.match(_item_sentence(ctx) or ""):
        return "lead-in"  # 三、发展目标, 四、保障措施, （二）基本原则。: a heading that names the part, not a task
    if _PRINCIPLE_LABEL.match(ctx.plain_sentence) and not ctx.before.strip("\n "):
        return "lead-in"  # 统筹规划，协同推进。 heading a paragraph: a principle's label, explained after it
    if (_PURPOSE.match(ctx.clause.strip()) or _BASIS.match(ctx.clause.strip())) and not says_future(body):
        return "purpose"
    if _PURPOSE_SENTENCE.match(ctx.sentence.replace("【", "")) and _PROCEDURE_END.search(ctx.sentence):
        return "purpose"  # 为贯彻落实……，增强……，推动……，特制定本行动计划。: every piece states the purpose
    if _FRAME.match(ctx.clause.strip()) and not _MODAL_WORD.search(body):
        return "frame"
    if _PROCEDURE.search(ctx.clause) or _OWN_TERM.match(ctx.sentence.replace("【", "")):
        return "procedure"
    return None


def _is_addressee_line(sentence: str) -> bool:
    """Whether a clause's sentence (marked with 【】) is a notice's line of addressees.

    各…，…, ending in a colon, with no verb or modal of a task; the title may stand before it on the
    line (……的通知 各市、县（区）人民政府，……：).

    >>> _is_addressee_line("……工作的通知 各市、县（区）人民政府，省直各单位，【各高等院校：】")
    True
    >>> _is_addressee_line("【各地要做好以下工作：】"), _is_addressee_line("【加快复工复产】 各区、各部门：")
    (False, False)
    """
    line = sentence.rsplit(maxsplit=1)[-1]
    if "】" not in line:
        return False  # the clause stands before the line (in the title)
    line = line.replace("【", "").replace("】", "")
    return bool(_ADDRESSEES.match(line)) and not (HAS_VERB.search(line) or _MODAL_WORD.search(line))


def _looks_forward(text: str, kind: str | None) -> bool:
    """A future marker in ``text``; in news 今年 is none (今年首批……获批立项 reports what happened)."""
    if kind != "news":
        return says_future(text)
    return any(not m.group(0).lstrip("，。 ").startswith("今年") for m in unquoted(FUTURE, text))


def forward_evidence(ctx: ClauseContext) -> str | None:
    """Why a clause may be a commitment: marker, sentence, list, heading, plan, standing or report (news).

    A marker earlier in the sentence carries over to the clauses after it (宁波将超常发力抓创新，
    【部署……项目200个以上】), never backwards. A heading line counts only when it names a task
    and stands in a plan part or is numbered (a newspaper's subhead is no pledge).

    >>> review = dict(heading="一、过去五年的工作", section="review")
    >>> call = "必须更加自觉地把以人为本作为核心立场，"
    >>> forward_evidence(ClauseContext("尊重人民首创精神，", call + "【尊重人民首创精神，】", carried=call, **review))
    'sentence'
    >>> forward_evidence(ClauseContext("实施大学生就业促进计划，", "【实施大学生就业促进计划，】", **review)) is None
    True
    """
    if ctx.heading_rule is not None:
        return "heading" if task_heading(ctx.clause) and (ctx.section == "plan" or ctx.heading_rule != "markdown") \
            else None
    if ctx.section == "review":  # a review tells past aims with 要/努力/确保 (向结构调整要助力): a clear future only,
        # or a sentence that opens with who must act (我国各族人民要……，……): a call, not a report
        return "marker" if _STRONG_FUTURE.search(ctx.clause) else "sentence" if _STRONG_FUTURE.search(ctx.carried) \
            or _opens_with_a_call(ctx) else None
    # a rule laid down (严禁……) looks forward too, and so do a requirement stated, an obligation (企业应实行
    # 封闭管理), what a measure grants (可申请一次性社保补贴) and an authority's advice (建议公众……)
    if _looks_forward(ctx.clause, ctx.kind) or explicit_rule(ctx) or (
            (_REQUIRES.search(ctx.clause) or _OBLIGATION.search(ctx.clause) or _GRANTS.search(ctx.clause)
             or _ADVISES.search(ctx.clause))
            and not says_past(ctx.clause)):
        return "marker"
    if _looks_forward(ctx.carried, ctx.kind) or ((_REQUIREMENT.search(ctx.carried) or DEPLOYS.search(ctx.carried)
                                                  or _ADVISES.search(ctx.carried) or _binds(ctx.carried))
                                                 and not says_past(ctx.clause)):
        return "sentence"
    if ctx.in_list:
        return "list"
    if ctx.section == "plan":
        return "plan"
    if STANDING.search(ctx.clause):
        return "standing"
    # a news item reports the measures of a policy without a marker (对审核通过的复产企业亮“蓝牌”，督促企业
    # 立即整改): a clause with a predicate in a sentence with no past marker goes to the classifier, which tells
    # the measure announced from the measure taken (on the dev excerpts news recall 0.685 → 0.727, precision
    # 0.842 → 0.833); a sentence that reports results (……，反腐败斗争压倒性态势已经形成) passes none of its clauses
    if ctx.kind == "news" and not says_past(ctx.plain_sentence) and has_predicate(ctx.clause):
        return "report"
    return None


def rule_label(ctx: ClauseContext) -> tuple[str, float]:
    """The rules baseline: (label, confidence).

    Structure first (:func:`never`), then explicit markers in the clause, then its sentence and
    section: a review part makes a clause with a verb an achievement, a list item or a tasks part a
    commitment; news needs a marker.

    >>> rule_label(ClauseContext("力争技术交易额突破900亿元。", "【力争技术交易额突破900亿元。】"))
    ('commitment', 0.9)
    >>> rule_label(ClauseContext("累计为上百家初创企业发放信用贷款6.5亿元，",
    ...                          "【累计为上百家初创企业发放信用贷款6.5亿元，】"))
    ('achievement', 0.85)
    >>> rule_label(ClauseContext("实施大学生就业促进计划，", "【实施大学生就业促进计划，】",
    ...                          heading="一、2013年工作回顾", section="review"))
    ('achievement', 0.7)
    >>> rule_label(ClauseContext("城镇新增就业1100万人以上，", "【城镇新增就业1100万人以上，】", in_list=True,
    ...                          lead_in="今年发展的主要预期目标是：", section="plan"))
    ('commitment', 0.8)

    """
    body = ctx.clause.strip()
    if never(ctx) is not None:
        return "other", 0.8
    if OTHER_MARKERS.search(body):
        return ("achievement", 0.6) if re.search(r"决定批准|听取", body) else ("other", 0.7)
    future = says_future(body)
    past = says_past(body)
    if future and not past:
        return "commitment", 0.9
    if past and not future:
        return "achievement", 0.85
    if future and past:
        return ("achievement", 0.55) if ctx.section == "review" else ("commitment", 0.55)
    sentence_future = says_future(ctx.carried)
    if ctx.section == "review" and not sentence_future:
        return ("achievement", 0.7) if HAS_VERB.search(body) else ("other", 0.5)
    if ctx.in_list:
        return "commitment", 0.8
    if ctx.heading_rule is not None:
        return ("commitment", 0.75) if task_heading(body) else ("other", 0.7)
    if sentence_future and not says_past(ctx.carried):
        return "commitment", 0.7
    if ctx.section == "plan":
        return ("commitment", 0.7) if HAS_VERB.search(body) or TASK_VERB.search(body) else ("commitment", 0.55)
    if ctx.kind == "news":
        return ("achievement", 0.6) if HAS_VERB.search(body) else ("other", 0.5)
    if TASK_VERB.search(body):
        return "commitment", 0.55
    return "other", 0.5


def explicit_provision(ctx: ClauseContext) -> bool:
    """A subsidy or relief provision (给予……奖励, 每个机构资助200万元, 可予以展期) in a plan part, no past marker.

    Like :func:`explicit_pledge`, this overrules the classifier: a provision is a commitment to pay
    (guide §7.1). Of the labelled clauses it picks, 61 of 97 are commitments (the others are mostly
    conditions joined to a provision, which the extractor reports with it); on the validation
    excerpts it raised commitment F1 from 0.909 to 0.916 (recall of measures 0.83 → 0.89, same
    precision), which is why it stays.
    """
    return ctx.section == "plan" and bool(PROVISION.search(ctx.clause)) and not says_past(ctx.clause)


_MANNER = re.compile(  # 以世界一流标准打造……: a manner phrase before the task verb
    r"^(?:以|按|用)[^，,；;。]{1,12}?(?=高|大|全|加快|加强|推进|推动|建设|打造|构建|培育|发展|实施|完善|提升|提高|深化)"
)


def explicit_task(ctx: ClauseContext) -> bool:
    """A list item under a lead-in that starts with a task verb, or a figure under a lead-in of targets; no past.

    (重点包括：加快建设……, 以……标准打造……; 预期目标是：……城镇新增就业1100万人以上)

    Overrules the classifier like :func:`explicit_pledge`: 58 of the 64 labelled list items of this
    form (guide commitments-v2) are commitments.
    """
    if not ctx.in_list or says_past(ctx.clause):
        return False
    body = ctx.clause.strip()
    intro = list_intro_end(body)
    body = body[intro:] if intro is not None else body
    return bool(TASK_VERB.search(_MANNER.sub("", body))) or bool(
        _TARGET_LEAD_IN.search(ctx.lead_in or "") and re.search(r"\d", body))


def explicit_item(ctx: ClauseContext) -> bool:
    """A numbered item that is a short sentence of its own and names a task; no past.

    (（二十）融入区域发展战略。, 13.加强组织领导。, 二、做好人力资源服务许可备案等工作。) The heading of an item
    that its paragraph goes on to explain — a task heading (guide §7.2) the layout did not set on a
    line of its own. Overrules the classifier like :func:`explicit_task`: of the labelled clauses of
    this form 51 are commitments and 1 other (two more that name a part, 三、建设内容 and （二）发展目标。,
    are left out by the part-label test). Counted as 一是……, 二是…… (一是加大贷款投放力度。), the form
    of news items, it holds 3 more commitments and 2 achievements (四是拓展“服务窗”。 in a report of work
    done); on the dev excerpts it found 6 more commitments and 1 false one.

    >>> explicit_item(ClauseContext("（二十）融入区域发展战略。", "【（二十）融入区域发展战略。】"))
    True
    >>> explicit_item(ClauseContext("（二）发展目标。", "【（二）发展目标。】"))
    False
    """
    rest = _item_sentence(ctx)
    return (rest is not None and len(rest) <= 25 and task_heading(rest) and not _SECTION_LABEL.match(rest)
            and not says_past(ctx.clause))


def _item_sentence(ctx: ClauseContext) -> str | None:
    """The words of a numbered item that is a sentence of its own (（二十）融入区域发展战略。 → 融入区域发展战略)."""
    body = ctx.clause.strip()
    if ctx.plain_sentence.strip() != body or not _NUMBERED.match(body):
        return None
    return _NUMBERED.sub("", body).rstrip("。；;，,")


def explicit_goal(ctx: ClauseContext) -> bool:
    """A clause of a part whose heading names its goals that opens with a task or target verb; no past.

    (四、智慧林业建设目标: 建成功能强大、服务完善的中国林业云，; （三）主要目标: 建立50个……智能工厂，)
    Overrules the classifier like :func:`explicit_task` (guide §7.2: targets are commitments): of
    the labelled clauses of this form 23 of 24 are commitments, where the classifier, which saw few
    goal parts, called several of dev-182's `other`. A target opened by 完成 (主要目标任务: 完成55万平方米……
    房屋改造) is one too: no labelled clause has that form, and the classifier put the one a work report
    gave just under its threshold.
    """
    if ctx.section == "review" or "目标" not in (ctx.heading or "") or says_past(ctx.clause):
        return False
    body = ctx.clause.strip()
    return bool(TASK_VERB.search(body) or _TARGET_VERB.search(body))


_TARGET_VERB = re.compile(ITEM_NUMBER + r"(?:基本|初步|全面|总体)?(?:实现|达到|完成)")


# a lead-in that opens a list of targets (主要预期目标是：, 主要指标：): each item with a figure is a
# target, also when it reads like a statistic (guide §7.2)
_TARGET_LEAD_IN = re.compile(r"目标(?:是|为|如下)?[：:]|指标(?:是|为|如下)?[：:]")


_PLEDGE = re.compile(r"(?=[力争确，,\s到])(?:力争|争取|确保|力求|(?:^|[，,\s])到(?:19|20)\d\d年)")  # (?=: 1st chars
# a named body or place, then its modal: 宁波将……, 我们将……, 市科技局重点将……, 各地要……
_ACTOR_PLEDGE = re.compile(
    r"^[“‘]?(?:[^，,。；]{0,8}[，,])?[“‘]?([\u4e00-\u9fff]{2,12}?)(?:重点|还|也|则|正|都|均)?(?:将|要|计划|拟|力争|争取)(?![近来求])"
)
_BODY_END = re.compile(r"^(?:我们|我市|我省|我区|我国|各地|各级.*)$"
                       r"|(?:市|省|区|县|政府|部|委|局|厅|中心|银行|分行|支行)$")


_PLEDGE_CHARS = frozenset("将要划拟争")  # a character of every modal _ACTOR_PLEDGE ends in


def _actor_pledge(clause: str) -> bool:
    if _PLEDGE_CHARS.isdisjoint(clause):
        return False
    m = _ACTOR_PLEDGE.search(clause)
    if not m:
        return False
    name = m.group(1)
    return bool(_BODY_END.search(name)) or names_a_place(name)


# an encouragement a text states (鼓励企业安排一名家长带薪居家看护; 同时，鼓励……): guide §7.8, 鼓励X做Y is a
# commitment of the one who encourages
_ENCOURAGES = re.compile(r"^(?:[^，,。；;]{0,6}[，,])?(?:同时|并|还|也|积极|大力)?鼓励")


def explicit_encouragement(ctx: ClauseContext) -> bool:
    """A clause that opens with 鼓励 (after a short lead and a connective), no past marker.

    Overrules the classifier like :func:`explicit_pledge`: of the labelled clauses of this form that
    the classifier decides, 30 of 33 are commitments (the others a frame, 鼓励企业在申请纳入名单时，,
    and a cheer), while the classifier, which learned that news items report, turned down a news
    item's 鼓励企业安排一名家长带薪居家看护.
    """
    return bool(_ENCOURAGES.search(ctx.clause)) and not says_past(ctx.clause)


def explicit_call(ctx: ClauseContext) -> bool:
    """A clause of a sentence that opens with who must act (全党要……，……, 我们必须……) or with 必须; no past marker.

    Overrules the classifier like :func:`explicit_pledge`: of the labelled clauses in such a
    sentence, 66 of 73 are commitments (guide commitments-v2) — the classifier, which learned that
    a review part reports, turned down most of the calls of congress reports.
    """
    return _opens_with_a_call(ctx) and not says_past(ctx.clause)


# a lead by which a document or a meeting states what is to be done (通知要求，……; 《意见》明确，……;
# 会议强调，……; 通知还要求……; 市金融监管局要求……; a province by its short name, 宁夏要求……): of the
# labelled news clauses after such a lead in their sentence, not a ground (根据……要求), with no past
# marker, 57 are commitments, 1 an achievement and 8 other (conditions, a subject); the short names
# of provinces add 4, all commitments
_DOCUMENT_STATES = re.compile(r"(?:通知|意见|办法|方案|公告|通告|文件|会议|》|措施)(?:还|并|同时|进一步|也|特别|再次)?"
                              r"(?:明确)?(?:要求|明确|强调|提出|规定)(?![的和与及])"
                              r"|(?:局|部|委|厅|办|政府|省|市|区|县|" + "|".join(PROVINCES) + ")"
                              r"(?:还|并|同时|也|进一步|特别|再次|已经|已)?(?:明确)?" + REQUIRES)
_BASIS_LEAD = re.compile(r"(?:根据|按照|依照|依据|遵照)[^，。；]{0,30}$")


def document_requires(ctx: ClauseContext) -> bool:
    """A clause after a document's, a meeting's or a body's lead in its sentence (通知要求，……), no past marker.

    What a document requires is no work done: the finder reads such a clause as a commitment where
    the classifier, which learned that news items report, took it for an achievement (the classifier
    still turns down its conditions and fragments as ``other``).
    """
    lead = ctx.before_clause
    m = _DOCUMENT_STATES.search(lead)  # not the ground of an act (根据市卫健委要求，迅速成立……)
    return m is not None and not _BASIS_LEAD.search(lead, 0, m.start() + 1) and not says_past(ctx.clause)


def _opens_with_a_call(ctx: ClauseContext) -> bool:
    """Whether the clause's sentence opens with who must act (我国各族人民要……) or with 必须."""
    opening = ctx.carried or ctx.clause
    return bool(_SUBJECT_MUST.match(opening) or _MUST_OPENING.match(opening))


# a clause of a work report that opens with the year it plans and sets a figure (今年粮食产量要稳定在
# 5.5亿吨以上, 今年新增退耕还林还草66.7万公顷, 其中，今年拟安排…); not the year's standing (今年是…)
# or what it has done so far (今年以来, 今年一季度…)
_PLAN_YEAR_FIGURE = re.compile(r"^(?:其中[，,])?今年(?!以来|是|上半年|前|一季度|头|的)[^。；]*?\d")


# a figure a plan says the year will reach: 劳动生产率将比上年提高17.2%, 铁路货物周转量将比上年增长10%
_WILL_REACH = re.compile(r"将(?:要)?(?:比[^，。；]{0,8}?)?(?:达到|达|增长|增加|提高|降低|减少|下降|上升|超过|突破)"
                         r"[^，。；]{0,12}?[\d一二三四五六七八九十百千万亿两]")


# a figure a plan sets by its verb: 拟定为一百四十五亿七千七百万元, 粮食的指标为三千九百二十亿斤,
# 计划达到十六亿九千二百四十五万亩, 播种面积安排为…, 大豆要求增长百分之四点四
_PLAN_VERB = re.compile(r"(?:拟定为|指标为|指标是|安排为|(?<![年划原])计划(?:达到|增加|增长|生产|新建|为)"
                        r"|要求(?:达到|增长|增加))[^，。；的]{0,8}?(?:\d|百分之|[一二三四五六七八九十两][一二三四五六七八九十两百千万亿零点]*"
                        r"(?:亿|万|千|百|[点]|[元斤吨担亩台部个公里度头件匹]))")


# a rule a text lays down: 严禁商业广告进校园, 均不得向学生收取任何费用, 应当开具对应红字发票; not 不得不 (had
# to) or an idiom (来不得半点马虎, 顾不得), nor 应当指出/看到/承认 (a speaker's aside)
_RULE_WORD = re.compile(r"(?=[严不禁应])(?:严禁|(?<![来顾舍怪巴免少了由记说见])不得(?!不|安宁|人心|已|而知)|(?<!不)禁止"
                        r"|应当(?!指出|看到|承认|说|肯定))")
# a law's title (《慈善法》; a 办法 is a regulation) and an article of it (第二十二条)
_LAW_TITLE = r"《[^》]{1,20}(?<!办)法》"
_ARTICLE = r"第[一二三四五六七八九十百零〇\d]{1,5}条"
# a law quoted as the ground of an answer (法律依据：《慈善法》第二十二条 ……应当……): the law's rule, no new one
_LAW_CITED = re.compile(rf"法律依据|法律规定|{_LAW_TITLE}|{_ARTICLE}"
                        r"|根据[^，。；]{0,30}?(?:法律|防治法|应对法|处罚法|慈善法|合同法|劳动法)")


def explicit_rule(ctx: ClauseContext) -> bool:
    """A prohibition or an obligation the text lays down (严禁, 不得, 禁止, 应当), no past marker.

    Overrules the classifier like :func:`explicit_pledge`: of the labelled clauses with one of
    these words and no past marker, 28 of 29 are commitments (guide commitments-v2: rules a notice
    places on those it addresses, §7.8), while the classifier, which learned that news reports,
    turned down the rules news items quote from a new policy. A law's article quoted as the ground
    of an answer (法律依据：《慈善法》第二十二条) is the law's rule, no new one.
    """
    rule = _CASE.sub("", ctx.clause)  # 已开具专用发票的，应当开具红字发票: the case it governs may lie in the past
    return (bool(_RULE_WORD.search(rule)) and not says_past(rule)
            and not _LAW_CITED.search(ctx.before + ctx.sentence))


_CASE = re.compile(r"^[^，,。；;]{2,30}的[，,]")


def explains_the_law(text: str, kind: str | None) -> bool:
    """Whether a news item explains the law (a Q&A citing 法律依据：《慈善法》第四十条): its rules are the law's.

    :func:`explicit_rule` does not overrule the classifier in such a text: the answers restate
    what the law requires (捐赠人……不得向利害关系人进行定向捐赠), they lay down nothing new.
    """
    return kind == "news" and bool(_LAW_ARTICLE.search(text))


_LAW_ARTICLE = re.compile(rf"法律依据|{_LAW_TITLE}{_ARTICLE}")


def explicit_plan_figure(ctx: ClauseContext) -> bool:
    """A figure a work report sets for the year it plans (今年……5.5亿吨以上), no past marker.

    A work report is read in the spring of the year it plans, so such a clause states a target or
    an allocation. Overrules the classifier like :func:`explicit_pledge`: the labelled clauses of
    work reports that open this way are 4 of 4 commitments (guide commitments-v2), yet the
    classifier, which learned that a bare figure reports, turned down such clauses in the State
    Council reports (今年全国财政支出21万亿元). So is a figure a plan verb sets (拟定为, 指标为,
    计划增加 …) or the plan says will be reached (劳动生产率将比上年提高17.2%, 社会商品零售总额将达到
    六百五十亿元), not an estimate (预计): the old reports state their plans so, and the labelled
    clauses hold almost none of them (2 of 3 commitments). Each form's changes on the corpus work
    reports were read (docs/commitments.md, version 11).
    """
    if ctx.kind != "work-report":
        return False
    if _PLAN_YEAR_FIGURE.match(ctx.clause):
        return not says_past(ctx.clause)
    if "预计" in ctx.clause:
        return False  # 预计将达…: an estimate, not a plan
    if _PLAN_VERB.search(ctx.clause) and not says_past(ctx.clause):
        return True
    will = _WILL_REACH.search(ctx.clause)  # its 比上年 is the base of what will be, no past marker
    return will is not None and not says_past(ctx.clause[:will.start()] + ctx.clause[will.end():])


def explicit_pledge(clause: str) -> bool:
    """A pledge word, or a named body and its modal, and no past marker.

    These overrule the classifier: of the labelled clauses (guide commitments-v2) that open
    with a named body and its modal (宁波将……, 我们将……, 市科技局重点将……) and carry no past
    marker, 35 of 36 are commitments; 力争/争取/确保/到2027年 picked 14 of 15 on the v1 labels. A
    classifier can miss one in a context unlike its training data.

    >>> [explicit_pledge(c) for c in ("力争技术交易额突破900亿元。", "已确保供应。",
    ...                               "新的一年，宁波将超常发力抓创新，")]
    [True, False, True]

    """
    return bool(_PLEDGE.search(clause) or _actor_pledge(clause)) and not says_past(clause)
