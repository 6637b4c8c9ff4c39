"""``nlp-service dedup``: exact and near-duplicate documents and paragraphs across archives (local engine).

Reads every record of the inputs (``.jsonl``, ``.jsonl.gz`` or ``.parquet``; text in
``--text-field``, id in ``--id-field``), clusters them with the kernel of ``dedup/minhash.py`` and
writes

- the output (the format its name says: ``.jsonl``, ``.jsonl.gz`` or ``.parquet``): each cluster's
  representative, plus every record without a duplicate — or, with ``--mark``, every record with a
  ``duplicate_of`` field (null for kept ones);
- the report (JSON): counts, the parameters, every cluster with its representative and each
  member's id, estimated similarity to the representative and kind (``exact`` — same normalised
  text; ``contained``; ``near``), and every skipped line (file, line number, reason).

``--level paragraph`` clusters the paragraphs (lines) of all records instead and reports those
repeated — boilerplate, reprinted passages — with the document and paragraph index of every copy;
``--strip`` removes each repeat from the records after its first occurrence and lists what was
removed, and where it is kept, in the record's ``stripped_paragraphs``. ``--level both`` removes
duplicate documents first, then works on the paragraphs of the kept ones.

Nothing is lost: every input record is in the output or in the report with the id of its kept twin;
a malformed line or a record without text is reported and counted, never dropped silently.
Representative: the earliest record of the cluster in input order (``--keep longest`` picks the
longest text instead).

Document level streams (:func:`dedup`): batches of input rows are parsed, normalised and signed by
``--workers`` processes into a work folder (signatures, normalised texts and offsets; one set of
files per batch, written atomically), so a run stopped by a crash or Ctrl-C resumes without
re-signing finished batches; the signatures and texts are then memory-mapped, band keys (8 bytes
× bands per document) are the only per-document arrays held in memory besides the ids, candidate
pairs are verified by the same workers, and the output is written in a second pass over the
inputs. Paragraph level holds the records in memory. ``nlp_service/dedup/spark.py`` is the engine
for archives beyond one machine; both read and write records with :mod:`.records`, report with
:mod:`.report` and offer the call :class:`nlp_service.dedup.engine.DedupEngine` declares.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import time
from array import array
from pathlib import Path

import numpy as np
import orjson

from nlp_service.dedup.minhash import (
    MIN_CHARS,
    Params,
    banded_pairs,
    cluster_signatures,
    components,
    estimated_jaccard,
    explain,
    normalise_many,
    same_verdict,
    signatures_for,
    text_runs,
    with_noisy_pairs,
)
from nlp_service.dedup.records import (
    RecordWriter,
    parse_record,
    read_blocks,
    read_records,
    read_rows,
    skipped_no_text,
    write_records,
)
from nlp_service.dedup.report import ClusterSpool, DedupReport, member, write_report

# input rows per signing batch: the unit of parallel work and of resuming (at 20,000 one of two
# workers waited for the reading of the first batch, and 30k documents made one and a half batches)
BATCH = 5_000
NORMALISE_RUN = 1_000_000  # characters normalised at a time: the lookup holds ~12 bytes a character
KINDS = (None, "exact", "near", "contained")
CHUNK_PAIRS = 5_000  # candidate pairs (or members) per verification job, at most …
MIN_CHUNK_PAIRS = 250  # … and at least (a job reads the store's header and pickles its results)


def _signatures(norms: list[str], params: Params) -> tuple[np.ndarray, list[str], np.ndarray | None]:
    """(signatures, texts to compare, 3-gram signatures of the noisy-copy route or None).

    A text too short to compare gets a dummy that matches nothing.
    """
    # a scraper's "CONTENT NOTFOUND" or a heading ("一、") is kept and never clustered
    compared = [x if len(x) >= MIN_CHARS else f"\x00{i}" for i, x in enumerate(norms)]
    sigs, *noisy = signatures_for(compared, params.shingle_sizes, params.num_perm)
    return sigs, compared, noisy[0] if noisy else None


def _groups(cluster: np.ndarray) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for i, c in enumerate(cluster.tolist()):
        members.setdefault(c, []).append(i)
    return members


def paragraphs(records: list[tuple[dict, str, str]], text_field: str, params: Params, report: DedupReport,
               strip: bool) -> None:
    """Cluster the paragraphs (non-empty lines) of ``records``; report repeats; with ``strip`` remove them.

    The first occurrence in input order is kept; each later copy is removed from its record (whose
    text is rejoined with newlines) and listed in the record's ``stripped_paragraphs`` with the id
    and paragraph index of the kept copy.
    """
    where: list[tuple[int, int]] = []
    texts: list[str] = []
    for ri, (rec, _, _) in enumerate(records):
        for pj, line in enumerate(x for x in rec[text_field].split("\n") if x.strip()):
            where.append((ri, pj))
            texts.append(line)
    norms = [x for part in text_runs(texts, NORMALISE_RUN) for x in normalise_many(part)]
    sigs, compared, sigs3 = _signatures(norms, params)
    res = cluster_signatures(sigs, compared, params, sigs3)
    removed: dict[int, dict[int, dict]] = {}
    for group in _groups(res.cluster).values():
        if len(group) < 2:
            continue
        rep = group[0]
        rid, rpj = records[where[rep][0]][1], where[rep][1]
        members = []
        for i in group[1:]:
            ri, pj = where[i]
            m = member(records[ri][1], norms[i], norms[rep], float((sigs[i] == sigs[rep]).mean()), params)
            members.append({"id": m.pop("id"), "paragraph": pj, **m})
            removed.setdefault(ri, {})[pj] = {"paragraph": pj, "duplicate_of": f"{rid}#{rpj}", "kind": m["kind"]}
        report.paragraph_clusters.append({
            "representative": {"id": rid, "paragraph": rpj, "text": texts[rep][:80]},
            "documents": len({where[i][0] for i in group}), "size": len(group), "members": members})
    report.counts["paragraphs"] = len(texts)
    report.counts["paragraph_clusters"] = len(report.paragraph_clusters)
    report.counts["repeated_paragraphs"] = sum(len(v) for v in removed.values())
    if strip:
        for ri, gone in removed.items():
            rec = records[ri][0]
            kept = [x for pj, x in enumerate(y for y in rec[text_field].split("\n") if y.strip()) if pj not in gone]
            rec[text_field] = "\n".join(kept)
            rec["stripped_paragraphs"] = [gone[pj] for pj in sorted(gone)]
        report.counts["stripped_paragraphs"] = report.counts["repeated_paragraphs"]


def dedup(paths: list[Path], out_path: Path, report_path: Path, params: Params | None = None, *,
          text_field: str = "text", id_field: str = "id", mark: bool = False, keep: str = "earliest",
          level: str = "document", strip: bool = False, workers: int | None = 1, work_dir: Path | None = None,
          batch: int = BATCH, progress: bool = False) -> DedupReport:
    """Run the local engine (see module docstring).

    Document level streams: batches of ``batch`` input rows are signed by ``workers`` processes
    (``None``: every core) into ``work_dir`` (default ``OUT.work``), one set of files per batch
    written atomically, so that a run stopped by a crash or Ctrl-C resumes with the batches not yet
    signed (same inputs, fields and parameters; otherwise the folder is started afresh); candidate
    pairs are verified by the same workers against the memory-mapped texts; the output is written
    in a second pass over the inputs. The folder is removed after a successful run.
    """
    if level not in ("document", "paragraph", "both"):
        raise ValueError("level must be document, paragraph or both")
    if keep not in ("earliest", "longest"):
        raise ValueError("keep must be earliest or longest")
    params = params or Params()
    if level != "document":
        return _dedup_in_memory(paths, out_path, report_path, params, text_field=text_field, id_field=id_field,
                                mark=mark, keep=keep, level=level, strip=strip)
    return _Streaming(paths, out_path, report_path, params, text_field=text_field, id_field=id_field,
                      workers=workers or os.cpu_count() or 1, work_dir=work_dir, batch=batch,
                      progress=progress).run(mark=mark, keep=keep)


def _sign_batch(job: tuple) -> dict:
    """Worker: parse, normalise and sign one batch; write its files; return its small metadata."""
    index, segments, text_field, id_field, sizes, num_perm, work = job
    parsed, read = [], 0
    for path, first, rows in segments:
        where = Path(path)
        for n, raw in enumerate(rows, first):
            got = parse_record(where, n, raw, text_field, id_field, normalised=False)
            if got is not None:
                read += 1
                parsed.append((path, n, got))
    texts = [got[2] for _, _, got in parsed if not isinstance(got, dict)]
    it = (x for part in text_runs(texts, NORMALISE_RUN) for x in normalise_many(part))
    ids, skipped, norms = [], [], []
    for path, n, got in parsed:  # skipped lines stay in input order
        if isinstance(got, dict):
            skipped.append(got)
            continue
        norm = next(it)
        if not norm:
            skipped.append(skipped_no_text(path, n, got[1], text_field))
            continue
        ids.append(got[1])
        norms.append(norm)
    compared = [x if len(x) >= MIN_CHARS else f"\x00{index}:{j}" for j, x in enumerate(norms)]

    sigs, *noisy = signatures_for(compared, sizes, num_perm)  # signed in runs of bounded size
    if noisy:  # the noisy-copy route's 3-gram signatures, beside the others
        noisy[0].tofile(f"{Path(work) / f'b{index:06d}'}.sig3")
    blobs = [x.encode("utf-8") for x in norms]
    offsets = np.concatenate(([0], np.cumsum([len(x) for x in blobs], dtype=np.int64)))
    stem = Path(work) / f"b{index:06d}"
    sigs.tofile(f"{stem}.sig")
    Path(f"{stem}.txt").write_bytes(b"".join(blobs))
    offsets.tofile(f"{stem}.off")
    np.array([len(x) for x in norms], dtype=np.int32).tofile(f"{stem}.len")
    np.array([int.from_bytes(hashlib.blake2b(x, digest_size=8).digest(), "little") for x in blobs],
             dtype=np.uint64).tofile(f"{stem}.h64")
    meta = {"read": read, "ids": ids, "skipped": skipped}
    tmp = Path(f"{stem}.json.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, f"{stem}.json")  # the batch counts as signed only once this file exists
    return {"index": index, **meta}


_STORES: dict[str, tuple] = {}


def _store(work: str, num_perm: int) -> tuple:
    """(signatures, texts, offsets) of a finished signing stage, memory-mapped once per process."""
    if work not in _STORES:
        w = Path(work)
        sigs = (np.memmap(w / "sigs.u32", dtype=np.uint32, mode="r").reshape(-1, num_perm)
                if (w / "sigs.u32").stat().st_size else np.zeros((0, num_perm), dtype=np.uint32))
        texts: mmap.mmap | bytes = b""
        if (w / "texts.bin").stat().st_size:  # mmap, not np.memmap: a slice is bytes, made in C (a memmap
            with (w / "texts.bin").open("rb") as fh:  # slice is an array object: a fifth of verifying)
                texts = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        _STORES[work] = (sigs, texts, np.fromfile(w / "offsets.i64", dtype=np.int64))
    return _STORES[work]


def _blob(texts, offsets: np.ndarray, i: int) -> bytes:
    """The UTF-8 bytes of document ``i``'s normalised text in the memory-mapped store."""
    return texts[int(offsets[i]):int(offsets[i + 1])]


