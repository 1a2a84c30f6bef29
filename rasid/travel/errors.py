"""Errors and problems met while reading travel messages (UN/EDIFACT PAXLST and PNRGOV).

Two ways of reporting, on purpose:

* a ``Problem`` is a note on the result: a slip that was recovered (``warning``) or a record
  that could not be understood and was left out (``error``), with the segment where it was
  found, so the caller can quarantine that record and keep the rest of the message;
* an ``EdifactError`` is raised only when nothing usable can be read at all (not EDIFACT,
  no message of a supported type, a service string advice that makes no sense).

Reasons never quote more than a few characters of the data: a message can carry card
numbers and other personal data that must not travel into logs.
"""

from dataclasses import dataclass
from typing import Literal, Protocol

Severity = Literal["warning", "error"]


def where(source: str, position: int, line: int, tag: str) -> str:
    """The place of a segment, as it starts every message: ``file: segment 12 (NAD), line 14``.

    Position 0 means no particular segment: the place is the source alone (or "input").
    """
    place = f"segment {position} ({tag})" if position else ""
    if line:
        place = f"{place}, line {line}" if place else f"line {line}"
    if source and place:
        return f"{source}: {place}"
    return source or place or "input"


def excerpt(value: str, limit: int = 12) -> str:
    """A short quoted piece of the data for a reason, cut so no long number can leak."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return repr(shown)


class Placed(Protocol):
    """Anything with a place in the input: a segment."""

    @property
    def position(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def tag(self) -> str: ...


@dataclass(frozen=True)
class Problem:
    """Something wrong in a message, found where, and how bad.

    ``severity`` is ``warning`` when the meaning was recovered unambiguously (the value read
    is kept) and ``error`` when a record could not be understood (it is left out).
    """

    segment_position: int  # 1-based number of the segment in the interchange (0: the input)
    line: int  # 1-based line where the segment starts (0: unknown)
    tag: str
    reason: str
    severity: Severity
    source: str = ""
    message_reference: str = ""

    def __str__(self) -> str:
        return f"{where(self.source, self.segment_position, self.line, self.tag)}: {self.reason}"

    @property
    def is_error(self) -> bool:
        """True when a record was left out because of it."""
        return self.severity == "error"

    @classmethod
    def at(
        cls, segment: Placed, reason: str, severity: Severity = "warning", message: str = ""
    ) -> "Problem":
        """A problem found in ``segment`` of the message with reference ``message``."""
        return cls(
            segment.position, segment.line, segment.tag, reason, severity, message_reference=message
        )


class EdifactError(Exception):
    """A travel message that cannot be read; the message names the place and the reason."""

    def __init__(
        self, reason: str, *, source: str = "", position: int = 0, line: int = 0, tag: str = ""
    ) -> None:
        self.reason = reason
        self.source = source
        self.position = position
        self.line = line
        self.tag = tag
        super().__init__(f"{where(source, position, line, tag)}: {reason}")


class EdifactSyntaxError(EdifactError):
    """The text is not UN/EDIFACT, or its delimiters cannot be made out."""


class BadServiceStringAdvice(EdifactSyntaxError):
    """The UNA segment is cut short or names delimiters that cannot work together."""


class NoMessage(EdifactSyntaxError):
    """The input holds no message (no UNH segment) to read."""


class UnsupportedMessage(EdifactError):
    """The messages are of a type this reader does not map (neither PAXLST nor PNRGOV)."""


class ContentError(EdifactError):
    """A message had errors and the caller asked for a strict read (``raise_on_error``)."""
