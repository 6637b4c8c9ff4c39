"""Which clauses are commitments: the rules baseline and the forward-evidence gate."""

from __future__ import annotations

import re

from nlp_service.extract.commitments.context import (
    FUTURE,
    HAS_VERB,
    NOT_CLAUSE,
    OTHER_MARKERS,
    PAST,
    PLAN_SECTION,
    PLAN_TITLE,
    REVIEW_SECTION,
    STANDING,
    TASK_VERB,
    ClauseContext,
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
    if NOT_CLAUSE.search(body) or sum("\u4e00" <= c <= "\u9fff" for c in body) < 4:
        return "other", 0.8
    if OTHER_MARKERS.search(body):
        return ("achievement", 0.6) if re.search(r"决定批准|听取", body) else ("other", 0.7)
    future = bool(FUTURE.search(clause))
    past = bool(PAST.search(clause))
    if future and not past:
        return "commitment", 0.9
    if past and not future:
        return "achievement", 0.85
    heading = ctx.heading or ""
    review = bool(REVIEW_SECTION.search(heading)) or (
        not heading and bool(PAST.search(ctx.before[-80:] + ctx.sentence)))
    plan = bool(PLAN_SECTION.search(heading)) or bool(PLAN_TITLE.search(ctx.title or ""))
    sentence_future = bool(FUTURE.search(ctx.sentence)) or bool(FUTURE.search(ctx.before[-40:]))
    if future and past:
        return ("achievement", 0.55) if review and not plan else ("commitment", 0.55)
    if review and not sentence_future:
        return ("achievement", 0.7) if HAS_VERB.search(body) else ("other", 0.5)
    if plan or sentence_future:
        return "commitment", 0.7
    if TASK_VERB.search(body):
        return "commitment", 0.55
    return "other", 0.5


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



_PLEDGE = re.compile(r"力争|争取|确保|力求|(?:^|[，,\s])到(?:19|20)\d\d年")


def explicit_pledge(clause: str) -> bool:
    """A pledge word and no past marker: 力争/争取/确保/力求, or a clause opening with 到2027年.

    These overrule the classifier: on the train split 14 of the 15 clauses they pick are labelled
    commitments, while a classifier can miss one in a context unlike its training data.

    >>> explicit_pledge("力争技术交易额突破900亿元。"), explicit_pledge("已确保供应。")
    (True, False)

    """
    return bool(_PLEDGE.search(clause)) and not PAST.search(clause)
