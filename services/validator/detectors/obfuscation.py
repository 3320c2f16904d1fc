"""Obfuscation seen during normalization: smuggled text, invisible and bidi characters.

These findings come from normalization notes, not patterns. Alone they stay below
the default threshold (obfuscation of benign text is not an attack); what the
smuggled text says is judged by the other detectors.
"""

from services.validator.detectors.base import ENFORCE, LOW, Detector

# Normalization note kind -> (rule name, confidence).
NOTE_RULES: dict[str, tuple[str, float]] = {
    "tag_characters_decoded": ("unicode_tag_smuggling", 0.3),
    "variation_selectors_decoded": ("variation_selector_smuggling", 0.3),
    "bidi_controls_stripped": ("bidi_controls", 0.15),
    "invisible_stripped": ("invisible_characters", 0.1),
    "confusables_folded": ("mixed_script_lookalikes", 0.1),
}

DETECTOR = Detector(
    id="obfuscation",
    category="obfuscation",
    severity=LOW,
    default_action=ENFORCE,
    description="Hidden or disguised characters found while normalizing.",
)
