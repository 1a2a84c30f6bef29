"""A synthetic day at a hub airport, as the files a passenger information unit receives.

``generate(spec, directory)`` writes, deterministically for a seed:

* ``api/*.edi``: one UN/EDIFACT PAXLST manifest per flight (D:05B, in a UNG group; a flight
  with more than ``API_PART_SIZE`` passengers is sent as one message split in parts);
* ``pnr/*.edi``: three PNRGOV pushes per flight (11:1): 48 h and 24 h before departure and
  at departure. A booking is in a push once it exists (some are made at the last minute);
  seats come with the 24 h push, check-in with the last;
* ``lists/national.ftm.jsonl``: a national watchlist of FtM ``Person`` entities (Latin and
  Arabic-script names, birth date, nationality, gender);
* ``lists/documents.ftm.jsonl``: lost and stolen travel documents as FtM ``Passport``
  entities (number, issuing country, type);
* ``day.json``: the files in order of receipt, the counts, and the planted travellers: a
  small share who are on the UN list or the national list, or carry a listed document, so
  that screening has something to find.

Half the travellers have Arabic-origin names as passports print them (``rasid.demo.names``),
the others names of other origins. Some bookings carry special meal, wheelchair or medical
requests, which the safeguard on receipt must remove.
"""

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from followthemoney.statement.entity import StatementEntity
from rigour.territories import get_territory

from rasid.data import un_sc_path
from rasid.demo import names as demo
from rasid.demo.travelmsg import (
    Booking,
    Flight,
    Traveller,
    card_number,
    locator,
    paxlst,
    pnrgov,
)
from rasid.ingest.records import ReadContext, Source
from rasid.ingest.unsc import read_un_sc

SEED = 20261201
PUSHES = (("48h", 48), ("24h", 24), ("dep", 0))  # PNR pushes: name, hours before departure
PLANT_RATES = {"un": 0.0003, "national": 0.001, "document": 0.0005}  # shares of travellers
PLANT_MIN = 3  # planted travellers of each kind, at least


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


AIRPORTS = _words(
    "LHR CDG FRA IST CAI AMM BEY JED RUH KWI BAH MCT DOH BGW EBL TUN ALG CMN KRT ADD NBO "
    "KHI LHE ISB DEL BOM DAC CMB KTM MNL CGK KUL BKK SIN HKG PEK ICN NRT SYD JNB LOS ACC "
    "DSS MAD FCO AMS BRU ZRH VIE ATH MXP MUC CPH ARN OSL WAW SVO JFK IAD ORD YYZ GRU THR"
)
CARRIERS = _words("HB EK QR TK MS RJ SV GF WY KU LH AF BA ET KQ PK AI UL SQ MH")
AIRCRAFT = ("320", "321", "738", "77W", "789", "333", "388")
SEAT_LETTERS = "ABCDEFHJK"
# Arab states as ISO 3166 alpha-2 (what rasid.demo.names takes) and alpha-3 (what PAXLST
# and SSR DOCS carry).
ARAB = dict(
    pair.split(":")
    for pair in _words(
        "iq:IRQ sy:SYR sa:SAU eg:EGY jo:JOR lb:LBN ye:YEM ly:LBY tn:TUN dz:DZA ma:MAR "
        "mr:MRT sd:SDN so:SOM ps:PSE kw:KWT ae:ARE qa:QAT om:OMN bh:BHR"
    )
)
# Other origins: male given names | female given names | surnames | nationalities (alpha-3).
OTHER_ORIGINS = tuple(
    tuple(_words(group) for group in origin.split("|"))
    for origin in (
        "IMRAN BILAL FAISAL KAMRAN RAHUL ARJUN SANJAY|AYESHA SANA PRIYA ANJALI NADIA"
        "|KHAN CHAUDHRY QURESHI SHARMA PATEL SINGH RAHMAN|PAK IND BGD",
        "KWAME CHUKWUMA OLUWASEUN MAMADOU IBRAHIMA|AMINATA NGOZI FATOU ABENA"
        "|OKAFOR MENSAH DIALLO TRAORE ADEYEMI BALDE|NGA GHA SEN MLI",
        "JOHN PIERRE HANS MARCO LUCAS DAVID JAN|MARIA ELENA SOFIA ANNA CLAIRE EVA"
        "|SMITH MULLER ROSSI DUBOIS JANSEN NOVAK GARCIA SILVA|GBR FRA DEU ITA NLD ESP",
        "WEI HIROSHI MINHO JUNWEI TAKESHI|MEI YUKI JIYEON XIAOLING"
        "|WANG LI ZHANG TANAKA SATO KIM PARK NGUYEN|CHN JPN KOR VNM",
        "MEHMET ALI REZA EMRE HOSSEIN|AYSE ZEYNEP MARYAM ELIF"
        "|YILMAZ KAYA DEMIR AHMADI HOSSEINI KARIMI|TUR IRN AZE",
    )
)
# Special service requests the safeguard on receipt removes (meals, wheelchair, medical).
SENSITIVE_SSRS = ("VGML", "MOML", "KSML", "HNML", "WCHR", "MEDA")
OFFICES = ("TRAVEL CENTRE", "SKY TOURS", "GULF TRAVEL", "AL NOOR TRAVEL", "WEB")


