"""Secrets pasted into prompts: cloud keys, private keys, API tokens."""

from services.validator.detectors.base import ENFORCE, HIGH, Detector, Pattern

DETECTOR = Detector(
    id="secrets",
    category="secret",
    severity=HIGH,
    default_action=ENFORCE,
    description="Credentials in the input (they would reach the model and its logs).",
    patterns=(
        Pattern(
            "aws_access_key_id",
            r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b",
            0.9,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern(
            "aws_secret_access_key",
            r"(?i)aws[_\-\s.]?secret[_\-\s.]?(?:access[_\-\s.]?)?key\s*[\"']?\s*[=:]\s*[\"']?[A-Za-z0-9/+=]{40}",
            0.95,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern(
            "private_key",
            r"-----BEGIN\s+(?:RSA\s+|EC\s+|DSA\s+|OPENSSH\s+|PGP\s+|ENCRYPTED\s+)?PRIVATE\s+KEY(?:\s+BLOCK)?-----",
            0.95,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern(
            "github_token",
            r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b",
            0.95,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern("gitlab_token", r"\bglpat-[A-Za-z0-9_\-]{20,}\b", 0.9, raw_only=True, case_sensitive=True),
        Pattern(
            "slack_token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}\b", 0.9, raw_only=True, case_sensitive=True
        ),
        Pattern(
            "slack_webhook",
            r"https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
            0.8,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern(
            "stripe_key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{20,}\b", 0.95, raw_only=True, case_sensitive=True
        ),
        Pattern(
            "openai_key",
            r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,}T3BlbkFJ[A-Za-z0-9_\-]{16,}\b|\bsk-proj-[A-Za-z0-9_\-]{40,}\b",
            0.95,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern(
            "anthropic_key",
            r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,}",
            0.95,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern("google_api_key", r"\bAIza[0-9A-Za-z_\-]{35}\b", 0.9, raw_only=True, case_sensitive=True),
        Pattern("huggingface_token", r"\bhf_[A-Za-z]{34}\b", 0.85, raw_only=True, case_sensitive=True),
        Pattern("npm_token", r"\bnpm_[A-Za-z0-9]{36}\b", 0.9, raw_only=True, case_sensitive=True),
        Pattern(
            "azure_storage_key", r"AccountKey=[A-Za-z0-9+/=]{86,88}", 0.9, raw_only=True, case_sensitive=True
        ),
        Pattern(
            "jwt",
            r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
            0.6,
            raw_only=True,
            case_sensitive=True,
        ),
        Pattern(
            "password_assignment",
            r"(?i)(?:\b|_)(?:password|passwd|pwd|secret|api[_\-]?key|access[_\-]?token|auth[_\-]?token|client[_\-]?secret)"
            # (On one line: "for p in pwd:" then code on the next is not an assignment.)
            r"[ \t]*[\"']?[ \t]*[=:][ \t]*[\"']?[A-Za-z0-9!@#$%^&*()_+\-=./]{8,}",
            0.3,
            raw_only=True,
            case_sensitive=True,
        ),
    ),
)
