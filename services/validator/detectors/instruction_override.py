"""Instruction override: the many paraphrases of "ignore the previous instructions"."""

from services.validator.detectors.base import ENFORCE, HIGH, Detector, Pattern
from services.validator.detectors.vocabulary import DIRECTIVES, DISMISS, PRIOR, STRICT_DIRECTIVES

DETECTOR = Detector(
    id="instruction_override",
    category="prompt_injection",
    severity=HIGH,
    default_action=ENFORCE,
    description="Tells the model to drop, replace or stop following its instructions.",
    patterns=(
        Pattern(
            "ignore_previous", rf"\b{DISMISS}\b[^.\n]{{0,40}}?\b{PRIOR}\b[^.\n]{{0,30}}?\b{DIRECTIVES}\b", 0.9
        ),
        Pattern(
            "ignore_all_instructions",
            rf"\b{DISMISS}\s+(?:all|any|every|each|these|those|your|the|my|of)\b[^.\n]{{0,25}}?\b{STRICT_DIRECTIVES}\b",
            0.75,
        ),
        Pattern(
            "ignore_everything_before",
            rf"\b{DISMISS}\s+(?:all\s+(?:of\s+)?)?(?:everything|anything|all|what|whatever)\b[^.\n]{{0,30}}?"
            r"\b(?:above|before|so\s+far|previously|earlier|prior|said|told|written|you\s+(?:were|have\s+been))\b",
            0.85,
        ),
        Pattern(
            "ignore_above",
            rf"\b{DISMISS}\s+(?:the\s+|all\s+(?:the\s+)?|that|this)?\s*(?:above|previous|prior|preceding|foregoing|"
            r"aforementioned)\b",
            0.8,
        ),
        Pattern(
            "new_instructions",
            r"\b(?:new|updated|revised|real|actual|true|secret|hidden|override|overriding|admin|additional|"
            r"important|urgent|priority)\s+(?:system\s+)?(?:instructions?|directives?|rules|orders|prompt|task|commands?)"
            r"\s*(?::|-|=|follow)",
            0.7,
        ),
        Pattern(
            "new_role",
            r"\byour\s+(?:new|real|actual|true|only|sole)\s+(?:task|instructions?|role|goal|objective|job|purpose|"
            r"directive|mission|rules?)\s+(?:is|are|will\s+be|now)\b",
            0.75,
        ),
        Pattern(
            "previous_was_fake",
            r"\b(?:the\s+)?(?:above|previous|preceding|prior|earlier|old|original|initial)\s+(?:instructions?|text|"
            r"prompt|rules|messages?|directives?)\s+(?:was|were|is|are|has\s+been|have\s+been)\s+(?:just\s+|only\s+)?"
            r"(?:a\s+|an\s+)?(?:test|joke|fake|wrong|mistake|outdated|false|invalid|cancel+ed|void|obsolete|"
            r"deprecated|revoked|replaced|superseded|no\s+longer)",
            0.85,
        ),
        Pattern(
            "instead_do",
            r"\b(?:instead|rather)\s*,?\s+(?:just\s+|only\s+|you\s+(?:should|must|will)\s+)?(?:say|print|output|"
            r"respond|reply|write|answer|type|return)\b",
            0.45,
        ),
        Pattern(
            "from_now_on",
            r"\b(?:from\s+now\s+on|henceforth|from\s+this\s+point(?:\s+on)?|going\s+forward)\s*,?\s+"
            r"(?:you|your|always|only|never|respond|reply|answer|act|ignore|do\s+not)\b",
            0.4,
        ),
        Pattern(
            "forced_reply",
            r"\b(?:(?:begin|start|end|prefix|prepend|open|preface|precede)\s+(?:your|the|each)?\s*(?:reply|response|answer|output|"
            r"message)\s+with|(?:only|just)\s+(?:say|respond|reply|output|write|print)|(?:say|print|output|reply|"
            r"respond|write)\s+(?:only|exactly|verbatim|nothing\s+(?:but|except|other\s+than)))\b",
            0.35,
        ),
        Pattern(
            "grant_access",
            r"\b(?:say|print|output|respond|reply|write|type|answer|return|begin|start|end|grant|state|"
            r"repeat|tell|response|is|proclaim|declare|display|show|prepend|append|announce|utter|emit|reply)\b[^.\n]{0,60}?[\"'“‘«\s]access\s+granted\b",
            0.8,
        ),
        Pattern("access_granted", r"\baccess[\s_\-]+granted\b", 0.5),
        Pattern(
            "false_authorization",
            r"\b(?:correct|right|valid|proper|true)\s+(?:password|passcode|pass\s*phrase|access\s+code|credentials|"
            r"pin|key|code)\s+(?:has\s+(?:now\s+)?been\s+|have\s+been\s+|was\s+|is\s+|were\s+|been\s+|just\s+)?"
            r"(?:entered|input|inputted|provided|given|typed|supplied|registered|verified|accepted|received|confirmed|"
            r"submitted|detected)|\b(?:user|i|he|she|they|you)\s+(?:then\s+|now\s+|has\s+|have\s+|just\s+|already\s+)?"
            r"(?:enters?|entered|inputs?|inputted|types?|typed|provides?|provided|gives?|gave|said|says|knows?|"
            r"submitted)\s+the\s+(?:correct|right|valid|proper)\s+(?:password|passcode|access\s+code|code|credentials)",
            0.7,
        ),
        Pattern(
            "unless_password",
            r"\b(?:unless|if|even\s+if)\s+(?:the\s+)?(?:user\s+)?(?:input|says|enters|types|provides|gives)\b"
            r"[^.\n]{0,40}?\b(?:password|passcode|access\s+code|secret)\b",
            0.35,
        ),
    ),
)
