"""How a recognised value is rewritten: redact, replace, instance tags, mask, HMAC, AES-SIV.

Encryption is deterministic (AES-SIV) so the same value gives the same token,
and reversible only through ``deanonymize`` (the ``guard:deanonymize`` scope).
The tenant and entity type are authenticated as associated data: a token
decrypts only for the tenant that produced it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum

import re2
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV


class OperatorKind(StrEnum):
    REDACT = "redact"
    REPLACE = "replace"
    INSTANCE_REPLACE = "instance_replace"
    MASK = "mask"
    HASH = "hash"
    ENCRYPT = "encrypt"
    KEEP = "keep"
    BLOCK = "block"


MAX_CHARS_TO_KEEP = 64


class OperatorConfigError(ValueError):
    """An operator setting is invalid; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class OperatorSpec:
    kind: OperatorKind
    masking_char: str = "*"
    chars_to_keep: int = 4
    keep_from_start: bool = False

    def check(self, field: str) -> OperatorSpec:
        """Raise OperatorConfigError for settings that make no sense; return self."""
        if self.kind == OperatorKind.MASK:
            if len(self.masking_char) != 1:
                raise OperatorConfigError(f"{field}.masking_char", "must be exactly one character")
            if not 0 <= self.chars_to_keep <= MAX_CHARS_TO_KEEP:
                raise OperatorConfigError(
                    f"{field}.chars_to_keep", f"must be between 0 and {MAX_CHARS_TO_KEEP}"
                )
        return self


@dataclass
class InstanceTagger:
    """Numbers distinct values per entity type: the same value keeps its tag.

    Values are remembered by keyed hash, never as text, so a tagger can live
    for a whole conversation.
    """

    key: bytes
    tags: dict[tuple[str, bytes], int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def tag(self, entity_type: str, value: str) -> str:
        digest = hmac.new(self.key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        key = (entity_type, digest)
        number = self.tags.get(key)
        if number is None:
            number = self.counters.get(entity_type, 0) + 1
            self.counters[entity_type] = number
            self.tags[key] = number
        return f"<{entity_type}_{number}>"


ENCRYPTED_TOKEN = re2.compile(r"<ENC:([A-Z][A-Z0-9_]{0,63}):([A-Za-z0-9_-]+)>")


class OperatorEngine:
    """Applies operators with the service's keys (HMAC key, AES-SIV key)."""

    def __init__(self, hash_key: bytes, encryption_key: bytes) -> None:
        if len(hash_key) < 16:
            raise ValueError("redaction hash key must be at least 16 bytes")
        if len(encryption_key) not in (32, 48, 64):
            raise ValueError("AES-SIV key must be 32, 48 or 64 bytes")
        self._hash_key = hash_key
        self._siv = AESSIV(encryption_key)

    def apply(
        self, spec: OperatorSpec, entity_type: str, value: str, tagger: InstanceTagger, tenant: str
    ) -> str:
        kind = spec.kind
        if kind == OperatorKind.REPLACE:
            return f"<{entity_type}>"
        if kind == OperatorKind.INSTANCE_REPLACE:
            return tagger.tag(entity_type, value)
        if kind == OperatorKind.REDACT:
            return ""
        if kind == OperatorKind.MASK:
            keep = min(spec.chars_to_keep, len(value))
            hidden = len(value) - keep
            if spec.keep_from_start:
                return value[:keep] + spec.masking_char * hidden
            return spec.masking_char * hidden + value[len(value) - keep :]
        if kind == OperatorKind.HASH:
            message = f"{entity_type}\x00{value}".encode("utf-8", "surrogatepass")
            return f"<{entity_type}:{hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()[:32]}>"
        if kind == OperatorKind.ENCRYPT:
            sealed = self._siv.encrypt(
                value.encode("utf-8", "surrogatepass"), [tenant.encode(), entity_type.encode()]
            )
            return f"<ENC:{entity_type}:{base64.urlsafe_b64encode(sealed).rstrip(b'=').decode()}>"
        # KEEP reports only; BLOCK never renders (the whole output is withheld).
        return value

    def deanonymize(self, text: str, tenant: str) -> tuple[str, int]:
        """Replace every ENCRYPT token this tenant produced by its value; count them."""
        pieces: list[str] = []
        last = 0
        restored = 0
        for match in ENCRYPTED_TOKEN.finditer(text):
            entity_type, payload = match.group(1), match.group(2)
            try:
                sealed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
                value = self._siv.decrypt(sealed, [tenant.encode(), entity_type.encode()]).decode("utf-8")
            except (InvalidTag, binascii.Error, ValueError):
                continue  # not ours (other tenant or key, or tampered): leave it as is
            pieces.append(text[last : match.start()])
            pieces.append(value)
            last = match.end()
            restored += 1
        pieces.append(text[last:])
        return "".join(pieces), restored
