"""The compiled executemany path on both databases: values written in the statement itself,
updates of many rows keyed by a parameter, and upserts, give what SQLAlchemy's own path
gives."""

from datetime import date, datetime

from sqlalchemy import Connection, bindparam, case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement

from rasid.store import Store
from rasid.store.bulk import execute_many
from rasid.store.tables import flight

DAY = date(2026, 11, 24)
AT = datetime(2026, 11, 24, 9, 30)


def _flight(number: str, arrival: str = "") -> dict[str, object]:
    return {
        "id": f"f{number}",
        "carrier": "XY",
        "flight_number": number,
        "departure_airport": "CAI",
        "arrival_airport": arrival,
        "departure_date": DAY,
        "scheduled_departure": AT,
        "scheduled_arrival": None,
        "created_at": AT,
    }


def _fill_arrival(dialect: Dialect) -> ClauseElement:
    """An upsert whose ``== ""`` and ``"?"`` are values of the statement, not of a row."""
    ins = (postgresql if dialect.name == "postgresql" else sqlite).insert(flight)
    missing = flight.c.arrival_airport == ""
    filled = case((missing, ins.excluded.arrival_airport), else_=flight.c.arrival_airport + "?")
    upsert: ClauseElement = ins.on_conflict_do_update(
        index_elements=["id"], set_={"arrival_airport": filled}
    )
    return upsert


def _renumber(dialect: Dialect) -> ClauseElement:
    # The row's key under a name of its own: a parameter may not share a column's name.
    return update(flight).where(flight.c.id == bindparam("key"))


def _arrivals(conn: Connection) -> dict[str, tuple[str, str]]:
    rows = conn.execute(select(flight.c.id, flight.c.flight_number, flight.c.arrival_airport))
    return {r.id: (r.flight_number, r.arrival_airport) for r in rows}


def test_values_of_the_statement_itself_are_bound(store: Store) -> None:
    with store.uow() as uow:
        execute_many(uow.conn, _fill_arrival, [_flight("1"), _flight("2", "DXB")])
        again = [_flight("1", "JED"), _flight("2", "RUH"), _flight("3")]
        execute_many(uow.conn, _fill_arrival, again)
        found = _arrivals(uow.conn)
    assert found == {"f1": ("1", "JED"), "f2": ("2", "DXB?"), "f3": ("3", "")}


def test_many_rows_updated_by_key(store: Store) -> None:
    with store.uow() as uow:
        execute_many(uow.conn, _fill_arrival, [_flight("1"), _flight("2"), _flight("3")])
        changes = [
            {"key": "f1", "flight_number": "10", "scheduled_departure": AT.replace(hour=11)},
            {"key": "f3", "flight_number": "30", "scheduled_departure": None},
        ]
        execute_many(uow.conn, _renumber, changes)
        found = _arrivals(uow.conn)
        times = dict(uow.conn.execute(select(flight.c.id, flight.c.scheduled_departure)).all())
        # Compared in the database: the time is bound as SQLAlchemy binds it.
        later = select(flight.c.id).where(flight.c.scheduled_departure > AT)
        assert uow.conn.execute(later).scalars().all() == ["f1"]
    assert {k: v[0] for k, v in found.items()} == {"f1": "10", "f2": "2", "f3": "30"}
    assert times == {"f1": AT.replace(hour=11), "f2": AT, "f3": None}


def test_no_rows_run_nothing(store: Store) -> None:
    with store.uow() as uow:
        execute_many(uow.conn, _renumber, [])
        assert _arrivals(uow.conn) == {}
