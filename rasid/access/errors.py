"""Errors of the access layer."""

from rasid.model.errors import Worded


class AccessError(Worded, LookupError):
    """An agency or dataset is unknown, or conflicts with an existing one; the base of the
    policy's refusals (``Denied``, ``PurposeMissing``)."""
