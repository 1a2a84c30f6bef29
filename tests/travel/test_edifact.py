"""The tokenizer and the envelope: delimiters, escapes, layout slips and trailers."""

import pytest

from rasid.travel.edifact import Segment, read_interchange, tokenize
from rasid.travel.errors import BadServiceStringAdvice, EdifactError

Parsed = list[tuple[str, list[list[str]]]]


def shape(data: bytes | str) -> Parsed:
    """Tag and elements of each segment."""
    return [(s.tag, s.elements) for s in tokenize(data).segments]


def reasons(data: bytes | str) -> list[str]:
    return [p.reason for p in tokenize(data).problems]


CASES: list[tuple[str, bytes | str, Parsed, list[str]]] = [
    (
        "default delimiters",
        "UNB+UNOA:4+AIR1+DHS'UNZ+0+1'",
        [("UNB", [["UNOA", "4"], ["AIR1"], ["DHS"]]), ("UNZ", [["0"], ["1"]])],
        [],
    ),
    (
        "UNA with * elements and $ terminator",
        "UNA:*.? $UNB*UNOA:4*SDT:ZZ$\r\nBGM*745$",
        [("UNB", [["UNOA", "4"], ["SDT", "ZZ"]]), ("BGM", [["745"]])],
        [],
    ),
    (
        "UNA with a backslash release character",
        "UNA:+.\\*'LTS+0/LK \\*1A/E\\*\\''",
        [("LTS", [["0/LK *1A/E*'"]])],
        [],
    ),
    (
        "release character escapes every delimiter and itself",
        "FTX+a?'b?+c?:d??e'",
        [("FTX", [["a'b+c:d?e"]])],
        [],
    ),
    (
        "CR/LF, spaces and tabs between segments",
        " BGM+745'\r\n\tNAD+MS+++JOHN SMITH'\n\n  CNT+42:2'",
        [("BGM", [["745"]]), ("NAD", [["MS"], [""], [""], ["JOHN SMITH"]]), ("CNT", [["42", "2"]])],
        [],
    ),
    (
        "a line wrapped in the middle of a segment reads as nothing",
        "UNH+1+PNRGOV:11:1:IA+AUTZ0006SIN201305\n28'",
        [("UNH", [["1"], ["PNRGOV", "11", "1", "IA"], ["AUTZ0006SIN20130528"]])],
        [],
    ),
    (
        "a wrapped line that starts with capitals but no segment",
        "IFT+4:19+SEE\nABCD EFG'IFT+4:28+CALL\r\nTVLX'",
        [("IFT", [["4", "19"], ["SEEABCD EFG"]]), ("IFT", [["4", "28"], ["CALLTVLX"]])],
        [],
    ),
    (
        "a line that starts a segment ends the one before it",
        "RPI+1+HK\nTVL+++++303:Y'",
        [("RPI", [["1"], ["HK"]]), ("TVL", [[""], [""], [""], [""], ["303", "Y"]])],
        ["segment terminator missing at the end of the line"],
    ),
    (
        "a typographic apostrophe before a new segment is the terminator",
        "RCI+1A:X49V9U+OZ:2OX5VV’\r\nDAT+700:270513:0726'",
        [("RCI", [["1A", "X49V9U"], ["OZ", "2OX5VV"]]), ("DAT", [["700", "270513", "0726"]])],
        ["'’' read as the segment terminator"],
    ),
    (
        "a typographic apostrophe inside text is text",
        "IFT+4:28+O’BRIEN'",
        [("IFT", [["4", "28"], ["O’BRIEN"]])],
        [],
    ),
    (
        "missing final terminator",
        "UNT+2+1'UNZ+1+00102181551362",
        [("UNT", [["2"], ["1"]]), ("UNZ", [["1"], ["00102181551362"]])],
        ["segment terminator missing at the end of the data"],
    ),
    (
        "text after UNZ is ignored",
        "UNZ+1+123456789'\n13Nov09\n",
        [("UNZ", [["1"], ["123456789"]])],
        ["7 characters after UNZ ignored"],
    ),
    (
        "a space in a segment tag",
        "UNA:*.? $UNG *PAXLST*AMERICAN AIRLINES:ZZ$",
        [("UNG", [["PAXLST"], ["AMERICAN AIRLINES", "ZZ"]])],
        ["segment tag 'UNG ' read as 'UNG'"],
    ),
    (
        "two segments glued by a lost terminator",
        "RPI+1+HKIFT+4:19+GN FROM NONE TO ACME TEAM PARTY'",
        [("RPI", [["1"], ["HK"]]), ("IFT", [["4", "19"], ["GN FROM NONE TO ACME TEAM PARTY"]])],
        ["terminator missing before IFT; read as two segments"],
    ),
    (
        "bytes that are not UTF-8 read as Latin-1",
        b"NAD+FL+++M\xfcLLER:J\xd6RG'",
        [("NAD", [["FL"], [""], [""], ["MüLLER", "JÖRG"]])],
        ["not UTF-8; read as Latin-1"],
    ),
    (
        "UTF-8 with a byte order mark before the UNA",
        "\ufeffUNA:+.? 'NAD+FL+++ÉLODIE:ZOË'".encode(),
        [("NAD", [["FL"], [""], [""], ["ÉLODIE", "ZOË"]])],
        [],
    ),
    (
        "a line break as segment terminator",
        "UNA:+.? \nBGM+745\r\nCNT+42:2\n",
        [("BGM", [["745"]]), ("CNT", [["42", "2"]])],
        [],
    ),
    (
        "a space as release character means none",
        "UNA:+.  'FTX+a?b'",
        [("FTX", [["a?b"]])],
        [],
    ),
    (
        "a release character at the very end",
        "BGM+745?",
        [("BGM", [["745"]])],
        ["release character at the end of the data ignored", "segment terminator missing"],
    ),
]


