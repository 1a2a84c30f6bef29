"""`rasid retention`: run retention, see where it stands, and requests to see masked data
again (asked by a user, decided by a supervisor of the agency owning the data)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Connection

from rasid.access.accounts import get_user
from rasid.access.policy import Principal, visibility
from rasid.cli.common import cli_actor, console, fail, opened_store, print_json
from rasid.cli.progress import count_progress
from rasid.retention.errors import RetentionError, UnknownUnmaskRequest
from rasid.retention.run import RetentionReport, run_retention
from rasid.retention.status import DatasetRetention, dataset_status, last_run
from rasid.retention.unmask import (
    KINDS,
    UnmaskRequest,
    UnmaskStatus,
    decide_unmask,
    list_requests,
    request_unmask,
)
from rasid.settings import get_settings
from rasid.store.statements import utcnow

retention = typer.Typer(
    help="Retention: delete data past its delete date, see what is masked and due, and "
    "requests to see masked data again. Masking itself happens on every read.",
    no_args_is_help=True,
)
unmask = typer.Typer(
    help="Requests to see masked data again: a user asks with a reason; a supervisor of the "
    "agency owning the data approves (for RASID_UNMASK_HOURS) or refuses, with a reason.",
    no_args_is_help=True,
)
retention.add_typer(unmask, name="unmask")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
TodayOpt = Annotated[
    datetime | None,
    typer.Option(
        "--today",
        formats=["%Y-%m-%d"],
        help="The day to act as of (YYYY-MM-DD; default today, UTC).",
    ),
]
AtOpt = Annotated[
    datetime | None,
    typer.Option(
        "--at",
        formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"],
        help="The time to act at (UTC; default now): masking and expiry go by it.",
    ),
]
AsOpt = Annotated[str, typer.Option("--as", help="The Rasid user acting (recorded).")]
ReasonOpt = Annotated[str, typer.Option(help="Why (required, recorded).")]
RequestArg = Annotated[int, typer.Argument(metavar="ID", help="The request's number.")]


def _day(value: datetime | None) -> date:
    return value.date() if value is not None else utcnow().date()


@contextmanager
def _reported() -> Iterator[None]:
    """Retention's errors as one-line exits: 1 for an unknown request, 2 for a refusal."""
    try:
        yield
    except UnknownUnmaskRequest as exc:
        fail(str(exc), 1)
    except RetentionError as exc:
        fail(str(exc))


