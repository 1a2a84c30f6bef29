"""`rasid resolve`: entity resolution. The engine proposes pairs; people judge them; the
canonical ids that merge records across datasets follow from the judgements alone."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from rasid.cli.common import cli_actor, console, fail, opened_store, print_json
from rasid.cli.progress import count_progress
from rasid.resolve.errors import ResolveError, UnknownPair
from rasid.resolve.judgements import (
    QueueFilter,
    apply_judgements,
    export_judgements,
    get_pair,
    iter_pairs,
    judge,
    list_pairs,
    parse_judgement,
    undo,
)
from rasid.resolve.model import Status
from rasid.resolve.rules import apply_rule, auto_kinds, undo_rule
from rasid.store.entities import get_entity

resolve = typer.Typer(
    help="Entity resolution: who is who across agencies. `run` proposes pairs, `judge` "
    "records a person's decision (same, not-same, unsure), `undo` takes it back; canonical "
    "ids follow from the judgements. Nothing is merged on a score alone (but by the "
    "documented auto-accept rule, see `auto`).",
    no_args_is_help=True,
)
UserOpt = Annotated[str, typer.Option("--user", help="Who judges (their user name).")]
IdArg = Annotated[str, typer.Argument(help="An entity id of the pair.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
EXPORTED = (Status.SAME, Status.NOT_SAME, Status.UNSURE, Status.AUTO, Status.PROPOSED)


class Weights(StrEnum):
    """How a run weighs the evidence (see rasid.resolve.engine)."""

    LEARNED = "learned"
    FIXED = "fixed"


@contextmanager
def _reported() -> Iterator[None]:
    """The workflow's errors as one-line exits: 1 for an unknown pair, 2 for a refusal."""
    try:
        yield
    except UnknownPair as exc:
        fail(str(exc), 1)
    except ResolveError as exc:
        fail(str(exc))


@resolve.command("run")
def run_cmd(
    ctx: typer.Context,
    datasets: Annotated[
        str | None, typer.Option(help="Datasets to resolve, comma-separated (default: all).")
    ] = None,
    as_json: JsonOpt = False,
    weights: Annotated[
        Weights,
        typer.Option(
            help="How the evidence is weighed: learned from this run's records (when they "
            "are too few, or the estimate fails, fixed weights are used and the statistics "
            "say why), or fixed (the same in every run)."
        ),
    ] = Weights.LEARNED,
) -> None:
    """Propose pairs of records that may be the same person or organisation, across and
    within datasets, and put them in the judgement queue. Prints the statistics: records,
    candidate pairs, proposed, new, auto-accepted, skipped blocks, seconds, and the weights
    used (learned or fixed, and why)."""
    from rasid.resolve.run import resolve as run_resolution

    names = [d.strip() for d in (datasets or "").split(",") if d.strip()] or None
    progress = count_progress("resolving", "pairs")
    with _reported(), opened_store(ctx) as store, progress as bar, store.uow() as uow:
        result = run_resolution(
            uow.conn, cli_actor(), names, progress=bar, weights=str(weights.value)
        )
    if as_json:
        print_json(result.to_dict())
        return
    for key, value in result.to_dict().items():
        if key != "learned":
            console.print(f"{key.replace('_', ' ')}: {value}", highlight=False)
    if result.learned:
        console.print(_learned_table(result.learned))


def _learned_table(learned: dict[str, Any]) -> Table:
    """The learned weights: for each level of evidence, its share among likely matches
    and among other candidate pairs, and what that weighs (log2 of their ratio)."""
    table = Table(
        "evidence",
        "level",
        "matches",
        "others",
        "weight (bits)",
        title=f"weights learned from this run (matches among candidate pairs: "
        f"{learned['prior']:.1%})",
    )
    for comparison, levels in learned["comparisons"].items():
        for level, found in levels.items():
            if not found["pairs"]:
                continue  # no pair of the sample was so: it weighs nothing
            table.add_row(
                comparison, level, f"{found['m']:.2%}", f"{found['u']:.2%}", f"{found['bits']:+.1f}"
            )
    return table


