"""A no-op ValidatorService on the same shared server stack (baseline for the gRPC benchmark).

Run: python -m bench.validator_noop_server PORT   (auth and rate limits off, like the bench validator)
"""

from __future__ import annotations

import asyncio
import sys

import grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.server import ServiceDefinition, serve
from services.common.settings import load_settings
from services.validator.service import METHOD_SCOPES, SERVICE_NAME
from services.validator.settings import ValidatorSettings


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
    settings = load_settings(
        ValidatorSettings, port=port, host="127.0.0.1", auth_enabled=False, ratelimit_enabled=False
    )
    servicer = NoopValidator()
    definition = ServiceDefinition(
        name="validator",
        full_names=[SERVICE_NAME],
        register=lambda server: validator_pb2_grpc.add_ValidatorServiceServicer_to_server(servicer, server),
        method_scopes=METHOD_SCOPES,
    )
    async with serve(settings, definition, registry=CollectorRegistry(), handle_signals=True) as running:
        print(f"READY {running.port}", flush=True)
        await running.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
