"""Targeting rules in the JSON API under /api/rules: list, read, the vocabulary of criteria,
create, update, disable and enable.

Reading rules needs the `read` scope; changing them the `rules` scope, and a rule is changed
only by users of its own agency. A rule on a sensitive trait is refused (422) with every
problem named in English and Arabic, and the refusal is kept in the audit log like every
change. Each route's docstring is its entry in the API documentation.
"""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import Principal
from rasid.store.statements import utcnow
from rasid.travel.criteria import MAX_CRITERIA, RuleRefused
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
from rasid.web.deps import Caller, Uow, scoped
from rasid.web.errors import NotFound
from rasid.web.models import MAX_ID, ErrorOut, signed_in

router = APIRouter(
    prefix="/api/rules", tags=["rules"], dependencies=[scoped(Scope.READ)], responses=signed_in()
)
WRITE = [scoped(Scope.RULES)]
RuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The rule's number")]
Scalar = str | float | bool


class CriterionIO(BaseModel):
    """One criterion: a field of the vocabulary, an operator and a value."""

    field: str = Field(max_length=64, description="A field (see /api/rules/vocabulary)")
    op: str = Field(max_length=32, description="An operator the field allows")
    value: list[Scalar] | Scalar = Field(
        description="The value: a list for `in`, `not_in`, `contains_any`; two bounds for "
        "`between`; one value otherwise. Text is read as a form writes it (`CAI-IST, "
        "CAI-ADB`; `1..24`)."
    )


class CriteriaIO(BaseModel):
    """Every criterion of `all` must hold, and one of `any` when it is given."""

    all: list[CriterionIO] = Field(default_factory=list, max_length=MAX_CRITERIA)
    any: list[CriterionIO] = Field(default_factory=list, max_length=MAX_CRITERIA)


class RuleIn(BaseModel):
    """A rule as written by its author (a new one, or the next version of one)."""

    name: str = Field(max_length=NAME_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    owner: str | None = Field(
        default=None, max_length=64, description="A user of the rule's agency (default: caller)"
    )
    justification: str = Field(
        max_length=JUSTIFICATION_MAX, description="Why the rule is necessary and proportionate"
    )
    review_date: date = Field(description="When the rule is reviewed again (within a year)")
    criteria: CriteriaIO
    note: str = Field(default="", max_length=NOTE_MAX, description="Why (required on update)")
    version: int | None = Field(
        default=None, ge=1, description="On update: the version edited (refused if not current)"
    )


class StatusIn(BaseModel):
    """Why a rule is disabled or enabled."""

    note: str = Field(min_length=1, max_length=NOTE_MAX)
    version: int | None = Field(default=None, ge=1, description="The version seen")


class RuleOut(BaseModel):
    """A rule as it stands, with whether its review is overdue and whether it applies."""

    id: int
    name: str
    description: str
    agency: str
    owner: str
    justification: str
    review_date: date
    criteria: CriteriaIO
    status: RuleStatus
    version: int
    created_at: datetime
    updated_at: datetime
    review_overdue: bool = Field(description="The review date has passed: the rule is not used")
    applies: bool = Field(description="Screening uses it (active, reviewed, criteria valid)")
    refused: list[str] = Field(description="Why stored criteria no longer pass, if they do not")


class RuleVersionOut(BaseModel):
    """One saved version: the rule then, who changed it, when (UTC) and why."""

    version: int
    name: str
    description: str
    owner: str
    justification: str
    review_date: date
    criteria: dict[str, Any]
    status: RuleStatus
    changed_by: str
    changed_at: datetime
    note: str


class RuleDetail(RuleOut):
    """A rule with every version, oldest first."""

    versions: list[RuleVersionOut]


class ProblemOut(BaseModel):
    """Why a rule was refused, in English and Arabic."""

    criterion: int | None = Field(description="Which criterion (1-based, all then any)")
    field: str
    trait: str | None = Field(description="The sensitive trait, when that is the reason")
    en: str
    ar: str


class RefusedOut(BaseModel):
    """A refused rule: every problem."""

    detail: str
    problems: list[ProblemOut]


class FieldOut(BaseModel):
    """A field criteria may use."""

    name: str
    label: str
    label_ar: str
    type: str
    value_help: str
    value_help_ar: str
    ops: list[str]
    values: list[str] = Field(description="The values of a field with a fixed list")


class LabelOut(BaseModel):
    """A name with its labels."""

    name: str
    label: str
    label_ar: str


class VocabularyOut(BaseModel):
    """The fields, operators and sensitive traits of targeting rules."""

    fields: list[FieldOut]
    operators: list[LabelOut]
    sensitive_traits: list[LabelOut] = Field(description="What a rule may never target on")


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such rule"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": RefusedOut, "description": "Refused: each problem named"}
}


def _detail(conn: Connection, rule: Rule) -> RuleDetail:
    versions = [v.to_dict() for v in rule_versions(conn, rule.id)]
    return RuleDetail.model_validate(rule.to_dict(utcnow().date()) | {"versions": versions})


def _found(conn: Connection, rule_id: int) -> Rule:
    try:
        return get_rule(conn, rule_id)
    except UnknownRule as exc:
        raise NotFound(str(exc)) from None


def _refused(
    conn: Connection, caller: Principal, action: str, target: str, exc: RuleRefused
) -> Response:
    """The 422 answer; the refusal is recorded (this request's transaction commits)."""
    record_refusal(conn, caller.name, action, target, exc, caller.agency)
    problems = [p.to_dict() for p in exc.problems]
    return JSONResponse({"detail": str(exc), "problems": problems}, status_code=422)


