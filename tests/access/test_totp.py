"""TOTP against the test vectors of RFC 6238 (appendix B) and RFC 4226 (appendix D)."""

import pytest

from rasid.access.totp import (
    code_at,
    hotp,
    matching_step,
    new_secret,
    provisioning_uri,
    step_at,
)

# The RFC's SHA-1 key is the ASCII text "12345678901234567890", here in base32.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.mark.parametrize(
    ("counter", "code"),
    [(0, "755224"), (1, "287082"), (2, "359152"), (3, "969429"), (9, "520489")],
)
def test_hotp_matches_rfc_4226(counter: int, code: str) -> None:
    assert hotp(RFC_SECRET, counter) == code


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238(when: int, code: str) -> None:
    assert hotp(RFC_SECRET, step_at(when), digits=8) == code


def test_a_code_is_accepted_once_within_the_drift() -> None:
    secret = new_secret()
    now = 1_800_000_000.0
    code = code_at(secret, now)
    step = matching_step(secret, code, last_step=0, when=now)
    assert step == step_at(now)
    assert matching_step(secret, code, last_step=step, when=now) is None  # replayed
    # The previous step's code is still accepted (clock drift), two steps back is not.
    assert matching_step(secret, code_at(secret, now - 30), 0, now) == step - 1
    assert matching_step(secret, code_at(secret, now - 60), 0, now) is None
    assert matching_step(secret, code_at(secret, now + 30), 0, now) == step + 1


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_are_refused(bad: str) -> None:
    assert matching_step(new_secret(), bad, 0, 1_800_000_000.0) is None


def test_spaces_in_a_code_are_ignored() -> None:
    secret = new_secret()
    code = code_at(secret, 1_800_000_000.0)
    assert matching_step(secret, f"{code[:3]} {code[3:]}", 0, 1_800_000_000.0) is not None


def test_secrets_are_new_and_the_uri_names_issuer_and_account() -> None:
    first, second = new_secret(), new_secret()
    assert first != second and len(first) == 32
    uri = provisioning_uri(first, "amina@police")
    assert uri.startswith("otpauth://totp/Rasid%3Aamina%40police?")
    assert f"secret={first}" in uri and "issuer=Rasid" in uri
