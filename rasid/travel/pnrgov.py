"""PNRGOV messages mapped to PNR batches: the flight (TVL at message level) and its PNRs.

Each PNR is an SRC group read in the order the IATA guide gives: record locators (RCI), dates
(DAT), point of sale (ORG), contacts (ADD, IFT ``CTC``), excess bags (EBD), then each traveller
(TIF) with FTI, IFT, REF, SSR, TKT/MON/TXD/DAT and FOP, then the itinerary (TVL) with RPI, APD,
SSR seats and check-in (TRI with TIF, SSD, TBD), split records (EQN+RCI), non-air segments
(MSG+8) and last the history (ABI/DAT/SAC and the changed segments; LTS anywhere).

A PNR without a record locator, or a traveller without a surname, is left out with an
``error`` problem naming its segment; the others are kept.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from rasid.travel.dates import clock, day_first_at
from rasid.travel.edifact import DEFAULT_DELIMITERS, Delimiters, Message, Segment
from rasid.travel.errors import Problem, Severity, excerpt
from rasid.travel.freetext import read_contact, read_doco, read_docs, split_title
from rasid.travel.pnr import (
    Agency,
    Contact,
    FrequentFlyer,
    HistoryItem,
    Leg,
    Pnr,
    PnrBatch,
    Remark,
    Seat,
    Ssr,
    Ticket,
)
from rasid.travel.pnrparts import (
    CheckInDraft,
    LegDraft,
    PnrDraft,
    TravellerDraft,
    address,
    agency,
    amounts,
    checked_bags,
    count,
    excess_bags,
    finish_pnr,
    free_text,
    payments,
    render,
    seats,
)

# Segments read elsewhere or carrying nothing mapped here (fares, pricing).
UNMAPPED = frozenset({"FAR", "PTK", "PTS", "TRA", "UNS", "MSG"})
LEG_CONTEXTS = ("leg", "checkin")


class _Reader:
    """One pass over a PNRGOV message's segments."""

    def __init__(self, message: Message, reference: date, delimiters: Delimiters) -> None:
        self.message = message
        self.reference = reference
        self.d = delimiters
        self.problems: list[Problem] = []
        self.function = ""
        self.sender: Agency | None = None
        self.flight: Leg | None = None
        self.pnr_count: int | None = None
        self.pnrs: list[Pnr] = []
        self.pnr: PnrDraft | None = None
        self.handlers: dict[str, Callable[[PnrDraft, Segment], None]] = {
            "RCI": self.on_rci,
            "TIF": self.on_tif,
            "TVL": self.on_tvl,
            "SSR": self.on_ssr,
            "IFT": self.on_ift,
            "DAT": self.on_dat,
            "ADD": self.on_add,
            "FTI": self.on_fti,
            **dict.fromkeys(("EBD", "TBD"), self.on_bags),
            **dict.fromkeys(("TKT", "FOP", "MON", "TXD"), self.on_ticket),
            **dict.fromkeys(("RPI", "APD", "TRI", "SSD"), self.on_leg_detail),
        }

    def note(self, segment: Segment, reason: str, severity: Severity = "warning") -> None:
        self.problems.append(Problem.at(segment, reason, severity, self.message.reference))

    def leg(self, segment: Segment, non_air: bool = False) -> Leg:
        """A flight from a TVL segment (an arrival without a date is on the departure date)."""
        dep_day, dep_time, arr_day, arr_time = (segment.component(0, i).strip() for i in range(4))
        if len(arr_day) == 4 and not arr_time and clock(arr_day) is not None:
            self.note(segment, "TVL arrival time given in the date's place; read as a time")
            arr_day, arr_time = "", arr_day
        departure = day_first_at(dep_day, dep_time, self.reference) if dep_day else None
        arrival = None
        if arr_day or arr_time:
            arrival = day_first_at(arr_day or dep_day, arr_time, self.reference)
        times = (
            ("departure", dep_day, dep_time, departure),
            ("arrival", arr_day, arr_time, arrival),
        )
        for name, day, at, moment in times:
            if (day or at) and moment is None:
                shown = f"{excerpt(day)} {excerpt(at)}" if at else excerpt(day)
                self.note(segment, f"TVL {name} {shown} is not a date and time")
        return Leg(
            carrier=segment.component(3, 0).strip(),
            flight_number=segment.component(4, 0).strip(),
            departure_airport=segment.component(1, 0).strip(),
            arrival_airport=segment.component(2, 0).strip(),
            departure=departure,
            arrival=arrival,
            operating_carrier=segment.component(3, 1).strip(),
            booking_class=segment.component(4, 1).strip(),
            non_air=non_air,
            place_name=segment.component(1, 1).strip() if non_air else "",
            position=segment.position,
            line=segment.line,
        )

    # Message level -----------------------------------------------------------------------

    def message_level(self, segment: Segment) -> None:
        tag = segment.tag
        if tag == "MSG":
            self.function = segment.component(0, 1).strip() or segment.element(0).strip()
        elif tag == "ORG":
            self.sender = self.sender or agency(segment)
        elif tag == "TVL":
            if self.flight is None:
                self.flight = self.leg(segment)
            else:
                self.note(segment, "second TVL before the first PNR ignored")
        elif tag == "EQN":
            self.pnr_count = count(segment.element(0))
        elif tag == "RCI":
            self.note(segment, "PNR without SRC; read from its RCI")
            self.pnr = PnrDraft(segment)
            self.pnr_level(self.pnr, segment)
        elif tag != "DAT":
            self.note(segment, f"{excerpt(tag, 4)} before the first PNR ignored")

    # PNR groups ----------------------------------------------------------------------------

    def on_rci(self, pnr: PnrDraft, segment: Segment) -> None:
        found = [
            (segment.component(i, 0).strip(), segment.component(i, 1).strip())
            for i in range(len(segment.elements))
        ]
        found = [pair for pair in found if pair[1]]
        if not pnr.locators and found:
            pnr.locators = found
            day, at = segment.component(0, 3).strip(), segment.component(0, 4).strip()
            early = segment.component(0, 2).strip()
            if len(early) == 6 and early.isdigit() and not at:
                self.note(segment, "RCI date one component early; read as the creation date")
                day, at = early, day
            pnr.created = day_first_at(day, at, self.reference) if day else None
            return
        for pair in found:
            if pair not in pnr.locators and pair not in pnr.related:
                pnr.related.append(pair)

    def on_tif(self, pnr: PnrDraft, segment: Segment) -> None:
        reference = segment.component(1, 2).strip()
        if pnr.context in LEG_CONTEXTS:
            given, _ = split_title(segment.component(1, 0))
            check_in = pnr.check_in or CheckInDraft(reference)
            check_in.traveller_ref = check_in.traveller_ref or reference
            check_in.surname = segment.component(0, 0).strip()
            check_in.given_names = given
            pnr.check_in = check_in
            pnr.context = "checkin"
        else:
            pnr.travellers.append(TravellerDraft(segment, reference))
            pnr.context = "traveller"

    def on_tvl(self, pnr: PnrDraft, segment: Segment) -> None:
        if pnr.context in LEG_CONTEXTS and not segment.element(0) and not segment.element(1):
            return  # the departure control system's own line for the current leg
        pnr.close_check_in()
        pnr.legs.append(LegDraft(self.leg(segment, pnr.non_air)))
        pnr.non_air, pnr.context = False, "leg"

    def on_ssr(self, pnr: PnrDraft, segment: Segment) -> None:
        reference = segment.component(1, 2).strip() or pnr.traveller_ref()
        ssr = Ssr(
            code=segment.component(0, 0).strip().upper(),
            text=free_text(segment.components(0)[8:], self.d),
            status=segment.component(0, 1).strip(),
            quantity=segment.component(0, 2).strip(),
            carrier=segment.component(0, 3).strip(),
            traveller_ref=reference,
            position=segment.position,
        )
        if ssr.code in ("DOCS", "DOCO"):
            read = read_docs if ssr.code == "DOCS" else read_doco
            document = read(ssr.text, self.reference)
            if document is None:
                self.note(segment, f"SSR {ssr.code} text not read")
            else:
                pnr.documents.append((reference, document, segment))
        if pnr.context in LEG_CONTEXTS and pnr.legs:
            pnr.legs[-1].ssrs.append(ssr)
            if ssr.code == "SEAT":
                pnr.legs[-1].seats.extend(seats(segment, ssr.text))
        elif pnr.context == "traveller" and pnr.travellers:
            pnr.travellers[-1].ssrs.append(ssr)
        else:
            pnr.ssrs.append(ssr)

    def on_ift(self, pnr: PnrDraft, segment: Segment) -> None:
        qualifier = ":".join(c.strip() for c in segment.components(0)[:2])
        words = [free_text(segment.components(i), self.d) for i in range(1, len(segment.elements))]
        text = " ".join(w for w in words if w)
        if not text:
            return
        reference = pnr.traveller_ref()
        contact = read_contact(text, "IFT", reference)
        if contact is not None:
            pnr.contacts.append(contact)
        remark = Remark(qualifier, text, reference, segment.position)
        if pnr.context == "traveller" and pnr.travellers:
            pnr.travellers[-1].remarks.append(remark)
        else:
            pnr.remarks.append(remark)

    def on_dat(self, pnr: PnrDraft, segment: Segment) -> None:
        for i in range(len(segment.elements)):
            qualifier, day = segment.component(i, 0).strip(), segment.component(i, 1).strip()
            if not day:
                continue
            at = segment.component(i, 2)
            moment = day_first_at(day, at, self.reference)
            if moment is None:
                shown = f"{excerpt(day)} {excerpt(at)}" if at.strip() else excerpt(day)
                self.note(segment, f"DAT {shown} is not a date and time")
            elif pnr.context in LEG_CONTEXTS and pnr.legs:
                pnr.legs[-1].checked_at = moment
            elif pnr.context == "traveller" and pnr.tickets and qualifier == "710":
                pnr.tickets[-1] = replace(pnr.tickets[-1], issued=moment.date())
            else:
                pnr.dates.append((qualifier, moment))

    def on_add(self, pnr: PnrDraft, segment: Segment) -> None:
        reference = pnr.traveller_ref()
        found, phone = address(segment, self.d, reference)
        if found is not None:
            pnr.addresses.append(found)
        if phone:
            purpose = found.purpose if found else ""
            pnr.contacts.append(Contact("phone", phone, purpose, "ADD", reference))

    def on_bags(self, pnr: PnrDraft, segment: Segment) -> None:
        if segment.tag == "EBD":
            pnr.excess_bags.append(excess_bags(segment, self.d, pnr.traveller_ref()))
            return
        if pnr.check_in is None:
            self.note(segment, "TBD outside a check-in (TRI) group")
        check_in = pnr.check_in or CheckInDraft("")
        flight = pnr.legs[-1].leg.flight if pnr.legs else ""
        check_in.bags = checked_bags(segment, check_in.traveller_ref, flight)
        pnr.check_in = check_in

    def on_ticket(self, pnr: PnrDraft, segment: Segment) -> None:
        reference = pnr.traveller_ref()
        if segment.tag == "TKT":
            number, kind = segment.component(0, 0).strip(), segment.component(0, 1).strip()
            pnr.tickets.append(Ticket(number, kind, reference))
        elif segment.tag == "FOP":
            pnr.payments.extend(payments(segment, self.d, reference))
        elif not pnr.tickets:
            self.note(segment, f"{segment.tag} without a ticket (TKT) before it")
        elif segment.tag == "MON":
            last = pnr.tickets[-1]
            pnr.tickets[-1] = replace(last, amounts=last.amounts + amounts(segment, self.d))
        else:
            last = pnr.tickets[-1]
            pnr.tickets[-1] = replace(last, taxes=last.taxes + amounts(segment, self.d))

    def on_leg_detail(self, pnr: PnrDraft, segment: Segment) -> None:
        if not pnr.legs or pnr.context not in LEG_CONTEXTS:
            self.note(segment, f"{segment.tag} outside an itinerary (TVL) group ignored")
            return
        draft = pnr.legs[-1]
        if segment.tag == "RPI":
            size, status = count(segment.element(0)), segment.element(1).strip()
            draft.details.update(party_size=size, status=status)
        elif segment.tag == "APD":
            draft.details["aircraft"] = segment.element(0).strip()
        elif segment.tag == "TRI":
            pnr.close_check_in()
            pnr.check_in = CheckInDraft(
                segment.component(1, 3).strip(),
                sequence=segment.component(1, 0).strip(),
                at=draft.checked_at,
                flight=draft.leg.flight,
            )
            pnr.context = "checkin"
        else:  # SSD
            seat, cabin = segment.element(0).strip(), segment.element(4).strip()
            reference = pnr.check_in.traveller_ref if pnr.check_in else ""
            draft.seats.append(Seat(seat, reference, cabin, "SSD"))
            if pnr.check_in is not None:
                pnr.check_in.seat, pnr.check_in.cabin = seat, cabin

    def on_fti(self, pnr: PnrDraft, segment: Segment) -> None:
        parts = segment.components(0)
        tier = next((p.strip() for p in reversed(parts[2:]) if p.strip()), "")
        airline, number = segment.component(0, 0).strip(), segment.component(0, 1).strip()
        account = FrequentFlyer(airline, number, tier, pnr.traveller_ref())
        if pnr.context == "traveller" and pnr.travellers:
            pnr.travellers[-1].frequent_flyers.append(account)
        pnr.frequent_flyers.append(account)

    def on_history(self, pnr: PnrDraft, segment: Segment) -> None:
        tag = segment.tag
        if tag == "ABI":
            values = [v for i in range(1, len(segment.elements)) for v in segment.values(i)]
            pnr.author, pnr.at, pnr.action, pnr.in_change = " ".join(values), None, "", False
        elif tag == "DAT":
            pnr.at = day_first_at(segment.component(0, 1), segment.component(0, 2), self.reference)
        elif tag == "SAC":
            pnr.action, pnr.in_change = segment.component(2, 0).strip(), False
        elif tag == "LTS":
            text = free_text(segment.components(0), self.d)
            pnr.history.append(HistoryItem("LTS", text, position=segment.position))
        elif pnr.in_change and pnr.history:
            last = pnr.history[-1]
            pnr.history[-1] = replace(last, text=f"{last.text} {render(segment, self.d)}")
        else:
            text = render(segment, self.d)
            pnr.history.append(
                HistoryItem("ABI", text, pnr.action, pnr.at, pnr.author, segment.position)
            )
            pnr.in_change = True

    def pnr_level(self, pnr: PnrDraft, segment: Segment) -> None:
        tag = segment.tag
        if tag == "ABI":
            pnr.close_check_in()
            pnr.context = "history"
        if pnr.context == "history" or tag == "LTS":
            self.on_history(pnr, segment)
        elif tag == "MSG" and segment.element(0).strip() == "8":
            pnr.non_air = True
        elif tag == "EQN":
            pnr.close_check_in()
            pnr.context = "split"
        elif tag == "ORG":
            if pnr.agency is None and pnr.context == "pnr":
                pnr.agency = agency(segment)
        elif tag == "REF":
            if pnr.context == "traveller" and pnr.travellers:
                pnr.travellers[-1].passenger_id = segment.component(0, 1).strip()
        elif tag in self.handlers:
            self.handlers[tag](pnr, segment)
        elif tag not in UNMAPPED:
            self.note(segment, f"segment {excerpt(tag, 4)} not expected in a PNR")

    # The message -------------------------------------------------------------------------

    def close_pnr(self) -> None:
        if self.pnr is not None:
            found = finish_pnr(self.pnr, self.note)
            if found is not None:
                self.pnrs.append(found)
        self.pnr = None

    def read(self) -> None:
        for segment in self.message.segments:
            if segment.tag == "SRC":
                self.close_pnr()
                self.pnr = PnrDraft(segment)
            elif self.pnr is None:
                self.message_level(segment)
            else:
                self.pnr_level(self.pnr, segment)
        self.close_pnr()
        header = self.message.header
        if self.flight is None:
            self.note(
                header, "no flight (TVL) before the first PNR: the flight is unknown", "error"
            )
        if not self.pnrs and not any(p.is_error for p in self.problems):
            self.note(header, "no PNR (SRC) in the message")
        if self.pnr_count is not None and self.pnr_count != len(self.pnrs):
            self.note(header, f"EQN announces {self.pnr_count} PNRs, {len(self.pnrs)} read")


