"""Command line: ``nlp-service extract FILE|- [--json]`` and ``nlp-service serve``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from nlp_service.errors import ErrorCode, InputError

EXIT_INPUT_ERROR = 2


def read_input(source: str, max_bytes: int) -> str:
    """Read a file (or ``-`` for stdin) as UTF-8 text, enforcing the size limit."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(source)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(ErrorCode.TOO_LARGE, f"The input is over the limit of {max_bytes:,} bytes "
                                              "(set NLPS_MAX_INPUT_BYTES to raise it).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(ErrorCode.NOT_UTF8, f"Byte {exc.start} is not valid UTF-8. "
                                             + ErrorCode.NOT_UTF8.kind.advice) from None


def _summary(result: dict) -> str:
    paras = result["paragraphs"]
    counts = {s: sum(p["status"] == s for p in paras) for s in ("kept", "duplicate", "merged")}
    lines = [
        f"title:      {result['title'] or '-'}",
        f"id:         {result['id']}",
        f"paragraphs: {len(paras)} in input -> {counts['kept']} kept, {counts['duplicate']} duplicate, "
        f"{counts['merged']} merged",
        f"sentences:  {len(result['sentences'])}",
        f"words:      {sum(len(s.get('tokens', [])) for s in result['sentences'])}",
        f"clean text: {len(result['clean_text'])} characters",
        f"script:     {result['meta']['script']}"
        + (" (converted to simplified)" if result["meta"]["converted_to_simplified"] else ""),
    ]
    for p in paras:
        if p["status"] == "duplicate":
            lines.append(f"  [{p['index']}] duplicate ({p['duplicate_kind']}, {p['similarity']}) of "
                         f"[{p['duplicate_of']}]: {p['input_text'][:30]}")
        elif p["status"] == "merged":
            lines.append(f"  [{p['index']}] merged into [{p['merged_into']}] ({', '.join(p['evidence'])}): "
                         f"{p['input_text'][:30]}")
    lines.append(f"indicators: {len(result['indicators'])}")
    lines.append(f"slogans:    {len(result['slogans'])}: "
                 + "、".join(s["text"] for s in sorted(result["slogans"], key=lambda s: -s["count"])[:8]))
    lines.append(f"commitments: {len(result['commitments'])}")
    for c in result["commitments"][:5]:
        lines.append(f"  {c['text'][:40]}  [{c['actor'] or '-'} | {c['modality'] or '-'} | {c['deadline'] or '-'}]")
    lines.append(f"entities:   {len(result['entities'])}: "
                 + "、".join(f"{e['text']}({e['type']})" for e in result["entities"][:8]))
    lines.append("topics:     " + ("、".join(f"{t['label']} {t['score']:.2f}" for t in result["topics"]) or "-"))
    lines.append(f"elapsed:    {result['meta']['elapsed_ms']} ms")
    return "\n".join(lines)


def service_pipeline(settings: Any, clause_model: str | None = None, *, topics: bool = True) -> Any:
    """:func:`nlp_service.pipeline.service_pipeline`, imported when a command needs it (not for ``--help``)."""
    from nlp_service.pipeline import service_pipeline as build

    return build(settings, clause_model, topics=topics)


