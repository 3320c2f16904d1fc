"""Request ids come from a pool of OS random bytes: every byte used once, and a forked child never
hands out ids its parent will."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from services.validator import service
from services.validator.service import new_request_id


def test_ids_use_fresh_bytes_across_pool_refills() -> None:
    count = 3 * service._ID_POOL_BYTES // 16 + 5  # more than three refills
    ids = [new_request_id() for _ in range(count)]
    assert len(set(ids)) == count
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_reuse_the_parents_pool() -> None:
    new_request_id()  # the pool now holds bytes for the parent's next ids
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.write(write, new_request_id().encode())
        finally:
            os._exit(0)
    os.close(write)
    child_id = os.read(read, 64).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert len(child_id) == 32
    assert child_id != new_request_id()


def test_concurrent_callers_never_share_an_id() -> None:
    results: list[list[str]] = [[] for _ in range(8)]
    start = threading.Barrier(len(results))

    def work(out: list[str]) -> None:
        start.wait()
        out.extend(new_request_id() for _ in range(3000))

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [value for out in results for value in out]
    assert len(set(ids)) == len(ids) == 8 * 3000
