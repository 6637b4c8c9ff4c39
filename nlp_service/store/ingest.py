"""Read articles from files, folders and JSON Lines, extract them and store the results.

Inputs: a text file (``.txt``, ``.md``, ``.html``, ``.htm``) is one article; a ``.jsonl`` or
``.jsonl.gz`` file holds one article per line — an object with its text in ``text``, ``content``
or ``body`` and optionally ``title``, ``id`` (or ``docid``/``blob``), ``published`` (or
``release_date``/``date``/``year``), ``region`` (or ``area``), ``url`` (or ``source_url``) and
``issuer`` (or ``publisher``: the actor of its commitments when the text names none);
a folder is walked for both kinds (``PROVENANCE``/``README`` and hidden files passed over; any other
file reported as not an article file and counted as failed). A line that is not
JSON, not an object, or has no text is reported with its file and line number and counted as
failed; so is an article the extractor rejects (empty, no Chinese, too large). Nothing is
dropped silently: ``read = stored + replaced + unchanged + failed``.
"""

from __future__ import annotations

import gzip
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
TEXT_FIELDS = ("text", "content", "body")
ID_FIELDS = ("id", "docid", "blob")
DATE_FIELDS = ("published", "release_date", "date", "year")
MAX_ERRORS_SHOWN = 20


@dataclass
class Item:
    """One article to ingest, or the reason it cannot be."""

    where: str  # file, or file:line
    source: str
    source_id: str | None
    text: str | None = None
    title: str | None = None
    published: str | None = None
    region: str | None = None
    url: str | None = None
    issuer: str | None = None
    error: str | None = None


@dataclass
class IngestReport:
    """Counts of one ingest run, and the failures (file:line and reason)."""

    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """``read N, stored N, replaced N, unchanged N, failed N``."""
        c = self.counts
        return (f"read {c['read']}, stored {c['stored']}, replaced {c['replaced']}, unchanged {c['unchanged']}, "
                f"failed {c['failed']}")


