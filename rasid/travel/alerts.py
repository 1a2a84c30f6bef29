"""Alerts to border and police agencies: only for a traveller hit a person confirmed.

Screening and rules only propose. When a PIU officer confirms a hit on a traveller, Rasid
sends an intelligence report through the exchange module (``rasid.exchange.messages``) to
the agencies that act on travellers: those named in ``RASID_TRAVEL_ALERT_AGENCIES``, else
every agency of kind border or police other than the officer's. The report carries the
traveller's flight, booking reference and documents, the reasons for the hit and the
officer's reason, with the traveller's entity (and the listed one) attached, under the
travel dataset's marking; the exchange discloses to the recipients exactly the statements
it carries and records receipts. A dismissed or open hit sends nothing.
"""

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from rasid.access.policy import Principal
from rasid.access.registry import get_dataset, list_agencies
from rasid.exchange.messages import SUBJECT_MAX, Draft, Kind, Message, Recipient, send
from rasid.model.gradings import get_scale
from rasid.model.markings import Marking
from rasid.screen.hits import HitRecord, HitStatus, decide
from rasid.settings import get_settings
from rasid.store.tables import flight, traveller
from rasid.travel.screening import SOURCE

ACTING_KINDS = frozenset({"border", "police"})  # agency kinds that receive alerts
KIND_TITLES = {
    "name": "watchlist match",
    "document": "listed lost/stolen document",
    "rule": "targeting rule",
}


def alert_recipients(conn: Connection, sender_agency: str) -> list[Recipient]:
    """The agencies a confirmed traveller hit is sent to (never the sender's own)."""
    named = [a.strip() for a in get_settings().travel_alert_agencies.split(",") if a.strip()]
    if named:
        return [Recipient(a) for a in dict.fromkeys(named) if a != sender_agency]
    return [
        Recipient(a.name)
        for a in list_agencies(conn)
        if a.kind in ACTING_KINDS and a.name != sender_agency
    ]


def traveller_on_flight(conn: Connection, traveller_id: str) -> Any:
    """A traveller row with its flight's carrier, number, airports and date (None when the
    traveller is gone, e.g. deleted by retention)."""
    query = (
        select(traveller, flight.c.carrier, flight.c.flight_number, flight.c.departure_airport,
               flight.c.arrival_airport, flight.c.departure_date)
        .select_from(traveller.outerjoin(flight, flight.c.id == traveller.c.flight_id))
        .where(traveller.c.id == traveller_id)
    )  # fmt: skip
    return conn.execute(query).first()


def flight_code(row: Any) -> str:
    """``XY123 CAI-DXB``: a traveller row's flight, as codes (the row has a carrier)."""
    return f"{row.carrier}{row.flight_number} {row.departure_airport}-{row.arrival_airport}"


def flight_text(row: Any) -> str:
    """``XY123 CAI-DXB on 2024-03-05``, or "flight unknown"."""
    if row.carrier is None:
        return "flight unknown"
    return f"{flight_code(row)} on {row.departure_date}"


def _body(hit: HitRecord, row: Any, reason: str) -> str:
    """The report's text: who, which flight, what was matched and why, who decided."""
    documents = [
        f"{d.get('type') or 'document'} {d['number']} ({d.get('issuing_state') or '?'})"
        for d in json.loads(row.documents or "[]")
        if d.get("number")
    ]
    lines = [
        f"Traveller: {row.given_names} {row.surname}".rstrip(),
        f"Born: {row.birth_date or 'unknown'}; nationality: {row.nationality or 'unknown'}",
        f"Flight: {flight_text(row)}; seat {row.seat or '-'}; "
        f"booking {row.booking_reference or '-'} (from {row.source.upper()})",
        f"Documents: {', '.join(documents) or 'none given'}",
        f"Hit {hit.id}: {KIND_TITLES.get(hit.kind, hit.kind)}: {hit.matched_name} "
        f"(score {hit.score:.2f}, list {hit.watchlist or '-'})",
        "Reasons:",
        *(f"- {r.feature}: {r.detail}" for r in hit.explanation),
        f"Confirmed by {hit.history[-1].reviewer if hit.history else '?'}: {reason}",
    ]
    return "\n".join(lines)


def send_alert(conn: Connection, principal: Principal, hit: HitRecord) -> Message | None:
    """Send the alert for a confirmed traveller hit; None for any other hit, or when no
    agency is there to receive it."""
    if hit.status is not HitStatus.CONFIRMED or hit.subject.source != SOURCE:
        return None
    row = traveller_on_flight(conn, hit.subject.external_id or "")
    recipients = alert_recipients(conn, principal.agency)
    if row is None or not recipients:
        return None
    dataset = get_dataset(conn, row.dataset)
    source_grade, info_grade = get_scale(get_settings().grading_scale).system
    reason = hit.history[-1].reason if hit.history else ""
    entities = [row.entity_id] + ([hit.entity_id] if hit.kind != "rule" else [])
    draft = Draft(
        kind=Kind.REPORT,
        subject=f"Traveller alert: {row.given_names} {row.surname}, {flight_text(row)}"[
            :SUBJECT_MAX
        ],
        body=_body(hit, row, reason),
        recipients=recipients,
        marking=dataset.default_marking if dataset else Marking.AMBER,
        source_grade=source_grade,
        info_grade=info_grade,
        entity_ids=entities,
    )
    return send(conn, principal, draft)


def decide_and_alert(
    conn: Connection,
    principal: Principal,
    hit_id: int,
    to_status: str,
    reason: str,
    datasets: Iterable[str] | None = None,
) -> tuple[HitRecord, Message | None]:
    """A reviewer's decision on a hit (``rasid.screen.hits.decide``) and, when it confirms
    a traveller hit, the alert it sends: both in the caller's transaction, so a decision
    whose alert cannot be sent is not recorded either."""
    found = decide(conn, hit_id, to_status, principal.name, reason, datasets)
    return found, send_alert(conn, principal, found)
