"""Reading flights and their manifests, for the people who work on them.

``list_flights`` gives flights with how many travellers each has from API and PNR and how
many of their hits are open or confirmed; ``flight_manifest`` gives one flight's travellers
with their seats, documents, booking references and hits.

Every read takes ``datasets``: the travel datasets the caller may read (None: all, for the
command line). A flight belongs to no dataset: a caller sees the flights the schedule lists
and those their readable datasets have travellers or messages on, and only the travellers,
and the hits, of readable datasets. Travellers are read through
``rasid.travel.store.list_travellers``, which applies the caller's masking of old data.
The functions never commit and audit nothing: the caller records the read with its purpose.
"""

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rasid.screen.hits import OPEN, HitStatus
from rasid.store.tables import (
    dataset,
    flight,
    flight_schedule,
    hit,
    message_flight,
    screening_subject,
    traveller,
)
from rasid.store.visibility import Masker, Visibility
from rasid.travel.store import list_travellers

SUBJECT_SOURCE = "travel"  # the review queue's source of traveller subjects
MAX_PAGE = 500
FLIGHT_COLUMNS = (
    "id", "carrier", "flight_number", "departure_airport", "arrival_airport", "departure_date",
    "scheduled_departure", "scheduled_arrival",
)  # fmt: skip


def travel_datasets(conn: Connection, readable: Visibility | None) -> list[str] | None:
    """The datasets whose travellers a caller may read (None: all): those readable whole,
    and those readable in part unless the part withheld is the dataset's own marking (a
    traveller row carries its dataset's marking)."""
    if readable is None:
        return None
    names = set(readable.whole)
    partial = {n: w for n, w in readable.partial.items() if n not in readable.whole}
    if partial:
        query = select(dataset.c.name, dataset.c.default_marking).where(
            dataset.c.name.in_(sorted(partial))
        )
        names |= {name for name, marking in conn.execute(query) if marking not in partial[name]}
    return sorted(names)


