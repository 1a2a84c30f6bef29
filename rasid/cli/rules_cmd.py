"""`rasid rules`: targeting rules for traveller screening. List, show (with every version),
add, edit, disable, enable, and test one on a dataset's stored travellers without recording
a hit. A rule on a sensitive trait is refused, naming the criterion and the trait; the
refusal is kept in the audit log like every change."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.markup import escape
from rich.table import Table

from rasid.cli.common import cli_actor, console, err_console, fail, opened_store, print_json
from rasid.store import Store
from rasid.store.statements import utcnow
from rasid.travel.criteria import RuleRefused, value_text
from rasid.travel.rules import (
    Rule,
    RuleDraft,
    RuleStatus,
    UnknownRule,
    create_rule,
    dry_run,
    get_rule,
    list_rules,
    record_refusal,
    rule_versions,
    set_status,
    update_rule,
)
from rasid.travel.screening import listed_in_queue
from rasid.travel.vocabulary import vocabulary

rules = typer.Typer(
    help="Targeting rules for traveller screening: list, show, fields, add, edit, disable, "
    "enable, test. Rules only propose: their hits go to the review queue.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RuleId = Annotated[int, typer.Argument(metavar="ID", min=1, help="The rule's number.")]
FILE_KEYS = frozenset(
    {"name", "description", "owner", "agency", "justification", "review_date", "criteria", "note"}
)


def _today() -> date:
    return utcnow().date()


@contextmanager
def _reported() -> Iterator[None]:
    """An unknown rule exits with 1."""
    try:
        yield
    except UnknownRule as exc:
        fail(str(exc), 1)


@contextmanager
def _refusals(store: Store, action: str, target: str) -> Iterator[None]:
    """A refused change (its transaction rolled back) is recorded in a transaction of its
    own; each problem is printed and the command exits with 2."""
    try:
        yield
    except RuleRefused as exc:
        with store.uow() as uow:
            record_refusal(uow.conn, cli_actor(), action, target, exc)
        for problem in exc.problems:
            err_console.print(
                f"error: {escape(problem.text('en'))}", highlight=False, soft_wrap=True
            )
        raise typer.Exit(2) from None


@rules.command("list")
def rules_list(
    ctx: typer.Context,
    status: Annotated[
        RuleStatus | None, typer.Option(case_sensitive=False, help="Only rules in this status.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the rules: status, owner, review date, and whether the review is overdue (an
    overdue rule does not apply until it is saved with a new review date)."""
    today = _today()
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_rules(uow.conn, status)
    if as_json:
        print_json([r.to_dict(today) for r in found])
        return
    table = Table("id", "name", "status", "agency", "owner", "review", "version")
    for r in found:
        review = r.review_date.isoformat() + (" OVERDUE" if r.overdue(today) else "")
        table.add_row(
            str(r.id), escape(r.name), r.status.value, r.agency, r.owner, review, str(r.version)
        )
    console.print(table)


@rules.command("show")
def rules_show(ctx: typer.Context, rule_id: RuleId, as_json: JsonOpt = False) -> None:
    """Show a rule: its criteria, owner, justification, review date, and every version (who
    changed it, when and why)."""
    today = _today()
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        rule = get_rule(uow.conn, rule_id)
        versions = rule_versions(uow.conn, rule_id)
    if as_json:
        print_json(rule.to_dict(today) | {"versions": [v.to_dict() for v in versions]})
        return
    _print_rule(rule, today)
    history = Table("version", "when", "by", "status", "review", "note", title="versions")
    for v in versions:
        when = v.changed_at.isoformat(sep=" ", timespec="minutes")
        history.add_row(
            str(v.version),
            when,
            escape(v.changed_by),
            v.status.value,
            v.review_date.isoformat(),
            escape(v.note),
        )
    console.print(history)


def _print_rule(rule: Rule, today: date) -> None:
    overdue = "  [red]review overdue[/red]" if rule.overdue(today) else ""
    console.print(f"[bold]rule {rule.id}[/bold]  {escape(rule.name)}  {rule.status.value}{overdue}")
    console.print(f"agency {rule.agency}, owner {rule.owner}, review by {rule.review_date}")
    console.print(f"version {rule.version}, updated {rule.updated_at.isoformat(sep=' ')}")
    if rule.description:
        console.print(f"description: {escape(rule.description)}")
    console.print(f"justification: {escape(rule.justification)}")
    for problem in rule.refused:
        console.print(f"[red]not applied:[/red] {escape(problem)}")
    fields = vocabulary().fields
    table = Table("group", "field", "operator", "value", title="criteria")
    for group, items in (("all", rule.criteria.every), ("any", rule.criteria.some)):
        for c in items:
            table.add_row(group, fields[c.field].label.en, c.op, escape(value_text(c)))
    console.print(table)


