"""Bounded extraction: at most ``NLPS_MAX_CONCURRENT_EXTRACTIONS`` at once, a bounded queue, a time limit.

Extraction is CPU work in a worker thread. A request waits for a free slot only while fewer than
``NLPS_MAX_QUEUED_EXTRACTIONS`` others wait; beyond that it is answered at once with 503 and
``Retry-After`` (never a hang). A request whose extraction runs past ``NLPS_REQUEST_TIMEOUT``
seconds is answered 503 too; its thread cannot be stopped, so it keeps its slot until it ends
(the process and its other requests are unaffected, and no more threads than slots ever run).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

T = TypeVar("T")


class Overloaded(Exception):
    """The request cannot be served now: the queue is full, or it ran past the time limit."""

    def __init__(self, detail: str, code: str, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.detail, self.code, self.retry_after = detail, code, retry_after


class Slots:
    """The slots and the queue of one app."""

    def __init__(self, slots: int, queue: int, timeout: float) -> None:
        self.semaphore = asyncio.Semaphore(slots)
        self.queue, self.timeout, self.waiting = queue, timeout, 0

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a worker thread, within the bounds (or :class:`Overloaded`)."""
        if self.semaphore.locked() and self.waiting >= self.queue:
            raise Overloaded(f"All extraction slots are busy and {self.waiting} requests wait already; retry "
                             "shortly.", "overloaded")
        self.waiting += 1
        try:
            await self.semaphore.acquire()
        finally:
            self.waiting -= 1
        task = asyncio.ensure_future(run_in_threadpool(fn, *args, **kwargs))
        task.add_done_callback(lambda _: self.semaphore.release())  # the slot is free when the thread is
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.timeout)
        except TimeoutError:
            raise Overloaded(f"The extraction took longer than {self.timeout:g} s (NLPS_REQUEST_TIMEOUT); "
                             "send a shorter text or retry later.", "timeout", retry_after=5) from None


async def run(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` in the app's bounded extraction slots."""
    slots: Slots = request.app.state.slots
    return await slots.run(fn, *args, **kwargs)