def alpha3(code: str) -> str:
    """The ISO 3166 alpha-3 code of an alpha-2 one ("" when unknown)."""
    if code in ARAB:
        return ARAB[code]
    territory = get_territory(code)
    return (territory.alpha3 or "").upper() if territory is not None else ""


# --- the day's people and flights ----------------------------------------------------------


@dataclass(frozen=True)
class DaySpec:
    """How big the day is and where it happens."""

    travellers: int = 300_000
    flights: int = 2_000
    national: int = 100_000  # names on the national watchlist
    documents: int = 1_000_000  # lost and stolen documents listed
    seed: int = SEED
    day: date = date(2026, 12, 1)
    hub: str = "DXB"

    @classmethod
    def scaled(cls, scale: float, seed: int = SEED) -> "DaySpec":
        """The full day times ``scale`` (at least one traveller per flight)."""
        full = cls()
        flights = max(1, round(full.flights * scale))
        return cls(
            travellers=max(flights, round(full.travellers * scale)),
            flights=flights,
            national=max(10, round(full.national * scale)),
            documents=max(10, round(full.documents * scale)),
            seed=seed,
        )


def flight_sizes(spec: DaySpec) -> list[int]:
    """Passengers per flight: uneven (regional jets to wide bodies), summing to the total."""
    rng = random.Random(f"{spec.seed}-sizes")
    weights = [rng.choice((0.5, 0.8, 1.0, 1.0, 1.3, 1.8)) for _ in range(spec.flights)]
    total = sum(weights)
    sizes = [max(1, int(spec.travellers * w / total)) for w in weights]
    i = 0
    while sum(sizes) != spec.travellers:  # spread the rounding over the flights
        step = 1 if sum(sizes) < spec.travellers else -1
        if sizes[i % len(sizes)] + step >= 1:
            sizes[i % len(sizes)] += step
        i += 1
    return sizes


def _birth(rng: random.Random) -> date:
    return date(1945, 1, 1) + timedelta(days=rng.randrange(22_600))  # to the end of 2006


