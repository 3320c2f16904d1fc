"""A no-op ValidatorService built the plain way (baseline for the gRPC benchmark).

``grpc.aio.server()`` with the generated servicer only: no interceptors, no auth, no metrics, so the
benchmark compares the validator as deployed with the cheapest possible server on the same proto.

Run: python -m bench.validator_noop_server PORT [uvloop] [audit] [work=MICROSECONDS]
(uvloop: run on uvloop's event loop; audit: serve a no-op AuditService instead, an audit sink that
accepts and discards AppendStream batches, for running the validator with audit delivery on;
work=N: each Validate first spends N µs of CPU holding the GIL, as a handler written in Python does:
the calibration rows of the gRPC benchmark, which show what a given handler cost does to the ratio)
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import AsyncIterator

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc


class NoopValidator(validator_pb2_grpc.ValidatorServiceServicer):
    def __init__(self, work_s: float = 0.0) -> None:
        self._work_s = work_s

    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        if self._work_s:
            # Busy, holding the GIL (a pure-Python loop), for the given time: a stand-in handler cost.
            until = time.perf_counter() + self._work_s
            while time.perf_counter() < until:
                pass
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


async def main(port: int, audit: bool = False, work_us: float = 0.0) -> None:
    server = grpc.aio.server()
    if audit:
        audit_pb2_grpc.add_AuditServiceServicer_to_server(NoopAudit(), server)
    else:
        validator_pb2_grpc.add_ValidatorServiceServicer_to_server(NoopValidator(work_us / 1e6), server)
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
    work = [float(arg.partition("=")[2]) for arg in sys.argv[2:] if arg.startswith("work=")]
    asyncio.run(main(int(sys.argv[1]), audit="audit" in sys.argv[2:], work_us=work[-1] if work else 0.0))
