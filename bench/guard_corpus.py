"""Seeded corpus of realistic LLM answers with planted PII and secrets, and lookalikes.

``build_corpus(seed, size)`` returns documents with gold spans. Planted values
are generated to be valid (Luhn, mod-97, base58check, real area codes ...);
distractors (invalid checksums, version strings, order numbers, UUIDs, git
SHAs, release dates, placeholders) are unlabelled, so flagging them costs
precision. Used by bench/guard_quality.py and bench/guard_bench.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
FIRST = ["Jane", "Omar", "Li", "Priya", "Carlos", "Anna", "Kwame", "Sofia", "Ivan", "Mei"]
LAST = ["Smith", "Haddad", "Chen", "Patel", "Garcia", "Novak", "Mensah", "Rossi", "Petrov", "Wong"]
DOMAINS = ["acme-corp.com", "example.org", "mail.initech.io", "globex.co.uk", "umbrella.de", "contoso.net"]
US_AREAS = ["212", "415", "646", "312", "617", "206", "305", "512", "303", "702"]


@dataclass
class Document:
    text: str
    gold: list[tuple[str, int, int]] = field(default_factory=list)


class Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.gold: list[tuple[str, int, int]] = []
        self.length = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def plant(self, entity: str, value: str) -> None:
        self.gold.append((entity, self.length, self.length + len(value)))
        self.add(value)

    def build(self) -> Document:
        return Document("".join(self.parts), self.gold)


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return digits + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    number = luhn_complete(rng.choice(["4", "51", "55", "2221", "6011"]), 16, rng)
    sep = rng.choice([" ", "-", ""])
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def bad_card(rng: random.Random) -> str:
    number = card(rng)
    last = str((int(number[-1]) + 1) % 10)
    return number[:-1] + last


def ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def phone(rng: random.Random) -> str:
    area, exchange, line = rng.choice(US_AREAS), rng.randint(201, 989), rng.randint(1000, 9999)
    return rng.choice(
        [f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"+1 {area} {exchange} {line}"]
    )


def iban(rng: random.Random) -> str:
    country, length = rng.choice([("DE", 22), ("GB", 22), ("FR", 27), ("NL", 18)])
    if country == "GB":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(
            rng.choice(string.digits) for _ in range(14)
        )
    elif country == "NL":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(
            rng.choice(string.digits) for _ in range(10)
        )
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(length - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)) if rng.random() < 0.5 else compact


def btc(rng: random.Random) -> str:
    payload = bytes([0]) + rng.randbytes(20)
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(raw, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = B58[rem] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def rand(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


ALNUM = string.ascii_letters + string.digits


def jwt(rng: random.Random) -> str:
    def seg(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims = {"sub": str(rng.randint(1000, 99999)), "iat": rng.randint(1.6e9, 1.8e9)}
    return f"{seg({'alg': 'HS256', 'typ': 'JWT'})}.{seg(claims)}.{rand(rng, ALNUM + '-_', 43)}"


def pem(rng: random.Random) -> str:
    lines = [rand(rng, ALNUM + "+/", 64) for _ in range(rng.randint(4, 10))]
    return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def email(rng: random.Random) -> str:
    return f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}@{rng.choice(DOMAINS)}"


# Each template: a function that writes one paragraph of an LLM-style answer.
Template = Callable[[Builder, random.Random], None]


def t_support(b: Builder, rng: random.Random) -> None:
    b.add(f"Sure! Here is the summary of the ticket for {name(rng)}. You can reach them at ")
    b.plant("EMAIL_ADDRESS", email(rng))
    b.add(" or by phone at ")
    b.plant("PHONE_NUMBER", phone(rng))
    b.add(
        ". The order number is #"
        + str(rng.randint(10**9, 10**10 - 1))
        + " and it shipped on 2024-03-0"
        + str(rng.randint(1, 9))
        + ".\n"
    )


def t_payment(b: Builder, rng: random.Random) -> None:
    b.add("The payment failed because the card ")
    b.plant("CREDIT_CARD", card(rng))
    b.add(" was declined. A second attempt with " + bad_card(rng) + " failed the checksum. Refund to IBAN ")
    b.plant("IBAN_CODE", iban(rng))
    b.add(" within 5-7 business days.\n")


def t_hr(b: Builder, rng: random.Random) -> None:
    b.add(f"Employee record: {name(rng)}, SSN ")
    b.plant("US_SSN", ssn(rng))
    b.add(", born on ")
    month = rng.choice(["January", "March", "July", "October", "December"])
    b.plant("DATE_OF_BIRTH", f"{month} {rng.randint(1, 28)}, {rng.randint(1950, 2003)}")
    b.add(". Passport number: ")
    b.plant("US_PASSPORT", rand(rng, string.ascii_uppercase, 1) + rand(rng, string.digits, 8))
    b.add(". The policy was last revised on " + f"March {rng.randint(1, 28)}, 2021" + ".\n")


def t_devops(b: Builder, rng: random.Random) -> None:
    b.add("To debug the deployment, SSH into ")
    b.plant("IP_ADDRESS", f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
    b.add(
        " and check the logs. We upgraded nginx to version 1.25.3.1 and the release "
        + str(uuid_like(rng))
        + ".\n"
    )
    b.add("Your config currently contains:\n\n```\nAWS_ACCESS_KEY_ID=")
    b.plant("AWS_ACCESS_KEY", "AKIA" + rand(rng, string.ascii_uppercase + "234567", 16))
    b.add("\naws_secret_access_key = ")
    b.plant("AWS_SECRET_KEY", rand(rng, ALNUM, 20) + "/" + rand(rng, ALNUM, 19))
    b.add("\nDATABASE_URL=")
    b.plant("CONNECTION_STRING", f"postgres://app:{rand(rng, ALNUM, 14)}@db.internal:5432/app")
    b.add(
        "\n```\nRotate these immediately. Commit " + rand(rng, "0123456789abcdef", 40) + " introduced them.\n"
    )


def t_tokens(b: Builder, rng: random.Random) -> None:
    kind = rng.randrange(6)
    b.add("I noticed a credential in your snippet: `")
    if kind == 0:
        b.plant("GITHUB_TOKEN", "ghp_" + rand(rng, ALNUM, 36))
    elif kind == 1:
        b.plant("GITLAB_TOKEN", "glpat-" + rand(rng, ALNUM, 20))
    elif kind == 2:
        b.plant(
            "SLACK_TOKEN",
            f"xoxb-{rng.randint(10**9, 10**10)}-{rng.randint(10**12, 10**13)}-{rand(rng, ALNUM, 24)}",
        )
    elif kind == 3:
        b.plant("STRIPE_KEY", "sk_live_" + rand(rng, ALNUM, 24))
    elif kind == 4:
        b.plant("GOOGLE_API_KEY", "AIza" + rand(rng, ALNUM + "-_", 35))
    else:
        b.plant("OPENAI_API_KEY", "sk-proj-" + rand(rng, ALNUM, 48))
    b.add("`. Never commit tokens; use a secret manager. The request id was " + uuid_like(rng) + ".\n")


def t_auth(b: Builder, rng: random.Random) -> None:
    b.add("Send the header `Authorization: Bearer ")
    b.plant("JWT", jwt(rng))
    b.add("` and set `password=")
    b.plant("GENERIC_SECRET", rand(rng, ALNUM + "!#%", 14))
    b.add("` in the client. Placeholders like password=<your-password> are fine to keep.\n")


def t_network(b: Builder, rng: random.Random) -> None:
    b.add("The device with MAC ")
    b.plant("MAC_ADDRESS", ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6)))
    b.add(" got the address ")
    b.plant("IP_ADDRESS", f"2001:db8:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}")
    b.add(". See ")
    b.plant("URL", f"https://docs.{rng.choice(DOMAINS)}/network/setup")
    b.add(" for details; Python 3.11.4 is required.\n")


def t_finance(b: Builder, rng: random.Random) -> None:
    b.add("Send the refund in bitcoin to ")
    b.plant("CRYPTO", btc(rng))
    b.add(" or to the ethereum wallet ")
    b.plant("CRYPTO", "0x" + rand(rng, "0123456789abcdef", 40))
    b.add(". Their ITIN is ")
    b.plant(
        "US_ITIN",
        f"9{rng.randint(0, 99):02d}-{rng.choice([70, 71, 78, 88, 90, 94])}-{rng.randint(1000, 9999)}",
    )
    b.add(" and the driver's license ")
    b.plant("US_DRIVER_LICENSE", rand(rng, string.ascii_uppercase, 1) + rand(rng, string.digits, 7))
    b.add(".\n")


def t_keys(b: Builder, rng: random.Random) -> None:
    b.add("Here is the key you pasted, which you should revoke:\n")
    b.plant("PRIVATE_KEY", pem(rng))
    b.add("\nThe matching public key is fine to share.\n")


def t_prose(b: Builder, rng: random.Random) -> None:
    sentences = [
        "Gradient descent updates the weights in the direction of the negative gradient.",
        "In 2023, revenue grew 14% year over year to $3.2 billion.",
        "Kubernetes 1.29.2 introduced several fixes to the scheduler.",
        "The meeting is at 10:30 on 2024-05-14 in room 4B.",
        "Use `pip install numpy==1.26.4` to pin the version.",
        "The function returns a UUID such as 123e4567-e89b-12d3-a456-426614174000.",
        "Order 1234567890 and invoice INV-2024-0042 are both pending.",
        "Call the `get_user(id=42)` endpoint and compare it with sha256 checksums.",
        "Photosynthesis converts light energy into chemical energy.",
        "The hash 9fceb02d0ae598e95dc970b74767f19372d61af8 identifies the commit.",
    ]
    b.add(" ".join(rng.sample(sentences, 3)) + "\n")


def uuid_like(rng: random.Random) -> str:
    h = rand(rng, "0123456789abcdef", 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


TEMPLATES: list[Template] = [
    t_support,
    t_payment,
    t_hr,
    t_devops,
    t_tokens,
    t_auth,
    t_network,
    t_finance,
    t_keys,
]


def build_corpus(seed: int = 20261126, size: int = 300) -> list[Document]:
    rng = random.Random(seed)
    documents = []
    for _ in range(size):
        builder = Builder()
        for _ in range(rng.randint(2, 4)):
            t_prose(builder, rng)
            if rng.random() < 0.8:
                rng.choice(TEMPLATES)(builder, rng)
        documents.append(builder.build())
    return documents


def typical_output(seed: int = 7, size_kb: int = 64) -> str:
    """Mostly prose with the occasional planted value: what a chat answer looks like."""
    rng = random.Random(seed)
    builder = Builder()
    while builder.length < size_kb * 1024:
        for _ in range(4):
            t_prose(builder, rng)
        if rng.random() < 0.3:
            rng.choice(TEMPLATES)(builder, rng)
    return builder.build().text
