"""The demo's passenger information unit: yesterday's arrivals at Al-Marfa airport.

Four flights land at the country's hub (``MRF``, a fictional code), each sent as an API
manifest (PAXLST) and three PNR pushes (48 h and 24 h before departure, and at departure),
received when an airline sends them. Most travellers are ordinary people of the demo's
world; four bookings are the story:

* the criminal broker travels with a member of the cell, in one booking (co-travel);
* the document forger travels with a smuggler of the network, in one booking;
* a person on the UN Security Council list flies under the listed name and birth date;
* a traveller carries a passport that the police's list of lost and stolen documents holds,
  booked the evening before and paid in cash, one way, so the demo's targeting rule finds
  the booking too.

Everything is derived from the scenario's seed and the day of the flights, so the same day
gives the same files.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from followthemoney.statement.entity import StatementEntity

from rasid.access.policy import share_dataset
from rasid.data import un_sc_path
from rasid.demo.build import ACTOR, ProgressFactory, load_plan
from rasid.demo.names import ascii_upper, passport
from rasid.demo.scenario import DEFAULT_SEED
from rasid.demo.story import Story
from rasid.demo.travelmsg import Booking, Flight, Traveller, card_number, locator, paxlst, pnrgov
from rasid.demo.world import NATIONALITIES, Human
from rasid.ingest.records import ReadContext, Source
from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.ingest.unsc import read_un_sc
from rasid.model.markings import Marking
from rasid.store import Store
from rasid.travel.rules import RuleDraft, create_rule, list_rules
from rasid.travel.screening import Arrivals, recheck_documents, screen_arrivals

HUB = "MRF"  # Al-Marfa international airport (fictional)
# (carrier, number, origin, departure hour UTC, flight hours, aircraft)
FLIGHTS = (
    ("TK", "784", "IST", 7, 3, "321"),
    ("MS", "612", "CAI", 9, 2, "738"),
    ("EK", "953", "DXB", 12, 3, "77W"),
    ("RJ", "410", "AMM", 15, 1, "320"),
)
PUSHES = (("48h", 48), ("24h", 24), ("dep", 0))
OFFICES = ("TRAVEL CENTRE", "AL NOOR TRAVEL", "SKY TOURS", "WEB")
LOST_DOCUMENTS = 150  # entries of the lost and stolen documents list
RULE_NAME = "Late one-way cash bookings"


@dataclass(frozen=True)
class TravelFile:
    """One message as the unit receives it: where it is, its format and when it came."""

    path: Path
    fmt: str  # paxlst or pnrgov
    received_at: datetime


@dataclass(frozen=True)
class TravelDay:
    """The files of the day, in order of receipt, and the list of lost documents."""

    files: list[TravelFile]
    documents: Path
    lost_passport: str  # the listed passport a traveller carries


def _traveller(human: Human, rng: random.Random, day: date) -> Traveller:
    code = human.nationality
    given, surname = passport(human.name, code, rng)
    alpha3 = NATIONALITIES[code][0]
    expiry = day + timedelta(days=rng.randrange(200, 3000))
    sex = "F" if human.female else "M"
    return Traveller(surname, given, sex, human.birth, alpha3, human.passport, alpha3, expiry)


def un_traveller(day: date) -> Traveller:
    """A listed person of the UN list as a passport would print them: the first listed
    individual with a Latin name of three parts or more, a full birth date and a known
    nationality (the list is public; the demo only books them on a flight)."""
    for item in read_un_sc(Source(un_sc_path(), "un"), ReadContext("un_sc")):
        if not isinstance(item, StatementEntity) or item.schema.name != "Person":
            continue
        parts = ascii_upper(min(item.get("name"), default="")).replace("-", " ").split()
        births = sorted(b for b in item.get("birthDate") if len(b) == 10)
        codes = [c for c in sorted(item.get("nationality")) if c in NATIONALITIES]
        if len(parts) < 3 or not births or not codes:
            continue
        alpha3 = NATIONALITIES[codes[0]][0]
        born = date.fromisoformat(births[0])
        expiry = day + timedelta(days=900)
        given, surname = " ".join(parts[:-1]), parts[-1]
        return Traveller(surname, given, "M", born, alpha3, "R4471902", alpha3, expiry)
    raise RuntimeError("the UN list has no person the demo can book")  # pragma: no cover


def build_flights(day: date, seed: int = DEFAULT_SEED) -> tuple[list[Flight], Traveller]:
    """The day's flights with their bookings, and the traveller carrying a lost passport."""
    rng = random.Random(f"{seed}-travel-{day.isoformat()}")
    world = Story(random.Random(seed)).build()
    cell, net, brokers = world.role("cell"), world.role("network"), world.role("broker")
    ordinary = [h for h in world.people if h.role == "background"]
    rng.shuffle(ordinary)
    flights = []
    for airline, number, origin, hour, hours, aircraft in FLIGHTS:
        departure = datetime.combine(day, time(hour))
        arrival = departure + timedelta(hours=hours)
        flights.append(Flight(airline, number, origin, HUB, departure, arrival, aircraft))
    serial = iter(range(1, 10_000))

    def book(flight: Flight, people: list[Traveller], hours_before: float, cash: bool) -> None:
        number = next(serial)
        created = flight.departure - timedelta(hours=hours_before)
        card = "" if cash else card_number(rng)
        office = rng.choice(OFFICES)
        seats = [f"{rng.randint(5, 35)}{rng.choice('ABCDEF')}" for _ in people]
        code = locator(number, seed)
        flight.bookings.append(Booking(number, code, created, people, office, card, [], seats))

    for index, flight in enumerate(flights):
        for _ in range(rng.randint(14, 20)):
            group = [ordinary.pop() for _ in range(rng.choice((1, 1, 1, 2, 3)))]
            travellers = [_traveller(h, rng, day) for h in group]
            book(flight, travellers, rng.uniform(60, 900), cash=rng.random() < 0.1)
        if index == 0:
            pair = [_traveller(brokers[0], rng, day), _traveller(cell[2], rng, day)]
            book(flight, pair, 120, cash=False)
        elif index == 1:
            pair = [_traveller(brokers[1], rng, day), _traveller(net[2], rng, day)]
            book(flight, pair, 200, cash=False)
        elif index == 2:
            book(flight, [un_traveller(day)], 300, cash=False)
    holder = _traveller(ordinary.pop(), rng, day)
    book(flights[3], [holder], 14, cash=True)
    return flights, holder