@pytest.mark.parametrize(
    ("data", "segments", "warnings"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_tokenizer(data: bytes | str, segments: Parsed, warnings: list[str]) -> None:
    assert shape(data) == segments
    found = reasons(data)
    assert len(found) == len(warnings)
    for reason, expected in zip(found, warnings, strict=True):
        assert reason.startswith(expected)


def test_warnings_name_the_segment_and_line() -> None:
    tokens = tokenize("UNB+IATA:1+TZ'\nRPI+1+HK\nTVL+1'\nUNZ+1+1")
    assert [(s.tag, s.position, s.line) for s in tokens.segments] == [
        ("UNB", 1, 1),
        ("RPI", 2, 2),
        ("TVL", 3, 3),
        ("UNZ", 4, 4),
    ]
    assert [(p.segment_position, p.line, p.tag, p.severity) for p in tokens.problems] == [
        (2, 2, "RPI", "warning"),
        (4, 4, "UNZ", "warning"),
    ]


def test_not_a_tag_is_an_error_problem() -> None:
    tokens = tokenize("BGM+745'12+3'")
    assert [p.severity for p in tokens.problems] == ["error"]
    assert tokens.problems[0].reason == "not a segment tag: '12'"
    assert tokens.problems[0].segment_position == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("UNA:+", "UNA is cut short"),
        ("UNA::.? 'BGM'", "UNA gives the same character for two delimiters"),
        ("UNA:A.? 'BGM'", "UNA gives a letter, digit or line break as a delimiter"),
        ("  UNA\n+.? 'BGM'", "UNA gives a letter, digit or line break as a delimiter"),
    ],
)
def test_service_string_advice_that_cannot_work(data: str, reason: str) -> None:
    with pytest.raises(BadServiceStringAdvice) as caught:
        tokenize(data)
    assert isinstance(caught.value, EdifactError)
    assert caught.value.reason == reason
    assert str(caught.value) == f"segment 1 (UNA), line 1: {reason}"


def test_segment_helpers_read_empty_for_absent_parts() -> None:
    segment = Segment("TDT", [["20"], ["AA123"], [], [""], ["AA", "X"]], 7, 3)
    assert segment.element(1) == "AA123"
    assert segment.component(4, 1) == "X"
    assert segment.components(4) == ["AA", "X"]
    assert segment.element(2) == ""
    assert segment.element(9) == ""
    assert segment.component(0, 5) == ""
    assert segment.component(-1, 0) == ""
    assert segment.components(9) == []
    assert segment.values(4) == ["AA", "X"]


