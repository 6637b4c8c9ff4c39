"""The immutable value that flows through the pipeline, and shared resources."""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from nlp_service.extract.region_year import UNKNOWN, Inferred
from nlp_service.text.markers import SENTENCE_END
from nlp_service.text.normalize import fold_seam

if TYPE_CHECKING:
    from nlp_service.clean.layout import Join
    from nlp_service.clean.repeats import Repeat
    from nlp_service.document import InputParagraph, Paragraph, TopicLabel
    from nlp_service.extract.commitments import Commitment
    from nlp_service.extract.entities import Entity
    from nlp_service.extract.indicators import Indicator
    from nlp_service.extract.slogans import Slogan
    from nlp_service.models.clauses import ClauseClassifier
    from nlp_service.models.quotes import QuoteClassifier
    from nlp_service.models.topics import TopicModel
    from nlp_service.segment.paragraphs import ParagraphSpan
    from nlp_service.segment.words import WordSegmenter
    from nlp_service.text.normalize import NormalizedText


MAX_TITLE_CHARS = 60
_COLON = re.compile(r"[：:]")  # a line with a colon introduces what follows: no title


@dataclass(frozen=True)
class Resources:
    """Loaded once per pipeline and shared, read-only, by every call."""

    segmenter: WordSegmenter
    clause_classifier: ClauseClassifier | None = None  # the rules when None
    topic_model: TopicModel | None = None  # no topics when None
    quote_classifier: QuoteClassifier | None = None  # the slogan rules alone when None
    # called with (component name, seconds) after each component, e.g. by the API's metrics; None: not timed
    on_component: Callable[[str, float], None] | None = None


@dataclass(frozen=True)
class Work:
    """Everything known about one article so far; each component returns a new copy."""

    raw: str
    published: str | None = None
    title: str | None = None  # given by the caller; else inferred (see ``inferred_title``)
    # who issued the document, given by the caller (its record's metadata): the author of its
    # commitments when the text names none
    issuer: str | None = None
    norm: NormalizedText | None = None
    paragraphs: tuple[ParagraphSpan, ...] = ()
    repeats: dict[int, Repeat] = field(default_factory=dict)
    joins: tuple[Join, ...] = ()
    clean_text: str = ""
    clean_to_raw: array = field(default_factory=lambda: array("l"))
    kept: tuple[tuple[int, tuple[int, ...], tuple[int, int]], ...] = ()
    inputs: tuple[InputParagraph, ...] = ()
    sentences: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    document: tuple[Paragraph, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    slogans: tuple[Slogan, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    entities: tuple[Entity, ...] = ()
    topics: tuple[TopicLabel, ...] = ()  # article level, best first
    paragraph_topics: dict[int, tuple[TopicLabel, ...]] = field(default_factory=dict)  # kept paragraph -> labels
    year: Inferred = UNKNOWN  # the year the article speaks in, and why
    region: Inferred = UNKNOWN  # the region it speaks for, and why

    def inferred_title(self) -> str | None:
        """The caller's title, else a short first line, else the first heading among the first paragraphs.

        A numbered line (一、总体目标, （一）……, 第一章……) opens a part of the text and is never its
        title: a record that starts with its title line and then its first numbered part (……行动计划
        （2024-2025年） / 一、总体目标) is titled by the first line.
        """
        if self.title:
            return self.title
        if self.document:
            first = self.document[0]
            ends = SENTENCE_END.search(first.text) or _COLON.search(first.text)
            if (len(first.text) <= MAX_TITLE_CHARS and not ends and len(self.document) > 1
                    and first.marker is None):
                return first.text
        for p in self.document[:3]:
            if p.kind == "heading" and p.marker is None:
                return p.text
        return None

    def paragraph_text(self, index: int) -> str:
        """Normalised text of input paragraph ``index``."""
        assert self.norm is not None
        p = self.paragraphs[index]
        return self.norm.text[p.start:p.end]

    def units(self) -> dict[int, tuple[int, ...]]:
        """Joined units: head index -> member indices in reading order (head first).

        Paragraphs that are exact repeats are not part of any unit.
        """
        members: dict[int, list[int]] = {p.index: [p.index] for p in self.paragraphs
                                         if p.index not in self.repeats or self.repeats[p.index].kind != "exact"}
        for j in self.joins:  # joins are listed head-first, in the order they were found
            members[j.head].extend(members.pop(j.tail, [j.tail]))
        return {h: tuple(m) for h, m in members.items()}

    def unit_pieces(self, members: tuple[int, ...]) -> list[str]:
        """Text of each member of a joined unit, each seam written as the joined text normalises."""
        pieces = [self.paragraph_text(i) for i in members]
        for k in range(1, len(pieces)):
            pieces[k - 1], pieces[k] = fold_seam(pieces[k - 1], pieces[k])
        return pieces

    def unit_text(self, members: tuple[int, ...]) -> str:
        """Text of a joined unit."""
        return "".join(self.unit_pieces(members))

    @cached_property
    def merged_into(self) -> dict[int, int]:
        """Tail paragraph -> head paragraph of every join."""
        return {j.tail: j.head for j in self.joins}

    def resolve(self, index: int) -> int:
        """The kept paragraph that stands for input paragraph ``index``."""
        merged_into = self.merged_into
        seen = set()
        while index not in seen:
            seen.add(index)
            if index in merged_into:
                index = merged_into[index]
            elif index in self.repeats:
                index = self.repeats[index].of
            else:
                return index
        return index
