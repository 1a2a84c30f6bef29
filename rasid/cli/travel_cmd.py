"""`rasid travel`: flights, a flight's manifest, the data-quality report and flight schedules.

The command line is the store's operator: it reads every dataset (personal data past its
mask date shown masked). Reading a manifest needs a purpose and is recorded in the audit
log, as is loading a schedule, under the operating-system account.
"""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from rasid.access import audit
from rasid.access.policy import check_purpose, operator_visibility
from rasid.cli.common import cli_actor, console, err_console, fail, opened_store, print_json
from rasid.store.statements import utcnow
from rasid.travel.checks import Rules, Window
from rasid.travel.flights import FlightManifest, flight_manifest, list_flights
from rasid.travel.quality import QualityReport, default_range, quality_report
from rasid.travel.schedule import read_schedule, save_schedule

app = typer.Typer(
    help="Travel data: flights, a flight's manifest with its hits, the data-quality report "
    "(late or missing pushes, count mismatches, messages with errors) and flight schedules.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DayOpt = Annotated[
    str | None, typer.Option(help="A day of departure (YYYY-MM-DD).", show_default=False)
]
CarrierOpt = Annotated[str | None, typer.Option(help="Only this carrier (e.g. XY).")]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option}: not a day (YYYY-MM-DD): {value!r}")


def _moment(value: str | None) -> datetime:
    """--as-of as naive UTC (without an offset, UTC); now when not given."""
    if value is None:
        return utcnow()
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    except (ValueError, OverflowError):
        fail(f"--as-of: not an ISO 8601 time (2026-11-20T14:05+03:00): {value!r}")


