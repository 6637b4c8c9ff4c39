"""HTTP API throughput and latency on loopback: one process against several, same run, same article.

usage: .venv/bin/python benchmarks/bench_api.py [--workers 1 2] [--clients 1 8 32] [--seconds 20]
       [--article FILE] [--components TASKS]

For each ``--workers`` value a server is started (``nlp-service serve --workers N`` on a free
loopback port, its own SQLite file in a temporary folder), timed from launch until ``/readyz``
answers 200, then loaded by each ``--clients`` count for ``--seconds``: every client posts the
article to ``/v1/extract`` again as soon as the last answer came. Bounded in count and time, and
loopback only. Prints, per row, requests/s, p50/p90/p99 latency, errors, and the ratio of each
row's requests/s to the one-client, one-worker row of the same run. Nothing here is a test: timings
depend on the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "corpus" / "ningbo-sci-tech-2024.txt"
CLI = Path(sys.executable).with_name("nlp-service")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(workers: int, folder: Path) -> tuple[subprocess.Popen, str, float]:
    """A server with ``workers`` processes; (process, base URL, seconds until ready)."""
    port = free_port()
    env = {**os.environ, "NLPS_DATABASE_URL": f"sqlite:///{folder / f'w{workers}.db'}", "NLPS_WORKERS": str(workers)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - t0 < 300:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the server with {workers} workers was not ready within 300 s")


async def load(url: str, body: bytes, clients: int, seconds: float, params: dict) -> tuple[list[float], int]:
    """Latencies (s) of the answered requests and the count of errors, ``clients`` at once."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                r = await http.post(f"{url}/v1/extract", content=body, params=params,
                                    headers={"content-type": "text/plain; charset=utf-8"})
                if r.status_code == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1
            except httpx.HTTPError:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return latencies, errors


def rss_mib(pid: int) -> list[float]:
    """Resident memory (MiB) of ``pid`` and of each of its children (Linux ``/proc``; [] elsewhere)."""
    def rss(p: str) -> float:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    try:
        kids = [d.name for d in Path("/proc").iterdir() if d.name.isdigit()
                and (d / "stat").read_text().split(") ", 1)[1].split()[1] == str(pid)]
        return [rss(str(pid))] + [rss(k) for k in kids]
    except OSError:
        return []


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100)[int(q) - 1] * 1000 if len(xs) > 1 else (xs[0] * 1000 if xs else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--article", type=Path, default=SAMPLE)
    ap.add_argument("--components", help="only these tasks (the API's components parameter)")
    args = ap.parse_args()
    if args.seconds > 120 or max(args.clients) > 64:
        raise SystemExit("bounded: at most 120 s and 64 clients per row")
    body = args.article.read_bytes()
    params = {"components": args.components} if args.components else {}
    print(f"article {args.article.name}: {len(body.decode('utf-8')):,} characters; {args.seconds:g} s per row; "
          f"{os.cpu_count()} cores; components {args.components or 'all'}")
    print(f"{'workers':>7} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>6} "
          f"{'vs 1x1':>7}")
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            proc, url, ready = start(workers, Path(tmp))
            try:
                asyncio.run(load(url, body, 1, min(3.0, args.seconds), params))  # warm every code path
                mem = rss_mib(proc.pid)
                print(f"workers {workers}: ready in {ready:.1f} s; resident memory "
                      + " + ".join(f"{m:.0f}" for m in mem) + " MiB (launcher first, then each process)")
                for clients in args.clients:
                    lat, errors = asyncio.run(load(url, body, clients, args.seconds, params))
                    rps = len(lat) / args.seconds
                    base = base or rps
                    print(f"{workers:>7} {clients:>7} {rps:>8.2f} {pct(lat, 50):>8.1f} {pct(lat, 90):>8.1f} "
                          f"{pct(lat, 99):>8.1f} {errors:>6} {rps / base:>6.2f}x")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    print(f"measured {time.strftime('%Y-%m-%d')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
