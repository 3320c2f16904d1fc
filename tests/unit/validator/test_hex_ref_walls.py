"""Walls of hexadecimal references of several digit counts: padded by one ``replace`` per count that
occurs and one XOR (``decode._hex_counts_marked``) instead of one ``int`` call per reference."""

from __future__ import annotations

import random

import pytest

from services.validator import decode
from tests.unit.validator.reference import reference_entity_decode


def mixed_walls(seed: int) -> list[str]:
    rng = random.Random(seed)
    between = ["", "", " ", "+", "\u00e9", "\u4e00", "%", "\n"]  # no "&", "#", ";", hex digit or "x"
    walls = []
    for _ in range(40):
        counts = rng.sample(range(1, 9), rng.randint(2, 8))
        refs = []
        for _ in range(rng.randint(2, 400)):
            count = rng.choice(counts)
            code = rng.randint(0, 16**count - 1)
            refs.append(f"&#{rng.choice('xX')}{code:0{count}x};{rng.choice(between)}")
        walls.append("".join(refs) + rng.choice(["", "tail", "&#x41"]))
    return walls


@pytest.mark.parametrize("text", mixed_walls(29))
def test_mixed_count_walls_decode_like_the_reference(text: str) -> None:
    assert decode._entity_decode(text) == reference_entity_decode(text)


def test_the_mixed_count_path_is_taken() -> None:
    taken = 0
    for text in mixed_walls(29):
        data = text.encode()
        end = data.rfind(b";") + 1
        digits = data[:end].translate(None, decode._WALLS[1].digits)
        taken += decode._hex_counts_marked(digits, digits.translate(decode._HEX_SHAPE)) is not None
    assert taken > 30


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"&#x{(0x41 + i) if i % 2 else (0x1F600 + i % 80):x};" for i in range(20000))[:99000],
        "".join(f"&#X{0x41 + i % 26:x};&#x{0x10000 + i:X};" for i in range(3000)),
        "&#x41;&#x000000041;" * 500,  # nine digits: the per-reference reading
        "&#x41;&#x110000;&#xd800;&#x0;" * 300,  # codes that are no character
    ],
)
def test_wall_shapes_decode_like_the_reference(text: str) -> None:
    assert decode._entity_decode(text) == reference_entity_decode(text)


def test_marked_digits_are_those_of_the_role_map() -> None:
    digits = b"x41;X1f600;x0;xABCDEF12;"
    marked = decode._hex_counts_marked(digits, digits.translate(decode._HEX_SHAPE))
    assert marked == (b".41?1f600'0vABCDEF12", [1, 2, 5, 8])
    assert decode._hex_counts_marked(b"x123456789;x1;", b"xhhhhhhhhh;xh;") is None
