"""Errors raised by the model: invalid values for Rasid's own statement columns."""


class ModelError(ValueError):
    """A value does not fit Rasid's model (unknown marking, grade, retention class...)."""
