"""Small builders for store tests."""

from datetime import date

from sqlalchemy import Connection

from rasid.access.registry import add_agency, add_dataset
from rasid.model.markings import Marking
from rasid.model.registry import Agency, Dataset
from rasid.model.statement import RasidStatement
from rasid.store.statements import to_row, upsert_statements, utcnow


def register(conn: Connection, dataset: str = "police", agency: str = "national_police") -> None:
    """An agency with one dataset."""
    add_agency(conn, Agency(agency, agency.replace("_", " ").title()))
    add_dataset(conn, Dataset(dataset, agency, dataset.title()))


def write(conn: Connection, *stmts: RasidStatement) -> None:
    """Store statements as an import would (entity ids get an id statement)."""
    now = utcnow()
    rows = [to_row(s, now) for s in stmts]
    for entity_id, schema, dataset in {(s.entity_id, s.schema, s.dataset) for s in stmts}:
        base = RasidStatement(entity_id, "id", schema, entity_id, dataset)
        rows.append(to_row(base, now))
    upsert_statements(conn, rows)


def stmt(
    entity_id: str,
    prop: str,
    value: str,
    dataset: str = "police",
    schema: str = "Person",
    marking: Marking = Marking.AMBER,
    **kw: object,
) -> RasidStatement:
    """A statement with Rasid's columns."""
    return RasidStatement(
        entity_id,
        prop,
        schema,
        value,
        dataset,
        marking=marking,
        delete_after=date(2031, 1, 1),
        **kw,
    )  # type: ignore[arg-type]
