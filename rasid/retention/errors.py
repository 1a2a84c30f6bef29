"""Errors of retention and unmasking, worded in English and Arabic."""

from rasid.model.errors import Worded


class RetentionError(Worded):
    """A request that cannot be made or decided as asked (the message says why)."""


class UnknownUnmaskRequest(RetentionError):
    """No such unmask request, or none the caller may see."""
