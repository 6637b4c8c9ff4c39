"""The government documents we may train on, and the frozen document split.

Sources: ``../shared/corpus/gov-work-reports`` and ``policy-docs`` (State Council, CPC congress
and Shanghai reports; S&T policy documents; 2020 epidemic measures; Nansha and local measures).
Never ``heldout``, never the research-use news archives, never the People's Daily NER data.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

# group: (file under SHARED_CORPUS, text field, id field)
SOURCES = {
    "state-council": ("gov-work-reports/state_council_reports_1954_2022.jsonl", "content", "title"),
    "cpc-congress": ("gov-work-reports/cpc_congress_reports.jsonl", "content", "title"),
    "shanghai": ("gov-work-reports/shanghai_government_work_reports.jsonl", "text", "id"),
    "st-policy": ("policy-docs/politic_analysis_paper_2025/policy_documents.jsonl", "text", "id"),
    "ncp2020": ("policy-docs/DataFountain-2020-NCP-policy-QA/policy_articles.jsonl", "text", "docid"),
    "nansha": ("policy-docs/NS_policy_recommendation/nansha_policy_documents.jsonl", "text", "blob"),
    "local-plans": ("policy-docs/policy_text_frenq/local_policy_documents.jsonl", "text", "id"),
}


_NOT_CONTENT = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def dedup_key(text: str) -> str:
    """The text as a split-overlap check compares it.

    NFKC, lower case, only Han characters, letters and digits: spacing, punctuation and list
    brackets differ between a reprint and its original.
    """
    return _NOT_CONTENT.sub("", unicodedata.normalize("NFKC", text).lower())


TOPIC_MIN_HAN = 20  # a paragraph a topic draw may show has at least this many Han characters …
TOPIC_MAX_CHARS = 600  # … and is cut here: the annotators read at most this much


def topic_paragraphs(pipeline: Any, text: str, title: str | None) -> tuple[str | None, list[str]]:
    """(title, paragraphs) a topic draw may show of one document.

    Kept body paragraphs with at least ``TOPIC_MIN_HAN`` Han characters, cut at ``TOPIC_MAX_CHARS``;
    no paragraphs when the pipeline refuses the text (no Chinese, empty). The first draw
    (scripts/sample_paragraphs.py) applies the same rule with the basic CJK block only, as it was run.
    """
    from nlp_service.text.markers import han_count

    try:
        art = pipeline.extract(text, title=title)
    except ValueError:
        return title, []
    return art.title, [p.text[:TOPIC_MAX_CHARS] for p in art.paragraphs
                       if p.kind == "body" and han_count(p.text) >= TOPIC_MIN_HAN]


def write_annotation_batches(rows: list[dict], folder: Path, name: str, count: int) -> int:
    """Split ``rows`` in order into ``count`` annotation files ``folder/NAME-NN.jsonl``.

    Each row as an annotator sees it (:func:`write_annotation_file`); returns the batch size.
    """
    size = -(-len(rows) // count)
    for k in range(count):
        write_annotation_file(rows[k * size:(k + 1) * size], folder / f"{name}-{k + 1:02d}.jsonl")
    return size


def write_annotation_file(rows: list[dict], path: Path) -> None:
    """One annotation file: id, title and text of each row, nothing else (no label, no model output)."""
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({x: r[x] for x in ("id", "title", "text")}, ensure_ascii=False) + "\n")


def doc_split(key: str) -> str:
    """``test`` for a quarter of the documents, fixed by the hash of the key (never by content)."""
    return "test" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 4 == 0 else "train"


def gold_sources() -> set[str]:
    """Documents whose excerpts are gold files (kept out of every training set)."""
    files = (json.loads(f.read_text(encoding="utf-8")) for f in (ROOT / "corpus" / "gold").rglob("*.json"))
    return {g["source"] for g in files if "source" in g}  # FROZEN.json lists a split, it is no excerpt


def documents(group: str, root: Path = SHARED_CORPUS) -> Iterator[tuple[str, str, str | None]]:
    """(key, text, title) of the documents of one group; key is ``file#id``."""
    path, field, idf = SOURCES[group]
    with (root / path).open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text = d.get(field) or d.get("text") or d.get("content")
            if text and len(text) > 200:
                yield f"{path}#{d[idf]}", text, d.get("title")


def topic_test_documents() -> set[str]:
    """Documents of the frozen topic test split (drawn per group, not by :func:`doc_split`)."""
    path = ROOT / "corpus" / "topics" / "topics.jsonl"
    if not path.exists():
        return set()
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["doc"] for r in rows if r["split"] == "test"}


def training_documents(root: Path = SHARED_CORPUS) -> Iterator[tuple[str, str, str | None]]:
    """Every document of the train split; gold sources and the topic test documents excluded."""
    exclude = gold_sources() | topic_test_documents()
    for group in SOURCES:
        for key, text, title in documents(group, root):
            if key not in exclude and doc_split(key) == "train":
                yield key, text, title


def source_document(key: str, root: Path = SHARED_CORPUS) -> tuple[str, str | None]:
    """(raw text, title) of the document ``file#id`` — the text a gold excerpt's offsets index.

    The title is the one a reader sees: the record's ``title``, else the file name of a Nansha
    measure, else None.
    """
    path, _, doc_id = key.partition("#")
    found = next((spec for spec in SOURCES.values() if spec[0] == path), None)
    if found is None:
        raise KeyError(f"no corpus source {path!r}")
    _, field, idf = found
    with (root / path).open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if str(d.get(idf)) == doc_id:
                return d.get(field) or d.get("text") or d.get("content"), d.get("title") or d.get("title_from_filename")
    raise KeyError(f"no document {doc_id!r} in {path}")
