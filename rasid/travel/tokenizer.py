"""Splitting UN/EDIFACT text into segments, elements and components, tolerantly.

Real feeds are rarely clean: segments are separated by CR/LF and indented, lines copied from a
PDF are wrapped in the middle of a segment, the last terminator is missing, text trails after
UNZ, and word processors turn the apostrophe terminator into ``’``. Each of these is recovered
here when the meaning is unambiguous, and noted as a warning ``Problem`` so nothing is silent.

The tokenizer never raises on content; only a UNA whose delimiters cannot work together raises
``BadServiceStringAdvice``.

Most segments need none of this care: one with no release character and no line break before
its terminator is split at once (``_Splitter.simple``); the others are read character by
character. Both readings give the same segments and problems (tested on arbitrary text).
"""

import re
from dataclasses import dataclass, field

from rasid.travel.errors import BadServiceStringAdvice, Problem, Severity, excerpt

WHITESPACE = " \t\r\n\f\v\u00a0\ufeff"
# Word processors and PDF viewers turn the apostrophe into one of these.
TERMINATOR_LOOKALIKES = "’‘´`"
TAG = re.compile(r"[A-Z][A-Z0-9]{2}")

# Tags that may start a line: a line break inside a segment followed by one of these is a
# missing terminator, not text wrapped over two lines.
KNOWN_TAGS = frozenset(
    word
    for line in (
        "UNA UNB UNG UNH UNT UNE UNZ UNS",  # service segments
        "BGM RFF DTM LOC NAD CTA COM TDT ATT MEA GEI FTX NAT DOC CNT EMP QTY CPI",  # PAXLST
        "MSG ORG TVL EQN SRC RCI DAT ADD TIF FTI IFT REF FAR SSR TKT MON TXD FOP PTK",  # PNRGOV
        "RPI APD SSD TBD LTS ABI SAC TRI EBD PTS TRA",
    )
    for word in line.split()
)

# The most elements a segment can have, for the tags where two segments glued together by a
# lost terminator can be told apart (``RPI+1+HKIFT+4:19+...`` is ``RPI+1+HK`` + ``IFT+...``).
MAX_ELEMENTS = {"RPI": 2, "ORG": 9}


@dataclass(frozen=True)
class Delimiters:
    """The service characters of an interchange (from UNA, or the defaults).

    An empty ``release`` means the interchange has no release character.
    """

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    reserved: str = " "
    terminator: str = "'"


DEFAULT_DELIMITERS = Delimiters()


@dataclass(frozen=True)
class Segment:
    """One segment: its tag, its data elements (each a list of components) and where it is.

    ``elements`` excludes the tag. Indexes are 0-based: ``element(0)`` is the first data
    element after the tag. Absent elements and components read as "".
    """

    tag: str
    elements: list[list[str]]
    position: int  # 1-based number of the segment in the interchange
    line: int  # 1-based line where the segment starts

    def components(self, i: int) -> list[str]:
        """The components of element ``i`` (an empty list when absent)."""
        return self.elements[i] if 0 <= i < len(self.elements) else []

    def component(self, i: int, j: int) -> str:
        """Component ``j`` of element ``i``, or ""."""
        # Read for every value of every message: indexing here, not through components().
        elements = self.elements
        if 0 <= i < len(elements):
            parts = elements[i]
            if 0 <= j < len(parts):
                return parts[j]
        return ""

    def element(self, i: int) -> str:
        """The value of element ``i`` (its first component), or ""."""
        elements = self.elements
        return elements[i][0] if 0 <= i < len(elements) and elements[i] else ""

    def values(self, i: int) -> list[str]:
        """The non-empty components of element ``i``, stripped."""
        return [c.strip() for c in self.components(i) if c.strip()]


@dataclass
class Tokens:
    """The segments of an input, the delimiters used and what had to be recovered."""

    segments: list[Segment]
    delimiters: Delimiters
    problems: list[Problem] = field(default_factory=list)
    has_una: bool = False


def decode(data: bytes | str) -> tuple[str, list[Problem]]:
    """Text from bytes: UTF-8 when it is valid, else Latin-1 (which reads any byte); no BOM."""
    problems: list[Problem] = []
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            problems.append(Problem(0, 0, "", "not UTF-8; read as Latin-1", "warning"))
    return text.removeprefix("\ufeff"), problems


