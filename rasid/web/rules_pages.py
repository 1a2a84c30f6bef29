"""Targeting rules in the browser: the list (with overdue reviews flagged), one rule with
its versions, and the editor (new rule, edit, disable and enable).

The editor writes criteria as rows of field, operator and value (and whether the row must
hold or is one of several that may); a refused rule comes back in the form with each problem
in the reader's language, beside the row it is about, and the refusal is in the audit log.
Pages go through the same services as the API (``rasid.travel.rules``); forms carry the
session's CSRF token.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from starlette.responses import Response

from rasid.access.accounts import Scope, list_users
from rasid.access.policy import Principal, require
from rasid.store.statements import utcnow
from rasid.travel.criteria import MAX_CRITERIA, Criterion, RuleRefused, value_text
from rasid.travel.rules import (
    DESCRIPTION_MAX,
    JUSTIFICATION_MAX,
    NAME_MAX,
    NOTE_MAX,
    Rule,
    RuleDraft,
    RuleStatus,
    UnknownRule,
    create_rule,
    get_rule,
    list_rules,
    record_refusal,
    rule_versions,
    set_status,
    update_rule,
)
from rasid.travel.vocabulary import vocabulary
from rasid.web.deps import Caller, Uow, check_form
from rasid.web.errors import NotFound
from rasid.web.models import MAX_ID
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

RuleId = Annotated[int, Path(ge=1, le=MAX_ID)]
BLANK_ROWS = 3  # empty criterion rows the editor offers
VALUE_MAX = 2000
ROWS_MAX = MAX_CRITERIA + BLANK_ROWS + 1  # rows a form may send


@dataclass
class Row:
    """One criterion row of the editor, with the problems found in it."""

    group: str = "all"
    field: str = ""
    op: str = ""
    value: str = ""
    problems: list[str] | None = None


def _found(uow: Uow, rule_id: int) -> Rule:
    try:
        return get_rule(uow.conn, rule_id)
    except UnknownRule as exc:
        raise NotFound(str(exc), arabic=exc.arabic) from None


@router.get("/rules", name="rules")
def rules_page(request: Request, uow: Uow, caller: Caller) -> Response:
    """Every targeting rule: status, owner, review date, with overdue reviews flagged."""
    require(caller, Scope.READ)
    context = {
        "nav": "rules",
        "rules": list_rules(uow.conn),
        "today": utcnow().date(),
        "may_write": caller.may(Scope.RULES),
    }
    return render(request, "rules.html", context)


def _rows(criteria: list[Criterion] | None = None, groups: list[str] | None = None) -> list[Row]:
    found = [
        Row(group, c.field, c.op, value_text(c))
        for c, group in zip(criteria or [], groups or [], strict=True)
    ]
    room = max(0, MAX_CRITERIA - len(found))
    return found + [Row() for _ in range(min(BLANK_ROWS, room))]


def _form(
    request: Request,
    uow: Uow,
    caller: Principal,
    values: dict[str, Any],
    rows: list[Row],
    rule: Rule | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    people = [u for u in list_users(uow.conn, caller.agency) if u.active]
    context = {
        "nav": "rules",
        "rule": rule,
        "values": values,
        "rows": rows,
        "problems": problems or [],
        "people": people,
        "vocabulary": vocabulary(),
        "limits": {
            "name": NAME_MAX,
            "description": DESCRIPTION_MAX,
            "justification": JUSTIFICATION_MAX,
            "note": NOTE_MAX,
        },
    }
    return render(request, "rule_form.html", context, status=status)


@router.get("/rules/new", name="rule_new")
def rule_new(request: Request, uow: Uow, caller: Caller) -> Response:
    """An empty editor (owner: the caller)."""
    require(caller, Scope.RULES)
    return _form(request, uow, caller, {"owner": caller.name}, _rows())


def _posted_rows(group: list[str], field: list[str], op: list[str], value: list[str]) -> list[Row]:
    """The rows a form sent, in order, less those left empty."""
    rows = [
        Row(g if g == "any" else "all", f.strip(), o.strip(), v[:VALUE_MAX])
        for g, f, o, v in zip(group, field, op, value, strict=False)
    ]
    return [r for r in rows if r.field or r.value.strip()]


def _criteria(rows: list[Row]) -> tuple[dict[str, list[dict[str, str]]], list[Row]]:
    """The criteria of the rows, and the rows in the order problems number them ("all"
    first, then "any")."""
    ordered = [r for r in rows if r.group == "all"] + [r for r in rows if r.group == "any"]
    criteria: dict[str, list[dict[str, str]]] = {"all": [], "any": []}
    for r in ordered:
        criteria[r.group].append({"field": r.field, "op": r.op, "value": r.value})
    return criteria, ordered


def _review_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return date.min  # refused as a date that is not after today


def _placed(exc: RuleRefused, ordered: list[Row], lang: str) -> list[str]:
    """The problems of the rule's own fields; each criterion's goes to its row."""
    general = []
    for problem in exc.problems:
        if problem.criterion is not None and problem.criterion <= len(ordered):
            row = ordered[problem.criterion - 1]
            row.problems = [*(row.problems or []), problem.text(lang)]
        else:
            general.append(problem.text(lang))
    return general


class RuleForm(BaseModel):
    """What the editor sends: the rule's own fields and the criterion rows (each row's
    group, field, operator and value, in order)."""

    csrf_token: str = Field(default="", max_length=64)
    version: int | None = Field(default=None, ge=1, le=MAX_ID)
    name: str = Field(default="", max_length=NAME_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    owner: str = Field(default="", max_length=64)
    justification: str = Field(default="", max_length=JUSTIFICATION_MAX)
    review_date: str = Field(default="", max_length=32)
    note: str = Field(default="", max_length=NOTE_MAX)
    group: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    field: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    op: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    value: list[str] = Field(default_factory=list, max_length=ROWS_MAX)

    def values(self) -> dict[str, Any]:
        """The rule's own fields, to show the form again."""
        return self.model_dump(exclude={"csrf_token", "group", "field", "op", "value"})


