"""MAC_ADDRESS: colon/dash pairs or Cisco dotted quads, one separator throughout."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class MacAddressRecognizer(PatternRecognizer):
    ENTITY = "MAC_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("mac_pairs", r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b", 0.6),
        Pattern("mac_dotted", r"\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b", 0.5),
    )
    CONTEXT = frozenset({"mac", "ethernet", "nic", "hardware", "wifi", "bssid"})
    TAIL = r"[0-9A-Fa-f][0-9A-Fa-f:.-]{0,16}"
    MAX_LEN = 17

    def validate_result(self, value: str) -> bool | None:
        separators = {char for char in value if not char.isalnum()}
        if len(separators) != 1:
            return False
        return None
