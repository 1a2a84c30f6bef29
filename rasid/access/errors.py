"""Errors of the access layer."""


class AccessError(LookupError):
    """An agency or dataset is unknown, or conflicts with an existing one."""
