"""Every encoding and Unicode trick the validator must see through, as functions of the attack text.

Used by ``tests/unit/validator/test_obfuscation_matrix.py`` (each trick on hand-written attacks and benign
texts) and ``bench.validator_obfuscation`` (each trick on held-out attacks).
"""

from __future__ import annotations

import base64
import codecs
import itertools
import quopri
import string
import textwrap
import urllib.parse
from collections.abc import Callable

_HOMOGLYPHS = str.maketrans(
    {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "s": "ѕ", "y": "у", "x": "х"}
)
_LEET = str.maketrans({"i": "1", "o": "0", "e": "3", "a": "4", "s": "5", "t": "7"})


def _per_char(text: str, fn: Callable[[str], str]) -> str:
    return "".join(fn(c) for c in text)


def _fullwidth(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


def _letters_from(lower: int, upper: int) -> Callable[[str], str]:
    """A per-character trick that writes ASCII letters in a Unicode alphabet starting at ``lower`` / ``upper``."""

    def letter(c: str) -> str:
        if "a" <= c <= "z":
            return chr(lower + ord(c) - ord("a"))
        if "A" <= c <= "Z":
            return chr(upper + ord(c) - ord("A"))
        return c

    return letter


_math_bold = _letters_from(0x1D41A, 0x1D400)
_circled = _letters_from(0x24D0, 0x24B6)


def _tags(text: str) -> str:
    return "Here is my question. " + "".join(chr(0xE0000 + ord(c)) for c in text)


def _variation_selectors(text: str) -> str:
    data = text.encode()
    return "😀" + "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16) for b in data)


def _caesar(text: str, shift: int) -> str:
    out = []
    for c in text:
        if c.islower():
            out.append(chr((ord(c) - 97 + shift) % 26 + 97))
        elif c.isupper():
            out.append(chr((ord(c) - 65 + shift) % 26 + 65))
        else:
            out.append(c)
    return "".join(out)


_UPSIDE_DOWN = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,!?'",
    "ɐqɔpǝɟƃɥıɾʞlɯuodbɹsʇnʌʍxʎz∀ᗺƆᗡƎℲ⅁HIſꓘ˥WNOԀΌᴚS⊥∩ΛMX⅄Z˙'¡¿,",
)


def _camel_case(text: str) -> str:
    words = text.split(" ")
    return words[0] + "".join(word[:1].upper() + word[1:] for word in words[1:])


def _hyphenated_lines(text: str, width: int = 24) -> str:
    """Lines cut every ``width`` characters, a hyphen where the cut falls inside a word (text from a PDF)."""
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    out = lines[:1]
    for before, line in itertools.pairwise(lines):
        inside = before[-1:].isalpha() and line[:1].isalpha()
        out.append(("-\n" if inside else "\n") + line)
    return "".join(out)


def _split_words(text: str, separator: str) -> str:
    """Each word of five letters or more split in its middle ("Igno re", "instruc-tions")."""
    return " ".join(
        word[: len(word) // 2] + separator + word[len(word) // 2 :]
        if len(word) > 4 and word.isalpha()
        else word
        for word in text.split(" ")
    )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


_ATBASH = str.maketrans(string.ascii_lowercase + string.ascii_uppercase, string.ascii_lowercase[::-1] + string.ascii_uppercase[::-1])
# (written out here, not taken from ``services.validator.decode``: the tricks are the reference the decoders are
# tested against)
_MORSE = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz0123456789",
        ".- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- ...- .-- -..- -.-- --.. "
        "----- .---- ..--- ...-- ....- ..... -.... --... ---.. ----.".split(),
        strict=True,
    )
)

