"""Jailbreak personas and modes: DAN, developer mode, AIM, "you are now ...", unfiltered framings."""

from services.validator.detectors.base import ENFORCE, HIGH, Detector, Pattern

_UNBOUND = (
    r"(?:unfiltered|uncensored|unrestricted|unethical|amoral|immoral|jailbroken|unchained|unbound|unlimited|"
    r"unshackled|without\s+(?:any\s+)?(?:restrictions|filters|limits|limitations|rules|ethics|morals|guidelines|"
    r"censorship|boundaries|constraints))"
)

DETECTOR = Detector(
    id="jailbreak",
    category="jailbreak",
    severity=HIGH,
    default_action=ENFORCE,
    description="Persona or mode framings that try to switch off the model's rules.",
    patterns=(
        Pattern("dan", r"\bdo\s+anything\s+now\b|\bDAN\s+(?:mode|prompt|jailbreak)\b|\bas\s+DAN\b", 0.9),
        Pattern("dan_name", r"\bDAN\b", 0.35, case_sensitive=True),
        Pattern(
            "named_persona",
            r"\b(?:AntiGPT|BetterDAN|BasedGPT|DevMode|UCAR|Mongo\s+Tom|evil\s+confidant|always\s+intelligent\s+and\s+"
            r"machiavellian|niccolo\s+machiavelli)\b",
            0.85,
        ),
        Pattern("aim", r"\bAIM\b[^\n]{0,120}\b(?:machiavellian|amoral|unfiltered)\b", 0.9),
        Pattern(
            "mode_switch",
            r"\b(?:enable|enabled|enter|entering|activate|activated|switch\s+(?:in)?to|turn\s+on|you\s+are\s+(?:now\s+)?"
            r"in|now\s+in|unlock)\s+(?:the\s+)?(?:developer|dev|god|admin|sudo|root|unrestricted|unfiltered|jailbreak|"
            r"jailbroken|evil|chaos|opposite|unlocked|dan|debug\s+override)\s+mode\b",
            0.75,
        ),
        Pattern(
            "unsafe_mode",
            r"\b(?:god|unrestricted|unfiltered|jailbreak|jailbroken|evil|chaos|unlocked|dan|uncensored)\s+mode\b|"
            r"\bdeveloper\s+mode\s+(?:enabled|output|response|activated|on)\b",
            0.65,
        ),
        Pattern(
            "mode_claim",
            # A claimed special mode: "TESTING MODE ACTIVE", "maintenance mode is now enabled". Weak alone
            # (debug logs say such things); it tips a second signal over.
            r"\b(?:test|testing|debug|debugging|maintenance|diagnostic|admin|administrator|sudo|root|override|"
            r"privileged|superuser|training|evaluation)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:active|activated|enabled|engaged|"
            r"on|unlocked|initiated)\b",
            0.35,
        ),
        Pattern(
            "unbound_persona",
            r"\b(?:you\s+are|you're|you\s+will\s+be|act\s+as|acting\s+as|act\s+like|pretend\s+(?:to\s+be|you\s+are)|"
            r"role-?play\s+as|play\s+the\s+role\s+of|simulate|behave\s+like|become|imagine\s+you\s+are)\b[^.\n]{0,60}?\b"
            rf"{_UNBOUND}\b",
            0.85,
            # Set copy: from the unbound word ("you are" opens a gap on every text).
            anchors=(4,),
        ),
        Pattern(
            "you_are_now",
            r"\byou\s+are\s+now\b|\byou'?re\s+now\b|\byou\s+(?:are|have\s+been)\s+(?:freed|liberated|released|"
            r"unlocked|reprogrammed)\b|\byou\s+are\s+no\s+longer\b",
            0.45,
        ),
        Pattern(
            "no_restrictions",
            r"\b(?:you|your\s+(?:responses?|answers?|outputs?|replies))\b[^.\n]{0,40}?\b(?:have\s+no|with\s+no|without|"
            r"free\s+(?:from|of)|not\s+bound\s+by|unbound\s+by|no\s+longer\s+(?:have|bound\s+by))\s+(?:any\s+)?"
            r"(?:ethical\s+|moral\s+|content\s+|safety\s+)?(?:restrictions|filters|filtering|limitations|censorship|"
            r"guardrails|safeguards|ethics|morals|guidelines|rules|boundaries|policies)\b",
            0.75,
            # Set copy: from "have no / without ... restrictions" ("you" opens a gap on every text).
            anchors=(4,),
        ),
        Pattern(
            "bypass_safety",
            r"\b(?:bypass|disable|turn\s+off|remove|deactivate|circumvent|evade|ignore|override|lift|switch\s+off)\s+"
            r"(?:your\s+|the\s+|all\s+|any\s+)?(?:safety|content|ethical|moral|ethics)\s*(?:filters?|guardrails|"
            r"safeguards|guidelines|measures|protocols|features|settings|restrictions|policies|policy|training|"
            r"constraints|rules|moderation)\b",
            0.75,
        ),
        Pattern(
            "hypothetical_unfiltered",
            r"\b(?:hypothetical(?:ly)?|fictional|imaginary|in\s+a\s+world|alternate\s+(?:universe|reality)|thought\s+"
            r"experiment|fiction)\b[^.\n]{0,80}?\b(?:no|without)\s+(?:any\s+)?(?:rules|restrictions|laws|ethics|"
            r"morals|filters|limits|consequences|guidelines|censorship)\b",
            0.6,
        ),
        Pattern("jailbreak_word", r"\bjail\s*-?\s*br(?:eak|oken|eaking|eaked)\b", 0.3),
        Pattern(
            "stay_in_character",
            r"\b(?:stay|remain|keep)\s+in\s+character\b|\bbreak(?:ing)?\s+character\b",
            0.35,
        ),
        Pattern(
            "disobey_policy",
            r"\b(?:doesn'?t|does\s+not|don'?t|do\s+not|never|won'?t|will\s+not|no\s+longer|need\s+not)\s+(?:have\s+to\s+|"
            r"need\s+to\s+)?(?:follow|obey|abide\s+by|adhere\s+to|care\s+about|comply\s+with|respect)\b[^.\n]{0,30}?"
            r"\b(?:openai|anthropic|content\s+polic(?:y|ies)|safety\s+guidelines|ethical\s+guidelines|ethics|"
            r"usage\s+polic(?:y|ies)|guidelines|restrictions)\b",
            0.7,
        ),
        Pattern(
            "dual_response",
            r"\b(?:two|2|both)\s+(?:different\s+)?(?:responses|answers|replies|outputs)\b[^\n]{0,120}?\b(?:jailbr\w*|"
            r"unfiltered|developer\s+mode|dan|uncensored|normal\s+and)\b",
            0.7,
        ),
    ),
)
