"""Instance taggers kept per (tenant, conversation) so tags stay stable across requests."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from services.guard.operators import InstanceTagger


class ConversationTaggers:
    """A bounded LRU with a time-to-live; values are remembered as keyed hashes only."""

    def __init__(
        self, key: bytes, ttl_s: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._key = key
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[tuple[str, str], tuple[InstanceTagger, float]] = OrderedDict()

    def for_request(self, tenant: str, conversation_id: str) -> InstanceTagger:
        """The conversation's tagger, or a fresh one for a request without a conversation."""
        if not conversation_id:
            return InstanceTagger(self._key)
        now = self._clock()
        key = (tenant, conversation_id)
        entry = self._entries.pop(key, None)
        tagger = entry[0] if entry is not None and now - entry[1] < self._ttl_s else InstanceTagger(self._key)
        self._entries[key] = (tagger, now)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return tagger
