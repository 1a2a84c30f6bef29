"""`rasid screen`: screen a name, or a file of subjects, against the watchlists."""

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.table import Table
from sqlalchemy import Connection

from rasid.cli.common import console, err_console, fail, opened_store, print_json
from rasid.cli.progress import count_progress
from rasid.screen.batch import BadLine, match_all, read_subjects, subject_from
from rasid.screen.engine import Screener, watchlist_names
from rasid.screen.errors import ScreenError
from rasid.screen.hits import record_batch
from rasid.screen.model import Match, Subject


def screen(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="The name to screen (any script).")] = None,
    birth_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    nationality: Annotated[str | None, typer.Option(help="Country code or name.")] = None,
    gender: Annotated[str | None, typer.Option(help="male, female or other.")] = None,
    document_number: Annotated[str | None, typer.Option(help="Passport or ID number.")] = None,
    watchlist: Annotated[
        list[str] | None, typer.Option(help="Watchlist dataset(s); default: every watchlist.")
    ] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="JSON lines: id, name, birth_date, ...")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Batch results (default stdout).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="Matches per subject.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (single name).")] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Batch: processes matching in parallel.")
    ] = 1,
) -> None:
    """Screen a name, or every subject of --input, against the watchlists.

    Every match carries entity_id, score (0..1), alert (score at or above the alert
    threshold) and the explanation of its score. A match proposes; a person decides.
    Batch lines that are not subjects are reported on stderr with their line number;
    --workers N matches in N processes sharing one index (results keep the file's order).
    """
    if (name is None) == (input_file is None):
        fail("give a NAME, or --input FILE for a batch")
    with opened_store(ctx) as store, store.uow() as uow:
        try:
            datasets = watchlist_names(uow.conn, watchlist)
        except ScreenError as exc:
            fail(str(exc))
        screener = Screener()
        screener.index(uow.conn, datasets)
        if input_file is not None:
            _batch(uow.conn, screener, datasets, input_file, output, limit, workers)
            return
        found = subject_from(
            {"id": "", "name": name, "birth_date": birth_date, "nationality": nationality,
             "gender": gender, "document_number": document_number}
        )  # fmt: skip
        if isinstance(found, BadLine):
            fail(found.reason)
        matches, hits = screener.screen_and_record(uow.conn, found, datasets, "cli", limit)
    _show(found, matches, as_json)
    for hit in hits:
        err_console.print(
            f"hit {hit.id} ({hit.status}) in the review queue: rasid hits show {hit.id}"
        )


def _show(subject: Subject, matches: list[Match], as_json: bool) -> None:
    if as_json:
        print_json({"id": subject.id, "matches": [m.to_dict() for m in matches]})
        return
    if not matches:
        console.print("no match")
        return
    table = Table("score", "alert", "entity", "listed name", "why")
    for m in matches:
        why = "; ".join(r.detail for r in m.explanation)
        table.add_row(f"{m.score:.2f}", "ALERT" if m.alert else "", m.entity_id, m.name, why)
    console.print(table)


RECORD_EVERY = 500  # screened subjects written to the review queue at a time


def _batch(
    conn: Connection,
    screener: Screener,
    datasets: list[str],
    path: Path,
    output: Path | None,
    limit: int,
    workers: int,
) -> None:
    out: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    source = f"batch:{path.name}"
    done = bad = alerts = 0
    with path.open("rb") as counting:
        lines = sum(1 for _ in counting)
    try:
        with (
            path.open(encoding="utf-8", errors="replace") as stream,
            count_progress(f"screening {path.name}", "lines", output is not None) as progress,
        ):
            index = screener.index(conn, datasets)
            pending: list[tuple[Subject, list[Match]]] = []
            for item, matches in match_all(index, read_subjects(stream), limit, workers):
                progress(done + bad, lines)
                if isinstance(item, BadLine):
                    bad += 1
                    # One line per problem, never wrapped: a path broken across lines
                    # cannot be copied or searched for.
                    where = f"{path}: line {item.line}: {item.reason}"
                    err_console.print(where, markup=False, highlight=False, soft_wrap=True)
                    continue
                pending.append((item, matches))
                if len(pending) >= RECORD_EVERY:
                    record_batch(conn, pending, source, index.datasets_of)
                    pending.clear()
                alerts += any(m.alert for m in matches)
                out.write(json.dumps({"id": item.id, "matches": [m.to_dict() for m in matches]},
                                     ensure_ascii=False) + "\n")  # fmt: skip
                done += 1
            record_batch(conn, pending, source, index.datasets_of)
    finally:
        if output:
            out.close()
    err_console.print(f"screened {done}, with an alert {alerts}, bad lines {bad}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(screen)
