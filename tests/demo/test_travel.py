"""The demo's passenger information unit: yesterday's arrivals are written, imported as
received and screened on arrival, on both databases; the planted travellers come out as
hits of each kind, and the broker travels in one booking with a member of the cell."""

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from rasid.access.accounts import Role, add_user
from rasid.access.registry import ensure_agency
from rasid.data import un_sc_path
from rasid.demo.build import UN_DATASET
from rasid.demo.travel import (
    RULE_OWNER,
    build_flights,
    load_travel_day,
    un_traveller,
    write_travel_day,
)
from rasid.ingest.run import IngestRequest, ingest
from rasid.screen.hits import list_hits
from rasid.store import Store
from rasid.store.tables import booking, flight, traveller

TODAY = date(2026, 11, 24)


def test_the_day_is_the_same_for_the_same_day_and_differs_for_another(tmp_path: Path) -> None:
    one = write_travel_day(tmp_path / "one", TODAY)
    two = write_travel_day(tmp_path / "two", TODAY)
    other = write_travel_day(tmp_path / "other", date(2026, 11, 25))
    assert [f.path.read_text() for f in one.files] == [f.path.read_text() for f in two.files]
    assert one.documents.read_text() == two.documents.read_text()
    assert one.files[0].path.read_text() != other.files[0].path.read_text()
    assert len(one.files) == 16  # four flights: three PNR pushes and a manifest each
    assert [f.received_at for f in one.files] == sorted(f.received_at for f in one.files)
    assert one.lost_passport in one.documents.read_text()


def test_the_story_bookings_are_on_board() -> None:
    flights, holder = build_flights(TODAY)
    shared = [b for f in flights for b in f.bookings if len(b.travellers) == 2]
    listed = un_traveller(TODAY)
    names = {(t.surname, t.given) for f in flights for t in f.travellers}
    assert (listed.surname, listed.given) in names
    assert holder in flights[3].travellers
    assert len(shared) >= 2


def test_the_day_loads_and_screens(store: Store, tmp_path: Path) -> None:
    with store.uow() as uow:
        for agency in ("border_police", "national_police"):
            ensure_agency(uow.conn, agency)
        add_user(
            uow.conn,
            RULE_OWNER,
            "border_police",
            Role.SUPERVISOR,
            "test",
            password="a long passphrase!",
        )
    un = IngestRequest(**{**vars(UN_DATASET), "location": str(un_sc_path())})
    ingest(store, un)
    summaries, screened = load_travel_day(store, tmp_path, TODAY)
    assert [s.rejected for s in summaries] == [0] * 17
    assert all(not s.nothing_read for s in summaries)
    with store.uow() as uow:
        flights = uow.conn.execute(select(func.count()).select_from(flight)).scalar_one()
        bookings = uow.conn.execute(select(func.count()).select_from(booking)).scalar_one()
        travellers = uow.conn.execute(select(func.count()).select_from(traveller)).scalar_one()
        hits = list_hits(uow.conn, limit=100)
    assert flights == 4 and bookings > 60 and travellers > 150
    kinds = {h.kind for h in hits}
    assert kinds == {"name", "document", "rule"}, kinds
    assert sum(a.document_alerts for a in screened) >= 1
    assert any(h.watchlist == "un_sc" for h in hits)
    # Loading the same day again adds nothing.
    again, _ = load_travel_day(store, tmp_path, TODAY)
    with store.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(traveller)).scalar_one() == (
            travellers
        )
        assert len(list_hits(uow.conn, limit=100)) == len(hits)
    assert len(again) == len(summaries)