class _People:
    """Travellers drawn from one flight's generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def arab(self, female: bool) -> Traveller:
        code = self.rng.choice(list(ARAB))
        given, surname = demo.passport(demo.compose(self.rng, female, code), code, self.rng)
        return self.traveller(surname, given, female, ARAB[code])

    def other(self, female: bool) -> Traveller:
        males, females, surnames, countries = self.rng.choice(OTHER_ORIGINS)
        given = self.rng.choice(females if female else males)
        if self.rng.random() < 0.3:
            given = " ".join(self.rng.sample(females if female else males, 2))
        surname = self.rng.choice(surnames)
        return self.traveller(surname, given, female, self.rng.choice(countries))

    def traveller(self, surname: str, given: str, female: bool, country: str) -> Traveller:
        # Travellers' own document numbers start A-M, listed ones N-Z: only planted ones match.
        document = f"{self.rng.choice('ABCDEFGHJKLM')}{self.rng.randrange(10**8):08d}"
        expiry = date(2027, 1, 1) + timedelta(days=self.rng.randrange(3650))
        sex = "F" if female else "M"
        return Traveller(surname, given, sex, _birth(self.rng), country, document, country, expiry)

    def party(self, size: int) -> list[Traveller]:
        """The travellers of one booking; most bookings of several are one family."""
        family = size > 1 and self.rng.random() < 0.6
        arab = self.rng.random() < 0.5
        party = [self.arab(self.rng.random() < 0.4) if arab else self.other(False)]
        for _ in range(size - 1):
            female = self.rng.random() < 0.5
            same = arab if family else self.rng.random() < 0.5
            member = self.arab(female) if same else self.other(female)
            if family:
                member.surname, member.nationality = party[0].surname, party[0].nationality
                member.document_country = member.nationality
            party.append(member)
        return party


def schedule(spec: DaySpec, index: int, rng: random.Random, numbers: dict[str, int]) -> Flight:
    """Flight ``index``: an arrival at the hub when odd, a departure when even, at a time
    spread over the day."""
    carrier = CARRIERS[min(int(rng.expovariate(0.25)), len(CARRIERS) - 1)]
    numbers[carrier] = numbers.get(carrier, rng.randrange(100, 900)) + 1
    other = AIRPORTS[min(int(rng.expovariate(0.06)), len(AIRPORTS) - 1)]
    moment = datetime.combine(spec.day, datetime.min.time())
    moment += timedelta(minutes=rng.randrange(24 * 60))
    hours = timedelta(minutes=rng.randrange(60, 14 * 60))
    if index % 2:
        origin, destination, departure = other, spec.hub, moment - hours
    else:
        origin, destination, departure = spec.hub, other, moment
    return Flight(
        carrier, str(numbers[carrier]), origin, destination, departure, departure + hours,
        rng.choice(AIRCRAFT),
    )  # fmt: skip


def add_bookings(flight: Flight, size: int, rng: random.Random, serial: Iterator[int]) -> None:
    """Fill the flight with ``size`` travellers in bookings of one to four, each booked
    some days ahead (6 % at the last minute), with seats in booking order."""
    people = _People(rng)
    seats = (f"{row}{letter}" for row in range(1, 10_000) for letter in SEAT_LETTERS)
    left = size
    while left > 0:
        size_of_party = min(left, rng.choices((1, 2, 3, 4), (60, 25, 10, 5))[0])
        left -= size_of_party
        late = rng.random() < 0.06
        days = rng.uniform(0.05, 2.0) if late else 2.0 + rng.expovariate(1 / 30)
        number = next(serial)
        booking = Booking(
            number,
            locator(number, 7),
            (flight.departure - timedelta(minutes=int(days * 1440))),
            people.party(size_of_party),
            rng.choice(OFFICES),
            card_number(rng) if rng.random() < 0.7 else "",
        )
        booking.seats = [next(seats) for _ in booking.travellers]
        for i in range(size_of_party):
            if rng.random() < 0.05:
                booking.requests.append((i, rng.choice(SENSITIVE_SSRS)))
        flight.bookings.append(booking)


# --- lists and planted travellers ----------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """A traveller made to be someone listed, so that screening has something to find."""

    kind: str  # un, national, document
    flight: str
    surname: str
    given: str
    listed: str  # the listed name, or the listed document's number
    listed_id: str  # the listed entity's id in its FtM file ("" for the UN list)


@cache
def un_persons() -> tuple[tuple[str, str, str, str, str], ...]:
    """The UN list's persons as (given names, surname, birth date, nationality alpha-3,
    sex): those with a Latin name of two parts or more and a known nationality (read once)."""
    found = []
    for item in read_un_sc(Source(un_sc_path(), "un"), ReadContext("un_sc")):
        if not isinstance(item, StatementEntity) or item.schema.name != "Person":
            continue
        name = next(iter(item.get("name")), "")
        parts = demo.ascii_upper(name).replace("-", " ").split()
        nationality = next((alpha3(c) for c in item.get("nationality") if alpha3(c)), "")
        if len(parts) < 2 or not nationality or not name.isascii():
            continue
        birth = min(item.get("birthDate"), default="")
        sex = "F" if "female" in item.get("gender") else "M"
        found.append((" ".join(parts[:-1]), parts[-1], birth, nationality, sex))
    return tuple(found)


def national_entries(spec: DaySpec) -> Iterator[tuple[dict[str, Any], demo.PersonName, str]]:
    """The national watchlist as FtM entity dicts (Arabic-origin names in Latin script, a
    third also in Arabic script, with birth date, nationality and gender), each with the
    composed name and the nationality it was written from."""
    rng = random.Random(f"{spec.seed}-national")
    for number in range(spec.national):
        female = rng.random() < 0.2
        code = rng.choice(list(ARAB))
        name = demo.compose(rng, female, code)
        names = [demo.latin(name, rng.choice(("en", "fr", "en_short")), rng)]
        if rng.random() < 0.33:
            names.append(demo.arabic(name, rng))
        properties = {
            "name": names,
            "birthDate": [_birth(rng).isoformat()],
            "nationality": [code],
            "gender": ["female" if female else "male"],
            "topics": ["wanted"],
        }
        yield {"id": f"nat-{number:07d}", "schema": "Person", "properties": properties}, name, code


def document_entries(spec: DaySpec) -> Iterator[dict[str, Any]]:
    """Lost and stolen passports as FtM entity dicts: number, issuing country and type."""
    rng = random.Random(f"{spec.seed}-documents")
    countries = [*ARAB.values(), *(c for origin in OTHER_ORIGINS for c in origin[3])]
    for number in range(spec.documents):
        properties = {
            "number": [f"{rng.choice('NPQRSTUVWXYZ')}{rng.randrange(10**8):08d}"],
            "country": [rng.choice(countries).lower()],
            "type": ["P"],
        }
        yield {"id": f"lsd-{number:08d}", "schema": "Passport", "properties": properties}


class Plants:
    """Which travellers are planted (by flight and place on it), and who they become."""

    def __init__(self, spec: DaySpec, sizes: list[int]) -> None:
        self.rng = random.Random(f"{spec.seed}-plant")
        wanted = {k: max(PLANT_MIN, round(spec.travellers * r)) for k, r in PLANT_RATES.items()}
        wanted["national"] = min(wanted["national"], spec.national)
        wanted["document"] = min(wanted["document"], spec.documents)
        un = un_persons()
        wanted["un"] = min(wanted["un"], len(un))
        kinds = [k for k, n in wanted.items() for _ in range(n)][: spec.travellers]
        slots = self.rng.sample(range(spec.travellers), len(kinds))
        self.at = {self._place(slot, sizes): kind for slot, kind in zip(slots, kinds, strict=True)}
        self.wanted = {k: kinds.count(k) for k in wanted}
        self.un = self.rng.sample(un, self.wanted["un"])
        self.national: list[tuple[dict[str, Any], demo.PersonName, str]] = []
        self.documents: list[dict[str, Any]] = []
        self.found: list[Planted] = []

    @staticmethod
    def _place(slot: int, sizes: list[int]) -> tuple[int, int]:
        """A traveller's number as (flight, place on the flight)."""
        flight = 0
        while slot >= sizes[flight]:
            slot -= sizes[flight]
            flight += 1
        return flight, slot

    def apply(self, flight: Flight, index: int) -> None:
        """Make the planted travellers of flight ``index`` who they are meant to be."""
        for place, traveller in enumerate(flight.travellers):
            kind = self.at.get((index, place))
            if kind == "un":
                listed = self._un(traveller, self.un.pop())
            elif kind == "national":
                listed = self._national(traveller, *self.national.pop())
            elif kind == "document":
                listed = self._document(traveller, self.documents.pop())
            else:
                continue
            names = (traveller.surname, traveller.given)
            self.found.append(Planted(kind, flight.name, *names, *listed))

    def _un(self, traveller: Traveller, person: tuple[str, str, str, str, str]) -> tuple[str, str]:
        given, surname, birth, nationality, sex = person
        traveller.given, traveller.surname, traveller.sex = given, surname, sex
        traveller.nationality = traveller.document_country = nationality
        if len(birth) == 10:
            traveller.birth = date.fromisoformat(birth)
        elif len(birth) == 4:
            traveller.birth = date(int(birth), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return f"{given} {surname}", ""

    def _national(
        self, traveller: Traveller, entry: dict[str, Any], name: demo.PersonName, code: str
    ) -> tuple[str, str]:
        traveller.given, traveller.surname = demo.passport(name, code, self.rng)
        traveller.sex = "F" if name.female else "M"
        traveller.nationality = traveller.document_country = ARAB[code]
        traveller.birth = date.fromisoformat(entry["properties"]["birthDate"][0])
        return entry["properties"]["name"][0], entry["id"]

    def _document(self, traveller: Traveller, entry: dict[str, Any]) -> tuple[str, str]:
        traveller.document = entry["properties"]["number"][0]
        country = entry["properties"]["country"][0].upper()
        traveller.nationality = traveller.document_country = country
        return traveller.document, entry["id"]


def write_lists(spec: DaySpec, directory: Path, plants: Plants) -> dict[str, int]:
    """The national watchlist and the document list as FtM JSON lines; the entries to plant
    are handed to ``plants``."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{spec.seed}-pick")
    chosen = set(rng.sample(range(spec.national), plants.wanted["national"]))
    with (directory / "national.ftm.jsonl").open("w", encoding="utf-8") as fh:
        for i, (entry, name, code) in enumerate(national_entries(spec)):
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            if i in chosen:
                plants.national.append((entry, name, code))
    chosen = set(rng.sample(range(spec.documents), plants.wanted["document"]))
    with (directory / "documents.ftm.jsonl").open("w", encoding="utf-8") as fh:
        for i, entry in enumerate(document_entries(spec)):
            fh.write(json.dumps(entry) + "\n")
            if i in chosen:
                plants.documents.append(entry)
    return {"national": spec.national, "documents": spec.documents}


# --- the day -------------------------------------------------------------------------------

Progress = Callable[[int, int], None]  # (flights written, flights in all)


@dataclass
class Generated:
    """What ``generate`` wrote: the files in order of receipt, counts, planted travellers."""

    directory: Path
    files: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    planted: list[Planted] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``day.json``)."""
        return {
            "files": self.files,
            "counts": self.counts,
            "planted": [asdict(p) for p in self.planted],
            "seconds": round(self.seconds, 1),
        }


def generate(spec: DaySpec, directory: Path, progress: Progress | None = None) -> Generated:
    """Write the day's messages, lists and ``day.json`` under ``directory``."""
    started = time.perf_counter()
    out = Generated(directory)
    sizes = flight_sizes(spec)
    plants = Plants(spec, sizes)
    out.counts.update(write_lists(spec, directory / "lists", plants))
    for sub in ("api", "pnr"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    schedule_rng = random.Random(f"{spec.seed}-schedule")
    numbers: dict[str, int] = {}
    serial = iter(range(1, 10**9))
    counts = dict.fromkeys(COUNTED, 0)
    for index, size in enumerate(sizes):
        flight = schedule(spec, index, schedule_rng, numbers)
        rng = random.Random(f"{spec.seed}-flight-{index}")
        add_bookings(flight, size, rng, serial)
        plants.apply(flight, index)
        write_flight(flight, directory, out.files, rng, counts)
        if progress is not None:
            progress(index + 1, spec.flights)
    out.files.sort(key=lambda f: (f["received"], f["path"]))
    out.planted = plants.found
    out.counts.update(counts, flights=spec.flights, travellers=spec.travellers)
    out.counts.update({f"planted_{kind}": n for kind, n in plants.wanted.items()})
    out.seconds = time.perf_counter() - started
    (directory / "day.json").write_text(json.dumps(out.to_dict(), indent=1) + "\n")
    return out


# What write_flight counts, over the day.
COUNTED = (
    "api_files",
    "pnr_files",
    "bookings",
    "api_travellers",
    "pnr_bookings",  # bookings summed over the pushes
    "pnr_travellers",  # travellers summed over the pushes
    "sensitive_requests",  # special service requests summed over the pushes
)


def write_flight(
    flight: Flight, directory: Path, files: list[dict[str, str]], rng: random.Random,
    counts: dict[str, int],
) -> None:  # fmt: skip
    """The flight's three PNR pushes and its API manifest, each noted with when it arrives
    (the manifest a quarter of an hour after departure)."""
    counts["bookings"] += len(flight.bookings)
    for push, hours in PUSHES:
        received = flight.departure - timedelta(hours=hours)
        control = f"{len(files) + 1:010d}"
        text, bookings = pnrgov(flight, push, received, control, rng)
        path = Path("pnr") / f"{flight.name}-{push}.edi"
        (directory / path).write_text(text, encoding="utf-8")
        files.append(_file(path, "pnr", flight, received))
        counts["pnr_files"] += 1
        counts["pnr_bookings"] += len(bookings)
        counts["pnr_travellers"] += sum(len(b.travellers) for b in bookings)
        counts["sensitive_requests"] += sum(len(b.requests) for b in bookings)
    received = flight.departure + timedelta(minutes=15)
    path = Path("api") / f"{flight.name}.edi"
    text = paxlst(flight, received, f"{len(files) + 1:010d}")
    (directory / path).write_text(text, encoding="utf-8")
    files.append(_file(path, "api", flight, received))
    counts["api_files"] += 1
    counts["api_travellers"] += len(flight.travellers)


def _file(path: Path, kind: str, flight: Flight, received: datetime) -> dict[str, str]:
    """A file as ``day.json`` lists it: where, what, for which flight, when it arrives."""
    return {
        "path": str(path),
        "kind": kind,
        "flight": flight.name,
        "received": received.isoformat(),
    }
