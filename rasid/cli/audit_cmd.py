"""`rasid audit`: read the audit log and verify its hash chain."""

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rasid.access import audit
from rasid.cli.common import console, err_console, fail, opened_store, print_json

app = typer.Typer(
    help="The audit log: list records (with no sub-command), verify the chain, print its "
    "head for safekeeping.",
    invoke_without_command=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: not a date or time (YYYY-MM-DD[THH:MM]): {value!r}")


def _dict(record: audit.AuditRecord) -> dict[str, object]:
    return {**vars(record), "at": record.at.isoformat(timespec="microseconds")}


@app.callback()
def audit_list(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Only this user (or cli:<account>).")] = None,
    agency: Annotated[str | None, typer.Option(help="Only actors of this agency.")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this action; a family with a star: 'entity.*'.")
    ] = None,
    target: Annotated[str | None, typer.Option(help="Only records about this.")] = None,
    since: Annotated[str | None, typer.Option(help="From this UTC date or time.")] = None,
    until: Annotated[str | None, typer.Option(help="Before this UTC date or time.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="How many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List records, newest first (with no sub-command)."""
    if ctx.invoked_subcommand is not None:
        return
    start, end = _when(since, "--since"), _when(until, "--until")
    with opened_store(ctx) as store, store.uow() as uow:
        found = audit.search(
            uow.conn,
            actor=actor,
            agency=agency,
            action=action,
            target=target,
            since=start,
            until=end,
            limit=limit,
        )
    if as_json:
        print_json([_dict(r) for r in found])
        return
    table = Table("#", "at (UTC)", "actor", "agency", "action", "target", "purpose", "outcome")
    for r in found:
        table.add_row(
            str(r.seq),
            r.at.isoformat(sep=" ", timespec="seconds"),
            escape(r.actor),
            r.agency or "",
            r.action,
            escape(r.target),
            escape(r.purpose),
            r.outcome,
        )
    console.print(table)


def _anchor(value: str) -> tuple[int, str]:
    number, _, digest = value.partition(":")
    if not number.isdigit() or len(digest) != 64:
        fail(f"--anchor: expected NUMBER:HASH (as `rasid audit head` prints), got {value!r}")
    return int(number), digest.lower()


@app.command("verify")
def audit_verify(
    ctx: typer.Context,
    anchor: Annotated[
        list[str] | None,
        typer.Option(help="NUMBER:HASH kept elsewhere (from `rasid audit head`); repeatable."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check every record's hash and link, and the head. Exit code 1 names the first record
    that does not hold (edited, deleted or reordered)."""
    anchors = dict(_anchor(a) for a in anchor or [])
    with opened_store(ctx) as store, store.uow() as uow:
        result = audit.verify(uow.conn, anchors)
    if as_json:
        print_json(vars(result))
    elif result.ok:
        console.print(f"audit chain intact: {result.checked} records, head {result.head_seq}")
    else:
        err_console.print(
            f"audit chain broken at record {result.bad_seq}: {result.reason} "
            f"({result.checked} records before it verified)",
            markup=False,
        )
    if not result.ok:
        raise typer.Exit(1)


@app.command("head")
def audit_head(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Print the last record's number and hash, to keep elsewhere (a register, another
    agency) and give to `verify --anchor` later."""
    with opened_store(ctx) as store, store.uow() as uow:
        seq, digest = audit.head(uow.conn)
    if as_json:
        print_json({"seq": seq, "hash": digest})
    else:
        console.print(f"{seq}:{digest}")


def register(root: typer.Typer) -> None:
    """Add the command group to the app."""
    root.add_typer(app, name="audit")
