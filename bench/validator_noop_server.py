"""A no-op ValidatorService built the plain way (baseline for the gRPC benchmark).

``grpc.aio.server()`` with the generated servicer only: no interceptors, no auth, no metrics, so the
benchmark compares the validator as deployed with the cheapest possible server on the same proto.

Run: python -m bench.validator_noop_server PORT [uvloop] [audit] [work=MICROSECONDS | part=NAME]
(uvloop: run on uvloop's event loop; audit: serve a no-op AuditService instead, an audit sink that
accepts and discards AppendStream batches, for running the validator with audit delivery on;
work=N: each Validate first spends N µs of CPU holding the GIL, as a handler written in Python does:
the calibration rows of the gRPC benchmark, which show what a given handler cost does to the ratio;
part=NAME: each Validate first does that part of the validator's work on the request's text (``PARTS``):
where the validator's cost goes inside a server)
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc

if TYPE_CHECKING:
    from services.validator.engine import ValidatorEngine


def _engine() -> ValidatorEngine:
    from services.validator.engine import ValidatorEngine

    engine = ValidatorEngine()
    engine.warm_up()
    return engine


def _evaluate() -> Callable[[str], object]:
    from services.validator.policy import PolicyStore
    from services.validator.settings import DEFAULT_POLICY_FILE

    engine, policy = _engine(), PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
    assert policy is not None
    return lambda text: engine.evaluate(text, "user", policy)


def _set_passes(fixed: bytes | None = None) -> Callable[[], Callable[[str], object]]:
    def build() -> Callable[[str], object]:
        sets = [compiled for compiled, _ in _engine()._scanner._sets]
        if fixed is not None:
            return lambda _text: [compiled.Match(fixed) for compiled in sets]
        return lambda text: [compiled.Match(text.encode("utf-8")) for compiled in sets]

    return build


# Parts of the validator's work a no-op handler can do first: name -> (what it is, a builder of it). The engine is
# imported only for these (a plain no-op server stays free of it).
PARTS: dict[str, tuple[str, Callable[[], Callable[[str], object]]]] = {
    "engine": ("the validator's engine on the request's text", _evaluate),
    "sets": ("the scanner's Set passes over the request's text", _set_passes()),
    "tiny": ("the scanner's Set passes over five bytes", _set_passes(b"hello")),
}


def busy(seconds: float) -> Callable[[str], object]:
    """Busy, holding the GIL (a pure-Python loop), for the given time: a stand-in handler cost."""

    def loop(_text: str) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            pass

    return loop


class NoopValidator(validator_pb2_grpc.ValidatorServiceServicer):
    def __init__(self, work: Callable[[str], object] | None = None) -> None:
        self._work = work

    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        if self._work is not None:
            self._work(request.input.text)
        return validator_pb2.ValidateResponse(
            request_id=request.meta.request_id,
            decision=common_pb2.Decision(allowed=True, reason="ALLOWED", message="allowed"),
            policy="default",
        )


class NoopAudit(audit_pb2_grpc.AuditServiceServicer):
    async def AppendStream(
        self,
        request_iterator: AsyncIterator[audit_pb2.AppendStreamRequest],
        context: grpc.aio.ServicerContext,
    ) -> audit_pb2.AppendStreamResponse:
        async for _request in request_iterator:
            pass
        return audit_pb2.AppendStreamResponse()


async def main(port: int, audit: bool = False, work: Callable[[str], object] | None = None) -> None:
    server = grpc.aio.server()
    if audit:
        audit_pb2_grpc.add_AuditServiceServicer_to_server(NoopAudit(), server)
    else:
        validator_pb2_grpc.add_ValidatorServiceServicer_to_server(NoopValidator(work), server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print(f"READY {bound}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await server.stop(grace=1.0)


if __name__ == "__main__":
    if "uvloop" in sys.argv[2:]:
        import uvloop

        uvloop.install()
    handler_work: Callable[[str], object] | None = None
    for arg in sys.argv[2:]:
        if arg.startswith("work="):
            handler_work = busy(float(arg.partition("=")[2]) / 1e6)
        elif arg.startswith("part="):
            handler_work = PARTS[arg.partition("=")[2]][1]()
    asyncio.run(main(int(sys.argv[1]), audit="audit" in sys.argv[2:], work=handler_work))
