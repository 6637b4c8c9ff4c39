"""HTTP API throughput and latency on loopback: one process against several, same run, same article.

usage: .venv/bin/python benchmarks/bench_api.py [--workers 1 2] [--clients 1 8 32] [--seconds 20]
       [--article FILE] [--components TASKS]
       .venv/bin/python benchmarks/bench_api.py --soak 600 [--workers 2] [--load 0.8]
       .venv/bin/python benchmarks/bench_api.py --ready 3 [--workers 1 2]

For each ``--workers`` value a server is started (``nlp-service serve --workers N`` on a free
loopback port, its own SQLite file in a temporary folder), timed from launch until ``/readyz``
answers 200, then loaded by each ``--clients`` count for ``--seconds``: every client posts the
article to ``/v1/extract`` again as soon as the last answer came. Bounded in count and time, and
loopback only. Prints, per row, requests/s, p50/p90/p99 latency, errors, and the ratio of each
row's requests/s to the one-client, one-worker row of the same run. Nothing here is a test: timings
depend on the machine and on what else runs.

``--soak SECONDS`` (at most 900): a mixed load on one server — extract 70%, store 10% (each stored
article a new text), search 20% — sent open-loop at ``--load`` (default 0.8) of the capacity
measured first (8 closed-loop clients of the same mix for a minute, after a minute of the same
load that fills the caches and grows the store); prints errors by kind, p50/p99 per kind, the
resident memory of every process at the start and the end of the soak and every minute between,
and the capacity measured again after the soak (the store has grown: does it still hold?).

``--ready N``: only the start-up, N times for each ``--workers`` value, in turn: seconds from launch
until ``/readyz`` answers 200, each server stopped once ready.
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
from collections.abc import Callable
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


def _family_mib(pid: int, file: str, field: str) -> list[float]:
    """``field`` (kB) of ``/proc/PID/file`` for ``pid`` and each of its children, in MiB (Linux; [] elsewhere)."""
    def value(p: str) -> float:
        for line in Path(f"/proc/{p}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return 0.0

    try:
        kids = [d.name for d in Path("/proc").iterdir() if d.name.isdigit()
                and (d / "stat").read_text().split(") ", 1)[1].split()[1] == str(pid)]
        return [value(str(pid))] + [value(k) for k in kids]
    except OSError:
        return []


def rss_mib(pid: int) -> list[float]:
    """Resident memory (MiB) of ``pid`` and of each of its children (Linux ``/proc``; [] elsewhere)."""
    return _family_mib(pid, "status", "VmRSS:")


def pss_mib(pid: int) -> float:
    """Proportional set size (MiB) of ``pid`` and its children together: shared pages counted once (Linux)."""
    return sum(_family_mib(pid, "smaps_rollup", "Pss:"))


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100)[int(q) - 1] * 1000 if len(xs) > 1 else (xs[0] * 1000 if xs else 0.0)


WARM_UP = 60.0  # seconds of closed-loop load before capacity and memory are read
CAPACITY_SECONDS = 60.0  # closed-loop measurement of the mix's capacity (8 clients)
MIX = (("extract", 0.7), ("store", 0.1), ("search", 0.2))
QUERIES = ("人才", "科技创新", "就业", "宁波", "实验室", "企业", "数字经济", "2025")


class Mixed:
    """One request of the soak's mix at a time: which kind comes next, and how to send it."""

    def __init__(self, body: bytes) -> None:
        import random

        self.text, self.rng, self.n = body.decode("utf-8"), random.Random(11), 0

    def kind(self) -> str:
        x, acc = self.rng.random(), 0.0
        for name, share in MIX:
            acc += share
            if x < acc:
                return name
        return MIX[-1][0]

    async def send(self, http: httpx.AsyncClient, url: str, kind: str) -> bool:
        self.n += 1
        if kind == "extract":
            r = await http.post(f"{url}/v1/extract", content=self.text.encode("utf-8"),
                                headers={"content-type": "text/plain; charset=utf-8"})
            return r.status_code == 200
        if kind == "store":  # a new text each time: the store grows through the soak
            r = await http.post(f"{url}/v1/articles", json={"text": f"{self.text}\n\n第{self.n}次存档。",
                                                            "source": "soak", "source_id": str(self.n)})
            return r.status_code in (200, 201)
        r = await http.get(f"{url}/v1/commitments", params={"q": self.rng.choice(QUERIES)})
        return r.status_code == 200


async def closed_mix(url: str, mix: Mixed, clients: int, seconds: float) -> float:
    """Requests/s of ``clients`` sending the mix back to back."""
    done, stop = 0, time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal done
        while time.perf_counter() < stop:
            ok = await mix.send(http, url, mix.kind())  # not `done += await …`: that reads done before the await
            done += ok

    async with httpx.AsyncClient(timeout=120) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return done / seconds


