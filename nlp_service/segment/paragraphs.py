"""Split normalised text into paragraphs, recognising headings.

A paragraph is one non-empty line of the normalised text (the normaliser has
already turned in-line indents into line breaks). Headings are recognised by
form, each form a named rule of :mod:`nlp_service.text.markers` (a heading is at most
``MAX_HEADING_CHARS`` characters, has no sentence end and does not end in ，、：); every
paragraph also records the list marker it opens with (（一） 一是 1. ① …), if any:

- ``markdown``: ``# 标题`` .. ``###### 标题`` (marker and space excluded from the span);
- ``cn_section``: ``一、2024年工作回顾`` — a Chinese ordinal and 、, short, no sentence end;
- ``cn_subsection``: ``（一）总体要求`` — short, no sentence end;
- ``chapter``: ``第一章 总则`` / ``第二部分`` — short, no sentence end;
- ``ordinal``: ``第四，进一步提高对外开放水平`` — short, no sentence end;
- ``dotted``: ``2.1 风险管理`` — short, no sentence end;
- ``numbered``: ``（3）控制系统标准`` / ``2.总体要求`` — short, no sentence end.

Hard-wrapped text (a PDF's lines) is split into lines here and rejoined into
paragraphs by layout repair (:mod:`nlp_service.clean.layout`, ``wrapped_line``).
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp_service.text.markers import MARKDOWN_HEADING, heading_rule, list_marker


@dataclass(frozen=True, slots=True)
class ParagraphSpan:
    """One input paragraph as a span of the normalised text."""

    index: int
    start: int
    end: int
    kind: str  # "body" | "heading"
    level: int | None
    rule: str | None  # the heading rule that matched, if any (text.markers.HEADING_RULES)
    marker: str | None = None  # the list marker the line opens with, if any (text.markers.LIST_MARKERS)


def split_paragraphs(text: str) -> list[ParagraphSpan]:
    r"""Every non-empty line of ``text`` as a paragraph span, in order.

    Example:
        >>> [(p.kind, p.level) for p in split_paragraphs("# 标题\n\n正文。\n一、总体要求")]
        [('heading', 1), ('body', None), ('heading', 2)]

    """
    spans: list[ParagraphSpan] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        start, end = pos, line_end
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end > start:
            spans.append(_classify(text, len(spans), start, end))
        pos = line_end + 1
    return spans


def _classify(text: str, index: int, start: int, end: int) -> ParagraphSpan:
    m = MARKDOWN_HEADING.match(text, start, end)
    if m and m.end() < end:
        return ParagraphSpan(index, m.end(), end, "heading", len(m.group(1)), "markdown")
    line = text[start:end]
    marker = list_marker(line)
    heading = heading_rule(line)
    if heading is not None:
        return ParagraphSpan(index, start, end, "heading", heading[1], heading[0], marker)
    return ParagraphSpan(index, start, end, "body", None, None, marker)
