"""The authentication and authorization table against a real server on port 0."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from google.rpc import error_details_pb2

from services.common.errors import details_of
from services.common.server import RunningServer, serve
from tests.conftest import JwksKeys, MakeToken, token_claims
from tests.integration.common.support import (
    LIST_POLICIES,
    SERVING,
    VALIDATOR,
    ScriptedValidator,
    bearer,
    health_status,
    make_settings,
    sample,
    validate_request,
    validator_definition,
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made_jwt(header: dict[str, object], claims: dict[str, object], key: bytes | None) -> str:
    """A JWT built without PyJWT (which refuses alg=none and PEM HMAC keys)."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = b"" if key is None else hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def flip_signature(token: str) -> str:
    head, body, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[0] ^= 0x01
    return f"{head}.{body}.{b64url(bytes(raw))}"


def swap_payload(token: str, claims: dict[str, object]) -> str:
    head, _body, signature = token.split(".")
    return f"{head}.{b64url(json.dumps(claims).encode())}.{signature}"


@dataclass
class AuthServer:
    running: RunningServer
    stub: validator_pb2_grpc.ValidatorServiceStub
    channel: grpc.aio.Channel


@pytest_asyncio.fixture(scope="module")
async def auth_server(dev_key_file: Path, rsa_jwks: JwksKeys) -> AsyncIterator[AuthServer]:
    settings = make_settings(
        auth_enabled=True,
        jwt_hs256_key_file=dev_key_file,
        jwt_jwks_file=rsa_jwks.path,
        ratelimit_enabled=False,
    )
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            yield AuthServer(running, validator_pb2_grpc.ValidatorServiceStub(channel), channel)


# Each case builds the `authorization` metadata from (make_token, rsa_jwks).
MetadataBuilder = Callable[[MakeToken, JwksKeys], tuple[tuple[str, str], ...]]

UNAUTHENTICATED_CASES: list[tuple[str, MetadataBuilder, str]] = [
    ("missing token", lambda mk, keys: (), "MISSING_TOKEN"),
    ("basic scheme", lambda mk, keys: (("authorization", "Basic dXNlcjpwYXNz"),), "MALFORMED_TOKEN"),
    ("empty bearer", lambda mk, keys: (("authorization", "Bearer "),), "MALFORMED_TOKEN"),
    ("not a jwt", lambda mk, keys: bearer("definitely-not-a-jwt"), "MALFORMED_TOKEN"),
    ("expired", lambda mk, keys: bearer(mk(exp=int(time.time()) - 3600)), "TOKEN_EXPIRED"),
    ("not yet valid", lambda mk, keys: bearer(mk(nbf=int(time.time()) + 3600)), "TOKEN_NOT_YET_VALID"),
    ("wrong audience", lambda mk, keys: bearer(mk(aud="someone-else")), "WRONG_AUDIENCE"),
    ("wrong issuer", lambda mk, keys: bearer(mk(iss="evil")), "WRONG_ISSUER"),
    ("missing sub", lambda mk, keys: bearer(mk(sub=None)), "MISSING_CLAIM"),
    (
        "alg none",
        lambda mk, keys: bearer(hand_made_jwt({"alg": "none", "typ": "JWT"}, token_claims(), None)),
        "ALGORITHM_NOT_ALLOWED",
    ),
    (
        "alg None spelled differently",
        lambda mk, keys: bearer(hand_made_jwt({"alg": "NONE", "typ": "JWT"}, token_claims(), None)),
        "ALGORITHM_NOT_ALLOWED",
    ),
    (
        "alg HS512 not in allow-list",
        lambda mk, keys: bearer(hand_made_jwt({"alg": "HS512", "typ": "JWT"}, token_claims(), b"k" * 32)),
        "ALGORITHM_NOT_ALLOWED",
    ),
    (
        # Key confusion: an HS256 token "signed" with the RSA public key PEM.
        "hs256 signed with the rs256 public key",
        lambda mk, keys: bearer(
            hand_made_jwt(
                {"alg": "HS256", "typ": "JWT", "kid": keys.rsa_kid}, token_claims(), keys.rsa_public_pem
            )
        ),
        "BAD_SIGNATURE",
    ),
    ("tampered signature", lambda mk, keys: bearer(flip_signature(mk())), "BAD_SIGNATURE"),
    (
        "tampered payload",
        lambda mk, keys: bearer(
            swap_payload(mk(scopes=["validator:validate"]), token_claims(scopes=["admin"]))
        ),
        "BAD_SIGNATURE",
    ),
    (
        "tampered rs256 signature",
        lambda mk, keys: bearer(flip_signature(keys.sign_rs256(token_claims()))),
        "BAD_SIGNATURE",
    ),
    (
        "unknown kid",
        lambda mk, keys: bearer(keys.sign_rs256(token_claims(), kid="rotated-away")),
        "UNKNOWN_KEY",
    ),
    (
        "es256 header pointing at the rsa key",
        lambda mk, keys: bearer(keys.sign_es256(token_claims(), kid=keys.rsa_kid)),
        "ALGORITHM_NOT_ALLOWED",
    ),
]


