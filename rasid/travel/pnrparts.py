"""The pieces the PNRGOV reader builds a PNR from: drafts filled segment by segment, small
readers of single segments, and the step that turns a finished draft into a ``Pnr``."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from rasid.travel.edifact import Delimiters, Segment
from rasid.travel.errors import Severity, excerpt
from rasid.travel.freetext import split_title
from rasid.travel.pnr import (
    Address,
    Agency,
    Amount,
    Bags,
    BagTag,
    CheckIn,
    Contact,
    FrequentFlyer,
    HistoryItem,
    Leg,
    Payment,
    Pnr,
    PnrDocument,
    PnrTraveller,
    Remark,
    Seat,
    Ssr,
    Ticket,
)
from rasid.travel.redact import mask_card_number, mask_cards_in_text

Note = Callable[[Segment, str, Severity], None]
UNITS = {"700": "KG", "701": "LB"}
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
SEAT_TEXT = re.compile(r"[0-9]{1,3}[A-Z]")


def amount(value: str, decimal: str = ".") -> Decimal | None:
    """A sum from text (with the interchange's decimal mark), or None."""
    value = value.strip().replace(decimal, ".")
    return Decimal(value) if NUMBER.fullmatch(value) else None


def count(value: str) -> int | None:
    """A whole number from text, or None."""
    value = value.strip()
    return int(value) if value.isdigit() and value.isascii() else None


def agency(segment: Segment) -> Agency:
    """The system, office and point of sale of an ORG segment."""
    return Agency(
        system=segment.component(0, 0).strip(),
        city=segment.component(0, 1).strip(),
        agent_id=segment.component(1, 0).strip(),
        office=segment.component(1, 1).strip(),
        originator_type=segment.element(4).strip(),
        country=segment.component(5, 0).strip(),
        currency=segment.component(5, 1).strip(),
        agent=segment.element(6).strip(),
    )


def same_ref(a: str, b: str) -> bool:
    """Traveller references compared without leading zeros (``002`` is ``2``)."""
    return bool(a) and a.lstrip("0") == b.lstrip("0")


def free_text(parts: list[str], d: Delimiters) -> str:
    """Free text split on separators it did not escape, put back together and masked."""
    return mask_cards_in_text(d.component.join(parts).strip())


def render(segment: Segment, d: Delimiters) -> str:
    """A segment as compact text (for history), with any card number masked."""
    elements = segment.elements
    if segment.tag == "FOP":
        elements = [
            [mask_card_number(c) if j == 4 and c else c for j, c in enumerate(e)] for e in elements
        ]
    body = d.element.join(d.component.join(e).rstrip(d.component) for e in elements)
    return mask_cards_in_text(f"{segment.tag}{d.element}{body}".rstrip(d.element))


def seats(segment: Segment, text: str) -> list[Seat]:
    """The seats of an SSR SEAT: one per element after the first (seat, -, traveller), else
    read from its text (``.03BN03AN``: 03B and 03A)."""
    found = [
        Seat(segment.component(i, 0).strip(), segment.component(i, 2).strip(), "", "SSR")
        for i in range(1, len(segment.elements))
        if segment.component(i, 0).strip()
    ]
    return found or [Seat(s, "", "", "SSR") for s in SEAT_TEXT.findall(text)]


def payments(segment: Segment, d: Delimiters, traveller_ref: str) -> list[Payment]:
    """The forms of payment of a FOP segment, card numbers masked to their last four digits."""
    return [
        Payment(
            type=segment.component(i, 0).strip(),
            amount=amount(segment.component(i, 2), d.decimal),
            vendor=segment.component(i, 3).strip(),
            card_number=mask_card_number(segment.component(i, 4)),
            card_expiry=segment.component(i, 5).strip(),
            traveller_ref=traveller_ref,
        )
        for i in range(len(segment.elements))
    ]


def amounts(segment: Segment, d: Delimiters) -> tuple[Amount, ...]:
    """MON (code:amount:currency) or TXD (after a first element, amount::currency:code)."""
    if segment.tag == "MON":
        return tuple(
            Amount(
                segment.component(i, 0).strip(),
                amount(segment.component(i, 1), d.decimal),
                segment.component(i, 2).strip(),
            )
            for i in range(len(segment.elements))
        )
    return tuple(
        Amount(
            segment.component(i, 3).strip(),
            amount(segment.component(i, 0), d.decimal),
            segment.component(i, 2).strip(),
        )
        for i in range(1, len(segment.elements))
    )


def checked_bags(segment: Segment, traveller_ref: str, flight: str) -> Bags:
    """The bags of a TBD: count, weight and unit, and the bag tags."""
    tags = tuple(
        BagTag(*(segment.component(i, j).strip() for j in range(4)))
        for i in range(4, len(segment.elements))
        if segment.component(i, 1).strip()
    )
    unit = segment.component(1, 2).strip()
    return Bags(
        count(segment.component(1, 0)),
        segment.component(1, 1).strip(),
        UNITS.get(unit, unit),
        tags,
        traveller_ref,
        flight=flight,
    )


def excess_bags(segment: Segment, d: Delimiters, traveller_ref: str) -> Bags:
    """Excess baggage (EBD): the charge and the number of bags."""
    charge = Amount("", amount(segment.component(0, 1), d.decimal), segment.element(0).strip())
    return Bags(
        count(segment.component(1, 0)), traveller_ref=traveller_ref, excess=True, charge=charge
    )


def address(segment: Segment, d: Delimiters, traveller_ref: str) -> tuple[Address | None, str]:
    """The address of an ADD segment and the phone number at its end."""
    parts = [free_text([p], d) for p in segment.components(1)] + [""] * 8
    found = None
    if any(parts[1:7]):
        found = Address(parts[0], parts[1], parts[2], parts[3], parts[5], parts[6], traveller_ref)
    return found, parts[7]


@dataclass
class TravellerDraft:
    """A traveller (TIF) while its group is read."""

    segment: Segment
    reference: str
    ssrs: list[Ssr] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    frequent_flyers: list[FrequentFlyer] = field(default_factory=list)
    documents: list[PnrDocument] = field(default_factory=list)
    passenger_id: str = ""


@dataclass
class CheckInDraft:
    """A check-in (TRI group) while its TIF, SSD and TBD segments are read, filled in place
    (a check-in is rebuilt for nearly every segment of a departure push otherwise)."""

    traveller_ref: str
    sequence: str = ""
    surname: str = ""
    given_names: str = ""
    seat: str = ""
    cabin: str = ""
    at: datetime | None = None
    flight: str = ""
    bags: Bags | None = None

    def done(self) -> CheckIn:
        """The finished check-in."""
        return CheckIn(
            self.traveller_ref,
            self.sequence,
            self.surname,
            self.given_names,
            self.seat,
            self.cabin,
            self.at,
            self.flight,
            self.bags,
        )


@dataclass
class LegDraft:
    """An itinerary leg (TVL) while its group is read."""

    leg: Leg
    seats: list[Seat] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    ssrs: list[Ssr] = field(default_factory=list)
    checked_at: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)  # RPI and APD, set on the leg at last


