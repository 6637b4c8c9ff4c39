"""Split normalised text into paragraphs, recognising headings.

A paragraph is one non-empty line of the normalised text (the normaliser has
already turned in-line indents into line breaks). Headings are recognised by
form, each form a named rule (a heading is at most :data:`MAX_HEADING_CHARS`
characters, has no sentence end and does not end in ，、：):

- ``markdown``: ``# 标题`` .. ``###### 标题`` (marker and space excluded from the span);
- ``cn_section``: ``一、2024年工作回顾`` — a Chinese ordinal and 、, short, no sentence end;
- ``cn_subsection``: ``（一）总体要求`` — short, no sentence end;
- ``chapter``: ``第一章 总则`` / ``第二部分`` — short, no sentence end;
- ``ordinal``: ``第四，进一步提高对外开放水平`` — short, no sentence end;
- ``dotted``: ``2.1 风险管理`` — short, no sentence end;
- ``numbered``: ``（3）控制系统标准`` / ``2.总体要求`` — short, no sentence end.

Not handled yet: hard-wrapped text where one paragraph spans many lines is
split into lines here and rejoined, where safe, by layout repair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKDOWN = re.compile(r"(#{1,6})[ \t]*")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_HEADING_RULES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("cn_section", 2, re.compile(r"[一二三四五六七八九十百]{1,3}、\S")),
    ("cn_subsection", 3, re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]\S")),
    ("ordinal", 2, re.compile(r"第[一二三四五六七八九十]{1,3}[、，,]\S")),
    # 2.1 风险管理 / 3.2.1风险 (a bare "2.5亿元" is a number, not a section)
    ("dotted", 3, re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,2}){2,}[ \t]*[^\d\s.]|[0-9]{1,2}\.[0-9]{1,2}[ \t]+[^\d\s.]")),
    ("numbered", 4, re.compile(r"(?:[（(][0-9]{1,2}[）)]|[0-9]{1,2}[.、．](?![0-9]))\S")),
    ("chapter", 2, re.compile(r"第[一二三四五六七八九十百0-9]{1,4}[章编节部分]+(?:\s|$|\S)")),
)
MAX_HEADING_CHARS = 40


@dataclass(frozen=True, slots=True)
class ParagraphSpan:
    """One input paragraph as a span of the normalised text."""

    index: int
    start: int
    end: int
    kind: str  # "body" | "heading"
    level: int | None
    rule: str | None  # the heading rule that matched, if any


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
    m = _MARKDOWN.match(text, start, end)
    if m and m.end() < end:
        return ParagraphSpan(index, m.end(), end, "heading", len(m.group(1)), "markdown")
    line = text[start:end]
    if len(line) <= MAX_HEADING_CHARS and not _SENTENCE_END.search(line) and line[-1] not in "，、,：:":
        for name, level, pattern in _HEADING_RULES:
            if pattern.match(line):
                return ParagraphSpan(index, start, end, "heading", level, name)
    return ParagraphSpan(index, start, end, "body", None, None)
