"""Reader for travel messages: API (UN/EDIFACT PAXLST) and PNR (PNRGOV) files.

A file is parsed whole (``rasid.travel.parse``), every PNR passes the safeguard on receipt
(``rasid.travel.sensitive``) before anything else sees it, and then:

* every traveller becomes an FtM ``Person`` and each numbered travel document a ``Passport``
  (type P...) or an ``Identification`` (visas, identity cards...) held by the person, with
  ids from the dataset and the record's key (``rasid.travel.rows``), so they carry the
  dataset's marking, legal basis and retention like any other import;
* each problem of severity error (a record left out) is quarantined as ``Rejected`` at
  ``segment N (TAG), line L``, with no raw text: a segment may hold card numbers or the very
  data the safeguard removes, and the sender keeps the file. Warnings (slips that were
  recovered) are kept with the file's record in ``travel_message.problems``, not in the
  quarantine: no value was lost;
* one ``TableWrite`` stores the file's flights, bookings and their versions, and travellers
  (``rasid.travel.store``).

A manifest without a flight leg, or a PNR batch with neither a flight nor a PNR, is not
usable; a file with no usable message stores nothing but its record, so the import reads
nothing and says why. A file that is not UN/EDIFACT at all is ``UnreadableInput``.
"""

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial

import followthemoney
from followthemoney.statement.entity import StatementEntity
from followthemoney.types import registry
from sqlalchemy import Connection

from rasid.ingest.errors import UnreadableInput
from rasid.ingest.fingerprints import digest
from rasid.ingest.records import (
    Dropped,
    Fingerprinted,
    Item,
    ReadContext,
    Rejected,
    RunInfo,
    Source,
    TableWrite,
    Written,
    add_value,
)
from rasid.model.keys import sha256_hex
from rasid.travel.errors import EdifactError, where
from rasid.travel.manifest import Manifest, Traveller
from rasid.travel.parse import Format, ParseResult, parse
from rasid.travel.pnr import Pnr, PnrBatch, PnrTraveller
from rasid.travel.rows import Plan, Planner, close, message_row
from rasid.travel.sensitive import screen_pnr
from rasid.travel.store import save_plan

GENDERS = {"M": "male", "F": "female", "MI": "male", "FI": "female"}  # MI/FI: infants
# Issuing-state codes of ICAO Doc 9303 that are not ISO 3166 codes.
ICAO_STATES = {"D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBP": "GB", "GBS": "GB"}
# FtM types whose cleaning depends on the value alone (an entity reference also depends
# on the entity it is added to). The same birth dates, countries and e-mail addresses come
# again in every push of a booking and in the manifest: each is cleaned once per process.
PURE_TYPES = frozenset({"country", "date", "email", "gender", "identifier", "name", "string"})


@lru_cache(maxsize=65536)
def _cleaned(type_name: str, text: str) -> str | None:
    """``text`` as FtM's type of this name cleans it (None: rejected or empty)."""
    return registry.get(type_name).clean(text)


def read_travel(source: Source, ctx: ReadContext, fmt: Format) -> Iterator[Item]:
    """Read a PAXLST or PNRGOV file: its people as entities, its errors as rejected records,
    and its flights, bookings and travellers as one write of the travel tables."""
    with source.open_binary() as fh:
        data = fh.read()
    try:
        result = parse(data, format=fmt, source=source.label)
    except EdifactError as exc:
        raise UnreadableInput(str(exc)) from None
    for problem in result.errors:
        place = where("", problem.segment_position, problem.line, problem.tag)
        yield Rejected(place, problem.reason)
    file_hash = sha256_hex(data)
    planner = Planner(
        ctx.dataset, message_row(ctx.dataset, source.label, result, file_hash), ctx.make_id
    )
    usable = yield from _read_messages(result, planner, ctx)
    if not usable and not result.errors:
        yield Rejected(_first_message(result), "no usable message: no flight and no booking")
    close(planner.plan, result, usable)
    yield TableWrite(partial(_write, planner.plan))