def lost_documents(carried: Traveller, seed: int = DEFAULT_SEED) -> list[dict[str, object]]:
    """The police's list of lost and stolen travel documents as FtM Passport entities:
    invented numbers, and the passport a traveller carries."""
    rng = random.Random(f"{seed}-lost-documents")
    codes = sorted(NATIONALITIES)
    found = []
    for i in range(LOST_DOCUMENTS):
        number = f"{rng.choice('ABCNPR')}{rng.randrange(10**7):07d}"
        country = rng.choice(codes)
        found.append(_document(f"lost-{i:04d}", number, country, "lost"))
    country = next(c for c, v in NATIONALITIES.items() if v[0] == carried.document_country)
    found.append(_document("lost-stolen-1", carried.document, country, "stolen"))
    return found


def _document(key: str, number: str, country: str, status: str) -> dict[str, object]:
    return {
        "id": f"ltd-{key}",
        "schema": "Passport",
        "properties": {
            "number": [number],
            "country": [country],
            "type": ["passport"],
            "summary": [f"reported {status}"],
        },
    }


def write_travel_day(folder: Path, day: date, seed: int = DEFAULT_SEED) -> TravelDay:
    """Write the day's messages and the lost documents list into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    flights, holder = build_flights(day, seed)
    rng = random.Random(f"{seed}-messages-{day.isoformat()}")
    files: list[TravelFile] = []
    for flight in flights:
        for push, hours in PUSHES:
            received = flight.departure - timedelta(hours=hours, minutes=-5)
            path = folder / f"{flight.name}-pnr-{push}.edi"
            text, _ = pnrgov(flight, push, received, f"{len(files) + 1:06d}", rng)
            path.write_text(text)
            files.append(TravelFile(path, "pnrgov", received))
        received = flight.departure + timedelta(minutes=20)
        path = folder / f"{flight.name}-api.edi"
        path.write_text(paxlst(flight, received, f"{len(files) + 1:06d}"))
        files.append(TravelFile(path, "paxlst", received))
    documents = folder / "lost_documents.ftm.jsonl"
    lines = (json.dumps(d, ensure_ascii=False) for d in lost_documents(holder, seed))
    documents.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files.sort(key=lambda f: (f.received_at, f.path.name))
    return TravelDay(files, documents, holder.document)


# --- loading the day into the demo database -------------------------------------------------

TRAVEL_AGENCY = "border_police"  # the passenger information unit sits with the border police
RULE_OWNER = "supervisor.border"


def travel_requests(day: TravelDay) -> list[IngestRequest]:
    """The imports of the day: the lost documents list first, then every message in order
    of receipt, each into its dataset (created on first use, as the plan describes it)."""
    plan = {d["name"]: d for d in load_plan()["travel"]}
    found = [_request(plan["lost_documents"], day.documents, "ftm", None)]
    for f in day.files:
        name = "piu_api" if f.fmt == "paxlst" else "piu_pnr"
        found.append(_request(plan[name], f.path, f.fmt, f.received_at))
    return found


def _request(d: dict[str, Any], path: Path, fmt: str, received: datetime | None) -> IngestRequest:
    return IngestRequest(
        location=str(path),
        dataset=d["name"],
        fmt=fmt,
        agency=d["agency"],
        title=d["title"],
        purpose=d["purpose"],
        legal_basis=d["legal_basis"],
        marking=Marking.parse(d["default_marking"]),
        retention_class=d.get("retention_class"),
        kind=d.get("kind", "source"),
        received_at=received,
    )


def demo_rule(store: Store, today: date) -> None:
    """The PIU's targeting rule (late one-way cash bookings), unless it exists; its owner,
    the border police's supervisor, must be a user already."""
    with store.uow() as uow:
        if any(r.name == RULE_NAME for r in list_rules(uow.conn)):
            return
        draft = RuleDraft(
            name=RULE_NAME,
            owner=RULE_OWNER,
            justification=(
                "Couriers in closed smuggling cases booked one-way tickets in cash on the "
                "eve of departure; the unit reviews such bookings before arrival."
            ),
            review_date=today + timedelta(days=180),
            criteria={
                "all": [
                    {"field": "payment_type", "op": "in", "value": "cash"},
                    {"field": "booked_hours_before_departure", "op": "lt", "value": 24},
                    {"field": "one_way", "op": "is", "value": True},
                ]
            },
            description="Cash, one way, booked less than a day before departure.",
        )
        create_rule(uow.conn, draft, RULE_OWNER, today=today)


def load_travel_day(
    store: Store, folder: Path, today: date, progress: ProgressFactory | None = None
) -> tuple[list[Summary], list[Arrivals]]:
    """Write yesterday's arrivals into ``folder`` and import them as the unit would have
    received them: the rule and the lost documents list first, then each message,
    screened on arrival (hits go to the review queue). Users must exist (the rule's owner)."""
    day = write_travel_day(folder, today - timedelta(days=1))
    demo_rule(store, today)
    summaries, screened = [], []
    for request in travel_requests(day):
        if progress is None:
            summary = ingest(store, request)
        else:
            with progress(Path(request.location).name) as callback:
                summary = ingest(store, request, callback)
        summaries.append(summary)
        if summary.nothing_read:
            continue
        if request.kind == "documents":
            screened.append(recheck_documents(store, summary.dataset, summary.run_id))
        else:
            screened.append(screen_arrivals(store, summary.run_id, today=today))
    with store.uow() as uow:
        share_dataset(uow.conn, "lost_documents", "*", ACTOR)
    return summaries, screened
