"""Secrets at rest: values the server must read back (TOTP secrets) are stored sealed with
a server key, so that a copy of the database alone (a backup, a dump) does not let anyone
compute a user's sign-in codes.

Sealing is AES-256-GCM. The key file (``RASID_SECRET_KEY_FILE``) holds one key per line,
base64; the last line is the current key and seals, every line opens. It is created, readable
by its owner only, the first time a value is sealed. A sealed value reads
``s1:<key id>:<base64 of nonce, ciphertext and tag>``; the key id is the start of the key's
SHA-256, so the right key is found after a rotation (``rasid keys rotate`` adds a key and
seals every value again). The value is bound to its row (the user's name is the associated
data): a sealed secret copied onto another account does not open.

A value without the ``s1:`` prefix is one stored before sealing existed; it is read as it is
and sealed at the next change (a sign-in, a reset, a rotation). Losing the key file loses
the TOTP secrets: the accounts must then be reset (``rasid users reset``).
"""

import base64
import binascii
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rasid.access.errors import AccessError
from rasid.model.keys import sha256_hex
from rasid.settings import get_settings

PREFIX = "s1"
KEY_BYTES = 32
NONCE_BYTES = 12
_lock = threading.Lock()


@dataclass(frozen=True)
class Keys:
    """The keys of a key file: every one opens, the last one seals."""

    path: Path
    keys: tuple[bytes, ...]

    @property
    def current(self) -> bytes:
        """The key that seals."""
        return self.keys[-1]

    def by_id(self, kid: str) -> bytes | None:
        """The key whose id is ``kid``."""
        return next((k for k in self.keys if key_id(k) == kid), None)


def key_id(key: bytes) -> str:
    """A key's public name: the first 8 hex digits of its SHA-256."""
    return sha256_hex(key)[:8]


def _parse(path: Path) -> tuple[bytes, ...]:
    keys = []
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            raise AccessError(
                f"{path}, line {number}: not a {KEY_BYTES}-byte base64 key"
            )  # english-only: server configuration, for the log
        keys.append(key)
    if not keys:
        raise AccessError(
            f"{path}: no key in the key file"
        )  # english-only: server configuration, for the log
    return tuple(keys)


def _create(path: Path) -> None:
    """A new key file with one key, readable by its owner only (never overwrites one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: use theirs
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("# Rasid server keys: keep secret, back up apart from the database\n")
        out.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")


def key_file() -> Path:
    """Where the server keys are (the setting)."""
    return Path(get_settings().secret_key_file)


def load_keys(path: Path | None = None) -> Keys:
    """The keys, creating the key file with a first key if there is none."""
    path = path or key_file()
    with _lock:
        if not path.exists():
            _create(path)
        return Keys(path, _parse(path))


def add_key(path: Path | None = None) -> Keys:
    """Append a new current key to the key file (the older ones still open)."""
    keys = load_keys(path)
    with _lock, keys.path.open("a", encoding="ascii") as out:
        out.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")
    return load_keys(keys.path)


def is_sealed(value: str) -> bool:
    """True when ``value`` was sealed (not stored as it is)."""
    return value.startswith(PREFIX + ":")


def seal(value: str, bound_to: str, keys: Keys | None = None) -> str:
    """``value`` sealed with the current key, bound to ``bound_to`` (the row's name)."""
    keys = keys or load_keys()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.current).encrypt(nonce, value.encode("utf-8"), bound_to.encode())
    body = base64.b64encode(nonce + sealed).decode("ascii")
    return f"{PREFIX}:{key_id(keys.current)}:{body}"


def unseal(stored: str, bound_to: str, keys: Keys | None = None) -> str:
    """The value of a sealed ``stored`` (or ``stored`` itself if it was never sealed).
    AccessError when no key of the key file opens it or it was moved to another row."""
    if not is_sealed(stored):
        return stored
    keys = keys or load_keys()
    _, kid, body = stored.split(":", 2)
    key = keys.by_id(kid)
    if key is None:
        raise AccessError(  # english-only: server configuration, for the log
            f"a secret of {bound_to!r} was sealed with key {kid}, not in {keys.path}"
        )
    try:
        raw = base64.b64decode(body, validate=True)
        opened = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], bound_to.encode())
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise AccessError(  # english-only: server configuration, for the log
            f"a sealed secret of {bound_to!r} does not open"
        ) from exc
    return opened.decode("utf-8")
