"""`rasid serve` and `rasid demo`: the web UI and JSON API."""

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from rasid.cli.common import console, database_url, opened_store
from rasid.cli.progress import import_progress
from rasid.store.statements import utcnow

DEMO_DATABASE = "sqlite:///demo.db"

HostOpt = Annotated[str, typer.Option(help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option(help="Port to listen on.")]
WorkersOpt = Annotated[
    int,
    typer.Option(
        min=1,
        max=64,
        help="Server processes (use one per CPU core on PostgreSQL; SQLite serves best with one).",
    ),
]


def _run(ctx: typer.Context, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from rasid.settings import get_settings
    from rasid.web.app import create_app

    with opened_store(ctx) as store:
        console.print(f"Rasid on http://{host}:{port}/  (API docs: /api/docs)")
        if workers == 1:
            app = create_app(store, schedule=get_settings().retention_schedule)
            uvicorn.run(app, host=host, port=port, log_level="info")
            return
    # Each worker process opens the (now initialised) database from the environment.
    os.environ["RASID_DATABASE_URL"] = database_url(ctx)
    uvicorn.run(
        "rasid.web.app:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


def serve(
    ctx: typer.Context,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    workers: WorkersOpt = 1,
) -> None:
    """Serve the web UI (Arabic and English) and the JSON API (/api, docs at /api/docs).

    With --workers N, N processes share the port; what a user may read is decided from
    the database in each of them, so a change of shares reaches all at once. Sign-in
    throttling counts per process.

    Retention runs at start-up and once a day from RASID_RETENTION_HOUR (UTC), one run a
    day however many processes serve; RASID_RETENTION_SCHEDULE=off turns that off.
    """
    _run(ctx, host, port, workers)


def demo(
    ctx: typer.Context,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    fresh: Annotated[bool, typer.Option(help="Delete the demo database first.")] = False,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only; do not serve.")] = False,
) -> None:
    """Build the demo database (UN list + a synthetic multi-agency scenario) and serve it.

    Without --database the demo uses demo.db in the working directory, apart from rasid.db.
    """
    from rasid.access.totp import provisioning_uri
    from rasid.demo.assist import load_assist
    from rasid.demo.build import build_demo, demo_accounts, resolve_demo
    from rasid.demo.monitor import load_monitoring
    from rasid.demo.travel import load_travel_day

    if ctx.obj.get("database") is None:
        ctx.obj["database"] = DEMO_DATABASE
    if fresh:
        _delete_sqlite(database_url(ctx))
    with opened_store(ctx) as store, tempfile.TemporaryDirectory() as folder:
        summaries = build_demo(store, lambda label: import_progress(label))
        accounts = demo_accounts(store)
        today = utcnow().date()
        travel, screened = load_travel_day(store, Path(folder), today, import_progress)
        resolved = resolve_demo(store)
        monitored = load_monitoring(store, today)
        assisted = load_assist(store, today)
    for s in summaries:
        console.print(
            f"  {s.dataset}: {s.entities} entities, {s.statements} statements, "
            f"{s.rejected} rejected"
        )
    hits = sum(a.hits for a in screened)
    console.print(
        f"  travel: {len(travel)} files (yesterday's arrivals and the lost documents list), "
        f"{hits} hits for the passenger information unit to review"
    )
    console.print(
        f"  resolution: {resolved.proposed} pairs proposed for review, "
        f"{resolved.auto_accepted} accepted by the identical-identifier rule"
    )
    console.print(
        f"  monitoring: {monitored.subjects} subjects, {monitored.approved} approved "
        f"assessments, {monitored.drafts} draft, {monitored.series_points} series points"
    )
    console.print(
        f"  technical assistance: {assisted.needs} needs from a visit, {assisted.projects} "
        f"donors' projects and offers, {assisted.accepted} matches accepted, "
        f"{assisted.flags} duplication flag(s) to discuss"
    )
    console.print(
        "\nDemo accounts (new credentials on every run). Sign in with the password and the "
        "6-digit code of an authenticator app set up with the TOTP secret (or its URI):"
    )
    for a in accounts:
        console.print(f"  {a.user:<18} {a.role:<12} {a.agency:<16} password {a.password}")
        console.print(f"  {'':<18} TOTP secret {a.totp_secret}", highlight=False)
        console.print(
            f"  {'':<18} {escape(provisioning_uri(a.totp_secret, a.user))}", highlight=False
        )
    if not no_serve:
        _run(ctx, host, port)


def _delete_sqlite(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command()(serve)
    app.command()(demo)
