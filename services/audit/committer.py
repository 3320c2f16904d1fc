"""Group commit: concurrent appends share one durable transaction.

Callers submit lists of entries and await a future. One writer task takes
everything queued (up to ``max_batch`` events), writes it in a single
transaction on a dedicated thread, and resolves each caller's future only after
COMMIT returned, i.e. once the batch is durable. While one batch is being
written the next one accumulates, so throughput grows with concurrency while a
lone caller pays one commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from services.audit.metrics import AuditMetrics
from services.audit.store.base import Appended, LogStore, NewEntry

log = logging.getLogger("aisec.audit.committer")

OnCommitted = Callable[[list[Appended]], Awaitable[None]]


class CommitterClosedError(RuntimeError):
    """The committer is shut down and accepts no more appends."""


class GroupCommitter:
    def __init__(
        self,
        store: LogStore,
        metrics: AuditMetrics,
        on_committed: OnCommitted,
        max_batch: int = 5000,
    ) -> None:
        self._store = store
        self._metrics = metrics
        self._on_committed = on_committed
        self._max_batch = max_batch
        self._pending: deque[tuple[Sequence[NewEntry], asyncio.Future[list[Appended]]]] = deque()
        self._wake = asyncio.Event()
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        # One thread: transactions run one at a time, in submission order.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-commit")

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="audit-group-commit")

    async def append(self, entries: Sequence[NewEntry]) -> list[Appended]:
        """Receipts for ``entries``, in order, once they are durable."""
        if self._closed:
            raise CommitterClosedError("audit log is shutting down")
        if not entries:
            return []
        future: asyncio.Future[list[Appended]] = asyncio.get_running_loop().create_future()
        self._pending.append((entries, future))
        self._wake.set()
        # A cancelled caller cancels only its future; the writer skips done futures.
        return await future

    def _take_batch(self) -> list[tuple[Sequence[NewEntry], asyncio.Future[list[Appended]]]]:
        batch: list[tuple[Sequence[NewEntry], asyncio.Future[list[Appended]]]] = []
        count = 0
        while self._pending and (not batch or count + len(self._pending[0][0]) <= self._max_batch):
            item = self._pending.popleft()
            batch.append(item)
            count += len(item[0])
        return batch

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._pending:
                if self._closed:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            batch = self._take_batch()
            entries = [entry for item, _ in batch for entry in item]
            started = time.perf_counter()
            try:
                appended = await loop.run_in_executor(self._executor, self._store.append, entries)
            except Exception as exc:
                log.exception("group commit failed", extra={"events": len(entries)})
                self._metrics.append_failures.inc()
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self._metrics.append_latency.observe(time.perf_counter() - started)
            self._metrics.batch_size.observe(len(entries))
            try:
                await self._on_committed(appended)
            except Exception:  # durable already: the tree catches up on its next sync
                log.exception("updating the tree after a commit failed")
            offset = 0
            for item, future in batch:
                if not future.done():
                    future.set_result(appended[offset : offset + len(item)])
                offset += len(item)

    async def aclose(self) -> None:
        """Stop accepting appends, finish the queued ones, stop the writer."""
        self._closed = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._executor.shutdown(wait=True)
