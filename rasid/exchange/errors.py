"""Errors of the exchange, worded in English and Arabic (``Worded``'s ``arabic``)."""

from rasid.model.errors import ModelError, Worded


class ExchangeError(ModelError):
    """A message, receipt or re-share that the rules refuse (the reason says which)."""


class UnknownMessage(Worded, LookupError):
    """No such message, or none the caller may see (deliberately the same)."""
