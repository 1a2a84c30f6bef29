"""Errors of screening and of the review queue, worded in English and Arabic."""

from rasid.model.errors import ModelError, Worded


class ScreenError(ModelError):
    """A screening request or a review decision cannot be carried out as asked."""


class UnknownHit(Worded, LookupError):
    """No hit has the given id."""