@rules.command("fields")
def rules_fields(as_json: JsonOpt = False) -> None:
    """List the fields criteria may use, with their operators and the values they take."""
    v = vocabulary()
    if as_json:
        print_json(
            [
                {
                    "field": f.name,
                    "label": f.label.en,
                    "label_ar": f.label.ar,
                    "type": f.type,
                    "ops": list(f.ops),
                    "values": list(f.choices),
                }
                for f in v.fields.values()
            ]
        )
        return
    table = Table("field", "label", "operators", "value")
    for f in v.fields.values():
        values = ", ".join(f.choices) if f.choices else v.types[f.type].en
        table.add_row(f.name, f.label.en, ", ".join(f.ops), values)
    console.print(table)


def _criterion(text: str) -> dict[str, Any]:
    """``FIELD OP VALUE`` (the value may hold spaces and commas) as a criterion."""
    parts = text.split(None, 2)
    if len(parts) != 3:
        fail(f"a criterion is 'FIELD OP VALUE', e.g. 'route in CAI-IST': not {text!r}")
    return {"field": parts[0], "op": parts[1], "value": parts[2]}


def _read_file(path: Path | None) -> dict[str, Any]:
    """A rule written in YAML or JSON (the same keys as the options, criteria as in the
    API); an empty mapping without a file."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        fail(f"{path}: cannot read the rule: {str(exc).splitlines()[0]}")
    if not isinstance(data, dict):
        fail(f"{path}: a rule file holds a mapping of {', '.join(sorted(FILE_KEYS))}")
    unknown = set(data) - FILE_KEYS
    if unknown:
        fail(f"{path}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    return data


def _review_date(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        fail(f"the review date must be YYYY-MM-DD, not {value!r}")


FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file",
        exists=True,
        dir_okay=False,
        help="A rule in YAML or JSON: name, description, owner, agency, justification, "
        'review_date, criteria ({"all": [...], "any": [...]}), note. Options override it.',
    ),
]
NameOpt = Annotated[str | None, typer.Option(help="The rule's name.")]
DescriptionOpt = Annotated[str | None, typer.Option(help="What the rule looks for.")]
OwnerOpt = Annotated[
    str | None, typer.Option(help="The user answerable for the rule (of its agency).")
]
JustificationOpt = Annotated[
    str | None,
    typer.Option(help="Why the rule is necessary and proportionate (a few sentences)."),
]
ReviewOpt = Annotated[
    str | None,
    typer.Option(
        "--review-date",
        metavar="DATE",
        help="When the rule is reviewed, YYYY-MM-DD (within a year).",
    ),
]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        metavar="CRITERION",
        help="A criterion every match meets, 'FIELD OP VALUE' (repeat for more; `rasid "
        "rules fields` lists them). Given, --where and --any replace the criteria.",
    ),
]
AnyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--any",
        metavar="CRITERION",
        help="A criterion of which at least one must hold, 'FIELD OP VALUE' (repeatable).",
    ),
]


AgencyOpt = Annotated[str | None, typer.Option(help="The rule's agency (default: the owner's).")]


def _criteria(where: list[str] | None, any_of: list[str] | None, current: object) -> object:
    if not where and not any_of:
        return current
    return {
        "all": [_criterion(w) for w in where or []],
        "any": [_criterion(a) for a in any_of or []],
    }


@rules.command("add")
def rules_add(
    ctx: typer.Context,
    file: FileOpt = None,
    name: NameOpt = None,
    description: DescriptionOpt = None,
    owner: OwnerOpt = None,
    agency: Annotated[
        str | None, typer.Option(help="The rule's agency (default: the owner's).")
    ] = None,
    justification: JustificationOpt = None,
    review_date: ReviewOpt = None,
    where: WhereOpt = None,
    any_of: AnyOpt = None,
    note: Annotated[str | None, typer.Option(help="Why the rule is added.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a targeting rule (active at once). Refused, with every problem named, when a
    criterion is unknown, malformed or on a sensitive trait, or the owner, justification
    or review date is missing or wrong."""
    data = _read_file(file)
    draft = RuleDraft(
        name=str(name or data.get("name") or ""),
        owner=str(owner or data.get("owner") or ""),
        justification=str(justification or data.get("justification") or ""),
        review_date=_review_date(review_date or data.get("review_date")),
        criteria=_criteria(where, any_of, data.get("criteria")),
        description=str(description or data.get("description") or ""),
        agency=agency or data.get("agency"),
    )
    note = note or data.get("note") or "created"
    with (
        opened_store(ctx) as store,
        _refusals(store, "rule.create", "rule:new"),
        store.uow() as uow,
    ):
        rule = create_rule(uow.conn, draft, cli_actor(), note=note)
    if as_json:
        print_json(rule.to_dict(_today()))
        return
    console.print(f"rule {rule.id} added: {escape(rule.name)} (version 1, active)")


