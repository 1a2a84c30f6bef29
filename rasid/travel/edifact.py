"""UN/EDIFACT interchanges: the envelope (UNB/UNZ), functional groups (UNG/UNE) and messages
(UNH...UNT) around the segments that ``rasid.travel.tokenizer`` splits.

Envelope slips that do not change the meaning (a wrong or space-padded UNT reference, a wrong
segment count, a missing trailer) are recorded as warnings; the messages are still read.
"""

from dataclasses import dataclass, field

from rasid.travel.errors import Problem, excerpt
from rasid.travel.tokenizer import (
    DEFAULT_DELIMITERS,
    Delimiters,
    Segment,
    Tokens,
    decode,
    tokenize,
)

__all__ = [
    "DEFAULT_DELIMITERS",
    "Delimiters",
    "Group",
    "Interchange",
    "Message",
    "Segment",
    "Tokens",
    "decode",
    "read_interchange",
    "tokenize",
]


@dataclass(frozen=True)
class Group:
    """A functional group (UNG...UNE): the messages of one type between two parties."""

    name: str  # e.g. PAXLST, PNRGOV
    sender: str
    recipient: str
    prepared: str  # date:time as sent
    reference: str
    agency: str
    version: str  # e.g. D:02B, 11:1
    position: int
    line: int


@dataclass(frozen=True)
class Message:
    """One message (UNH...UNT): its identification and its segments between UNH and UNT."""

    reference: str  # UNH 0062, the message reference number
    type: str  # PAXLST, PNRGOV...
    version: str  # D, 11...
    release: str  # 05B, 1...
    agency: str  # UN, IA...
    association: str  # IATA...
    common_access_reference: str  # UNH 0068, shared by the parts of a split message
    sequence: int | None  # UNH 0070: which part of a split message (1, 2...)
    sequence_marker: str  # UNH 0073: C (more parts follow) or F (final part)
    header: Segment
    trailer: Segment | None
    segments: list[Segment]  # between UNH and UNT, both excluded
    group: str = ""  # the reference of its functional group, if any

    @property
    def version_release(self) -> str:
        """The version and release as written in messages, e.g. ``D:05B`` or ``11:1``."""
        return f"{self.version}:{self.release}" if self.release else self.version

    @property
    def is_part(self) -> bool:
        """True when this is one part of a message split over several (UNH sequence)."""
        return self.sequence is not None or self.sequence_marker == "C"

    @property
    def part_key(self) -> tuple[str, str]:
        """What the parts of one split message share: the type and common access reference
        (the message reference when there is none)."""
        return self.type, self.common_access_reference or self.reference


@dataclass(frozen=True)
class Interchange:
    """A whole input: the UNB header values, groups, messages and the problems recovered."""

    syntax: str  # e.g. UNOA, IATA
    syntax_version: str
    sender: str
    sender_qualifier: str
    recipient: str
    recipient_qualifier: str
    prepared_date: str  # YYMMDD (or CCYYMMDD) as sent
    prepared_time: str  # HHMM as sent
    control_reference: str
    application_reference: str
    delimiters: Delimiters
    groups: list[Group] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    segment_count: int = 0


def _problem(segment: Segment, reason: str) -> Problem:
    return Problem(segment.position, segment.line, segment.tag, reason, "warning")


def _sequence(header: Segment) -> tuple[int | None, str]:
    number, marker = header.component(3, 0).strip(), header.component(3, 1).strip().upper()
    return (int(number) if number.isdigit() else None), marker


def _check_count(segment: Segment, counted: int, what: str, problems: list[Problem]) -> None:
    declared = segment.element(0).strip()
    if not declared.isdigit():
        problems.append(_problem(segment, f"{segment.tag} gives no {what} count"))
    elif int(declared) != counted:
        reason = f"{segment.tag} counts {int(declared)} {what}, {counted} found"
        problems.append(_problem(segment, reason))


def _check_reference(segment: Segment, expected: str, problems: list[Problem]) -> None:
    given = segment.element(1)
    opener = {"UNT": "UNH", "UNE": "UNG", "UNZ": "UNB"}.get(segment.tag, "header")
    if not given.strip():
        problems.append(_problem(segment, f"{segment.tag} has no reference"))
    elif given != expected and "".join(given.split()) == "".join(expected.split()):
        reason = f"{segment.tag} reference {excerpt(given, 20)} has spaces; read as {expected}"
        problems.append(_problem(segment, reason))
    elif given.strip() != expected.strip():
        reason = f"{segment.tag} reference {excerpt(given, 20)} differs from the {opener}'s"
        problems.append(_problem(segment, reason))


