"""`rasid ingest`: import a file or URL into a dataset."""

from pathlib import Path
from typing import Annotated

import typer

from rasid.cli.common import console, fail, opened_store, print_json
from rasid.cli.progress import import_progress
from rasid.ingest.formats import READERS
from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.model.errors import ModelError
from rasid.model.markings import Marking
from rasid.settings import get_settings


def _marking(value: str | None) -> Marking | None:
    try:
        return Marking.parse(value) if value else None
    except ModelError as exc:
        raise typer.BadParameter(str(exc)) from None


def ingest_command(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Argument(
            help="File path or http(s) URL. With --format un-sc and no FILE, the UN list "
            "bundled with Rasid; with --update, the UN's official address.",
            show_default=False,
        ),
    ] = None,
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Target dataset name.")] = "",
    agency: Annotated[
        str | None, typer.Option(help="Owning agency, to create a new dataset (created too).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help=f"One of {', '.join(READERS)}; guessed if omitted."),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="FtM mapping YAML, for csv and xlsx.", exists=True)
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title of a new dataset.")] = None,
    purpose: Annotated[str, typer.Option(help="Purpose of a new dataset.")] = "",
    legal_basis: Annotated[str, typer.Option(help="Legal basis of a new dataset.")] = "",
    marking: Annotated[
        str | None, typer.Option(help="Default TLP marking of a new dataset (default AMBER).")
    ] = None,
    retention: Annotated[
        str | None, typer.Option(help="Retention class of a new dataset (see retention.yml).")
    ] = None,
    watchlist: Annotated[
        bool, typer.Option(help="Create the new dataset as a watchlist (screened against).")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(help="Delete the dataset's statements this file no longer contains."),
    ] = False,
    update: Annotated[
        bool, typer.Option(help="With --format un-sc: fetch the UN's official list.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Import FILE into a dataset: FtM JSON lines, CSV/XLSX with a mapping, or the UN list.

    Bad records are quarantined (see `rasid quarantine`) and the rest imported; the whole file
    commits in one transaction, so an error or an interrupt leaves the database unchanged.
    Exit code 2 when the file cannot be read at all, 1 when no record could be imported.
    """
    if not dataset:
        fail("give the target dataset: --dataset NAME")
    location = file or _default_location(fmt, update)
    request = IngestRequest(
        location=location,
        dataset=dataset,
        fmt=fmt,
        mapping=mapping,
        agency=agency,
        title=title,
        purpose=purpose,
        legal_basis=legal_basis,
        marking=_marking(marking),
        retention_class=retention,
        kind="watchlist" if watchlist else "source",
        replace=replace,
    )
    with opened_store(ctx) as store, import_progress(location, not quiet) as progress:
        summary = ingest(store, request, progress)
    _report(summary, as_json)
    if summary.nothing_read:
        raise typer.Exit(1)


def _default_location(fmt: str | None, update: bool) -> str:
    if fmt != "un-sc":
        fail("give a FILE (or --format un-sc for the bundled UN list)")
    if update:
        return get_settings().un_sc_url
    from rasid.data import un_sc_path

    return str(un_sc_path())


def _report(summary: Summary, as_json: bool) -> None:
    if as_json:
        print_json(summary.to_dict())
        return
    created = " (new dataset)" if summary.created_dataset else ""
    console.print(f"[bold]{summary.dataset}[/bold]{created} ← {summary.source} ({summary.format})")
    console.print(
        f"  entities {summary.entities}, statements {summary.statements}, "
        f"rejected {summary.rejected}, values dropped {summary.dropped}"
        + (f", removed {summary.replaced}" if summary.replaced else "")
    )
    for schema, count in sorted(summary.by_schema.items()):
        console.print(f"  {schema}: {count}")
    if summary.rejected or summary.dropped:
        console.print(f"  see: rasid quarantine --dataset {summary.dataset}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("ingest")(ingest_command)
