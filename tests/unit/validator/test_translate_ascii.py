"""``ciphers.translate_ascii`` (rot13, Caesar shifts and leetspeak on any text through UTF-8 bytes) gives what
``str.translate`` gives, on any text: ASCII, other scripts, emoji, lone surrogates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from services.validator import ciphers
from services.validator.layers import _LEET_BYTES
from services.validator.normalize import LEET_TABLE

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("abcxyzABCXYZ013457@$!|+ \n"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    ),
    max_size=80,
)


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.integers(min_value=1, max_value=25))
def test_shift_is_str_translate(text: str, places: int) -> None:
    assert ciphers.shift(text, places) == text.translate(ciphers._SHIFT_TABLES[places])
    assert ciphers.rot13(text) == text.translate(ciphers.ROT13_TABLE)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_leet_bytes_are_the_leet_table(text: str) -> None:
    assert ciphers.translate_ascii(text, _LEET_BYTES) == text.translate(LEET_TABLE)


def _keyword_shifts_reference(text: str) -> list[int]:
    # The substring searches keyword_shifts made before one Set pass replaced them.
    lowered = text.lower()
    counts = []
    for places, words in ciphers._SHIFTED_KEYWORDS.items():
        found = sum(1 for word in words if word in lowered)
        if found:
            counts.append((-found, places))
    return [places for _, places in sorted(counts)[:2]]


_SHIFTED = sorted({word for words in ciphers._SHIFTED_KEYWORDS.values() for word in words})


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_SHIFTED),
            st.sampled_from(_SHIFTED).map(str.upper),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz ДЖ你", max_size=12),
        ),
        max_size=12,
    )
)
def test_keyword_shifts_is_the_substring_search(parts: list[str]) -> None:
    text = " ".join(parts)
    assert ciphers.keyword_shifts(text) == _keyword_shifts_reference(text)