def _draft(body: RuleIn, caller: Principal) -> RuleDraft:
    return RuleDraft(
        name=body.name,
        owner=body.owner or caller.name,
        justification=body.justification,
        review_date=body.review_date,
        criteria=body.criteria.model_dump(),
        description=body.description,
    )


@router.get("", response_model=list[RuleOut], summary="List rules")
def rules(
    uow: Uow,
    status: Annotated[RuleStatus | None, Query(description="Only rules in this status")] = None,
) -> list[RuleOut]:
    """List the targeting rules, oldest first, each with its criteria, owner, review date,
    `review_overdue` (past its review date: not used until saved with a new one) and
    `applies` (used by screening)."""
    today = utcnow().date()
    return [RuleOut.model_validate(r.to_dict(today)) for r in list_rules(uow.conn, status)]


@router.get("/vocabulary", response_model=VocabularyOut, summary="Criteria vocabulary")
def rules_vocabulary() -> VocabularyOut:
    """The fields criteria may use (with their operators and values), the operators, and
    the sensitive traits no rule may target (EU PNR Directive 2016/681, art. 6(4))."""
    v = vocabulary()
    fields = [
        FieldOut(
            name=f.name,
            label=f.label.en,
            label_ar=f.label.ar,
            type=f.type,
            value_help=v.types[f.type].en,
            value_help_ar=v.types[f.type].ar,
            ops=list(f.ops),
            values=list(f.choices),
        )
        for f in v.fields.values()
    ]
    operators = [
        LabelOut(name=k, label=o.label.en, label_ar=o.label.ar) for k, o in v.operators.items()
    ]
    traits = [LabelOut(name=k, label=t.en, label_ar=t.ar) for k, t in v.traits.items()]
    return VocabularyOut(fields=fields, operators=operators, sensitive_traits=traits)


@router.get("/{rule_id}", response_model=RuleDetail, summary="One rule", responses=NOT_FOUND)
def rule(rule_id: RuleId, uow: Uow) -> RuleDetail:
    """Return a rule with every version (who changed it, when, why), oldest first."""
    return _detail(uow.conn, _found(uow.conn, rule_id))


@router.post(
    "",
    response_model=RuleDetail,
    status_code=201,
    summary="Create a rule",
    dependencies=WRITE,
    responses=REFUSED,
)
def create(body: RuleIn, uow: Uow, caller: Caller) -> RuleDetail | Response:
    """Create an active rule of the caller's agency (the `rules` scope is needed). The
    owner (default: the caller) must be a user of that agency; the justification a few
    sentences; the review date after today and within a year.

    Answers 422 naming every problem (in `problems`, English and Arabic): an unknown field
    or operator, a malformed value, a criterion on a sensitive trait (a field, a meal or
    medical special-service code, a word naming religion, ethnicity, health, political
    opinion, trade-union membership or sex life), or a missing owner, justification or
    review date. The refusal is recorded in the audit log."""
    try:
        made = create_rule(
            uow.conn,
            _draft(body, caller),
            caller.name,
            actor_agency=caller.agency,
            note=body.note or "created",
        )
    except RuleRefused as exc:
        return _refused(uow.conn, caller, "rule.create", "rule:new", exc)
    return _detail(uow.conn, made)


@router.put(
    "/{rule_id}",
    response_model=RuleDetail,
    summary="Update a rule",
    dependencies=WRITE,
    responses=NOT_FOUND | REFUSED,
)
def update(rule_id: RuleId, body: RuleIn, uow: Uow, caller: Caller) -> RuleDetail | Response:
    """Save the next version of a rule (its status kept), with a `note` saying why. Send
    `version` (the one edited) to be told, rather than overwrite, when someone saved
    another version meanwhile. An overdue rule applies again once saved with a new review
    date. Answers 403 for a rule of another agency, 422 as for creating."""
    _found(uow.conn, rule_id)
    try:
        saved = update_rule(
            uow.conn,
            rule_id,
            _draft(body, caller),
            caller.name,
            body.note,
            actor_agency=caller.agency,
            expected_version=body.version,
        )
    except RuleRefused as exc:
        return _refused(uow.conn, caller, "rule.update", f"rule:{rule_id}", exc)
    return _detail(uow.conn, saved)


def _set(
    uow: Uow, caller: Principal, rule_id: int, status: RuleStatus, body: StatusIn
) -> RuleDetail | Response:
    _found(uow.conn, rule_id)
    action = "rule.enable" if status is RuleStatus.ACTIVE else "rule.disable"
    try:
        saved = set_status(
            uow.conn,
            rule_id,
            status,
            caller.name,
            body.note,
            actor_agency=caller.agency,
            expected_version=body.version,
        )
    except RuleRefused as exc:
        return _refused(uow.conn, caller, action, f"rule:{rule_id}", exc)
    return _detail(uow.conn, saved)


@router.post(
    "/{rule_id}/disable",
    response_model=RuleDetail,
    summary="Disable a rule",
    dependencies=WRITE,
    responses=NOT_FOUND | REFUSED,
)
def disable(rule_id: RuleId, body: StatusIn, uow: Uow, caller: Caller) -> RuleDetail | Response:
    """Stop using a rule in screening: a new version with the note (hits it made stay in
    the review queue). Nothing changes when it is disabled already."""
    return _set(uow, caller, rule_id, RuleStatus.DISABLED, body)


@router.post(
    "/{rule_id}/enable",
    response_model=RuleDetail,
    summary="Enable a rule",
    dependencies=WRITE,
    responses=NOT_FOUND | REFUSED,
)
def enable(rule_id: RuleId, body: StatusIn, uow: Uow, caller: Caller) -> RuleDetail | Response:
    """Use a disabled rule again: a new version with the note. An overdue rule still needs
    a new review date before it applies."""
    return _set(uow, caller, rule_id, RuleStatus.ACTIVE, body)
