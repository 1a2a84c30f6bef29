"""`rasid agencies` and `rasid datasets`: who owns which data, under what purpose and law."""

from typing import Annotated

import typer
from rich.table import Table

from rasid.access.registry import (
    add_agency,
    add_dataset,
    dataset_counts,
    list_agencies,
    list_datasets,
)
from rasid.cli.common import console, opened_store, print_json
from rasid.cli.ingest_cmd import _marking
from rasid.model.registry import Agency, Dataset

agencies = typer.Typer(help="List and add agencies.", invoke_without_command=True)
datasets = typer.Typer(help="List and add datasets.", invoke_without_command=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@agencies.callback()
def agencies_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the agencies (with no sub-command)."""
    if ctx.invoked_subcommand is not None:
        return
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_agencies(uow.conn)
    if as_json:
        print_json([vars(a) for a in found])
        return
    table = Table("name", "label", "label (ar)", "kind")
    for a in found:
        table.add_row(a.name, a.label, a.label_ar, a.kind)
    console.print(table)


@agencies.command("add")
def agencies_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Short name: lower-case, digits, underscores.")],
    label: Annotated[str | None, typer.Option(help="Name in English.")] = None,
    label_ar: Annotated[str, typer.Option(help="Name in Arabic.")] = "",
    kind: Annotated[str, typer.Option(help="police, border, customs, fiu, prisons...")] = "",
) -> None:
    """Register an agency."""
    with opened_store(ctx) as store, store.uow() as uow:
        add_agency(uow.conn, Agency(name, label or name, label_ar, kind))
    console.print(f"agency {name} added")


@datasets.callback()
def datasets_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the datasets with their owner, defaults and counts (with no sub-command)."""
    if ctx.invoked_subcommand is not None:
        return
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_datasets(uow.conn)
        counts = dataset_counts(uow.conn)
    if as_json:
        print_json([{**_dataset_dict(d), **counts[d.name]} for d in found])
        return
    table = Table(
        "name",
        "agency",
        "kind",
        "marking",
        "retention",
        "entities",
        "statements",
        "quarantined",
        "title",
    )
    for d in found:
        c = counts[d.name]
        table.add_row(
            d.name,
            d.agency,
            d.kind,
            str(d.default_marking),
            d.retention_class,
            str(c["entities"]),
            str(c["statements"]),
            str(c["quarantined"]),
            d.title,
        )
    console.print(table)


def _dataset_dict(d: Dataset) -> dict[str, str]:
    return {**vars(d), "default_marking": str(d.default_marking)}


@datasets.command("add")
def datasets_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Short name: lower-case, digits, underscores.")],
    agency: Annotated[str, typer.Option(help="The owning agency (must exist).")],
    title: Annotated[str | None, typer.Option(help="Title.")] = None,
    purpose: Annotated[str, typer.Option(help="Why the data is held.")] = "",
    legal_basis: Annotated[str, typer.Option(help="The law that allows holding it.")] = "",
    marking: Annotated[str, typer.Option(help="Default TLP marking.")] = "TLP:AMBER",
    retention: Annotated[str, typer.Option(help="Retention class.")] = "intelligence-5y",
    watchlist: Annotated[bool, typer.Option(help="A watchlist (screened against).")] = False,
) -> None:
    """Register a dataset owned by an agency."""
    dataset = Dataset(
        name=name,
        agency=agency,
        title=title or name,
        purpose=purpose,
        legal_basis=legal_basis,
        default_marking=_marking(marking) or Dataset.default_marking,
        retention_class=retention,
        kind="watchlist" if watchlist else "source",
    )
    with opened_store(ctx) as store, store.uow() as uow:
        add_dataset(uow.conn, dataset)
    console.print(f"dataset {name} added")


def register(app: typer.Typer) -> None:
    """Add the command groups to the app."""
    app.add_typer(agencies, name="agencies")
    app.add_typer(datasets, name="datasets")
