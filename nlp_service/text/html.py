"""Turn an HTML page into plain text with paragraph breaks.

Uses the standard library's ``html.parser`` (a tolerant, well-kept parser; no
extra dependency for a fallback path). Block elements become line breaks,
``<h1>``-``<h6>`` become Markdown headings so the paragraph splitter sees them,
``<script>``/``<style>`` are dropped, entities are decoded.

Not handled yet: raw-offset mapping into the HTML source (offsets of an HTML
input refer to the extracted text), tables as structured data, boilerplate
(navigation, footers) removal.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_LOOKS_LIKE_HTML = re.compile(
    r"<(?:!doctype\s+html|html|body|head|p|div|br|span|table|tr|td|li|ul|h[1-6]|article|section)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCK = {
    "p", "div", "br", "li", "tr", "table", "section", "article", "header", "footer",
    "blockquote", "ul", "ol", "dd", "dt", "pre", "hr", "title",
}
_SKIP = {"script", "style", "noscript", "template", "head"}


def looks_like_html(text: str) -> bool:
    """True when the text carries at least two HTML tags of a page."""
    return len(_LOOKS_LIKE_HTML.findall(text, 0, 200_000)) >= 2


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        self._title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.parts.append("\n" + "#" * int(tag[1]) + " ")
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK or (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456"):
            self.parts.append("\n")
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Extract the visible text of an HTML page, one block per line.

    Example:
        >>> html_to_text("<h1>标题</h1><p>第一段。</p><p>第二段。</p>").split()
        ['#', '标题', '第一段。', '第二段。']

    """
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
