"""A PNR and an API message received on "day 0" (the day the test imports them), and the
days retention counts from it; hits on travellers as the travel screening records them."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from rasid.access.accounts import get_user
from rasid.access.policy import Principal, visibility
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.retention import Period
from rasid.screen.hits import decide, record_batch
from rasid.screen.model import Match, Subject
from rasid.store import Store
from rasid.store.tables import hit, statement, travel_message, traveller
from rasid.store.visibility import Visibility
from tests.travel.helpers import API_UA988, DOCO, sample

PNR, API = "piu_pnr", "piu_api"
AGENCY = "piu"
SIX_MONTHS, FIVE_YEARS = Period(months=6), Period(years=5)
ONE_DAY = timedelta(days=1)
# What the PNR says of its one traveller, and what must never show once masked.
NAMES = ("ACKARY", "CHARLESMR")
SECRETS = ("ACKARY", "CHARLES", "602120901", "8675309", "yahoo.com", "64885200435", "1948-12-26")


@dataclass(frozen=True)
class Loaded:
    """What the test imported, and when."""

    day0: date
    pnr_person: str  # the PNR traveller's Person entity
    api_person: str

    @property
    def masked_on(self) -> date:
        """The day the PNR data is masked from."""
        return SIX_MONTHS.after(self.day0)

    @property
    def deleted_on(self) -> date:
        """The day the PNR data is deleted from."""
        return FIVE_YEARS.after(self.day0)


def load_travel(store: Store, folder: Path) -> Loaded:
    """Import the DOCO sample PNR (one traveller on three flights) into ``piu_pnr`` (class
    pnr) and an API manifest of its last flight into ``piu_api`` (class api)."""
    pnr, api = folder / "doco.edi", folder / "api.edi"
    pnr.write_bytes(sample(DOCO))
    api.write_bytes(API_UA988)
    ingest(store, IngestRequest(str(pnr), PNR, agency=AGENCY))
    ingest(store, IngestRequest(str(api), API, agency=AGENCY))
    with store.uow() as uow:
        received = uow.conn.execute(select(func.min(travel_message.c.received_at))).scalar_one()
        people = dict(
            uow.conn.execute(
                select(statement.c.dataset, statement.c.entity_id).where(
                    statement.c.schema == "Person", statement.c.prop == "id"
                )
            ).all()
        )
    return Loaded(received.date(), people[PNR], people[API])


def at(day: date, hour: int = 12) -> datetime:
    """A time on ``day`` (naive UTC)."""
    return datetime.combine(day, time(hour))


def principal(store: Store, name: str) -> Principal:
    """The user ``name`` as a caller."""
    with store.uow() as uow:
        user = get_user(uow.conn, name)
    assert user is not None
    return Principal(user)


def seen_by(store: Store, name: str, now: datetime) -> Visibility:
    """What ``name`` may read at ``now`` (masking included)."""
    who = principal(store, name)
    with store.uow() as uow:
        return visibility(uow.conn, who, now)


def traveller_ids(store: Store, dataset: str) -> list[str]:
    """The dataset's traveller rows, by id."""
    with store.uow() as uow:
        query = select(traveller.c.id).where(traveller.c.dataset == dataset)
        return sorted(uow.conn.scalars(query.order_by(traveller.c.id)))


def hit_on(store: Store, traveller_id: str, dataset: str, status: str) -> int:
    """A hit on a traveller as the travel screening records it (subject of source travel,
    external id the traveller's), decided to ``status`` unless that is new; its id."""
    subject = Subject(traveller_id, "CHARLES ACKARY", "1948-12-26")
    match = Match("un-1", 0.93, True, "Charles Ackary")
    with store.uow() as uow:
        record_batch(uow.conn, [(subject, [match])], "travel", {"un-1": "un_sc"}, dataset)
        hit_id = int(uow.conn.execute(select(func.max(hit.c.id))).scalar_one())
        if status != "new":
            decide(uow.conn, hit_id, status, "piu.officer", f"{status} after review")
    return hit_id
