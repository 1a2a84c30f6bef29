"""PAXLST (advance passenger information) messages mapped to manifests.

A manifest is the reporting party (NAD+MS), the flight legs (TDT with their LOC/DTM), the
travellers and crew (NAD+FL/FM/DDT/DDU/COT with ATT, DTM, LOC, NAT, RFF, DOC) and the control
totals (CNT+42 passengers, CNT+41 crew).

A traveller that cannot be identified (no surname) is left out with an ``error`` problem
naming its NAD segment; a manifest without any TDT gets an ``error`` problem on its UNH (the
flight is unknown). Slips whose meaning is clear are read, with a ``warning``.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from rasid.travel.dates import Rule, year_first
from rasid.travel.edifact import Message, Segment
from rasid.travel.errors import Problem, Severity, excerpt
from rasid.travel.manifest import FlightLeg, Kind, Manifest, Party, TravelDocument, Traveller

__all__ = [
    "FlightLeg",
    "Manifest",
    "Party",
    "TravelDocument",
    "Traveller",
    "check_totals",
    "join_manifests",
    "read_manifest",
    "split_flight",
]

# NAD party function codes of the people on board; COT (crew other than operating crew) is
# counted with the crew, and the code itself is kept on each traveller.
TRAVELLER_ROLES: dict[str, Kind] = {
    "FL": "passenger",
    "DDT": "passenger",
    "FM": "crew",
    "DDU": "crew",
    "COT": "crew",
}
FUNCTIONS = {
    "745": "passengers",
    "250": "crew",
    "266": "passenger flight close-out",
    "336": "master crew list",
}
# Segments of the message that carry nothing mapped here (contacts, measurements, free text).
UNMAPPED = frozenset({"CTA", "MEA", "GEI", "FTX", "EMP", "QTY", "CPI", "UNS", "COM"})
FLIGHT = re.compile(r"([A-Z0-9]{2}[A-Z]?) ?([0-9]{1,5}[A-Z]?)")


def split_flight(journey: str, carrier: str) -> tuple[str, str] | None:
    """Carrier and flight number from a TDT journey identifier (``AA123``) and the carrier
    element when there is one; None when the identifier is not a flight."""
    journey, carrier = journey.strip().upper(), carrier.strip().upper()
    if carrier and journey.startswith(carrier) and journey[len(carrier) :].strip():
        return carrier, journey[len(carrier) :].strip()
    if carrier and journey.isdigit():
        return carrier, journey
    match = FLIGHT.fullmatch(journey)
    if match is None:
        return None
    return carrier or match.group(1), match.group(2)


def place(segment: Segment) -> str:
    """The place of a LOC segment: its code, else its free-text name."""
    code = segment.element(1).strip()
    return code or " ".join(segment.values(1))


@dataclass
class _LegDraft:
    segment: Segment
    carrier: str = ""
    number: str = ""
    departure_airport: str = ""
    arrival_airport: str = ""
    departure: datetime | None = None
    arrival: datetime | None = None
    pending: str = ""  # a LOC+92 whose role the next DTM tells
    locations: list[tuple[str, str]] = field(default_factory=list)

    def settle(self) -> None:
        """A progressive LOC+92 with no DTM after it: departure first, then arrival."""
        if self.pending:
            if not self.departure_airport:
                self.departure_airport = self.pending
            else:
                self.arrival_airport = self.pending
            self.pending = ""


@dataclass
class _DocumentDraft:
    """A DOC while its DTM and LOC+91 segments are read (filled in place, then frozen)."""

    type: str
    number: str
    expiry: date | None = None
    issued: date | None = None
    issuing_state: str = ""

    def done(self) -> TravelDocument:
        return TravelDocument(self.type, self.number, self.expiry, self.issued, self.issuing_state)


@dataclass
class _TravellerDraft:
    segment: Segment
    kind: Kind
    fields: dict[str, str] = field(default_factory=dict)
    date_of_birth: date | None = None
    references: list[tuple[str, str]] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)
    documents: list[_DocumentDraft] = field(default_factory=list)


class _Reader:
    """One pass over a message's segments, keeping the group being read."""

    def __init__(self, message: Message, reference: date) -> None:
        self.message = message
        self.reference = reference
        self.problems: list[Problem] = []
        self.function = ""
        self.transaction = ""
        self.party: Party | None = None
        self.in_party = False
        self.legs: list[FlightLeg] = []
        self.leg: _LegDraft | None = None
        self.travellers: list[Traveller] = []
        self.traveller: _TravellerDraft | None = None
        self.counts: dict[str, int] = {}
        self.bgm_seen = False

    def note(self, segment: Segment, reason: str, severity: Severity = "warning") -> None:
        self.problems.append(Problem.at(segment, reason, severity, self.message.reference))

    def when(self, segment: Segment, rule: Rule) -> datetime | None:
        value = segment.component(0, 1)
        found = year_first(value, self.reference, rule)
        if found is None:
            self.note(segment, f"DTM+{segment.element(0)} {excerpt(value)} is not a date")
        return found

    # Groups ---------------------------------------------------------------------------

    def close_leg(self) -> None:
        draft, self.leg = self.leg, None
        if draft is None:
            return
        draft.settle()
        if not draft.number:
            self.note(draft.segment, "TDT without a flight number; leg left out", "error")
            return
        for name, value in (
            ("departure", draft.departure_airport),
            ("arrival", draft.arrival_airport),
        ):
            if not value:
                self.note(draft.segment, f"leg {draft.carrier}{draft.number} has no {name} airport")
        self.legs.append(
            FlightLeg(
                draft.carrier,
                draft.number,
                draft.departure_airport,
                draft.arrival_airport,
                draft.departure,
                draft.arrival,
                draft.segment.position,
                draft.segment.line,
                tuple(draft.locations),
            )
        )

    def close_traveller(self) -> None:
        draft, self.traveller = self.traveller, None
        if draft is None:
            return
        nad = draft.segment
        surname = nad.component(3, 0).strip()
        if not surname:
            self.note(nad, "traveller without a surname; left out", "error")
            return
        given = " ".join(c.strip() for c in nad.components(3)[1:] if c.strip())
        address = ", ".join(" ".join(nad.values(i)) for i in range(4, 9) if nad.values(i))
        f = draft.fields
        self.travellers.append(
            Traveller(
                role=nad.element(0).strip().upper(),
                kind=draft.kind,
                surname=surname,
                given_names=given,
                sex=f.get("sex", ""),
                date_of_birth=draft.date_of_birth,
                nationality=f.get("nationality", ""),
                embarkation=f.get("178", ""),
                debarkation=f.get("179", ""),
                clearance=f.get("22", ""),
                birth_place=f.get("180", ""),
                residence_country=f.get("174", ""),
                booking_reference=f.get("AVF", ""),
                seat=f.get("SEA", ""),
                address=address,
                references=tuple(draft.references),
                locations=tuple(draft.locations),
                documents=tuple(d.done() for d in draft.documents),
                position=nad.position,
                line=nad.line,
            )
        )

    def close_groups(self) -> None:
        self.close_leg()
        self.close_traveller()
        self.in_party = False

    # Segments -------------------------------------------------------------------------

    def on_bgm(self, segment: Segment) -> None:
        self.bgm_seen = True
        self.function = segment.element(0).strip()
        if self.function not in FUNCTIONS:
            self.note(segment, f"message function {excerpt(self.function)} not known here")

    def on_nad(self, segment: Segment) -> None:
        self.close_groups()
        role = segment.element(0).strip().upper()
        if role in TRAVELLER_ROLES:
            self.traveller = _TravellerDraft(segment, TRAVELLER_ROLES[role])
        elif not self.travellers and self.party is None:
            name = " ".join(segment.values(3)) or " ".join(segment.values(2))
            self.party, self.in_party = Party(role, name), True
        else:
            self.note(segment, f"NAD+{excerpt(role, 4)} not read (not a traveller)")

    def on_com(self, segment: Segment) -> None:
        if not self.in_party or self.party is None:
            return
        numbers: dict[str, str] = {}
        for parts in segment.elements:
            kind = parts[1].strip().upper() if len(parts) > 1 else ""
            numbers.setdefault({"TE": "phone", "FX": "fax", "EM": "email"}.get(kind, ""), parts[0])
        self.party = replace(
            self.party,
            phone=numbers.get("phone", self.party.phone),
            fax=numbers.get("fax", self.party.fax),
            email=numbers.get("email", self.party.email),
        )

    def on_tdt(self, segment: Segment) -> None:
        self.close_groups()
        self.leg = _LegDraft(segment)
        flight = split_flight(segment.element(1), segment.element(4))
        if flight is None:
            return
        self.leg.carrier, self.leg.number = flight

    def on_loc(self, segment: Segment) -> None:
        qualifier, where = segment.element(0).strip(), place(segment)
        if self.traveller is not None:
            self.traveller_loc(segment, qualifier, where)
        elif self.leg is not None:
            # Only these three say departure or arrival; others (22 clearance...) are kept.
            self.leg.locations.append((qualifier, where))
            self.leg.settle()
            if qualifier == "125":
                self.leg.departure_airport = where
            elif qualifier == "87":
                self.leg.arrival_airport = where
            elif qualifier == "92":
                self.leg.pending = where

    def traveller_loc(self, segment: Segment, qualifier: str, where: str) -> None:
        draft = self.traveller
        assert draft is not None
        draft.locations.append((qualifier, where))
        if qualifier == "91":
            if draft.documents:
                draft.documents[-1].issuing_state = where
            else:
                self.note(segment, "LOC+91 (issuing state) without a DOC before it")
        elif qualifier in ("178", "179", "180", "174", "22"):
            draft.fields.setdefault(qualifier, where)

    def on_dtm(self, segment: Segment) -> None:
        qualifier = segment.element(0).strip()
        if self.traveller is not None:
            self.traveller_dtm(segment, qualifier)
        elif self.leg is not None and qualifier in ("189", "232"):
            moment = self.when(segment, "near")
            if qualifier == "189":
                self.leg.departure = moment
                if self.leg.pending:
                    self.leg.departure_airport, self.leg.pending = self.leg.pending, ""
            else:
                self.leg.arrival = moment
                if self.leg.pending:
                    self.leg.arrival_airport, self.leg.pending = self.leg.pending, ""

    def traveller_dtm(self, segment: Segment, qualifier: str) -> None:
        draft = self.traveller
        assert draft is not None
        if qualifier == "329":
            found = self.when(segment, "past")
            draft.date_of_birth = found.date() if found else None
        elif qualifier in ("36", "182"):
            found = self.when(segment, "near")
            if not draft.documents:
                self.note(segment, f"DTM+{qualifier} without a DOC before it")
            elif qualifier == "36" and found is not None:
                draft.documents[-1].expiry = found.date()
            elif found is not None:
                draft.documents[-1].issued = found.date()

    def on_traveller_segment(self, segment: Segment) -> None:
        draft = self.traveller
        if draft is None:
            self.note(segment, f"{segment.tag} outside a traveller group ignored")
            return
        if segment.tag == "ATT" and segment.element(0).strip() == "2":
            draft.fields["sex"] = segment.component(2, 0).strip().upper()
        elif segment.tag == "NAT":
            draft.fields.setdefault("nationality", segment.element(1).strip().upper())
        elif segment.tag == "DOC":
            number = segment.element(1).strip()
            if not number:
                self.note(segment, "DOC without a document number")
            draft.documents.append(_DocumentDraft(segment.element(0).strip().upper(), number))

    def on_rff(self, segment: Segment) -> None:
        qualifier, value = segment.component(0, 0).strip().upper(), segment.component(0, 1).strip()
        if self.traveller is not None:
            self.traveller.references.append((qualifier, value))
            if qualifier in ("AVF", "SEA"):
                self.traveller.fields.setdefault(qualifier, value)
        elif qualifier == "TN" and not self.transaction:
            self.transaction = value

    def on_cnt(self, segment: Segment) -> None:
        self.close_groups()
        qualifier, value = segment.component(0, 0).strip(), segment.component(0, 1).strip()
        if not value and segment.element(1).strip():
            value = segment.element(1).strip()
            self.note(segment, f"CNT+{qualifier} count given as its own element; read as {value}")
        if not value.isdigit() or not value.isascii():
            self.note(segment, f"CNT+{excerpt(qualifier, 4)} count {excerpt(value)} not a number")
            return
        self.counts[qualifier] = int(value)

    def read(self) -> None:
        handlers = {
            "BGM": self.on_bgm,
            "NAD": self.on_nad,
            "COM": self.on_com,
            "TDT": self.on_tdt,
            "LOC": self.on_loc,
            "DTM": self.on_dtm,
            "RFF": self.on_rff,
            "CNT": self.on_cnt,
            "ATT": self.on_traveller_segment,
            "NAT": self.on_traveller_segment,
            "DOC": self.on_traveller_segment,
        }
        for segment in self.message.segments:
            handler = handlers.get(segment.tag)
            if handler is not None:
                handler(segment)
            elif segment.tag not in UNMAPPED:
                self.note(segment, f"segment {excerpt(segment.tag, 4)} not expected in PAXLST")
        self.close_groups()
        self.check()

    def check(self) -> None:
        header = self.message.header
        if not self.bgm_seen:
            self.note(header, "no BGM: the message function is unknown")
        if not self.legs:
            self.note(header, "no flight leg (TDT): the flight is unknown", "error")


