"""Errors of technical-assistance coordination."""

from rasid.model.errors import ModelError


class AssistError(ModelError):
    """Bad input to coordination: an invalid taxonomy or import file, a refused change. The
    message names what and where (file and line or element, field)."""


class UnknownRecord(AssistError):
    """No such need, document, roadmap, project or indicator, or one the caller may not read
    (a 404 in the API)."""