def _verify_chunk(job: tuple) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Worker: (kind code, estimate) of each candidate pair and the reasons of those kept.

    Texts are read from the memory-mapped store.
    """
    work, params, pairs, routed = job
    num_perm = params.num_perm
    sigs, texts, offsets = _store(work, num_perm)
    est = estimated_jaccard(sigs, pairs).astype(np.float32)
    codes = np.zeros(len(pairs), dtype=np.int8)
    reasons = []
    for j, (a, b) in enumerate(pairs.tolist()):
        ta, tb = _blob(texts, offsets, a).decode("utf-8"), _blob(texts, offsets, b).decode("utf-8")
        if len(ta) < MIN_CHARS or len(tb) < MIN_CHARS:
            continue  # too short to compare: never clustered (the signature was a dummy's)
        kind, why = explain(ta, tb, float(est[j]), params, noisy_route=bool(routed[j]))
        codes[j] = KINDS.index(kind)
        if kind:
            reasons.append(why)
    return codes, est, reasons


class _ReasonSpool:
    """The verifier's reason of every kept pair, on disk for the report (:func:`_verified_reason`).

    ``reasons.txt`` holds them in the order the pairs were verified, ``reason_bounds.i64`` where
    each ends; :meth:`index` writes the kept pairs' codes (a × n + b) sorted (``kept.i64``) and the
    row of each (``kept_rows.i64``). At a million documents the reasons would hold about 100 MB as
    strings; spooled, each costs 24 bytes of index.
    """

    def __init__(self, work: Path) -> None:
        self.work = work
        self.fh = (work / "reasons.txt").open("wb")
        self.bounds = array("q", [0])

    def add(self, reasons: list[str]) -> None:
        data = [why.encode("utf-8") for why in reasons]
        self.fh.write(b"".join(data))
        for d in data:
            self.bounds.append(self.bounds[-1] + len(d))

    def index(self, pairs: np.ndarray, n: int) -> None:
        """Close the file and index ``pairs`` (the kept pairs, in the order their reasons came)."""
        self.fh.close()
        code = pairs[:, 0].astype(np.int64) * n + pairs[:, 1]
        order = np.argsort(code, kind="stable")
        code[order].tofile(self.work / "kept.i64")
        order.astype(np.int64).tofile(self.work / "kept_rows.i64")
        np.frombuffer(self.bounds, dtype=np.int64).tofile(self.work / "reason_bounds.i64")


_REASONS: dict[str, tuple] = {}


def _verified_reason(work: str, a: int, b: int, similarity: float, params: Params) -> str | None:
    """The verifier's reason for the pair (a, b) if it was verified in that order and kept.

    ``similarity``: the share of equal signature bins of the two, which the verifier read as a
    float32 estimate and the report reads rounded; the reason is kept only when both give the same
    verdict. None when the pair was not verified so (a member joined through another member, or the
    representative is the later document).
    """
    if work not in _REASONS:
        w = Path(work)
        blob = np.memmap(w / "reasons.txt", dtype=np.uint8, mode="r") if (w / "reasons.txt").stat().st_size else b""
        _REASONS[work] = (np.fromfile(w / "kept.i64", dtype=np.int64), np.fromfile(w / "kept_rows.i64", dtype=np.int64),
                          np.fromfile(w / "reason_bounds.i64", dtype=np.int64), blob)
    codes, rows, bounds, blob = _REASONS[work]
    _, _, offsets = _store(work, params.num_perm)
    code = a * (len(offsets) - 1) + b
    at = int(np.searchsorted(codes, code))
    if at == len(codes) or codes[at] != code:
        return None
    if not same_verdict(float(np.float32(similarity)), round(similarity, 3), params):
        return None
    row = int(rows[at])
    return bytes(blob[bounds[row]:bounds[row + 1]]).decode("utf-8")


def _member_chunk(job: tuple) -> list[dict]:
    """Worker: the report entry of each (member, representative) pair, ids left to the caller.

    A member verified against its representative keeps the verifier's reason for that pair instead
    of aligning the two again (on an archive where half the documents are copies, aligning them
    again was as long as verifying). An exact copy of another document (``twin``, else -1) takes
    the reason kept for that one: equal texts have equal signatures, so the verifier's words are
    the same.
    """
    work, params, pairs = job
    sigs, texts, offsets = _store(work, params.num_perm)
    out = []
    for i, rep, twin in pairs:
        similarity = float((sigs[i] == sigs[rep]).mean())
        reason = _verified_reason(work, rep, i, similarity, params)
        if reason is None and twin >= 0 and twin != rep:  # an exact copy was never banded: the document whose
            reason = _verified_reason(work, rep, twin, similarity, params)  # text it has was, and got these words
        m = member("", _blob(texts, offsets, i).decode("utf-8"), _blob(texts, offsets, rep).decode("utf-8"),
                   similarity, params, reason)
        del m["id"]
        out.append(m)
    return out


class _Streaming:
    """The document-level local engine: sign (parallel, resumable) -> band -> verify (parallel) -> write."""

    def __init__(self, paths: list[Path], out_path: Path, report_path: Path, params: Params, *, text_field: str,
                 id_field: str, workers: int, work_dir: Path | None, batch: int, progress: bool) -> None:
        self.paths, self.out_path, self.report_path, self.params = paths, out_path, report_path, params
        self.text_field, self.id_field, self.workers, self.batch = text_field, id_field, workers, batch
        self.work = work_dir or out_path.with_name(out_path.name + ".work")
        self.progress = progress
        self.report = DedupReport()

    def _pool(self):
        from concurrent.futures import ProcessPoolExecutor

        if self.workers <= 1:
            return None
        return ProcessPoolExecutor(max_workers=self.workers)

    def _chunk(self, total: int) -> int:
        """Pairs per job: at most ``CHUNK_PAIRS`` (bounded memory), and at least four jobs per worker.

        With 14k pairs in jobs of 5,000, two workers had three jobs: one idled through the last.
        """
        return max(MIN_CHUNK_PAIRS, min(CHUNK_PAIRS, -(-total // (4 * max(1, self.workers)))))

    def _map(self, pool, fn, jobs):
        """Results of ``fn`` over ``jobs`` in order, at most 2 × workers jobs in flight."""
        if pool is None:
            yield from map(fn, jobs)
            return
        from collections import deque

        pending: deque = deque()
        for job in jobs:
            pending.append(pool.submit(fn, job))
            if len(pending) >= 2 * self.workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def _prepare_work(self) -> None:
        state = {"inputs": [[str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns] for p in self.paths],
                 "text_field": self.text_field, "id_field": self.id_field, "k": self.params.k,
                 "num_perm": self.params.num_perm, "noisy": self.params.noisy, "batch": self.batch}
        state_file = self.work / "state.json"
        if self.work.exists() and not (state_file.exists() and json.loads(state_file.read_text()) == state):
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True, exist_ok=True)
        state_file.write_text(json.dumps(state))

    def _jobs(self, bar, done: set[int]):
        """Signing jobs for the batches not yet signed (rows of signed batches are read past).

        A job carries its rows as (file, first line number, raw lines) segments: a batch may run
        over the end of one file into the next.
        """
        def job(index: int, segments: list) -> tuple:
            return (index, segments, self.text_field, self.id_field, self.params.shingle_sizes, self.params.num_perm,
                    str(self.work))

        index, segments, count = 0, [], 0
        for path in self.paths:
            last = 0
            for first, rows, pos in read_blocks(path, self.batch):
                bar.update(pos - last)
                last = pos
                while rows:
                    take = rows[:self.batch - count]
                    segments.append((str(path), first, take))
                    count += len(take)
                    first, rows = first + len(take), rows[len(take):]
                    if count == self.batch:
                        if index not in done:
                            yield job(index, segments)
                        index, segments, count = index + 1, [], 0
        if segments and index not in done:
            yield job(index, segments)

    def sign(self, pool) -> list[dict]:
        """Stage 1: every batch signed (resuming), then the batches joined into one memory-mapped store."""
        from tqdm import tqdm

        self._prepare_work()
        _STORES.pop(str(self.work), None)
        _REASONS.pop(str(self.work), None)
        done = {int(f.name[1:7]) for f in self.work.glob("b*.json")}
        self.report.counts["batches_resumed"] = len(done)
        total = sum(p.stat().st_size for p in self.paths)
        with tqdm(total=total, unit="B", unit_scale=True, desc="sign", disable=not self.progress) as bar:
            try:
                for _ in self._map(pool, _sign_batch, self._jobs(bar, done)):
                    pass
            except KeyboardInterrupt:
                kept = len(list(self.work.glob("b*.json")))
                raise KeyboardInterrupt(f"interrupted: {kept} signed batches are kept in {self.work}; "
                                        "run the same command again to resume") from None
        metas = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(self.work.glob("b*.json"))]
        with (self.work / "sigs.u32").open("wb") as fs, (self.work / "texts.bin").open("wb") as ft, \
                (self.work / "sigs3.u32").open("wb") as f3:
            offsets, lengths, hashes, base = [np.zeros(1, dtype=np.int64)], [], [], 0
            for f in sorted(self.work.glob("b*.json")):
                stem = f.with_suffix("")
                fs.write(Path(f"{stem}.sig").read_bytes())
                if self.params.noisy:
                    f3.write(Path(f"{stem}.sig3").read_bytes())
                ft.write(Path(f"{stem}.txt").read_bytes())
                off = np.fromfile(f"{stem}.off", dtype=np.int64)
                offsets.append(off[1:] + base)
                base += int(off[-1])
                lengths.append(np.fromfile(f"{stem}.len", dtype=np.int32))
                hashes.append(np.fromfile(f"{stem}.h64", dtype=np.uint64))
        np.concatenate(offsets).tofile(self.work / "offsets.i64")
        self.lengths = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int32)
        self.hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
        return metas

    def run(self, *, mark: bool, keep: str) -> DedupReport:
        params, report = self.params, self.report
        t0 = time.perf_counter()
        with _maybe(self._pool()) as pool:
            metas = self.sign(pool)
            ids = [i for m in metas for i in m["ids"]]
            for m in metas:
                report.counts["read"] += m["read"]
                report.skipped.extend(m["skipped"])
            n = len(ids)
            t1 = time.perf_counter()
            sigs, texts, offsets = _store(str(self.work), params.num_perm)
            exact, unique = self._exact(texts, offsets)
            self.twin_of = np.full(n, -1, dtype=np.int64)  # the first document of an exact copy's text
            self.twin_of[exact[:, 1]] = exact[:, 0]
            pairs = unique[banded_pairs(sigs, params, unique)]
            routed = np.zeros(len(pairs), dtype=bool)
            if params.noisy and len(unique):
                sigs3 = np.memmap(self.work / "sigs3.u32", dtype=np.uint32, mode="r").reshape(-1, params.num_perm)
                local, routed = with_noisy_pairs(sigs3, np.searchsorted(unique, pairs), rows=unique)
                report.counts["noisy_route_pairs"] = len(local) - len(pairs)
                pairs = unique[local]
            t2 = time.perf_counter()
            chunk = self._chunk(len(pairs))
            jobs = ((str(self.work), params, pairs[c:c + chunk], routed[c:c + chunk])
                    for c in range(0, len(pairs), chunk))
            spool = _ReasonSpool(self.work)
            results = []
            for c, e, reasons in self._map(pool, _verify_chunk, jobs):
                results.append((c, e))
                spool.add(reasons)
            codes = np.concatenate([r[0] for r in results]) if results else np.zeros(0, dtype=np.int8)
            est = np.concatenate([r[1] for r in results]) if results else np.zeros(0, dtype=np.float32)
            kept_pairs = codes > 0
            spool.index(pairs[kept_pairs], n)
            report.counts["exact_duplicates"] = len(exact)
            report.counts["candidate_pairs"] = len(pairs)
            report.counts["candidate_pairs_rejected_by_alignment"] = int(((est >= params.threshold)
                                                                          & ~kept_pairs).sum())
            contained = np.concatenate([np.zeros(len(exact), dtype=bool),
                                        codes[kept_pairs] == KINDS.index("contained")])
            roots = components(n, np.concatenate([exact, pairs[kept_pairs]]), contained, self.lengths)
            t3 = time.perf_counter()
            rep_of = self._representatives(roots, keep)
            self._clusters(ids, rep_of, pool)
        self._write(ids, rep_of, mark)
        t4 = time.perf_counter()
        counts = report.counts
        counts["skipped"] = len(report.skipped)
        counts["documents"] = n
        counts["too_short_to_compare"] = int((self.lengths < MIN_CHARS).sum())
        counts["kept"] = int((rep_of == np.arange(n)).sum())
        counts["duplicates"] = n - counts["kept"]
        counts["clusters"] = len(report.clusters)
        report.seconds = {"read+normalise+shingle+sign": round(t1 - t0, 2), "band": round(t2 - t1, 2),
                          "verify+cluster": round(t3 - t2, 2), "write": round(t4 - t3, 2)}
        write_report(self.report_path, report, params, workers=self.workers)
        _STORES.pop(str(self.work), None)
        _REASONS.pop(str(self.work), None)
        shutil.rmtree(self.work, ignore_errors=True)
        return report

    def _exact(self, texts, offsets) -> tuple[np.ndarray, np.ndarray]:
        """(pairs of equal normalised texts, the documents left for LSH).

        An exact copy is paired with the first document of its text and not banded or aligned again:
        it would find the same pairs as that first one.
        """
        n = len(self.hashes)
        order = np.argsort(self.hashes, kind="stable")
        h = self.hashes[order]
        first = np.r_[True, h[1:] != h[:-1]] if n else np.zeros(0, dtype=bool)
        head = order[np.maximum.accumulate(np.where(first, np.arange(n), 0))] if n else order
        exact, unique = [], np.ones(n, dtype=bool)
        for a, b in zip(head[~first].tolist(), order[~first].tolist(), strict=True):
            same = _blob(texts, offsets, a) == _blob(texts, offsets, b)
            if same and self.lengths[a] >= MIN_CHARS:  # a hash collision, or too short: left to LSH
                exact.append((a, b))
                unique[b] = False
        return (np.array(exact, dtype=np.int64).reshape(-1, 2), np.flatnonzero(unique))

    def _representatives(self, roots: np.ndarray, keep: str) -> np.ndarray:
        n = len(roots)
        order = np.lexsort((np.arange(n), -self.lengths.astype(np.int64), roots)) if keep == "longest" else \
            np.lexsort((np.arange(n), roots))
        first = np.r_[True, roots[order][1:] != roots[order][:-1]] if n else np.zeros(0, dtype=bool)
        rep_of_root = np.zeros(int(roots.max()) + 1 if n else 0, dtype=np.int64)
        rep_of_root[roots[order][first]] = order[first]
        return rep_of_root[roots]

    def _clusters(self, ids: list[str], rep_of: np.ndarray, pool) -> None:
        """The report's clusters; each member's entry (kind, similarity, reason) made by the workers.

        The reason aligns the member with its representative again (the verifier's words, see
        :func:`~nlp_service.dedup.report.member`): at a million documents that is a quarter of the
        run, so it goes through the pool like the verification. The clusters go to a file as they
        are made (:class:`~nlp_service.dedup.report.ClusterSpool`), not into memory.
        """
        dup = np.flatnonzero(rep_of != np.arange(len(rep_of)))
        members: dict[int, list[int]] = {}
        for i in dup.tolist():
            members.setdefault(int(rep_of[i]), []).append(i)
        order = sorted(members, key=lambda r: min([r, *members[r]]))
        twin = self.twin_of.tolist()
        todo = [(i, rep, twin[i]) for rep in order for i in sorted([rep, *members[rep]]) if i != rep]
        chunk = self._chunk(len(todo))
        jobs = ((str(self.work), self.params, todo[c:c + chunk]) for c in range(0, len(todo), chunk))
        entries = (e for part in self._map(pool, _member_chunk, jobs) for e in part)  # in order, a few chunks ahead
        self.report.clusters = ClusterSpool(self.work / "clusters.json")
        for rep in order:
            group = sorted([rep, *members[rep]])
            self.report.clusters.append({"representative": ids[rep], "size": len(group), "members": [
                {"id": ids[i], **next(entries)} for i in group if i != rep]})

    def _write(self, ids: list[str], rep_of: np.ndarray, mark: bool) -> None:
        """Stage 3: a second pass over the inputs, in order, writing the kept (or marked) records."""
        skipped = {(s["file"], s["line"]) for s in self.report.skipped}
        rep = rep_of.tolist()  # Python ints: indexing numpy one element at a time showed in profiles
        with RecordWriter(self.out_path) as out:
            g = 0
            for path in self.paths:
                name = str(path)
                for n, raw, _ in read_rows(path):
                    if (name, n) in skipped or (isinstance(raw, bytes) and not raw.strip()):
                        continue
                    is_dup = rep[g] != g
                    if mark:
                        rec = raw if isinstance(raw, dict) else orjson.loads(raw)
                        out.add({**rec, "duplicate_of": ids[rep[g]] if is_dup else None})
                    elif not is_dup:
                        out.add(raw)  # a kept JSON line is copied as it was read
                    g += 1


class _maybe:
    """``with`` for an optional executor."""

    def __init__(self, pool) -> None:
        self.pool = pool

    def __enter__(self):
        return self.pool

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)


def _dedup_in_memory(paths: list[Path], out_path: Path, report_path: Path, params: Params, *,
                     text_field: str, id_field: str, mark: bool, keep: str, level: str, strip: bool) -> DedupReport:
    """Paragraph level (and ``both``): every record in memory."""
    report = DedupReport()
    t0 = time.perf_counter()
    records = read_records(paths, text_field, id_field, report)
    t1 = time.perf_counter()
    norms = [x for _, _, x in records]
    report.counts["too_short_to_compare"] = sum(len(x) < MIN_CHARS for x in norms)
    rep_of = list(range(len(records)))
    res = None
    if level != "paragraph":
        sigs, compared, sigs3 = _signatures(norms, params)
        t2 = time.perf_counter()
        res = cluster_signatures(sigs, compared, params, sigs3)
        for group in _groups(res.cluster).values():
            rep = max(group, key=lambda i: (len(norms[i]), -i)) if keep == "longest" else group[0]
            for i in group:
                rep_of[i] = rep
            if len(group) > 1:
                report.clusters.append({"representative": records[rep][1], "size": len(group), "members": [
                    member(records[i][1], norms[i], norms[rep], float((sigs[i] == sigs[rep]).mean()), params)
                    for i in group if i != rep]})
    else:
        t2 = t1
    t3 = time.perf_counter()
    if level != "document":
        paragraphs([r for i, r in enumerate(records) if rep_of[i] == i], text_field, params, report, strip)
    t4 = time.perf_counter()
    if mark:
        out = [{**rec, "duplicate_of": records[rep_of[i]][1] if rep_of[i] != i else None}
               for i, (rec, _, _) in enumerate(records)]
    else:
        out = [rec for i, (rec, _, _) in enumerate(records) if rep_of[i] == i]
    write_records(out_path, out)
    report.counts["documents"] = len(records)
    report.counts["kept"] = sum(rep_of[i] == i for i in range(len(records)))
    report.counts["duplicates"] = len(records) - report.counts["kept"]
    report.counts["clusters"] = len(report.clusters)
    report.counts["candidate_pairs_rejected_by_alignment"] = res.rejected if res else 0
    report.seconds = {"read+normalise": round(t1 - t0, 2), "shingle+sign": round(t2 - t1, 2),
                      "band+verify+cluster": round(t3 - t2, 2), "paragraphs": round(t4 - t3, 2),
                      "write": round(time.perf_counter() - t4, 2)}
    write_report(report_path, report, params, level=level)
    return report
