"""kill -9 in the middle of writing: the store stays consistent and a re-run accounts for every record.

Real processes: ``nlp-service ingest`` and ``nlp-service serve`` (batch writes) are killed with SIGKILL
once some articles are stored; then SQLite's ``PRAGMA integrity_check`` must answer ``ok`` (PostgreSQL:
no commitment or indicator row without its article), every stored article must have all its
commitment and indicator rows (no half-stored article), and the same ingest or batch run again must
finish with every record counted. The ingest test runs on PostgreSQL too when
``NLPS_TEST_POSTGRES_DSN`` is set (``.ci/run`` starts a server). (The archive dedup resumes
after a kill: ``tests/test_dedup_archive.py``.)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

CLI = ROOT / ".venv" / "bin" / "nlp-service"
pytestmark = pytest.mark.skipif(not CLI.exists(), reason="the virtual environment's nlp-service is missing")
N = 400


def _articles(n: int = N) -> list[dict]:
    """Distinct short policy notices (written for this test), each with commitments and indicators."""
    out = []
    for i in range(n):
        out.append({"id": f"notice-{i}", "title": f"江州市第{i}号工作要点",
                    "text": f"江州市第{i}号工作要点\n\n到2025年，全市力争新增就业岗位{1000 + i}个，建设创新平台{i % 50 + 1}家。\n\n"
                            f"去年全市研发投入增长{i % 9 + 1}.5%，技术合同成交额达到{200 + i}亿元。\n\n"
                            f"各区要加快推进第{i}批重点项目建设，确保年底前完成投资{30 + i}亿元。"})
    return out


PG_DSN = os.environ.get("NLPS_TEST_POSTGRES_DSN")
PER_ARTICLE = ("SELECT a.id, a.result, (SELECT count(*) FROM commitments c WHERE c.article_id = a.id),"
               " (SELECT count(*) FROM indicators i WHERE i.article_id = a.id) FROM articles a")
ORPHANS = ("SELECT (SELECT count(*) FROM commitments c WHERE NOT EXISTS (SELECT 1 FROM articles a"
           " WHERE a.id = c.article_id)) + (SELECT count(*) FROM indicators i WHERE NOT EXISTS"
           " (SELECT 1 FROM articles a WHERE a.id = i.article_id))")


def _stored(db: Path | str) -> int:
    if isinstance(db, str):  # a PostgreSQL DSN
        import psycopg

        try:
            with psycopg.connect(db, connect_timeout=5) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except psycopg.Error:
            return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _consistent(db: Path | str) -> int:
    """Check the store after a kill; the number of articles in it."""
    if isinstance(db, str):
        import psycopg

        with psycopg.connect(db) as conn:
            assert conn.execute(ORPHANS).fetchone()[0] == 0
            rows = conn.execute(PER_ARTICLE).fetchall()
    else:
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            assert conn.execute(ORPHANS).fetchone()[0] == 0
            rows = conn.execute(PER_ARTICLE).fetchall()
    for article_id, result, commitments, indicators in rows:  # no article without all of its rows
        r = result if isinstance(result, dict) else json.loads(result)
        assert (commitments, indicators) == (len(r["commitments"]), len(r["indicators"])), article_id
    return len(rows)


def _kill_when(proc: subprocess.Popen, db: Path | str, at_least: int, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while _stored(db) < at_least:
        assert proc.poll() is None, "finished before it could be killed: make the input larger"
        assert time.monotonic() < end, "nothing was stored in time"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_DSN, reason="set NLPS_TEST_POSTGRES_DSN to run the PostgreSQL kill test (.ci/run starts a server)"))])
def test_ingest_killed_then_run_again(tmp_path, backend):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in _articles()) + "\n", encoding="utf-8")
    if backend == "sqlite":
        db: Path | str = tmp_path / "store.db"
        url = f"sqlite:///{db}"
    else:
        from nlp_service.store.postgres import PostgresStore

        PostgresStore(PG_DSN).reset()
        db = url = PG_DSN
    cmd = [str(CLI), "ingest", str(src), "--database", url, "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _kill_when(proc, db, at_least=25)
    before = _consistent(db)
    assert 25 <= before < N
    again = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[0]
    # every record counted: those stored before the kill are recognised, the rest stored now
    assert again == f"read {N}, stored {N - before}, replaced 0, unchanged {before}, failed 0"
    assert _consistent(db) == N


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLPS_")}
    env |= {"NLPS_DATABASE_URL": f"sqlite:///{db}", "NLPS_WORKERS": "1"}
    proc = subprocess.Popen([str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2).status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise AssertionError("the server did not become ready")


def _post_batch(port: int, items: list[dict]) -> dict | None:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/articles/batch", json.dumps({"items": items}).encode(),
                                 {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.loads(r.read())
    except OSError:
        return None  # the server was killed under it


def test_server_killed_during_batch_writes_then_posted_again(tmp_path):
    db, port = tmp_path / "api.db", _free_port()
    items = _articles(100)
    server = _serve(db, port)
    client = threading.Thread(target=_post_batch, args=(port, items), daemon=True)
    client.start()
    _kill_when(server, db, at_least=10)
    client.join(timeout=30)
    before = _consistent(db)
    assert 10 <= before < len(items)
    server = _serve(db, port)
    try:
        result = _post_batch(port, items)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert result is not None
    assert result["counts"] == {"stored": len(items) - before, "replaced": 0, "unchanged": before, "failed": 0}
    assert _consistent(db) == len(items)


def test_dedup_killed_then_resumed(tmp_path):
    import random

    rng = random.Random(5)
    words = ["宁波", "科技", "创新", "人才", "引进", "平台", "建设", "产业", "数字", "经济", "绿色", "发展", "项目",
             "投资", "就业", "服务", "改革", "开放", "城市", "乡村"]
    lines = []
    for i in range(45_000):  # three signing batches of 20,000; every fiftieth record a near copy of the one before
        if i % 50 == 49:
            prev = json.loads(lines[-1])["text"]
            text = prev[:-3] + "。"
        else:
            text = f"第{i}号：" + "".join(rng.choice(words) for _ in range(30)) + "。"
        lines.append(json.dumps({"id": f"d{i}", "text": text}, ensure_ascii=False))
    src = tmp_path / "archive.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def cmd(name: str) -> list[str]:
        return [str(CLI), "dedup", str(src), "--out", str(tmp_path / f"{name}.jsonl"), "--report",
                str(tmp_path / f"{name}.json"), "--workers", "1", "-q"]

    subprocess.run(cmd("clean"), check=True, capture_output=True)
    work = tmp_path / "killed.jsonl.work"
    proc = subprocess.Popen(cmd("killed"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 120
    while not list(work.glob("b*.json")):
        assert proc.poll() is None, "finished before it could be killed: make the archive larger"
        assert time.monotonic() < end
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    subprocess.run(cmd("killed"), check=True, capture_output=True)
    report = json.loads((tmp_path / "killed.json").read_text(encoding="utf-8"))
    clean = json.loads((tmp_path / "clean.json").read_text(encoding="utf-8"))
    assert report["counts"]["batches_resumed"] >= 1
    assert report["clusters"] == clean["clusters"] and report["counts"]["kept"] == clean["counts"]["kept"]
    assert (tmp_path / "killed.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    assert not work.exists()
