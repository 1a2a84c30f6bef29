"""`rasid entities`, `show`, `stats`, `export`, `quarantine`: reading the store."""

import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import orjson
import typer
from rich.table import Table
from sqlalchemy import Connection

from rasid.access import audit
from rasid.access.policy import operator_visibility
from rasid.access.registry import list_datasets
from rasid.cli.common import cli_actor, console, fail, opened_store, print_json
from rasid.model.statement import RasidStatement
from rasid.retention.grants import operator_masking
from rasid.retention.mask import Masking, is_masked
from rasid.store import Store
from rasid.store.entities import (
    assemble,
    get_entities,
    get_entity,
    list_entity_ids,
    search_entity_ids,
)
from rasid.store.quarantine import count_quarantine, list_quarantine
from rasid.store.statements import (
    count_statements,
    entities_by_schema,
    iter_dataset_statements,
    utcnow,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
PurposeOpt = Annotated[
    str,
    typer.Option(help="Why (a case or file reference): recorded in the audit log with the read."),
]


def entities(
    ctx: typer.Context,
    q: Annotated[
        str | None, typer.Option("--q", "-q", help="Name search (Arabic or Latin).")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Only this FtM schema (and its children).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List entities, or search them by name (diacritics and letter forms folded).

    Personal data past its mask date is shown masked, and a masked name finds nothing."""
    with opened_store(ctx) as store, store.uow() as uow:
        readable = operator_visibility(uow.conn, utcnow().date())
        if q:
            ids = search_entity_ids(uow.conn, q, readable, schema, limit, offset)
        else:
            ids = list_entity_ids(uow.conn, None, schema, limit, offset)
        found = get_entities(uow.conn, ids, readable)
    if as_json:
        print_json([e.to_dict() for e in found])
        return
    table = Table("id", "schema", "name", "datasets")
    for e in found:
        table.add_row(e.id, e.schema.name, e.caption, ", ".join(e.datasets))
    console.print(table)


def show(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="The entity id.")],
    as_json: JsonOpt = False,
    purpose: PurposeOpt = "",
) -> None:
    """Show one entity with each value's provenance: dataset, agency, dates, grades, marking.

    The command line reads the whole store (it is the operator's), personal data past its
    mask date masked; the read is recorded in the audit log under the operating-system
    account.
    """
    with opened_store(ctx) as store, store.uow() as uow:
        entity = get_entity(uow.conn, entity_id, operator_visibility(uow.conn, utcnow().date()))
        owners = {d.name: d.agency for d in list_datasets(uow.conn)}
        datasets = sorted(entity.datasets) if entity is not None else []
        outcome = "ok" if entity is not None else "not_found"
        detail = {"via": "cli", "datasets": datasets}
        audit.append(
            uow.conn,
            cli_actor(),
            "entity.read",
            entity_id,
            purpose=purpose,
            outcome=outcome,
            detail=detail,
        )
    if entity is None:
        fail(f"no entity {entity_id!r}", 1)
    rows = [
        {**s.to_full_dict(), "agency": owners.get(s.dataset)} for s in entity.value_statements()
    ]
    if as_json:
        print_json({**entity.to_dict(), "statements": rows})
        return
    console.print(f"[bold]{entity.caption}[/bold]  {entity.schema.name}  {entity.id}")
    table = Table(
        "property",
        "value",
        "dataset",
        "agency",
        "marking",
        "grade",
        "first seen",
        "last seen",
        "delete after",
    )
    for r in sorted(rows, key=lambda r: (r["prop"], r["value"])):
        grade = "".join(g for g in (r["source_grade"], r["info_grade"]) if g) or "-"
        table.add_row(
            r["prop"],
            r["value"],
            r["dataset"],
            r["agency"] or "",
            r["marking"],
            grade,
            r["first_seen"][:10],
            r["last_seen"][:10],
            r["delete_after"] or "-",
        )
    console.print(table)


def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Counts: entities by schema, statements, datasets, quarantined records."""
    with opened_store(ctx) as store, store.uow() as uow:
        data: dict[str, Any] = {
            "entities": entities_by_schema(uow.conn),
            "statements": count_statements(uow.conn),
            "datasets": len(list_datasets(uow.conn)),
            "quarantined": count_quarantine(uow.conn),
        }
    if as_json:
        print_json(data)
        return
    console.print(
        f"statements {data['statements']}, datasets {data['datasets']}, "
        f"quarantined {data['quarantined']}"
    )
    for schema, n in sorted(data["entities"].items()):
        console.print(f"  {schema}: {n}")


def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
    dataset: Annotated[list[str] | None, typer.Option(help="Only these datasets.")] = None,
    statements: Annotated[
        bool, typer.Option(help="One statement per line, with Rasid's columns (re-importable).")
    ] = False,
    purpose: PurposeOpt = "",
) -> None:
    """Export FtM JSON lines: entities (default) or statements with provenance.

    The export is recorded in the audit log (datasets, where it went, the purpose) under
    the operating-system account. Personal data past its mask date is exported masked.
    """
    with opened_store(ctx) as store:
        with store.uow() as uow:  # recorded first: a failed export may have written some
            names = dataset or [d.name for d in list_datasets(uow.conn)]
            to = str(output) if output else "stdout"
            detail = {"via": "cli", "datasets": names, "to": to}
            audit.append(
                uow.conn, cli_actor(), "export", ",".join(names), purpose=purpose, detail=detail
            )
        _export(store, names, output, statements)


def _export(store: Store, names: list[str], output: Path | None, statements: bool) -> None:
    with store.uow() as uow:
        masking = operator_masking(uow.conn, utcnow().date())
        out: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for name in names:
                _export_dataset(uow.conn, name, out, statements, masking)
        finally:
            if output:
                out.close()


def _export_dataset(
    conn: Connection, name: str, out: TextIO, statements: bool, masking: Masking
) -> None:
    group: list[RasidStatement] = []
    shown: set[str] = set()  # masked values of one entity's property show once
    for stmt in map(masking.statement, iter_dataset_statements(conn, name)):
        if stmt.id in shown:
            continue
        if is_masked(stmt.value):
            shown.add(str(stmt.id))
        if statements:
            out.write(orjson.dumps(stmt.to_full_dict()).decode() + "\n")
            continue
        if group and group[0].canonical_id != stmt.canonical_id:
            out.write(orjson.dumps(assemble(group).to_dict()).decode() + "\n")
            group = []
        group.append(stmt)
    if group:
        out.write(orjson.dumps(assemble(group).to_dict()).decode() + "\n")


def quarantine(
    ctx: typer.Context,
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List quarantined records and dropped values: file, line or record, and reason."""
    with opened_store(ctx) as store, store.uow() as uow:
        rows = list_quarantine(uow.conn, dataset, limit)
    if as_json:
        print_json(rows)
        return
    table = Table("dataset", "source", "location", "kind", "reason")
    for r in rows:
        table.add_row(r["dataset"], r["source"], r["location"], r["kind"], r["reason"])
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    for command in (entities, show, stats, export, quarantine):
        app.command()(command)
