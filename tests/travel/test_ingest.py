"""Travel messages through the import path, on both databases: every sample, re-imports,
quarantine, format guessing, entities and one transaction per file."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rasid.access.registry import get_dataset
from rasid.ingest.errors import IngestError, UnreadableInput
from rasid.ingest.formats import guess_format
from rasid.ingest.records import ReadContext
from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.store import Store
from rasid.store.entities import get_entity
from rasid.store.quarantine import list_quarantine
from rasid.store.statements import count_statements, entities_by_schema
from rasid.store.tables import statement, traveller
from rasid.travel.store import travel_counts
from tests.travel.helpers import (
    API_WITHOUT_FLIGHT,
    DATA_DIR,
    DOCO,
    PNR_WITHOUT_LOCATOR,
    PUSHES,
    SAMPLES,
)

# file -> travellers (people), bookings, flights, traveller rows (a person on a flight),
# warnings, sensitive items removed, entities by schema. No sample has an error.
EXPECTED: dict[str, tuple[int, int, int, int, int, int, dict[str, int]]] = {
    "paxlst_gtas_airline2_custom_separators.edi": (
        10,
        0,
        1,
        10,
        5,
        0,
        {"Person": 10, "Passport": 10},
    ),
    "paxlst_gtas_apisMessage_d05b.edi": (2, 0, 2, 4, 0, 0, {"Person": 2}),
    "paxlst_gtas_crew_Test1.edi": (8, 0, 1, 8, 4, 0, {"Person": 8, "Passport": 8}),
    "paxlst_gtas_multiple_flight_leg.edi": (2, 0, 3, 6, 1, 0, {"Person": 2, "Passport": 2}),
    "pnrgov_gtas_iata_guide_pg75.edi": (2, 2, 1, 2, 5, 0, {"Person": 2, "Passport": 2}),
    "pnrgov_gtas_iata_guide_pg76.edi": (2, 1, 2, 4, 2, 0, {"Person": 2}),
    "pnrgov_gtas_iata_guide_pg77.edi": (1, 1, 2, 2, 3, 0, {"Person": 1, "Passport": 1}),
    "pnrgov_gtas_pnrMessage_full.edi": (2, 1, 2, 4, 2, 5, {"Person": 2, "Passport": 1}),
    "pnrgov_gtas_pnr_split_multipart.edi": (3, 2, 4, 7, 0, 0, {"Person": 3, "Passport": 1}),
    DOCO: (1, 1, 3, 3, 6, 0, {"Person": 1, "Passport": 1, "Identification": 1}),
}


def load(store: Store, path: Path, dataset: str = "piu", **kw: str) -> Summary:
    """Import a travel file into a dataset of the passenger information unit."""
    return ingest(store, IngestRequest(str(path), dataset, agency="piu", **kw))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_every_sample_is_expected() -> None:
    assert sorted(EXPECTED) == sorted(SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_ingests(store: Store, name: str) -> None:
    people, bookings, flights, rows, warnings, removed, schemata = EXPECTED[name]
    summary = load(store, DATA_DIR / name)
    counts = summary.counts
    assert (counts["travellers"], counts["bookings"], counts["flights"]) == (
        people,
        bookings,
        flights,
    )
    assert (counts["warnings"], counts["filtered"], summary.rejected) == (warnings, removed, 0)
    assert summary.by_schema == schemata
    with store.uow() as uow:
        stored = travel_counts(uow.conn, "piu")
        assert entities_by_schema(uow.conn) == schemata
        assert not list_quarantine(uow.conn)
    assert (stored["travellers"], stored["bookings"], stored["flights"]) == (
        rows,
        bookings,
        flights,
    )
    assert stored["messages"] == 1 and stored["booking_versions"] == bookings


@pytest.mark.parametrize("name", [SAMPLES[0], "pnrgov_gtas_iata_guide_pg75.edi"])
def test_reimporting_a_file_adds_nothing(store: Store, name: str) -> None:
    first = load(store, DATA_DIR / name)
    with store.uow() as uow:
        before = travel_counts(uow.conn), count_statements(uow.conn)
    again = load(store, DATA_DIR / name)
    with store.uow() as uow:
        assert (travel_counts(uow.conn), count_statements(uow.conn)) == before
    assert again.counts["received_before"] == 1 and first.counts["received_before"] == 0
    assert (again.statements, again.counts["travellers"]) == (
        first.statements,
        first.counts["travellers"],
    )


def test_a_new_travel_dataset_takes_the_retention_of_its_data(store: Store) -> None:
    load(store, DATA_DIR / SAMPLES[0], dataset="api")
    load(store, DATA_DIR / DOCO, dataset="pnr")
    load(store, DATA_DIR / DOCO, dataset="kept", retention_class="intelligence-5y")
    with store.uow() as uow:
        datasets = [get_dataset(uow.conn, d) for d in ("api", "pnr", "kept")]
        query = select(statement.c.dataset, statement.c.retention_class).distinct()
        stored = {tuple(row) for row in uow.conn.execute(query)}
    assert [d.retention_class for d in datasets if d] == ["api", "pnr", "intelligence-5y"]
    assert stored == {("api", "api"), ("pnr", "pnr"), ("kept", "intelligence-5y")}


def test_a_malformed_pnr_is_quarantined_and_the_rest_kept(store: Store, tmp_path: Path) -> None:
    summary = load(store, write(tmp_path, "two.edi", PNR_WITHOUT_LOCATOR))
    assert (summary.rejected, summary.counts["bookings"], summary.counts["travellers"]) == (1, 1, 1)
    with store.uow() as uow:
        [row] = list_quarantine(uow.conn, "piu")
        assert travel_counts(uow.conn)["bookings"] == 1
        people = uow.conn.execute(select(traveller.c.surname)).scalars().all()
    assert (row["location"], row["kind"]) == ("segment 7 (SRC), line 8", "record")
    assert row["reason"] == "PNR without a record locator (RCI); left out"
    assert row["raw"] is None and row["source"].endswith("two.edi")
    assert people == ["HASSAN"]


def test_a_file_without_a_usable_message_reads_nothing(store: Store, tmp_path: Path) -> None:
    summary = load(store, write(tmp_path, "bad.txt", API_WITHOUT_FLIGHT), fmt="paxlst")
    assert summary.nothing_read and summary.rejected == 1
    assert summary.first_rejected == (
        "segment 2 (UNH), line 3: no flight leg (TDT): the flight is unknown"
    )
    with store.uow() as uow:
        [row] = list_quarantine(uow.conn, "piu")
        counts = travel_counts(uow.conn)
    assert row["location"] == "segment 2 (UNH), line 3"
    assert counts["messages"] == 1 and counts["travellers"] == counts["flights"] == 0


def test_a_file_that_is_not_edifact_is_unreadable(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "notes.edi", b"NAME,DATE\nX,1\n")
    with pytest.raises(UnreadableInput, match=r"notes\.edi: .*no message"):
        load(store, path, fmt="pnrgov")
    with store.uow() as uow:
        assert get_dataset(uow.conn, "piu") is None


def test_the_format_is_told_from_the_message_type(tmp_path: Path) -> None:
    assert guess_format(DATA_DIR / SAMPLES[1]) == "paxlst"
    assert guess_format(write(tmp_path, "push.txt", PUSHES["24h"])) == "pnrgov"
    assert guess_format(write(tmp_path, "noext", API_WITHOUT_FLIGHT)) == "paxlst"
    other = b"UNB+UNOA:4+X+Y+070218:1545+1'UNH+1+CUSCAR:D:05B:UN'"
    with pytest.raises(IngestError, match="cannot tell the format"):
        guess_format(write(tmp_path, "cargo.edi", other))


def test_entity_ids_come_from_the_dataset_and_the_booking(store: Store, tmp_path: Path) -> None:
    load(store, write(tmp_path, "48h.edi", PUSHES["48h"]))
    load(store, write(tmp_path, "24h.edi", PUSHES["24h"]))
    expected = ReadContext("piu").make_id("pnr-traveller", "UA", "06A9FD", "ACKARY", "CHARLESMR")
    with store.uow() as uow:
        ids = set(uow.conn.execute(select(traveller.c.entity_id)).scalars())
        person = get_entity(uow.conn, expected, None)
        schemata = entities_by_schema(uow.conn)
    assert ids == {expected}
    assert schemata == {"Person": 1, "Passport": 1, "Identification": 1}
    assert person is not None
    assert person.proxy.get("passportNumber") == ["602120901"]
    assert person.proxy.get("email") == ["CHARLES.ACKARY@yahoo.com"]  # FtM folds the domain


def test_statements_carry_the_dataset_marking_and_retention(store: Store) -> None:
    load(store, DATA_DIR / SAMPLES[2])  # a crew list into a new dataset: AMBER, api
    with store.uow() as uow:
        rows = uow.conn.execute(select(statement.c.marking, statement.c.retention_class)).all()
        deleted = uow.conn.execute(select(func.min(statement.c.delete_after))).scalar_one()
    assert {tuple(r) for r in rows} == {("TLP:AMBER", "api")}
    assert deleted is not None


def test_an_error_mid_file_leaves_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object) -> bool:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("rasid.travel.store.save_pushes", failing)
    with pytest.raises(RuntimeError):
        load(store, DATA_DIR / "pnrgov_gtas_iata_guide_pg75.edi")
    with store.uow() as uow:
        assert set(travel_counts(uow.conn).values()) == {0}
        assert count_statements(uow.conn) == 0
        assert get_dataset(uow.conn, "piu") is None
