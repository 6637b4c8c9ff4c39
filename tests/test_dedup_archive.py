"""Archive dedup (issue 7, local engine): the kernel's verdicts on real kinds of copies, and the CLI's accounting."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SAMPLE, SHARED, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp_service.clean.repeats import NUMERAL
from nlp_service.cli import main
from nlp_service.dedup.archive import dedup
from nlp_service.dedup.minhash import Params, find_duplicates, normalise, shingles, signature, verify

STORY = ("国务院总理李强31日上午在北京人民大会堂举行仪式，欢迎西班牙首相桑切斯对我国进行正式访问。"
         "李强在人民大会堂东门外广场为桑切斯举行欢迎仪式。两国领导人登上检阅台，军乐团奏中西两国国歌，"
         "鸣放礼炮19响。随后，双方举行会谈，就深化经贸、科技、人文等领域合作交换意见。")
TEMPLATED = STORY.replace("西班牙首相桑切斯", "新加坡总理李显龙").replace("31日", "1日").replace("中西", "中新")


def _ocr(text: str, rate: float, seed: int) -> str:
    """Scattered one-character substitutions, like OCR noise (never of a numeral: a changed figure is
    different content for the verifier, and never next to another edit)."""
    rng = random.Random(seed)
    chars = list(text)
    for i, ch in enumerate(chars):
        if ("\u4e00" <= ch <= "\u9fff" and not NUMERAL.match(ch) and rng.random() < rate
                and (i == 0 or chars[i - 1] != "口")):
            chars[i] = "口"
    return "".join(chars)


def test_normalise_makes_reformatted_copies_equal():
    a = "2024年，GDP增长5%。"
    b = "２０２４年,  ＧＤＰ 增长 5 % ！\n"
    assert normalise(a) == normalise(b) == "2024年gdp增长5"


def test_signature_estimates_jaccard():
    a, b = normalise(STORY), normalise(_ocr(STORY, 0.05, 1))
    sa, sb = shingles(a), shingles(b)
    true = len(np.intersect1d(sa, sb)) / len(np.union1d(sa, sb))
    est = (signature(sa) == signature(sb)).mean()
    assert abs(est - true) < 0.15
    assert (signature(sa) == signature(sa)).all()


@pytest.mark.parametrize(("copy", "kind"), [
    (STORY.replace("，", ",").replace("。", ". "), "exact"),   # reformatted
    (_ocr(STORY, 0.06, 2), "near"),                          # OCR noise: estimated 5-gram Jaccard ~0.65
    (STORY[: len(STORY) * 2 // 3], "contained"),              # truncated
])
def test_copies_cluster_with_their_original(copy, kind):
    res = find_duplicates([STORY, copy], Params(threshold=0.4))
    assert res.cluster.tolist() == [0, 0]
    assert res.kinds == [kind]


def test_templated_report_of_another_event_is_not_a_duplicate():
    res = find_duplicates([STORY, TEMPLATED], Params(threshold=0.4))
    assert res.cluster.tolist() == [0, 1]


def test_params_are_validated_and_derived_from_the_threshold():
    with pytest.raises(ValueError, match="bands"):
        Params(bands=40, rows=4)  # 160 > 128 permutations
    with pytest.raises(ValueError, match="both"):
        Params(bands=32)
    with pytest.raises(ValueError, match="threshold"):
        Params(threshold=0)
    low, high = Params(threshold=0.3), Params(threshold=0.6)
    assert (low.bands, low.rows) == (42, 3)
    assert high.rows > low.rows  # a higher threshold: longer bands, fewer candidates
    # the default proposes OCR-noisy copies (10% edits: Jaccard ~0.43) almost always, unrelated texts rarely
    assert Params().candidate_probability(0.43) > 0.95
    assert Params().candidate_probability(0.05) < 0.01


LIGHTS = ("各界代表9月30日上午在天安门广场向人民英雄敬献花篮。仪式由中共中央政治局委员主持，"
          "全场肃立，高唱国歌，少年儿童齐声诵读。随后，领导同志登上纪念碑基座，瞻仰人民英雄纪念碑，"
          "向人民英雄表达崇高敬意。中央广播电视总台综合频道、新闻频道进行了现场直播。")


@pytest.mark.parametrize(("other", "why"), [
    (LIGHTS.replace("仪式由", "今年是中华人民共和国成立75周年。仪式由"), "a dated sentence added: another year's event"),
    (LIGHTS.replace("人民英雄敬献", "烈士敬献").replace("瞻仰人民英雄", "瞻仰烈士"), "the same word swapped twice"),
    (LIGHTS.replace("少年儿童齐声诵读。", "").replace("进行了现场直播", "进行了现场直播，中文国际频道转播"),
     "each text has a phrase of its own"),
])
def test_templated_reports_are_turned_down(other, why):
    assert find_duplicates([LIGHTS, other]).cluster.tolist() == [0, 1], why


def test_ocr_noise_and_a_dropped_paragraph_are_duplicates():
    long_story = STORY + "\n" + LIGHTS
    a, b = normalise(long_story), normalise(_ocr(long_story, 0.1, 7))  # 10% scattered edits
    estimate = float((signature(shingles(a)) == signature(shingles(b))).mean())
    assert estimate < 0.5  # the estimate alone cannot tell this from another story; the alignment can
    assert verify(a, b, estimate, Params().threshold) == "near"
    closing = "会谈后，两国领导人共同见证了经贸、科技、教育等领域多项合作文件的签署，双方同意加强高层交往。"
    res = find_duplicates([long_story + "\n" + closing, STORY + "\n" + closing])  # a reprint that cut a paragraph
    assert res.cluster.tolist() == [0, 0] and res.kinds == ["contained"]


def test_a_truncated_lead_does_not_bridge_two_reports():
    last_year = STORY
    this_year = STORY.replace("19响", "21响").replace("31日", "30日")
    lead = STORY[:30]  # stops before the first figure: inside both
    res = find_duplicates([last_year, this_year, lead + "李强在人民大会堂东门"])
    assert res.cluster[0] != res.cluster[1]


@needs_shared
def test_cli_accounts_for_every_record(tmp_path: Path, capsys):
    sample = SAMPLE.read_text(encoding="utf-8")
    records = [{"id": "a", "text": STORY}, {"id": "b", "text": _ocr(STORY, 0.05, 3)},
               {"id": "c", "text": TEMPLATED}, {"id": "d", "text": sample},
               {"id": "e", "text": sample.replace("\n", "\n\n")}]
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        for r in records[:3]:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        fh.write("{not json\n")
        fh.write(json.dumps({"id": "x", "body": "无正文字段"}, ensure_ascii=False) + "\n")
        for r in records[3:]:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    assert main(["dedup", str(src), "--out", str(out), "--report", str(report)]) == 0
    kept = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    rep = json.loads(report.read_text(encoding="utf-8"))
    assert kept == ["a", "c", "d"]
    assert rep["counts"]["read"] == 7 and rep["counts"]["skipped"] == 2
    assert [s["line"] for s in rep["skipped"]] == [4, 5]
    members = {m["id"]: (c["representative"], m["kind"]) for c in rep["clusters"] for m in c["members"]}
    assert members == {"b": ("a", "near"), "e": ("d", "exact")}
    reasons = {m["id"]: m["reason"] for c in rep["clusters"] for m in c["members"]}  # every verdict says why
    assert reasons["e"] == "equal after normalisation" and reasons["b"].startswith(("model", "alignment rules"))
    # nothing lost: every usable record is kept or named as a member of a kept one's cluster
    assert set(kept) | set(members) == {r["id"] for r in records}
    marked = tmp_path / "marked.jsonl"
    assert main(["dedup", str(src), "--out", str(marked), "--report", str(report), "--mark"]) == 0
    dup_of = {json.loads(x)["id"]: json.loads(x)["duplicate_of"] for x in marked.read_text("utf-8").splitlines()}
    assert dup_of == {"a": None, "b": "a", "c": None, "d": None, "e": "d"}
    assert main(["dedup", str(src), "--out", str(out), "--report", str(report), "--strip"]) == 2
    assert "--level paragraph" in capsys.readouterr().err


BOILERPLATE = "本通知自印发之日起施行，由市发展改革委负责解释。如有疑问，请与市发展改革委政策法规处联系。"


def test_paragraph_level_reports_and_strips_repeated_paragraphs(tmp_path: Path):
    records = [{"id": "a", "text": STORY + "\n" + BOILERPLATE},
               {"id": "b", "text": LIGHTS + "\n\n" + BOILERPLATE.replace("，", ",") + "\n二、"},
               {"id": "c", "text": "二、\n" + TEMPLATED}]
    src, out, report = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "report.json"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["dedup", str(src), "--out", str(out), "--report", str(report), "--level", "paragraph"]) == 0
    rep = json.loads(report.read_text("utf-8"))
    # the boilerplate is repeated; the headings "二、" are too short to compare; the stories differ
    assert [(c["representative"]["id"], c["representative"]["paragraph"], c["documents"],
             [(m["id"], m["paragraph"], m["kind"]) for m in c["members"]]) for c in rep["paragraph_clusters"]] == [
        ("a", 1, 2, [("b", 1, "exact")])]
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == records  # reported, not stripped
    assert main(["dedup", str(src), "--out", str(out), "--report", str(report), "--level", "paragraph",
                 "--strip"]) == 0
    got = {r["id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert got["a"]["text"] == records[0]["text"] and "stripped_paragraphs" not in got["a"]
    assert got["b"]["text"] == LIGHTS + "\n二、"
    assert got["b"]["stripped_paragraphs"] == [{"paragraph": 1, "duplicate_of": "a#1", "kind": "exact"}]


def test_parquet_in_and_out(tmp_path: Path):
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    rows = [{"id": "a", "text": STORY, "year": 2024}, {"id": "b", "text": _ocr(STORY, 0.05, 3), "year": 2024},
            {"id": "c", "text": TEMPLATED, "year": 2025}, {"id": "d", "text": None, "year": 2025}]
    src, out, report = tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "report.json"
    pq.write_table(pa.Table.from_pylist(rows), src)
    assert main(["dedup", str(src), "--out", str(out), "--report", str(report), "--mark"]) == 0
    got = pq.read_table(out).to_pylist()
    assert [(r["id"], r["year"], r["duplicate_of"]) for r in got] == [("a", 2024, None), ("b", 2024, "a"),
                                                                      ("c", 2025, None)]
    rep = json.loads(report.read_text("utf-8"))
    assert rep["skipped"] == [{"file": str(src), "line": 4, "id": "d", "reason": "no text in field 'text'"}]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, list[str]]:
    """1,500 documents with known copies of every kind (benchmarks/bench_dedup_synthetic.py), as JSONL,
    with a malformed line, a line of bad bytes and a record without text among them."""
    if not (SHARED / "corpus").exists():
        pytest.skip("../shared/corpus (the source of the synthetic archive) is not beside the repo")
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "benchmarks" / "bench_dedup_synthetic.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    texts, _, _ = bench.archive(1500, random.Random(3))
    src = tmp_path_factory.mktemp("synthetic") / "archive.jsonl"
    with src.open("wb") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False).encode() + b"\n")
            if i == 100:
                fh.write(b"{not json\n\xff\xfe broken bytes\n" + json.dumps({"id": "empty", "text": ""}).encode() + b"\n")
    return src, texts


def _clusters(report: Path) -> list[list[str]]:
    rep = json.loads(report.read_text("utf-8"))
    return sorted(sorted([c["representative"], *(m["id"] for m in c["members"])]) for c in rep["clusters"])


def test_streaming_engine_equals_the_kernel_in_memory(synthetic, tmp_path: Path):
    src, texts = synthetic
    res = find_duplicates(texts)
    groups: dict[int, list[str]] = {}
    for i, c in enumerate(res.cluster.tolist()):
        groups.setdefault(c, []).append(f"d{i}")
    expected = sorted(sorted(g) for g in groups.values() if len(g) > 1)
    assert sum(len(g) - 1 for g in expected) > 400  # real work, not a vacuous comparison
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    rep = dedup([src], out, report, workers=2, batch=400)  # several batches, two processes
    assert _clusters(report) == expected
    assert rep.counts["documents"] == len(texts) and rep.counts["read"] == len(texts) + 3
    assert [(s["line"], s["reason"][:10]) for s in rep.skipped] == [
        (102, "not JSON: "), (103, "not UTF-8 "), (104, "no text in")]
    kept = [json.loads(x)["id"] for x in out.read_text("utf-8").splitlines()]
    assert len(kept) == rep.counts["kept"] == len(texts) - rep.counts["duplicates"]
    assert not (tmp_path / "out.jsonl.work").exists()  # removed after a successful run


def test_batches_running_over_several_files_of_each_format_give_the_one_batch_result(synthetic, tmp_path: Path):
    """A signing batch may end inside one file and go on in the next (plain, gzip and Parquet inputs):
    the line numbers of the report and the output must not depend on where the batches fall."""
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    src, _ = synthetic
    lines = src.read_bytes().splitlines(keepends=True)
    parts = [tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz", tmp_path / "c.parquet", tmp_path / "d.jsonl"]
    parts[0].write_bytes(b"".join(lines[:130]))  # holds the malformed lines (102-104)
    parts[1].write_bytes(gzip.compress(b"".join(lines[130:700])))
    pq.write_table(pa.Table.from_pylist([json.loads(x) for x in lines[700:1100]]), parts[2])
    parts[3].write_bytes(b"\n" + b"".join(lines[1100:]))  # a blank first line: numbered, not read
    results = []
    for batch, workers in ((100_000, 1), (97, 1), (250, 2)):
        out, report = tmp_path / f"out{batch}.jsonl", tmp_path / f"report{batch}.json"
        rep = dedup(parts, out, report, workers=workers, batch=batch)
        results.append((_clusters(report), rep.skipped, rep.counts["read"], out.read_bytes()))
    assert results[0][1] == [{"file": str(parts[0]), "line": 102, "reason": results[0][1][0]["reason"]},
                             {"file": str(parts[0]), "line": 103, "reason": results[0][1][1]["reason"]},
                             {"file": str(parts[0]), "line": 104, "id": "empty", "reason": "no text in field 'text'"}]
    assert results[0][2] == len(lines)
    assert len(results[0][0]) > 100 and results[1] == results[0] and results[2] == results[0]


def test_streaming_engine_resumes_without_redoing_signed_batches(synthetic, tmp_path: Path, monkeypatch):
    from nlp_service.dedup import archive

    src, _ = synthetic
    clean = tmp_path / "clean.json"
    dedup([src], tmp_path / "clean.jsonl", clean, batch=400)
    real, signed = archive._sign_batch, []

    def crash_on_third(job):
        if job[0] == 2:
            raise KeyboardInterrupt
        signed.append(job[0])
        return real(job)

    monkeypatch.setattr(archive, "_sign_batch", crash_on_third)
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    with pytest.raises(KeyboardInterrupt, match="resume"):
        dedup([src], out, report, batch=400)
    assert signed == [0, 1] and len(list((tmp_path / "out.jsonl.work").glob("b*.json"))) == 2
    monkeypatch.setattr(archive, "_sign_batch", real)
    rep = dedup([src], out, report, batch=400)
    assert rep.counts["batches_resumed"] == 2
    assert _clusters(report) == _clusters(clean)
    assert out.read_text("utf-8") == (tmp_path / "clean.jsonl").read_text("utf-8")


def test_batch_signatures_equal_one_by_one():
    texts = [normalise(t) for t in (STORY, TEMPLATED, LIGHTS, "短", "一二三四", "", "a" * 40, STORY[:20])]
    from nlp_service.dedup.minhash import signatures, signatures_for

    assert (signatures(texts) == np.stack([signature(shingles(x)) for x in texts])).all()
    # the noisy route's 3-grams; short texts leave most bins empty, which the batch pass fills
    assert (signatures(texts, 3) == np.stack([signature(shingles(x, 3)) for x in texts])).all()
    five, three = signatures_for(texts, (5, 3))  # one pass for both sizes: the same rows
    assert (five == signatures(texts)).all() and (three == signatures(texts, 3)).all()


@given(st.lists(st.text(alphabet=st.sampled_from("政府工作报告今年增长5%aZ𠀋"), max_size=60), max_size=8),
       st.sampled_from([2, 16, 64, 128]), st.sampled_from([(5, 3), (3, 5), (1, 4), (7,)]))
def test_batch_signing_equals_the_per_document_reference(texts, num_perm, sizes):
    # texts shorter than a shingle, empty ones, rows left with many empty bins, sizes in any order
    from nlp_service.dedup.minhash import signatures_for

    for k, sigs in zip(sizes, signatures_for(texts, sizes, num_perm), strict=True):
        for i, x in enumerate(texts):
            assert (sigs[i] == signature(shingles(x, k), num_perm)).all()


def test_batch_signing_of_long_and_short_texts_equals_the_reference():
    # one batch as the archive signs it: news-length texts (every bin filled), teasers (many empty),
    # the dummy of a text too short to compare, an empty one
    from nlp_service.dedup.minhash import signatures_for

    rng = np.random.default_rng(7)
    chars = np.array(list(STORY + "0123456789ＡＢ𠀋"))
    texts = ["".join(rng.choice(chars, size=n)) for n in rng.integers(0, 3000, 40)] + ["\x003:17", ""]
    five, three = signatures_for(texts, (5, 3))
    for i, x in enumerate(texts):
        assert (five[i] == signature(shingles(x))).all()
        assert (three[i] == signature(shingles(x, 3))).all()


def test_a_lead_joins_every_container_of_its_story():
    extra = "会谈后，两国领导人共同见证了经贸、科技、教育等领域多项合作文件的签署，双方同意加强高层交往。"
    paragraphs = STORY.split("。")
    inserted = "。".join([paragraphs[0], extra.rstrip("。"), *paragraphs[1:]])  # a paragraph added inside
    headline = "新闻标题：国务院总理李强举行仪式欢迎外宾\n" + STORY
    lead = STORY[:60]
    res = find_duplicates([STORY, inserted, headline, lead])
    # the original lies inside both longer copies but joins one; the lead, inside all three, brings in
    # the other, which the verifier kept as a copy of the original
    assert len(set(res.cluster.tolist())) == 1


@needs_shared
def test_the_learned_verdict_does_not_depend_on_which_text_comes_first():
    # the texts are aligned in the order they are read from, whichever came first in the archive
    from nlp_service.dedup.minhash import SHORT, explain
    from nlp_service.training.dedup_pairs import labelled_pairs

    params = Params()
    checked = short = 0
    for pair in labelled_pairs("train"):
        a, b = normalise(pair.a), normalise(pair.b)
        if a == b:
            continue
        assert explain(a, b, 0.5, params, noisy_route=True) == explain(b, a, 0.5, params, noisy_route=True), pair.id
        checked += 1
        short += min(len(a), len(b)) < SHORT  # left to the alignment rules, read the same way round
    assert checked > 900 and short > 50  # not a vacuous loop


def test_members_keep_the_reason_the_verifier_gave_their_pair(synthetic, tmp_path: Path):
    # the engine reuses a verified pair's reason: it must be what the report would find again
    from nlp_service.dedup.minhash import signatures
    from nlp_service.dedup.report import member_reason

    src, texts = synthetic
    report_path = tmp_path / "r.json"
    dedup([src], tmp_path / "out.jsonl", report_path, workers=1)
    norms = [normalise(t) for t in texts]
    sigs = signatures(norms)
    clusters = json.loads(report_path.read_text(encoding="utf-8"))["clusters"]
    members = [(int(c["representative"][1:]), m) for c in clusters for m in c["members"]]
    assert len(members) > 400
    for rep, m in members:
        i = int(m["id"][1:])
        sim = round(float((sigs[i] == sigs[rep]).mean()), 3)
        assert m["reason"] == member_reason(norms[i], norms[rep], sim, Params()), m


def test_the_reasons_a_line_is_skipped_for(tmp_path: Path):
    from nlp_service.dedup.records import parse_record

    where = tmp_path / "a.jsonl"
    assert parse_record(where, 1, b"  \n", "text", "id") is None
    assert parse_record(where, 2, "\u3000\n".encode(), "text", "id") is None  # ideographic space only: blank
    assert parse_record(where, 3, b'{"id": "x", "te\xff": 1}\n', "text", "id")["reason"] == "not UTF-8 (byte 15)"
    assert parse_record(where, 4, b'{"id": "x",\n', "text", "id")["reason"].startswith("not JSON: ")
    rec, rid, text = parse_record(where, 5, '{"id": "x", "text": "新闻联播"}\n'.encode(), "text", "id")
    assert (rid, text, rec["text"]) == ("x", "新闻联播", "新闻联播")


_MEMBER = st.fixed_dictionaries({"id": st.text(max_size=12), "kind": st.sampled_from(["exact", "near", "contained"]),
                                 "similarity": st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 3)),
                                 "reason": st.text(max_size=40)})


@given(st.fixed_dictionaries({"representative": st.text(max_size=12), "size": st.integers(1, 10_000),
                              "members": st.lists(_MEMBER, max_size=4)}))
@settings(max_examples=300, deadline=None)
def test_a_spooled_cluster_is_written_as_json_dumps_would_write_it(cluster):
    """The report's clusters are written by orjson; the text must be json.dumps(indent=1)'s, escapes and all."""
    from nlp_service.dedup.report import _indented

    want = "\n".join("  " + line for line in json.dumps(cluster, ensure_ascii=False, indent=1).split("\n"))
    assert _indented(cluster) == want


@given(st.lists(st.integers(0, 6), max_size=300))
def test_bucket_order_is_the_stable_sort_of_the_band_keys(keys):
    from nlp_service.dedup.minhash import _buckets

    k = np.array(keys, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # spread over 64 bits
    order, sk, new = _buckets(k)
    stable = np.argsort(k, kind="stable")
    assert order.tolist() == stable.tolist() and sk.tolist() == k[stable].tolist()
    assert new.tolist() == [i == 0 or sk[i] != sk[i - 1] for i in range(len(k))]


def test_an_exact_copy_of_a_verified_copy_takes_its_reason_without_aligning_again(tmp_path: Path, monkeypatch):
    # an exact copy is never banded or verified; the copy whose text it has was, against the same
    # representative: the report reuses those words instead of running the verifier again
    import nlp_service.dedup.report as report_module

    long_story = STORY + "\n" + LIGHTS
    noisy = _ocr(long_story, 0.05, 11)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                           for i, t in (("o", long_story), ("c", noisy), ("x", noisy + " "))), encoding="utf-8")
    asked = []
    explain = report_module.explain
    monkeypatch.setattr(report_module, "explain", lambda *a, **k: asked.append(a[:2]) or explain(*a, **k))
    dedup([src], tmp_path / "out.jsonl", tmp_path / "r.json", workers=1)
    (cluster,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["clusters"]
    reasons = {m["id"]: m["reason"] for m in cluster["members"]}
    assert cluster["representative"] == "o" and reasons["x"] == reasons["c"]
    assert reasons["c"].startswith(("model", "alignment rules", "the shorter"))
    assert asked == []  # both reasons came from the one verified pair (o, c)
