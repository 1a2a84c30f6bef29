"""`rasid hits`: the screening review queue. A hit only proposes; a person decides, with a
reason, and the queue keeps every decision."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.cli.common import console, fail, opened_store, print_json
from rasid.exchange.errors import ExchangeError
from rasid.retention.grants import operator_masking
from rasid.screen.errors import ScreenError, UnknownHit
from rasid.screen.hits import HitRecord, HitStatus, count_by_status, decide, get_hit, list_hits
from rasid.store.statements import utcnow
from rasid.travel.alerts import decide_and_alert
from rasid.travel.screening import SOURCE as TRAVEL

hits = typer.Typer(
    help="The screening review queue. With no sub-command, list hits (best score first); "
    "`show` one with its reasons and history; `decide` on one, with a reason. Nothing "
    "happens to a person on a score alone.",
    invoke_without_command=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
HitId = Annotated[int, typer.Argument(metavar="ID", help="The hit's number.")]


@contextmanager
def _reported() -> Iterator[None]:
    """Turn the queue's errors into one-line exits: 1 for an unknown hit, 2 for a refusal."""
    try:
        yield
    except UnknownHit as exc:
        fail(str(exc), 1)
    except (ScreenError, ExchangeError) as exc:
        fail(str(exc))


@hits.callback()
def hits_list(
    ctx: typer.Context,
    status: Annotated[
        HitStatus | None, typer.Option(case_sensitive=False, help="Only hits in this status.")
    ] = None,
    subject: Annotated[
        str | None, typer.Option(help="Only hits on this screened subject (its key).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List hits, best score first, with how many each status holds (with no sub-command)."""
    if ctx.invoked_subcommand is not None:
        return
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        masking = operator_masking(uow.conn, utcnow().date())
        found = list_hits(uow.conn, status, subject, limit, offset, masking=masking)
        counts = count_by_status(uow.conn)
    if as_json:
        print_json([h.to_dict() for h in found])
        return
    table = Table("id", "status", "score", "subject", "matched name", "entity", "watchlist")
    for h in found:
        table.add_row(
            str(h.id),
            str(h.status),
            f"{h.score:.2f}",
            escape(h.subject.name),
            escape(h.matched_name),
            escape(h.entity_id),
            escape(h.watchlist or "-"),
        )
    console.print(table)
    console.print(", ".join(f"{s} {counts[s]}" for s in HitStatus), highlight=False)


@hits.command("show")
def hits_show(ctx: typer.Context, hit_id: HitId, as_json: JsonOpt = False) -> None:
    """Show one hit: the subject, the watchlist entry, the reasons for the score, and every
    decision taken on it (who, when, why). A traveller past the mask date is shown masked."""
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        found = get_hit(uow.conn, hit_id, masking=operator_masking(uow.conn, utcnow().date()))
    if as_json:
        print_json(found.to_dict())
        return
    _print_hit(found)


def _print_hit(h: HitRecord) -> None:
    s = h.subject
    facts = [s.birth_date, s.nationality, s.gender, s.document_number]
    console.print(f"[bold]hit {h.id}[/bold]  {h.status}  score {h.score:.4f}")
    console.print(f"subject: {escape(s.name)}  {escape(' '.join(f for f in facts if f))}")
    console.print(f"  screened by {escape(s.source)} as {escape(s.external_id or '-')}")
    console.print(f"watchlist: {escape(h.watchlist or '-')}  {escape(h.entity_id)}")
    console.print(f"  matched name: {escape(h.matched_name)}")
    reasons = Table("feature", "reason", "effect", title="why this score")
    for r in h.explanation:
        reasons.add_row(escape(r.feature), escape(r.detail), f"{r.effect:+.2f}")
    console.print(reasons)
    history = Table("when", "from", "to", "reviewer", "reason", title="decisions")
    for d in h.history or ():
        when = d.decided_at.isoformat(sep=" ")
        history.add_row(when, d.from_status, d.to_status, escape(d.reviewer), escape(d.reason))
    console.print(history)
    console.print(f"may go to: {', '.join(h.next_statuses)}", highlight=False)


@hits.command("decide")
def hits_decide(
    ctx: typer.Context,
    hit_id: HitId,
    status: Annotated[
        HitStatus,
        typer.Option(
            case_sensitive=False,
            help="The decision: confirmed, dismissed or escalated; new reopens a confirmed "
            "or dismissed hit (for a supervisor).",
        ),
    ],
    reviewer: Annotated[
        str,
        typer.Option(
            help="Who decides (recorded with the decision); a Rasid user's name to confirm "
            "a traveller hit, whose alert is sent in that user's name."
        ),
    ],
    reason: Annotated[str, typer.Option(help="Why (required, recorded with the decision).")],
) -> None:
    """Decide on a hit, with a reason: confirm, dismiss, escalate or reopen it.

    new may go to confirmed, dismissed or escalated; escalated to confirmed or dismissed;
    confirmed and dismissed are final unless reopened (to new). The decision is recorded
    with the reviewer, the reason and the time. Confirming a hit on a traveller also sends
    the alert to border and police agencies (see RASID_TRAVEL_ALERT_AGENCIES) through the
    exchange; decision and alert are recorded together or not at all."""
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        before = get_hit(uow.conn, hit_id).status
        user = get_user(uow.conn, reviewer)
        if user is not None:
            after, sent = decide_and_alert(uow.conn, Principal(user), hit_id, status, reason)
        else:
            after, sent = decide(uow.conn, hit_id, status, reviewer, reason), None
            if after.status is HitStatus.CONFIRMED and after.subject.source == TRAVEL:
                raise ScreenError(
                    "confirming a traveller hit sends an alert in the reviewer's name: "
                    f"{reviewer!r} is not a Rasid user (see rasid users)",
                    arabic="تأكيد نتيجة تخص مسافرًا يرسل تنبيهًا باسم المراجع: "
                    f"{reviewer!r} ليس مستخدمًا في راصد (انظر rasid users)",
                )
    console.print(f"hit {after.id}: {before} -> {after.status}", highlight=False)
    if sent is not None:
        to = ", ".join(r.agency for r in sent.receipts)
        console.print(f"alert sent to {to}: message {sent.id}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `hits` command group to the app."""
    app.add_typer(hits, name="hits")