def read_service_advice(text: str) -> tuple[Delimiters, int, bool]:
    """The delimiters, the offset where segments start, and whether there was a UNA.

    The six characters after ``UNA`` are: component separator, element separator, decimal
    mark, release character, reserved (usually a space) and segment terminator. A space as
    release character means there is none.
    """
    start = len(text) - len(text.lstrip(WHITESPACE))
    if not text.startswith("UNA", start):
        return DEFAULT_DELIMITERS, start, False
    chars = text[start + 3 : start + 9]
    line = text.count("\n", 0, start) + 1
    if len(chars) < 6:
        raise BadServiceStringAdvice("UNA is cut short", position=1, line=line, tag="UNA")
    component, element, decimal, release, reserved, terminator = list(chars)
    release = "" if release == " " else release
    separators = [component, element, terminator] + ([release] if release else [])
    if len(set(separators)) != len(separators):
        reason = "UNA gives the same character for two delimiters"
        raise BadServiceStringAdvice(reason, position=1, line=line, tag="UNA")
    if any(c.isalnum() or (c in "\r\n" and c != terminator) for c in separators):
        reason = "UNA gives a letter, digit or line break as a delimiter"
        raise BadServiceStringAdvice(reason, position=1, line=line, tag="UNA")
    found = Delimiters(component, element, decimal, release, reserved, terminator)
    return found, start + 9, True


def starts_segment(text: str, i: int, d: Delimiters) -> bool:
    """True when a known segment tag begins at ``i`` (ending the data or followed by a
    delimiter)."""
    if text[i : i + 3] not in KNOWN_TAGS or text[i : i + 3] == "UNA":
        return False
    after = text[i + 3 : i + 4]
    return after in ("", d.element, d.terminator, d.component)


