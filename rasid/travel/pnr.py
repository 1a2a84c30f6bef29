"""What a PNRGOV message holds: PNRs with their travellers, itinerary, contacts, payments,
check-in and history, as frozen records.

Card numbers are never held: a form of payment keeps the card's last four digits only, and
free text is masked on the way in (``rasid.travel.redact``). SSRs and free text keep their
code next to the text (``Pnr.ssr_codes``, ``Pnr.free_text``) so a later safeguard can filter
the sensitive ones (meal preferences, medical assistance) before anything is shown or stored.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from rasid.travel.errors import Problem


@dataclass(frozen=True)
class Ssr:
    """A special service request: its code (DOCS, SEAT, VGML, WCHR...) and free text."""

    code: str
    text: str = ""
    status: str = ""
    quantity: str = ""
    carrier: str = ""
    traveller_ref: str = ""
    position: int = 0


@dataclass(frozen=True)
class Remark:
    """Free text (IFT) with its qualifier (``4:28`` other service information, ``4:43``
    payer...)."""

    qualifier: str
    text: str
    traveller_ref: str = ""
    position: int = 0


@dataclass(frozen=True)
class PnrDocument:
    """A document from SSR DOCS (passport, identity card) or DOCO (visa, other document)."""

    kind: str  # DOCS or DOCO
    type: str  # P, I, V...
    number: str
    issuing_country: str = ""
    nationality: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    expiry: date | None = None
    surname: str = ""
    given_names: str = ""
    birth_place: str = ""
    place_of_issue: str = ""
    issued: date | None = None
    applicable_country: str = ""


@dataclass(frozen=True)
class FrequentFlyer:
    """A frequent flyer account (FTI)."""

    airline: str
    number: str
    tier: str = ""
    traveller_ref: str = ""


@dataclass(frozen=True)
class Amount:
    """A sum with its code (B base fare, T total, or a tax code) and currency."""

    code: str
    amount: Decimal | None
    currency: str = ""


@dataclass(frozen=True)
class Ticket:
    """A ticket (TKT) with its issue date (DAT+710), fare amounts (MON) and taxes (TXD)."""

    number: str
    document_type: str = ""
    traveller_ref: str = ""
    issued: date | None = None
    amounts: tuple[Amount, ...] = ()
    taxes: tuple[Amount, ...] = ()


@dataclass(frozen=True)
class Payment:
    """A form of payment (FOP). ``card_number`` is masked to its last four digits."""

    type: str  # CC card, CA cash, MS miscellaneous...
    amount: Decimal | None = None
    vendor: str = ""  # VI, CA, AX...
    card_number: str = ""
    card_expiry: str = ""
    traveller_ref: str = ""

    @property
    def card_last4(self) -> str:
        """The last four digits of the card, or ""."""
        digits = [c for c in self.card_number if c.isdigit()]
        return "".join(digits[-4:])


@dataclass(frozen=True)
class Address:
    """A postal address (ADD)."""

    purpose: str  # 700, 702...
    street: str = ""
    city: str = ""
    region: str = ""
    country: str = ""
    postcode: str = ""
    traveller_ref: str = ""


@dataclass(frozen=True)
class Contact:
    """A phone number, e-mail address or other contact (from ADD, or IFT ``CTC...``)."""

    kind: str  # phone, email, other
    value: str
    qualifier: str = ""  # the CTC letter (H home, B business, M mobile, E e-mail...)
    source: str = ""  # ADD or IFT
    traveller_ref: str = ""


@dataclass(frozen=True)
class Agency:
    """Who made or delivered the booking (ORG): system, office, agent and point of sale."""

    system: str
    city: str = ""
    agent_id: str = ""
    office: str = ""
    originator_type: str = ""
    country: str = ""
    currency: str = ""
    agent: str = ""


@dataclass(frozen=True)
class Seat:
    """A seat (SSR SEAT or SSD) and whom it is for."""

    number: str
    traveller_ref: str = ""
    cabin: str = ""
    source: str = ""  # SSR or SSD


@dataclass(frozen=True)
class BagTag:
    """A bag tag: issuing carrier code, tag number, consecutive tags, destination."""

    carrier: str
    number: str
    quantity: str = ""
    destination: str = ""


@dataclass(frozen=True)
class Bags:
    """Checked bags (TBD) or excess baggage (EBD)."""

    count: int | None
    weight: str = ""
    unit: str = ""
    tags: tuple[BagTag, ...] = ()
    traveller_ref: str = ""
    excess: bool = False
    charge: Amount | None = None
    flight: str = ""


@dataclass(frozen=True)
class CheckIn:
    """A traveller checked in on a leg (TRI with its TIF, SSD and TBD)."""

    traveller_ref: str
    sequence: str = ""
    surname: str = ""
    given_names: str = ""
    seat: str = ""
    cabin: str = ""
    at: datetime | None = None
    flight: str = ""
    bags: Bags | None = None


@dataclass(frozen=True)
class Leg:
    """A flight (TVL): the message's flight, or a leg of a PNR's itinerary.

    ``non_air`` marks a non-air segment (a hotel, a car) announced by MSG+8. Times are local
    and naive; an arrival sent without a date is taken on the departure date.
    """

    carrier: str
    flight_number: str
    departure_airport: str
    arrival_airport: str
    departure: datetime | None
    arrival: datetime | None
    operating_carrier: str = ""
    booking_class: str = ""
    status: str = ""
    party_size: int | None = None
    aircraft: str = ""
    non_air: bool = False
    place_name: str = ""
    seats: tuple[Seat, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    ssrs: tuple[Ssr, ...] = ()
    position: int = 0
    line: int = 0

    @property
    def flight(self) -> str:
        """Carrier and number together, e.g. ``SQ609``."""
        return f"{self.carrier}{self.flight_number}"


@dataclass(frozen=True)
class HistoryItem:
    """A line of PNR history: unstructured (LTS) or a change (ABI/DAT/SAC and the changed
    segment, rendered as text)."""

    source: str  # LTS or ABI
    text: str
    action: str = ""  # A added, X cancelled...
    at: datetime | None = None
    author: str = ""
    position: int = 0


@dataclass(frozen=True)
class PnrTraveller:
    """A traveller named in a PNR (TIF), with what their SSRs and FTI say about them.

    ``title`` is taken only when it is a separate word (``KONG CHUN MRS``): a title glued to
    the name (``JOHNMR``) cannot be told from a name ending in the same letters (``AMR``).
    """

    surname: str
    given_names: str
    title: str = ""
    reference: str = ""
    type_code: str = ""  # A adult, C child, IN infant...
    name_qualifier: str = ""
    passenger_id: str = ""  # REF: the carrier's unique passenger reference
    date_of_birth: date | None = None
    sex: str = ""
    nationality: str = ""
    documents: tuple[PnrDocument, ...] = ()
    frequent_flyers: tuple[FrequentFlyer, ...] = ()
    ssrs: tuple[Ssr, ...] = ()
    remarks: tuple[Remark, ...] = ()
    position: int = 0
    line: int = 0


@dataclass(frozen=True)
class Pnr:
    """One passenger name record (an SRC group)."""

    record_locator: str
    system: str = ""
    locators: tuple[tuple[str, str], ...] = ()  # (system or carrier, locator), the first own
    related_locators: tuple[tuple[str, str], ...] = ()  # split-off or linked records
    created: datetime | None = None
    last_transaction: datetime | None = None
    dates: tuple[tuple[str, datetime], ...] = ()  # every PNR-level DAT (qualifier, when)
    agency: Agency | None = None
    addresses: tuple[Address, ...] = ()
    contacts: tuple[Contact, ...] = ()
    payments: tuple[Payment, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    frequent_flyers: tuple[FrequentFlyer, ...] = ()
    travellers: tuple[PnrTraveller, ...] = ()
    itinerary: tuple[Leg, ...] = ()
    excess_bags: tuple[Bags, ...] = ()
    history: tuple[HistoryItem, ...] = ()
    ssrs: tuple[Ssr, ...] = ()  # PNR-level SSRs
    remarks: tuple[Remark, ...] = ()  # PNR-level free text
    position: int = 0
    line: int = 0

    def co_travellers(self, traveller: PnrTraveller) -> tuple[PnrTraveller, ...]:
        """The other travellers of this PNR (the one given left out once)."""
        others = list(self.travellers)
        for i, candidate in enumerate(others):
            if candidate is traveller or candidate == traveller:
                del others[i]
                break
        return tuple(others)

    @property
    def seats(self) -> tuple[Seat, ...]:
        """Every seat on every leg."""
        return tuple(s for leg in self.itinerary for s in leg.seats)

    @property
    def check_ins(self) -> tuple[CheckIn, ...]:
        """Every check-in on every leg."""
        return tuple(c for leg in self.itinerary for c in leg.check_ins)

    @property
    def bags(self) -> tuple[Bags, ...]:
        """Excess baggage and the bags checked in on every leg."""
        checked = tuple(c.bags for c in self.check_ins if c.bags is not None)
        return self.excess_bags + checked

    @property
    def all_ssrs(self) -> tuple[Ssr, ...]:
        """The SSRs of the PNR, of its travellers and of its legs."""
        own = self.ssrs + tuple(s for t in self.travellers for s in t.ssrs)
        return own + tuple(s for leg in self.itinerary for s in leg.ssrs)

    @property
    def ssr_codes(self) -> tuple[tuple[str, str], ...]:
        """Every SSR as (code, text), for filters on sensitive codes."""
        return tuple((s.code, s.text) for s in self.all_ssrs)

    @property
    def free_text(self) -> tuple[tuple[str, str], ...]:
        """Every IFT remark as (qualifier, text), the PNR's and its travellers'."""
        remarks = self.remarks + tuple(r for t in self.travellers for r in t.remarks)
        return tuple((r.qualifier, r.text) for r in remarks)


@dataclass(frozen=True)
class PnrBatch:
    """One PNRGOV message (its parts joined when it was split): a flight and its PNRs."""

    reference: str
    common_access_reference: str
    version: str
    function: str  # MSG: 22 push of PNRs...
    sender: Agency | None
    flight: Leg | None
    pnr_count: int | None  # EQN at message level
    pnrs: tuple[Pnr, ...]
    problems: tuple[Problem, ...] = ()
    parts: int = 1
    position: int = 0
    line: int = 0

    @property
    def has_errors(self) -> bool:
        """True when something was left out or the batch cannot be trusted whole."""
        return any(p.is_error for p in self.problems)
