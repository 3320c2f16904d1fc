"""The explicit registry of recognizers, by class name (no discovery magic)."""

from __future__ import annotations

from services.guard.recognizers.aws_access_key_recognizer import AwsAccessKeyRecognizer
from services.guard.recognizers.aws_secret_key_recognizer import AwsSecretKeyRecognizer
from services.guard.recognizers.base import PatternRecognizer
from services.guard.recognizers.connection_string_recognizer import ConnectionStringRecognizer
from services.guard.recognizers.credit_card_recognizer import CreditCardRecognizer
from services.guard.recognizers.crypto_recognizer import CryptoRecognizer
from services.guard.recognizers.date_of_birth_recognizer import DateOfBirthRecognizer
from services.guard.recognizers.email_recognizer import EmailRecognizer
from services.guard.recognizers.generic_secret_recognizer import GenericSecretRecognizer
from services.guard.recognizers.github_token_recognizer import GithubTokenRecognizer
from services.guard.recognizers.gitlab_token_recognizer import GitlabTokenRecognizer
from services.guard.recognizers.google_api_key_recognizer import GoogleApiKeyRecognizer
from services.guard.recognizers.iban_recognizer import IbanRecognizer
from services.guard.recognizers.ip_address_recognizer import IpAddressRecognizer
from services.guard.recognizers.jwt_recognizer import JwtRecognizer
from services.guard.recognizers.mac_address_recognizer import MacAddressRecognizer
from services.guard.recognizers.openai_api_key_recognizer import OpenAiApiKeyRecognizer
from services.guard.recognizers.phone_recognizer import PhoneRecognizer
from services.guard.recognizers.private_key_recognizer import PrivateKeyRecognizer
from services.guard.recognizers.slack_token_recognizer import SlackTokenRecognizer
from services.guard.recognizers.stripe_key_recognizer import StripeKeyRecognizer
from services.guard.recognizers.url_recognizer import UrlRecognizer
from services.guard.recognizers.us_driver_license_recognizer import UsDriverLicenseRecognizer
from services.guard.recognizers.us_itin_recognizer import UsItinRecognizer
from services.guard.recognizers.us_passport_recognizer import UsPassportRecognizer
from services.guard.recognizers.us_ssn_recognizer import UsSsnRecognizer

RECOGNIZER_CLASSES: tuple[type[PatternRecognizer], ...] = (
    CreditCardRecognizer,
    UsSsnRecognizer,
    EmailRecognizer,
    PhoneRecognizer,
    IbanRecognizer,
    IpAddressRecognizer,
    MacAddressRecognizer,
    UrlRecognizer,
    CryptoRecognizer,
    UsItinRecognizer,
    UsPassportRecognizer,
    UsDriverLicenseRecognizer,
    DateOfBirthRecognizer,
    AwsAccessKeyRecognizer,
    AwsSecretKeyRecognizer,
    GithubTokenRecognizer,
    GitlabTokenRecognizer,
    SlackTokenRecognizer,
    StripeKeyRecognizer,
    GoogleApiKeyRecognizer,
    OpenAiApiKeyRecognizer,
    JwtRecognizer,
    PrivateKeyRecognizer,
    ConnectionStringRecognizer,
    GenericSecretRecognizer,
)

# Leak findings share the redaction machinery under these entity names.
CANARY_ENTITY = "CANARY"
SYSTEM_PROMPT_ENTITY = "SYSTEM_PROMPT_LEAK"


def default_recognizers() -> list[PatternRecognizer]:
    """One instance of every registered recognizer."""
    return [cls() for cls in RECOGNIZER_CLASSES]


def recognizers_by_name() -> dict[str, PatternRecognizer]:
    return {recognizer.name: recognizer for recognizer in default_recognizers()}


ENTITY_TYPES: frozenset[str] = frozenset(cls.ENTITY for cls in RECOGNIZER_CLASSES)
