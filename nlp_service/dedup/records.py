"""Input and output records of a dedup run, shared by both engines (:mod:`.archive` and :mod:`.spark`).

Reading: :func:`read_rows` yields the raw lines (or Parquet rows) of one input file (:func:`read_blocks`
many at a time),
:func:`parse_record` turns one into (record, id, normalised text) or a skipped-line entry for the
report, :func:`read_records` does both for whole files in memory. Writing: :class:`RecordWriter`
streams records to JSON Lines (``.gz`` by the name) or Parquet, :func:`write_records` writes a list.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from nlp_service.dedup.minhash import normalise

if TYPE_CHECKING:
    from nlp_service.dedup.report import DedupReport


def is_parquet(path: Path) -> bool:
    """Whether the name says Parquet (``.parquet``, ``.pq``); anything else is JSON Lines."""
    return path.name.endswith((".parquet", ".pq"))


def read_rows(path: Path) -> Iterator[tuple[int, bytes | dict, int]]:
    """(line or row number, raw line bytes or row dict, input bytes consumed so far) of one file."""
    if is_parquet(path):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        total, size, n = max(1, pf.metadata.num_rows), path.stat().st_size, 0
        for batch in pf.iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                n += 1
                yield n, row, size * n // total
        return
    if path.name.endswith(".gz"):
        with path.open("rb") as raw, gzip.open(raw, "rb") as fh:
            for n, line in enumerate(fh, 1):
                yield n, line, raw.tell()
        return
    with path.open("rb") as fh:
        pos = 0
        for n, line in enumerate(fh, 1):
            pos += len(line)
            yield n, line, pos


def read_blocks(path: Path, size: int) -> Iterator[tuple[int, list, int]]:
    """(number of the first line or row, up to ``size`` raw lines or row dicts, bytes consumed so far).

    :func:`read_rows` in blocks: lines are taken by the file object's own iterator, so no Python
    code runs per line where a worker parses them anyway (the parent of a parallel run did).
    """
    if is_parquet(path):
        rows, first = [], 1
        for n, row, pos in read_rows(path):
            rows.append(row)
            if len(rows) == size:
                yield first, rows, pos
                rows, first = [], n + 1
        if rows:
            yield first, rows, path.stat().st_size
        return
    with path.open("rb") as raw, (gzip.open(raw, "rb") if path.name.endswith(".gz") else raw) as fh:
        first = 1
        while rows := list(islice(fh, size)):
            yield first, rows, raw.tell()
            first += len(rows)


def parse_record(path: Path, n: int, raw: bytes | dict, text_field: str, id_field: str, normalised: bool = True):
    """``None`` for a blank line, a skipped-line dict, or (record, id, normalised text).

    With ``normalised=False``: (record, id, text); the caller normalises many at once and skips the empty.
    """
    if isinstance(raw, bytes):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return {"file": str(path), "line": n, "reason": f"not UTF-8 (byte {exc.start})"}
        if not line.strip():
            return None
        try:
            rec = orjson.loads(line)  # 2.5x json.loads on 2 KB records; the JSON spec only (no NaN)
        except orjson.JSONDecodeError as exc:
            return {"file": str(path), "line": n, "reason": f"not JSON: {exc.msg}"}
    else:
        rec = raw
    if not isinstance(rec, dict):
        return {"file": str(path), "line": n, "reason": "not a JSON object"}
    text = rec.get(text_field)
    rid = rec.get(id_field)
    rid = f"{path.name}:{n}" if rid is None else rid
    if not normalised and isinstance(text, str):
        return rec, str(rid), text
    norm = normalise(text) if isinstance(text, str) else ""
    if not norm:
        return skipped_no_text(path, n, rid, text_field)
    return rec, str(rid), norm


def skipped_no_text(path: Path | str, n: int, rid: object, text_field: str) -> dict:
    """The skipped-line entry of a record whose text field is missing, not a string or empty once normalised."""
    return {"file": str(path), "line": n, "id": rid, "reason": f"no text in field {text_field!r}"}


def read_records(paths: list[Path], text_field: str, id_field: str, report: DedupReport):
    """(record, id, normalised text) of every usable line, in memory; others go to ``report.skipped``."""
    out = []
    for path in paths:
        for n, raw, _ in read_rows(path):
            got = parse_record(path, n, raw, text_field, id_field)
            if got is None:
                continue
            report.counts["read"] += 1
            if isinstance(got, dict):
                report.skipped.append(got)
            else:
                out.append(got)
    report.counts["skipped"] = len(report.skipped)
    return out


def write_records(path: Path, records: list[dict]) -> None:
    """JSON Lines (``.gz`` when the name ends so) or Parquet (``.parquet``), by the name."""
    with RecordWriter(path) as out:
        for rec in records:
            out.add(rec)


class RecordWriter:
    """Streaming output: JSON Lines (``.gz`` by name) or Parquet in row groups of 10,000."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: Any = None  # a binary file (gzip or plain) for JSON Lines
        self.parquet: Any = None  # a pyarrow ParquetWriter once the first row group is written
        self.buffer: list[dict[str, Any]] = []

    def __enter__(self) -> RecordWriter:
        if not is_parquet(self.path):  # bytes: a kept line is written as read, not decoded and encoded again
            self.fh = gzip.open(self.path, "wb", compresslevel=6) if self.path.name.endswith(".gz") else \
                self.path.open("wb")
        return self

    def add(self, rec: dict | bytes) -> None:
        """One record: a dict, or a JSON line's bytes as read (parsed only for Parquet)."""
        if isinstance(rec, bytes):
            if self.fh is not None:
                self.fh.write(rec.rstrip(b"\r\n") + b"\n")
                return
            rec = orjson.loads(rec)
        if self.fh is not None:
            self.fh.write(orjson.dumps(rec) + b"\n")
            return
        assert isinstance(rec, dict)
        self.buffer.append(rec)
        if len(self.buffer) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.buffer:
            return
        names = list(dict.fromkeys(k for r in self.buffer for k in r))
        table = pa.table({k: [r.get(k) for r in self.buffer] for k in names})
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.path, table.schema)
        writer = self.parquet
        writer.write_table(table.select(writer.schema.names).cast(writer.schema))
        self.buffer = []

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()
            return
        self._flush()
        if self.parquet is None:  # nothing to write: an empty table still makes a valid file
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({}), self.path)
        else:
            self.parquet.close()
