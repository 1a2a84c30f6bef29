"""Arbitrary bytes never crash a reader: they are read, rejected, or refused as unreadable."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.ingest.errors import UnreadableInput
from rasid.ingest.formats import get_reader
from rasid.ingest.records import Dropped, ReadContext, Rejected, Source

MAPPING = """
entities:
  person:
    schema: Person
    keys: [id]
    properties:
      name: {column: name}
      birthDate: {column: dob}
"""

JSONL_PIECES = st.sampled_from(
    [
        '{"id": "p1", "schema": "Person", "properties": {"name": ["محمد"]}}'.encode(),
        b'{"entity_id": "p1", "prop": "name", "schema": "Person", "value": "x"}',
        b'{"schema": "Person", "id": 5, "properties": {"birthDate": [1, null, {}]}}',
        b'{"entity_id": "p1", "prop": "name", "schema": "Person", "value": "x", "marking": "blue"}',
        b"\n",
        b"{",
        b"\xff",
        b"[1,2]",
        b'"\\ud800"',
    ]
)
CSV_PIECES = st.sampled_from(
    [
        b"id,name,dob\n",
        b"1,Ali,1980\n",
        b'2,"Qu""oted",x\n',
        b",,\n",
        b"a,b\n",
        b"\r\n",
        b'"',
        b"\x00",
    ]
)


def _read(tmp_path: Path, fmt: str, data: bytes) -> int:
    path = tmp_path / f"input.{fmt}"
    path.write_bytes(data)
    mapping = tmp_path / "m.yml"
    mapping.write_text(MAPPING, encoding="utf-8")
    ctx = ReadContext("fuzz", mapping)
    count = 0
    try:
        for item in get_reader(fmt)(Source(path, str(path)), ctx):
            assert not isinstance(item, Rejected | Dropped) or item.reason
            count += 1
    except UnreadableInput as exc:
        assert str(exc).startswith(str(path))
    return count


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.binary(max_size=400))
def test_ftm_reader_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    _read(tmp_path, "ftm", data)


@SETTINGS
@given(st.lists(JSONL_PIECES, max_size=12).map(b"\n".join))
def test_ftm_reader_on_mangled_lines(tmp_path: Path, data: bytes) -> None:
    _read(tmp_path, "ftm", data)


@SETTINGS
@given(st.binary(max_size=400))
def test_csv_reader_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    _read(tmp_path, "csv", data)


@SETTINGS
@given(st.lists(CSV_PIECES, max_size=12).map(b"".join))
def test_csv_reader_on_mangled_rows(tmp_path: Path, data: bytes) -> None:
    _read(tmp_path, "csv", data)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_xlsx_reader_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    _read(tmp_path, "xlsx", b"PK\x03\x04" + data)
