"""Writing a file's PNR pushes and travellers in a few statements, whatever their number.

A push is one version of a booking (``rasid.travel.rows.Push``). Written one at a time, each
cost eight statements (insert the booking, insert the version, read the booking, update it,
replace its flights, remove and upsert its travellers): most of an import's time on a large
PNR file. ``save_pushes`` gives the same rows as writing the pushes one after the other in
their order (see ``rasid.travel.store`` for the rules), with a statement per step for the
whole file:

1. new bookings are inserted as their first push has them (a known booking is left as it is);
2. the bookings' current versions and the versions already stored are read, the bookings
   locked on PostgreSQL so that two imports of one booking take turns;
3. the pushes are applied in order in memory: a version stored before is skipped, a newer one
   becomes the booking's current version;
4. the new versions, the bookings' new columns, and the flights and travellers of the newest
   version of each booking are written, each kind with one statement.

Statements are compiled once (``rasid.store.bulk``); only their rows change between files.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement

from rasid.store.bulk import execute_many
from rasid.store.chunks import chunks
from rasid.store.tables import booking, booking_flight, booking_version, traveller
from rasid.travel.rows import Push, Row

# Columns of a traveller row that a newer message may change (first_seen stays).
TRAVELLER_UPDATES = (
    "flight_id",
    "booking_id",
    "message_id",
    "role",
    "role_code",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "nationality",
    "residence_country",
    "seat",
    "booking_reference",
    "documents",
    "entity_id",
    "last_seen",
)
# Columns of a booking that its newest version sets.
BOOKING_CURRENT = (
    "booked_at",
    "last_transaction_at",
    "point_of_sale",
    "contacts",
    "addresses",
    "payments",
    "tickets",
    "bags",
    "current_version",
    "as_of",
)


def insert_for(dialect: Dialect, table: Table) -> Any:
    """An insert into ``table`` in the dialect's form (with its ON CONFLICT clauses)."""
    module = postgresql if dialect.name == "postgresql" else sqlite
    return module.insert(table)


# The statements, one function each: ``execute_many`` compiles each once per dialect.


def _upsert_travellers(dialect: Dialect) -> ClauseElement:
    ins = insert_for(dialect, traveller)
    changes = {column: ins.excluded[column] for column in TRAVELLER_UPDATES}
    upsert: ClauseElement = ins.on_conflict_do_update(index_elements=["id"], set_=changes)
    return upsert


def _add_bookings(dialect: Dialect) -> ClauseElement:
    new: ClauseElement = insert_for(dialect, booking).on_conflict_do_nothing(index_elements=["id"])
    return new


def _add_versions(dialect: Dialect) -> ClauseElement:
    ins = insert_for(dialect, booking_version)
    new: ClauseElement = ins.on_conflict_do_nothing(index_elements=["id"])
    return new


def _update_bookings(dialect: Dialect) -> ClauseElement:
    # "booking" names the row: a parameter may not take the name of a column it sets.
    return update(booking).where(booking.c.id == bindparam("booking"))


def _add_links(dialect: Dialect) -> ClauseElement:
    return booking_flight.insert()


def save_travellers(conn: Connection, rows: Iterable[Row], received: datetime) -> None:
    """Add travellers, or bring known ones up to this message (first_seen kept)."""
    # One row per id, the last: what upserting each in turn leaves.
    unique = {r["id"]: {**r, "first_seen": received, "last_seen": received} for r in rows}
    execute_many(conn, _upsert_travellers, list(unique.values()))


@dataclass
class _Replay:
    """The pushes applied in order, in memory: what each step changes in the database."""

    current: dict[str, tuple[str, datetime | None]]  # booking -> current version, as of
    stored: set[str]  # versions in the database
    versions: list[Row] = field(default_factory=list)  # new versions, in order
    received: set[str] = field(default_factory=set)  # bookings that got a new version
    newest: dict[str, Push] = field(default_factory=dict)  # booking -> its newest push
    kept: dict[str, list[set[str]]] = field(default_factory=dict)  # booking -> travellers

    def apply(self, push: Push) -> None:
        """One push, as writing it alone would change the database."""
        version = push.version
        if version["id"] in self.stored:
            return  # received before: nothing changes
        self.stored.add(version["id"])
        self.versions.append(version)
        booking_id = push.booking["id"]
        self.received.add(booking_id)
        current_version, as_of = self.current[booking_id]
        if current_version == version["id"] or _not_older(version["as_of"], as_of):
            self.current[booking_id] = (version["id"], push.booking["as_of"])
            self.newest[booking_id] = push
            travellers = {row["id"] for row in push.travellers}
            self.kept.setdefault(booking_id, []).append(travellers)