def cmd_extract(args: argparse.Namespace) -> int:
    """Run the pipeline on one file and print JSON or a summary."""
    from nlp_service.contract import to_v1
    from nlp_service.pipeline import components_for, parse_tasks
    from nlp_service.settings import get_settings

    settings = get_settings()
    try:
        text = read_input(args.file, settings.max_input_bytes)
        try:
            tasks = parse_tasks(args.components)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INPUT_ERROR
        needs_topics = tasks is None or "topics.v1" in components_for(tasks)  # no model load when unneeded
        pipeline = service_pipeline(settings, topics=needs_topics).for_tasks(tasks)
        start = time.perf_counter()
        article = pipeline.extract(text, id=args.id, title=args.title, published=args.published,
                                   issuer=args.issuer)
        result = to_v1(article, (time.perf_counter() - start) * 1000, include_tokens=not args.no_tokens)
    except InputError as exc:
        print(f"error [{exc.code.kind.code}]: {exc.detail}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=None if args.compact else 2)
        sys.stdout.write("\n")
    else:
        print(_summary(result))
    return 0


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the HTTP API with uvicorn."""
    import uvicorn

    from nlp_service.api.app import create_app
    from nlp_service.settings import get_settings

    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    workers = args.workers or settings.workers
    if not settings.api_keys and not _loopback(host):
        print(f"WARNING: nlp_service listens on {host}, beyond loopback, and NLPS_API_KEYS is not set: anyone who "
              "reaches this port can write to the store. Set NLPS_API_KEYS (and NLPS_API_KEYS_FOR_READS to "
              "protect reads).", file=sys.stderr)
    if workers == 1:
        from nlp_service.api.metrics import log_requests
        from nlp_service.api.serve import limit_malloc_arenas

        limit_malloc_arenas()
        log_requests(args.log_level)
        uvicorn.run(create_app(settings), host=host, port=port, log_level=args.log_level, access_log=False)
        return 0
    from nlp_service.api.serve import serve

    return serve(host, port, workers, args.log_level)  # each process loads the models from the environment


def cmd_eval(args: argparse.Namespace) -> int:
    """Score the pipeline on the gold files: indicators and slogans (commitments: ``--commitments``)."""
    from nlp_service.contract import to_v1
    from nlp_service.evaluation import (
        HEADER,
        SET_HEADER,
        Score,
        SetScore,
        load_gold,
        score_indicators,
        score_slogans,
    )
    from nlp_service.settings import get_settings

    if args.search:
        return _eval_search(args)
    if args.split == "val" and not args.commitments:
        raise SystemExit("--split val: the validation excerpts of commitments only (with --commitments)")
    if args.tracking:
        return _eval_tracking(args)
    if args.slogans:
        return _eval_slogans(args)
    if args.commitments:
        return _eval_commitments(args)
    if args.issuers:
        return _eval_issuers(args)
    paths = [Path(p) for p in args.gold] or sorted(Path("corpus/gold/indicators").glob("*.json"))
    golds = load_gold(paths, args.split)
    if not golds:
        print("no gold files found", file=sys.stderr)
        return EXIT_INPUT_ERROR
    settings = get_settings()
    pipeline = service_pipeline(settings, args.clause_model)
    results = {}
    for path, gold in golds:
        art = pipeline.extract(gold["text"], title=gold.get("title"), published=gold.get("published"))
        results[path] = to_v1(art, 0.0, include_tokens=False)
    total = Score()
    print(f"indicators, split={args.split}")
    print(HEADER)
    for path, gold in golds:
        sc = score_indicators(gold, results[path]["indicators"])
        total.add(sc)
        print(sc.row(f"{gold['id']} [{gold.get('split')}]"))
        if args.verbose:
            for m in sc.misses:
                print(f"    miss: {m}")
            for f in sc.false_positives:
                print(f"    false positive: {f}")
    print(total.row("ALL"))
    # commitments have their own gold and scorer (guide commitments-v2): `nlp-service eval --commitments`
    for task in ("slogans",):
        print(f"\n{task}, split={args.split}, clause model={pipeline.model_names['commitments']}")
        print(SET_HEADER)
        total_set = SetScore()
        for path, gold in golds:
            extra = path.parent.parent / "commitments" / path.name
            if not extra.exists():
                continue
            set_score = score_slogans(json.loads(extra.read_text(encoding="utf-8")), results[path][task])
            total_set.add(set_score)
            print(set_score.row(f"{gold['id']} [{gold.get('split')}]"))
            if args.verbose:
                for m in set_score.misses:
                    print(f"    miss: {m}")
                for w in set_score.wrong:
                    print(f"    not in gold: {w}")
                for h in set_score.hard_errors:
                    print(f"    HARD ERROR: {h}")
        print(total_set.row("ALL"))
    return 0


def _eval_commitments(args: argparse.Namespace) -> int:
    """P/R/F1 and field accuracy on the commitments-v2 excerpts (corpus/README.md §7), per kind and in all.

    The test split is scored once per clause-model version: ``--record`` writes the figures into
    the model's metrics.json and refuses when that version already has test figures.
    """
    from nlp_service.evaluation import COMMITMENT_HEADER, commitment_summary, evaluate_commitments
    from nlp_service.models.clauses import MODELS_DIR, SklearnClassifier, record_excerpt_scores
    from nlp_service.settings import get_settings

    settings = get_settings()
    pipeline = service_pipeline(settings, args.clause_model)
    model = pipeline.model_names["commitments"]
    kind_thresholds = dict(_kind_threshold(x) for x in args.kind_threshold or [])
    if args.threshold is not None or kind_thresholds:
        clf = pipeline.resources.clause_classifier
        if not isinstance(clf, SklearnClassifier):
            raise SystemExit("--threshold applies to the scikit-learn clause model (--clause-model sklearn)")
        if args.threshold is not None:
            clf.threshold = args.threshold
        clf.kind_thresholds.update(kind_thresholds)
    if args.record and args.split.startswith("test"):
        record_excerpt_scores(model, None, MODELS_DIR, check_only=True, split=args.split)
    result = evaluate_commitments(pipeline, args.split, verbose=args.verbose)
    print(f"commitments-v2, split={args.split}, clause model={model}")
    print(COMMITMENT_HEADER)
    for line in result["lines"] or [sc.row(name) for name, sc in result["files"].items()]:
        print(line)
    for kind, sc in sorted(result["kinds"].items()):
        print(sc.row(f"kind: {kind}"))
    print(result["total"].row("ALL"))
    if args.record:
        path = record_excerpt_scores(model, {args.split: commitment_summary(result)}, MODELS_DIR,
                                     threshold=args.threshold, kind_thresholds=kind_thresholds or None)
        print(f"recorded in {path}")
    return 0


def _eval_issuers(args: argparse.Namespace) -> int:
    """The document author the commitment actors fall back on, against the department each record names."""
    from nlp_service.evaluation import ISSUER_SOURCE, evaluate_issuers
    from nlp_service.settings import get_settings

    r = evaluate_issuers(service_pipeline(get_settings(), args.clause_model), verbose=args.verbose)
    print(f"issuers of {ISSUER_SOURCE}: {r['documents']} documents with a department in corpus/issuers "
          f"({r['unmapped']} without, {r['held_out']} test documents of the commitment gold left out)")
    print(f"right {r['right']}, wrong {r['wrong']}, none {r['none']}: precision {r['precision']:.3f}, "
          f"recall {r['recall']:.3f}")
    for line in r["lines"]:
        print(line)
    return 0


def _kind_threshold(text: str) -> tuple[str, float]:
    """``KIND=T`` of ``--kind-threshold`` as (kind, threshold)."""
    kind, sep, value = text.partition("=")
    try:
        t = float(value)
    except ValueError:
        t = -1.0
    if not sep or not kind or not 0.0 <= t <= 1.0:
        raise SystemExit(f"--kind-threshold wants KIND=T with T from 0 to 1, not {text!r}")
    return kind, t


def cmd_train(args: argparse.Namespace) -> int:
    """Train a model (arguments after the task go to its trainer; ``--help`` lists them)."""
    if args.task == "clauses":
        from nlp_service.training.clauses import main as train_main
    elif args.task == "topics":
        from nlp_service.training.topics import main as train_main
    elif args.task == "quotes":
        from nlp_service.training.quotes import main as train_main
    elif args.task == "verifier":
        from nlp_service.training.verifier import main as train_main
    else:
        from nlp_service.training.pretrain import main as train_main
    train_main(args.rest)
    return 0



def _eval_tracking(args: argparse.Namespace) -> int:
    """Score tracking on one split of corpus/tracking; ``--record`` keeps the figures (test: once per version)."""
    from nlp_service.settings import get_settings
    from nlp_service.tracking.evaluate import record, score

    if args.split not in ("train", "dev", "test"):
        print("error: tracking splits are train, dev and test", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.verbose and args.split == "test":
        print("error: the test years' errors are not listed (score them, do not read them)", file=sys.stderr)
        return EXIT_INPUT_ERROR

    def run() -> Any:
        result = score(service_pipeline(get_settings()), args.split)
        print(f"tracking, split={args.split}")
        print("\n".join(result.lines()))
        if args.verbose:
            print(f"found targets linked or settled wrongly: {len(result.errors)}")
            print("\n".join(f"  {e}" for e in result.errors))
        return result

    return _scored_once(args, lambda result, check_only=False: record(args.split, result, check_only=check_only),
                        run)


def _eval_slogans(args: argparse.Namespace) -> int:
    """P/R of slogans on the quoted spans of corpus/slogans; ``--record`` keeps them (test: once per version)."""
    from nlp_service.settings import get_settings
    from nlp_service.slogan_eval import record, score

    if args.split not in ("dev", "test"):
        print("error: the slogan splits are dev and test", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.verbose and args.split == "test":
        print("error: the blind test split's errors are not listed (score it, do not read it)", file=sys.stderr)
        return EXIT_INPUT_ERROR
    pipeline = service_pipeline(get_settings())
    version = pipeline.model_names["slogans"]  # rules, lexicon and learned filter: any change is a new version

    def run() -> Any:
        result = score(pipeline, args.split)
        print(f"slogans ({version}), split={args.split}")
        print("\n".join(result["all"].lines()))
        if result["unseen"].summary() != result["all"].summary():
            print("items the rule writer never saw:")
            print("\n".join(result["unseen"].lines()))
        if args.verbose:
            print("\n".join(f"    {e}" for e in result["all"].errors))
        return result

    return _scored_once(args, lambda result, check_only=False: record(args.split, result, version,
                                                                      check_only=check_only), run)


def _scored_once(args: argparse.Namespace, keep: Any, run: Any) -> int:
    """Score with ``run``; with ``--record`` keep the figures by ``keep``.

    A test split this version has been scored on is refused before scoring (``scores.AlreadyScored``).
    """
    from nlp_service.scores import AlreadyScored

    try:
        if args.record:
            keep(None, check_only=True)
        result = run()
        if args.record:
            print(f"recorded in {keep(result)}")
    except AlreadyScored as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    return 0


def _eval_search(args: argparse.Namespace) -> int:
    """recall@10, P@10, nDCG@10 of commitment search against corpus/search_gold.jsonl."""
    from nlp_service.segment.words import WordSegmenter
    from nlp_service.settings import get_settings
    from nlp_service.store import open_store
    from nlp_service.store.evaluate import evaluate

    settings = get_settings()
    gold = Path(args.search)
    if not gold.exists():
        print(f"error: {gold} not found", file=sys.stderr)
        return EXIT_INPUT_ERROR
    out = evaluate(open_store(args.database or settings.database_url), WordSegmenter(settings.tokenizer), gold)
    print("| query | filters | matches | relevant judged | recall@10 | P@10 | nDCG@10 |")
    print("|---|---|---|---|---|---|---|")
    gold_rows = {g["qid"]: g for g in map(json.loads, gold.read_text(encoding="utf-8").splitlines())}
    for r in out["queries"]:
        fmt = [f"{r[m]:.3f}" if r[m] is not None else "-" for m in ("recall@10", "P@10", "nDCG@10")]
        filters = json.dumps(gold_rows[r["qid"]].get("filters") or {}, ensure_ascii=False)
        print(f"| {r['q']} | {filters} | {r['matches']} | {r['relevant_judged']} | " + " | ".join(fmt) + " |")
    m, t = out["mean"], out["two_char"]
    print(f"mean over {out['n']} queries: recall@10 {m['recall@10']:.3f}, P@10 {m['P@10']:.3f}, "
          f"nDCG@10 {m['nDCG@10']:.3f}")
    print(f"2-character queries ({out['n_two_char']}): recall@10 {t['recall@10']:.3f}, P@10 {t['P@10']:.3f}, "
          f"nDCG@10 {t['nDCG@10']:.3f}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Extract and store every article of the given files and folders; print the counts."""
    from nlp_service.settings import get_settings
    from nlp_service.store import StoreError, open_store
    from nlp_service.store.ingest import ingest

    settings = get_settings()
    url = args.database or settings.database_url
    try:
        store = open_store(url)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    paths = [Path(p) for p in args.paths]
    if args.engine == "spark":
        report = _ingest_spark(args, paths, store, settings)
        if report is None:
            return EXIT_INPUT_ERROR
    else:
        pipeline = service_pipeline(settings)
        report = ingest(paths, store, pipeline, progress=not args.quiet, max_bytes=settings.max_input_bytes,
                        workers=args.workers)
    print(report.line())
    print(f"store {url}: " + ", ".join(f"{k} {v}" for k, v in store.counts().items()))
    return 0 if report.counts["failed"] == 0 or report.counts["read"] > report.counts["failed"] else 1



def _ingest_spark(args: argparse.Namespace, paths: list[Path], store, settings):
    """The Spark engine's report, or None after printing why it cannot run."""
    import tempfile

    try:
        from nlp_service.store.spark_ingest import ingest_spark
    except ImportError as exc:
        print(f"error: the Spark engine needs pyspark and Java: pip install 'nlp-service[spark]' ({exc})",
              file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory(prefix="nlps-ingest-") as scratch:
        try:
            return ingest_spark(paths, store, args.out or scratch, tokenizer=settings.tokenizer,
                                clause_model=settings.clause_model, topic_model=settings.topic_model,
                                slogan_model=settings.slogan_model, max_bytes=settings.max_input_bytes,
                                master=args.master, progress=not args.quiet)
        except ValueError as exc:  # a text or HTML input
            print(f"error: {exc}", file=sys.stderr)
            return None


def cmd_track(args: argparse.Namespace) -> int:
    """Stored targets with their status and evidence: a table, or with ``--json`` a list of objects."""
    from nlp_service.settings import get_settings
    from nlp_service.store import StoreError, open_store
    from nlp_service.tracking.service import as_json, tracked_targets

    try:
        store = open_store(args.database or get_settings().database_url)
        items = as_json(tracked_targets(store, region=args.region, year=args.year, metric=args.metric,
                                        status=args.status), store)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    print(f"{'due':<5} {'region':<6} {'status':<12} {'target':<34} {'outcome':<30} reason")
    for it in items:
        c, ev = it["commitment"], it["evidence"]
        print(f"{c['due'] or '':<5} {(c['region'] or '')[:6]:<6} {it['status']:<12} {c['figure'][:34]:<34} "
              f"{(ev[0]['text'] if ev else '')[:30]:<30} {it['reason']}")
    counts = {s: sum(it["status"] == s for it in items) for s in ("met", "not_met", "no_evidence", "not_due")}
    print(f"{len(items)} targets: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0

def cmd_search(args: argparse.Namespace) -> int:
    """Search stored commitments and print the hits (or the JSON page)."""
    from nlp_service.segment.words import WordSegmenter
    from nlp_service.settings import get_settings
    from nlp_service.store import CommitmentQuery, StoreError, open_store

    settings = get_settings()
    try:
        store = open_store(args.database or settings.database_url)
        page = store.search_commitments(CommitmentQuery(
            q=args.query, region=args.region, year=args.year, topic=args.topic, actor=args.actor,
            deadline_before=args.deadline_before, deadline_after=args.deadline_after, cursor=args.cursor,
            limit=args.limit), WordSegmenter(settings.tokenizer))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.json:
        json.dump({"total": page.total, "hits": page.hits, "facets": page.facets, "next_cursor": page.next_cursor},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{page.total} commitments")
    for name, counts in page.facets.items():
        if counts:
            print(f"  by {name}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[:8]))
    for h in page.hits:
        a = h["article"]
        fields = " | ".join(x or "-" for x in (h["actor"], h["modality"], h["deadline"]))
        title = f" 《{a['title'][:40]}》" if a["title"] else ""
        print(f"- {h['snippet'].replace('<mark>', '【').replace('</mark>', '】')}\n    [{fields}] "
              f"{h['region'] or '-'} {h['year'] or '-'}{title}")
    if page.next_cursor:
        print(f"more: --cursor {page.next_cursor}")
    return 0


def cmd_dedup(args: argparse.Namespace) -> int:
    """Exact and near duplicates across archives: documents or paragraphs, local or Spark engine."""
    from nlp_service.dedup.engine import ENGINES
    from nlp_service.dedup.minhash import Params

    try:
        params = Params(threshold=args.threshold, k=args.k, verifier=args.verifier, noisy=not args.no_noisy_route)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        print(f"error: not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if args.strip and args.level == "document":
        print("error: --strip works on paragraphs: add --level paragraph or both", file=sys.stderr)
        return EXIT_INPUT_ERROR
    paths = [Path(p) for p in args.inputs]
    if args.engine == "spark":
        if args.level != "document":
            print("error: the Spark engine works at document level (--level document)", file=sys.stderr)
            return EXIT_INPUT_ERROR
        engine = ENGINES["spark"](master=args.master)
        try:
            rep = engine(paths, Path(args.out), Path(args.report), params, text_field=args.text_field,
                         id_field=args.id_field, mark=args.mark, keep=args.keep)
        except ImportError as exc:
            print(f"error: the Spark engine needs pyspark and Java: pip install 'nlp-service[spark]' ({exc})",
                  file=sys.stderr)
            return EXIT_INPUT_ERROR
        except ValueError as exc:  # e.g. Parquet input, which the Spark engine does not read
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INPUT_ERROR
    else:
        engine = ENGINES["local"](level=args.level, strip=args.strip, workers=args.workers,
                                  work_dir=Path(args.work_dir) if args.work_dir else None, progress=not args.quiet)
        try:
            rep = engine(paths, Path(args.out), Path(args.report), params, text_field=args.text_field,
                         id_field=args.id_field, mark=args.mark, keep=args.keep)
        except KeyboardInterrupt as exc:
            print(f"\n{exc or 'interrupted'}", file=sys.stderr)
            return 130
    c = rep.counts
    line = (f"read {c['read']}, skipped {c['skipped']}, documents {c['documents']}, kept {c['kept']}, "
            f"duplicates {c['duplicates']} in {c['clusters']} clusters")
    if args.level != "document":
        line += (f"; paragraphs {c['paragraphs']}, repeated {c['repeated_paragraphs']} "
                 f"in {c['paragraph_clusters']} clusters")
    print(f"{line}; seconds {rep.seconds}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(prog="nlp-service", description="Chinese policy-text extraction service.")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract one article (a UTF-8 text or HTML file, or - for stdin)")
    ex.add_argument("file")
    ex.add_argument("--json", action="store_true", help="print the v1 JSON result instead of a summary")
    ex.add_argument("--compact", action="store_true", help="with --json: one line, no indentation")
    ex.add_argument("--no-tokens", action="store_true", help="leave word tokens out of the sentences")
    ex.add_argument("--components", metavar="TASKS",
                    help="comma-separated tasks to run, with what they require (default: all): "
                         "indicators, slogans, entities, topics, commitments, region, year")
    ex.add_argument("--id")
    ex.add_argument("--title")
    ex.add_argument("--published", help="publication date, YYYY-MM-DD")
    ex.add_argument("--issuer", help="who issued the document: the actor of its commitments when the text names none")
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser("eval", help="score extraction against gold files (default: corpus/gold/indicators)")
    ev.add_argument("gold", nargs="*", help="gold JSON files")
    ev.add_argument("--split", choices=["train", "dev", "val", "test", "test-b", "test-c", "all"], default="dev",
                    help="val: commitment excerpts labelled after the rules of a version and held back from them")
    ev.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    ev.add_argument("--clause-model", choices=["rules", "sklearn", "charbert"], help="default NLPS_CLAUSE_MODEL")
    ev.add_argument("--commitments", action="store_true",
                    help="score commitments on the corpus/gold/commitments-v2 excerpts (whole documents extracted)")
    ev.add_argument("--threshold", type=float, metavar="T",
                    help="with --commitments: label a clause a commitment when its probability reaches T "
                         "(scikit-learn; chosen on the dev split and stored there with --record)")
    ev.add_argument("--kind-threshold", action="append", metavar="KIND=T",
                    help="with --commitments: a document kind's own threshold (news=0.35; repeatable; "
                         "chosen on the dev or val split, stored with a dev --record)")
    ev.add_argument("--record", action="store_true",
                    help="with --commitments: write the figures into the clause model's metrics.json "
                         "(the test split: once per model version)")
    ev.add_argument("--search", nargs="?", const="corpus/search_gold.jsonl", metavar="GOLD",
                    help="score commitment search instead (default gold corpus/search_gold.jsonl)")
    ev.add_argument("--database", help="with --search: default NLPS_DATABASE_URL")
    ev.add_argument("--tracking", action="store_true",
                    help="score commitment tracking on corpus/tracking (target→outcome links and statuses); "
                         "with --record the figures go to corpus/tracking/scores.json (test: once per version)")
    ev.add_argument("--issuers", action="store_true",
                    help="score the issuer a document's commitments fall back on against the department its "
                         "record names (policy documents with English metadata; corpus/issuers, silver labels)")
    ev.add_argument("--slogans", action="store_true",
                    help="score slogans on the quoted spans of corpus/slogans (guide slogans-v2; dev or test); "
                         "with --record the figures go to corpus/slogans/scores.json (test: once per version)")
    ev.set_defaults(func=cmd_eval)

    tr = sub.add_parser("train", help="train a model: clauses (classifiers), topics, quotes (the slogan filter), "
                        "pretrain (char-BERT MLM), or verifier (the dedup pair verifier)")
    tr.add_argument("task", choices=["clauses", "topics", "quotes", "pretrain", "verifier"])
    tr.add_argument("rest", nargs=argparse.REMAINDER, help="options of the trainer (see `train TASK --help`)")
    tr.set_defaults(func=cmd_train)

    ing = sub.add_parser("ingest", help="extract and store articles: files, folders, .jsonl/.jsonl.gz (one per line)")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--database", help="default NLPS_DATABASE_URL or sqlite:///data/nlp_service.db")
    ing.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    ing.add_argument("--engine", choices=["local", "spark"], default="local",
                     help="spark: extract on Spark (JSON Lines inputs), write Parquet to --out, then load the store")
    ing.add_argument("--master", default="local[*]", help="Spark master for --engine spark (spark://host:7077)")
    ing.add_argument("--out", help="with --engine spark: keep the Parquet tables here (articles, commitments, "
                     "indicators)")
    ing.add_argument("--workers", type=int, default=1,
                     help="extraction processes, forked after the models are loaded (one writer; default 1)")
    ing.set_defaults(func=cmd_ingest)

    tr = sub.add_parser("track", help="stored targets and whether later articles report them met")
    tr.add_argument("--database", help="default NLPS_DATABASE_URL or sqlite:///data/nlp_service.db")
    tr.add_argument("--region", help="region of the target's article (上海, 全国 …)")
    tr.add_argument("--year", type=int, help="the year the target is due")
    tr.add_argument("--metric", help="metric key (gdp_growth, cpi …) or words of the metric")
    tr.add_argument("--status", choices=["met", "not_met", "partly_met", "no_evidence", "not_due"])
    tr.add_argument("--json", action="store_true", help="print a JSON list of objects")
    tr.set_defaults(func=cmd_track)

    se = sub.add_parser("search", help="search stored commitments (Chinese full text + filters)")
    se.add_argument("query", nargs="?", default=None)
    se.add_argument("--database", help="default NLPS_DATABASE_URL or sqlite:///data/nlp_service.db")
    se.add_argument("--region")
    se.add_argument("--year", type=int)
    se.add_argument("--topic")
    se.add_argument("--actor")
    se.add_argument("--deadline-before", type=int)
    se.add_argument("--deadline-after", type=int)
    se.add_argument("--limit", type=int, default=10)
    se.add_argument("--cursor")
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=cmd_search)

    dd = sub.add_parser("dedup", help="exact and near duplicates across .jsonl/.jsonl.gz/.parquet archives")
    dd.add_argument("inputs", nargs="+")
    dd.add_argument("--out", required=True, help="deduplicated records (.jsonl, .jsonl.gz or .parquet)")
    dd.add_argument("--report", required=True, help="clusters and skipped lines (JSON)")
    dd.add_argument("--threshold", type=float, default=0.3,
                    help="5-gram Jaccard from which pairs are proposed and aligned "
                         "(default 0.3, chosen on the synthetic benchmark)")
    dd.add_argument("--k", type=int, default=5, help="character shingle length")
    dd.add_argument("--verifier", choices=["learned", "rules"], default="learned",
                    help="who decides a candidate pair: the learned model (models/dedup-verifier) with the rules' "
                         "template signs on top (default), or the alignment rules alone (faster on archives "
                         "with many near pairs)")
    dd.add_argument("--no-noisy-route", action="store_true",
                    help="no second candidate route on character 3-grams (it finds copies noisy all over, "
                         "at about 1.4x the time)")
    dd.add_argument("--level", choices=["document", "paragraph", "both"], default="document")
    dd.add_argument("--engine", choices=["local", "spark"], default="local")
    dd.add_argument("--text-field", default="text")
    dd.add_argument("--id-field", default="id")
    dd.add_argument("--keep", choices=["earliest", "longest"], default="earliest")
    dd.add_argument("--mark", action="store_true", help="keep every record, with a duplicate_of field")
    dd.add_argument("--strip", action="store_true",
                    help="with --level paragraph/both: remove repeated paragraphs after their first occurrence")
    dd.add_argument("--master", default="local[*]", help="Spark master for --engine spark (spark://host:7077)")
    dd.add_argument("--workers", type=int, default=None, help="signing and verifying processes (default: every core)")
    dd.add_argument("--work-dir", help="signed batches, kept for resuming until the run succeeds (default OUT.work)")
    dd.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    dd.set_defaults(func=cmd_dedup)

    sv = sub.add_parser("serve", help="start the HTTP API")
    sv.add_argument("--host", help="default NLPS_HOST or 127.0.0.1")
    sv.add_argument("--port", type=int, help="default NLPS_PORT or 8000")
    sv.add_argument("--log-level", default="info")
    sv.add_argument("--workers", type=int, help="processes sharing the port (default NLPS_WORKERS or the core count)")
    sv.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nlp-service`` command."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # the reader went away (`nlp-service extract a.txt --json | head`): stop quietly, as Unix tools do;
        # stdout is pointed at devnull so that the interpreter's final flush does not raise again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a command a pipe closed


if __name__ == "__main__":
    sys.exit(main())
