"""The entry point: every sample, format detection, split messages joined, and how problems
and errors name the file, the segment, the line and the reason."""

from datetime import datetime

import pytest

from rasid.travel.errors import (
    BadServiceStringAdvice,
    ContentError,
    EdifactError,
    NoMessage,
    UnsupportedMessage,
)
from rasid.travel.parse import Format, parse
from tests.travel.helpers import SAMPLES, sample

# file -> (format, travellers per manifest or PNRs per batch, warnings as "segment (tag), line")
EXPECTED: dict[str, tuple[Format, list[int], list[str]]] = {
    "paxlst_gtas_apisMessage_d05b.edi": ("paxlst", [2], []),
    "paxlst_gtas_airline2_custom_separators.edi": (
        "paxlst",
        [10],
        [
            "segment 2 (UNG), line 3",
            "segment 3 (UNH), line 4",
            "segment 3 (UNH), line 4",
            "segment 113 (UNT), line 114",
            "segment 113 (UNT), line 114",
        ],
    ),
    "paxlst_gtas_multiple_flight_leg.edi": ("paxlst", [2], ["segment 50 (UNZ), line 49"]),
    "paxlst_gtas_crew_Test1.edi": (
        "paxlst",
        [8],
        [
            "segment 108 (CNT), line 1",
            "segment 109 (UNT), line 1",
            "segment 110 (UNE), line 1",
            "segment 111 (UNZ), line 1",
        ],
    ),
    "pnrgov_gtas_iata_guide_pg75.edi": (
        "pnrgov",
        [2],
        [
            "segment 15 (SSR), line 16",
            "segment 36 (RCI), line 38",
            "segment 38 (ORG), line 40",
            "segment 49 (RCI), line 50",
            "segment 60 (UNT), line 61",
        ],
    ),
    "pnrgov_gtas_iata_guide_pg76.edi": (
        "pnrgov",
        [1],
        ["segment 26 (UNT), line 26", "segment 28 (UNZ), line 28"],
    ),
    "pnrgov_gtas_iata_guide_pg77.edi": (
        "pnrgov",
        [1],
        ["segment 51 (RPI), line 54", "segment 53 (UNT), line 55", "segment 55 (UNZ), line 57"],
    ),
    "pnrgov_gtas_pnrMessage_full.edi": (
        "pnrgov",
        [1],
        ["segment 2 (UNH), line 1", "segment 87 (UNT), line 1"],
    ),
    "pnrgov_gtas_pnr_split_multipart.edi": ("pnrgov", [2], []),
    "pnrgov_gtas_with_docs_doco.edi": (
        "pnrgov",
        [1],
        [
            "segment 5 (TVL), line 5",
            "segment 8 (RCI), line 8",
            "segment 18 (SSR), line 18",
            "segment 50 (UNT), line 51",
            "segment 50 (UNT), line 51",
            "segment 51 (UNZ), line 52",
        ],
    ),
}


