"""`rasid assist rate add` and `rasid assist rates`: the exchange rates a coordination office
uses to compare a project's budget with a need's cost in another currency, and to count a
donor's spending in another currency (``rasid.assist.rates``). Added to the `assist` group by
``rasid.cli.assist_cmd.register``."""

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rasid.assist import rates
from rasid.assist.model import Rate
from rasid.cli.assist_cmd import AsOpt, JsonOpt, _acting, assist
from rasid.cli.common import console, fail, print_json

rate_group = typer.Typer(
    help="Exchange rates the coordination office uses to compare funding across currencies.",
    no_args_is_help=True,
)
assist.add_typer(rate_group, name="rate")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--on: {value!r} is not a date (YYYY-MM-DD)")


def _json(r: Rate) -> dict[str, object]:
    return {
        "id": r.id,
        "base": r.base,
        "quote": r.quote,
        "rate": r.rate,
        "on": r.on.isoformat(),
        "source": r.source,
        "agency": r.agency,
        "recorded_by": r.recorded_by,
    }


@rate_group.command("add")
def rate_add(
    ctx: typer.Context,
    base: Annotated[
        str,
        typer.Argument(metavar="BASE", help="The currency converted from (ISO 4217, e.g. EUR)."),
    ],
    quote: Annotated[
        str, typer.Argument(metavar="QUOTE", help="The currency converted to (ISO 4217, e.g. USD).")
    ],
    rate: Annotated[
        float, typer.Argument(metavar="RATE", help="What one BASE is worth in QUOTE (above 0).")
    ],
    user: AsOpt,
    on: Annotated[str, typer.Option("--on", help="The date the rate is as of (YYYY-MM-DD).")],
    source: Annotated[str, typer.Option("--source", help="Where the rate comes from.")],
) -> None:
    """Record an exchange rate for the caller's coordination office (as a coordination
    officer or supervisor; audited). Conversions use the latest rate of the pair on or
    before the date wanted, either way round."""
    day = _day(on)
    with _acting(ctx, user) as (conn, principal):
        added = rates.add_rate(conn, principal, base, quote, rate, day, source)
    console.print(
        f"rate {added.id}: 1 {added.base} = {added.rate:g} {added.quote} "
        f"as of {added.on.isoformat()} ({escape(added.source)})"
    )


@assist.command("rates")
def rates_cmd(
    ctx: typer.Context,
    user: AsOpt,
    agency: Annotated[
        str | None, typer.Option("--agency", help="Only this office's rates (default: all).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the exchange rates recorded, by currency pair and date, with their source and
    the office that recorded them."""
    with _acting(ctx, user) as (conn, principal):
        found = rates.list_rates(conn, principal, agency=agency)
    if as_json:
        print_json([_json(r) for r in found])
        return
    table = Table("rate", "base", "quote", "value", "as of", "source", "office")
    for r in found:
        table.add_row(
            str(r.id), r.base, r.quote, f"{r.rate:g}", r.on.isoformat(), escape(r.source), r.agency
        )
    console.print(table)
