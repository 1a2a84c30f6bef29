"""Errors of retention and unmasking."""


class RetentionError(Exception):
    """A request that cannot be made or decided as asked (the message says why)."""


class UnknownUnmaskRequest(RetentionError):
    """No such unmask request, or none the caller may see."""
