"""The UN Security Council list through the whole import path, on both databases."""

from pathlib import Path

import pytest

from rasid.data import un_sc_path
from rasid.ingest.errors import UnreadableInput
from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.store import Store
from rasid.store.entities import get_entity, search_entity_ids
from rasid.store.quarantine import list_quarantine
from rasid.store.statements import count_statements, entities_by_schema


def _load(store: Store, path: Path) -> Summary:
    request = IngestRequest(str(path), "un_sc", fmt="un-sc", agency="un", kind="watchlist")
    return ingest(store, request)


def test_importing_the_list_twice_changes_nothing(store: Store) -> None:
    first = _load(store, un_sc_path())
    with store.uow() as uow:
        statements = count_statements(uow.conn)
    second = _load(store, un_sc_path())
    with store.uow() as uow:
        counts = entities_by_schema(uow.conn)
        assert count_statements(uow.conn) == statements == first.statements
    assert (counts["Person"], counts["Organization"]) == (684, 195)
    assert first.by_schema == second.by_schema == counts
    assert second.statements == first.statements and first.rejected == 0


def test_arabic_names_and_aliases_are_searchable(store: Store) -> None:
    _load(store, un_sc_path())
    with store.uow() as uow:
        arabic = search_entity_ids(uow.conn, "محمد", None, schema="Person", limit=500)
        people = [get_entity(uow.conn, i, None) for i in arabic[:20]]
        qaida = search_entity_ids(uow.conn, "al-qaida", None, schema="Organization")
    assert len(arabic) > 50
    for person in people:
        assert person is not None
        assert any(s.lang == "ara" for s in person.value_statements() if s.prop == "name")
    assert qaida  # organisation names and aliases are indexed


def test_a_corrupted_copy_quarantines_the_bad_record(store: Store, tmp_path: Path) -> None:
    text = un_sc_path().read_text("utf-8")
    first = text.index("<INDIVIDUAL>")
    end = text.index("</INDIVIDUAL>", first)
    record = text[first:end]
    stripped = record
    for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"):
        start = stripped.find(f"<{tag}>")
        if start >= 0:
            stop = stripped.index(f"</{tag}>", start) + len(tag) + 3
            stripped = stripped[:start] + stripped[stop:]
    broken = tmp_path / "broken.xml"
    broken.write_text(text[:first] + stripped + text[end:], encoding="utf-8")
    summary = _load(store, broken)
    assert summary.rejected == 1
    assert summary.by_schema["Person"] == 683 and summary.by_schema["Organization"] == 195
    with store.uow() as uow:
        [held] = [r for r in list_quarantine(uow.conn) if r["kind"] == "record"]
    assert held["location"].startswith("line ") and "CDi.001" in held["location"]
    assert held["raw"].startswith("<INDIVIDUAL")


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        b"<FIRST_NAME>&lol2;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        b"<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_unsafe_xml_is_refused_and_nothing_written(
    store: Store, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "unsafe.xml"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput):
        _load(store, path)
    with store.uow() as uow:
        assert count_statements(uow.conn) == 0 and list_quarantine(uow.conn) == []


def test_a_truncated_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    data = un_sc_path().read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableInput, match="line"):
        _load(store, path)
    with store.uow() as uow:
        assert count_statements(uow.conn) == 0