class _Splitter:
    """The state of one pass over the text: the segment being read and the ones done."""

    def __init__(self, text: str, d: Delimiters, problems: list[Problem]) -> None:
        self.text = text
        self.d = d
        self.problems = problems
        self.segments: list[Segment] = []
        self.elements: list[list[str]] = [[]]
        self.buffer: list[str] = []
        self.started = False
        self.start_line = 0
        self.line = 1
        specials = {d.terminator, d.element, d.component, d.release, "\r", "\n"} - {""}
        self.plain = re.compile("[^" + "".join(re.escape(c) for c in sorted(specials)) + "]+")
        # Where a segment's simple reading stops: its terminator, or what needs the careful
        # one (a release character, a line break).
        stops = {d.terminator, d.release, "\r", "\n"} - {""}
        self.stop = re.compile("[" + "".join(re.escape(c) for c in sorted(stops)) + "]")
        self.fast = d.terminator not in "\r\n"

    def warn(self, reason: str, tag: str = "", severity: Severity = "warning") -> None:
        position = len(self.segments) + 1
        line = self.start_line or self.line
        self.problems.append(Problem(position, line, tag, reason, severity))

    def close_component(self) -> None:
        self.elements[-1].append("".join(self.buffer))
        self.buffer = []

    def finish(self) -> Segment | None:
        """End the segment being read; returns it (None when it was empty)."""
        self.close_component()
        elements, self.elements, self.started = self.elements, [[]], False
        return self.emit(elements)

    def emit(self, elements: list[list[str]]) -> Segment | None:
        """Add the segment of these elements (its tag first); None when it is empty."""
        raw_tag = elements[0][0]
        if not raw_tag and all(not c for e in elements for c in e):
            return None
        tag = raw_tag
        if tag not in KNOWN_TAGS:  # a known tag is a well-formed one, as written
            tag = raw_tag.strip(WHITESPACE).upper()
            if tag != raw_tag:
                self.warn(f"segment tag {excerpt(raw_tag)} read as {excerpt(tag)}", tag)
            if not TAG.fullmatch(tag):
                self.warn(f"not a segment tag: {excerpt(tag)}", tag[:3], "error")
        if tag in MAX_ELEMENTS:
            self.segments.extend(self.unglue(tag, elements[1:]))
        else:
            del elements[0]  # the tag: the segment keeps the data elements only
            self.segments.append(Segment(tag, elements, len(self.segments) + 1, self.start_line))
        return self.segments[-1]

    def unglue(self, tag: str, elements: list[list[str]]) -> list[Segment]:
        """Split two segments run together by a lost terminator, when the first is longer
        than its tag allows and an element ends with a known tag (``9TIF`` is ``9'TIF``)."""
        first = Segment(tag, elements, len(self.segments) + 1, self.start_line)
        limit = MAX_ELEMENTS.get(tag)
        if limit is None or len(elements) <= limit:
            return [first]
        for i in range(min(limit, len(elements) - 1) - 1, -1, -1):
            parts = elements[i]
            value = parts[-1]
            glued = value[-3:]
            if len(value) > 3 and glued in KNOWN_TAGS:
                head = [*elements[:i], [*parts[:-1], value[:-3]]]
                self.warn(f"terminator missing before {glued}; read as two segments", tag)
                second = Segment(glued, elements[i + 1 :], first.position + 1, self.start_line)
                return [Segment(tag, head, first.position, self.start_line), second]
        return [first]

    def line_break(self, i: int) -> int:
        """Handle a line break inside a segment at ``i``; returns where to go on from.

        Before a line that starts a new segment the break is a missing terminator (a
        terminator look-alike left at the end of the line is dropped); elsewhere it is text
        wrapped over two lines and reads as nothing.
        """
        text = self.text
        after = i + 2 if text.startswith("\r\n", i) else i + 1
        self.line += 1
        j = after
        while j < len(text) and text[j] in " \t":
            j += 1
        if not starts_segment(text, j, self.d):
            return after
        current = "".join(self.buffer).rstrip(" \t")
        if current and current[-1] in TERMINATOR_LOOKALIKES:
            reason = f"{current[-1]!r} read as the segment terminator"
            current = current[:-1].rstrip(" \t")
        else:
            reason = "segment terminator missing at the end of the line"
        self.buffer = [current]
        self.warn(reason, self.current_tag())
        self.finish()
        return after

    def run(self, start: int) -> list[Segment]:
        text, d = self.text, self.d
        self.line = text.count("\n", 0, start) + 1
        wrap = d.terminator not in "\r\n"
        i, n = start, len(text)
        while i < n:
            ch = text[i]
            if not self.started:
                if ch in WHITESPACE or ch == d.terminator:
                    self.line += ch == "\n"
                    i += 1
                    continue
                self.started, self.start_line = True, self.line
                simple = self.simple(i)
                if simple is not None:
                    i, segment = simple
                    if segment is not None and segment.tag == "UNZ":
                        self.after_unz(i)
                        return self.segments
                    continue
            if d.release and ch == d.release:
                i = self.release(i)
            elif ch == d.terminator:
                self.line += ch == "\n"
                segment = self.finish()
                i += 1
                if segment is not None and segment.tag == "UNZ":
                    self.after_unz(i)
                    return self.segments
            elif ch == d.element:
                self.close_component()
                self.elements.append([])
                i += 1
            elif ch == d.component:
                self.close_component()
                i += 1
            elif ch in "\r\n" and wrap:
                i = self.line_break(i)
            elif ch == "\r":
                i += 1
            else:
                # A run of plain characters at once: the loop only stops on delimiters.
                end = self.plain.match(text, i)
                stop = end.end() if end is not None and end.end() > i else i + 1
                self.buffer.append(text[i:stop])
                i = stop
        if self.started:
            self.warn("segment terminator missing at the end of the data", self.current_tag())
            self.finish()
        return self.segments

    def simple(self, i: int) -> tuple[int, Segment | None] | None:
        """Read the segment starting at ``i`` at once when nothing in it needs care (no
        release character, no line break before its terminator): where to go on from and
        the segment. None when it needs the character-by-character reading."""
        stop = self.stop.search(self.text, i) if self.fast else None
        if stop is None or self.text[stop.start()] != self.d.terminator:
            return None
        self.started = False
        component = self.d.component
        raw = self.text[i : stop.start()].split(self.d.element)
        return stop.end(), self.emit([e.split(component) for e in raw])

    def current_tag(self) -> str:
        """The tag of the segment being read, as far as it goes (for problems)."""
        head = self.elements[0][0] if self.elements[0] else "".join(self.buffer)
        return head.strip()[:3]

    def release(self, i: int) -> int:
        """The character after the release character is data; returns the next index."""
        nxt = self.text[i + 1 : i + 2]
        if not nxt:
            self.warn("release character at the end of the data ignored", self.current_tag())
        elif nxt not in "\r\n":
            self.buffer.append(nxt)
            return i + 2
        return i + 1

    def after_unz(self, i: int) -> None:
        rest = self.text[i:]
        if rest.strip(WHITESPACE):
            first = i + len(rest) - len(rest.lstrip(WHITESPACE))
            line = self.text.count("\n", 0, first) + 1
            reason = f"{len(rest.strip(WHITESPACE))} characters after UNZ ignored"
            self.problems.append(Problem(len(self.segments), line, "UNZ", reason, "warning"))


def tokenize(data: bytes | str) -> Tokens:
    """The segments of an EDIFACT input (bytes or text), with the problems recovered."""
    text, problems = decode(data)
    delimiters, start, has_una = read_service_advice(text)
    segments = _Splitter(text, delimiters, problems).run(start)
    return Tokens(segments, delimiters, problems, has_una)
