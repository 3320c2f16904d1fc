"""Leak detection: canary strings and system-prompt fingerprints.

A system prompt is kept only as keyed hashes of its word shingles (runs of
``min_run_words`` consecutive words, lower-cased); output that repeats such a
run verbatim is a leak. Canaries are exact strings. Both are registered per
tenant (``CanaryRegistry``) or passed with a single request.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import re2

DEFAULT_MIN_RUN_WORDS = 8
MAX_WORD_CHARS = 64
_WORD = re2.compile(r"[\p{L}\p{N}]+")


def words_with_spans(text: str, pos: int = 0) -> list[tuple[int, int, str]]:
    """Words of ``text[pos:]`` as (start, end, lower-cased word)."""
    return [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text, pos)]


@dataclass(frozen=True)
class PromptFingerprint:
    """Keyed hashes of every ``min_run_words``-word shingle of a system prompt."""

    shingles: frozenset[bytes]
    min_run_words: int
    key: bytes

    @classmethod
    def of(
        cls, prompt: str, min_run_words: int = DEFAULT_MIN_RUN_WORDS, key: bytes | None = None
    ) -> PromptFingerprint:
        key = key or secrets.token_bytes(32)
        words = [word for _, _, word in words_with_spans(prompt)]
        shingles = frozenset(
            _shingle_hash(key, words[index : index + min_run_words])
            for index in range(len(words) - min_run_words + 1)
        )
        return cls(shingles, min_run_words, key)

    def leaked_runs(
        self, words: list[tuple[int, int, str]], skip_first: bool = False
    ) -> list[tuple[int, int]]:
        """Spans of ``text`` covered by runs of shingles of the prompt, merged."""
        runs: list[tuple[int, int]] = []
        size = self.min_run_words
        for index in range(1 if skip_first else 0, len(words) - size + 1):
            window = words[index : index + size]
            if _shingle_hash(self.key, [word for _, _, word in window]) in self.shingles:
                start, end = window[0][0], window[-1][1]
                if runs and start <= runs[-1][1]:
                    runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
                else:
                    runs.append((start, end))
        return runs


def _shingle_hash(key: bytes, words: list[str]) -> bytes:
    return hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), key=key, digest_size=16).digest()


@dataclass(frozen=True)
class CanaryRegistration:
    name: str
    canaries: tuple[str, ...]
    fingerprint: PromptFingerprint | None


def make_registration(
    name: str, canaries: Iterable[str], system_prompt: str, min_run_words: int, key: bytes
) -> CanaryRegistration:
    """Distinct non-empty canaries, and the prompt's keyed fingerprint (only when one is given)."""
    fingerprint = PromptFingerprint.of(system_prompt, min_run_words, key) if system_prompt else None
    return CanaryRegistration(name, tuple(dict.fromkeys(c for c in canaries if c)), fingerprint)


class CanaryRegistry:
    """Registrations per tenant, in memory (canaries are re-registered on deploy)."""

    def __init__(self, fingerprint_key: bytes | None = None) -> None:
        self._key = fingerprint_key or secrets.token_bytes(32)
        self._by_tenant: dict[str, dict[str, CanaryRegistration]] = {}
        self._lock = threading.Lock()

    def register(
        self, tenant: str, name: str, canaries: Iterable[str], system_prompt: str, min_run_words: int
    ) -> CanaryRegistration:
        registration = make_registration(name, canaries, system_prompt, min_run_words, self._key)
        with self._lock:
            self._by_tenant.setdefault(tenant, {})[name] = registration
        return registration

    def delete(self, tenant: str, name: str) -> bool:
        with self._lock:
            return self._by_tenant.get(tenant, {}).pop(name, None) is not None

    def for_tenant(self, tenant: str) -> list[CanaryRegistration]:
        with self._lock:
            return list(self._by_tenant.get(tenant, {}).values())
