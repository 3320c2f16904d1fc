"""The explicit registry: one recognizer per file named after its class, unique entities, valid RE2."""

from __future__ import annotations

import inspect
from pathlib import Path

import re2

from services.common.settings import load_settings
from services.guard.recognizers.registry import ENTITY_TYPES, RECOGNIZER_CLASSES
from services.guard.settings import GuardSettings


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name)).replace(
        "open_ai", "openai"
    )


def test_one_recognizer_per_file_named_after_its_class() -> None:
    for cls in RECOGNIZER_CLASSES:
        assert Path(inspect.getfile(cls)).stem == _snake(cls.__name__)
    assert len({cls.ENTITY for cls in RECOGNIZER_CLASSES}) == len(RECOGNIZER_CLASSES) == len(ENTITY_TYPES)


def test_patterns_and_tails_compile_and_bound_their_length() -> None:
    for cls in RECOGNIZER_CLASSES:
        for pattern in cls.PATTERNS:
            re2.compile(pattern.regex)
        re2.compile(cls.TAIL)
        assert cls.MAX_LEN > 0


def test_settings_defaults_load() -> None:
    settings = load_settings(GuardSettings, auth_enabled=False)
    assert settings.port == 50052 and (settings.policy_dir / "default.yaml").is_file()