@resolve.command("pairs")
def pairs_cmd(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON-lines file to write.")],
    status: Annotated[
        list[Status] | None,
        typer.Option(help="Only pairs in this status (repeatable; default: proposed, same, auto)."),
    ] = None,
    min_score: Annotated[
        float | None, typer.Option(help="Only pairs scoring at least this.")
    ] = None,
) -> None:
    """Write pairs as JSON lines: `left_id`, `right_id`, `score`, `status`, `explanation`
    (and the datasets of each side), the queue's order."""
    wanted = tuple(status or (Status.PROPOSED, Status.SAME, Status.AUTO))
    count = 0
    with opened_store(ctx) as store, store.uow() as uow, output.open("w", encoding="utf-8") as out:
        for p in iter_pairs(uow.conn, QueueFilter(statuses=wanted, min_score=min_score)):
            line = {
                "left_id": p.left_id,
                "right_id": p.right_id,
                "score": p.score,
                "status": str(p.status),
                "explanation": p.explanation,
                "left_dataset": p.left_dataset,
                "right_dataset": p.right_dataset,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    console.print(f"{count} pairs written to {output}", highlight=False)


@resolve.command("judge")
def judge_cmd(
    ctx: typer.Context,
    user: UserOpt,
    left: Annotated[str | None, typer.Argument(help="An entity id of the pair.")] = None,
    right: Annotated[str | None, typer.Argument(help="The other entity id.")] = None,
    judgement: Annotated[str | None, typer.Argument(help="same, not-same or unsure.")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the judgement).")] = "",
) -> None:
    """Judge a pair: `rasid resolve judge LEFT RIGHT same|not-same|unsure --user U --reason R`.

    Without LEFT, RIGHT and the judgement, walks the queue (proposed pairs, best first),
    showing both records side by side and asking for each: only when stdin is a terminal,
    never otherwise."""
    with _reported(), opened_store(ctx) as store:
        if left is None:
            if not sys.stdin.isatty():
                fail("give LEFT RIGHT and a judgement (the queue is walked only on a terminal)")
            _walk(store, user)
            return
        if right is None or judgement is None:
            fail("give LEFT, RIGHT and a judgement (same, not-same or unsure)")
        with store.uow() as uow:
            found = judge(uow.conn, left, right, parse_judgement(judgement), user, reason)
    console.print(f"{found.left_id} / {found.right_id}: {found.status}", highlight=False)


def _side_by_side(store: Any, left: str, right: str) -> Table:
    table = Table("property", left, right)
    with store.uow() as uow:
        views = [get_entity(uow.conn, i, None) for i in (left, right)]
    props = sorted({s.prop for v in views if v for s in v.value_statements()})
    for prop in props:
        cells = [
            "\n".join(
                f"{escape(s.value)} [{escape(s.dataset)}]"
                for s in (v.value_statements() if v else [])
                if s.prop == prop
            )
            for v in views
        ]
        table.add_row(prop, *cells)
    return table


def _walk(store: Any, user: str) -> None:
    with store.uow() as uow:
        queue = list_pairs(uow.conn, QueueFilter(statuses=(Status.PROPOSED,)), limit=1000)
    for p in queue:
        console.print(_side_by_side(store, p.left_id, p.right_id))
        for r in p.explanation:
            console.print(f"  {r['effect']:+.3f} {escape(r['feature'])}: {escape(r['detail'])}")
        answer = typer.prompt(f"score {p.score:.3f}: same, not-same, unsure, skip or quit", "skip")
        if answer.strip().lower() in ("quit", "q"):
            return
        if answer.strip().lower() in ("skip", ""):
            continue
        reason = typer.prompt("reason", "", show_default=False)
        with _reported(), store.uow() as uow:
            judge(uow.conn, p.left_id, p.right_id, parse_judgement(answer), user, reason)


@resolve.command("undo")
def undo_cmd(ctx: typer.Context, left: IdArg, right: IdArg, user: UserOpt) -> None:
    """Take back the last judgement a person made on a pair (it stays in the history,
    stamped undone)."""
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        found = undo(uow.conn, left, right, user)
    console.print(f"{found.left_id} / {found.right_id}: {found.status}", highlight=False)


@resolve.command("show")
def show_cmd(ctx: typer.Context, left: IdArg, right: IdArg) -> None:
    """One pair as JSON: score, explanation, status and every judgement."""
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        print_json(get_pair(uow.conn, left, right).to_dict())


@resolve.command("export")
def export_cmd(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="JSON-lines file to write.")]
) -> None:
    """Write each pair's standing judgement by a person as JSON lines, to apply on another
    database with `rasid resolve apply`."""
    with opened_store(ctx) as store, store.uow() as uow, file.open("w", encoding="utf-8") as out:
        count = 0
        for line in export_judgements(uow.conn):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    console.print(f"{count} judgements written to {file}", highlight=False)


@resolve.command("apply")
def apply_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="An export.")],
) -> None:
    """Take exported judgements on this database. Applying a file twice changes nothing
    the second time; a line this database refuses is reported (exit code 1 if any)."""
    lines: list[tuple[int, dict[str, Any]]] = []
    for number, text in enumerate(file.read_text("utf-8").splitlines(), start=1):
        if text.strip():
            try:
                lines.append((number, json.loads(text)))
            except json.JSONDecodeError as exc:
                fail(f"{file}: line {number}: not JSON ({exc.msg})")
    with opened_store(ctx) as store, store.uow() as uow:
        done = apply_judgements(uow.conn, lines, cli_actor())
    console.print(
        f"applied {done.applied}, unchanged {done.unchanged}, pairs added {done.created}, "
        f"refused {len(done.refused)}",
        highlight=False,
    )
    for problem in done.refused:
        console.print(escape(problem), highlight=False)
    if done.refused:
        raise typer.Exit(1)


@resolve.command("auto")
def auto_cmd(
    ctx: typer.Context,
    undo_all: Annotated[
        bool, typer.Option("--undo", help="Take back every acceptance of the rule.")
    ] = False,
) -> None:
    """Apply the auto-accept rule as RASID_RESOLVE_AUTO_ACCEPT now says (accept proposed
    pairs with identical strong identifiers of those kinds; take back acceptances it no
    longer justifies), or with --undo take back all of them. Canonical ids follow."""
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        if undo_all:
            result = undo_rule(uow.conn, cli_actor())
        else:
            result = apply_rule(uow.conn, auto_kinds(), cli_actor())
    console.print(f"accepted {result.accepted}, taken back {result.reverted}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `resolve` command group to the app."""
    app.add_typer(resolve, name="resolve")