@dataclass(frozen=True)
class FlightSummary:
    """A flight, with what the caller may see of the people on it."""

    id: str
    carrier: str
    flight_number: str
    departure_airport: str
    arrival_airport: str
    departure_date: date
    scheduled_departure: datetime | None  # local times, as sent
    scheduled_arrival: datetime | None
    scheduled: bool  # listed in the PIU's schedule
    api_travellers: int = 0
    pnr_travellers: int = 0
    open_hits: int = 0  # new or escalated
    confirmed_hits: int = 0

    @property
    def name(self) -> str:
        """Carrier and number, e.g. ``UA988``."""
        return f"{self.carrier}{self.flight_number}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data = dict(vars(self))
        data["departure_date"] = self.departure_date.isoformat()
        for key in ("scheduled_departure", "scheduled_arrival"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data


def _names(datasets: Collection[str]) -> list[str]:
    return sorted(set(datasets))


def _visible(datasets: Collection[str] | None) -> ColumnElement[bool] | None:
    """Flights the caller may see: scheduled, or with travellers or messages of a readable
    dataset (None: no limit)."""
    if datasets is None:
        return None
    names = _names(datasets)
    return or_(
        flight.c.id.in_(select(flight_schedule.c.flight_id)),
        flight.c.id.in_(select(traveller.c.flight_id).where(traveller.c.dataset.in_(names))),
        flight.c.id.in_(
            select(message_flight.c.flight_id).where(message_flight.c.dataset.in_(names))
        ),
    )


def list_flights(
    conn: Connection,
    datasets: Collection[str] | None,
    start: date | None = None,
    end: date | None = None,
    carrier: str | None = None,
    airport: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[FlightSummary]:
    """Flights departing from ``start`` to ``end`` (local days, both optional), of one
    carrier and touching one airport (departure or arrival) when given, by departure."""
    query = select(flight, flight_schedule.c.flight_id.label("scheduled")).outerjoin(
        flight_schedule, flight_schedule.c.flight_id == flight.c.id
    )
    if start is not None:
        query = query.where(flight.c.departure_date >= start)
    if end is not None:
        query = query.where(flight.c.departure_date <= end)
    if carrier and carrier.strip():
        query = query.where(flight.c.carrier == carrier.strip().upper())
    if airport and airport.strip():
        code = airport.strip().upper()
        query = query.where(
            or_(flight.c.departure_airport == code, flight.c.arrival_airport == code)
        )
    visible = _visible(datasets)
    if visible is not None:
        query = query.where(visible)
    order = (flight.c.departure_date, flight.c.scheduled_departure, flight.c.carrier, flight.c.id)
    query = query.order_by(*order).limit(min(limit, MAX_PAGE)).offset(offset)
    return _summaries(conn, [dict(r._mapping) for r in conn.execute(query)], datasets)


def get_flight(
    conn: Connection, flight_id: str, datasets: Collection[str] | None
) -> FlightSummary | None:
    """One flight with its counts, or None when there is none the caller may see."""
    query = (
        select(flight, flight_schedule.c.flight_id.label("scheduled"))
        .outerjoin(flight_schedule, flight_schedule.c.flight_id == flight.c.id)
        .where(flight.c.id == flight_id)
    )
    visible = _visible(datasets)
    if visible is not None:
        query = query.where(visible)
    row = conn.execute(query).first()
    return _summaries(conn, [dict(row._mapping)], datasets)[0] if row is not None else None


def _summaries(
    conn: Connection, rows: list[dict[str, Any]], datasets: Collection[str] | None
) -> list[FlightSummary]:
    ids = [r["id"] for r in rows]
    travellers = _traveller_counts(conn, ids, datasets)
    hits = _hit_counts(conn, ids, datasets)
    return [
        FlightSummary(
            **{column: r[column] for column in FLIGHT_COLUMNS},
            scheduled=r["scheduled"] is not None,
            api_travellers=travellers.get((r["id"], "api"), 0),
            pnr_travellers=travellers.get((r["id"], "pnr"), 0),
            open_hits=sum(hits.get((r["id"], str(s)), 0) for s in OPEN),
            confirmed_hits=hits.get((r["id"], str(HitStatus.CONFIRMED)), 0),
        )
        for r in rows
    ]


def _traveller_counts(
    conn: Connection, ids: list[str], datasets: Collection[str] | None
) -> dict[tuple[str, str], int]:
    if not ids:
        return {}
    query = (
        select(traveller.c.flight_id, traveller.c.source, func.count())
        .where(traveller.c.flight_id.in_(ids))
        .group_by(traveller.c.flight_id, traveller.c.source)
    )
    if datasets is not None:
        query = query.where(traveller.c.dataset.in_(_names(datasets)))
    return {(f, source): int(n) for f, source, n in conn.execute(query)}


def _subject_of_traveller() -> ColumnElement[bool]:
    return and_(
        screening_subject.c.source == SUBJECT_SOURCE,
        screening_subject.c.external_id == traveller.c.id,
    )


def _readable_hits(datasets: Collection[str] | None) -> list[ColumnElement[bool]]:
    """Hits of readable travellers on readable watchlists (as the review queue shows them)."""
    if datasets is None:
        return []
    names = _names(datasets)
    return [traveller.c.dataset.in_(names), hit.c.watchlist.in_(names)]


def _hit_counts(
    conn: Connection, ids: list[str], datasets: Collection[str] | None
) -> dict[tuple[str, str], int]:
    if not ids:
        return {}
    query = (
        select(traveller.c.flight_id, hit.c.status, func.count(func.distinct(hit.c.id)))
        .select_from(traveller)
        .join(screening_subject, _subject_of_traveller())
        .join(hit, hit.c.subject_id == screening_subject.c.id)
        .where(traveller.c.flight_id.in_(ids), *_readable_hits(datasets))
        .group_by(traveller.c.flight_id, hit.c.status)
    )
    return {(f, status): int(n) for f, status, n in conn.execute(query)}


# One flight's manifest -------------------------------------------------------------------


@dataclass(frozen=True)
class TravellerHit:
    """A hit on a traveller, as the manifest shows it (the review page has the rest)."""

    id: int
    kind: str  # name, document, rule
    status: str
    score: float
    matched_name: str
    watchlist: str | None

    @property
    def is_open(self) -> bool:
        """True while the hit awaits a decision (new or escalated)."""
        return self.status in OPEN

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data = dict(vars(self))
        data["score"] = round(self.score, 4)
        return data


@dataclass(frozen=True)
class ManifestTraveller:
    """A person on the flight, from API or from a booking."""

    row: dict[str, Any]  # the traveller row, as the read (and its masking) gave it
    hits: tuple[TravellerHit, ...] = ()
    documents: tuple[dict[str, Any], ...] = ()

    @property
    def id(self) -> str:
        """The traveller row's id (the review queue's external id of the subject)."""
        return str(self.row["id"])

    @property
    def open_hits(self) -> tuple[TravellerHit, ...]:
        """Hits awaiting a decision."""
        return tuple(h for h in self.hits if h.is_open)

    @property
    def confirmed_hits(self) -> tuple[TravellerHit, ...]:
        """Hits a person confirmed."""
        return tuple(h for h in self.hits if h.status == HitStatus.CONFIRMED)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        row = self.row
        birth = row.get("birth_date")
        return {
            "id": self.id,
            "dataset": row["dataset"],
            "source": row["source"],
            "role": row["role"],
            "surname": row["surname"],
            "given_names": row["given_names"],
            "sex": row["sex"],
            "birth_date": birth.isoformat() if isinstance(birth, date) else birth,
            "nationality": row["nationality"],
            "seat": row["seat"],
            "booking_reference": row["booking_reference"],
            "documents": list(self.documents),
            "entity_id": row["entity_id"],
            "masked": bool(row.get("masked", False)),
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class FlightManifest:
    """A flight and the travellers on it the caller may read."""

    flight: FlightSummary
    travellers: tuple[ManifestTraveller, ...]

    @property
    def datasets(self) -> list[str]:
        """The datasets the travellers come from."""
        return sorted({str(t.row["dataset"]) for t in self.travellers})

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "flight": self.flight.to_dict(),
            "travellers": [t.to_dict() for t in self.travellers],
        }


def flight_manifest(
    conn: Connection,
    flight_id: str,
    datasets: Collection[str] | None,
    masking: Masker | None = None,
) -> FlightManifest | None:
    """One flight's travellers of readable datasets (crew after passengers, each by name),
    with their hits; None when the caller may see no such flight."""
    found = get_flight(conn, flight_id, datasets)
    if found is None:
        return None
    rows = list_travellers(conn, flight_id=flight_id, masking=masking)
    if datasets is not None:
        names = set(datasets)
        rows = [r for r in rows if r["dataset"] in names]
    rows.sort(key=lambda r: r["role"] != "passenger")  # stable: names stay in order
    hits = traveller_hits(conn, [r["id"] for r in rows], datasets)
    travellers = tuple(
        ManifestTraveller(r, tuple(hits.get(r["id"], ())), documents_of(r)) for r in rows
    )
    return FlightManifest(found, travellers)


def documents_of(row: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """A traveller row's documents (a JSON list kept with it); none when unreadable."""
    try:
        found = json.loads(row.get("documents") or "[]")
    except (TypeError, ValueError):
        return ()
    return tuple(d for d in found if isinstance(d, dict)) if isinstance(found, list) else ()


def traveller_hits(
    conn: Connection, ids: Iterable[str], datasets: Collection[str] | None
) -> dict[str, list[TravellerHit]]:
    """The readable hits of travellers (by traveller id), open ones first, best score
    first."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = (
        select(traveller.c.id.label("traveller_id"), hit)
        .select_from(traveller)
        .join(screening_subject, _subject_of_traveller())
        .join(hit, hit.c.subject_id == screening_subject.c.id)
        .where(traveller.c.id.in_(wanted), *_readable_hits(datasets))
        .order_by(hit.c.score.desc(), hit.c.id)
    )
    found: dict[str, list[TravellerHit]] = {}
    for row in conn.execute(query):
        m = row._mapping
        found.setdefault(m["traveller_id"], []).append(
            TravellerHit(
                m["id"],
                m["kind"],
                m["status"],
                float(m["score"]),
                m["matched_name"],
                m["watchlist"],
            )
        )
    for listed in found.values():
        listed.sort(key=lambda h: not h.is_open)
    return found