def _read_messages(
    result: ParseResult, planner: Planner, ctx: ReadContext
) -> Generator[Item, None, int]:
    """The entities of every usable manifest and PNR batch; returns how many were usable."""
    usable = 0
    for manifest in result.manifests:
        if manifest.legs:
            usable += 1
            for traveller, person in planner.add_manifest(manifest):
                yield api_entities(ctx, traveller, person)
    for batch in result.pnr_batches:
        if batch.pnrs or batch.flight is not None:
            usable += 1
            screened = [screen_pnr(pnr) for pnr in batch.pnrs]
            for pnr, booked, person in planner.add_batch(batch, screened):
                yield pnr_entities(ctx, pnr, booked, person)
    return usable


def _first_message(result: ParseResult) -> str:
    records: list[Manifest | PnrBatch] = [*result.manifests, *result.pnr_batches]
    first = min(records, key=lambda r: r.position, default=None)
    return where("", first.position, first.line, "UNH") if first else "input"


def _write(plan: Plan, conn: Connection, run: RunInfo) -> Written:
    fresh = save_plan(conn, plan, run.run_id, run.received_at)
    bookings = sum(1 + len(push.travellers) for push in plan.pushes)
    records = len(plan.flights) + len(plan.travellers) + bookings
    counts = {
        **plan.counts(),
        "warnings": plan.message["warnings"],
        "received_before": 0 if fresh else 1,
    }
    return Written(records, counts)


# Entities --------------------------------------------------------------------------------

# Part of every traveller's fingerprint: a release that builds entities otherwise (this
# module, or FtM's cleaning) builds them again rather than mark the old ones seen.
BUILDER = f"travel-entities/1 followthemoney/{followthemoney.__version__}"


def add_text(entity: StatementEntity, prop: str, text: str, location: str) -> Dropped | None:
    """Add a value as ``add_value`` does, the cleaning of values of ``PURE_TYPES``
    remembered; a value FtM rejects comes back as Dropped."""
    prop_obj = entity.schema.get(prop)
    if prop_obj is not None and prop_obj.type.name in PURE_TYPES:
        cleaned = _cleaned(prop_obj.type.name, text)
        if cleaned is not None:  # what add_value adds, its cleaning remembered
            entity.unsafe_add(prop_obj, cleaned, cleaned=True, original_value=text)
            return None
    # Anything else (empty, rejected, a reference to an entity) as every reader does.
    return add_value(entity, prop, text, location)


@dataclass
class _Draft:
    """An entity as the reader describes it: schema, id and the texts to add, in order."""

    schema: str
    id: str
    values: list[tuple[str, str]] = field(default_factory=list)


