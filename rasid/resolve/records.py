"""Reading the store into records to resolve, identifiers normalised.

A record is one entity *as one dataset states it*: the statements of a canonical id are
grouped by dataset, so that two agencies' views of one id stay apart and the pairs the
engine finds are always between two agencies' claims (or two entities of one dataset),
never inside a single claim. A record's ``entity_id`` is the canonical id; two records of
one canonical id are already the same and are never paired.

Identifiers come from the entity's own properties (``passportNumber``, ``phone``,
``iban``...) and from the entities that point at it in the same store: a ``Passport`` or
``Identification`` (``holder``: number and issuing state), a ``UserAccount`` (``owner``:
phone, e-mail), an ``Ownership`` of a ``BankAccount`` (IBAN, account number) and an
``Address`` it names (``addressEntity``: the full address). They are written as:

* document: ``NUMBER@cc`` (upper case, letters and digits only; ``@cc`` the issuing state
  when known: an identity card's or a bare ``passportNumber``'s state is not, and is left
  off rather than guessed);
* phone: digits only, international form (``+962 79 600 6676`` gives ``962796006676``);
* email: lower case; account: upper case without separators (IBANs and account numbers);
* registration: ``NUMBER@cc`` with the jurisdiction when the entity has exactly one.
"""

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from followthemoney import model
from followthemoney.statement.util import BASE_ID
from sqlalchemy import Connection, select

from rasid.model.handling import NO_SHARE
from rasid.model.markings import Marking
from rasid.resolve.model import Record
from rasid.retention.mask import masked_props
from rasid.store.tables import statement

# Persons, organisations and every other kind of legal entity.
LEGAL_ENTITIES = tuple(sorted({s.name for s in model["LegalEntity"].descendants} | {"LegalEntity"}))
NAME_PROPS = ("name", "alias", "previousName")
OWN_PROPS = (
    BASE_ID, *NAME_PROPS, "birthDate", "gender", "nationality", "citizenship", "country",
    "jurisdiction", "passportNumber", "idNumber", "phone", "email", "registrationNumber",
    "innCode", "ogrnCode", "leiCode", "taxNumber", "vatCode", "address", "addressEntity",
)  # fmt: skip
# Linked entities: schema -> (the property pointing at the record's entity, ...values).
LINKED = {
    "Passport": ("holder", "number", "country"),
    "Identification": ("holder", "number", "country"),
    "UserAccount": ("owner", "phone", "email"),
    "Ownership": ("owner", "asset"),
    "BankAccount": ("", "iban", "accountNumber"),
    "Address": ("", "full"),
}
REGISTRATION_PROPS = (
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "taxNumber",
    "vatCode",
)
GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female", "other": "other"}
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_SPACES = re.compile(r"\s+")
PAGE = 2000
_GUARDS = (statement.c.marking, statement.c.handling, statement.c.mask_after)


def document(number: str, country: str | None = None) -> str:
    """A document number as compared: ``NUMBER@cc``, or ``NUMBER`` when the state is unknown."""
    clean = _NOT_ALNUM.sub("", number.upper())
    if not clean:
        return ""
    return f"{clean}@{country.lower()}" if country else clean


def phone(value: str) -> str:
    """A phone number as digits in international form (a leading 00 is the same as +)."""
    digits = "".join(c for c in value if c.isdigit())
    return digits[2:] if value.strip().startswith("00") else digits


def email(value: str) -> str:
    """An e-mail address in lower case, spaces removed."""
    return _SPACES.sub("", value).lower()


def account(value: str) -> str:
    """An IBAN or account number: upper case, letters and digits only."""
    return _NOT_ALNUM.sub("", value.upper())


def address(value: str) -> str:
    """An address folded for comparison: lower case, single spaces."""
    return _SPACES.sub(" ", value).strip().lower()


@dataclass
class _Draft:
    """What is gathered for one (canonical id, dataset) before it becomes a Record."""

    schema: str
    values: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    strict: bool = False


