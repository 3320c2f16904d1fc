"""Dotted-quad IPv4 check, equal to ``ipaddress.IPv4Address(value)`` not raising for a str.

The stdlib builds and raises an exception for every rejected value (versions,
dates ...), which costs more than the check itself.
"""


def ipv4_valid(value: str) -> bool:
    """True when ``value`` is 4 decimal octets 0-255 without leading zeros (as ``ipaddress``)."""
    octets = value.split(".")
    if len(octets) != 4:
        return False
    for octet in octets:
        if not octet or len(octet) > 3 or not (octet.isascii() and octet.isdigit()):
            return False
        if octet != "0" and octet[0] == "0":
            return False
        if int(octet) > 255:
            return False
    return True
