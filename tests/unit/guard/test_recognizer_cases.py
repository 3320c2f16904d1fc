"""True positives and near misses for every recognizer (the quality table)."""

from __future__ import annotations

import base64
import json

import pytest

from services.guard.recognizers.registry import RECOGNIZER_CLASSES
from tests.unit.guard.engine import findings


def _b64(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


JWT = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64({'sub': '1234567890', 'name': 'Jane'})}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----"
)

# (recognizer class name, text, the value it must find; None for a near miss that must not be found)
CASES: list[tuple[str, str, str | None]] = [
    ("CreditCardRecognizer", "Charge card 4111 1111 1111 1111 today.", "4111 1111 1111 1111"),
    ("CreditCardRecognizer", "Mastercard 5555-5555-5555-4444 on file", "5555-5555-5555-4444"),
    ("CreditCardRecognizer", "amex 378282246310005", "378282246310005"),
    ("CreditCardRecognizer", "Card 4111 1111 1111 1112 failed", None),  # invalid Luhn
    ("CreditCardRecognizer", "Card 4111-1111 1111-1111 mixed", None),  # mixed delimiters
    ("UsSsnRecognizer", "Her SSN is 536-22-8741.", "536-22-8741"),
    ("UsSsnRecognizer", "social security number 536228741", "536228741"),
    ("UsSsnRecognizer", "SSN 000-12-3456", None),  # area 000
    ("UsSsnRecognizer", "SSN 666-12-3456", None),  # area 666
    ("UsSsnRecognizer", "SSN 923-12-3456", None),  # area 9xx
    ("UsSsnRecognizer", "SSN 536-00-8741", None),  # group 00
    ("UsSsnRecognizer", "SSN 536-22-0000", None),  # serial 0000
    ("UsSsnRecognizer", "SSN 078-05-1120", None),  # well-known sample (Woolworth wallet)
    ("UsSsnRecognizer", "SSN 536-22 8741", None),  # mixed delimiters
    ("UsSsnRecognizer", "build 536228741 finished", None),  # bare digits, no context
    ("EmailRecognizer", "Write to jane.smith@acme-corp.com for access.", "jane.smith@acme-corp.com"),
    ("EmailRecognizer", "cc: ops+alerts@mail.example.co.uk", "ops+alerts@mail.example.co.uk"),
    ("EmailRecognizer", "load settings@config.yaml first", None),  # not a TLD
    ("EmailRecognizer", "user@localhost is local", None),
    ("PhoneRecognizer", "Call me at (415) 555-2671 tomorrow.", "(415) 555-2671"),
    ("PhoneRecognizer", "London office: +44 20 7946 0958", "+44 20 7946 0958"),
    ("PhoneRecognizer", "mobile 4155552671", "4155552671"),
    ("PhoneRecognizer", "Order #4155552671 has shipped", None),  # order number shaped like a phone
    ("PhoneRecognizer", "Your order 415-555-2671 ships Monday", None),
    ("PhoneRecognizer", "Dial 555-123-4567 now", None),  # invalid area code
    ("IbanRecognizer", "IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32"),
    ("IbanRecognizer", "Pay to DE89370400440532013000.", "DE89370400440532013000"),
    ("IbanRecognizer", "IBAN GB82 WEST 1234 5698 7654 33", None),  # wrong checksum
    ("IbanRecognizer", "IBAN DE8937040044053201300", None),  # wrong length
    ("IpAddressRecognizer", "The server at 192.168.1.20 is down", "192.168.1.20"),
    ("IpAddressRecognizer", "host 2001:db8::8a2e:370:7334 replied", "2001:db8::8a2e:370:7334"),
    ("IpAddressRecognizer", "Upgrade to version 1.2.3.4 now", None),  # version string
    ("IpAddressRecognizer", "Windows 10.0.19041.1 build", None),
    ("IpAddressRecognizer", "release 1.2.3.4.5 is out", None),
    ("IpAddressRecognizer", "address 999.1.1.1 is invalid", None),
    ("IpAddressRecognizer", "meet at 12:30:45 today", None),
    ("MacAddressRecognizer", "NIC 00:1A:2B:3C:4D:5E is up", "00:1A:2B:3C:4D:5E"),
    ("MacAddressRecognizer", "cisco 001a.2b3c.4d5e port", "001a.2b3c.4d5e"),
    ("MacAddressRecognizer", "mac 00:1A-2B:3C:4D:5E", None),  # mixed separators
    (
        "UrlRecognizer",
        "See https://internal.example.com/admin?id=7.",
        "https://internal.example.com/admin?id=7",
    ),
    ("UrlRecognizer", "visit www.example.org/help for more", "www.example.org/help"),
    ("UrlRecognizer", "open http://config.yaml now", None),
    ("CryptoRecognizer", "send to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    (
        "CryptoRecognizer",
        "wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ),
    (
        "CryptoRecognizer",
        "eth 0x742d35Cc6634C0532925a3b844Bc454e4438f44e",
        "0x742d35Cc6634C0532925a3b844Bc454e4438f44e",
    ),
    ("CryptoRecognizer", "send to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", None),  # bad base58check
    ("CryptoRecognizer", "wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx", None),  # bad bech32
    ("UsItinRecognizer", "ITIN 912-78-1234 on the form", "912-78-1234"),
    ("UsItinRecognizer", "ITIN 912-45-1234 on the form", None),  # group 45 is not an ITIN range
    ("UsPassportRecognizer", "Passport number: A12345678.", "A12345678"),
    ("UsPassportRecognizer", "Invoice A12345678 is paid", None),  # no context
    ("UsDriverLicenseRecognizer", "driver's license D1234567", "D1234567"),
    ("UsDriverLicenseRecognizer", "invoice D1234567 is due", None),
    ("DateOfBirthRecognizer", "She was born on March 3, 1985 in Ohio.", "March 3, 1985"),
    ("DateOfBirthRecognizer", "DOB: 03/04/1985", "03/04/1985"),
    ("DateOfBirthRecognizer", "It was released on March 3, 1985.", None),  # a date, not a birth date
    ("DateOfBirthRecognizer", "DOB: 02/30/1985", None),  # no such day
    ("AwsAccessKeyRecognizer", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("AwsAccessKeyRecognizer", "id AKIAIOSFODNN7EXAMP is too short", None),
    (
        "AwsSecretKeyRecognizer",
        "aws secret key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    ("AwsSecretKeyRecognizer", "aws secret commit 9fceb02d0ae598e95dc970b74767f19372d61af8", None),  # git SHA
    ("AwsSecretKeyRecognizer", "Fixed in 9fceb02d0ae598e95dc970b74767f19372d61af8", None),
    (
        "GithubTokenRecognizer",
        "token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    ),
    ("GithubTokenRecognizer", "the ghp_short prefix", None),
    ("GitlabTokenRecognizer", "use glpat-Ab3dE5gH7jK9mN1pQ3sT here", "glpat-Ab3dE5gH7jK9mN1pQ3sT"),
    ("GitlabTokenRecognizer", "a glpat-short token", None),
    (
        "SlackTokenRecognizer",
        "bot xoxb-2462945727-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "xoxb-2462945727-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    ),
    ("SlackTokenRecognizer", "prefix xoxb-123 only", None),
    ("StripeKeyRecognizer", "STRIPE sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("StripeKeyRecognizer", "publishable pk_live_4eC39HqLyjWDarjtT1zdp7dc", None),
    (
        "GoogleApiKeyRecognizer",
        "key=AIzaSyA-1234567890abcdefghijklmnopqrstu",
        "AIzaSyA-1234567890abcdefghijklmnopqrstu",
    ),
    ("GoogleApiKeyRecognizer", "AIzaShort is not a key", None),
    (
        "OpenAiApiKeyRecognizer",
        "OPENAI_API_KEY=sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90",
        "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90",
    ),
    ("OpenAiApiKeyRecognizer", "use sk-learn for that", None),
    ("JwtRecognizer", f"Authorization: Bearer {JWT}", JWT),
    ("JwtRecognizer", "Bearer eyJhbGciOi.eyJzdWIi.xyz", None),  # not JSON
    ("PrivateKeyRecognizer", f"key:\n{PEM}\n", PEM),
    (
        "PrivateKeyRecognizer",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----",
        None,
    ),
    (
        "ConnectionStringRecognizer",
        "DATABASE_URL=postgres://app:S3cr3tPass!@db.internal:5432/app",
        "postgres://app:S3cr3tPass!@db.internal:5432/app",
    ),
    ("ConnectionStringRecognizer", "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app", None),
    ("ConnectionStringRecognizer", "DATABASE_URL=postgres://db.internal:5432/app", None),
    ("GenericSecretRecognizer", 'config password="Zx8!qL2#vB9m"', "Zx8!qL2#vB9m"),
    (
        "GenericSecretRecognizer",
        "api_key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ),
    ("GenericSecretRecognizer", "password: ********", None),
    ("GenericSecretRecognizer", "password=changeme", None),
    ("GenericSecretRecognizer", "request id 550e8400-e29b-41d4-a716-446655440000", None),  # UUID, no key word
    ("GenericSecretRecognizer", "commit 9fceb02d0ae598e95dc970b74767f19372d61af8", None),  # git SHA
]

_ENTITY_OF = {cls.__name__: cls.ENTITY for cls in RECOGNIZER_CLASSES}


@pytest.mark.parametrize(("recognizer", "text", "expected"), CASES)
def test_case(recognizer: str, text: str, expected: str | None) -> None:
    entity = _ENTITY_OF[recognizer]
    found = [text[f.start : f.end] for f in findings(text) if f.entity_type == entity]
    if expected is None:
        assert found == [], f"near miss flagged as {entity}"
    else:
        assert found == [expected]


def test_every_registered_recognizer_has_true_positives_and_near_misses() -> None:
    for cls in RECOGNIZER_CLASSES:
        cases = [expected for name, _, expected in CASES if name == cls.__name__]
        assert any(expected is not None for expected in cases), f"{cls.__name__} has no true positive"
        assert any(expected is None for expected in cases), f"{cls.__name__} has no near miss"


def test_uuids_and_git_shas_are_not_secrets() -> None:
    text = (
        "Deployed 9fceb02d0ae598e95dc970b74767f19372d61af8 as 550e8400-e29b-41d4-a716-446655440000 (id 1f0e)."
    )
    assert findings(text) == []
