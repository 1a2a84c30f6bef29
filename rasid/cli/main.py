"""The `rasid` command: entry point and global options."""

from typing import Annotated

import typer

from rasid import __version__
from rasid.cli import (
    assist_cmd,
    audit_cmd,
    browse,
    graph_cmd,
    hits_cmd,
    ingest_cmd,
    monitor_cmd,
    registry_cmd,
    resolve_cmd,
    retention_cmd,
    rules_cmd,
    screen_cmd,
    serve_cmd,
    travel_cmd,
    users_cmd,
)
from rasid.cli.common import console, database_url, fail
from rasid.store.engine import Store, make_engine
from rasid.store.errors import StoreError

app = typer.Typer(
    name="rasid",
    help="Rasid (راصد): collect, collate, analyse and share information across agencies.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"rasid {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="Database URL (SQLite or PostgreSQL). Default: RASID_DATABASE_URL, "
            "else sqlite:///rasid.db in the working directory.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Rasid (راصد): a fusion-cell platform. Each command's --help says more."""
    ctx.obj = {"database": database}


@app.command()
def init(
    ctx: typer.Context,
    database: Annotated[
        str | None, typer.Option("--database", help="Database URL (as the global option).")
    ] = None,
) -> None:
    """Create the database, or migrate it to this version of Rasid."""
    from rasid.store.migrate import current_revision, head_revision, upgrade

    url = database or database_url(ctx)
    try:
        engine = make_engine(url)
        before = current_revision(engine)
        upgrade(engine)
        Store(engine).check()
    except StoreError as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"cannot initialise {url}: {exc}".splitlines()[0])
    head = head_revision()
    if before == head:
        console.print(f"database is up to date (revision {head})")
    else:
        console.print(f"database at revision {head} (was {before or 'empty'})")
    engine.dispose()


ingest_cmd.register(app)
registry_cmd.register(app)
browse.register(app)
serve_cmd.register(app)
screen_cmd.register(app)
hits_cmd.register(app)
rules_cmd.register(app)
users_cmd.register(app)
audit_cmd.register(app)
retention_cmd.register(app)
travel_cmd.register(app)
resolve_cmd.register(app)
graph_cmd.register(app)
monitor_cmd.register(app)
assist_cmd.register(app)
