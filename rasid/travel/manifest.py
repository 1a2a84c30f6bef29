"""What a PAXLST message holds: the reporting party, the flight legs and the travellers and
crew, as frozen records (``rasid.travel.paxlst`` reads them)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from rasid.travel.errors import Problem

Kind = Literal["passenger", "crew"]


@dataclass(frozen=True)
class Party:
    """The party that sent the manifest (NAD+MS) and how to reach it."""

    role: str
    name: str
    phone: str = ""
    fax: str = ""
    email: str = ""


@dataclass(frozen=True)
class FlightLeg:
    """One leg of the flight (a TDT group): carrier, flight number, airports and times.

    Times are the local times as sent (naive).
    """

    carrier: str
    flight_number: str
    departure_airport: str
    arrival_airport: str
    departure: datetime | None
    arrival: datetime | None
    position: int
    line: int
    locations: tuple[tuple[str, str], ...] = ()  # every LOC of the leg as (qualifier, place)

    @property
    def flight(self) -> str:
        """Carrier and number together, e.g. ``AA123``."""
        return f"{self.carrier}{self.flight_number}"


@dataclass(frozen=True)
class TravelDocument:
    """A travel document (DOC) with its expiry (DTM+36), issue date (DTM+182) and issuing
    state (LOC+91)."""

    type: str  # P passport, V visa, I identity card...
    number: str
    expiry: date | None = None
    issued: date | None = None
    issuing_state: str = ""


@dataclass(frozen=True)
class Traveller:
    """A passenger or crew member as the carrier reported them."""

    role: str  # the NAD code: FL, FM, DDT, DDU, COT
    kind: Kind
    surname: str
    given_names: str
    sex: str = ""
    date_of_birth: date | None = None
    nationality: str = ""
    embarkation: str = ""  # LOC+178
    debarkation: str = ""  # LOC+179
    clearance: str = ""  # LOC+22
    birth_place: str = ""  # LOC+180
    residence_country: str = ""  # LOC+174
    booking_reference: str = ""  # RFF+AVF
    seat: str = ""  # RFF+SEA
    address: str = ""
    references: tuple[tuple[str, str], ...] = ()  # every RFF as (qualifier, value)
    locations: tuple[tuple[str, str], ...] = ()  # every LOC as (qualifier, place)
    documents: tuple[TravelDocument, ...] = ()
    position: int = 0
    line: int = 0


@dataclass(frozen=True)
class Manifest:
    """One PAXLST message (its parts joined when it was split)."""

    reference: str
    common_access_reference: str
    version: str
    function: str  # BGM document code: 745, 250...
    function_name: str  # passengers, crew... ("" for a code not known here)
    transaction_reference: str  # RFF+TN
    reporting_party: Party | None
    legs: tuple[FlightLeg, ...]
    travellers: tuple[Traveller, ...]
    passenger_count: int | None  # CNT+42
    crew_count: int | None  # CNT+41
    problems: tuple[Problem, ...] = ()
    parts: int = 1
    position: int = 0
    line: int = 0

    @property
    def passengers(self) -> tuple[Traveller, ...]:
        """The travellers who are passengers."""
        return tuple(t for t in self.travellers if t.kind == "passenger")

    @property
    def crew(self) -> tuple[Traveller, ...]:
        """The travellers who are crew."""
        return tuple(t for t in self.travellers if t.kind == "crew")

    @property
    def has_errors(self) -> bool:
        """True when something was left out or the manifest cannot be trusted whole."""
        return any(p.is_error for p in self.problems)