def test_every_sample_is_expected() -> None:
    assert sorted(EXPECTED) == sorted(SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_parses(name: str) -> None:
    expected_format, counts, places = EXPECTED[name]
    result = parse(sample(name), source=name)
    assert result.format == expected_format
    assert result.source == name
    if expected_format == "paxlst":
        assert [len(m.travellers) for m in result.manifests] == counts
        assert result.pnr_batches == ()
    else:
        assert [len(b.pnrs) for b in result.pnr_batches] == counts
        assert result.manifests == ()
    assert result.errors == ()
    found = [f"segment {p.segment_position} ({p.tag}), line {p.line}" for p in result.warnings]
    assert found == places
    assert all(
        str(p).startswith(f"{name}: {place}: ")
        for p, place in zip(result.warnings, places, strict=True)
    )
    # Detected or given, the format reads the same.
    assert parse(sample(name), format=expected_format, source=name) == result


def test_envelope_values() -> None:
    result = parse(sample("paxlst_gtas_apisMessage_d05b.edi"))
    assert (result.sender, result.recipient, result.control_reference) == (
        "AIR1",
        "DHS",
        "000006640",
    )
    assert result.prepared == datetime(2007, 2, 18, 15, 45)


def test_text_and_bytes_read_the_same() -> None:
    data = sample("pnrgov_gtas_iata_guide_pg75.edi")
    assert parse(data.decode("utf-8"), source="a") == parse(data, source="a")


def test_a_recovered_slip_names_file_segment_line_and_reason() -> None:
    name = "paxlst_gtas_airline2_custom_separators.edi"
    result = parse(sample(name), source=name)
    first = result.warnings[0]
    assert str(first) == f"{name}: segment 2 (UNG), line 3: segment tag 'UNG ' read as 'UNG'"
    assert (first.segment_position, first.line, first.tag, first.source) == (2, 3, "UNG", name)
    expected = f"{name}: segment 113 (UNT), line 114: UNT reference '140211180 0' has spaces"
    assert any(str(p).startswith(expected) for p in result.warnings)
    # The manifest carries its own problems, named the same way.
    [manifest] = result.manifests
    assert all(p.source == name for p in manifest.problems)


def part(kind: str, reference: str, sequence: str, body: str) -> str:
    """A message part with a right UNT count; ``kind`` is PAXLST or PNRGOV."""
    version = "D:05B:UN:IATA" if kind == "PAXLST" else "11:1:IA"
    count = body.count("'") + 2
    return f"UNH+{reference}+{kind}:{version}+SHARED1+{sequence}'{body}UNT+{count}+{reference}'"


PAX_HEAD = (
    "BGM+745'NAD+MS+++JOHN SMITH'TDT+20+AA123+++AA'LOC+125+ATL'DTM+189:0702191540:201'"
    "LOC+87+ORD'DTM+232:0702191740:201'"
)


def envelope(*parts: str) -> str:
    return f"UNB+UNOA:4+AIR1+DHS+070218:1545+9'{''.join(parts)}UNZ+{len(parts)}+9'"


def test_split_paxlst_parts_are_joined_in_sequence_order() -> None:
    data = envelope(
        part("PAXLST", "P2", "02:F", PAX_HEAD + "NAD+FL+++CLARK:CHERYL'CNT+42:2'"),
        part("PAXLST", "P1", "01:C", PAX_HEAD + "NAD+FL+++CLARK:MICHAEL'"),
    )
    result = parse(data, source="split.edi")
    [manifest] = result.manifests
    assert manifest.parts == 2
    assert [t.given_names for t in manifest.travellers] == ["MICHAEL", "CHERYL"]
    assert [leg.flight for leg in manifest.legs] == ["AA123"]
    assert manifest.passenger_count == 2
    assert result.problems == ()


PNR_HEAD = "MSG+:22'ORG+TZ:MSP'TVL+280513:2225:290513:0750+SIN+OOL+TZ+0006'EQN+1'"


def test_split_pnrgov_parts_are_joined_into_one_batch() -> None:
    data = envelope(
        part("PNRGOV", "7", "01:C", PNR_HEAD + "SRC'RCI+TZ:AAA111'TIF+ONE+ANN:A:1'"),
        part("PNRGOV", "8", "02:F", PNR_HEAD + "SRC'RCI+TZ:BBB222'TIF+TWO+BOB:A:1'"),
    )
    result = parse(data)
    [batch] = result.pnr_batches
    assert batch.parts == 2
    assert [p.record_locator for p in batch.pnrs] == ["AAA111", "BBB222"]
    assert batch.pnr_count == 2
    assert batch.flight is not None and batch.flight.flight == "TZ0006"
    assert result.problems == ()


def test_a_split_message_with_parts_missing_is_read_with_warnings() -> None:
    data = envelope(
        part("PNRGOV", "7", "01:C", PNR_HEAD + "SRC'RCI+TZ:AAA111'TIF+ONE+ANN:A:1'"),
        part("PNRGOV", "9", "03:C", PNR_HEAD + "SRC'RCI+TZ:CCC333'TIF+TRE+CAT:A:1'"),
    )
    result = parse(data, source="f.edi")
    assert [p.record_locator for p in result.pnr_batches[0].pnrs] == ["AAA111", "CCC333"]
    assert [str(p) for p in result.warnings] == [
        "f.edi: segment 2 (UNH), line 1: split message: part 2 missing",
        "f.edi: segment 11 (UNH), line 1: split message without its final part (F)",
    ]


def test_a_part_sent_twice_is_a_warning() -> None:
    data = envelope(
        part("PNRGOV", "7", "01:C", PNR_HEAD + "SRC'RCI+TZ:AAA111'TIF+ONE+ANN:A:1'"),
        part("PNRGOV", "8", "01:F", PNR_HEAD + "SRC'RCI+TZ:AAA111'TIF+ONE+ANN:A:1'"),
    )
    result = parse(data)
    assert [p.reason for p in result.warnings] == ["a part of a split message is sent twice"]
    assert result.pnr_batches[0].parts == 2


def test_the_split_sample_is_one_message() -> None:
    # Its UNH has a common access reference but no sequence element: one message, two PNRs.
    result = parse(sample("pnrgov_gtas_pnr_split_multipart.edi"))
    [batch] = result.pnr_batches
    assert (batch.parts, batch.common_access_reference) == (1, "AM498/230513/1142")
    assert [p.record_locator for p in batch.pnrs] == ["ICOXXX", "BJOXXX"]


def test_messages_that_are_not_split_stay_apart() -> None:
    data = envelope(
        part("PNRGOV", "7", "", PNR_HEAD + "SRC'RCI+TZ:AAA111'TIF+ONE+ANN:A:1'"),
        part("PNRGOV", "8", "", PNR_HEAD + "SRC'RCI+TZ:BBB222'TIF+TWO+BOB:A:1'"),
    )
    result = parse(data)
    assert [[p.record_locator for p in b.pnrs] for b in result.pnr_batches] == [
        ["AAA111"],
        ["BBB222"],
    ]


def test_a_message_of_the_other_type_is_skipped_with_an_error() -> None:
    data = envelope(
        part("PAXLST", "P1", "", PAX_HEAD + "NAD+FL+++CLARK:MICHAEL'"),
        part("PNRGOV", "7", "", PNR_HEAD + "SRC'RCI+TZ:AAA111'TIF+ONE+ANN:A:1'"),
    )
    result = parse(data, source="mixed.edi")
    assert result.format == "paxlst"
    assert len(result.manifests) == 1
    [error] = result.errors
    assert str(error) == (
        "mixed.edi: segment 12 (UNH), line 1: 'PNRGOV' message skipped: this input is read as"
        " paxlst"
    )
    with pytest.raises(ContentError) as caught:
        result.raise_on_error()
    assert str(caught.value) == str(error)


def test_an_unrecoverable_record_is_an_error_naming_segment_and_reason() -> None:
    data = envelope(part("PAXLST", "P1", "", PAX_HEAD + "NAD+FL+++:NOSURNAME'ATT+2++F'"))
    result = parse(data, source="bad.edi")
    [error] = result.errors
    assert str(error) == "bad.edi: segment 10 (NAD), line 1: traveller without a surname; left out"
    assert result.manifests[0].travellers == ()


def test_a_clean_result_does_not_raise() -> None:
    parse(sample("paxlst_gtas_apisMessage_d05b.edi")).raise_on_error()


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b"", NoMessage, "empty.edi: no message (UNH) found"),
        (b"hello, world", NoMessage, "empty.edi: no message (UNH) found"),
        (b"UNB+UNOA:4+A+B'UNZ+0+1'", NoMessage, "empty.edi: no message (UNH) found"),
        (
            b"UNH+1+CUSRES:D:05B:UN'UNT+2+1'",
            UnsupportedMessage,
            "empty.edi: message type 'CUSRES' is not PAXLST or PNRGOV",
        ),
        (
            b"UNA:+",
            BadServiceStringAdvice,
            "empty.edi: segment 1 (UNA), line 1: UNA is cut short",
        ),
    ],
)
def test_inputs_that_cannot_be_read_raise(
    data: bytes, kind: type[EdifactError], message: str
) -> None:
    with pytest.raises(kind) as caught:
        parse(data, source="empty.edi")
    assert str(caught.value) == message


def test_a_format_with_no_message_of_its_type_raises() -> None:
    with pytest.raises(UnsupportedMessage, match="no PNRGOV message in the input"):
        parse(sample("paxlst_gtas_crew_Test1.edi"), format="pnrgov", source="crew.edi")


def test_an_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="format must be one of paxlst, pnrgov"):
        parse(b"", format="xml")  # type: ignore[arg-type]
