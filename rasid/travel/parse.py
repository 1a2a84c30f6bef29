"""Reading an API (PAXLST) or PNR (PNRGOV) file in one call: ``parse(data, source=name)``.

The format is taken from the messages' UNH type unless given. Messages split over several
parts (UNH sequence of transfers, e.g. ``01:C`` then ``02:F``, sharing a common access
reference) are joined into one manifest or PNR batch. Every problem names the source, the
segment number, its line and the reason.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from rasid.travel.dates import clock, interchange_date, today
from rasid.travel.edifact import Interchange, Message, read_interchange
from rasid.travel.errors import (
    ContentError,
    EdifactError,
    NoMessage,
    Problem,
    UnsupportedMessage,
    excerpt,
)
from rasid.travel.manifest import Manifest
from rasid.travel.paxlst import check_totals, join_manifests, read_manifest
from rasid.travel.pnr import PnrBatch
from rasid.travel.pnrgov import join_batches, read_batch
from rasid.travel.tokenizer import decode, tokenize

Format = Literal["paxlst", "pnrgov"]
FORMATS: tuple[Format, ...] = ("paxlst", "pnrgov")


@dataclass(frozen=True)
class ParseResult:
    """What an input holds: its envelope, its manifests or PNR batches, and every problem."""

    source: str
    format: Format
    sender: str
    recipient: str
    prepared: datetime | None  # from UNB
    control_reference: str
    manifests: tuple[Manifest, ...] = ()
    pnr_batches: tuple[PnrBatch, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that left a record out."""
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The slips that were recovered."""
        return tuple(p for p in self.problems if not p.is_error)

    def raise_on_error(self) -> None:
        """Raise ``ContentError`` for the first error, for callers that accept no loss."""
        for problem in self.errors:
            raise ContentError(
                problem.reason,
                source=problem.source,
                position=problem.segment_position,
                line=problem.line,
                tag=problem.tag,
            )


def detect_format(messages: Iterable[Message]) -> Format | None:
    """The format of the first message of a type read here, or None."""
    for message in messages:
        if message.type.lower() in FORMATS:
            return "paxlst" if message.type.lower() == "paxlst" else "pnrgov"
    return None


def sniff(head: bytes) -> Format | None:
    """The format of an input from its first bytes: the type of its first message when it
    starts as UN/EDIFACT does (UNA, UNB or UNH), else None. The head may be cut anywhere."""
    text, _ = decode(head)
    if text.lstrip()[:3] not in ("UNA", "UNB", "UNH"):
        return None
    try:
        segments = tokenize(text).segments
    except EdifactError:
        return None
    kind = next((s.component(1, 0).strip().lower() for s in segments if s.tag == "UNH"), "")
    return "paxlst" if kind == "paxlst" else "pnrgov" if kind == "pnrgov" else None


def group_parts(messages: list[Message]) -> tuple[list[list[Message]], list[Problem]]:
    """Messages in order, the parts of a split message together and sorted by sequence, with
    warnings for a missing, repeated or unfinished part."""
    groups: dict[object, list[Message]] = {}
    for i, message in enumerate(messages):
        key: object = message.part_key if message.is_part else i
        groups.setdefault(key, []).append(message)
    problems: list[Problem] = []
    ordered = []
    for parts in groups.values():
        parts.sort(key=lambda m: (m.sequence is None, m.sequence or 0))
        ordered.append(parts)
        if len(parts) > 1 or parts[0].is_part:
            problems.extend(_check_parts(parts))
    return ordered, problems


def _check_parts(parts: list[Message]) -> list[Problem]:
    """Warnings on the parts of one split message, in sequence order."""
    found: list[Problem] = []

    def warn(message: Message, reason: str) -> None:
        header = message.header
        found.append(
            Problem(header.position, header.line, "UNH", reason, "warning", "", message.reference)
        )

    numbers = [m.sequence for m in parts if m.sequence is not None]
    if len(set(numbers)) != len(numbers):
        warn(parts[0], "a part of a split message is sent twice")
    gaps = _gaps(numbers)
    if gaps:
        warn(parts[0], f"split message: part {gaps} missing")
    if parts[-1].sequence_marker != "F":
        warn(parts[-1], "split message without its final part (F)")
    return found


def _gaps(numbers: list[int]) -> str:
    """The part numbers missing before the highest one, written compactly (``1-9, 12``)."""
    spans, previous = [], 0
    for n in sorted(set(numbers)):
        if n > previous + 1:
            spans.append(f"{previous + 1}-{n - 1}" if n - 1 > previous + 1 else f"{n - 1}")
        previous = n
    return ", ".join(spans)


def _prepared(interchange: Interchange) -> datetime | None:
    day = interchange_date(interchange.prepared_date)
    at = clock(interchange.prepared_time)
    return datetime.combine(day, at) if day is not None and at is not None else None


def _stamp(problems: Iterable[Problem], source: str) -> tuple[Problem, ...]:
    stamped = [replace(p, source=source) for p in problems]
    return tuple(sorted(stamped, key=lambda p: p.segment_position))


def parse(data: bytes | str, *, format: Format | None = None, source: str = "") -> ParseResult:
    """Read a PAXLST or PNRGOV interchange (bytes or text) into manifests or PNR batches.

    Raises an ``EdifactError`` subclass naming ``source`` when nothing can be read (not
    EDIFACT, no message, no message of a type read here); everything else wrong is a
    ``Problem`` on the result, and the records that could be understood are kept.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    try:
        interchange = read_interchange(data)
    except EdifactError as exc:
        raise type(exc)(
            exc.reason, source=source, position=exc.position, line=exc.line, tag=exc.tag
        ) from None
    if not interchange.messages:
        raise NoMessage("no message (UNH) found", source=source)
    chosen = format or detect_format(interchange.messages)
    if chosen is None:
        types = sorted({m.type for m in interchange.messages})
        shown = ", ".join(excerpt(t, 8) for t in types[:3])
        raise UnsupportedMessage(f"message type {shown} is not PAXLST or PNRGOV", source=source)
    reference: date = interchange_date(interchange.prepared_date) or today()
    problems = list(interchange.problems)
    selected = []
    for message in interchange.messages:
        if message.type.lower() == chosen:
            selected.append(message)
        else:
            header = message.header
            reason = f"{excerpt(message.type, 8)} message skipped: this input is read as {chosen}"
            problems.append(
                Problem(header.position, header.line, "UNH", reason, "error", "", message.reference)
            )
    if not selected:
        raise UnsupportedMessage(f"no {chosen.upper()} message in the input", source=source)
    groups, part_problems = group_parts(selected)
    problems.extend(part_problems)
    manifests: list[Manifest] = []
    batches: list[PnrBatch] = []
    for parts in groups:
        if chosen == "paxlst":
            manifest = check_totals(join_manifests([read_manifest(m, reference) for m in parts]))
            manifests.append(replace(manifest, problems=_stamp(manifest.problems, source)))
            problems.extend(manifest.problems)
        else:
            read = [read_batch(m, reference, interchange.delimiters) for m in parts]
            batch = join_batches(read)
            batches.append(replace(batch, problems=_stamp(batch.problems, source)))
            problems.extend(batch.problems)
    return ParseResult(
        source=source,
        format=chosen,
        sender=interchange.sender,
        recipient=interchange.recipient,
        prepared=_prepared(interchange),
        control_reference=interchange.control_reference,
        manifests=tuple(manifests),
        pnr_batches=tuple(batches),
        problems=_stamp(problems, source),
    )
