"""Data exfiltration: markdown images/links that carry data out in their URL."""

from services.validator.detectors.base import ENFORCE, HIGH, Detector, Pattern

_PLACEHOLDER = r"(?:\{[^}\s]{0,40}\}|\[[A-Za-z_ ]{3,40}\]|<[A-Za-z_ ]{3,40}>|\$\{?[A-Za-z_]+|%s|\{\{|%7[Bb])"
_SENSITIVE = (
    r"(?:conversation|chat(?:\s+history)?|history|previous\s+messages|messages|user(?:'s)?\s+(?:data|info\w*|"
    r"details|messages)|personal\s+(?:data|information|details)|credentials|passwords?|api\s+keys?|secrets?|"
    r"tokens?|cookies|session|the\s+above|this\s+data|system\s+prompt|instructions|email(?:s|\s+address)?|"
    r"summary|answer|response|private\s+\w+)"
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
        ),
        Pattern(
            "markdown_image_query", r"!\[[^\]\n]{0,200}\]\(\s*<?https?://[^\s)?]{1,300}\?[^\s)]{1,300}=", 0.3
        ),
        Pattern(
            "encode_into_url",
            r"\b(?:append|add|include|encode|insert|put|attach|embed|concatenate|substitute|replace)\b[^.\n]{0,80}?"
            r"\b(?:to|in|into|as|inside)\s+(?:the\s+|a\s+|this\s+|that\s+)?(?:url|link|image\s+(?:url|link|source)|"
            r"query\s+(?:string|parameters?)|url\s+parameters?|src|href)\b",
            0.7,
        ),
        Pattern(
            "send_data_to",
            r"\b(?:send|post|transmit|forward|upload|exfiltrate|leak|email|submit|relay|report)\b[^.\n]{0,60}?"
            rf"\b{_SENSITIVE}\b[^.\n]{{0,60}}?\b(?:to|at|via)\s+(?:https?://|www\.|[\w.+-]+@[\w-]+\.|"
            r"[\w-]+\.(?:com|net|org|io|ru|xyz|cn|tk|top)\b)",
            0.85,
        ),
        Pattern(
            "render_image_url",
            r"\b(?:render|display|show|output|include|print)\b[^.\n]{0,30}?\b(?:markdown\s+)?(?:image|img)\b[^.\n]{0,80}?"
            r"https?://",
            0.5,
        ),
    ),
)