def read_batch(
    message: Message, reference: date, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> PnrBatch:
    """The PNR batch of one PNRGOV message; ``reference`` (the interchange date) chooses the
    century of two-digit years, ``delimiters`` put free text split on them back together."""
    reader = _Reader(message, reference, delimiters)
    reader.read()
    return PnrBatch(
        reference=message.reference,
        common_access_reference=message.common_access_reference,
        version=message.version_release,
        function=reader.function,
        sender=reader.sender,
        flight=reader.flight,
        pnr_count=reader.pnr_count,
        pnrs=tuple(reader.pnrs),
        problems=tuple(reader.problems),
        position=message.header.position,
        line=message.header.line,
    )


def join_batches(parts: list[PnrBatch]) -> PnrBatch:
    """One batch from the parts of a split message, in order: the flight of the first part
    and the PNRs of all (the announced counts added up)."""
    first = parts[0]
    counts = [p.pnr_count for p in parts if p.pnr_count is not None]
    return replace(
        first,
        flight=first.flight or next((p.flight for p in parts if p.flight), None),
        pnr_count=sum(counts) if counts else None,
        pnrs=tuple(pnr for p in parts for pnr in p.pnrs),
        problems=tuple(problem for p in parts for problem in p.problems),
        parts=len(parts),
    )
