import json

from conftest import SAMPLE, needs_shared

from nlp_service.cli import main


def test_extract_json_from_stdin(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("宁波将加快推进一网通办改革。".encode())))
    assert main(["extract", "-", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["clean_text"] == "宁波将加快推进一网通办改革。"
    assert ["一网通办" in [t[2] for t in s["tokens"]] for s in out["sentences"]] == [True]


@needs_shared
def test_summary_names_duplicates_and_merges(capsys):
    assert main(["extract", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "92 in input -> 64 kept, 23 duplicate, 5 merged" in out
    assert "topics:     科技创新" in out


def test_bad_inputs_exit_2_with_a_message(tmp_path, capsys):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("宁波科技".encode("gbk"))
    english = tmp_path / "en.txt"
    english.write_text("no chinese here")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    for path, code in [(gbk, "not_utf8"), (english, "no_chinese"), (empty, "empty_text"),
                       (tmp_path / "missing.txt", "cannot read")]:
        assert main(["extract", str(path)]) == 2
        assert code in capsys.readouterr().err


def test_size_limit(tmp_path, capsys, monkeypatch):
    from nlp_service.settings import get_settings

    big = tmp_path / "big.txt"
    big.write_text("宁波科技创新。" * 100)
    monkeypatch.setenv("NLPS_MAX_INPUT_BYTES", "100")
    get_settings.cache_clear()
    try:
        assert main(["extract", str(big)]) == 2
        assert "too_large" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    """`nlp-service extract a.txt --json | head -1`: exit 141 (SIGPIPE's code), no traceback."""
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text("宁波将加快建设创新型城市，力争2025年研发投入强度达到3.2%。" * 2000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "nlp_service.cli", "extract", str(article), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"{"
    proc.stdout.close()  # the reader goes away while megabytes of JSON are still to come
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert "Traceback" not in err


def test_search_lists_a_hit_without_a_title_without_empty_brackets(tmp_path, capsys):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "宁波将加快建设创新型城市。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["ingest", str(src), "--database", db, "-q"]) == 0
    capsys.readouterr()
    assert main(["search", "创新", "--database", db]) == 0
    out = capsys.readouterr().out
    assert "[宁波 | 将 | -]" in out and "《" not in out
