from pathlib import Path

import openpyxl
import pytest

from rasid.ingest.errors import IngestError, UnreadableInput
from rasid.store import Store
from rasid.store.entities import get_entity, search_entity_ids
from rasid.store.quarantine import list_quarantine
from tests.ingest.helpers import load

MAPPING = """
entities:
  person:
    schema: Person
    keys: [person_no]
    properties:
      name: {columns: [given, family], join: " "}
      alias: {column: name_ar}
      birthDate: {column: dob}
      nationality: {column: nationality}
      phone: {column: phone}
  group:
    schema: Organization
    keys: [group]
    properties:
      name: {column: group}
  membership:
    schema: Membership
    key_literal: membership
    keys: [person_no, group]
    properties:
      member: {entity: person}
      organization: {entity: group, required: true}
"""

CSV = """person_no,given,family,name_ar,dob,nationality,phone,group
P-1,Youssef,Ben Ali,يوسف بن علي,1985-04-01,Tunisia,+216 20 123 456,Desert Route
P-2,Kassem,Haddad,قاسم حداد,1979,Lebanon,,Desert Route
P-3,Broken,Row
,,,,,,,
P-4,Nour,Eddine,نور الدين,not a date,Morocco,,
,Nobody,Keyed,,,,,
"""


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "police.yml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def test_csv_through_mapping(store: Store, tmp_path: Path, mapping: Path) -> None:
    path = tmp_path / "police.csv"
    path.write_text(CSV, encoding="utf-8")
    first = load(store, path, mapping=mapping)
    second = load(store, path, mapping=mapping)
    assert first.by_schema == {"Person": 3, "Organization": 1, "Membership": 2}
    assert (first.rejected, first.dropped) == (2, 1)
    assert (second.entities, second.statements) == (first.entities, first.statements)
    with store.uow() as uow:
        held = {r["location"]: r["reason"] for r in list_quarantine(uow.conn, "police")}
        [youssef] = search_entity_ids(uow.conn, "يوسف", None)
        person = get_entity(uow.conn, youssef, None)
    assert held["line 4"] == "row has 3 fields, the header has 8"
    assert held["line 6"] == "Person:birthDate: 'not a date' is not a valid value"
    assert held["line 7"] == "row yields no entity (its key columns are empty)"
    assert youssef.startswith("police-") or len(youssef) == 40  # derived from dataset + key
    assert person is not None
    assert person.proxy.get("name") == ["Youssef Ben Ali"]
    assert person.proxy.get("nationality") == ["tn"]
    assert person.proxy.get("phone") == ["+21620123456"]


def test_ids_derive_from_dataset_and_key(store: Store, tmp_path: Path, mapping: Path) -> None:
    path = tmp_path / "police.csv"
    path.write_text(CSV, encoding="utf-8")
    load(store, path, mapping=mapping, dataset="police")
    load(store, path, mapping=mapping, dataset="police_copy")
    with store.uow() as uow:
        ids = search_entity_ids(uow.conn, "youssef", None)
    assert len(ids) == 2  # same key, different dataset: different entities


def test_xlsx_through_mapping(store: Store, tmp_path: Path, mapping: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "travellers"
    rows = [line.split(",") for line in CSV.strip().splitlines()]
    for row in rows[:3]:
        sheet.append(row)
    sheet.append(["P-5", "Hussein", "Karimi", "حسين كريمي", None, "Iran", None, None])
    path = tmp_path / "border.xlsx"
    workbook.save(path)
    mapping.write_text(MAPPING + "sheet: travellers\n", encoding="utf-8")
    summary = load(store, path, mapping=mapping, dataset="border")
    assert summary.by_schema == {"Person": 3, "Organization": 1, "Membership": 2}
    assert summary.rejected == 0
    with store.uow() as uow:
        assert len(search_entity_ids(uow.conn, "حسين", None)) == 1


def test_missing_sheet_and_bad_workbook(store: Store, tmp_path: Path, mapping: Path) -> None:
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableInput, match="not an XLSX workbook"):
        load(store, bogus, mapping=mapping)
    workbook = openpyxl.Workbook()
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    mapping.write_text(MAPPING + "sheet: nowhere\n", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="no sheet named 'nowhere'"):
        load(store, path, mapping=mapping)
    with store.uow() as uow:
        assert list_quarantine(uow.conn) == []


def test_wrong_encoding_is_unreadable(store: Store, tmp_path: Path, mapping: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        CSV.replace("Youssef", "Yéssef").encode("utf-8")[:60] + "é\n".encode("latin-1")
    )
    with pytest.raises(UnreadableInput, match="not UTF-8"):
        load(store, path, mapping=mapping)


def test_mapping_errors(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(CSV, encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text("entities:\n  p:\n    schema: Starship\n    keys: [a]\n", encoding="utf-8")
    with pytest.raises(IngestError, match="invalid mapping"):
        load(store, path, mapping=bad)
    empty = tmp_path / "empty.yml"
    empty.write_text("just: text\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no `entities:`"):
        load(store, path, mapping=empty)
    with pytest.raises(IngestError, match="need a mapping"):
        load(store, path)
