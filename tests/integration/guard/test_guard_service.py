"""GuardService over real gRPC: scopes, redaction, batch, streams, canaries, bad input, audit, metrics."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import grpc
import pytest
from aisec.common.v1 import common_pb2
from aisec.guard.v1 import guard_pb2
from google.rpc import error_details_pb2

from services.common.errors import details_of
from tests.integration.guard.conftest import GuardServer

TEXT = "Reach jane.smith@acme-corp.com or (415) 555-2671; card 4111 1111 1111 1111; key AKIAIOSFODNN7EXAMPLE."


def bad_request_fields(error: grpc.aio.AioRpcError) -> set[str]:
    fields: set[str] = set()
    for detail in details_of(error):
        if isinstance(detail, error_details_pb2.BadRequest):
            fields |= {violation.field for violation in detail.field_violations}
    return fields


async def test_redact_applies_the_default_policy_and_audits_counts(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    response = await client.Redact(
        guard_pb2.RedactRequest(meta=common_pb2.RequestMeta(request_id="r-1"), text=TEXT)
    )
    assert response.request_id == "r-1"
    assert response.text == (
        "Reach <EMAIL_ADDRESS_1> or <PHONE_NUMBER_1>; card ***************1111; key <AWS_ACCESS_KEY>."
    )
    assert (
        response.contains_sensitive and response.decision.allowed and response.decision.reason == "REDACTED"
    )
    spans = [(r.entity_type, TEXT[r.start : r.end]) for r in response.redactions]
    assert ("EMAIL_ADDRESS", "jane.smith@acme-corp.com") in spans
    assert all(
        response.text[r.output_start : r.output_end]
        for r in response.redactions
        if r.entity_type != "CREDIT_CARD"
    )
    event = guard_server.emitter.recent[-1]
    assert event.request_id == "r-1" and event.tenant == "acme" and event.action == "redact"
    assert dict(event.finding_counts) == {
        "EMAIL_ADDRESS": 1,
        "PHONE_NUMBER": 1,
        "CREDIT_CARD": 1,
        "AWS_ACCESS_KEY": 1,
    }
    assert b"jane" not in event.SerializeToString()
    assert (
        guard_server.metric(
            "aisec_guard_redactions_total", {"entity_type": "CREDIT_CARD", "operator": "mask"}
        )
        == 1
    )
    await client.close()


async def test_scopes_are_enforced(guard_server: GuardServer) -> None:
    reader = guard_server.stub(scopes=("validator:validate",))
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await reader.Redact(guard_pb2.RedactRequest(text="hi"))
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
    redactor = guard_server.stub()
    for call in (
        redactor.Deanonymize(guard_pb2.DeanonymizeRequest(text="x")),
        redactor.RegisterCanary(guard_pb2.RegisterCanaryRequest(name="c", canaries=["CANARY-0001"])),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call
        assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
    await reader.close()
    await redactor.close()


async def test_encrypt_then_deanonymize_needs_the_scope_and_the_tenant(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    request = guard_pb2.RedactRequest(
        text="SSN 536-22-8741",
        operators={"US_SSN": guard_pb2.OperatorConfig(operator=guard_pb2.OPERATOR_ENCRYPT)},
    )
    redacted = await client.Redact(request)
    assert redacted.text.startswith("SSN <ENC:US_SSN:")
    again = await client.Redact(request)
    assert again.text == redacted.text  # deterministic
    owner = guard_server.stub(scopes=("guard:deanonymize",))
    restored = await owner.Deanonymize(guard_pb2.DeanonymizeRequest(text=redacted.text))
    assert (restored.text, restored.restored) == ("SSN 536-22-8741", 1)
    other_tenant = guard_server.stub(scopes=("guard:deanonymize",), tenant="globex")
    assert (await other_tenant.Deanonymize(guard_pb2.DeanonymizeRequest(text=redacted.text))).restored == 0
    for stub in (client, owner, other_tenant):
        await stub.close()


async def test_bad_input_is_invalid_argument_with_bad_request(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    cases = [
        (guard_pb2.RedactRequest(text="x", entities=["NOT_AN_ENTITY"]), {"entities"}),
        (
            guard_pb2.RedactRequest(
                text="x",
                operators={
                    "CREDIT_CARD": guard_pb2.OperatorConfig(
                        operator=guard_pb2.OPERATOR_MASK, masking_char="ab"
                    )
                },
            ),
            {"operators[CREDIT_CARD].masking_char"},
        ),
        (
            guard_pb2.RedactRequest(text="x", operators={"BOGUS": guard_pb2.OperatorConfig(operator=1)}),
            {"operators[BOGUS]"},
        ),
        (
            guard_pb2.RedactRequest(text="x", operators={"URL": guard_pb2.OperatorConfig()}),
            {"operators[URL].operator"},
        ),
        (guard_pb2.RedactRequest(text="x" * 10_001), {"text"}),
        (guard_pb2.RedactRequest(text="x", policy="nope"), {"policy"}),
        (guard_pb2.RedactRequest(text="x", canaries=["abc"]), {"canaries[0]"}),
    ]
    for request, fields in cases:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await client.Redact(request)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert bad_request_fields(raised.value) == fields
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await client.RedactBatch(guard_pb2.RedactBatchRequest(items=[guard_pb2.RedactRequest(text="x")] * 5))
    assert bad_request_fields(raised.value) == {"items"}
    await client.close()


async def test_batch_keeps_order_ids_and_batch_policy(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    response = await client.RedactBatch(
        guard_pb2.RedactBatchRequest(
            meta=common_pb2.RequestMeta(request_id="b"),
            policy="strict",
            items=[
                guard_pb2.RedactRequest(
                    meta=common_pb2.RequestMeta(request_id="one"), text="mail a@example.com"
                ),
                guard_pb2.RedactRequest(text="nothing here"),
                guard_pb2.RedactRequest(text="mail a@example.com", policy="default"),
            ],
        )
    )
    assert [r.request_id for r in response.results] == ["one", "b-1", "b-2"]
    assert [r.text for r in response.results] == ["mail ", "nothing here", "mail <EMAIL_ADDRESS_1>"]
    assert [r.contains_sensitive for r in response.results] == [True, False, True]
    await client.close()


async def _chunks(
    config: guard_pb2.RedactStreamConfig, text: str, size: int
) -> AsyncIterator[guard_pb2.RedactStreamRequest]:
    yield guard_pb2.RedactStreamRequest(config=config)
    for index in range(0, len(text), size):
        yield guard_pb2.RedactStreamRequest(chunk=text[index : index + size])


async def test_stream_output_equals_whole_text_redaction(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    whole = await client.Redact(guard_pb2.RedactRequest(text=TEXT))
    for size in (1, 3, 17):
        responses = [
            r async for r in client.RedactStream(_chunks(guard_pb2.RedactStreamConfig(), TEXT, size))
        ]
        assert "".join(r.text for r in responses) == whole.text
        assert responses[-1].final and not any(r.final for r in responses[:-1])
        assert [r.entity_type for m in responses for r in m.redactions] == [
            r.entity_type for r in whole.redactions
        ]
    assert guard_server.metric("aisec_guard_open_streams") == 0
    assert guard_server.metric("aisec_guard_held_back_chars_count") > 0
    await client.close()


async def test_stream_needs_config_first(guard_server: GuardServer) -> None:
    client = guard_server.stub()

    async def no_config() -> AsyncIterator[guard_pb2.RedactStreamRequest]:
        yield guard_pb2.RedactStreamRequest(chunk="hello")

    with pytest.raises(grpc.aio.AioRpcError) as raised:
        async for _ in client.RedactStream(no_config()):
            pass
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    await client.close()


async def test_cancelled_stream_never_emits_what_it_held_back(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    release = asyncio.Event()

    async def requests() -> AsyncIterator[guard_pb2.RedactStreamRequest]:
        yield guard_pb2.RedactStreamRequest(config=guard_pb2.RedactStreamConfig())
        yield guard_pb2.RedactStreamRequest(chunk="Hello there. My card is 4111 1111 11")
        await release.wait()

    call = client.RedactStream(requests())
    first = await call.read()
    assert first.text.startswith("Hello there.") and "4111" not in first.text and first.held_back > 0
    call.cancel()
    release.set()
    texts = [first.text]
    with pytest.raises(asyncio.CancelledError):
        while (message := await call.read()) is not grpc.aio.EOF:
            texts.append(message.text)
    assert "4111" not in "".join(texts)
    for _ in range(500):
        if guard_server.metric("aisec_guard_open_streams") == 0:
            break
        await asyncio.sleep(0.01)
    assert guard_server.metric("aisec_guard_open_streams") == 0
    await client.close()


async def test_registered_canary_and_system_prompt_block_output(guard_server: GuardServer) -> None:
    admin = guard_server.stub(scopes=("guard:admin",))
    registered = await admin.RegisterCanary(
        guard_pb2.RegisterCanaryRequest(
            name="support-bot",
            canaries=["ZEBRA-42-CANARY"],
            system_prompt="You are Atlas, the internal assistant of Initech. Never reveal the launch code.",
            min_run_words=6,
        )
    )
    assert registered.canary_count == 1 and registered.fingerprint_shingles > 0
    client = guard_server.stub()
    leaked = await client.Redact(guard_pb2.RedactRequest(text="the marker is ZEBRA-42-CANARY ok"))
    assert not leaked.decision.allowed and leaked.decision.reason == "CANARY_LEAK" and leaked.text == ""
    assert leaked.findings[0].rule_id == "canary" and leaked.findings[0].category == "leak"
    prompt = await client.Redact(
        guard_pb2.RedactRequest(text="My rules: you are Atlas, the internal assistant of Initech. Bye")
    )
    assert prompt.decision.reason == "SYSTEM_PROMPT_LEAK"
    responses = [
        r
        async for r in client.RedactStream(
            _chunks(
                guard_pb2.RedactStreamConfig(), "Fine. You are Atlas, the internal assistant of Initech. x", 2
            )
        )
    ]
    assert responses[-1].blocked and "Atlas" not in "".join(r.text for r in responses)
    other = guard_server.stub(tenant="globex")
    assert (await other.Redact(guard_pb2.RedactRequest(text="ZEBRA-42-CANARY"))).decision.allowed
    assert (await admin.DeleteCanary(guard_pb2.DeleteCanaryRequest(name="support-bot"))).deleted
    assert (await client.Redact(guard_pb2.RedactRequest(text="ZEBRA-42-CANARY"))).decision.allowed
    assert guard_server.metric("aisec_guard_leaks_detected_total", {"kind": "canary"}) == 1
    assert guard_server.metric("aisec_guard_blocked_total", {"reason": "CANARY_LEAK"}) == 1
    for stub in (admin, client, other):
        await stub.close()


async def test_policy_hot_reload_and_broken_file_keeps_last_good(guard_server: GuardServer) -> None:
    client = guard_server.stub()
    path = guard_server.policy_dir / "strict.yaml"

    async def strict_text() -> str:
        return (await client.Redact(guard_pb2.RedactRequest(text="mail a@example.com", policy="strict"))).text

    assert await strict_text() == "mail "
    path.write_text("operators: {DEFAULT: {operator: replace}}\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    for _ in range(200):
        if await strict_text() == "mail <EMAIL_ADDRESS>":
            break
        await asyncio.sleep(0.02)
    assert await strict_text() == "mail <EMAIL_ADDRESS>"
    path.write_text("operators: {DEFAULT: {operator: shred}}\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2 * 10**9))
    for _ in range(200):
        if guard_server.metric("aisec_policy_reloads_total", {"service": "guard", "result": "failure"}) >= 1:
            break
        await asyncio.sleep(0.02)
    assert guard_server.metric("aisec_policy_reloads_total", {"service": "guard", "result": "failure"}) >= 1
    assert await strict_text() == "mail <EMAIL_ADDRESS>"
    await client.close()


async def test_cli_text_batch_and_stream(guard_server: GuardServer, tmp_path: os.PathLike[str]) -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    token = guard_server.token(scopes=("guard:redact",), tenant="acme")
    common = ["--target", guard_server.target, "--token", token]
    cli = [sys.executable, "-m", "services.client.cli"]

    def run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, "redact", *argv, *common], input=stdin, capture_output=True, text=True, timeout=30
        )

    single = await asyncio.to_thread(run, "SSN 536-22-8741 please")
    assert single.returncode == 0, single.stderr
    assert json.loads(single.stdout)["text"] == "SSN <US_SSN> please"

    batch_file = Path(tmp_path) / "in.jsonl"
    batch_file.write_text('{"id": "a", "text": "mail a@example.com"}\n{"id": 2, "text": "clean"}\n')
    batch = await asyncio.to_thread(run, "--batch", str(batch_file))
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 2]
    assert lines[0]["text"] == "mail <EMAIL_ADDRESS_1>"
    assert lines[0]["findings"] == [{"entity_type": "EMAIL_ADDRESS", "start": 5, "end": 18, "score": 1.0}]

    streamed = await asyncio.to_thread(run, "--stream", stdin=TEXT)
    whole = json.loads((await asyncio.to_thread(run, TEXT)).stdout)["text"]
    assert streamed.returncode == 0, streamed.stderr
    assert streamed.stdout == whole

    bad = await asyncio.to_thread(run, "x", "--entities", "NOPE")
    assert bad.returncode == 2 and "INVALID_ARGUMENT" in bad.stderr
