"""TextHasher continues from a keyed copy: the same digest as a one-shot HMAC-SHA256, every time."""

from __future__ import annotations

import hmac
import random
import threading

from services.common.emitter import TextHasher


def texts() -> list[str]:
    rng = random.Random(7)
    alphabet = [*map(chr, range(32, 127)), "é", "ß", "日", "\U0001f600", "\ud800", "\x00"]
    out = ["", "a", "x" * 63, "x" * 64, "x" * 65]
    for length in (1, 55, 56, 64, 119, 2048, 70_000):
        out.append("".join(rng.choice(alphabet) for _ in range(length)))
    return out


def test_digests_match_one_shot_hmac_and_do_not_depend_on_earlier_texts() -> None:
    key = bytes(range(40))
    hasher = TextHasher(key, "k1")
    for text in texts() * 2:
        assert hasher.hmac(text) == hmac.digest(key, text.encode("utf-8", "surrogatepass"), "sha256")
    assert TextHasher(b"other key 16 bytes", "k2").hmac("a") != hasher.hmac("a")


def test_concurrent_hashing_gives_the_same_digests() -> None:
    key = b"k" * 32
    hasher = TextHasher(key, "k1")
    cases = texts()
    want = [hmac.digest(key, t.encode("utf-8", "surrogatepass"), "sha256") for t in cases]
    failures: list[int] = []

    def work() -> None:
        for _ in range(30):
            for index, text in enumerate(cases):
                if hasher.hmac(text) != want[index]:
                    failures.append(index)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
