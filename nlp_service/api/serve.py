"""Serve the API with several processes on one port, the kernel spreading connections among them.

uvicorn's own ``workers`` share one listening socket, and whichever process wakes first accepts
every pending connection: under 32 keep-alive clients one process took nearly all of them and two
processes served no more than one (``benchmarks/bench_api.py``). Here every process binds its own
socket to the same port with ``SO_REUSEPORT``, and the kernel hashes each new connection to one of
them. Written by hand because neither uvicorn nor the standard library offers it; on a system
without ``SO_REUSEPORT`` uvicorn's workers are used instead.

The launcher loads the models once, from the environment's settings, and forks the processes: they
share the loaded pipeline copy-on-write (one load instead of one per process, all of them at once
on the same cores) and each builds its own app and store connection. On systems other than Linux
each process is spawned and loads its own.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
from typing import Any

MALLOC_ARENAS = 2  # glibc's arenas per process for the server (its default is 8 per core)


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (``mallopt(M_ARENA_MAX)``) unless ``MALLOC_ARENA_MAX`` is set; True if applied.

    Each worker thread of the server may get its own arena, and memory freed in one arena is not
    reused by another: under ten minutes of mixed load two processes grew 12–15% with the default
    and 5% with two arenas (docs/benchmarks.md, soak). No library sets this; on a C library other
    than glibc nothing is done.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = getattr(libc, "mallopt", None)
    except OSError:
        return False
    m_arena_max = -8  # glibc's malloc.h
    return bool(mallopt and mallopt(m_arena_max, arenas) == 1)


def _bound_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve_one(host: str, port: int, log_level: str) -> None:
    import uvicorn

    from nlp_service.api.metrics import log_requests

    limit_malloc_arenas()
    log_requests(log_level)
    sock = _bound_socket(host, port)
    config = uvicorn.Config("nlp_service.api.app:create_app", factory=True, log_level=log_level, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _load_shared_pipeline() -> bool:
    """Build the pipeline here for the processes about to be forked; False where they are spawned (not Linux).

    ``build_pipeline`` settles the heap (``pipeline.settle_heap``): collections in the processes do
    not write to (and copy) the pages they share.
    """
    if not sys.platform.startswith("linux"):  # macOS: system libraries are not safe to fork once loaded
        return False
    from nlp_service.api import app
    from nlp_service.settings import get_settings

    limit_malloc_arenas()  # before the models are allocated: the processes inherit this heap
    app.SHARED_PIPELINE = (os.getpid(), app.build_pipeline(get_settings()))
    return True


def serve(host: str, port: int, workers: int, log_level: str = "info") -> int:
    """Run ``workers`` (≥ 2) server processes on ``host:port`` until SIGINT/SIGTERM; their worst exit status.

    One process needs none of this: ``nlp-service serve`` runs it with uvicorn directly.
    """
    import uvicorn

    if not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run("nlp_service.api.app:create_app", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level)
        return 0
    _bound_socket(host, port).close()  # a port in use fails here, once, with a clear error
    # forked after the models are loaded (shared), else a fresh interpreter each that loads its own
    ctx: Any = multiprocessing.get_context("fork" if _load_shared_pipeline() else "spawn")
    procs = [ctx.Process(target=_serve_one, args=(host, port, log_level), daemon=False) for _ in range(workers)]
    for p in procs:
        p.start()
    print(f"nlp_service: {workers} processes on http://{host}:{port} (pids {', '.join(str(p.pid) for p in procs)})",
          file=sys.stderr)

    def stop(signum: int, _frame: object) -> None:
        for p in procs:
            if p.is_alive() and p.pid is not None:
                os.kill(p.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for p in procs:
        p.join()
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal: such an end is clean
    clean = {0, -signal.SIGTERM, -signal.SIGINT}
    return max((0 if p.exitcode in clean else abs(p.exitcode or 1)) for p in procs)