@rules.command("edit")
def rules_edit(
    ctx: typer.Context,
    rule_id: RuleId,
    note: Annotated[str, typer.Option(help="Why the rule changes (kept with the version).")],
    file: FileOpt = None,
    name: NameOpt = None,
    description: DescriptionOpt = None,
    owner: OwnerOpt = None,
    justification: JustificationOpt = None,
    review_date: ReviewOpt = None,
    where: WhereOpt = None,
    any_of: AnyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Save a new version of a rule: what is not given stays as it is. An overdue rule
    applies again once saved with a new review date."""
    data = _read_file(file)
    with (
        _reported(),
        opened_store(ctx) as store,
        _refusals(store, "rule.update", f"rule:{rule_id}"),
        store.uow() as uow,
    ):
        current = get_rule(uow.conn, rule_id)
        draft = RuleDraft(
            name=str(name or data.get("name") or current.name),
            owner=str(owner or data.get("owner") or current.owner),
            justification=str(justification or data.get("justification") or current.justification),
            review_date=_review_date(review_date or data.get("review_date") or current.review_date),
            criteria=_criteria(where, any_of, data.get("criteria") or current.criteria.to_dict()),
            description=str(
                description
                if description is not None
                else data.get("description", current.description)
            ),
        )
        rule = update_rule(uow.conn, rule_id, draft, cli_actor(), note)
    if as_json:
        print_json(rule.to_dict(_today()))
        return
    console.print(f"rule {rule.id} saved: version {rule.version}", highlight=False)


def _status(ctx: typer.Context, rule_id: int, status: RuleStatus, note: str) -> None:
    action = "rule.enable" if status is RuleStatus.ACTIVE else "rule.disable"
    with (
        _reported(),
        opened_store(ctx) as store,
        _refusals(store, action, f"rule:{rule_id}"),
        store.uow() as uow,
    ):
        rule = set_status(uow.conn, rule_id, status, cli_actor(), note)
    console.print(f"rule {rule.id}: {rule.status.value} (version {rule.version})", highlight=False)


NoteOpt = Annotated[str, typer.Option(help="Why (kept with the new version).")]


@rules.command("disable")
def rules_disable(ctx: typer.Context, rule_id: RuleId, note: NoteOpt) -> None:
    """Stop using a rule in screening (a new version; its hits stay in the review queue)."""
    _status(ctx, rule_id, RuleStatus.DISABLED, note)


@rules.command("enable")
def rules_enable(ctx: typer.Context, rule_id: RuleId, note: NoteOpt) -> None:
    """Use a disabled rule again (a new version; an overdue rule also needs a new review
    date before it applies)."""
    _status(ctx, rule_id, RuleStatus.ACTIVE, note)


@rules.command("test")
def rules_test(
    ctx: typer.Context,
    rule_id: RuleId,
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="The travel dataset.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate as on this day (YYYY-MM-DD).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Dry run: how many of a dataset's stored travellers the rule would hit (whatever its
    status), recording no hit. For "travelling with a listed person", the listed are the
    travellers with a watchlist hit in the review queue that was not dismissed. The test is
    in the audit log."""
    today = _review_date(as_of) if as_of else _today()
    with _reported(), opened_store(ctx) as store, store.uow() as uow:
        listed = listed_in_queue(uow.conn, dataset)
        result = dry_run(uow.conn, rule_id, dataset, cli_actor(), today, listed=listed)
    if as_json:
        print_json(result.to_dict())
        return
    people = f"{result.persons} {'person' if result.persons == 1 else 'people'}"
    console.print(
        f"rule {rule_id} on {dataset}: would hit {result.matched} of {result.travellers} "
        f"traveller rows ({people}); nothing recorded",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the `rules` command group to the app."""
    app.add_typer(rules, name="rules")
