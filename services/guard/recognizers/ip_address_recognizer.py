"""IP_ADDRESS: IPv4 and IPv6, validated with ``ipaddress``.

Dotted runs of more than four numbers (``1.2.3.4.5``) are consumed whole and
rejected, and "version"/"release" before a match halves its score: version
strings are shaped like addresses.
"""

import ipaddress
from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.ipv4 import ipv4_valid


class IpAddressRecognizer(PatternRecognizer):
    ENTITY = "IP_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("ipv4", r"\b(?:\d{1,3}\.){3}\d{1,3}(?:\.\d{1,9}){0,5}\b", 0.6),
        Pattern("ipv6", r"(?:\b[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}", 0.6),
    )
    CONTEXT = frozenset({"ip", "ips", "address", "host", "server", "client", "ipv4", "ipv6", "from"})
    NEGATIVE_CONTEXT = frozenset({"version", "v", "release", "build", "ver", "firmware", "python", "node"})
    TAIL = r"[0-9A-Fa-f:][0-9A-Fa-f:.]{0,64}"
    MAX_LEN = 65
    # A confirmed address is likely but not certain (version strings).
    VALIDATED_SCORE = 0.8

    def validate_result(self, value: str) -> bool | None:
        if ":" not in value:
            return ipv4_valid(value)  # == ipaddress.IPv4Address(value) not raising
        if len(value) < 3:
            return False
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            return False
        return True
