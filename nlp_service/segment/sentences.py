"""Split a paragraph into sentences.

A sentence ends at a run of 。！？；!?; or an ellipsis (…… / ...), together with
the closing quotes and brackets that follow it (“……转变。” keeps its ”), and a
bracketed remark right after it (……给予研发支持。（对接部门：区科信局）). A
terminator inside （…） does not end the sentence. A
terminator inside an open quotation does not end the sentence, so quotations
stay balanced — unless the paragraph's quotes do not balance at all (a layout
break cut it), in which case quotation depth is ignored.

Not handled yet: sentence ends without punctuation (headlines inside a line),
ASCII full stops (ambiguous with decimals and abbreviations).
"""

from __future__ import annotations

import re

_TERMINATOR = re.compile(r"(?=[。！？!?；;….])(?:[。！？!?；;]+|…+|\.{3,})[”’」』）)》】\]\"']*(?:\s*（(?![一二三四五六七八九十\d]{1,3}）)[^（）\n]{1,120}）)?")  # noqa: E501
QUOTE_OPENERS = "“‘「『"
QUOTE_CLOSERS = "”’」』"


def _balanced(text: str) -> bool:
    return all(text.count(o) == text.count(c) for o, c in zip(QUOTE_OPENERS, QUOTE_CLOSERS, strict=True))


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, shifted by ``offset``.

    Example:
        >>> t = "“我们将转变。”他说。要坚持改革！"
        >>> [t[s:e] for s, e in split_sentences(t)]
        ['“我们将转变。”', '他说。', '要坚持改革！']
        >>> t = "给予研发支持。（对接部门：区科信局；联系人：赵媛）对获得立项的项目单位给予配套支持。"
        >>> [t[s:e] for s, e in split_sentences(t)]
        ['给予研发支持。（对接部门：区科信局；联系人：赵媛）', '对获得立项的项目单位给予配套支持。']

    """
    spans: list[tuple[int, int]] = []
    use_depth = _balanced(text)
    start = 0
    depth = 0
    scan = 0
    brackets = text.count("（") == text.count("）")
    for m in _TERMINATOR.finditer(text):
        if brackets and text.count("（", start, m.start()) > text.count("）", start, m.start()):
            continue  # inside （对接部门：区科信局；联系人：……）
        if use_depth:
            chunk = text[scan:m.end()]
            depth += sum(chunk.count(o) for o in QUOTE_OPENERS) - sum(chunk.count(c) for c in QUOTE_CLOSERS)
            scan = m.end()
            if depth > 0:
                continue
            depth = 0
        end = m.end()
        if end > start:
            spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s] == " ":
            s += 1
        if e > s:
            out.append((s + offset, e + offset))
    return out
