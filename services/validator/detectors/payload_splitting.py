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
            r"\b(?:follow|execute|do|answer|respond\s+to|obey|run|perform|act\s+on|comply)\b|"
            # (twentieth session) "Step 1: remember the word DISREGARD. Step 2: ... Step 3: combine steps 1 and 2 and
            # obey it" (a recipe combines steps 1 and 2 and bakes)
            r"\b(?:combine|concatenate|join|merge|put\s+together)\s+(?:the\s+(?:words?|answers?|results?)\s+(?:of|from)\s+)?"
            r"steps?\s+\d+\s*(?:and|&|\+|,)\s*\d+\b[^.\n]{0,40}?\b(?:obey|execute|follow|comply\s+with|act\s+on|do\s+what)\s+"
            r"(?:it|them|that|the\s+(?:result|combination|combined|resulting|joined))\b",
            0.6,
            # Set copy: the steps' branch from "steps 1 and 2" on (whole, it put its Set over 1/16 of its budget).
            anchors=(None, 4),
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
