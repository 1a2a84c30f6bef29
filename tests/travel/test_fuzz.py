"""Whatever bytes arrive, reading them raises nothing but an EdifactError subclass."""

from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.travel.errors import EdifactError
from rasid.travel.parse import parse
from tests.travel.helpers import SAMPLES, sample

FAST = settings(max_examples=300, derandomize=True, deadline=None)

PIECES = st.sampled_from(
    [
        b"'",
        b"+",
        b":",
        b"?",
        b"\\",
        b"*",
        b"$",
        b"\r\n",
        b"\n",
        b" ",
        "’".encode(),
        b"\xff",
        b"\x00",
        b"UNA:+.? '",
        b"UNH+1+PNRGOV:11:1:IA+X+01:C'",
        b"UNH+2+PAXLST:D:05B:UN:IATA+X+99999999999:F'",
        b"UNT+2+1'",
        b"UNZ+1+1'",
        b"SRC'",
        b"RCI+1A:ABC123::310299:2561'",
        b"TIF+:I+::1'",
        b"TVL+999999:9999::+++'",
        b"NAD+FL+++'",
        b"TDT+20+'",
        b"DTM+329:000000'",
        b"CNT+42:x'",
        b"FOP+CC:::VI:4111111111111111:0925'",
        b"ABI+1'SAC+++X'",
        b"TRI++1:::1'TBD++a:b:c++MP+1:2:3:4'",
        b"SSR+DOCS:HK:1:XX:::::/P/XX/1/XX/99ZZZ99/M/31FEB20/A/B+::1'",
    ]
)


def read_or_refuse(data: bytes) -> None:
    """Parse; an EdifactError is a fine answer, and names where and why."""
    try:
        result = parse(data, source="fuzz.edi")
    except EdifactError as exc:
        assert str(exc).startswith("fuzz.edi")
        assert exc.reason
    else:
        assert all(str(p).startswith("fuzz.edi") and p.reason for p in result.problems)


@FAST
@given(st.binary(max_size=600))
def test_arbitrary_bytes(data: bytes) -> None:
    read_or_refuse(data)


@FAST
@given(st.lists(PIECES, max_size=40).map(b"".join))
def test_pieces_of_messages(data: bytes) -> None:
    read_or_refuse(data)


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    """A sample file with bytes flipped, cut short or with delimiters and pieces inserted."""
    data = bytearray(sample(draw(st.sampled_from(SAMPLES))))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(PIECES)
        else:
            del data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


@FAST
@given(mutated_sample())
def test_mutated_samples(data: bytes) -> None:
    read_or_refuse(data)
