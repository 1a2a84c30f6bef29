"""Evaluating targeting rules on stored travellers.

The travellers are read in chunks of ``CHUNK`` ids, each chunk's context in a few set-based
queries (the traveller rows with their flights, then only what the rules need: the
bookings, their itineraries, the other travellers of each booking, the bookings' newest
versions), so that a day at a hub airport is a few hundred queries, not a few per traveller.

A rule matches when every criterion of its "all" group holds and, if it has an "any"
group, one of those; its match carries one reason per criterion that held, with the
traveller's value (``rasid.travel.facts``) and the rule's.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select

from rasid.model.text import normalize_text
from rasid.screen.model import Match, Reason
from rasid.store.chunks import chunks
from rasid.store.tables import booking, booking_flight, booking_version, flight, traveller
from rasid.travel.criteria import Criteria, Criterion, item_text, rule_text
from rasid.travel.facts import Context, Fact, Row, json_object

CHUNK = 1000  # traveller ids per round of queries

TRAVELLER_COLUMNS = (
    traveller.c.id,
    traveller.c.dataset,
    traveller.c.flight_id,
    traveller.c.booking_id,
    traveller.c.source,
    traveller.c.role,
    traveller.c.surname,
    traveller.c.birth_date,
    traveller.c.nationality,
    traveller.c.residence_country,
    traveller.c.booking_reference,
    traveller.c.documents,
    traveller.c.entity_id,
)
FLIGHT_COLUMNS = (
    flight.c.carrier,
    flight.c.flight_number,
    flight.c.departure_airport,
    flight.c.arrival_airport,
    flight.c.departure_date,
    flight.c.scheduled_departure,
)


@dataclass(frozen=True)
class TargetRule:
    """A rule as evaluation needs it: its id, name and criteria."""

    id: int
    name: str
    criteria: Criteria


# Comparing ------------------------------------------------------------------------------


def holds(criterion: Criterion, fact: Fact) -> bool:
    """True when the traveller's value meets the criterion (never when it is unknown)."""
    if fact is None:
        return False
    op, value = criterion.op, criterion.value
    if op in ("in", "not_in"):
        wanted = set(value)
        found = bool(fact & wanted) if isinstance(fact, frozenset) else fact in wanted
        return found if op == "in" else not found
    if op == "contains_any":
        text = f" {fact} "
        return any(f" {_normal(term)} " in text for term in value)
    if op == "between":
        return bool(value[0] <= fact <= value[1])
    return bool(COMPARE[op](fact, value))


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "is": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "on_or_after": lambda a, b: a >= b,
    "on_or_before": lambda a, b: a <= b,
}


def shown_fact(criterion: Criterion, fact: Fact, lang: str = "en") -> str:
    """The traveller's value as the explanation states it (for "one of", the values that
    matched); in Arabic, a choice by its label and yes or no in Arabic."""
    comma = "، " if lang == "ar" else ", "
    if isinstance(fact, frozenset):
        if criterion.op == "in":
            fact = fact & set(criterion.value)
        return comma.join(item_text(criterion.spec, f, lang) for f in sorted(fact)) or _NONE[lang]
    if criterion.field == "remark_contains":
        return comma.join(t for t in criterion.value if f" {_normal(t)} " in f" {fact} ")
    return item_text(criterion.spec, fact, lang)


_NONE = {"en": "none", "ar": "لا شيء"}


def rule_reason(criterion: Criterion, fact: Fact, share: float) -> Reason:
    """A criterion that held, as a step of the rule's explanation, worded in English
    (``booked 5 h before departure (rule: under 24 h)``) and, as its arguments, in both
    languages (``rasid.screen.wording``)."""
    spec = criterion.spec
    said, asks = spec.says.format(value=shown_fact(criterion, fact)), _asks(criterion)
    args = (
        ("said", said),
        ("asks", asks),
        ("said_ar", spec.says_ar.format(value=shown_fact(criterion, fact, "ar"))),
        ("asks_ar", _asks(criterion, "ar")),
    )
    return Reason("rule", f"{said} (rule: {asks})", share, "rule", args)


@lru_cache(maxsize=4096)
def _normal(term: str) -> str:
    return normalize_text(term)


@lru_cache(maxsize=4096)
def _asks(criterion: Criterion, lang: str = "en") -> str:
    """What a criterion asks, worked out once (it is the same for every traveller)."""
    return rule_text(criterion, lang)


def match_rule(rule: TargetRule, ctx: Context) -> Match | None:
    """The rule's match on one traveller, with a reason per criterion that held; None when
    it does not match."""
    held: list[tuple[Criterion, Fact]] = []
    for criterion in rule.criteria.every:
        fact = ctx.fact(criterion.field)
        if not holds(criterion, fact):
            return None
        held.append((criterion, fact))
    some = [(c, ctx.fact(c.field)) for c in rule.criteria.some]
    some = [(c, fact) for c, fact in some if holds(c, fact)]
    if rule.criteria.some and not some:
        return None
    held.extend(some)
    share = 1.0 / len(held)
    reasons = [rule_reason(c, fact, share) for c, fact in held]
    return Match(f"rule:{rule.id}", 1.0, True, rule.name, reasons, kind="rule")


