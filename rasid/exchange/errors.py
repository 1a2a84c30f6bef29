"""Errors of the exchange."""


class ExchangeError(ValueError):
    """A message, receipt or re-share that the rules refuse (the reason says which)."""


class UnknownMessage(LookupError):
    """No such message, or none the caller may see (deliberately the same)."""
