"""Password hashing and policy."""

import pytest

from rasid.access.errors import AccessError
from rasid.access.passwords import (
    check_policy,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_hashes_are_argon2id_salted_and_verify() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "correct horse battery")
    assert not verify_password(first, "correct horse batterY")
    assert not verify_password("not a hash", "anything")
    assert not needs_rehash(first)


def test_generated_passwords_are_long_and_different() -> None:
    made = {generate_password() for _ in range(50)}
    assert len(made) == 50
    assert all(len(p) >= 20 for p in made)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "at least 12"),
        ("my-name-is-amina-ok", "user name"),
        ("aaaaaaaaaaaabbbb", "different characters"),
    ],
)
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(AccessError, match=reason):
        check_policy(password, "amina")


def test_a_good_password_passes() -> None:
    check_policy("تفاح-أحمر-1987-jasmine", "amina")