def _first(d: dict, keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = d.get(k)
        if v not in (None, ""):
            return v
    return None


def iter_items(paths: list[Path]) -> Iterator[Item]:
    """Every article of ``paths`` in a stable order (folders sorted); unreadable kinds of file reported."""
    for path in paths:
        if path.is_dir():
            for f, reason in walk(path):
                if reason is None:
                    yield from _file_items(f)
                else:
                    yield Item(str(f), str(f), None, error=reason)
        elif path.exists():
            yield from _file_items(path)
        else:
            yield Item(str(path), str(path), None, error="no such file or folder")


def walk(folder: Path) -> list[tuple[Path, str | None]]:
    """The files of a folder, sorted, each with None (read it) or why it is skipped (both engines).

    PROVENANCE and README files and hidden files are documentation, not articles, and are passed
    over; any other file that is neither JSON Lines nor text is reported (counted as failed), never
    dropped in silence.
    """
    out: list[tuple[Path, str | None]] = []
    for p in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = p.name.lower()
        if name.startswith(("provenance", "readme", ".")):
            continue
        out.append((p, None if ingestible(p) else
                    f"not an article file ({p.suffix or 'no extension'}): ingest reads "
                    f"{', '.join(('.jsonl', '.jsonl.gz', *TEXT_SUFFIXES))}"))
    return out


def ingestible(p: Path) -> bool:
    """Whether ``p`` is read as articles: JSON Lines or text files, not PROVENANCE/README or hidden files."""
    name = p.name.lower()
    return not name.startswith(("provenance", "readme", ".")) and (
        name.endswith((".jsonl", ".jsonl.gz")) or name.endswith(TEXT_SUFFIXES))


def _file_items(path: Path) -> Iterator[Item]:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        yield from _jsonl_items(path)
        return
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Item(str(path), str(path), str(path), error=f"not UTF-8 (byte {exc.start})")
        return
    except OSError as exc:
        yield Item(str(path), str(path), str(path), error=f"cannot read: {exc.strerror}")
        return
    yield Item(str(path), str(path), str(path), text=text)


def _jsonl_items(path: Path) -> Iterator[Item]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                item = parse_line(str(path), n, raw)
                if item is not None:
                    yield item
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Item(str(path), str(path), None, error=f"cannot read: {exc}")


def parse_line(source: str, n: int, raw: bytes) -> Item | None:
    """The article of line ``n`` of a JSON Lines file (both engines), or None for a blank line."""
    where = f"{source}:{n}"
    if not raw.strip():
        return None
    try:
        d = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Item(where, source, None, error=f"not a JSON line ({exc.__class__.__name__})")
    if not isinstance(d, dict):
        return Item(where, source, None, error="not a JSON object")
    text = _first(d, TEXT_FIELDS)
    if text is None:  # "" or whitespace: the extractor reports it as empty, like any empty article
        text = next((d[k] for k in TEXT_FIELDS if isinstance(d.get(k), str)), None)
    doc_id = _first(d, ID_FIELDS)
    title = _first(d, ("title", "title_from_filename"))
    source_id = str(doc_id) if doc_id is not None else (str(title) if title else f"line:{n}")
    if not isinstance(text, str):
        return Item(where, source, source_id, error=f"no text field ({'/'.join(TEXT_FIELDS)})")
    date = _first(d, DATE_FIELDS)
    issuer = _first(d, ("issuer", "publisher"))
    return Item(where, source, source_id, text=text, title=title,
                published=str(date) if date is not None else None,
                region=_first(d, ("region", "area")), url=_first(d, ("url", "source_url")),
                issuer=str(issuer) if issuer is not None else None)


def too_large(item: Item, max_bytes: int) -> Item:
    """``item`` with an error when its text is larger than ``max_bytes`` (UTF-8)."""
    if item.error is None and item.text is not None and len(item.text.encode("utf-8")) > max_bytes:
        item.error = f"larger than {max_bytes:,} bytes"
    return item


class Loader:
    """Counts and writes results to the store in input order: the one writer of both engines."""

    def __init__(self, store: Any, report: IngestReport, bar: Any) -> None:
        self.store, self.report, self.bar = store, report, bar

    def read(self) -> None:
        """One more input article (or bad line) read."""
        self.report.counts["read"] += 1
        self.bar.update(1)

    def fail(self, where: str, reason: str) -> None:
        """Count and report one article that cannot be stored."""
        self.report.counts["failed"] += 1
        self.report.failures.append((where, reason))
        if len(self.report.failures) <= MAX_ERRORS_SHOWN:
            self.bar.write(f"skipped {where}: {reason}")

    def stored_already(self, raw_sha: str) -> bool:
        """True (and counted ``unchanged``) when the very same input is stored."""
        if self.store.has_raw(raw_sha):
            self.report.counts["unchanged"] += 1
            return True
        return False

    def write(self, where: str, rec: Any, error: str | None) -> None:
        """Store one extracted article, or count its failure."""
        if error is not None:
            self.fail(where, error)
        else:
            self.report.counts[self.store.put_article(rec).status] += 1

    def close(self) -> None:
        """End the progress line; summarise the failures beyond the first ``MAX_ERRORS_SHOWN``."""
        self.bar.close()
        if len(self.report.failures) > MAX_ERRORS_SHOWN:
            reasons = Counter(reason for _, reason in self.report.failures)
            print(f"{len(self.report.failures)} skipped in all; by reason: "
                  + "; ".join(f"{r} ×{n}" for r, n in reasons.most_common()), file=sys.stderr)


# the pipeline a worker process extracts with: inherited from the parent by fork, never pickled
_WORKER_PIPELINE: Any = None
BATCH_PER_WORKER = 16  # articles handed to each worker per round; the store is written between rounds


def extract_item(pipeline: Any, item: Item, raw_sha: str | None) -> tuple[Any, str | None]:
    """(the store's record, None) for one article, or (None, the reason it failed)."""
    from nlp_service.contract import to_v1
    from nlp_service.errors import InputError
    from nlp_service.store.records import to_record

    try:
        art = pipeline.extract(item.text, title=item.title, published=item.published, issuer=item.issuer)
    except InputError as exc:
        return None, f"{exc.code.kind.code}: {exc.detail}"
    rec = to_record(to_v1(art, 0.0, include_tokens=False), pipeline.resources.segmenter, source=item.source,
                    source_id=item.source_id, region=item.region, url=item.url, published=item.published,
                    raw_sha256=raw_sha)
    return rec, None


def _extract_in_worker(job: tuple[Item, str | None]) -> tuple[Any, str | None]:
    return extract_item(_WORKER_PIPELINE, *job)


def ingest(paths: list[Path], store: Any, pipeline: Any, *, progress: bool = True,
           max_bytes: int = 2_000_000, workers: int = 1) -> IngestReport:
    """Extract and store every article of ``paths``; returns the counts and failures.

    With ``workers`` > 1, that many processes (forked, sharing the loaded models copy-on-write)
    extract in rounds of ``BATCH_PER_WORKER`` articles each while this process alone reads the
    inputs, checks what is stored and writes: one writer, results in input order.
    """
    import multiprocessing

    from nlp_service.store.records import raw_hash

    global _WORKER_PIPELINE
    report = IngestReport()
    loader = Loader(store, report, progress_bar(progress))

    def jobs() -> Iterator[tuple[Item, str | None]]:
        for item in iter_items(paths):
            loader.read()
            too_large(item, max_bytes)
            if item.error is not None or item.text is None:
                loader.fail(item.where, item.error or "no text")
                continue
            raw_sha = raw_hash(item.text)
            if loader.stored_already(raw_sha):  # the very same input is stored: skip extraction
                continue
            yield item, raw_sha

    if workers <= 1:
        for item, raw_sha in jobs():
            loader.write(item.where, *extract_item(pipeline, item, raw_sha))
    else:
        _WORKER_PIPELINE = pipeline  # set before the fork: the workers inherit it
        pending = jobs()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            while batch := list(itertools.islice(pending, workers * BATCH_PER_WORKER)):
                # a copy of an article already in this round is extracted once, then recognised
                for (item, _), (rec, error) in zip(batch, pool.map(_extract_in_worker, batch), strict=True):
                    loader.write(item.where, rec, error)
        _WORKER_PIPELINE = None
    loader.close()
    return report


class _Bar:
    """A progress line with rate (tqdm when installed and wanted, else a plain stderr line)."""

    def __init__(self, enabled: bool) -> None:
        self.n, self.start, self.enabled, self.last = 0, time.perf_counter(), enabled, 0.0

    def update(self, k: int) -> None:
        self.n += k
        now = time.perf_counter()
        if self.enabled and now - self.last > 1.0:
            self.last = now
            print(f"\r{self.n} articles, {self.n / (now - self.start):.1f}/s", end="", file=sys.stderr, flush=True)

    def write(self, msg: str) -> None:
        print(("\n" if self.enabled and self.n else "") + msg, file=sys.stderr)

    def close(self) -> None:
        if self.enabled:
            el = time.perf_counter() - self.start
            print(f"\r{self.n} articles in {el:.1f}s ({self.n / max(el, 1e-9):.1f}/s)", file=sys.stderr)


def progress_bar(enabled: bool) -> Any:
    """A progress bar: tqdm when installed and ``enabled``, else a plain stderr line (silent when not enabled)."""
    if enabled:
        try:
            from tqdm import tqdm

            return tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True)
        except ImportError:
            pass
    return _Bar(enabled)
