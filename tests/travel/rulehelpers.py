"""What the targeting-rule tests share: the sample travel files in a store, a PIU officer to
own rules, and a justification long enough to pass."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from rasid.access.accounts import Role, add_user
from rasid.access.registry import ensure_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.store import Store
from rasid.store.tables import flight, traveller
from rasid.travel.rules import RuleDraft
from tests.travel.helpers import DATA_DIR, SAMPLES

DATASET = "piu_travel"
AGENCY = "piu"
OWNER = "officer"
JUSTIFICATION = (
    "Couriers in three closed cases booked one-way tickets in cash within a day of departure "
    "on this route; the unit reviews such bookings before arrival."
)
LATE_CASH = {
    "all": [
        {"field": "payment_type", "op": "in", "value": "cash"},
        {"field": "booked_hours_before_departure", "op": "lt", "value": 150},
    ]
}


def review_in(days: int = 90, today: date | None = None) -> date:
    """A review date ``days`` after ``today`` (the real today by default)."""
    return (today or date.today()) + timedelta(days=days)


def draft(criteria: object = None, today: date | None = None, **changes: Any) -> RuleDraft:
    """A rule the officer may save (late cash bookings unless other criteria are given)."""
    values: dict[str, Any] = {
        "name": "Late cash bookings",
        "owner": OWNER,
        "justification": JUSTIFICATION,
        "review_date": review_in(90, today),
        "criteria": LATE_CASH if criteria is None else criteria,
    }
    return RuleDraft(**(values | changes))


def add_officer(store: Store, name: str = OWNER, agency: str = AGENCY) -> str:
    """A PIU officer of ``agency`` (added with the agency if need be)."""
    with store.uow() as uow:
        ensure_agency(uow.conn, agency)
        add_user(uow.conn, name, agency, Role.PIU_OFFICER, "test", password="a long passphrase!")
    return name


def load_samples(store: Store, names: tuple[str, ...] = SAMPLES) -> list[str]:
    """Import sample travel files into the PIU's dataset; the ids of its traveller rows."""
    for name in names:
        request = IngestRequest(str(DATA_DIR / name), DATASET, agency=AGENCY)
        ingest(store, request)
    with store.uow() as uow:
        query = select(traveller.c.id).where(traveller.c.dataset == DATASET)
        return [str(r.id) for r in uow.conn.execute(query.order_by(traveller.c.id))]


def traveller_ids(store: Store, surname: str, flight_number: str | None = None) -> list[str]:
    """The traveller rows of a surname (on one flight number, given as carrier+number)."""
    query = (
        select(traveller.c.id, flight.c.carrier, flight.c.flight_number)
        .join(flight, traveller.c.flight_id == flight.c.id)
        .where(traveller.c.surname == surname)
    )
    with store.uow() as uow:
        rows = uow.conn.execute(query).all()
    return [str(r.id) for r in rows if flight_number in (None, f"{r.carrier}{r.flight_number}")]
