"""Errors of the store."""


class StoreError(RuntimeError):
    """The database cannot be used as asked (not initialised, out of date, unreachable)."""


class NotInitialised(StoreError):
    """The database has no Rasid tables yet, or an older revision of them."""
