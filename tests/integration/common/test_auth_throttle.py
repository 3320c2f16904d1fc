"""Failed authentications are budgeted per client address (real server on port 0)."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from aisec.validator.v1 import validator_pb2_grpc
from google.rpc import error_details_pb2

from services.common.errors import details_of
from services.common.interceptors import AuthFailureThrottle, peer_address
from services.common.server import serve
from tests.conftest import MakeToken
from tests.integration.common.support import (
    ScriptedValidator,
    bearer,
    make_settings,
    sample,
    validate_request,
    validator_definition,
)


@pytest.mark.parametrize(
    ("peer", "address"),
    [
        ("ipv4:10.0.0.7:5123", "ipv4:10.0.0.7"),
        ("ipv6:[::1]:5123", "ipv6:::/64"),
        ("ipv6:[2001:db8:0:7:a:b:c:d]:443", "ipv6:2001:db8:0:7::/64"),
        ("ipv6:[2001:db8:0:7::2]:443", "ipv6:2001:db8:0:7::/64"),
        ("ipv6:[fe80::1%eth0]:443", "ipv6:fe80::/64"),
        ("ipv6:[::ffff:10.0.0.7]:5123", "ipv4:10.0.0.7"),
        ("ipv6:[not-an-address]:1", "ipv6:[not-an-address]:1"),
        ("unix:/run/aisec.sock", "unix:/run/aisec.sock"),
        ("", ""),
    ],
)
def test_peer_address_drops_the_port(peer: str, address: str) -> None:
    assert peer_address(peer) == address


def test_throttle_refills_at_its_rate() -> None:
    now = [100.0]
    throttle = AuthFailureThrottle(rate=0.5, burst=2, clock=lambda: now[0])
    assert throttle.retry_after("ipv4:10.0.0.7") == 0
    throttle.failed("ipv4:10.0.0.7")
    throttle.failed("ipv4:10.0.0.7")
    assert throttle.retry_after("ipv4:10.0.0.7") == pytest.approx(2.0)
    assert throttle.retry_after("ipv4:10.0.0.8") == 0  # other addresses keep their budget
    now[0] += 1.0
    assert throttle.retry_after("ipv4:10.0.0.7") == pytest.approx(1.0)
    now[0] += 1.0
    assert throttle.retry_after("ipv4:10.0.0.7") == 0


async def test_an_address_that_keeps_failing_is_refused_unchecked(
    dev_key_file: Path, make_token: MakeToken
) -> None:
    settings = make_settings(
        auth_enabled=True,
        jwt_hs256_key_file=dev_key_file,
        ratelimit_enabled=False,
        auth_failure_rate=0.01,
        auth_failure_burst=3,
    )
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        registry = running.metrics.registry
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            known = make_token(scopes=["validator:validate"], subject="known")
            await stub.Validate(validate_request(), metadata=bearer(known), timeout=5)  # verified, cached

            for _ in range(3):
                with pytest.raises(grpc.aio.AioRpcError) as failed:
                    await stub.Validate(validate_request(), metadata=bearer("not.a.token"), timeout=5)
                assert failed.value.code() is grpc.StatusCode.UNAUTHENTICATED
            with pytest.raises(grpc.aio.AioRpcError) as failed:
                await stub.Validate(validate_request(), metadata=(), timeout=5)  # a missing token counts too
            assert failed.value.code() is grpc.StatusCode.UNAUTHENTICATED

            # Budget used up: bad tokens and tokens not verified yet are refused without a check.
            for metadata in (bearer("not.a.token"), bearer(make_token(scopes=["validator:validate"]))):
                with pytest.raises(grpc.aio.AioRpcError) as refused:
                    await stub.Validate(validate_request(), metadata=metadata, timeout=5)
                assert refused.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
                assert "failed authentications" in (refused.value.details() or "")
                details = details_of(refused.value)
                retry = [d for d in details if isinstance(d, error_details_pb2.RetryInfo)]
                assert retry and retry[0].retry_delay.seconds > 0
                quota = [d for d in details if isinstance(d, error_details_pb2.QuotaFailure)]
                assert quota and quota[0].violations[0].subject == "client-address"

            # A caller whose token was verified before is never throttled, even from the same address.
            reply = await stub.Validate(validate_request(), metadata=bearer(known), timeout=5)
            assert reply.decision.message == "known@default"

        assert sample(registry, "aisec_auth_throttled_total", service="test") == 2
        assert sample(registry, "aisec_auth_failures_total", service="test", reason="MALFORMED_TOKEN") == 3
        assert sample(registry, "aisec_auth_failures_total", service="test", reason="MISSING_TOKEN") == 1


async def test_throttle_can_be_turned_off(dev_key_file: Path) -> None:
    settings = make_settings(
        auth_enabled=True, jwt_hs256_key_file=dev_key_file, ratelimit_enabled=False, auth_failure_rate=0
    )
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            for _ in range(30):
                with pytest.raises(grpc.aio.AioRpcError) as failed:
                    await stub.Validate(validate_request(), metadata=bearer("not.a.token"), timeout=5)
                assert failed.value.code() is grpc.StatusCode.UNAUTHENTICATED