Posted = Annotated[RuleForm, Form()]


def _save(
    request: Request, uow: Uow, caller: Principal, form: RuleForm, rule: Rule | None
) -> Response:
    """Create the rule (or save its next version) and show it, or show the form again with
    every problem (recorded in the audit log)."""
    check_form(request, uow, form.csrf_token)
    rows = _posted_rows(form.group, form.field, form.op, form.value)
    criteria, ordered = _criteria(rows)
    when = _review_date(form.review_date)
    owner = form.owner or caller.name
    draft = RuleDraft(form.name, owner, form.justification, when, criteria, form.description)
    try:
        if rule is None:
            note = form.note or "created"
            saved = create_rule(uow.conn, draft, caller.name, actor_agency=caller.agency, note=note)
        else:
            saved = update_rule(
                uow.conn,
                rule.id,
                draft,
                caller.name,
                form.note,
                actor_agency=caller.agency,
                expected_version=form.version,
            )
    except RuleRefused as exc:
        action, target = (
            ("rule.create", "rule:new") if rule is None else ("rule.update", f"rule:{rule.id}")
        )
        record_refusal(uow.conn, caller.name, action, target, exc, caller.agency)
        general = _placed(exc, ordered, page_lang(request))
        rows += _rows()[:1]
        return _form(request, uow, caller, form.values(), rows, rule, general, 422)
    return RedirectResponse(f"/rules/{saved.id}", status_code=303)


@router.post("/rules/new")
def rule_create(request: Request, uow: Uow, caller: Caller, form: Posted) -> Response:
    """Create the rule and show it, or show the form again with every problem."""
    require(caller, Scope.RULES)
    return _save(request, uow, caller, form, None)


@router.get("/rules/{rule_id}", name="rule")
def rule_page(request: Request, rule_id: RuleId, uow: Uow, caller: Caller) -> Response:
    """One rule: its criteria, owner, justification, review date and every version, with
    the buttons to edit, disable or enable it for its agency's rule writers."""
    require(caller, Scope.READ)
    return _rule_view(request, uow, caller, rule_id)


def _rule_view(
    request: Request, uow: Uow, caller: Principal, rule_id: int, error: str = "", status: int = 200
) -> Response:
    rule = _found(uow, rule_id)
    context = {
        "nav": "rules",
        "rule": rule,
        "versions": rule_versions(uow.conn, rule_id),
        "today": utcnow().date(),
        "criteria": _shown(rule),
        "may_write": caller.may(Scope.RULES) and caller.agency == rule.agency,
        "note_max": NOTE_MAX,
        "error": error,
    }
    return render(request, "rule.html", context, status=status)


def _shown(rule: Rule) -> list[dict[str, Any]]:
    v = vocabulary()
    return [
        {
            "group": group,
            "field": v.fields[c.field].label,
            "op": v.operators[c.op].label,
            "value": value_text(c),
            "value_ar": value_text(c, "ar"),
        }
        for group, items in (("all", rule.criteria.every), ("any", rule.criteria.some))
        for c in items
    ]


@router.get("/rules/{rule_id}/edit", name="rule_edit")
def rule_edit(request: Request, rule_id: RuleId, uow: Uow, caller: Caller) -> Response:
    """The editor with the rule as it stands (a new review date is asked for when it is
    overdue)."""
    require(caller, Scope.RULES)
    rule = _found(uow, rule_id)
    values = {
        "name": rule.name,
        "description": rule.description,
        "owner": rule.owner,
        "justification": rule.justification,
        "review_date": rule.review_date.isoformat(),
        "note": "",
        "version": rule.version,
    }
    groups = ["all"] * len(rule.criteria.every) + ["any"] * len(rule.criteria.some)
    rows = _rows(list(rule.criteria.criteria), groups)
    return _form(request, uow, caller, values, rows, rule)


@router.post("/rules/{rule_id}/edit")
def rule_update(
    request: Request, rule_id: RuleId, uow: Uow, caller: Caller, form: Posted
) -> Response:
    """Save the next version and show the rule, or the form again with every problem."""
    require(caller, Scope.RULES)
    return _save(request, uow, caller, form, _found(uow, rule_id))


@router.post("/rules/{rule_id}/status")
def rule_status(
    request: Request,
    rule_id: RuleId,
    uow: Uow,
    caller: Caller,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    status: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=NOTE_MAX)] = "",
    version: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Disable or enable the rule with a note, then show it (or the problem)."""
    require(caller, Scope.RULES)
    check_form(request, uow, csrf_token)
    _found(uow, rule_id)
    wanted = RuleStatus.ACTIVE if status == RuleStatus.ACTIVE.value else RuleStatus.DISABLED
    action = "rule.enable" if wanted is RuleStatus.ACTIVE else "rule.disable"
    try:
        set_status(
            uow.conn,
            rule_id,
            wanted,
            caller.name,
            note,
            actor_agency=caller.agency,
            expected_version=version,
        )
    except RuleRefused as exc:
        record_refusal(uow.conn, caller.name, action, f"rule:{rule_id}", exc, caller.agency)
        message = "; ".join(p.text(page_lang(request)) for p in exc.problems)
        return _rule_view(request, uow, caller, rule_id, message, 422)
    return RedirectResponse(f"/rules/{rule_id}", status_code=303)
