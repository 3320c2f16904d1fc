"""JWT: three base64url segments whose header and payload decode to JSON objects."""

import base64
import binascii
import json
from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


def _json_object(segment: str) -> dict[str, object] | None:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return decoded if isinstance(decoded, dict) else None


class JwtRecognizer(PatternRecognizer):
    ENTITY = "JWT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("jwt", r"\beyJ[A-Za-z0-9_-]{5,1000}\.eyJ[A-Za-z0-9_-]{5,1000}\.[A-Za-z0-9_-]{0,1000}", 0.5),
    )
    CONTEXT = frozenset({"jwt", "token", "bearer", "authorization"})
    TAIL = r"[A-Za-z0-9_.-]+"
    MAX_LEN = 3010
    START_MARKER = "eyJ"

    def validate_result(self, value: str) -> bool | None:
        header_segment, payload_segment, signature = value.split(".")
        header = _json_object(header_segment)
        if header is None or "alg" not in header or _json_object(payload_segment) is None:
            return False
        return bool(signature) or header.get("alg") == "none"
