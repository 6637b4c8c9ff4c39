"""Several API processes on one port: the kernel spreads new connections among them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CLI = Path(sys.executable).with_name("nlp-service")


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT is not available on this system")
def test_two_processes_share_the_port_and_both_serve(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NLPS_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    proc = subprocess.Popen([str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                             "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        pids: set[int] = set()
        loaded_by: set[int] = set()
        deadline = time.monotonic() + 180
        while len(pids) < 2 and time.monotonic() < deadline:
            try:
                with httpx.Client(timeout=5) as client:  # a new connection each time: hashed anew
                    r = client.get(f"{url}/readyz")
                if r.status_code == 200:
                    pids.add(r.json()["pid"])
                    loaded_by.add(r.json()["models_loaded_by"])
            except httpx.HTTPError:
                time.sleep(0.3)
        assert len(pids) == 2, f"connections reached {len(pids)} process(es)"
        assert proc.pid not in pids  # the launcher serves nothing itself
        # … but loaded the models once for both, which they share (forked after the load)
        assert loaded_by == {proc.pid}
        r = httpx.post(f"{url}/v1/extract", content="到2025年，宁波力争引进顶尖人才100名。".encode(),
                       headers={"content-type": "text/plain"}, timeout=60)
        assert r.status_code == 200 and r.json()["commitments"]
    finally:
        proc.terminate()
        assert proc.wait(timeout=60) == 0  # SIGTERM reaches both processes, which end cleanly


def test_malloc_arenas_are_capped_on_glibc(monkeypatch):
    import platform

    from nlp_service.api.serve import limit_malloc_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False  # an operator's own setting wins
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    if platform.libc_ver()[0] == "glibc":
        assert limit_malloc_arenas() is True


@pytest.mark.parametrize("builder", ["nlp_service.cli:service_pipeline", "nlp_service.api.app:build_pipeline"])
def test_the_entry_points_settle_the_loaded_pipeline_out_of_the_collectors_reach(builder):
    module, name = builder.split(":")
    code = ("import gc, importlib; from nlp_service.settings import get_settings; "
            f"before = gc.get_freeze_count(); importlib.import_module('{module}').{name}(get_settings()); "
            "print(before, gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    before, after = map(int, out)
    assert before == 0 and after > 10_000  # the models, dictionaries and tables the pipeline loaded (60–85k)
