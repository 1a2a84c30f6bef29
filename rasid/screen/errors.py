"""Errors of screening and of the review queue."""


class ScreenError(ValueError):
    """A screening request or a review decision cannot be carried out as asked."""


class UnknownHit(LookupError):
    """No hit has the given id."""
