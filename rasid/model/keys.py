"""Keys derived from content: the same parts always give the same key."""

import hashlib

SEPARATOR = "\x1f"  # the ASCII unit separator: no part of a key contains it


def content_key(*parts: str) -> str:
    """A 40-character key of the parts, in order (SHA-1: an identifier, not a safeguard)."""
    return hashlib.sha1(SEPARATOR.join(parts).encode("utf-8")).hexdigest()


def sha256_hex(data: bytes | str) -> str:
    """The SHA-256 of bytes, or of a text's UTF-8, in hexadecimal."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()
