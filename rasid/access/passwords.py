"""Passwords: hashed with Argon2id (RFC 9106), generated when an administrator creates an
account, and checked against a minimum policy when a user chooses one."""

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rasid.access.errors import AccessError

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults are RFC 9106's second recommended option: Argon2id, 3 passes
    # over 64 MiB, 4 lanes.
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of a password, salt and parameters included (PHC string)."""
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when ``password`` is the one ``stored`` was made from."""
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(stored)


_DUMMY: list[str] = []


def burn_time(password: str) -> None:
    """Spend the time a verification takes, for a user name that does not exist (so that
    the time taken does not tell which names do)."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    verify_password(_DUMMY[0], password)


def generate_password() -> str:
    """A strong one-time password: 20 characters from 120 random bits."""
    return secrets.token_urlsafe(15)


def check_policy(password: str, user_name: str) -> None:
    """Raise AccessError when a chosen password is too weak."""
    if len(password) < MIN_LENGTH:
        raise AccessError(
            f"a password needs at least {MIN_LENGTH} characters",
            arabic=f"كلمة المرور تحتاج إلى {MIN_LENGTH} حرفًا على الأقل",
        )
    if user_name.lower() in password.lower():
        raise AccessError(
            "a password must not contain the user name",
            arabic="يجب ألا تتضمن كلمة المرور اسم المستخدم",
        )
    if len(set(password)) < 5:
        raise AccessError(
            "a password needs more different characters",
            arabic="كلمة المرور تحتاج إلى أحرف مختلفة أكثر",
        )