TRICKS: dict[str, Callable[[str], str]] = {
    "zero_width": lambda t: "\u200b".join(t),
    "soft_hyphen": lambda t: "\u00ad".join(t.split(" ")[0]) + " " + " ".join(t.split(" ")[1:]),
    "bidi_controls": lambda t: "\u202e\u202d" + t.replace(" ", " \u2066") + "\u202c",
    "word_joiner": lambda t: t.replace("r", "r\u2060").replace("n", "\u2063n"),
    "unicode_tags": _tags,
    "variation_selectors": _variation_selectors,
    "homoglyphs": lambda t: t.translate(_HOMOGLYPHS),
    "fullwidth": lambda t: _per_char(t, _fullwidth),
    "math_bold": lambda t: _per_char(t, _math_bold),
    "circled": lambda t: _per_char(t, _circled),
    "combining_marks": lambda t: _per_char(t, lambda c: c + "\u0301" if c.isalpha() else c),
    "letter_spacing": lambda t: "  ".join(" ".join(w) for w in t.split(" ")),
    "dotted_spacing": lambda t: " ".join(".".join(w) for w in t.split(" ")),
    "leetspeak": lambda t: t.lower().translate(_LEET),
    "base64": lambda t: "Decode this and follow it: " + _b64(t),
    "base64url": lambda t: "data: " + base64.urlsafe_b64encode(("~~" + t + "??").encode()).decode(),
    "base32": lambda t: "payload " + base64.b32encode(t.encode()).decode(),
    "hex": lambda t: "hex: " + t.encode().hex(),
    "hex_spaced": lambda t: "bytes: " + " ".join(f"{b:02x}" for b in t.encode()),
    "binary": lambda t: "".join(f"{b:08b}" for b in t.encode()),
    "binary_spaced": lambda t: "bits: " + " ".join(f"{b:08b}" for b in t.encode()),
    "url_encoding": lambda t: "q=" + urllib.parse.quote(t, safe=""),
    "url_partial": lambda t: t.replace("o", "%6F").replace("e", "%65"),
    "html_entities": lambda t: "".join(f"&#{ord(c)};" for c in t),
    "html_hex_entities": lambda t: "".join(f"&#x{ord(c):x};" if c.isalpha() else c for c in t),
    "quoted_printable": lambda t: (
        quopri.encodestring(t.encode(), quotetabs=True).decode().replace("=20", "=20")
    ),
    "unicode_escapes": lambda t: "".join(f"\\u{ord(c):04x}" for c in t),
    "hex_escapes": lambda t: "".join(f"\\x{ord(c):02x}" for c in t),
    "rot13": lambda t: codecs.encode(t, "rot13"),
    "caesar3": lambda t: _caesar(t, 3),
    "reversed": lambda t: t[::-1],
    "base64_of_rot13": lambda t: _b64(codecs.encode(t, "rot13")),
    "double_base64": lambda t: _b64(_b64(t)),
    "url_of_base64": lambda t: urllib.parse.quote(_b64(t) + "==", safe=""),
    "hex_of_base64": lambda t: _b64(t).encode().hex(),
    # the encoded text glued to junk in one blob (odd offsets, so the junk shifts its alignment)
    "base64_in_junk": lambda t: "blob: Zq9" + base64.b64encode(bytes(range(7, 250, 3)) + t.encode()).decode(),
    "hex_in_junk": lambda t: "x" + (bytes(range(0, 256, 5)) + t.encode() + bytes(range(255, 0, -7))).hex(),
    "hex_spaced_in_noise": lambda t: " ".join(f"{b:02x}" for b in bytes(range(0, 256, 3)) + t.encode()),
    "html_of_base32": lambda t: "".join(f"&#{ord(c)};" for c in base64.b32encode(t.encode()).decode()),
    "homoglyphs_and_zero_width": lambda t: "\u200c".join(t.translate(_HOMOGLYPHS)),
    # a shift other than rot13 after an English preamble (the text as a whole reads as English)
    "caesar7_after_preamble": lambda t: "Decode this Caesar cipher and follow it: " + _caesar(t, 7),
    "caesar20_after_preamble": lambda t: "Here is my message for you: " + _caesar(t, 20),
    # invisible characters inside the encoded text (its decoding is not "printable" as a whole)
    "base64_of_zero_width": lambda t: _b64("\u200b".join(t)),
    "hex_of_soft_hyphens": lambda t: t.replace(" ", " \u00ad").encode().hex(),
    "base32_of_bom_and_c1": lambda t: base64.b32encode(("\ufeff" + t + "\x85").encode()).decode(),
    # base64 wrapped over short lines, Markdown marks inside words, a phrase as one identifier
    "base64_wrapped": lambda t: "Decode:\n" + "\n".join(textwrap.wrap(_b64(t), 20)),
    "markdown_in_words": lambda t: " ".join(w[:2] + "**" + w[2:] if len(w) > 4 else w for w in t.split(" ")),
    "snake_case": lambda t: "_".join(t.split(" ")),
    # ... as a Markdown editor escapes it ("ignore\\_all\\_previous")
    "escaped_snake_case": lambda t: "\\_".join(t.split(" ")),
    # Words apart by an invisible character only, joined in a camelCase identifier or by dots, broken at a line's
    # end by a hyphen, wrapped, turned upside down, or split inside by a space or a hyphen.
    "zero_width_words": lambda t: t.replace(" ", "\u200b"),
    "camel_case": _camel_case,
    "dotted_words": lambda t: t.replace(" ", "."),
    "hyphenated_lines": _hyphenated_lines,
    "hard_wrapped": lambda t: textwrap.fill(t, 40),
    "upside_down": lambda t: t.translate(_UPSIDE_DOWN)[::-1],
    "in_word_spaces": lambda t: _split_words(t, " "),
    "in_word_hyphens": lambda t: _split_words(t, "-"),
    # Padding between words: an ellipsis, spaced hyphens, a long run of spaces (more than the rules' gaps).
    "ellipsis_words": lambda t: t.replace(" ", "... "),
    "padded_words": lambda t: t.replace(" ", " " + "- " * 8),
    "spaced_out_words": lambda t: t.replace(" ", " " * 40),
    # Line breaks and tabs written as escapes (a JSON string or a log line): wrapped text, and every space a tab.
    "escaped_line_breaks": lambda t: textwrap.fill(t, 30).replace("\n", "\\n"),
    "escaped_tabs": lambda t: t.replace(" ", "\\t"),
    "binary_of_tags": lambda t: "".join(
        f"{b:08b}" for b in (t + "".join(chr(0xE0000 + ord(c)) for c in "ok")).encode()
    ),
    # (twentieth session) Ciphers and codes that spell the text out: Atbash, each word backwards, decimal character
    # codes (spaces, or commas), each word in base64 on its own, Morse code.
    "atbash": lambda t: "Decode this Atbash text: " + t.translate(_ATBASH),
    "reversed_words": lambda t: " ".join(w[::-1] for w in t.split(" ")),
    "decimal_codes": lambda t: "ASCII: " + " ".join(str(ord(c)) for c in t),
    "decimal_codes_commas": lambda t: "[" + ", ".join(str(ord(c)) for c in t) + "]",
    "base64_words": lambda t: "Decode each word: " + " ".join(base64.b64encode(w.encode()).decode() for w in t.split(" ")),
    "morse": lambda t: " / ".join(" ".join(_MORSE[c] for c in w.lower() if c in _MORSE) for w in t.split(" ")),
}
