"""What the web pages show of a v1 result: paragraphs cut into highlighted segments, finding cards, CSV.

Pure functions over the v1 JSON (the same object the API returns and the store keeps): the pages add
no rule of their own. Overlapping findings (an indicator inside a commitment, an entity inside an
indicator) are shown by cutting the text at every finding boundary; each segment carries the ids
of every finding that covers it, and each finding's fields go to the page once, as JSON, for the
card shown on hover or keyboard focus.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

KINDS = {"i": "指标", "s": "口号", "c": "承诺", "e": "实体"}
_ALLOWED_TAGS = ("b", "mark")


@dataclass
class Segment:
    """A run of text and the findings that cover it."""

    text: str
    ids: list[str] = field(default_factory=list)
    anchor: str | None = None  # the id of the first segment of a commitment (``c3``): links go there

    subs: list[str] = field(default_factory=list)  # slogan types and entity types of the findings

    @property
    def classes(self) -> str:
        """CSS classes: one per kind of finding present (k-i, k-s, k-c, k-e) and per slogan or entity type."""
        return " ".join(sorted({f"k-{i[0]}" for i in self.ids} | {f"t-{t}" for t in self.subs}))


@dataclass
class ParagraphView:
    """One input paragraph as the page shows it."""

    index: int
    status: str  # kept, duplicate, merged
    text: str
    segments: list[Segment]
    topics: list[str]
    note: str | None = None  # "copy of ¶N", "joined to ¶N"
    seams: list[int] = field(default_factory=list)  # segment positions where a joined paragraph begins


def findings(result: dict) -> dict[str, dict]:
    """Finding id → the fields a card shows, for every indicator, slogan, commitment and entity span."""
    out: dict[str, dict] = {}
    for n, x in enumerate(result.get("indicators", [])):
        out[f"i{n}"] = {"kind": "指标", "text": x["text"], "start": x["start"], "end": x["end"], "fields": {
            "数值": x.get("value"), "上限": x.get("value_max"), "单位": x.get("unit"), "指标": x.get("metric"),
            "比较": x.get("comparator"), "变化": x.get("change"), "时期": x.get("period"), "排名": x.get("rank")}}
    for n, x in enumerate(result.get("slogans", [])):
        for k, (s, e) in enumerate(x.get("spans") or [[x["start"], x["end"]]]):
            out[f"s{n}_{k}"] = {"kind": "口号", "text": x["text"], "start": s, "end": e, "sub": x.get("kind"),
                                "fields": {"类型": x.get("kind"), "出现次数": x.get("count"), "来源": x.get("source")}}
    for n, x in enumerate(result.get("commitments", [])):
        q = x.get("quantity") or {}
        out[f"c{n}"] = {"kind": "承诺", "text": x["text"], "start": x["start"], "end": x["end"], "fields": {
            "主体": x.get("actor"), "情态": x.get("modality"), "行动": x.get("action"), "对象": x.get("target"),
            "数量": f"{q.get('value')}{q.get('unit') or ''}" if q else None, "截止": x.get("deadline"),
            "主题": "、".join(x.get("topics") or []) or None}}
    for n, x in enumerate(result.get("entities", [])):
        for k, (s, e) in enumerate(x.get("spans") or []):
            out[f"e{n}_{k}"] = {"kind": "实体", "text": x["text"], "start": s, "end": e, "sub": x.get("type"),
                                "fields": {"类型": x.get("type"), "出现次数": x.get("count")}}
    for f in out.values():
        f["fields"] = {k: v for k, v in f["fields"].items() if v not in (None, "")}
    return out


def _segments(text: str, offset: int, found: dict[str, dict]) -> list[Segment]:
    end = offset + len(text)
    inside = {i: f for i, f in found.items() if f["start"] < end and f["end"] > offset}
    cuts = sorted({offset, end} | {max(offset, min(end, f[k])) for f in inside.values() for k in ("start", "end")})
    segs = []
    for a, b in itertools.pairwise(cuts):
        if a < b:
            ids = [i for i, f in inside.items() if f["start"] <= a and f["end"] >= b]
            subs = sorted({inside[i]["sub"] for i in ids if inside[i].get("sub")})
            segs.append(Segment(text[a - offset:b - offset], ids, subs=subs))
    return segs


def paragraphs(result: dict, found: dict[str, dict] | None = None) -> list[ParagraphView]:
    """Every input paragraph: kept ones cut into segments, copies struck through, joins marked at the seam."""
    found = findings(result) if found is None else found
    by_index = {p["index"]: p for p in result.get("paragraphs", [])}
    out = []
    for p in result.get("paragraphs", []):
        if p["status"] == "kept" and p.get("start") is not None:
            view = ParagraphView(p["index"], "kept", p["text"], _segments(p["text"], p["start"], found),
                                 [t["label"] for t in p.get("topics") or []])
            for q in result.get("paragraphs", []):  # pieces joined to this one: where each begins
                if q.get("merged_into") == p["index"]:
                    pos = p["text"].find(q.get("input_text") or q["text"])
                    if pos > 0:
                        view.seams.append(pos)
            out.append(view)
        elif p["status"] == "duplicate":
            of = p.get("duplicate_of")
            out.append(ParagraphView(p["index"], "duplicate", p.get("input_text") or p["text"], [], [],
                                     note=f"重复：同第{of + 1}段" if of is not None else "重复"))
        elif p["status"] == "merged":
            into = by_index.get(p.get("merged_into"))
            out.append(ParagraphView(p["index"], "merged", p.get("input_text") or p["text"], [], [],
                                     note=f"已接入第{into['index'] + 1}段（版面断行）" if into else "已接入上一段"))
    seen: set[str] = set()
    for view in out:
        for seg in view.segments:
            first = [i for i in seg.ids if i.startswith("c") and i not in seen]
            if first:
                seg.anchor = first[0]
                seen.update(first)
    return out


def seam_segments(view: ParagraphView) -> list[tuple[Segment, bool]]:
    """The segments of a kept paragraph with a flag where a joined paragraph begins (cut there if needed)."""
    out: list[tuple[Segment, bool]] = []
    pos = 0
    seams = sorted(view.seams)
    for seg in view.segments:
        start, stop = pos, pos + len(seg.text)
        inner = [s for s in seams if start < s < stop]
        pieces, last = [], start
        for s in inner:
            pieces.append((Segment(seg.text[last - start:s - start], seg.ids, seg.anchor if last == start else None,
                                   seg.subs), last in seams))
            last = s
        pieces.append((Segment(seg.text[last - start:], seg.ids, seg.anchor if last == start else None, seg.subs),
                       last in seams))
        out.extend(pieces)
        pos = stop
    return out


def safe_snippet(snippet: str | None) -> Markup:
    """A store snippet (``<b>``, ``<mark>`` around plain text) as HTML: everything escaped but those tags."""
    html = str(escape(snippet or ""))
    for tag in _ALLOWED_TAGS:
        html = html.replace(f"&lt;{tag}&gt;", f"<{tag}>").replace(f"&lt;/{tag}&gt;", f"</{tag}>")
    return Markup(html)  # noqa: S704  (escaped above; only the two tags without attributes restored)


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """CSV text (UTF-8 with a BOM for spreadsheet programs) of ``rows`` in ``columns``."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return buf.getvalue()
