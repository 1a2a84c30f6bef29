"""Flights, bookings and travellers written as the UN/EDIFACT messages a passenger
information unit receives (the demo's and the travel benchmark's):

* ``paxlst``: an API manifest (PAXLST D:05B in a UNG group, as US-style APIS feeds send it):
  the flight leg (TDT, LOC+125/87, DTM+189/232), then each passenger (NAD+FL, ATT, DTM+329,
  LOC+178/179, NAT, RFF+AVF booking, RFF+SEA seat, DOC passport with DTM+36 and LOC+91)
  and the passenger count (CNT+42). More than ``API_PART_SIZE`` passengers are sent as one
  message split in parts (UNH sequence ``01:C`` ... ``nn:F``), each repeating the flight.
* ``pnrgov``: a PNR push (PNRGOV 11:1): the flight (TVL), then each booking (SRC, RCI,
  DAT+700, ORG point of sale, per traveller TIF with an e-mail contact, SSR DOCS, special
  requests, TKT/MON and FOP; then the itinerary TVL with RPI and APD, seats from 24 h before
  departure, and at departure the check-in: DAT+2, TRI/TIF/SSD per traveller).

Data is escaped with the release character; segments end with ``'`` and a line break.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

PIU = "PIUHUB"  # the recipient of every message
API_PART_SIZE = 180  # passengers per PAXLST part
UNA = "UNA:+.? '"  # the default delimiters, said explicitly (the reserved character a space)
Element = str | tuple[str, ...]


@dataclass
class Traveller:
    """A passenger as their passport gives them."""

    surname: str
    given: str
    sex: str  # M, F
    birth: date
    nationality: str  # alpha-3
    document: str
    document_country: str  # alpha-3
    expiry: date


@dataclass
class Booking:
    """A PNR: its locator, when it was made, who travels and a few details."""

    serial: int
    locator: str
    created: datetime
    travellers: list[Traveller]
    office: str
    card: str  # "" when paid in cash
    requests: list[tuple[int, str]] = field(default_factory=list)  # (traveller, SSR code)
    seats: list[str] = field(default_factory=list)


@dataclass
class Flight:
    """One flight of the day, with its bookings."""

    carrier: str
    number: str
    origin: str
    destination: str
    departure: datetime
    arrival: datetime
    aircraft: str
    bookings: list[Booking] = field(default_factory=list)

    @property
    def name(self) -> str:
        """Carrier, number and departure date, as file names use them."""
        return f"{self.carrier}{self.number}-{self.departure:%Y%m%d}"

    @property
    def travellers(self) -> list[Traveller]:
        """Everyone booked, in booking order."""
        return [t for b in self.bookings for t in b.travellers]


def _esc(value: str) -> str:
    """Data with the service characters released (a ``?`` before each)."""
    for char in "?'+:":
        value = value.replace(char, "?" + char)
    return value


def seg(tag: str, *elements: Element) -> str:
    """One segment and its terminator; trailing empty components and elements left out."""
    parts = [tag]
    for element in elements:
        components = [element] if isinstance(element, str) else list(element)
        while components and not components[-1]:
            components.pop()
        parts.append(":".join(_esc(c) for c in components))
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return "+".join(parts) + "'"


def message(reference: str, kind: tuple[str, ...], body: list[str], *extra: Element) -> list[str]:
    """A message: UNH, its body, and the UNT counting every segment from UNH to UNT."""
    return [seg("UNH", reference, kind, *extra), *body, seg("UNT", str(len(body) + 2), reference)]


def _ymd(day: date | datetime) -> str:
    return f"{day:%y%m%d}"


def _dmy(moment: datetime) -> tuple[str, str]:
    return f"{moment:%d%m%y}", f"{moment:%H%M}"


def _stamp(moment: datetime) -> tuple[str, str]:
    return _ymd(moment), f"{moment:%H%M}"


# --- API ---------------------------------------------------------------------------------


def paxlst(flight: Flight, received: datetime, control: str) -> str:
    """The API manifest of a flight, sent at ``received`` with interchange ``control``."""
    people = [
        (t, b.locator, b.seats[i]) for b in flight.bookings for i, t in enumerate(b.travellers)
    ]
    parts = [people[i : i + API_PART_SIZE] for i in range(0, len(people), API_PART_SIZE)]
    segments = [
        UNA,
        seg("UNB", ("UNOA", "4"), flight.carrier, PIU, _stamp(received), control, "", "APIS"),
        seg("UNG", "PAXLST", flight.carrier, PIU, _stamp(received), control, "UN", ("D", "05B")),
    ]
    leg = [
        seg("TDT", "20", f"{flight.carrier}{flight.number}", "", "", flight.carrier),
        seg("LOC", "125", flight.origin),
        seg("DTM", ("189", f"{flight.departure:%y%m%d%H%M}", "201")),
        seg("LOC", "87", flight.destination),
        seg("DTM", ("232", f"{flight.arrival:%y%m%d%H%M}", "201")),
    ]
    kind = ("PAXLST", "D", "05B", "UN", "IATA")
    for number, chunk in enumerate(parts, 1):
        body = [seg("BGM", "745"), seg("NAD", "MS", "", "", f"{flight.carrier} OPERATIONS")]
        body += [seg("COM", ("971-4-2000000", "TE")), *leg]
        for traveller, booking, seat in chunk:
            body += _api_traveller(flight, traveller, booking, seat)
        last = number == len(parts)
        if last:
            body.append(seg("CNT", ("42", str(len(people)))))
        split = (f"{number:02d}", "F" if last else "C") if len(parts) > 1 else ""
        segments += message(f"{control}{number:02d}", kind, body, flight.name, split)
    segments += [seg("UNE", str(len(parts)), control), seg("UNZ", "1", control)]
    return "\n".join(segments) + "\n"


def _api_traveller(flight: Flight, t: Traveller, booking: str, seat: str) -> list[str]:
    return [
        seg("NAD", "FL", "", "", (t.surname, t.given)),
        seg("ATT", "2", "", t.sex),
        seg("DTM", ("329", _ymd(t.birth))),
        seg("LOC", "178", flight.origin),
        seg("LOC", "179", flight.destination),
        seg("NAT", "2", t.nationality),
        seg("RFF", ("AVF", booking)),
        seg("RFF", ("SEA", seat)),
        seg("DOC", ("P", "110", "111"), t.document),
        seg("DTM", ("36", _ymd(t.expiry))),
        seg("LOC", "91", t.document_country),
    ]


# --- PNR ---------------------------------------------------------------------------------


def pnrgov(
    flight: Flight, push: str, received: datetime, control: str, rng: random.Random
) -> tuple[str, list[Booking]]:
    """One push of a flight's PNRs (the bookings made by ``received``): its text and the
    bookings in it."""
    bookings = [b for b in flight.bookings if b.created <= received]
    leg = (*_dmy(flight.departure), *_dmy(flight.arrival))
    body = [
        seg("MSG", ("", "22")),
        seg("ORG", (flight.carrier, flight.origin)),
        seg("TVL", leg, flight.origin, flight.destination, flight.carrier, flight.number),
        seg("EQN", str(len(bookings))),
    ]
    for booking in bookings:
        body += _pnr(flight, booking, push, received, rng)
    segments = [
        UNA,
        seg("UNB", ("IATA", "1"), flight.carrier, PIU, _stamp(received), control),
        *message("1", ("PNRGOV", "11", "1", "IA"), body, flight.name),
        seg("UNZ", "1", control),
    ]
    return "\n".join(segments) + "\n", bookings


def _pnr(
    flight: Flight, booking: Booking, push: str, received: datetime, rng: random.Random
) -> list[str]:
    # Seats are chosen a day ahead: the booking's last transaction moves with them.
    changed = booking.created
    if push != "48h":
        changed = max(booking.created, received - timedelta(hours=2))
    found = [
        "SRC'",
        seg("RCI", (flight.carrier, booking.locator, "", *_dmy(booking.created))),
        seg("DAT", ("700", *_dmy(changed))),
        seg("ORG", ("1A", flight.origin), ("12345678", booking.office), "", "", "A", ("AE", "USD")),
    ]
    for i, traveller in enumerate(booking.travellers, 1):
        found += _pnr_traveller(flight, booking, traveller, i)
    leg = (*_dmy(flight.departure), *_dmy(flight.arrival))
    count = str(len(booking.travellers))
    found += [
        seg("TVL", leg, flight.origin, flight.destination, flight.carrier, (flight.number, "Y")),
        seg("RPI", count, "HK"),
        seg("APD", flight.aircraft),
    ]
    if push != "48h":
        where = ("SEAT", "HK", count, flight.carrier, "", "", flight.origin, flight.destination)
        seats = [(seat, "", str(i)) for i, seat in enumerate(booking.seats, 1)]
        found.append(seg("SSR", where, *seats))
    if push == "dep":
        found.append(seg("DAT", ("2", *_dmy(flight.departure - timedelta(hours=3)))))
        for i, (t, seat) in enumerate(zip(booking.travellers, booking.seats, strict=True), 1):
            found += [
                seg("TRI", "", (str(rng.randint(1, 400)), "", "", str(i))),
                seg("TIF", t.surname, (t.given, "A", str(i))),
                seg("SSD", seat, "", "", "", "Y"),
            ]
    return found


def _pnr_traveller(flight: Flight, booking: Booking, t: Traveller, i: int) -> list[str]:
    """A traveller's group: name, contact (lead traveller), passport, requests, ticket and
    (lead traveller) form of payment."""
    title = "MRS" if t.sex == "F" else "MR"
    birth, expiry = f"{t.birth:%d%b%y}".upper(), f"{t.expiry:%d%b%y}".upper()
    docs = f"/P/{t.document_country}/{t.document}/{t.nationality}/{birth}/{t.sex}/{expiry}"
    found = [seg("TIF", t.surname, (f"{t.given} {title}", "A", str(i)))]
    if i == 1:
        # IATA's e-mail convention in free text: // for @.
        mail = f"{t.given.split()[0]}.{t.surname.replace(' ', '')}//EXAMPLE.COM"
        found.append(seg("IFT", ("4", "28", "", flight.carrier), f"CTCE {mail}"))
    ssr = ("HK", "1", flight.carrier, "", "", "", "")
    found.append(seg("SSR", ("DOCS", *ssr, f"{docs}/{t.surname}/{t.given}")))
    found += [seg("SSR", (code, *ssr[:3])) for who, code in booking.requests if who == i - 1]
    ticket = f"176{booking.serial:07d}{i:03d}"
    found += [seg("TKT", (ticket, "T", "1")), seg("MON", ("T", "650.00", "USD"))]
    if i == 1 and booking.card:
        found.append(seg("FOP", ("CC", "", "", "VI", booking.card, "1228")))
    elif i == 1:
        found.append(seg("FOP", ("CA", "", "650.00")))
    return found


def locator(number: int, seed: int) -> str:
    """A six-character record locator, a different one for every number below 34**6."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ01"
    value = (number * 1_000_003 + seed) % 34**6  # 1,000,003 is prime: a permutation
    chars = []
    for _ in range(6):
        value, digit = divmod(value, 34)
        chars.append(alphabet[digit])
    return "".join(chars)


def card_number(rng: random.Random) -> str:
    """A Luhn-valid test card number (the reader masks it as it reads)."""
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = sum(
        (d * 2 - 9 if d > 4 else d * 2) if i % 2 == 0 else d for i, d in enumerate(reversed(digits))
    )
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)