class _Builder:
    """The entities of one traveller, described first (``_Draft``) and fingerprinted, and
    built as FtM entities only when the dataset does not hold them as they are
    (``rasid.ingest.fingerprints``)."""

    def __init__(self, ctx: ReadContext, location: str) -> None:
        self.ctx, self.location = ctx, location
        self.drafts: list[_Draft] = []

    def add(self, draft: _Draft, prop: str, value: str | date | None) -> None:
        """Add a value (a date in ISO form); an empty one is left out."""
        text = value.isoformat() if isinstance(value, date) else value
        if text is not None and text.strip():
            draft.values.append((prop, text))

    def draft(self, schema: str, entity_id: str) -> _Draft:
        """A new entity of this traveller."""
        draft = _Draft(schema, entity_id)
        self.drafts.append(draft)
        return draft

    def person(self, person_id: str, surname: str, given: str) -> _Draft:
        """A Person with its names: the full name, the given names and the surname."""
        person = self.draft("Person", person_id)
        self.add(person, "name", f"{given} {surname}".strip())
        self.add(person, "firstName", given)
        self.add(person, "lastName", surname)
        return person

    def document(self, holder: _Draft, kind: str, number: str, country: str) -> _Draft:
        """A Passport (types starting with P) or Identification held by ``holder``; its number
        also goes on the holder (passportNumber, or idNumber for an identity card)."""
        schema = "Passport" if kind.upper().startswith("P") else "Identification"
        document_id = self.ctx.make_id("travel-document", holder.id, kind.upper(), number)
        document = self.draft(schema, document_id)
        self.add(document, "holder", holder.id)
        self.add(document, "number", number)
        self.add(document, "type", kind)
        self.add(document, "country", country_code(country))
        if schema == "Passport":
            self.add(holder, "passportNumber", number)
        elif kind.upper() == "I":
            self.add(holder, "idNumber", number)
        return document

    def fingerprint(self) -> str:
        """A hash of every entity's schema, id and values."""
        rows = [
            (draft.schema, draft.id, prop, text)
            for draft in self.drafts
            for prop, text in draft.values
        ]
        return digest([(BUILDER,), *rows])

    def entities(self) -> Iterator[StatementEntity | Dropped]:
        """The values FtM refuses (as Dropped), then the entities (a document sent twice
        is one id: its values are joined on import)."""
        built: list[StatementEntity] = []
        for draft in self.drafts:
            entity = self.ctx.make_entity(draft.schema, draft.id)
            for prop, text in draft.values:
                dropped = add_text(entity, prop, text, self.location)
                if dropped is not None:
                    yield dropped
            built.append(entity)
        yield from built

    def item(self) -> Fingerprinted:
        """The traveller's entities as one fingerprinted record, led by the person."""
        return Fingerprinted(self.drafts[0].id, self.fingerprint(), self.entities)


def country_code(value: str) -> str:
    """A country as FtM reads it: ICAO's own issuing-state codes (``D`` for Germany) made
    ISO codes, others as given."""
    value = value.strip().upper()
    return ICAO_STATES.get(value, value)


def api_entities(ctx: ReadContext, traveller: Traveller, person_id: str) -> Fingerprinted:
    """A manifest's traveller as a Person and their documents."""
    build = _Builder(ctx, where("", traveller.position, traveller.line, "NAD"))
    person = build.person(person_id, traveller.surname, traveller.given_names)
    build.add(person, "birthDate", traveller.date_of_birth)
    build.add(person, "gender", GENDERS.get(traveller.sex.upper()))
    build.add(person, "nationality", country_code(traveller.nationality))
    build.add(person, "country", country_code(traveller.residence_country))
    build.add(person, "birthPlace", traveller.birth_place)
    for doc in traveller.documents:
        if doc.number:
            entity = build.document(person, doc.type, doc.number, doc.issuing_state)
            build.add(entity, "startDate", doc.issued)
            build.add(entity, "endDate", doc.expiry)
    return build.item()


def pnr_entities(
    ctx: ReadContext, pnr: Pnr, traveller: PnrTraveller, person_id: str
) -> Fingerprinted:
    """A booking's traveller as a Person (with the e-mail addresses given for them) and
    the documents of their SSR DOCS and DOCO."""
    build = _Builder(ctx, where("", traveller.position, traveller.line, "TIF"))
    person = build.person(person_id, traveller.surname, traveller.given_names)
    build.add(person, "title", traveller.title)
    build.add(person, "birthDate", traveller.date_of_birth)
    build.add(person, "gender", GENDERS.get(traveller.sex.upper()))
    build.add(person, "nationality", country_code(traveller.nationality))
    for contact in pnr.contacts:
        if contact.kind == "email" and contact.traveller_ref == traveller.reference:
            build.add(person, "email", contact.value)
    for doc in traveller.documents:
        if not doc.number:
            continue
        country = doc.issuing_country or doc.applicable_country
        entity = build.document(person, doc.type, doc.number, country)
        build.add(entity, "startDate", doc.issued)
        build.add(entity, "endDate", doc.expiry)
        if entity.schema == "Passport":
            build.add(entity, "surname", doc.surname)
            build.add(entity, "givenName", doc.given_names)
            build.add(entity, "birthDate", doc.date_of_birth)
            build.add(entity, "gender", GENDERS.get(doc.sex.upper()))
        build.add(person, "birthPlace", doc.birth_place)
    return build.item()