def _not_older(as_of: datetime | None, current: datetime | None) -> bool:
    """True when a version of this time is at least as new as the current one (a version
    without a time is older than any with one)."""
    return current is None or (as_of is not None and as_of >= current)


def save_pushes(conn: Connection, pushes: Sequence[Push], received: datetime) -> int:
    """Add the versions of bookings that ``pushes`` hold, in their order, as if each came
    alone (see the module docstring); returns how many versions were new."""
    if not pushes:
        return 0
    firsts = {p.booking["id"]: p.booking for p in reversed(pushes)}  # each booking's first
    ids = sorted(firsts)  # rows are locked in id order (see ``_current``)
    new = [{**firsts[b], "first_received": received, "last_received": received} for b in ids]
    execute_many(conn, _add_bookings, new)
    replay = _Replay(_current(conn, ids), _stored(conn, pushes))
    for push in pushes:
        replay.apply(push)
    execute_many(conn, _add_versions, [{**v, "received_at": received} for v in replay.versions])
    _update(conn, replay, received)
    _replace_itineraries(conn, replay, received)
    return len(replay.versions)


def _current(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[str, datetime | None]]:
    """Each booking's current version and its time. Locked on PostgreSQL: an import of the
    same booking at the same time waits until this one commits, then reads what it wrote
    (locked in id order, so that two imports wait for each other and never deadlock)."""
    found = {}
    for chunk in chunks(ids):
        query = (
            select(booking.c.id, booking.c.current_version, booking.c.as_of)
            .where(booking.c.id.in_(chunk))
            .order_by(booking.c.id)
            .with_for_update()
        )
        found.update({row.id: (row.current_version, row.as_of) for row in conn.execute(query)})
    return found


def _stored(conn: Connection, pushes: Sequence[Push]) -> set[str]:
    """The versions among ``pushes`` that the database holds already."""
    ids = sorted({p.version["id"] for p in pushes})
    found: set[str] = set()
    for chunk in chunks(ids):
        query = select(booking_version.c.id).where(booking_version.c.id.in_(chunk))
        found.update(conn.execute(query).scalars())
    return found


def _update(conn: Connection, replay: _Replay, received: datetime) -> None:
    """Bookings that got a new version: received now, and its columns when it is newest."""
    newest, others = [], []
    for booking_id in sorted(replay.received):
        row: dict[str, Any] = {"booking": booking_id, "last_received": received}
        push = replay.newest.get(booking_id)
        if push is None:
            others.append(row)
        else:
            newest.append(row | {column: push.booking[column] for column in BOOKING_CURRENT})
    execute_many(conn, _update_bookings, newest)
    execute_many(conn, _update_bookings, others)


def _replace_itineraries(conn: Connection, replay: _Replay, received: datetime) -> None:
    """Each booking's flights and travellers made those of its newest push."""
    replaced = sorted(replay.newest)
    if not replaced:
        return
    for chunk in chunks(replaced):
        conn.execute(delete(booking_flight).where(booking_flight.c.booking_id.in_(chunk)))
    execute_many(conn, _add_links, [row for b in replaced for row in replay.newest[b].links])
    _remove_travellers(conn, replay, replaced)
    rows = [row for b in replaced for row in replay.newest[b].travellers]
    save_travellers(conn, rows, received)


def _remove_travellers(conn: Connection, replay: _Replay, replaced: Sequence[str]) -> None:
    """Pushed one at a time, each newer push removed the travellers it no longer had and
    upserted its own. So a stored traveller keeps their row (and first_seen) only when every
    newer push of this file has them; the others are removed (and those of the newest push
    inserted again)."""
    gone = []
    for chunk in chunks(replaced):
        query = select(traveller.c.id, traveller.c.booking_id)
        for row in conn.execute(query.where(traveller.c.booking_id.in_(chunk))):
            if not all(row.id in kept for kept in replay.kept[row.booking_id]):
                gone.append(row.id)
    for chunk in chunks(gone):
        conn.execute(delete(traveller).where(traveller.c.id.in_(chunk)))