def read_manifest(message: Message, reference: date) -> Manifest:
    """The manifest of one PAXLST message (or one part of a split one); ``reference`` (the
    interchange date) chooses the century of two-digit years. Control totals are compared by
    ``check_totals``."""
    reader = _Reader(message, reference)
    reader.read()
    return Manifest(
        reference=message.reference,
        common_access_reference=message.common_access_reference,
        version=message.version_release,
        function=reader.function,
        function_name=FUNCTIONS.get(reader.function, ""),
        transaction_reference=reader.transaction,
        reporting_party=reader.party,
        legs=tuple(reader.legs),
        travellers=tuple(reader.travellers),
        passenger_count=reader.counts.get("42"),
        crew_count=reader.counts.get("41"),
        problems=tuple(reader.problems),
        position=message.header.position,
        line=message.header.line,
    )


def check_totals(manifest: Manifest) -> Manifest:
    """The manifest with a warning on its UNH for each control total (CNT+42 passengers,
    CNT+41 crew) that differs from the travellers read. Run it on a whole manifest: the parts
    of a split message give the total only once."""
    found: list[Problem] = []
    totals = (
        ("42", "passenger", manifest.passenger_count, manifest.passengers),
        ("41", "crew", manifest.crew_count, manifest.crew),
    )
    for qualifier, kind, declared, read in totals:
        if declared is not None and declared != len(read):
            reason = f"CNT+{qualifier} declares {declared} {kind}s, {len(read)} read"
            found.append(
                Problem(
                    manifest.position,
                    manifest.line,
                    "UNH",
                    reason,
                    "warning",
                    "",
                    manifest.reference,
                )
            )
    return replace(manifest, problems=manifest.problems + tuple(found))


def join_manifests(parts: list[Manifest]) -> Manifest:
    """One manifest from the parts of a split message, in order: the header and legs of the
    first part, the travellers of all, the last control totals given."""
    first = parts[0]
    passengers = [p.passenger_count for p in parts if p.passenger_count is not None]
    crew = [p.crew_count for p in parts if p.crew_count is not None]
    return replace(
        first,
        legs=first.legs or next((p.legs for p in parts if p.legs), ()),
        travellers=tuple(t for p in parts for t in p.travellers),
        passenger_count=passengers[-1] if passengers else None,
        crew_count=crew[-1] if crew else None,
        problems=tuple(pr for p in parts for pr in p.problems),
        parts=len(parts),
    )
