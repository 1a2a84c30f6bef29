"""Batch screening files: one JSON subject per line in, one result per line out."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from rasid.screen.model import Subject

FIELDS = ("birth_date", "nationality", "gender", "document_number")
MAX_NAME = 1000  # characters; a longer "name" is cut, not refused


@dataclass(frozen=True)
class BadLine:
    """A line of a batch file that is not a subject, and why."""

    line: int
    reason: str


def read_subjects(stream: IO[str]) -> Iterator[Subject | BadLine]:
    """Subjects from JSON lines (``id``, ``name``, optional facts); bad lines are reported."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"not JSON: {exc.msg}")
            continue
        yield subject_from(data, number)


def subject_from(data: Any, number: int = 0) -> Subject | BadLine:
    """A subject from a decoded JSON object, or why it is not one."""
    if not isinstance(data, dict):
        return BadLine(number, "not a JSON object")
    name = data.get("name")
    if not isinstance(name, str) or not any(c.isalnum() for c in name):
        return BadLine(number, "no name (a name needs at least one letter or digit)")
    facts: dict[str, str | None] = {}
    for key in FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str | int):
            return BadLine(number, f"{key} must be a string")
        facts[key] = str(value).strip() or None if value is not None else None
    if facts["birth_date"] and not _is_date(facts["birth_date"]):
        return BadLine(number, f"birth_date {facts['birth_date']!r} is not YYYY[-MM[-DD]]")
    subject_id = data.get("id", number)
    return Subject(str(subject_id), name[:MAX_NAME], **facts)


def _is_date(text: str) -> bool:
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return False
    sizes = [4, 2, 2][: len(parts)]
    if [len(p) for p in parts] != sizes:
        return False
    month = int(parts[1]) if len(parts) > 1 else 1
    day = int(parts[2]) if len(parts) > 2 else 1
    return 1 <= month <= 12 and 1 <= day <= 31