async def open_mix(url: str, mix: Mixed, rate: float, seconds: float, memory: Callable[[], float] | None = None,
                   every: float = 60.0) -> tuple[dict[str, tuple[list[float], int]], list[tuple[float, float]]]:
    """Send the mix at ``rate`` requests/s for ``seconds`` (open loop).

    Latencies and errors by kind, and ``memory()`` sampled every ``every`` seconds (elapsed, MiB).
    """
    out: dict[str, tuple[list[float], int]] = {name: ([], 0) for name, _ in MIX}
    samples: list[tuple[float, float]] = []
    tasks = []

    async def one(http: httpx.AsyncClient, kind: str) -> None:
        t0 = time.perf_counter()
        try:
            ok = await mix.send(http, url, kind)
        except httpx.HTTPError:
            ok = False
        lat, err = out[kind]
        if ok:
            lat.append(time.perf_counter() - t0)
        else:
            out[kind] = (lat, err + 1)

    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        start = time.perf_counter()
        k, next_sample = 0, start
        while (now := time.perf_counter()) - start < seconds:
            if memory is not None and now >= next_sample:
                samples.append((now - start, memory()))
                next_sample += every
            due = start + k / rate
            if due > now:
                await asyncio.sleep(due - now)
            tasks.append(asyncio.ensure_future(one(http, mix.kind())))
            k += 1
        await asyncio.gather(*tasks)
    return out, samples


def soak(args: argparse.Namespace, body: bytes) -> int:
    """The mixed soak (see the module docstring)."""
    workers = args.workers[0]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, ready = start(workers, Path(tmp))
        try:
            mix = Mixed(body)
            asyncio.run(closed_mix(url, mix, 8, WARM_UP))  # caches filled and the store grown before anything is read
            capacity = asyncio.run(closed_mix(url, mix, 8, CAPACITY_SECONDS))
            rate = args.load * capacity
            before = rss_mib(proc.pid)
            t0 = time.perf_counter()
            result, samples = asyncio.run(open_mix(url, mix, rate, args.soak, lambda: sum(rss_mib(proc.pid))))
            took = time.perf_counter() - t0
            after = rss_mib(proc.pid)
            capacity_after = asyncio.run(closed_mix(url, mix, 8, CAPACITY_SECONDS / 2))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    total = sum(len(lat) + err for lat, err in result.values())
    errors = sum(err for _, err in result.values())
    print(f"soak: {workers} processes, ready in {ready:.1f} s; capacity of the mix {capacity:.2f} req/s (8 clients, "
          f"{CAPACITY_SECONDS:g} s after {WARM_UP:g} s of warm-up); sent {args.load:.0%} of it = {rate:.2f} req/s "
          f"for {args.soak:g} s ({took:.0f} s with the last answers); "
          f"capacity after the soak {capacity_after:.2f} req/s")
    print(f"requests {total}, errors {errors}")
    for name, (lat, err) in result.items():
        print(f"  {name:<8} {len(lat) + err:>6} requests  p50 {pct(lat, 50):7.1f} ms  p99 {pct(lat, 99):8.1f} ms  "
              f"errors {err}")
    print("resident memory, MiB (launcher first, then each process): start "
          + " + ".join(f"{m:.0f}" for m in before) + "; end " + " + ".join(f"{m:.0f}" for m in after)
          + (f"; growth {100 * (sum(after) / sum(before) - 1):+.1f}%" if before and after else ""))
    print("resident memory of all processes during the soak, MiB: "
          + ", ".join(f"{t:.0f} s {m:.0f}" for t, m in samples) + f", end {sum(after):.0f}")
    print(f"measured {time.strftime('%Y-%m-%d')}")
    return 0 if errors == 0 else 1


def ready_only(workers: list[int], times: int) -> int:
    seconds: dict[int, list[float]] = {w: [] for w in workers}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(times):
            folder = Path(tmp) / str(k)  # a fresh store each time
            folder.mkdir()
            for w in workers:
                proc, _, ready = start(w, folder)
                proc.terminate()
                proc.wait(timeout=30)
                seconds[w].append(ready)
    for w, xs in seconds.items():
        each = ", ".join(f"{x:.2f}" for x in xs)
        print(f"workers {w}: ready in {each} s (median {statistics.median(xs):.2f})")
    print(f"measured {time.strftime('%Y-%m-%d')}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--article", type=Path, default=SAMPLE)
    ap.add_argument("--components", help="only these tasks (the API's components parameter)")
    ap.add_argument("--soak", type=float, metavar="SECONDS", help="a mixed soak of this length (see above)")
    ap.add_argument("--load", type=float, default=0.8, help="with --soak: the share of measured capacity sent")
    ap.add_argument("--ready", type=int, metavar="N", help="only the time until ready, N starts per --workers value")
    args = ap.parse_args()
    if args.ready:
        return ready_only(args.workers, min(args.ready, 20))
    if args.soak:
        if args.soak > 900 or not 0 < args.load <= 1:
            raise SystemExit("bounded: at most 900 s, and a load of at most 1.0")
        return soak(args, args.article.read_bytes())
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
                      + " + ".join(f"{m:.0f}" for m in mem) + " MiB (launcher first, then each process); "
                      f"all together, shared pages once (PSS): {pss_mib(proc.pid):.0f} MiB")
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
