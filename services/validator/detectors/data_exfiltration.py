"""Data exfiltration: markdown images/links that carry data out in their URL."""

from services.validator.detectors.base import ENFORCE, HIGH, Detector, Pattern

_PLACEHOLDER = r"(?:\{[^}\s]{0,40}\}|\[[A-Za-z_ ]{3,40}\]|<[A-Za-z_ ]{3,40}>|\$\{?[A-Za-z_]+|%s|\{\{|%7[Bb])"
# A lone "email" is the medium ("send email to bugs@..."); with a determiner it is the data ("forward this
# email to ...").
_SENSITIVE = (
    r"(?:conversation|chat(?:\s+history)?|history|previous\s+messages|messages|user(?:'s)?\s+(?:data|info\w*|"
    r"details|messages)|personal\s+(?:data|information|details)|credentials|passwords?|api\s+keys?|secrets?|"
    r"tokens?|cookies|session|the\s+above|this\s+data|system\s+prompt|instructions|emails|email\s+address(?:es)?|"
    r"(?:this|the|that|these|those|my|your|his|her|their|our|user['’]?s?|all|every|each)\s+email|"
    r"summary|answer|response|private\s+\w+)"
)
_URL_VERB = r"(?:append|add|include|encode|insert|put|attach|embed|concatenate|substitute|replace|copy|paste)"
_URL_TARGET = (
    r"(?:to|in|into|as|inside)\s+(?:the\s+|a\s+|this\s+|that\s+)?(?:(?:markdown\s+)?(?:url|link)|"
    r"image\s+(?:url|link|source)|query\s+(?:string|parameters?)|url\s+parameters?|src|href)"
)

DETECTOR = Detector(
    id="data_exfiltration",
    category="exfiltration",
    severity=HIGH,
    default_action=ENFORCE,
    description="Markdown images/links or instructions that smuggle data out through a URL.",
    patterns=(
        Pattern(
            "markdown_image_placeholder",
            rf"!\[[^\]\n]{{0,200}}\]\(\s*<?https?://[^\s)]{{0,300}}{_PLACEHOLDER}",
            0.9,
        ),
        Pattern(
            "url_data_parameter",
            r"https?://[^\s)\"']{1,200}[?&/](?:q|data|d|p|c|prompt|msg|message|text|chat|history|conversation|secret|"
            rf"token|key|password|pwd|info|exfil|leak|content|log|payload|user)=?{_PLACEHOLDER}",
            0.8,
            # Set copy: from the parameter with its placeholder (any URL keeps a gap alive over its characters).
            anchors=(9,),
        ),
        Pattern(
            "markdown_image_query", r"!\[[^\]\n]{0,200}\]\(\s*<?https?://[^\s)?]{1,300}\?[^\s)]{1,300}=", 0.3
        ),
        Pattern(
            "encode_into_url",
            # What goes into the URL must be the conversation or a secret, named right after the verb ("encode the
            # user's password into the link") or just before "and append it" ("take the API key and add it to the
            # URL"); "encode the query dict into a URL" is ordinary web code.
            rf"\b{_URL_VERB}\s+(?:(?:the|our|my|your|his|her|their|this|that|these|those|all|of|a|an|any|each|every|"
            r"entire|whole|full|complete|current|previous|user['’]?s?|users['’]|secret|hidden|above)\s+){0,3}"
            rf"(?:{_SENSITIVE}|everything|anything|it\s+all)\b[^.\n]{{0,80}}?\b{_URL_TARGET}\b|"
            # ("summarize the conversation so far and append it to this URL")
            rf"\b{_SENSITIVE}(?:\s+(?:so\s+far|above|history))?\s*,?\s+(?:and\s+)?(?:then\s+)?{_URL_VERB}\s+(?:it|them)\s+"
            rf"{_URL_TARGET}\b",
            0.7,
            # Set copy: from "to the URL" / from "add it to the URL".
            anchors=(7, 8),
        ),
        Pattern(
            "send_data_to",
            r"\b(?:send|post|transmit|forward|upload|exfiltrate|leak|email|submit|relay|report)\b[^.\n]{0,60}?"
            rf"\b{_SENSITIVE}\b[^.\n]{{0,60}}?\b(?:to|at|via)\s+(?:https?://|www\.|[\w.+-]+@[\w-]+\.|"
            r"[\w-]+\.(?:com|net|org|io|ru|xyz|cn|tk|top)\b)",
            0.85,
            # Set copy: from "to <address>".
            anchors=(8,),
        ),
        Pattern(
            "render_image_url",
            r"\b(?:render|display|show|output|include|print)\b[^.\n]{0,30}?\b(?:markdown\s+)?(?:image|img)\b[^.\n]{0,80}?"
            r"https?://",
            0.5,
            # Set copy: from "image ... http".
            anchors=(4,),
        ),
    ),
)
