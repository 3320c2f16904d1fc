"""URL: http(s) and www. links with a known TLD (or an IP / localhost host)."""

import ipaddress
from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.ipv4 import ipv4_valid
from services.guard.recognizers.validators.tld import tld_valid

_TRAILING_PUNCTUATION = ".,;:!?'\")]}*"


class UrlRecognizer(PatternRecognizer):
    ENTITY = "URL"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("url_scheme", r"\bhttps?://[^\s<>\"'`{}|\\^]{1,990}", 0.5),
        Pattern("url_www", r"\bwww\.[A-Za-z0-9-]{1,63}\.[^\s<>\"'`{}|\\^]{2,990}", 0.5),
    )
    CONTEXT = frozenset({"url", "link", "website", "site", "visit", "see"})
    TAIL = r"[^\s<>\"'`{}|\\^]{1,1000}"
    MAX_LEN = 1000

    def trim(self, value: str) -> int:
        end = len(value)
        while end > 0 and value[end - 1] in _TRAILING_PUNCTUATION:
            # Keep a closing parenthesis that closes one inside the URL (wikipedia style).
            if value[end - 1] == ")" and value.count("(", 0, end) >= value.count(")", 0, end):
                break
            end -= 1
        return end

    def validate_result(self, value: str) -> bool | None:
        rest = value.split("://", 1)[-1]
        host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        if not host:
            return False
        if host == "localhost":
            return None
        address = host.strip("[]")
        # == ipaddress.ip_address(address) not raising: IPv6 needs a ":".
        if ipv4_valid(address):
            return None
        if ":" in address:
            try:
                ipaddress.IPv6Address(address)
                return None
            except ValueError:
                pass
        return None if "." in host and tld_valid(host) else False
