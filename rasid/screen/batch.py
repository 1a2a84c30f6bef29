"""Batch screening files: one JSON subject per line in, one result per line out; the
matching may run in several processes."""

import json
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from rasid.screen.model import Match, Subject

if TYPE_CHECKING:
    from rasid.names.index import NameIndex

FIELDS = ("birth_date", "nationality", "gender", "document_number")
MAX_NAME = 1000  # characters; a longer "name" is cut, not refused


@dataclass(frozen=True)
class BadLine:
    """A line of a batch file that is not a subject, and why (in English, and in Arabic
    for a refusal shown in Arabic)."""

    line: int
    reason: str
    arabic: str = ""


def read_subjects(stream: IO[str]) -> Iterator[Subject | BadLine]:
    """Subjects from JSON lines (``id``, ``name``, optional facts); bad lines are reported."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"not JSON: {exc.msg}", f"ليس JSON: {exc.msg}")
            continue
        yield subject_from(data, number)


def subject_from(data: Any, number: int = 0) -> Subject | BadLine:
    """A subject from a decoded JSON object, or why it is not one."""
    if not isinstance(data, dict):
        return BadLine(number, "not a JSON object", "ليس كائن JSON")
    name = data.get("name")
    if not isinstance(name, str) or not any(c.isalnum() for c in name):
        return BadLine(
            number,
            "no name (a name needs at least one letter or digit)",
            "لا يوجد اسم (يحتاج الاسم إلى حرف أو رقم واحد على الأقل)",
        )
    facts: dict[str, str | None] = {}
    for key in FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str | int):
            return BadLine(number, f"{key} must be a string", f"يجب أن يكون {key} نصًا")
        facts[key] = str(value).strip() or None if value is not None else None
    if facts["birth_date"] and not _is_date(facts["birth_date"]):
        shown = repr(facts["birth_date"])
        return BadLine(
            number,
            f"birth_date {shown} is not YYYY[-MM[-DD]]",
            f"تاريخ الميلاد birth_date {shown} ليس بالصيغة YYYY[-MM[-DD]]",
        )
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


CHUNK = 256  # lines a worker process screens at a time
Item = Subject | BadLine

_shared: "NameIndex | None" = None  # the index that worker processes inherit (fork)


def _match_chunk(chunk: list[tuple[Item, int]]) -> list[tuple[Item, list[Match]]]:
    """In a worker: the matches of each subject of a chunk (none for a bad line)."""
    assert _shared is not None
    return [(item, _match_one(_shared, item, limit)) for item, limit in chunk]


def _match_one(index: "NameIndex", item: Item, limit: int) -> list[Match]:
    return [] if isinstance(item, BadLine) else index.match(item, limit)


def _chunks(items: Iterable[Item], limit: int) -> Iterator[list[tuple[Item, int]]]:
    chunk: list[tuple[Item, int]] = []
    for item in items:
        chunk.append((item, limit))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def match_all(
    index: "NameIndex", items: Iterable[Item], limit: int, workers: int = 1
) -> Iterator[tuple[Item, list[Match]]]:
    """Each item with its matches (none for a bad line), in the order given.

    With ``workers`` > 1 the matching runs in that many forked processes that share the
    built index (read-only, copied on write only); the caller keeps every database write.
    Where processes cannot be forked, one process does the work."""
    global _shared
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield item, _match_one(index, item, limit)
        return
    index.prepare()  # built once, before the fork: no worker builds it again
    _shared = index
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap(_match_chunk, _chunks(items, limit)):
                yield from results
    finally:
        _shared = None
