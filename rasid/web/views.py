"""What the API and the pages show, read from the store through the caller's readable datasets.

Every function takes ``readable``: the datasets the caller may read (None: all), as decided by
``deps.readable_datasets``. None of them reads the store without passing it on; the registry's
listings, which take no dataset filter, are filtered here with ``may_read``.
"""

from collections.abc import Iterable

from followthemoney import model
from sqlalchemy import Connection

from rasid.access.policy import Principal, record
from rasid.access.registry import dataset_counts, list_agencies, list_datasets
from rasid.model import gradings
from rasid.model.errors import ModelError
from rasid.model.gradings import Scale, get_scale
from rasid.model.handling import conditions
from rasid.model.registry import Dataset
from rasid.model.statement import RasidStatement
from rasid.resolve.canonical import members
from rasid.retention.mask import is_masked
from rasid.retention.unmask import record_unmasked
from rasid.settings import get_settings
from rasid.store.entities import EntityView, get_entities, list_entity_ids, search_entity_ids
from rasid.store.statements import count_statements, entities_by_schema
from rasid.store.visibility import Visibility
from rasid.web.errors import NotFound
from rasid.web.models import (
    AgencyOut,
    DatasetOut,
    DatasetRef,
    EntityDetail,
    EntityOut,
    EntityPage,
    Grade,
    StatementOut,
    Stats,
)

Readable = Visibility | None


def may_read(readable: Readable, dataset: str) -> bool:
    """True when the caller may read ``dataset``."""
    return readable is None or dataset in readable


def check_schema(name: str | None) -> str | None:
    """The schema name if FtM knows it (None passes), else a ModelError."""
    if not name:
        return None
    if model.get(name) is None:
        raise ModelError(f"unknown schema {name!r}")
    return name


def entity_out(view: EntityView) -> EntityOut:
    """The API form of an entity view."""
    return EntityOut.model_validate(view.to_dict())


def find_entities(
    conn: Connection, readable: Readable, q: str | None, schema: str | None, limit: int, offset: int
) -> EntityPage:
    """Entities whose names match ``q`` (best first), or all entities (by id) without it."""
    schema = check_schema(schema)
    query = (q or "").strip() or None
    # One more id than asked for tells whether a next page exists, without counting.
    if query:
        ids = search_entity_ids(conn, query, readable, schema, limit + 1, offset)
    else:
        ids = list_entity_ids(conn, readable, schema, limit + 1, offset)
    entities = get_entities(conn, ids[:limit], readable)
    more = len(ids) > limit
    return EntityPage(
        q=query,
        schema=schema,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
        results=[entity_out(e) for e in entities],
    )


def search_entities(
    conn: Connection,
    caller: Principal,
    readable: Readable,
    purpose: str,
    q: str | None,
    schema: str | None,
    limit: int,
    offset: int,
) -> EntityPage:
    """``find_entities``, recorded in the audit log with the purpose, the ids found and
    the datasets they came from."""
    found = find_entities(conn, readable, q, schema, limit, offset)
    record(
        conn,
        caller,
        "search",
        found.q or "",
        purpose,
        schema=schema,
        offset=offset,
        results=[e.id for e in found.results],
        datasets=sorted({d for e in found.results for d in e.datasets}),
    )
    if readable is not None:
        record_unmasked(conn, caller, readable, purpose)
    return found


def read_entity(
    conn: Connection, caller: Principal, readable: Readable, entity_id: str, purpose: str
) -> EntityDetail | NotFound:
    """``entity_detail``, recorded in the audit log found or not. A NotFound is returned,
    not raised: raising would roll the transaction, and so the record, back."""
    try:
        found = entity_detail(conn, readable, entity_id)
    except NotFound as exc:
        record(conn, caller, "entity.read", entity_id, purpose, outcome="not_found")
        return exc
    datasets = sorted({s.dataset for s in found.statements})
    record(conn, caller, "entity.read", entity_id, purpose, datasets=datasets)
    if readable is not None:
        record_unmasked(conn, caller, readable, purpose)
    return found


def summaries(conn: Connection, readable: Readable, ids: Iterable[str]) -> dict[str, EntityOut]:
    """The readable entities among ``ids``, by id (for showing links by their captions)."""
    return {e.id: entity_out(e) for e in get_entities(conn, sorted(set(ids)), readable)}


def _grade(grades: dict[str, gradings.Grade], code: str | None) -> Grade | None:
    if code is None:
        return None
    found = grades.get(code)
    # A code no longer on the configured scale is shown as it is, without a label.
    return Grade(code=code, label=found.en if found else "", label_ar=found.ar if found else "")


