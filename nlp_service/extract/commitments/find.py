"""Find the commitments of a document: walk its clauses, gate them, classify them, read their fields."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from nlp_service.extract.commitments.context import (
    ClauseContext,
    clause_contexts,
    document_head,
    document_kind,
    guide_addressee,
    issued_title,
)
from nlp_service.extract.commitments.fields import (
    commitment_fields,
    document_actor,
    speaker_body,
    speaker_floors,
)
from nlp_service.extract.commitments.gate import (
    document_requires,
    explains_the_law,
    explicit_call,
    explicit_encouragement,
    explicit_goal,
    explicit_item,
    explicit_plan_figure,
    explicit_pledge,
    explicit_provision,
    explicit_rule,
    explicit_task,
    forward_evidence,
    has_predicate,
    never,
    rule_label,
)
from nlp_service.extract.finding import Finding
from nlp_service.extract.indicators import Indicator


@dataclass(frozen=True, slots=True, kw_only=True)
class Commitment(Finding):
    """A forward-looking target, pledge or task; ``start``/``end`` span it in the clean text.

    ``evidence`` holds why the text looks forward there (``marker``, ``sentence``, ``list``,
    ``heading``, ``plan``, ``standing``, ``report``) and, when a continuation clause was merged into it,
    ``merged``. ``quantity`` is the indicator it sets (the first in its span).
    """

    text: str
    sentence: str
    actor: str | None
    modality: str | None
    strength: str | None
    action: str | None
    target: str | None
    quantity: Indicator | None
    deadline: str | None
    topics: tuple[str, ...] = ()


OVERRIDE_CONFIDENCE = 0.8  # the overrides' precision on the labelled clauses is 0.84-0.97 (gate.py)
# a clause that only continues the commitment before it in its sentence (比去年增加8000亿元,
# 其中中央财政赤字1.4万亿元) is part of that commitment, not a second one
_CONTINUATION = re.compile(r"^(?:比|较|同比|其中|占|相当于|即|约占|增幅|增速|分别为|总额|合计)")
def find_commitments(paragraphs: Sequence[Any], text: str, *, title: str | None, year: int | None,
                     indicators: Sequence[Indicator],
                     paragraph_topics: dict[int, tuple[Any, ...]], classifier: Any,
                     issuer: str | None = None) -> list[Commitment]:
    """Every commitment of a document, one per pledge, in reading order.

    ``paragraphs`` are the kept :class:`nlp_service.document.Paragraph` objects of ``text``;
    ``classifier`` labels the clauses that pass the gate (``nlp_service.models.clauses``).
    """
    kind = document_kind(title, text)
    author = document_actor(title, text, kind) or issuer  # the caller's issuer when the text names none
    addressee = guide_addressee(issued_title(document_head(title, text))) if kind == "notice" else None
    sites = clause_contexts(paragraphs, text, title=title, kind=kind)
    evidence = [None if never(s.ctx) else forward_evidence(s.ctx) for s in sites]
    todo = [i for i, e in enumerate(evidence) if e is not None]
    # the classifiers learned from body clauses; a heading line is decided by the heading rule
    # what the data-backed overrides decide needs no classifier (their confidence: OVERRIDE_CONFIDENCE)
    laid_down = not explains_the_law(text, kind)  # rules a text lays down itself, not the law's
    decided = {i: ("commitment", OVERRIDE_CONFIDENCE) for i in todo if overridden(sites[i].ctx, laid_down=laid_down)}
    body = [i for i in todo if i not in decided and sites[i].ctx.heading_rule is None]
    labels: dict[int, tuple[str, float]] = dict(zip(body, classifier.predict([sites[i].ctx for i in body]),
                                                    strict=True))
    labels.update({i: ("commitment", OVERRIDE_CONFIDENCE) for i, (label, _) in labels.items()
                   if label == "achievement" and document_requires(sites[i].ctx)})
    labels.update(decided)
    labels.update({i: rule_label(sites[i].ctx) for i in todo if i not in labels})
    by_start = sorted(indicators, key=lambda i: i.start)
    starts = [i.start for i in by_start]
    speakers: dict[int, str | None] = {}
    speaker = None
    for p in paragraphs:
        speaker = speaker_body(p.text) or speaker
        speakers[p.index] = speaker
    floor_ends, floor_bodies = speaker_floors(text) if kind == "news" else ([], [])
    found: list[Commitment] = []
    for i in todo:
        site, why = sites[i], evidence[i]
        assert why is not None  # todo holds only clauses with evidence
        label, conf = labels[i]
        if label != "commitment":
            continue
        start, end = site.start, site.end
        while end > start and text[end - 1] in "，,；;。！？!?：: ":
            end -= 1
        prev = found[-1] if found else None
        if (prev is not None and _CONTINUATION.match(site.ctx.clause) and prev.sentence == site.sentence.text
                and prev.end <= start):
            found[-1] = _extend(prev, text, end)
            continue
        quantity = None  # the first indicator inside the clause
        k = bisect_left(starts, start)
        while k < len(by_start) and by_start[k].start < end:
            if by_start[k].end <= end:
                quantity = by_start[k]
                break
            k += 1
        if quantity is None and not has_predicate(site.ctx.clause):
            continue  # no predicate and no figure: a fragment the gate could not see
        at = bisect_right(floor_ends, start) - 1  # the official who has the floor where a news clause starts
        f = commitment_fields(site.ctx, headings=site.headings, paragraph=site.paragraph.text,
                              document_actor=author, speaker=speakers.get(site.paragraph.index),
                              floor=floor_bodies[at] if at >= 0 else None, year=year, addressee=addressee)
        found.append(Commitment(
            start=start, end=end, confidence=round(conf, 3), evidence=(why,), text=text[start:end],
            sentence=site.sentence.text, actor=f.actor, modality=f.modality, strength=f.strength, action=f.action,
            target=f.target or (quantity.metric if quantity else None), quantity=quantity, deadline=f.deadline,
            topics=tuple(t["label"] for t in paragraph_topics.get(site.paragraph.index, ()))))
    return found


def overridden(ctx: ClauseContext, *, laid_down: bool) -> bool:
    """Whether a data-backed override (gate.py) makes the gated clause a commitment without the classifier.

    ``laid_down``: the text lays down its own rules (not a news item explaining the law), so a
    prohibition or obligation in it is one of them (:func:`explicit_rule`).
    """
    return (explicit_pledge(ctx.clause) or explicit_provision(ctx) or explicit_task(ctx) or explicit_goal(ctx)
            or explicit_item(ctx) or explicit_call(ctx) or explicit_encouragement(ctx) or explicit_plan_figure(ctx)
            or (laid_down and explicit_rule(ctx)))


def _extend(c: Commitment, text: str, end: int) -> Commitment:
    return replace(c, end=end, text=text[c.start:end], evidence=(*c.evidence, "merged"))


__all__ = ["Commitment", "find_commitments", "overridden"]