@dataclass
class PnrDraft:
    """A PNR (SRC group) while it is read, with the group the reader is in (``context``)."""

    segment: Segment
    locators: list[tuple[str, str]] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)
    created: datetime | None = None
    dates: list[tuple[str, datetime]] = field(default_factory=list)
    agency: Agency | None = None
    addresses: list[Address] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    frequent_flyers: list[FrequentFlyer] = field(default_factory=list)
    travellers: list[TravellerDraft] = field(default_factory=list)
    legs: list[LegDraft] = field(default_factory=list)
    excess_bags: list[Bags] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)
    ssrs: list[Ssr] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    documents: list[tuple[str, PnrDocument, Segment]] = field(default_factory=list)
    context: str = "pnr"  # pnr, traveller, leg, checkin, split, history
    check_in: CheckInDraft | None = None
    non_air: bool = False
    author: str = ""  # the history block being read (ABI, DAT, SAC)
    at: datetime | None = None
    action: str = ""
    in_change: bool = False

    def close_check_in(self) -> None:
        """File the check-in being read under its leg."""
        if self.check_in is not None and self.legs:
            self.legs[-1].check_ins.append(self.check_in.done())
        self.check_in = None

    def traveller_ref(self) -> str:
        """The reference of the traveller whose group is being read, or ""."""
        if self.context == "traveller" and self.travellers:
            return self.travellers[-1].reference
        return ""