@app.command("flights")
def flights_command(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option("--from", help="First day of departure.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day of departure.")] = None,
    carrier: CarrierOpt = None,
    airport: Annotated[
        str | None, typer.Option(help="Only flights leaving from or arriving at this airport.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List flights by departure, with their travellers from API and PNR and their open and
    confirmed hits."""
    first, last = _day(start, "--from"), _day(end, "--to")
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_flights(uow.conn, None, first, last, carrier, airport, limit, offset)
    if as_json:
        print_json([f.to_dict() for f in found])
        return
    # One line a flight, never cut: its id is what `rasid travel manifest` takes.
    for f in found:
        departs = f.scheduled_departure.strftime("%H:%M") if f.scheduled_departure else "--:--"
        console.print(
            f"{escape(f.name):8} {f.departure_date} {departs} "
            f"{escape(f.departure_airport)}-{escape(f.arrival_airport)}  "
            f"API {f.api_travellers}, PNR {f.pnr_travellers}, hits open {f.open_hits}, "
            f"confirmed {f.confirmed_hits}  {f.id}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("manifest")
def manifest_command(
    ctx: typer.Context,
    flight_id: Annotated[str, typer.Argument(metavar="FLIGHT_ID", help="The flight's id.")],
    purpose: Annotated[
        str,
        typer.Option(help="Why (a case or file reference): required, recorded in the audit log."),
    ] = "",
    as_json: JsonOpt = False,
) -> None:
    """Show a flight's travellers (passengers, then crew) with seat, source, documents,
    booking reference and hits (see `rasid hits show ID`). Travellers are personal data: a
    purpose is required, and the read is recorded in the audit log. Exit code 1 when there
    is no such flight."""
    with opened_store(ctx) as store, store.uow() as uow:
        stated = check_purpose(purpose)
        masking = operator_visibility(uow.conn, utcnow().date()).masking
        found = flight_manifest(uow.conn, flight_id, None, masking)
        detail: dict[str, Any] = {"via": "cli"}
        if found is not None:
            entities = sorted({str(t.row["entity_id"]) for t in found.travellers})
            detail |= {"datasets": found.datasets, "entities": entities}
        outcome = "ok" if found is not None else "not_found"
        audit.append(
            uow.conn,
            cli_actor(),
            "flight.read",
            flight_id,
            purpose=stated,
            outcome=outcome,
            detail=detail,
        )
    if found is None:
        fail(f"no flight {flight_id!r}", 1)
    if as_json:
        print_json(found.to_dict())
        return
    _print_manifest(found)


def _print_manifest(found: FlightManifest) -> None:
    f = found.flight
    when = f.scheduled_departure.isoformat(sep=" ") if f.scheduled_departure else ""
    console.print(f"[bold]{escape(f.name)}[/bold] {f.departure_airport}-{f.arrival_airport} {when}")
    for t in found.travellers:
        row = t.row
        documents = ", ".join(f"{d.get('type', '')} {d.get('number', '')}" for d in t.documents)
        hits = "; ".join(f"hit {h.id}: {h.kind} {h.status} {h.score:.2f}" for h in t.hits)
        parts = [
            row["seat"] or "-",
            f"{row['surname']}, {row['given_names']}",
            f"{row['role']} ({row['source']})",
            documents,
            row["booking_reference"],
            hits,
        ]
        console.print(escape("  ".join(p for p in parts if p)), highlight=False, soft_wrap=True)


@app.command("quality")
def quality_command(
    ctx: typer.Context,
    start: Annotated[
        str | None, typer.Option("--from", help="First day of departure (default: 7 days ago).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day of departure (default: in 2 days).")
    ] = None,
    carrier: CarrierOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Report as of this time (ISO 8601; without an offset, UTC). Default: now."
        ),
    ] = None,
    pnr_offsets: Annotated[
        str, typer.Option(help="Hours before departure PNR pushes are due, comma-separated.")
    ] = "48,24,0",
    tolerance: Annotated[
        int, typer.Option(min=0, max=1440, help="Minutes a push may be early or late.")
    ] = 60,
    all_flights: Annotated[
        bool, typer.Option("--all", help="List every flight, not only those with problems.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Report on the travel data received: per carrier, API manifests expected and received,
    late and missing pushes (PNR due at the offsets before departure, API by departure),
    counts declared (CNT, EQN) that differ from what was received, and messages with errors,
    warnings or quarantined records; then each flight and message with a problem.

    A flight is expected to have data when a schedule (`rasid travel schedule`) lists it or
    any message was sent for it. Times are when Rasid received the files (see `rasid ingest
    --received-at`), departures turned into UTC with the airport's time zone.
    """
    moment = _moment(as_of)
    first, last = default_range(moment.date())
    with opened_store(ctx) as store, store.uow() as uow:
        rules = Rules.parse(pnr_offsets, tolerance)
        report = quality_report(
            uow.conn,
            moment,
            _day(start, "--from") or first,
            _day(end, "--to") or last,
            rules,
            None,
            carrier,
        )
    if as_json:
        print_json(report.to_dict(all_flights))
        return
    _print_report(report, all_flights)


def _print_report(report: QualityReport, all_flights: bool) -> None:
    console.print(
        f"as of {report.as_of.isoformat(sep=' ')} UTC, departures {report.start} to {report.end}"
    )
    table = Table(
        "carrier", "flights", "API recv/exp", "API late", "API missing", "PNR recv/due",
        "PNR late", "PNR missing", "count mismatches", "messages", "with errors", "error rate",
    )  # fmt: skip
    for c in report.carriers:
        table.add_row(
            escape(c.carrier), str(c.flights), f"{c.manifests_received}/{c.manifests_expected}",
            str(c.manifests_late), str(c.manifests_missing),
            f"{c.pnr_received}/{c.pnr_expected}", str(c.pnr_late), str(c.pnr_missing),
            str(c.count_mismatches), str(c.messages), str(c.messages_with_errors),
            f"{c.error_rate:.1%}",
        )  # fmt: skip
    console.print(table)
    for f in report.flights if all_flights else report.flights_with_problems:
        row = f.flight
        pushes = "; ".join(_window(w) for w in f.windows)
        counts = "; ".join(
            f"{m.what} declared {m.declared}, received {m.received}"
            + (f" (message {m.reference})" if m.message_id else " (after all updates)")
            for m in f.mismatches
        )
        console.print(
            f"{escape(row['carrier'])}{escape(row['flight_number'])} {row['departure_date']} "
            f"{row['departure_airport']}-{row['arrival_airport']}: {pushes}"
            + (f"; {counts}" if counts else ""),
            highlight=False,
            soft_wrap=True,
        )
    for m in report.messages_with_problems:
        console.print(
            f"message {escape(m.source)} ({m.carrier}): errors {m.errors}, warnings "
            f"{m.warnings}, quarantined {m.quarantined}",
            highlight=False,
            soft_wrap=True,
        )


def _window(window: Window) -> str:
    name = "API" if window.kind == "api" else f"PNR {window.offset_hours:g} h"
    status = window.status.replace("_", " ")
    late = window.delay_minutes
    return f"{name} {status}" + (f" ({late:+d} min)" if late and window.status != "on_time" else "")


@app.command("schedule")
def schedule_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV schedule, one flight a line.", exists=True)],
    as_json: JsonOpt = False,
) -> None:
    """Load a flight schedule: the flights the unit expects API (and PNR) data for.

    CSV, UTF-8, with a header naming the columns carrier, flight_number,
    departure_airport, arrival_airport, scheduled_departure (ISO 8601 local time, e.g.
    2026-12-01T09:30, optionally with its UTC offset: 2026-12-01T09:30+03:00), and
    optionally scheduled_arrival and pnr (no: the carrier sends no PNR for the flight).
    Lines that cannot be read are listed with their number and reason; the others are
    loaded. Loading the same flight again updates it. Exit code 1 when no line could be
    loaded, 2 when the file cannot be read at all.
    """
    with opened_store(ctx) as store:
        schedule = read_schedule(file.read_bytes())
        with store.uow() as uow:
            loaded = save_schedule(uow.conn, schedule.flights, file.name, cli_actor(), utcnow())
            audit.append(
                uow.conn,
                cli_actor(),
                "travel.schedule",
                file.name,
                detail={"via": "cli", "flights": loaded, "left_out": len(schedule.problems)},
            )
    if as_json:
        print_json({"flights": loaded, "left_out": [str(p) for p in schedule.problems]})
    else:
        console.print(f"{loaded} flights scheduled, {len(schedule.problems)} lines left out")
    for problem in schedule.problems:
        err_console.print(f"{file.name}: {problem}", markup=False, highlight=False, soft_wrap=True)
    if not loaded and schedule.problems:
        fail(f"{file.name}: no line could be loaded", 1)


def register(root: typer.Typer) -> None:
    """Add the command group to the app."""
    root.add_typer(app, name="travel")