def statement_out(stmt: RasidStatement, owners: dict[str, str], scale: Scale) -> StatementOut:
    """A statement with its provenance, grades labelled on ``scale``."""
    return StatementOut(
        id=str(stmt.id),
        prop=stmt.prop,
        value=stmt.value,
        lang=stmt.lang,
        original_value=stmt.original_value,
        dataset=stmt.dataset,
        agency=owners.get(stmt.dataset),
        first_seen=str(stmt.first_seen),
        last_seen=str(stmt.last_seen),
        marking=str(stmt.marking),
        handling=stmt.handling,
        conditions=[
            Grade(code=c.code, label=c.en, label_ar=c.ar) for c in conditions(stmt.handling)
        ],
        source_grade=_grade(scale.source, stmt.source_grade),
        info_grade=_grade(scale.info, stmt.info_grade),
        legal_basis=stmt.legal_basis,
        retention_class=stmt.retention_class,
        mask_after=stmt.mask_after,
        delete_after=stmt.delete_after,
        masked=is_masked(stmt.value),
    )


def entity_detail(conn: Connection, readable: Readable, entity_id: str) -> EntityDetail:
    """One entity with each value's provenance; NotFound if the caller sees none of it."""
    found = get_entities(conn, [entity_id], readable)
    if not found:
        raise NotFound(f"no entity {entity_id!r}")
    view = found[0]
    scale = get_scale(get_settings().grading_scale)
    owners = {d.name: d.agency for d in readable_datasets(conn, readable)}
    statements = [statement_out(s, owners, scale) for s in view.value_statements()]
    return EntityDetail(
        **entity_out(view).model_dump(by_alias=False),
        grading_scale=scale.name,
        statements=statements,
        merged_from=members(conn, view.id),
    )


def readable_datasets(conn: Connection, readable: Readable) -> list[Dataset]:
    """The registered datasets the caller may read, by name."""
    return [d for d in list_datasets(conn) if may_read(readable, d.name)]


def dataset_refs(conn: Connection, readable: Readable) -> dict[str, DatasetRef]:
    """The readable datasets' titles and owners, by name (no counting: cheap)."""
    owners = {a.name: a for a in list_agencies(conn)}
    refs = {}
    for d in readable_datasets(conn, readable):
        owner = owners.get(d.agency)
        refs[d.name] = DatasetRef(
            name=d.name,
            title=d.title,
            agency=d.agency,
            agency_label=owner.label if owner else d.agency,
            agency_label_ar=owner.label_ar if owner else "",
        )
    return refs


def datasets(conn: Connection, readable: Readable) -> list[DatasetOut]:
    """The readable datasets with their owning agency, rules and counts."""
    refs = dataset_refs(conn, readable)
    counts = dataset_counts(conn)
    found = []
    for d in readable_datasets(conn, readable):
        held = counts.get(d.name, {})
        found.append(
            DatasetOut(
                **refs[d.name].model_dump(),
                kind=d.kind,
                purpose=d.purpose,
                legal_basis=d.legal_basis,
                default_marking=str(d.default_marking),
                retention_class=d.retention_class,
                entities=held.get("entities", 0),
                statements=held.get("statements", 0),
                quarantined=held.get("quarantined", 0),
            )
        )
    return found


def agencies(conn: Connection, readable: Readable) -> list[AgencyOut]:
    """Every agency of the federation, with how many of its datasets the caller may read.

    The list of agencies is the federation's directory and not itself need-to-know."""
    owned: dict[str, int] = {}
    for d in readable_datasets(conn, readable):
        owned[d.agency] = owned.get(d.agency, 0) + 1
    return [
        AgencyOut(
            name=a.name,
            label=a.label,
            label_ar=a.label_ar,
            kind=a.kind,
            datasets=owned.get(a.name, 0),
        )
        for a in list_agencies(conn)
    ]


def schema_counts(conn: Connection, readable: Readable) -> dict[str, int]:
    """Readable entities by schema, by schema name."""
    return dict(sorted(entities_by_schema(conn, readable).items()))


def stats(conn: Connection, readable: Readable) -> Stats:
    """Entities by schema, statements, datasets and quarantined records the caller may read."""
    by_schema = schema_counts(conn, readable)
    counts = dataset_counts(conn)
    visible = [name for name in counts if may_read(readable, name)]
    return Stats(
        entities=sum(by_schema.values()),
        entities_by_schema=by_schema,
        statements=count_statements(conn, readable),
        datasets=len(visible),
        quarantined=sum(counts[name]["quarantined"] for name in visible),
    )
