"""The document model: Article -> Paragraph -> Sentence -> Token, all spans.

Every span is ``(start, end)`` into ``Article.clean_text`` (Python string
indices, end exclusive); text is sliced from the article, never copied by
hand. ``Article.raw_span`` maps a span back to the raw input. Input paragraphs
that were removed (duplicates) or joined into another (merged) are kept in
``Article.input_paragraphs`` with their decision and their raw span.

All objects are frozen; an Article is safe to share between threads.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from nlp_service.extract.region_year import UNKNOWN, Inferred

if TYPE_CHECKING:
    from nlp_service.extract.commitments import Commitment
    from nlp_service.extract.entities import Entity
    from nlp_service.extract.indicators import Indicator
    from nlp_service.extract.slogans import Slogan


class TopicLabel(TypedDict):
    """One topic of an article or paragraph (taxonomy.v1) with the model's score."""

    label: str
    score: float


class ParagraphStatus(StrEnum):
    """What happened to an input paragraph."""

    KEPT = "kept"
    DUPLICATE = "duplicate"
    MERGED = "merged"


class Token(NamedTuple):
    """A word.

    A named tuple rather than a dataclass: an article has thousands, and tuples
    are several times cheaper to create.
    """

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a kept paragraph."""

    index: int
    paragraph: int  # input index of the kept paragraph it belongs to
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class InputParagraph:
    """One paragraph of the input, with the decision taken about it."""

    index: int
    text: str  # normalised text of this input paragraph alone
    kind: str  # "body" | "heading"
    level: int | None
    raw_start: int
    raw_end: int
    status: ParagraphStatus
    duplicate_of: int | None = None
    duplicate_kind: str | None = None  # "exact" | "contained" | "near"
    merged_into: int | None = None
    similarity: float | None = None
    evidence: tuple[str, ...] = ()
    start: int | None = None  # span in clean_text, kept paragraphs only
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A kept paragraph of the clean text (merged pieces included)."""

    index: int  # input index of its first piece
    members: tuple[int, ...]  # input indices joined into it, in reading order
    kind: str
    level: int | None
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]
    rule: str | None = None  # the segmenter's heading rule (``text.markers.HEADING_RULES``), headings only
    marker: str | None = None  # the list marker it opens with (``text.markers.LIST_MARKERS``), any kind


@dataclass(frozen=True)
class Article:
    """The result of extraction for one article."""

    id: str
    title: str | None
    published: str | None
    clean_text: str
    paragraphs: tuple[Paragraph, ...]
    input_paragraphs: tuple[InputParagraph, ...]
    clean_to_raw: array = field(repr=False)
    script: str = "simplified"
    converted_to_simplified: bool = False
    input_format: str = "text"
    topics: tuple[TopicLabel, ...] = ()
    paragraph_topics: dict[int, tuple[TopicLabel, ...]] = field(default_factory=dict)  # kept paragraph -> labels
    indicators: tuple[Indicator, ...] = ()
    slogans: tuple[Slogan, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    entities: tuple[Entity, ...] = ()
    components: tuple[str, ...] = ()
    models: dict[str, str] = field(default_factory=dict)
    year: Inferred = UNKNOWN  # the year it speaks in, with evidence (extract.region_year)
    region: Inferred = UNKNOWN  # the region it speaks for, with evidence

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """All sentences of the clean text, in order."""
        return tuple(s for p in self.paragraphs for s in p.sentences)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``clean_text`` to the raw input.

        Joined paragraphs map piecewise; this returns the raw positions of the
        span's first and last characters.
        """
        if end <= start:
            pos = self.clean_to_raw[start]
            return pos, pos
        return self.clean_to_raw[start], self.clean_to_raw[end - 1] + 1