class _Usable:
    """Whether a statement may be used (see ``load_records``)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.masked = masked_props()

    def __call__(self, row: Any) -> bool:
        if row.marking == Marking.RED or NO_SHARE in (row.handling or "").lower():
            return False
        due = row.mask_after is not None and row.mask_after <= self.today
        return not (due and row.prop in self.masked)


def load_records(
    conn: Connection,
    datasets: Collection[str] | None = None,
    schemata: Collection[str] = LEGAL_ENTITIES,
    *,
    today: date | None = None,
) -> list[Record]:
    """Every person and organisation of ``datasets`` (all when None) as records, one per
    canonical id and dataset, ordered by id then dataset.

    What no share passes on is left out: TLP:RED statements, those whose handling says
    ``no-share``, and identifying values past their mask date (as of ``today``). A record
    built with a TLP:AMBER+STRICT statement is marked ``strict``: its pairs are shown only
    to those who read that statement."""
    usable = _Usable(today or datetime.now(UTC).date())
    drafts: dict[tuple[str, str], _Draft] = {}
    canonical: dict[str, str] = {}
    for row in _own_rows(conn, datasets, schemata):
        canonical[row.entity_id] = row.canonical_id
        if not usable(row):
            continue
        draft = drafts.get((row.canonical_id, row.dataset))
        if draft is None:
            draft = drafts[(row.canonical_id, row.dataset)] = _Draft(row.schema)
        draft.values[row.prop].append(row.value)
        draft.strict = draft.strict or row.marking == Marking.AMBER_STRICT
    _attach_linked(conn, datasets, drafts, canonical, usable)
    return [_record(cid, ds, drafts[(cid, ds)]) for cid, ds in sorted(drafts)]


def _own_rows(
    conn: Connection, datasets: Collection[str] | None, schemata: Collection[str]
) -> Iterator[Any]:
    """The statements of the wanted entities, a page of canonical ids at a time."""
    where = [statement.c.schema.in_(list(schemata))]
    if datasets is not None:
        where.append(statement.c.dataset.in_(list(datasets)))
    after = ""
    while True:
        ids = (
            select(statement.c.canonical_id)
            .where(*where, statement.c.prop == BASE_ID, statement.c.canonical_id > after)
            .distinct()
            .order_by(statement.c.canonical_id)
            .limit(PAGE)
        )
        page = [r[0] for r in conn.execute(ids)]
        if not page:
            return
        query = select(
            statement.c.entity_id,
            statement.c.canonical_id,
            statement.c.dataset,
            statement.c.schema,
            statement.c.prop,
            statement.c.value,
            *_GUARDS,
        ).where(*where, statement.c.canonical_id.in_(page), statement.c.prop.in_(OWN_PROPS))
        yield from conn.execute(query)
        after = page[-1]


def _linked_rows(
    conn: Connection, datasets: Collection[str] | None, usable: _Usable
) -> dict[str, Any]:
    """Linked entities' usable statements as {entity id: (schema, dataset, {prop: [values]},
    [whether one is TLP:AMBER+STRICT])}."""
    props = {p for spec in LINKED.values() for p in spec if p}
    where = [statement.c.schema.in_(list(LINKED)), statement.c.prop.in_(sorted(props))]
    if datasets is not None:
        where.append(statement.c.dataset.in_(list(datasets)))
    query = select(
        statement.c.entity_id,
        statement.c.schema,
        statement.c.dataset,
        statement.c.prop,
        statement.c.value,
        *_GUARDS,
    ).where(*where)
    found: dict[str, Any] = {}
    for row in conn.execute(query):
        if not usable(row):
            continue
        entry = found.setdefault(
            row.entity_id, (row.schema, row.dataset, defaultdict(list), [False])
        )
        entry[2][row.prop].append(row.value)
        entry[3][0] = entry[3][0] or row.marking == Marking.AMBER_STRICT
    return found


def _attach_linked(
    conn: Connection,
    datasets: Collection[str] | None,
    drafts: dict[tuple[str, str], _Draft],
    canonical: dict[str, str],
    usable: _Usable,
) -> None:
    """Add the identifiers and addresses of the entities linked to each record."""
    linked = _linked_rows(conn, datasets, usable)
    by_id: dict[str, list[_Draft]] = defaultdict(list)
    for (cid, _dataset), draft in drafts.items():
        by_id[cid].append(draft)

    def targets(entity_id: str, dataset: str) -> list[_Draft]:
        # The record of the same dataset when there is one, else every record of the id.
        cid = canonical.get(entity_id)
        if cid is None:
            return []
        own = drafts.get((cid, dataset))
        return [own] if own is not None else by_id[cid]

    for schema, dataset, values, strict in linked.values():
        found, pointer = _linked_identifiers(schema, values, linked)
        for ref in values[pointer] if found else ():
            for draft in targets(ref, dataset):
                draft.identifiers += found
                draft.strict = draft.strict or strict[0]
    for draft in drafts.values():
        for ref in draft.values.get("addressEntity", ()):
            place = linked.get(ref)
            if place is not None and place[0] == "Address":
                draft.addresses += place[2]["full"]
                draft.strict = draft.strict or place[3][0]


def _linked_identifiers(
    schema: str, values: dict[str, list[str]], linked: dict[str, Any]
) -> tuple[list[tuple[str, str]], str]:
    """The identifiers a linked entity gives, and the property naming who they belong to."""
    if schema in ("Passport", "Identification"):
        country = values["country"][0] if len(values["country"]) == 1 else None
        return [("document", document(n, country)) for n in values["number"]], "holder"
    if schema == "UserAccount":
        found = [("phone", phone(v)) for v in values["phone"]]
        return found + [("email", email(v)) for v in values["email"]], "owner"
    if schema == "Ownership":
        numbers = []
        for asset in values["asset"]:
            held = linked.get(asset)
            if held is not None and held[0] == "BankAccount":
                numbers += held[2]["iban"] + held[2]["accountNumber"]
        return [("account", account(v)) for v in numbers], "owner"
    return [], ""


def _identifiers(
    values: dict[str, list[str]], extra: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The record's own identifiers, then the linked ones; bare document numbers that a
    linked document also carries with its state are dropped."""
    found = list(extra)
    found += [("document", document(v)) for v in values.get("passportNumber", [])]
    found += [("document", document(v)) for v in values.get("idNumber", [])]
    found += [("phone", phone(v)) for v in values.get("phone", [])]
    found += [("email", email(v)) for v in values.get("email", [])]
    places = values.get("jurisdiction", []) or values.get("country", [])
    where = places[0] if len(set(places)) == 1 else None
    for prop in REGISTRATION_PROPS:
        found += [("registration", document(v, where)) for v in values.get(prop, [])]
    with_state = {v.split("@")[0] for k, v in found if k == "document" and "@" in v}
    kept = {
        (k, v) for k, v in found if v and not (k == "document" and "@" not in v and v in with_state)
    }
    return sorted(kept)


def _record(entity_id: str, dataset: str, draft: _Draft) -> Record:
    values = draft.values
    names = dict.fromkeys(n.strip() for p in NAME_PROPS for n in values.get(p, []) if n.strip())
    genders = {GENDERS[g.lower()] for g in values.get("gender", []) if g.lower() in GENDERS}
    places = values.get("address", []) + draft.addresses
    return Record(
        strict=draft.strict,
        entity_id=entity_id,
        dataset=dataset,
        schema=draft.schema,
        names=tuple(names),
        birth_dates=tuple(sorted(set(values.get("birthDate", [])))),
        genders=tuple(sorted(genders)),
        nationalities=tuple(
            sorted(
                {c.lower() for c in values.get("nationality", []) + values.get("citizenship", [])}
            )
        ),
        identifiers=tuple(_identifiers(values, draft.identifiers)),
        addresses=tuple(sorted({address(a) for a in places if a.strip()})),
    )
