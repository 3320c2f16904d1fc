"""Payload splitting: an attack cut into variables or fragments to be joined by the model.

The engine also joins quoted fragments into their own layer (decoding
``payload_split``), so the joined text is judged by every other detector.
"""

from services.validator.detectors.base import ENFORCE, MEDIUM, Detector, Pattern

DETECTOR = Detector(
    id="payload_splitting",
    category="obfuscation",
    severity=MEDIUM,
    default_action=ENFORCE,
    description="Asks the model to assemble and act on fragments of an instruction.",
    patterns=(
        Pattern(
            "join_and_follow",
            r"\b(?:concatenate|combine|join|merge|assemble|put\s+together|add\s+up)\b[^.\n]{0,60}?\b(?:strings?|"
            r"variables?|parts?|pieces|fragments|letters|words|tokens|halves|[a-z]\s*(?:\+|and)\s*[a-z])\b[^\n]{0,80}?"
            r"\b(?:follow|execute|do|answer|respond\s+to|obey|run|perform|act\s+on|comply)\b",
            0.6,
        ),
        Pattern(
            "variable_concatenation",
            r"\b(?:[a-z]\d?|x|y|z)\s*=\s*[\"'][^\"'\n]{1,80}[\"'][^\n]{0,40}\n?[^\n]{0,200}?\b(?:[a-z]\d?)\s*=\s*"
            r"[\"'][^\"'\n]{1,80}[\"'][^\n]{0,200}\n?[^\n]{0,200}?\b(?:[a-z]\d?)\s*\+\s*(?:[a-z]\d?)\b",
            0.25,
            # Set copy: the closing "a + b" (every quoted assignment would open a gap to the end of the line).
            anchors=(22,),
        ),
        Pattern(
            "split_parts",
            r"\b(?:first|second|third|next|last|final)\s+(?:part|half|piece|fragment|chunk)\s+(?:of\s+the\s+)?"
            r"(?:instruction|prompt|command|message|task)\b",
            0.4,
        ),
    ),
)
