"""CONNECTION_STRING: database/broker URIs that carry a password (``scheme://user:pass@host``)."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer

_SCHEMES = (
    r"(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|"
    r"clickhouse|cockroachdb|snowflake|ftp|sftp|smtps?|ldaps?|https?)"
)
# Passwords that are placeholders in documentation, not secrets.
_PLACEHOLDER_MARKERS = ("${", "{{", "<", "***", "xxx", "...", "%s")
_PLACEHOLDER_PASSWORDS = frozenset(
    {"password", "passwd", "pass", "pwd", "secret", "changeme", "pw", "mypassword"}
)


class ConnectionStringRecognizer(PatternRecognizer):
    ENTITY = "CONNECTION_STRING"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "uri_with_password",
            r"\b" + _SCHEMES + r"://[^\s:/@'\"<>]{1,128}:[^\s@/'\"<>]{1,256}@[^\s/'\"<>]{1,256}"
            r"(?:/[^\s'\"<>]{0,256})?",
            0.9,
        ),
    )
    CONTEXT = frozenset({"connection", "database", "db", "dsn", "uri", "url"})
    TAIL = r"[A-Za-z][^\s'\"<>]{0,910}"
    MAX_LEN = 911

    def validate_result(self, value: str) -> bool | None:
        credentials = value.split("://", 1)[1].rsplit("@", 1)[0]
        password = credentials.split(":", 1)[1].lower()
        if password in _PLACEHOLDER_PASSWORDS or any(marker in password for marker in _PLACEHOLDER_MARKERS):
            return False
        return True