def test_interchange_header_groups_and_messages() -> None:
    interchange = read_interchange(
        "UNA:+.?*'UNB+IATA:1+TZ:ZZ+AUCBPS+130523:2210+0010'"
        "UNG+PNRGOV+TZ+AUCBPS+130523:2210+77+IA+11:1'"
        "UNH+5+PNRGOV:11:1:IA+F6C2C268+01:C'MSG+:22'UNT+3+5'"
        "UNH+6+PNRGOV:11:1:IA+F6C2C268+02:F'MSG+:22'UNT+3+6'"
        "UNE+2+77'UNZ+1+0010'"
    )
    assert (interchange.syntax, interchange.syntax_version) == ("IATA", "1")
    assert (interchange.sender, interchange.sender_qualifier) == ("TZ", "ZZ")
    assert interchange.recipient == "AUCBPS"
    assert (interchange.prepared_date, interchange.prepared_time) == ("130523", "2210")
    assert interchange.control_reference == "0010"
    assert interchange.delimiters.release == "?"
    [group] = interchange.groups
    assert (group.name, group.reference, group.agency, group.version) == (
        "PNRGOV",
        "77",
        "IA",
        "11:1",
    )
    first, second = interchange.messages
    assert (first.reference, first.type, first.version_release, first.agency) == (
        "5",
        "PNRGOV",
        "11:1",
        "IA",
    )
    assert first.common_access_reference == "F6C2C268"
    assert (first.sequence, first.sequence_marker, first.is_part) == (1, "C", True)
    assert (second.sequence, second.sequence_marker) == (2, "F")
    assert first.part_key == second.part_key == ("PNRGOV", "F6C2C268")
    assert [s.tag for s in first.segments] == ["MSG"]
    assert first.group == "77"
    assert interchange.problems == []


def test_a_message_that_is_not_split() -> None:
    interchange = read_interchange("UNH+PAX001+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+PAX001'")
    [message] = interchange.messages
    assert message.version_release == "D:05B"
    assert message.association == "IATA"
    assert (message.sequence, message.sequence_marker, message.is_part) == (None, "", False)
    assert message.part_key == ("PAXLST", "PAX001")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("UNB+A+B+C+D+9'UNH+1+PAXLST'BGM'UNT+9+1'UNZ+1+9'", "UNT counts 9 segments, 3 found"),
        ("UNB+A+B+C+D+9'UNH+10+PAXLST'BGM'UNT+3+1 0'UNZ+1+9'", "UNT reference '1 0' has spaces"),
        ("UNB+A+B+C+D+9'UNH+1+PAXLST'BGM'UNT+3+2'UNZ+1+9'", "UNT reference '2' differs"),
        ("UNB+A+B+C+D+9'UNH+1+PAXLST'BGM'UNT+3'UNZ+1+9'", "UNT has no reference"),
        ("UNB+A+B+C+D+9'UNH+1+PAXLST'BGM'UNZ+1+9'", "message has no UNT trailer"),
        ("UNB+A+B+C+D+9'UNH+1+PAXLST'UNH+2+PAXLST'UNT+2+2'UNZ+2+9'", "UNH before the previous"),
        ("UNB+A+B+C+D+9'UNG+PAXLST+A+B+C+7'UNH+1+X'UNT+2+1'UNE+2+7'UNZ+1+9'", "UNE counts 2"),
        ("UNB+A+B+C+D+9'UNH+1+X'UNT+2+1'UNZ+1+8'", "UNZ reference '8' differs"),
        ("UNB+A+B+C+D+9'UNH+1+X'UNT+2+1'UNZ+3+9'", "UNZ counts 3 messages, 1 found"),
        ("UNH+1+X'UNT+2+1'", "no UNB interchange header"),
        ("UNB+A+B+C+D+9'UNH+1+X'UNT+2+1'", "no UNZ interchange trailer"),
        ("UNB+A+B+C+D+9'BGM+1'UNH+1+X'UNT+2+1'UNZ+1+9'", "segments outside a message ignored"),
        ("UNB+A+B+C+D+9'UNT+2+1'UNZ+0+9'", "UNT without a UNH"),
    ],
)
def test_envelope_slips_are_warnings(data: str, expected: str) -> None:
    interchange = read_interchange(data)
    reasons = [p.reason for p in interchange.problems]
    assert any(r.startswith(expected) for r in reasons), reasons
    assert all(p.severity == "warning" for p in interchange.problems)


def test_the_envelope_keeps_the_messages_despite_slips() -> None:
    interchange = read_interchange("UNH+1+PAXLST'BGM+745'UNH+2+PAXLST'BGM+250'")
    assert [(m.reference, [s.tag for s in m.segments]) for m in interchange.messages] == [
        ("1", ["BGM"]),
        ("2", ["BGM"]),
    ]
    assert all(m.trailer is None for m in interchange.messages)
