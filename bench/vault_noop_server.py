"""A no-op VaultService for the baseline: PutModel drains the stream, GetModel streams a file.

Same proto, same 1 MiB chunks, same grpc.aio server and message limits as the vault, but no
crypto, no hashing, no storage: what the transport alone costs.
Usage: python bench/vault_noop_server.py PORT FILE
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

import grpc
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

CHUNK = 1024 * 1024


class NoopVault(vault_pb2_grpc.VaultServiceServicer):
    def __init__(self, path: str) -> None:
        self._path = path

    async def PutModel(
        self, request_iterator: AsyncIterator[vault_pb2.PutModelRequest], context: grpc.aio.ServicerContext
    ) -> vault_pb2.PutModelResponse:
        size = 0
        async for message in request_iterator:
            size += len(message.chunk)
        return vault_pb2.PutModelResponse(manifest=vault_pb2.Manifest(size=size))

    async def GetModel(
        self, request: vault_pb2.GetModelRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[vault_pb2.GetModelResponse]:
        yield vault_pb2.GetModelResponse(manifest=vault_pb2.Manifest())
        with open(self._path, "rb") as handle:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield vault_pb2.GetModelResponse(chunk=chunk)


async def main(port: int, path: str) -> None:
    options = [("grpc.max_receive_message_length", 16 << 20), ("grpc.max_send_message_length", 16 << 20)]
    server = grpc.aio.server(options=options)
    vault_pb2_grpc.add_VaultServiceServicer_to_server(NoopVault(path), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print("ready", flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
