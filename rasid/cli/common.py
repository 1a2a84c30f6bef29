"""What every command shares: the store it opens, output helpers, error exits."""

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import DBAPIError

from rasid.access.errors import AccessError
from rasid.ingest.errors import IngestError
from rasid.model.errors import ModelError
from rasid.settings import get_settings
from rasid.store import Store, open_store
from rasid.store.errors import StoreError

console = Console()
err_console = Console(stderr=True)


def database_url(ctx: typer.Context) -> str:
    """The database URL: --database, else RASID_DATABASE_URL, else rasid.db here."""
    url = ctx.obj.get("database") if isinstance(ctx.obj, dict) else None
    return str(url or get_settings().database_url)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error on stderr and exit with ``code``."""
    err_console.print(f"[red]error:[/red] {message}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def opened_store(ctx: typer.Context, create: bool = True) -> Iterator[Store]:
    """Open the store (initialising an empty database), turning known errors into exits."""
    try:
        store = open_store(database_url(ctx), create=create)
    except StoreError as exc:
        fail(str(exc))
    except Exception as exc:  # a driver error: unreachable server, bad URL
        fail(f"cannot open the database: {exc.__class__.__name__}: {exc}".splitlines()[0])
    try:
        yield store
    except (IngestError, ModelError, AccessError, StoreError) as exc:
        fail(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
    except DBAPIError as exc:  # the transaction was rolled back: nothing was written
        fail(f"database error, nothing written: {str(exc.orig).splitlines()[0]}")
    finally:
        store.dispose()


def print_json(data: Any) -> None:
    """Write one JSON document on stdout (UTF-8, not ASCII-escaped)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def cli_actor() -> str:
    """Who the audit log records for a command: the operating-system account running it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
