"""JWT bearer authentication and scope checks.

HS256 with a shared secret for local development, RS256/ES256 against a JWKS
file in production. The algorithm allow-list is enforced before any key is
chosen, and the key is chosen by the algorithm family, so ``alg: none`` and
HS/RS key confusion (an HS256 token "signed" with the RSA public key) never
verify.
"""

from __future__ import annotations

import contextvars
import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ADMIN_SCOPE = "admin"
ANONYMOUS_TENANT = "default"


@dataclass(frozen=True)
class Identity:
    """Who is calling: the verified token's subject, tenant and scopes."""

    subject: str
    tenant: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    token_id: str = ""
    # Unix time the token stops being valid (exp); inf for identities not from a token.
    expires_at: float = field(default=float("inf"), compare=False)

    def has_scope(self, required: str) -> bool:
        """True when a granted scope equals ``required``, is ``admin``, or is a
        ``prefix*`` wildcard covering it (``vault:read:*`` covers ``vault:read:llama``)."""
        for granted in self.scopes:
            if granted == required or granted == ADMIN_SCOPE:
                return True
            if granted.endswith("*") and required.startswith(granted[:-1]):
                return True
        return False


ANONYMOUS = Identity(subject="anonymous", tenant=ANONYMOUS_TENANT, scopes=frozenset({ADMIN_SCOPE}))

_current: contextvars.ContextVar[Identity] = contextvars.ContextVar("aisec_identity", default=ANONYMOUS)


def current_identity() -> Identity:
    """The caller of the RPC being handled (ANONYMOUS admin when auth is off)."""
    return _current.get()


def set_identity(identity: Identity) -> contextvars.Token[Identity]:
    return _current.set(identity)


class AuthError(Exception):
    """A token was missing or did not verify. ``reason`` is a bounded code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


HMAC_ALGORITHMS = frozenset({"HS256"})
ASYMMETRIC_ALGORITHMS = {"RS256": "RSA", "ES256": "EC"}


class TokenVerifier:
    """Verifies bearer tokens into Identities."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithms: Iterable[str],
        hs256_key: bytes | None = None,
        jwks: dict[str, Any] | None = None,
        leeway_s: int = 30,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.algorithms = frozenset(algorithms) - {"none"}
        self.hs256_key = hs256_key
        self.leeway_s = leeway_s
        self._public_keys: dict[str, tuple[str, Any]] = {}  # kid -> (kty, key)
        for jwk in (jwks or {}).get("keys", []):
            kty = jwk.get("kty")
            kid = jwk.get("kid", "")
            if kty == "RSA":
                self._public_keys[kid] = ("RSA", RSAAlgorithm.from_jwk(json.dumps(jwk)))
            elif kty == "EC":
                self._public_keys[kid] = ("EC", ECAlgorithm.from_jwk(json.dumps(jwk)))
            else:
                raise ValueError(f"unsupported JWK key type {kty!r} (kid {kid!r}); use RSA or EC")

    @classmethod
    def from_files(
        cls,
        *,
        issuer: str,
        audience: str,
        algorithms: Iterable[str],
        hs256_key_file: Path | None,
        jwks_file: Path | None,
        leeway_s: int,
    ) -> TokenVerifier:
        hs_key = read_secret(hs256_key_file) if hs256_key_file else None
        jwks = json.loads(Path(jwks_file).read_text()) if jwks_file else None
        return cls(
            issuer=issuer,
            audience=audience,
            algorithms=algorithms,
            hs256_key=hs_key,
            jwks=jwks,
            leeway_s=leeway_s,
        )

    def _key_for(self, header: dict[str, Any]) -> Any:
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise AuthError("ALGORITHM_NOT_ALLOWED", f"token algorithm {alg!r} is not allowed")
        if alg in HMAC_ALGORITHMS:
            if not self.hs256_key:
                raise AuthError("ALGORITHM_NOT_ALLOWED", "HS256 tokens are not accepted by this server")
            return self.hs256_key
        family = ASYMMETRIC_ALGORITHMS.get(alg)
        if family is None:
            raise AuthError("ALGORITHM_NOT_ALLOWED", f"token algorithm {alg!r} is not supported")
        kid = header.get("kid", "")
        entry = self._public_keys.get(kid)
        if entry is None and not kid and len(self._public_keys) == 1:
            entry = next(iter(self._public_keys.values()))
        if entry is None:
            raise AuthError("UNKNOWN_KEY", "token key id is not in the JWKS")
        kty, key = entry
        if kty != family:
            raise AuthError("ALGORITHM_NOT_ALLOWED", f"{alg} token for a {kty} key")
        return key

    def verify(self, token: str) -> Identity:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("MALFORMED_TOKEN", "bearer token is not a JWT") from None
        key = self._key_for(header)
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[header["alg"]],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("TOKEN_EXPIRED", "token has expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthError("TOKEN_NOT_YET_VALID", "token is not yet valid") from None
        except jwt.InvalidAudienceError:
            raise AuthError("WRONG_AUDIENCE", "token audience is not accepted") from None
        except jwt.InvalidIssuerError:
            raise AuthError("WRONG_ISSUER", "token issuer is not accepted") from None
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError("MISSING_CLAIM", f"token lacks the {exc.claim!r} claim") from None
        except jwt.InvalidSignatureError:
            raise AuthError("BAD_SIGNATURE", "token signature does not verify") from None
        except jwt.PyJWTError:
            raise AuthError("INVALID_TOKEN", "token is invalid") from None
        scopes = claims.get("scope", claims.get("scopes", ""))
        if isinstance(scopes, str):
            scope_set = frozenset(scopes.split())
        elif isinstance(scopes, list):
            scope_set = frozenset(str(s) for s in scopes)
        else:
            raise AuthError("INVALID_TOKEN", "token scope claim must be a string or list")
        tenant = claims.get("tenant") or ANONYMOUS_TENANT
        return Identity(
            subject=str(claims["sub"]),
            tenant=str(tenant),
            scopes=scope_set,
            token_id=str(claims.get("jti", "")),
            expires_at=float(claims["exp"]),
        )


def bearer_token(metadata: Iterable[tuple[str, str | bytes]] | None) -> str:
    """Extract the bearer token from ``authorization`` metadata."""
    for key, value in metadata or ():
        if key.lower() == "authorization":
            text = value.decode() if isinstance(value, bytes) else value
            scheme, _, token = text.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthError("MALFORMED_TOKEN", "authorization must be 'Bearer <token>'")
            return token.strip()
    raise AuthError("MISSING_TOKEN", "missing bearer token in 'authorization' metadata")


def read_secret(path: Path) -> bytes:
    """Read a key file; surrounding whitespace is ignored."""
    data = Path(path).read_bytes().strip()
    if len(data) < 32:
        raise ValueError(f"secret in {path} is shorter than 32 bytes")
    return data


def mint_token(
    key: bytes,
    subject: str,
    tenant: str = ANONYMOUS_TENANT,
    scopes: Iterable[str] = (ADMIN_SCOPE,),
    ttl_s: int = 3600,
    issuer: str = "aisec",
    audience: str = "aisec",
    now: float | None = None,
) -> str:
    """An HS256 token (local development and tests)."""
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": subject,
        "tenant": tenant,
        "scope": " ".join(sorted(scopes)),
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_s,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, key, algorithm="HS256")


def new_secret() -> bytes:
    """A fresh random secret, hex encoded (64 characters)."""
    return secrets.token_hex(32).encode()
