"""The KMS provider's key-version state, shared by every replica through the object store.

KMS keeps old key material after ``RotateKeyOnDemand``, so which KEK versions exist and which are
retired is the vault's own record: ``{current_version, min_decryption_version}``. It lives beside the
models, as an append-only sequence of records created only if absent::

    keys/<sha256(key id)[:16]>/state-0000000002.json

The newest record is the state. A change writes record n+1 with ``put_bytes_if_absent``; of two
replicas changing it at once exactly one wins and the other re-reads and re-applies its change. So
a rotation or retirement done through one replica is seen by all of them: each re-reads the state at
most ``refresh_s`` after its last read (and at once when it meets a version newer than it knows).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.vault.storage.object_store import ObjectNotFound, ObjectStore

RECORD_DIGITS = 10
MAX_CHANGE_ATTEMPTS = 20


@dataclass(frozen=True)
class KeyState:
    current_version: int = 1
    min_decryption_version: int = 1


class KeyStateConflict(Exception):
    """The state kept changing under us: too many replicas changing keys at the same time."""


class KeyStateLog:
    def __init__(
        self,
        store: ObjectStore,
        key_id: str,
        *,
        refresh_s: float = 5.0,
        legacy_state_file: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._prefix = f"keys/{hashlib.sha256(key_id.encode()).hexdigest()[:16]}/"
        self._key_id = key_id
        self._refresh_s = refresh_s
        self._legacy_state_file = legacy_state_file
        self._clock = clock
        self._lock = threading.Lock()
        self._sequence = -1
        self._state = KeyState()
        self._read_at = float("-inf")

    def _record_key(self, sequence: int) -> str:
        return f"{self._prefix}state-{sequence:0{RECORD_DIGITS}d}.json"

    def _latest(self) -> tuple[int, KeyState]:
        records = [key for key in self._store.list_keys(self._prefix) if key.endswith(".json")]
        if not records:
            return 0, self._imported_legacy_state()
        newest = records[-1]  # zero-padded sequence numbers sort in order
        sequence = int(newest[len(self._prefix) + len("state-") : -len(".json")])
        try:
            doc = json.loads(self._store.get_bytes(newest))
        except ObjectNotFound:  # never deleted; only a store wiped under us
            return 0, KeyState()
        return sequence, KeyState(int(doc["current_version"]), int(doc["min_decryption_version"]))

    def _imported_legacy_state(self) -> KeyState:
        """Vaults that kept this state in a local file (before it was shared) start from it."""
        if self._legacy_state_file is None or not self._legacy_state_file.exists():
            return KeyState()
        doc = json.loads(self._legacy_state_file.read_text())
        return KeyState(int(doc["current_version"]), int(doc["min_decryption_version"]))

    def current(self, *, refresh: bool = False) -> KeyState:
        """The state as of at most ``refresh_s`` ago (now when ``refresh``)."""
        with self._lock:
            if refresh or self._clock() - self._read_at >= self._refresh_s:
                self._sequence, self._state = self._latest()
                self._read_at = self._clock()
            return self._state

    def change(self, apply: Callable[[KeyState], KeyState]) -> KeyState:
        """Apply ``apply`` to the newest state and publish the result as the next record; when
        another replica published first, apply again to what it wrote. ``apply`` may raise to
        refuse the change; it may run more than once."""
        for _ in range(MAX_CHANGE_ATTEMPTS):
            sequence, state = self._latest()
            changed = apply(state)
            doc = {
                "key_id": self._key_id,
                "current_version": changed.current_version,
                "min_decryption_version": changed.min_decryption_version,
            }
            if self._store.put_bytes_if_absent(self._record_key(sequence + 1), json.dumps(doc).encode()):
                with self._lock:
                    self._sequence, self._state, self._read_at = sequence + 1, changed, self._clock()
                return changed
        raise KeyStateConflict(f"key state changed {MAX_CHANGE_ATTEMPTS} times while being updated")