# Loading context -------------------------------------------------------------------------


def needs_of(rules: Sequence[TargetRule]) -> frozenset[str]:
    """What data the rules read, together."""
    found: set[str] = set()
    for rule in rules:
        found |= rule.criteria.needs()
    return frozenset(found)


def _contexts(
    conn: Connection,
    ids: Sequence[str],
    needs: frozenset[str],
    listed: Collection[str],
    today: date,
) -> list[Context]:
    """The contexts of a chunk of traveller ids, in a few queries."""
    query = select(*TRAVELLER_COLUMNS, *FLIGHT_COLUMNS).select_from(
        traveller.outerjoin(flight, traveller.c.flight_id == flight.c.id)
    )
    rows = [r._mapping for r in conn.execute(query.where(traveller.c.id.in_(ids)))]
    contexts = [Context(row, today, listed) for row in rows]
    booking_ids = sorted({str(r["booking_id"]) for r in rows if r["booking_id"]})
    if needs & {"booking", "itinerary", "version"}:
        _add_bookings(conn, contexts, booking_ids, "version" in needs)
    if "itinerary" in needs:
        _add_legs(conn, contexts, booking_ids)
    if "group" in needs:
        _add_companions(conn, contexts, booking_ids)
    return contexts


def _add_bookings(
    conn: Connection, contexts: list[Context], booking_ids: list[str], versions: bool
) -> None:
    if not booking_ids:
        return
    query = select(booking).where(booking.c.id.in_(booking_ids))
    found = {r.id: r._mapping for r in conn.execute(query)}
    data: dict[str, Mapping[str, Any]] = {}
    if versions and found:
        wanted = [b["current_version"] for b in found.values()]
        query = select(booking_version.c.id, booking_version.c.data)
        for row in conn.execute(query.where(booking_version.c.id.in_(wanted))):
            data[row.id] = json_object(row.data)
    for ctx in contexts:
        ctx.booking = found.get(ctx.row["booking_id"])
        if ctx.booking is not None:
            ctx.version = data.get(ctx.booking["current_version"])


def _add_legs(conn: Connection, contexts: list[Context], booking_ids: list[str]) -> None:
    if not booking_ids:
        return
    query = (
        select(booking_flight.c.booking_id, *FLIGHT_COLUMNS)
        .join(flight, booking_flight.c.flight_id == flight.c.id)
        .where(booking_flight.c.booking_id.in_(booking_ids))
        .order_by(booking_flight.c.booking_id, booking_flight.c.position)
    )
    found: dict[str, list[Row]] = defaultdict(list)
    for row in conn.execute(query):
        found[row.booking_id].append(row._mapping)
    for ctx in contexts:
        ctx.legs = found.get(ctx.row["booking_id"], [])


def _add_companions(conn: Connection, contexts: list[Context], booking_ids: list[str]) -> None:
    """The travellers of each booking; for API data without a booking, those of the same
    booking reference on the same flight."""
    columns = (traveller.c.id, traveller.c.entity_id, traveller.c.booking_id)
    found: dict[object, list[Row]] = defaultdict(list)
    if booking_ids:
        query = select(*columns).where(traveller.c.booking_id.in_(booking_ids))
        for row in conn.execute(query):
            found[row.booking_id].append(row._mapping)
    flights = sorted({str(c.row["flight_id"]) for c in contexts if _api_party(c.row)})
    if flights:
        same_flight = select(*columns, traveller.c.flight_id, traveller.c.booking_reference).where(
            traveller.c.flight_id.in_(flights),
            traveller.c.booking_id.is_(None),
            traveller.c.booking_reference != "",
        )
        for other in conn.execute(same_flight):
            found[(other.flight_id, other.booking_reference)].append(other._mapping)
    for ctx in contexts:
        key = ctx.row["booking_id"] or (ctx.row["flight_id"], ctx.row["booking_reference"])
        ctx.companions = [c for c in found.get(key, []) if c["id"] != ctx.row["id"]]


def _api_party(row: Row) -> bool:
    return not row["booking_id"] and bool(row["flight_id"]) and bool(row["booking_reference"])


def evaluate(
    conn: Connection,
    rules: Sequence[TargetRule],
    traveller_ids: Sequence[str],
    listed: Collection[str],
    today: date,
) -> dict[str, list[Match]]:
    """The rules' matches on the travellers, by traveller id (only those matched)."""
    found: dict[str, list[Match]] = {}
    if not rules:
        return found
    needs = needs_of(rules)
    listed = listed if isinstance(listed, set | frozenset) else set(listed)
    unique = list(dict.fromkeys(traveller_ids))
    for part in chunks(unique, CHUNK):
        for ctx in _contexts(conn, part, needs, listed, today):
            matches = [m for m in (match_rule(r, ctx) for r in rules) if m is not None]
            if matches:
                found[str(ctx.row["id"])] = matches
    return found
