"""The explicit list of detectors, by id. Adding a detector means adding it here."""

from __future__ import annotations

from services.validator.detectors import (
    data_exfiltration,
    indirect_injection,
    instruction_override,
    jailbreak,
    multilingual,
    obfuscation,
    payload_splitting,
    role_injection,
    secrets,
    system_prompt_extraction,
    token_flooding,
)
from services.validator.detectors.base import Detector

DETECTORS: tuple[Detector, ...] = (
    instruction_override.DETECTOR,
    system_prompt_extraction.DETECTOR,
    role_injection.DETECTOR,
    jailbreak.DETECTOR,
    data_exfiltration.DETECTOR,
    payload_splitting.DETECTOR,
    token_flooding.DETECTOR,
    secrets.DETECTOR,
    multilingual.DETECTOR,
    indirect_injection.DETECTOR,
    obfuscation.DETECTOR,
)
BY_ID: dict[str, Detector] = {d.id: d for d in DETECTORS}
CATEGORIES: tuple[str, ...] = tuple(sorted({d.category for d in DETECTORS}))
