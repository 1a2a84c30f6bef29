"""Errors of nexus monitoring."""

from rasid.model.errors import ModelError


class MonitorError(ModelError):
    """Bad input to monitoring: an invalid instrument file, a refused rating or workflow
    step, an unreadable series. The message names what and where (file and line, indicator)."""


class UnknownAssessment(MonitorError):
    """No such subject or assessment, or one the caller may not read (a 404 in the API)."""