class _Builder:
    """Walks the segments once, opening and closing groups and messages."""

    def __init__(self, tokens: Tokens) -> None:
        self.problems = tokens.problems
        self.unb: Segment | None = None
        self.unz: Segment | None = None
        self.groups: list[Group] = []
        self.group: Group | None = None
        self.group_messages = 0
        self.messages: list[Message] = []
        self.header: Segment | None = None
        self.body: list[Segment] = []
        self.outside = 0

    def open_message(self, segment: Segment) -> None:
        if self.header is not None:
            self.problems.append(_problem(segment, "UNH before the previous message's UNT"))
            self.close_message(None)
        self.header, self.body = segment, []

    def close_message(self, trailer: Segment | None) -> None:
        header = self.header
        if header is None:
            return
        if trailer is None:
            self.problems.append(_problem(header, "message has no UNT trailer"))
        else:
            _check_count(trailer, len(self.body) + 2, "segments", self.problems)
            _check_reference(trailer, header.element(0), self.problems)
        number, marker = _sequence(header)
        message = Message(
            reference=header.element(0).strip(),
            type=header.component(1, 0).strip().upper(),
            version=header.component(1, 1).strip(),
            release=header.component(1, 2).strip(),
            agency=header.component(1, 3).strip(),
            association=header.component(1, 4).strip(),
            common_access_reference=header.element(2).strip(),
            sequence=number,
            sequence_marker=marker,
            header=header,
            trailer=trailer,
            segments=self.body,
            group=self.group.reference if self.group else "",
        )
        self.messages.append(message)
        self.group_messages += 1
        self.header, self.body = None, []

    def open_group(self, segment: Segment) -> None:
        if self.header is not None:
            self.close_message(None)
        if self.group is not None:
            self.problems.append(_problem(segment, "UNG before the previous group's UNE"))
        self.group = Group(
            name=segment.element(0).strip(),
            sender=segment.element(1).strip(),
            recipient=segment.element(2).strip(),
            prepared=":".join(segment.components(3)),
            reference=segment.element(4).strip(),
            agency=segment.element(5).strip(),
            version=":".join(v.strip() for v in segment.components(6)),
            position=segment.position,
            line=segment.line,
        )
        self.groups.append(self.group)
        self.group_messages = 0

    def close_group(self, segment: Segment) -> None:
        if self.header is not None:
            self.close_message(None)
        if self.group is None:
            self.problems.append(_problem(segment, "UNE without a UNG"))
            return
        _check_count(segment, self.group_messages, "messages", self.problems)
        _check_reference(segment, self.group.reference, self.problems)
        self.group = None

    def close_interchange(self, segment: Segment) -> None:
        if self.header is not None:
            self.close_message(None)
        if self.group is not None:
            self.problems.append(_problem(segment, "functional group has no UNE trailer"))
            self.group = None
        self.unz = segment
        counted = len(self.groups) or len(self.messages)
        _check_count(segment, counted, "groups" if self.groups else "messages", self.problems)
        if self.unb is not None:
            _check_reference(segment, self.unb.element(4), self.problems)

    def add(self, segment: Segment) -> None:
        tag = segment.tag
        if self.unz is not None:
            self.outside += 1
            if self.outside == 1:
                self.problems.append(_problem(segment, "segments after UNZ ignored"))
        elif tag == "UNB":
            if self.unb is not None or self.messages or self.header is not None:
                self.problems.append(_problem(segment, "second UNB ignored"))
            else:
                self.unb = segment
        elif tag == "UNG":
            self.open_group(segment)
        elif tag == "UNE":
            self.close_group(segment)
        elif tag == "UNH":
            self.open_message(segment)
        elif tag == "UNT":
            if self.header is None:
                self.problems.append(_problem(segment, "UNT without a UNH"))
            else:
                self.close_message(segment)
        elif tag == "UNZ":
            self.close_interchange(segment)
        elif self.header is not None:
            self.body.append(segment)
        else:
            self.outside += 1
            if self.outside == 1:
                self.problems.append(_problem(segment, "segments outside a message ignored"))

    def finish(self, tokens: Tokens) -> Interchange:
        if self.header is not None:
            self.close_message(None)
        first = tokens.segments[0] if tokens.segments else None
        if self.unb is None and first is not None:
            self.problems.append(_problem(first, "no UNB interchange header"))
        elif self.unz is None and tokens.segments:
            self.problems.append(_problem(tokens.segments[-1], "no UNZ interchange trailer"))
        unb = self.unb or Segment("UNB", [], 0, 0)
        return Interchange(
            syntax=unb.component(0, 0).strip(),
            syntax_version=unb.component(0, 1).strip(),
            sender=unb.component(1, 0).strip(),
            sender_qualifier=unb.component(1, 1).strip(),
            recipient=unb.component(2, 0).strip(),
            recipient_qualifier=unb.component(2, 1).strip(),
            prepared_date=unb.component(3, 0).strip(),
            prepared_time=unb.component(3, 1).strip(),
            control_reference=unb.element(4).strip(),
            application_reference=unb.element(6).strip(),
            delimiters=tokens.delimiters,
            groups=self.groups,
            messages=self.messages,
            problems=self.problems,
            segment_count=len(tokens.segments),
        )


def read_interchange(data: bytes | str) -> Interchange:
    """Tokenize an input and arrange its segments into groups and messages.

    Raises only ``BadServiceStringAdvice`` (a UNA that cannot work); everything else that is
    wrong is a ``Problem`` on the result.
    """
    tokens = tokenize(data)
    builder = _Builder(tokens)
    for segment in tokens.segments:
        builder.add(segment)
    return builder.finish(tokens)
