"""The counted-repeat tokenizer both scanners use to widen their prefilter copies."""

from __future__ import annotations

from services.common.regex_tools import counted_repeats, rewrite_counted_repeats


def test_lists_ranges_only_outside_classes_and_escapes() -> None:
    regex = r"a{2,5}b{0,40}?c{3}d{1,}[{1,3}]\{2,3}\p{L}{0,3}\x{41}{2,}[]{1,2}]x{1,2}"
    assert [(low, high) for _, _, low, high in counted_repeats(regex)] == [
        (2, 5), (0, 40), (1, None), (0, 3), (2, None), (1, 2)
    ]  # fmt: skip
    for start, end, _, _ in counted_repeats(regex):
        assert regex[start] == "{" and regex[end - 1] == "}"


def test_rewrite_keeps_what_the_callback_declines() -> None:
    def open_large(low: int, high: int | None) -> str | None:
        return f"{{{low},}}" if high is not None and high > 4 else None

    assert rewrite_counted_repeats(r"a{2,5}b{1,3}[{1,300}]\{2,300}c{0,}", open_large) == (
        r"a{2,}b{1,3}[{1,300}]\{2,300}c{0,}"
    )
    assert rewrite_counted_repeats("no repeats here", open_large) == "no repeats here"
