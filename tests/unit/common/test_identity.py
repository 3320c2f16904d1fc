"""Identity scopes, bearer-token parsing and the verifier's key selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.common.auth import (
    ANONYMOUS,
    AuthError,
    Identity,
    TokenVerifier,
    bearer_token,
    mint_token,
    read_secret,
)
from tests.conftest import JwksKeys, token_claims


def identity(*scopes: str) -> Identity:
    return Identity(subject="alice", tenant="acme", scopes=frozenset(scopes))


@pytest.mark.parametrize(
    ("granted", "required", "allowed"),
    [
        (("vault:read:llama",), "vault:read:llama", True),
        (("vault:read:llama",), "vault:read:llama2", False),
        (("vault:read:*",), "vault:read:llama", True),
        (("vault:read:*",), "vault:read:team/llama", True),
        (("vault:read:*",), "vault:write:llama", False),
        (("vault:read:*",), "vault:read", False),  # the wildcard needs the trailing ':'
        (("vault:*",), "vault:admin", True),
        (("vault:*",), "vaultx:admin", False),
        (("*",), "audit:read", True),
        (("admin",), "vault:write:llama", True),
        (("admin",), "audit:append", True),
        (("guard:redact",), "guard:deanonymize", False),
        ((), "validator:validate", False),
        (("validator:validate", "guard:redact"), "guard:redact", True),
    ],
)
def test_has_scope(granted: tuple[str, ...], required: str, allowed: bool) -> None:
    assert identity(*granted).has_scope(required) is allowed


def test_anonymous_identity_is_admin() -> None:
    assert ANONYMOUS.has_scope("vault:admin")


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ((), "MISSING_TOKEN"),
        ((("x-other", "1"),), "MISSING_TOKEN"),
        ((("authorization", "Basic dXNlcjpwYXNz"),), "MALFORMED_TOKEN"),
        ((("authorization", "Bearer"),), "MALFORMED_TOKEN"),
        ((("authorization", "Bearer    "),), "MALFORMED_TOKEN"),
    ],
)
def test_bearer_token_errors(metadata: tuple[tuple[str, str], ...], reason: str) -> None:
    with pytest.raises(AuthError) as raised:
        bearer_token(metadata)
    assert raised.value.reason == reason


def test_bearer_token_parses_scheme_case_insensitively() -> None:
    assert bearer_token([("Authorization", "bearer abc.def.ghi")]) == "abc.def.ghi"
    assert bearer_token([("authorization", b"Bearer abc")]) == "abc"


def test_mint_token_round_trip(dev_key: bytes) -> None:
    verifier = TokenVerifier(issuer="aisec", audience="aisec", algorithms=["HS256"], hs256_key=dev_key)
    token = mint_token(dev_key, "svc", tenant="acme", scopes=["vault:read:*", "audit:append"])
    who = verifier.verify(token)
    assert who.subject == "svc"
    assert who.tenant == "acme"
    assert who.scopes == frozenset({"vault:read:*", "audit:append"})
    assert who.token_id


def test_scope_claim_as_list_and_default_tenant(dev_key: bytes) -> None:
    import jwt

    verifier = TokenVerifier(issuer="aisec", audience="aisec", algorithms=["HS256"], hs256_key=dev_key)
    claims = token_claims(tenant=None, scope=None)
    claims["scopes"] = ["a", "b"]
    who = verifier.verify(jwt.encode(claims, dev_key, algorithm="HS256"))
    assert who.scopes == frozenset({"a", "b"})
    assert who.tenant == "default"


def test_missing_exp_is_rejected(dev_key: bytes) -> None:
    import jwt

    verifier = TokenVerifier(issuer="aisec", audience="aisec", algorithms=["HS256"], hs256_key=dev_key)
    with pytest.raises(AuthError) as raised:
        verifier.verify(jwt.encode(token_claims(exp=None), dev_key, algorithm="HS256"))
    assert raised.value.reason == "MISSING_CLAIM"


def test_algorithm_outside_allow_list_is_rejected(rsa_jwks: JwksKeys) -> None:
    verifier = TokenVerifier(issuer="aisec", audience="aisec", algorithms=["ES256"], jwks=rsa_jwks.jwks)
    with pytest.raises(AuthError) as raised:
        verifier.verify(rsa_jwks.sign_rs256(token_claims()))
    assert raised.value.reason == "ALGORITHM_NOT_ALLOWED"
    assert verifier.verify(rsa_jwks.sign_es256(token_claims())).subject == "tester"


def test_none_is_never_allowed_even_if_configured(dev_key: bytes) -> None:
    verifier = TokenVerifier(
        issuer="aisec", audience="aisec", algorithms=["none", "HS256"], hs256_key=dev_key
    )
    assert "none" not in verifier.algorithms


def test_unsupported_jwk_type_fails_at_start() -> None:
    with pytest.raises(ValueError, match="unsupported JWK"):
        TokenVerifier(
            issuer="aisec",
            audience="aisec",
            algorithms=["RS256"],
            jwks={"keys": [{"kty": "oct", "k": "AAAA"}]},
        )


def test_short_secret_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "short.key"
    path.write_bytes(b"too-short\n")
    with pytest.raises(ValueError, match="shorter than 32"):
        read_secret(path)


def test_token_cache_expires_entries_and_is_bounded() -> None:
    """The interceptor's cache of verified tokens must not outlive a token."""
    import time

    from services.common.interceptors import _TokenCache

    cache = _TokenCache(size=2)
    who = identity("a")
    now = time.time()
    cache.put("t1", who, now + 1)
    assert cache.get("t1", now) is who
    assert cache.get("t1", now + 2) is None
    for token in ("a", "b", "c"):
        cache.put(token, who, now + 100)
    assert cache.get("a", now) is None  # evicted: bounded size
    assert cache.get("c", now) is who
