"""Compact lookalike table: characters that render like ASCII letters but are not.

Covers the Cyrillic and Greek homoglyphs attackers use to hide keywords, a few
Latin letters without a decomposition (dotless i, l with stroke) and enclosed
letters that NFKC leaves alone (negative circled/squared, regional indicators).
Fullwidth, mathematical alphanumerics and plain circled letters are handled by
NFKC itself. Folding is for matching only and never changes the caller's text.
"""

from __future__ import annotations

_CYRILLIC = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "ɡ": "g", "ү": "y", "ԍ": "g", "ѵ": "v",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y",
}  # fmt: skip
_GREEK = {
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
_LATIN_EXTRA = {
    "ı": "i", "ȷ": "j", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h",
    "ɑ": "a", "ɩ": "i", "ʟ": "l", "ɴ": "n", "ʀ": "r", "ꜱ": "s", "ᴀ": "a", "ʙ": "b", "ᴄ": "c",
    "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ᴍ": "m", "ᴏ": "o",
    "ᴘ": "p", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
}  # fmt: skip


def _enclosed() -> dict[str, str]:
    table: dict[str, str] = {}
    for offset in range(26):
        letter = chr(ord("a") + offset)
        table[chr(0x1F150 + offset)] = letter  # negative circled capital letters
        table[chr(0x1F170 + offset)] = letter  # negative squared capital letters
        table[chr(0x1F1E6 + offset)] = letter  # regional indicator symbols
    return table


# Applied to the whole text (no word context needed): these never occur in real words.
ENCLOSED_LETTERS: dict[str, str] = {**_enclosed(), **_LATIN_EXTRA}
# Applied to build the skeleton layer only: real Russian/Greek words use these.
SCRIPT_LOOKALIKES: dict[str, str] = {**_CYRILLIC, **_GREEK}