def _attach_documents(draft: PnrDraft, note: Note) -> None:
    """Give each SSR DOCS/DOCO document to its traveller (by reference, or by being in the
    traveller's group); one document is kept once even when sent twice."""
    for reference, document, segment in draft.documents:
        owners = [t for t in draft.travellers if same_ref(reference, t.reference)]
        if not owners and len(draft.travellers) == 1:
            if reference:
                reason = f"document for traveller {excerpt(reference, 6)} given to the only one"
                note(segment, reason, "warning")
            owners = draft.travellers
        if not owners:
            note(segment, "document for a traveller not in this PNR", "warning")
        for owner in owners[:1]:
            if document not in owner.documents:
                owner.documents.append(document)


def _traveller(draft: TravellerDraft) -> PnrTraveller:
    tif = draft.segment
    given, title = split_title(tif.component(1, 0))
    docs = [d for d in draft.documents if d.kind == "DOCS"]
    return PnrTraveller(
        surname=tif.component(0, 0).strip(),
        given_names=given,
        title=title,
        reference=draft.reference,
        type_code=tif.component(1, 1).strip(),
        name_qualifier=tif.component(0, 1).strip(),
        passenger_id=draft.passenger_id,
        date_of_birth=next((d.date_of_birth for d in docs if d.date_of_birth), None),
        sex=next((d.sex for d in docs if d.sex), ""),
        nationality=next((d.nationality for d in docs if d.nationality), ""),
        documents=tuple(draft.documents),
        frequent_flyers=tuple(draft.frequent_flyers),
        ssrs=tuple(draft.ssrs),
        remarks=tuple(draft.remarks),
        position=tif.position,
        line=tif.line,
    )


def _leg(draft: LegDraft) -> Leg:
    return replace(
        draft.leg,
        seats=tuple(draft.seats),
        check_ins=tuple(draft.check_ins),
        ssrs=tuple(draft.ssrs),
        **draft.details,
    )


def finish_pnr(draft: PnrDraft, note: Note) -> Pnr | None:
    """The PNR of a finished draft; None (with an error) when it has no record locator.

    Travellers without a surname are left out, each with an error naming its TIF.
    """
    draft.close_check_in()
    if not draft.locators:
        note(draft.segment, "PNR without a record locator (RCI); left out", "error")
        return None
    _attach_documents(draft, note)
    travellers = []
    for traveller in draft.travellers:
        if not traveller.segment.component(0, 0).strip():
            note(traveller.segment, "traveller without a surname; left out", "error")
        else:
            travellers.append(_traveller(traveller))
    if not draft.travellers:
        note(draft.segment, "PNR without a traveller (TIF)", "warning")
    system, locator = draft.locators[0]
    return Pnr(
        record_locator=locator,
        system=system,
        locators=tuple(draft.locators),
        related_locators=tuple(draft.related),
        created=draft.created,
        last_transaction=next((at for q, at in draft.dates if q == "700"), None),
        dates=tuple(draft.dates),
        agency=draft.agency,
        addresses=tuple(draft.addresses),
        contacts=tuple(draft.contacts),
        payments=tuple(draft.payments),
        tickets=tuple(draft.tickets),
        frequent_flyers=tuple(draft.frequent_flyers),
        travellers=tuple(travellers),
        itinerary=tuple(_leg(leg) for leg in draft.legs),
        excess_bags=tuple(draft.excess_bags),
        history=tuple(draft.history),
        ssrs=tuple(draft.ssrs),
        remarks=tuple(draft.remarks),
        position=draft.segment.position,
        line=draft.segment.line,
    )
