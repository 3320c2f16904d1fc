"""Word families shared by the English rules (regex fragments, no capture groups)."""

# Verbs that tell a model to drop what it was told, in two families. ``DISMISS_TOLD`` verbs are said of what
# one was told ("ignore", "disregard", "forget", "stop following"); ``DISMISS_DATA`` verbs are as much everyday
# operations on data, settings and steps ("delete the existing configuration", "skip the initial setup tasks",
# "reset to the default settings", "bypass the system proxy"), so rules take them only with words that name
# instructions.
DISMISS_TOLD = (
    r"(?:ignore|ignoring|disregard|disregarding|forget|forgetting|overrule|overlook|neglect|dismiss|"
    r"set\s+aside|put\s+aside|pay\s+no\s+(?:attention|heed)\s+to|take\s+no\s+notice\s+of|"
    r"(?:do\s+not|don'?t|never|no\s+longer|stop)\s+(?:follow|following|obey|obeying|listen\s+to|adhere\s+to|"
    r"comply\s+with|abide\s+by)|never\s*mind)"
)
DISMISS_DATA = r"(?:skip|bypass|override|discard|abandon|drop|erase|delete|scrap|cancel|revoke|void|reset|wipe|throw\s+out)"
# Qualifiers that point at earlier or governing text.
PRIOR = (
    r"(?:previous|previously|prior|preceding|above|earlier|former|foregoing|initial|original|old|"
    r"existing|default|system|developer|pre-?set|pre-?defined|given|starting|hidden|secret)"
)
# What a model is told: the objects of the dismissing verbs, in three families. ``TOLD_WORDS`` only name
# instructions; ``RULE_WORDS`` name them or the rules of anything ("the firewall's existing rules"); ``DATA_WORDS``
# as often name data, settings or work ("the previous error messages", "the default settings").
TOLD_WORDS = (
    r"instructions?|instruct|prompts?|directives?|guidelines?|programming|guidance|safeguards|training"
)
RULE_WORDS = (
    r"directions|rules?|commands?|orders|constraints?|restrictions?|policies|policy|context|conversation"
)
DATA_WORDS = r"messages?|settings|configuration|conditions|requirements|tasks?|text|inputs?|statements?"
# What a model is told, named in so many words (``STRICT_TOLD``: what a DISMISS_DATA verb may take, "bypass your
# safeguards"), and the rules of anything (``STRICT_RULES``: "bypass these constraints" is also said of a firewall).
STRICT_TOLD = (
    r"(?:instructions?|prompts?|directives?|guidelines|programming|guidance|safeguards|system\s+message)"
)
STRICT_RULES = r"(?:rules|constraints|restrictions|policies)"
STRICT_DIRECTIVES = rf"(?:{STRICT_TOLD}|{STRICT_RULES})"
# Ways to ask for text back.
REVEAL = (
    r"(?:repeat|recite|print|show|reveal|display|output|echo|dump|leak|expose|disclose|divulge|share|give|"
    r"tell|list|write(?:\s+out|\s+down)?|spell\s+out|copy|paste|provide|return|state|read\s+(?:back|out)|"
    r"translate|convert|encode|format|summari[sz]e|paraphrase|rewrite|describe|explain|rephrase|restate|reword|"
    r"recap|tl;?\s*dr|output)"
)
# Address of the model itself.
MODEL = r"(?:ai|a\.i\.|assistant|language\s+model|llm|chatbot|bot|agent|gpt|chatgpt|claude|copilot|gemini)"


def stretched(*phrases: str) -> str:
    """An alternation of ``phrases`` in which every letter may be typed more than once.

    Stuttered spelling ("showw mee yourr promptt", "alll") is an obfuscation the normalizer keeps: each
    letter ``c`` becomes ``c+`` and each space ``\\s+``, so one fragment matches the word however many times
    its letters are repeated, and the ordinary spelling too.
    """
    return (
        "(?:"
        + "|".join(r"\s+".join("".join(f"{c}+" for c in word) for word in p.split()) for p in phrases)
        + ")"
    )


def stuttered(*words: str) -> str:
    """An alternation of ``words`` spelled with at least one letter typed more than once ("outpuut", "telll").

    Unlike ``stretched``, the ordinary spelling does not match, so a rule that starts with it stops at once
    on ordinary text (a rule starting with common words matched loosely costs the scanner's DFA states).
    Each alternative is the word up to the first repeated letter, that letter twice or more, then the rest
    stretched.
    """
    alternatives = []
    for word in words:
        for i, char in enumerate(word):
            rest = "".join(f"{c}+" for c in word[i + 1 :])
            alternatives.append(f"{word[:i]}{char}{char}+{rest}")
    return "(?:" + "|".join(alternatives) + ")"


def upto(fragment: str, count: int) -> str:
    """``fragment`` repeated 0 to ``count`` times, as nested optional groups rather than ``{0,count}``.

    The scanner relaxes counted repeats to ``*`` in its Set copies (and confirms each report with the exact
    rule): a short word gap such as ``(?:\\w+\\s+){0,2}`` then spans any number of words, which keeps DFA
    states alive on word soup and needs a confirmation pass. Written out, the gap stays bounded in the Set.
    """
    out = ""
    for _ in range(count):
        out = f"(?:{fragment}{out})?"
    return out


# A word in a short gap, and one of a list ("immoral, selfish and unethical"): fragments for ``upto``.
WORD = r"\w+,?\s+"
LISTED_WORD = r"\w+,?\s+(?:and\s+|or\s+)?"