@retention.command("run")
def run(
    ctx: typer.Context,
    today: TodayOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; change nothing.")
    ] = False,
    as_json: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run retention as of a day: delete statements and travel rows past their delete date
    (keeping what a new, escalated or confirmed screening hit needs), in short batches that
    each commit whole (a server using the store keeps working meanwhile), and record the
    run (counts per table) and an audit record. A dry run counts in one transaction that it
    rolls back.

    Running it again the same day deletes nothing more. Masked data is not changed: it is
    masked on every read from its mask date on.
    """
    day, bar_shown = _day(today), not quiet and not as_json
    with (
        _reported(),
        opened_store(ctx) as store,
        count_progress("retention", "steps", enabled=bar_shown) as bar,
    ):
        report = run_retention(store, day, cli_actor(), dry_run=dry_run, progress=bar)
    if as_json:
        print_json(report.to_dict())
        return
    _print_report(report)


def _print_report(report: RetentionReport) -> None:
    what = "would delete" if report.dry_run else "deleted"
    run = "dry run" if report.dry_run else f"run {report.run_id}"
    console.print(f"retention as of {report.as_of} ({run}): {what} {report.total_deleted} rows")
    table = Table("table", "deleted", "kept for a hit", "masked")
    names = sorted(set(report.deleted) | set(report.kept) | set(report.masked))
    for name in names:
        table.add_row(
            name,
            str(report.deleted.get(name, "-")),
            str(report.kept.get(name, "-")),
            str(report.masked.get(name, "-")),
        )
    console.print(table)


@retention.command("status")
def status(ctx: typer.Context, today: TodayOpt = None, as_json: JsonOpt = False) -> None:
    """Per dataset: retention class and periods, values masked now and due for deletion,
    the next mask and delete dates (with how many values); and the last run."""
    day = _day(today)
    with opened_store(ctx) as store, store.uow() as uow:
        found = dataset_status(uow.conn, day)
        last = last_run(uow.conn)
    if as_json:
        datasets = [d.to_dict() for d in found]
        print_json(
            {"as_of": day.isoformat(), "datasets": datasets, "last_run": last and last.to_dict()}
        )
        return
    table = Table(
        "dataset",
        "class",
        "values",
        "masked",
        "due",
        "next mask",
        "next delete",
        "travel masked / due",
    )
    for d in found:
        table.add_row(*_status_row(d))
    console.print(table)
    if last is None:
        console.print("retention has not run yet")
    else:
        state = (
            f"failed ({escape(last.error)})"
            if last.error
            else ("finished" if last.finished_at else "under way, or stopped")
        )
        console.print(
            f"last run {last.id} as of {last.as_of} by {escape(last.actor)}, {state}: "
            f"{last.deleted} rows deleted, {last.masked} masked",
            highlight=False,
        )


def _status_row(d: DatasetRetention) -> list[str]:
    def when(day: date | None, n: int) -> str:
        return f"{day} ({n})" if day else "-"

    travel = ", ".join(
        f"{table} {d.travel_masked.get(table, 0)}/{d.travel_due.get(table, 0)}"
        for table in sorted(set(d.travel_masked) | set(d.travel_due))
    )
    return [
        escape(d.dataset),
        escape(d.retention_class),
        str(d.statements),
        str(d.masked_statements),
        str(d.due_statements),
        when(d.next_mask.day, d.next_mask.statements),
        when(d.next_delete.day, d.next_delete.statements),
        travel or "-",
    ]


def _principal(conn: Connection, name: str) -> Principal:
    """The user ``name`` as a caller (a RetentionError when there is none)."""
    user = get_user(conn, name)
    if user is None:
        raise RetentionError(
            f"no user {name!r} (see rasid users)",
            arabic=f"لا يوجد مستخدم {name!r} (انظر rasid users)",
        )
    return Principal(user)


@unmask.command("request")
def unmask_request(
    ctx: typer.Context,
    user: AsOpt,
    kind: Annotated[str, typer.Option(help=f"What to see again: {', '.join(KINDS)}.")],
    target: Annotated[str, typer.Option(help="Its id (entity, booking or traveller id).")],
    reason: ReasonOpt,
    dataset: Annotated[
        str | None, typer.Option(help="For an entity masked in several datasets: which one.")
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ask, as a user, to see a masked entity, booking or traveller again, with a reason.

    The target must be masked now in a dataset the user reads. Recorded in the audit log.
    """
    now = at or utcnow()
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        principal = _principal(uow.conn, user)
        readable = visibility(uow.conn, principal, now)
        found = request_unmask(uow.conn, principal, kind, target, reason, now, readable, dataset)
    _print_requests([found], now, as_json, one=True)


@unmask.command("approve")
def unmask_approve(
    ctx: typer.Context, request_id: RequestArg, user: AsOpt, reason: ReasonOpt, at: AtOpt = None
) -> None:
    """Approve a pending request, as a supervisor of the agency owning the data (not the
    requester): the requester alone sees the target for RASID_UNMASK_HOURS hours."""
    _decide(ctx, request_id, user, True, reason, at)


@unmask.command("refuse")
def unmask_refuse(
    ctx: typer.Context, request_id: RequestArg, user: AsOpt, reason: ReasonOpt, at: AtOpt = None
) -> None:
    """Refuse a pending request, as a supervisor of the agency owning the data."""
    _decide(ctx, request_id, user, False, reason, at)


def _decide(
    ctx: typer.Context, request_id: int, user: str, approve: bool, reason: str, at: datetime | None
) -> None:
    now = at or utcnow()
    hours = get_settings().unmask_hours
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        principal = _principal(uow.conn, user)
        found = decide_unmask(uow.conn, principal, request_id, approve, reason, now, hours)
    _print_requests([found], now, False, one=True)


@unmask.command("list")
def unmask_list(
    ctx: typer.Context,
    status: Annotated[
        UnmaskStatus | None, typer.Option(case_sensitive=False, help="Only this status.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many, newest first.")] = 50,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List requests to see masked data again, newest first, with their decisions."""
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_requests(uow.conn, None, status, limit)
    _print_requests(found, at or utcnow(), as_json)


def _print_requests(
    found: list[UnmaskRequest], now: datetime, as_json: bool, one: bool = False
) -> None:
    if as_json:
        rows = [r.to_dict(now) for r in found]
        print_json(rows[0] if one else rows)
        return
    table = Table(
        "id", "target", "dataset", "requested by", "reason", "status", "decided by", "until"
    )
    for r in found:
        shown = "active" if r.active(now) else str(r.status)
        if r.status is UnmaskStatus.APPROVED and not r.active(now):
            shown = "expired"
        until = r.expires_at.isoformat(sep=" ", timespec="minutes") if r.expires_at else "-"
        table.add_row(
            str(r.id),
            escape(r.target),
            escape(r.dataset),
            escape(r.requested_by),
            escape(r.reason),
            shown,
            escape(r.decided_by or "-"),
            until,
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.add_typer(retention, name="retention")