@pytest.mark.parametrize(
    ("builder", "reason"),
    [pytest.param(builder, reason, id=name) for name, builder, reason in UNAUTHENTICATED_CASES],
)
async def test_rejected_credentials(
    auth_server: AuthServer, make_token: MakeToken, rsa_jwks: JwksKeys, builder: MetadataBuilder, reason: str
) -> None:
    registry = auth_server.running.registry
    before = sample(registry, "aisec_auth_failures_total", service="test", reason=reason)
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await auth_server.stub.Validate(validate_request(), metadata=builder(make_token, rsa_jwks), timeout=5)
    assert raised.value.code() is grpc.StatusCode.UNAUTHENTICATED
    infos = [d for d in details_of(raised.value) if isinstance(d, error_details_pb2.ErrorInfo)]
    assert [(i.reason, i.domain) for i in infos] == [(reason, "aisec")]
    assert sample(registry, "aisec_auth_failures_total", service="test", reason=reason) == before + 1
    assert (
        sample(
            registry,
            "aisec_grpc_requests_total",
            service="test",
            method="/aisec.validator.v1.ValidatorService/Validate",
            code="UNAUTHENTICATED",
        )
        >= 1
    )


@pytest.mark.parametrize(
    "builder",
    [
        pytest.param(lambda mk, keys: bearer(mk(scopes=["validator:validate"])), id="hs256 dev key"),
        pytest.param(lambda mk, keys: bearer(mk(scopes=["validator:*"])), id="hs256 wildcard scope"),
        pytest.param(lambda mk, keys: bearer(mk(scopes=["admin"])), id="hs256 admin"),
        pytest.param(
            lambda mk, keys: bearer(keys.sign_rs256(token_claims(scopes=["validator:validate"]))),
            id="rs256 jwks",
        ),
        pytest.param(
            lambda mk, keys: bearer(keys.sign_es256(token_claims(scopes=["validator:validate"]))),
            id="es256 jwks",
        ),
        pytest.param(
            lambda mk, keys: bearer(mk(scopes=["validator:validate"], exp=int(time.time()) - 5)),
            id="expired within leeway",
        ),
    ],
)
async def test_accepted_credentials(
    auth_server: AuthServer, make_token: MakeToken, rsa_jwks: JwksKeys, builder: MetadataBuilder
) -> None:
    reply = await auth_server.stub.Validate(
        validate_request(), metadata=builder(make_token, rsa_jwks), timeout=5
    )
    assert reply.decision.allowed
    assert reply.decision.message == "tester@default"  # the handler saw the caller's identity


async def test_identity_reaches_the_handler(auth_server: AuthServer, make_token: MakeToken) -> None:
    token = make_token(scopes=["validator:validate"], tenant="acme", subject="svc-42")
    reply = await auth_server.stub.Validate(validate_request(), metadata=bearer(token), timeout=5)
    assert reply.decision.message == "svc-42@acme"


async def test_missing_scope_is_permission_denied(auth_server: AuthServer, make_token: MakeToken) -> None:
    registry = auth_server.running.registry
    method = "/aisec.validator.v1.ValidatorService/Validate"
    before = sample(registry, "aisec_permission_denied_total", service="test", method=method)
    token = make_token(scopes=["guard:redact", "validator:validatex", "validator"])
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await auth_server.stub.Validate(validate_request(), metadata=bearer(token), timeout=5)
    assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED
    [info] = [d for d in details_of(raised.value) if isinstance(d, error_details_pb2.ErrorInfo)]
    assert info.reason == "MISSING_SCOPE"
    assert info.metadata["required_scope"] == "validator:validate"
    assert sample(registry, "aisec_permission_denied_total", service="test", method=method) == before + 1


async def test_method_without_scope_entry_needs_only_authentication(
    auth_server: AuthServer, make_token: MakeToken
) -> None:
    token = make_token(scopes=[])
    reply = await auth_server.stub.ValidateBatch(
        validator_pb2.ValidateBatchRequest(inputs=[validator_pb2.Input(id="a")]),
        metadata=bearer(token),
        timeout=5,
    )
    assert [r.input_id for r in reply.results] == ["a"]
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await auth_server.stub.ValidateBatch(validator_pb2.ValidateBatchRequest(), timeout=5)
    assert raised.value.code() is grpc.StatusCode.UNAUTHENTICATED


async def test_method_missing_from_scope_map_is_refused_even_for_admin(
    auth_server: AuthServer, make_token: MakeToken
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await auth_server.stub.ListPolicies(
            validator_pb2.ListPoliciesRequest(), metadata=bearer(make_token(scopes=["admin"])), timeout=5
        )
    assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED
    [info] = [d for d in details_of(raised.value) if isinstance(d, error_details_pb2.ErrorInfo)]
    assert info.reason == "METHOD_NOT_ALLOWED"
    assert LIST_POLICIES in (raised.value.details() or "")


async def test_health_needs_no_token(auth_server: AuthServer) -> None:
    assert await health_status(auth_server.running.target, VALIDATOR) == SERVING


async def test_jwks_only_server_refuses_hs256_key_confusion(rsa_jwks: JwksKeys) -> None:
    """Without an HS256 key configured, an HS256 token signed with the RSA public
    key is refused by algorithm, never verified against the RSA key."""
    settings = make_settings(auth_enabled=True, jwt_jwks_file=rsa_jwks.path, ratelimit_enabled=False)
    forged = hand_made_jwt(
        {"alg": "HS256", "typ": "JWT", "kid": rsa_jwks.rsa_kid},
        token_claims(scopes=["admin"]),
        rsa_jwks.rsa_public_pem,
    )
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.Validate(validate_request(), metadata=bearer(forged), timeout=5)
            assert raised.value.code() is grpc.StatusCode.UNAUTHENTICATED
            [info] = [d for d in details_of(raised.value) if isinstance(d, error_details_pb2.ErrorInfo)]
            assert info.reason == "ALGORITHM_NOT_ALLOWED"
            ok = await stub.Validate(
                validate_request(),
                metadata=bearer(rsa_jwks.sign_rs256(token_claims(scopes=["validator:validate"]))),
                timeout=5,
            )
            assert ok.decision.allowed
