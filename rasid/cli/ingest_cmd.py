"""`rasid ingest`: import a file or URL into a dataset."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from rasid.cli.common import console, fail, opened_store, print_json
from rasid.cli.progress import count_progress, import_progress
from rasid.ingest.formats import READERS, TRAVEL_FORMATS
from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.model.errors import ModelError
from rasid.model.markings import Marking
from rasid.screen.rescreen import Rescreened, rescreen
from rasid.settings import get_settings
from rasid.travel.screening import Arrivals, recheck_documents, screen_arrivals


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
        str | None,
        typer.Option(
            help="Retention class of a new dataset (see retention.yml; default intelligence-5y, "
            "or api/pnr for travel messages)."
        ),
    ] = None,
    watchlist: Annotated[
        bool, typer.Option(help="Create the new dataset as a watchlist (screened against).")
    ] = False,
    documents: Annotated[
        bool,
        typer.Option(
            help="Create the new dataset as a list of lost, stolen or revoked travel documents "
            "(FtM Passport/Identification entities; travellers' documents are checked against "
            "it by number and issuing state)."
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(help="Delete the dataset's statements this file no longer contains."),
    ] = False,
    update: Annotated[
        bool, typer.Option(help="With --format un-sc: fetch the UN's official list.")
    ] = False,
    received_at: Annotated[
        str | None,
        typer.Option(
            help="When the file was received, for replaying travel files received earlier: "
            "ISO 8601 (e.g. 2026-11-20T14:05+03:00; without an offset, UTC). Default: now. "
            "The data-quality report (`rasid travel quality`) times pushes by it.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Import FILE into a dataset: FtM JSON lines, CSV/XLSX with a mapping, the UN list, or
    travel messages (API as PAXLST, PNR as PNRGOV; told from the message type when --format
    is not given).

    Bad records are quarantined (see `rasid quarantine`) and the rest imported; the whole file
    commits in one transaction, so an error or an interrupt leaves the database unchanged.
    Travel messages also store flights, bookings (every version received) and travellers;
    special service requests and remarks that reveal religion, health or a disability are
    removed before anything is stored, and only their number by category is kept.
    Exit code 2 when the file cannot be read at all, 1 when no record could be imported
    (with the first reason on standard error).
    After an import into a watchlist, every subject screened before is screened again
    against the entities the import added or changed; alerts go to the review queue.
    After a travel import, each traveller it brought or changed is screened against the
    watchlists, the lists of lost and stolen documents and the active targeting rules;
    every hit goes to the review queue, for a person to confirm or dismiss. After an
    import into a list of documents (--documents), the stored travellers holding a newly
    listed document are checked again.
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
        kind=_kind(watchlist, documents),
        replace=replace,
        received_at=_received_at(received_at),
    )
    with opened_store(ctx) as store:
        with import_progress(location, not quiet) as progress:
            summary = ingest(store, request, progress)
        rescreened = arrivals = None
        if not summary.nothing_read:
            with count_progress("re-screening", "subjects", not quiet) as counted:
                rescreened = rescreen(store, summary.dataset, summary.run_id, progress=counted)
        if not summary.nothing_read and summary.format in TRAVEL_FORMATS:
            with count_progress("screening", "travellers", not quiet) as counted:
                arrivals = screen_arrivals(store, summary.run_id, progress=counted)
        elif not summary.nothing_read:
            arrivals = recheck_documents(store, summary.dataset, summary.run_id)
            arrivals = arrivals if arrivals.document_lists else None
    _report(summary, rescreened, as_json, arrivals)
    if summary.nothing_read:
        reason = summary.first_rejected or "no record could be imported"
        fail(f"{summary.source}: {reason}", code=1)


def _received_at(value: str | None) -> datetime | None:
    """An ISO 8601 time as the store keeps times (naive UTC); without an offset, UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 time (e.g. 2026-11-20T14:05+03:00)",
            param_hint="--received-at",
        ) from None
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _kind(watchlist: bool, documents: bool) -> str:
    if watchlist and documents:
        fail("a dataset is a watchlist or a document list, not both")
    return "watchlist" if watchlist else "documents" if documents else "source"


def _default_location(fmt: str | None, update: bool) -> str:
    if fmt != "un-sc":
        fail("give a FILE (or --format un-sc for the bundled UN list)")
    if update:
        return get_settings().un_sc_url
    from rasid.data import un_sc_path

    return str(un_sc_path())


def _report(
    summary: Summary, rescreened: Rescreened | None, as_json: bool, arrivals: Arrivals | None
) -> None:
    if as_json:
        data = summary.to_dict()
        if rescreened is not None:
            data["rescreened"] = rescreened.to_dict()
        if arrivals is not None:
            data["screened"] = arrivals.to_dict()
        print_json(data)
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
    if "travellers" in summary.counts:
        _report_travel(summary.counts)
    if summary.rejected or summary.dropped:
        console.print(f"  see: rasid quarantine --dataset {summary.dataset}")
    if rescreened is not None and rescreened.changed_entities:
        console.print(
            f"  re-screened {rescreened.subjects} stored subjects against "
            f"{rescreened.changed_entities} new or changed watchlist entities: "
            f"{rescreened.alerting_subjects} with an alert, {rescreened.hits} hits "
            "(see: rasid hits list)"
        )
    if arrivals is not None:
        _report_arrivals(arrivals)


def _report_arrivals(arrivals: Arrivals) -> None:
    """What screening the travellers on arrival found."""
    if arrivals.documents_only:
        console.print(
            f"  checked {arrivals.travellers} stored travellers holding a newly listed "
            f"document: {arrivals.document_alerts} on the list, {arrivals.hits} hits to "
            "review (see: rasid hits list)"
        )
        return
    against = [f"{len(arrivals.watchlists)} watchlists", f"{len(arrivals.document_lists)} "
               "document lists", "the active targeting rules"]  # fmt: skip
    console.print(f"  screened {arrivals.travellers} travellers against {', '.join(against)}:")
    console.print(
        f"    watchlist alerts {arrivals.watchlist_alerts}, listed documents "
        f"{arrivals.document_alerts}, rule matches {arrivals.rule_alerts}; "
        f"{arrivals.hits} hits to review (see: rasid hits list)"
    )


def _report_travel(counts: dict[str, Any]) -> None:
    """The travel lines of a summary: what the file holds, and what the safeguard removed."""
    console.print(
        f"  travellers {counts['travellers']}, bookings {counts['bookings']}, "
        f"flights {counts['flights']}, warnings {counts['warnings']}"
    )
    if counts.get("received_before"):
        console.print("  received before: nothing added")
    if counts.get("filtered"):
        shown = ", ".join(f"{k} {n}" for k, n in sorted(counts["filtered_categories"].items()))
        console.print(f"  sensitive items removed on receipt: {counts['filtered']} ({shown})")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("ingest")(ingest_command)
