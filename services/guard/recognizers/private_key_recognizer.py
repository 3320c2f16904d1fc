"""PRIVATE_KEY: PEM private key blocks (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP).

The body may not contain "--", so a block always ends at the first END line.
"""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer

_LABEL = r"[A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----"


class PrivateKeyRecognizer(PatternRecognizer):
    ENTITY = "PRIVATE_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "pem_private_key",
            r"-----BEGIN" + _LABEL + r"(?:[A-Za-z0-9+/=\s:,.]|-[A-Za-z0-9])*?-----END" + _LABEL,
            1.0,
        ),
    )
    CONTEXT = frozenset({"key", "private", "pem", "rsa", "ssh"})
    TAIL = r"-----BEGIN" + _LABEL + r"[A-Za-z0-9+/=\s:,.-]*"
    MAX_LEN = 16000
    START_MARKER = "-----BEGIN"
    MARKER_PREFIX_TAIL = r"-[-A-Z ]{0,70}"
    MARKER_PREFIX_LEN = 71

    def validate_result(self, value: str) -> bool | None:
        return len(value) <= self.MAX_LEN
