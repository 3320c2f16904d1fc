"""A no-op ValidatorService built the plain way (baseline for the gRPC benchmark).

``grpc.aio.server()`` with the generated servicer only: no interceptors, no auth, no metrics, so the
benchmark compares the validator as deployed with the cheapest possible server on the same proto.

Run: python -m bench.validator_noop_server PORT [uvloop] [audit]
(uvloop: run on uvloop's event loop; audit: serve a no-op AuditService instead, an audit sink that
accepts and discards AppendStream batches, for running the validator with audit delivery on)
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc


class NoopValidator(validator_pb2_grpc.ValidatorServiceServicer):
    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        return validator_pb2.ValidateResponse(
            request_id=request.meta.request_id,
            decision=common_pb2.Decision(allowed=True, reason="ALLOWED", message="allowed"),
            policy="default",
        )


class NoopAudit(audit_pb2_grpc.AuditServiceServicer):
    async def AppendStream(
        self, request_iterator: AsyncIterator[audit_pb2.AppendStreamRequest], context: grpc.aio.ServicerContext
    ) -> audit_pb2.AppendStreamResponse:
        async for _request in request_iterator:
            pass
        return audit_pb2.AppendStreamResponse()


async def main(port: int, audit: bool = False) -> None:
    server = grpc.aio.server()
    if audit:
        audit_pb2_grpc.add_AuditServiceServicer_to_server(NoopAudit(), server)
    else:
        validator_pb2_grpc.add_ValidatorServiceServicer_to_server(NoopValidator(), server)
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
    asyncio.run(main(int(sys.argv[1]), audit="audit" in sys.argv[2:]))
