"""`aisec health`: exit 0 only when every service reports SERVING."""

from __future__ import annotations

import argparse

import grpc
from grpc_health.v1 import health_pb2

from services.client.cli.common import EXIT_DENIED, EXIT_OK, add_common_options, make_client, print_json

SERVICES = {
    "validator": "aisec.validator.v1.ValidatorService",
    "guard": "aisec.guard.v1.GuardService",
    "vault": "aisec.vault.v1.VaultService",
    "audit": "aisec.audit.v1.AuditService",
}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("health", help="check that every service is SERVING")
    add_common_options(parser)
    parser.add_argument("services", nargs="*", choices=[*SERVICES, []], help="services to check (default all)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    names = args.services or list(SERVICES)
    healthy = True
    for name in names:
        status = "UNKNOWN"
        try:
            with make_client(args, name) as client:
                code = client.check_health(SERVICES[name], timeout_s=args.timeout or 3.0)
                status = health_pb2.HealthCheckResponse.ServingStatus.Name(code)  # type: ignore[arg-type]
        except grpc.RpcError as exc:
            status = f"UNREACHABLE ({exc.code().name})"
        healthy &= status == "SERVING"
        print_json({"service": name, "target": args.target or None, "status": status})
    return EXIT_OK if healthy else EXIT_DENIED
