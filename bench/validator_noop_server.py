"""A no-op ValidatorService built the plain way (baseline for the gRPC benchmark).

``grpc.aio.server()`` with the generated servicer only: no interceptors, no auth, no metrics, so the
benchmark compares the validator as deployed with the cheapest possible server on the same proto.

Run: python -m bench.validator_noop_server PORT
"""

from __future__ import annotations

import asyncio
import signal
import sys

import grpc
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


async def main(port: int) -> None:
    server = grpc.aio.server()
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
    asyncio.run(main(int(sys.argv[1])))
