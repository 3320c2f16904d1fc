"""System-prompt extraction: asking the model to give back its hidden instructions."""

from services.validator.detectors.base import ENFORCE, HIGH, Detector, Pattern
from services.validator.detectors.vocabulary import REVEAL

_OWN_TEXT = (
    r"(?:system\s+(?:prompt|message|instructions?|rules|directives?|configuration)|"
    r"(?:your|the|its)\s+(?:initial|original|hidden|secret|internal|previous|prior|preceding|full|entire|complete|"
    r"exact|first|starting|pre-?|opening|core|underlying|confidential)\s*-?\s*(?:prompt|instructions?|message|rules|"
    r"directives?|context|configuration|guidelines)|"
    r"(?:your|the)\s+(?:instructions?|prompt|rules|directives?|guidelines|programming|configuration|pre-?prompt)\s+"
    r"(?:above|so\s+far|verbatim|word\s+for\s+word|you\s+(?:were|have\s+been)\s+given|you\s+received|given\s+to\s+you)|"
    r"your\s+(?:\w+\s+)?(?:instructions?|prompt|pre-?prompt|directives?|programming|system|rules|ruleset|commands)|"
    r"(?:the\s+)?above\s+(?:commands|directives|instructions|rules|prompt|ruleset)|"
    r"(?:all\s+|the\s+)?(?:prior|previous|above|preceding|earlier|initial|original|hidden|secret|first)\s+"
    r"(?:instructions?|prompts?|rules|directives|guidelines))"
)

DETECTOR = Detector(
    id="system_prompt_extraction",
    category="prompt_injection",
    severity=HIGH,
    default_action=ENFORCE,
    description="Asks the model to reveal its system prompt, instructions or secrets.",
    patterns=(
        Pattern("reveal_instructions", rf"\b{REVEAL}\b[^.\n]{{0,50}}?\b{_OWN_TEXT}\b", 0.85),
        Pattern(
            "what_are_instructions",
            rf"\bwhat\s+(?:is|are|were|was)\s+(?:in\s+)?{_OWN_TEXT}\b",
            0.85,
        ),
        Pattern(
            "repeat_text_above",
            r"\b(?:repeat|recite|print|output|echo|dump|copy|write\s+out|spell\s+out|paste|reproduce|return)\b"
            r"[^.\n]{0,30}?\b(?:everything|all|text|words|content|messages?|conversation|prompt|lines?)\b[^.\n]{0,25}?"
            r"\b(?:above|before\s+this|so\s+far|preceding|prior|verbatim|word\s+for\s+word|up\s+to\s+(?:now|here))\b",
            0.85,
        ),
        Pattern(
            "here_are_my_instructions",
            r"\b(?:here\s+(?:are|is)|these\s+are|below\s+(?:are|is))\s+(?:my|the|all\s+(?:my|the))\s+(?:full\s+|complete\s+|"
            r"secret\s+|hidden\s+|original\s+|initial\s+)?(?:instructions|rules|system\s+prompt|prompt|directives|"
            r"guidelines)\b",
            0.7,
        ),
        Pattern(
            "instructions_so_far",
            r"\b(?:instructions?|prompt|rules|directives)\s+(?:so\s+far|up\s+(?:to|until)\s+(?:now|this\s+point)|"
            r"(?:given\s+)?(?:above|before\s+this))\b",
            0.55,
        ),
        Pattern(
            "reveal_password",
            r"\b(?:what|tell|give|reveal|show|print|say|output|repeat|spell|share|disclose|provide|list)\b[^.\n]{0,30}?"
            r"\b(?:the|your|my|correct|secret)\s+(?:correct\s+|secret\s+|real\s+)?(?:password|passcode|pass\s*phrase|"
            r"pass\s*word|access\s+code|secret\s+(?:code|key|word|phrase)|pin\s+code)\b",
            0.6,
        ),
        Pattern(
            "do_not_redact",
            r"\b(?:do\s+not|don'?t|never|without)\s+(?:redact|censor|omit|leave\s+out|skip|hide|summari[sz]e)\w*\b"
            r"[^.\n]{0,40}?\b(?:anything|instructions?|passwords?|passcodes?|codes?|secrets?|details?|words?|rules)\b",
            0.45,
        ),
        Pattern(
            "above_in_format",
            r"\b(?:above|previous|prior|preceding|your)\s+(?:words|text|content|instructions?|prompt|rules|messages?)\b"
            r"[^.\n]{0,30}?\b(?:in|as|into)\s+(?:python|pseudo-?code|code|json|yaml|xml|a\s+code\s+block|base64|hex|"
            r"pig\s+latin|a\s+poem|a\s+song|bullet\s+points|a\s+(?:bulleted\s+|numbered\s+)?list|markdown|rot13)\b",
            0.75,
        ),
        Pattern(
            "story_about_secret",
            r"\b(?:story|poem|sonnet|song|haiku|rap|limerick|essay|tale|play|script)\b[^.\n]{0,30}?\b(?:about|of|"
            r"describing|containing|including|featuring|with)\s+(?:your|the|an?)\s+(?:\w+\s+)?(?:instructions|prompt|"
            r"password|passcode|access\s+code|secret\s+(?:code|key|word))\b",
            0.65,
        ),
        Pattern(
            "secret_into_output",
            r"\b(?:append|add|include|insert|attach|prepend|put|embed)\b[^.\n]{0,30}?\b(?:password|passcode|pass\s*phrase|"
            r"secret|access\s+code|system\s+prompt|instructions)\b[^.\n]{0,30}?\b(?:to|in|into|at\s+the\s+end\s+of)\s+"
            r"(?:each|every|your|the|all)\s+(?:output|response|reply|answer|message)s?\b",
            0.7,
        ),
        Pattern(
            "prompt_in_format",
            r"\b(?:instructions?|prompt|rules)\b[^.\n]{0,30}?\b(?:in|as|into)\s+(?:python|json|yaml|xml|a\s+code\s+block|"
            r"base64|hex|pig\s+latin|a\s+poem|a\s+song|bullet\s+points|a\s+(?:numbered\s+)?list|markdown|rot13|pseudo-?code)\b",
            0.35,
        ),
    ),
)
