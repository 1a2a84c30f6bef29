"""Targeting rules: pre-determined criteria a passenger-information unit screens travellers
with, kept with every version, and ``rule_hits``, what traveller screening calls.

A rule has a name, an agency, an owner (a user of that agency answerable for it), a
justification (why it is necessary and proportionate), a review date and its criteria
(``rasid.travel.criteria``). Saving checks all of it and refuses criteria on sensitive
traits. Every change (an edit, disabling, enabling) is a new version in
``targeting_rule_version`` with who, when and why; the ``targeting_rule`` row holds the
current one. A rule past its review date stops applying, and lists flag it "review overdue",
until someone saves it again with a new review date. Every change, and every refusal, goes
to the audit log in the caller's unit of work. Functions never commit.

A rule only proposes: its hits go to the PIU review queue like any other hit.
"""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from rasid.access import audit
from rasid.access.accounts import get_user
from rasid.access.policy import Denied
from rasid.access.registry import get_agency, get_dataset
from rasid.model.errors import Worded
from rasid.screen.model import Match
from rasid.store.statements import utcnow
from rasid.store.tables import targeting_rule, targeting_rule_version, traveller
from rasid.travel.criteria import Criteria, Problem, RuleRefused, check_criteria
from rasid.travel.targeting import TargetRule, evaluate
from rasid.travel.vocabulary import vocabulary

NAME_MAX = 200
DESCRIPTION_MAX = 2000
JUSTIFICATION_MAX = 4000
NOTE_MAX = 1000
# A justification says why the rule is necessary and proportionate: a sentence, not "ok".
JUSTIFICATION_MIN_WORDS = 8
JUSTIFICATION_MIN_CHARS = 40
# Rules are reviewed at least once a year (the Directive's art. 6(4) asks for regular
# review of the criteria; C-817/19 for criteria kept reliable and current).
REVIEW_MAX_DAYS = 366


class RuleStatus(StrEnum):
    """Whether a rule is used when travellers are screened."""

    ACTIVE = "active"
    DISABLED = "disabled"


class UnknownRule(Worded, LookupError):
    """No rule has the given id."""


@dataclass(frozen=True)
class RuleDraft:
    """What a person writes when creating or editing a rule. ``criteria`` is raw (checked
    on saving); ``agency`` defaults to the owner's and is fixed once the rule exists."""

    name: str
    owner: str
    justification: str
    review_date: date
    criteria: object
    description: str = ""
    agency: str | None = None


@dataclass(frozen=True)
class Rule:
    """A rule as it stands. ``refused`` lists why stored criteria no longer pass the check
    (the vocabulary changed since): such a rule applies to no one until edited."""

    id: int
    name: str
    description: str
    agency: str
    owner: str
    justification: str
    review_date: date
    criteria: Criteria
    status: RuleStatus
    version: int
    created_at: datetime
    updated_at: datetime
    refused: tuple[str, ...] = ()

    def overdue(self, today: date) -> bool:
        """True once the review date has passed."""
        return self.review_date < today

    def applies(self, today: date) -> bool:
        """True when screening uses the rule: active, reviewed in time, criteria valid."""
        return self.status is RuleStatus.ACTIVE and not self.overdue(today) and not self.refused

    def to_dict(self, today: date) -> dict[str, Any]:
        """The JSON form, with the overdue flag as of ``today``."""
        found = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        return found | {"review_overdue": self.overdue(today), "applies": self.applies(today)}


@dataclass(frozen=True)
class RuleVersion:
    """One version of a rule: the rule as it was saved, who changed it, when and why."""

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

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: Any) -> Any:
    """A value as JSON has it."""
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, Criteria):
        return value.to_dict()
    if isinstance(value, StrEnum):
        return value.value
    return list(value) if isinstance(value, tuple) else value


def _stored_criteria(text: str) -> tuple[Criteria, tuple[str, ...]]:
    try:
        return check_criteria(text), ()
    except RuleRefused as exc:
        return Criteria(()), tuple(p.text("en") for p in exc.problems)


def _rule(row: Any) -> Rule:
    criteria, refused = _stored_criteria(row.criteria)
    stored = {f.name: row._mapping[f.name] for f in fields(Rule) if f.name in row._mapping}
    changed = {"criteria": criteria, "status": RuleStatus(row.status), "refused": refused}
    return Rule(**(stored | changed))


def _criteria_dict(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


# Reading -------------------------------------------------------------------------------


def get_rule(conn: Connection, rule_id: int) -> Rule:
    """The rule with this id; UnknownRule if there is none."""
    row = conn.execute(select(targeting_rule).where(targeting_rule.c.id == rule_id)).first()
    if row is None:
        raise UnknownRule(
            f"no targeting rule {rule_id}", arabic=f"لا توجد قاعدة استهداف رقم {rule_id}"
        )
    return _rule(row)


def list_rules(conn: Connection, status: RuleStatus | None = None) -> list[Rule]:
    """Every rule (of one status, if given), oldest first."""
    query = select(targeting_rule).order_by(targeting_rule.c.id)
    if status is not None:
        query = query.where(targeting_rule.c.status == status.value)
    return [_rule(row) for row in conn.execute(query)]


def rule_versions(conn: Connection, rule_id: int) -> list[RuleVersion]:
    """Every version of a rule, oldest first; UnknownRule if there is no such rule."""
    get_rule(conn, rule_id)
    query = (
        select(targeting_rule_version)
        .where(targeting_rule_version.c.rule_id == rule_id)
        .order_by(targeting_rule_version.c.version)
    )
    names = [f.name for f in fields(RuleVersion)]
    return [
        RuleVersion(
            **{n: r._mapping[n] for n in names}
            | {"criteria": _criteria_dict(r.criteria), "status": RuleStatus(r.status)}
        )
        for r in conn.execute(query)
    ]


# Checking ------------------------------------------------------------------------------


def _text_problems(draft: RuleDraft) -> list[Problem]:
    v, found = vocabulary(), []
    if not 3 <= len(draft.name.strip()) <= NAME_MAX:
        found.append(Problem(v.message("name_bad", max=NAME_MAX)))
    if len(draft.description) > DESCRIPTION_MAX:
        found.append(Problem(v.message("description_long", max=DESCRIPTION_MAX)))
    words = draft.justification.split()
    if len(draft.justification) > JUSTIFICATION_MAX:
        found.append(Problem(v.message("justification_long", max=JUSTIFICATION_MAX)))
    elif (
        len(words) < JUSTIFICATION_MIN_WORDS
        or len({w.lower() for w in words}) < JUSTIFICATION_MIN_WORDS // 2
        or len(draft.justification.strip()) < JUSTIFICATION_MIN_CHARS
    ):
        message = v.message(
            "justification_short", words=JUSTIFICATION_MIN_WORDS, chars=JUSTIFICATION_MIN_CHARS
        )
        found.append(Problem(message))
    return found


def _review_problems(review_date: date, today: date) -> list[Problem]:
    v = vocabulary()
    if review_date <= today:
        return [Problem(v.message("review_past", today=today.isoformat()))]
    latest = today + timedelta(days=REVIEW_MAX_DAYS)
    if review_date > latest:
        return [Problem(v.message("review_far", latest=latest.isoformat()))]
    return []


def _owner_problems(conn: Connection, owner: str, agency: str | None) -> list[Problem]:
    v = vocabulary()
    if agency is not None and get_agency(conn, agency) is None:
        return [Problem(v.message("agency_unknown", agency=agency))]
    user = get_user(conn, owner.strip())
    if user is None or not user.active:
        return [Problem(v.message("owner_unknown", owner=owner))]
    if agency is not None and user.agency != agency:
        return [Problem(v.message("owner_agency", owner=owner, agency=agency))]
    return []


def check_draft(
    conn: Connection, draft: RuleDraft, today: date, agency: str | None = None
) -> tuple[RuleDraft, Criteria]:
    """The draft tidied (its agency set) and its criteria checked; RuleRefused listing
    every problem (the rule's own fields first, then each criterion's)."""
    agency = agency or draft.agency
    problems = _text_problems(draft) + _review_problems(draft.review_date, today)
    problems += _owner_problems(conn, draft.owner, agency)
    try:
        criteria = check_criteria(draft.criteria)
    except RuleRefused as exc:
        problems += exc.problems
    if problems:
        raise RuleRefused(problems)
    owner = get_user(conn, draft.owner.strip())
    assert owner is not None  # checked above
    tidy = replace(
        draft,
        name=" ".join(draft.name.split()),
        owner=owner.name,
        justification=draft.justification.strip(),
        description=draft.description.strip(),
        agency=agency or owner.agency,
    )
    return tidy, criteria


def _check_note(note: str) -> str:
    text = " ".join(note.split())
    if not text or len(text) > NOTE_MAX:
        raise RuleRefused([Problem(vocabulary().message("note_missing"))])
    return text


def _check_agency(rule: Rule, actor_agency: str | None) -> None:
    """A rule is changed by users of its own agency (the command line may change any)."""
    if actor_agency is not None and actor_agency != rule.agency:
        refusal = vocabulary().message("agency_other", agency=rule.agency)
        raise Denied(refusal.en, arabic=refusal.ar)


def _check_version(rule: Rule, expected: int | None) -> None:
    if expected is not None and expected != rule.version:
        raise RuleRefused([Problem(vocabulary().message("stale", version=rule.version))])


# Writing -------------------------------------------------------------------------------


def _columns(draft: RuleDraft, criteria: Criteria) -> dict[str, Any]:
    return {
        "name": draft.name,
        "description": draft.description,
        "owner": draft.owner,
        "justification": draft.justification,
        "review_date": draft.review_date,
        "criteria": criteria.to_json(),
    }


def _audit(
    conn: Connection, actor: str, action: str, rule: Rule, agency: str | None, **detail: Any
) -> None:
    found = {"name": rule.name, "version": rule.version, "status": rule.status.value, **detail}
    audit.append(conn, actor, action, f"rule:{rule.id}", agency=agency, detail=found)


def create_rule(
    conn: Connection,
    draft: RuleDraft,
    actor: str,
    *,
    actor_agency: str | None = None,
    note: str = "created",
    today: date | None = None,
) -> Rule:
    """Save a new, active rule (version 1); RuleRefused with every problem otherwise."""
    now, note = utcnow(), _check_note(note)
    tidy, criteria = check_draft(conn, draft, today or now.date(), draft.agency or actor_agency)
    if actor_agency is not None and tidy.agency != actor_agency:
        refusal = vocabulary().message("agency_other", agency=tidy.agency)
        raise Denied(refusal.en, arabic=refusal.ar)
    columns = _columns(tidy, criteria) | {"status": RuleStatus.ACTIVE.value}
    row = {**columns, "agency": tidy.agency, "version": 1, "created_at": now, "updated_at": now}
    inserted = conn.execute(targeting_rule.insert().values(**row).returning(targeting_rule.c.id))
    rule_id = int(inserted.scalar_one())
    version = {"rule_id": rule_id, "version": 1, "changed_at": now, "changed_by": actor}
    conn.execute(targeting_rule_version.insert().values(**columns, **version, note=note))
    rule = get_rule(conn, rule_id)
    _audit(conn, actor, "rule.create", rule, actor_agency, criteria=criteria.to_dict(), note=note)
    return rule


def update_rule(
    conn: Connection,
    rule_id: int,
    draft: RuleDraft,
    actor: str,
    note: str,
    *,
    actor_agency: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> Rule:
    """Save a new version of a rule (its status kept); RuleRefused with every problem, or
    when ``expected_version`` is not the current one (someone changed it meanwhile)."""
    now = utcnow()
    rule = get_rule(conn, rule_id)
    _check_agency(rule, actor_agency)
    _check_version(rule, expected_version)
    note = _check_note(note)
    tidy, criteria = check_draft(conn, replace(draft, agency=rule.agency), today or now.date())
    before = _stored(conn, rule_id)
    columns = _columns(tidy, criteria) | {"status": rule.status.value}
    changed = sorted(k for k, v in columns.items() if v != before[k])
    _new_version(conn, rule, columns, actor, note, now)
    saved = get_rule(conn, rule_id)
    detail = {"changed": changed, "criteria": criteria.to_dict(), "note": note}
    _audit(conn, actor, "rule.update", saved, actor_agency, **detail)
    return saved


def _stored(conn: Connection, rule_id: int) -> dict[str, Any]:
    """The versioned columns of a rule as stored (its criteria as written then)."""
    names = ("name", "description", "owner", "justification", "review_date", "criteria", "status")
    query = select(*(targeting_rule.c[n] for n in names)).where(targeting_rule.c.id == rule_id)
    return dict(conn.execute(query).one()._mapping)


def _new_version(
    conn: Connection, rule: Rule, columns: dict[str, Any], actor: str, note: str, now: datetime
) -> None:
    """Make ``columns`` the rule's next version, unless someone saved one meanwhile."""
    moved = conn.execute(
        update(targeting_rule)
        .where(targeting_rule.c.id == rule.id, targeting_rule.c.version == rule.version)
        .values(**columns, version=rule.version + 1, updated_at=now)
        .returning(targeting_rule.c.id)
    ).first()
    if moved is None:
        raise RuleRefused([Problem(vocabulary().message("stale", version=rule.version + 1))])
    version = {"rule_id": rule.id, "version": rule.version + 1, "changed_at": now}
    row = {**columns, **version, "changed_by": actor, "note": note}
    conn.execute(targeting_rule_version.insert().values(**row))


def set_status(
    conn: Connection,
    rule_id: int,
    status: RuleStatus,
    actor: str,
    note: str,
    *,
    actor_agency: str | None = None,
    expected_version: int | None = None,
) -> Rule:
    """Disable or enable a rule, as a new version with a note (nothing changes, and no
    version is added, when it is in that status already)."""
    now = utcnow()
    rule = get_rule(conn, rule_id)
    _check_agency(rule, actor_agency)
    _check_version(rule, expected_version)
    note = _check_note(note)
    if rule.status is status:
        return rule
    columns = _stored(conn, rule_id) | {"status": status.value}
    _new_version(conn, rule, columns, actor, note, now)
    saved = get_rule(conn, rule_id)
    action = "rule.enable" if status is RuleStatus.ACTIVE else "rule.disable"
    _audit(conn, actor, action, saved, actor_agency, note=note)
    return saved


def record_refusal(
    conn: Connection,
    actor: str,
    action: str,
    target: str,
    error: RuleRefused,
    agency: str | None = None,
) -> None:
    """Put a refused save in the audit log (a data-protection officer sees attempts to
    target on sensitive traits), in the caller's unit of work."""
    detail = {
        "problems": [p.text("en") for p in error.problems],
        "traits": sorted({p.trait for p in error.problems if p.trait}),
    }
    audit.append(conn, actor, action, target, agency=agency, outcome="refused", detail=detail)


# Evaluating ----------------------------------------------------------------------------


def _target(rule: Rule) -> TargetRule:
    return TargetRule(rule.id, rule.name, rule.criteria)


def rule_hits(
    conn: Connection, traveller_ids: Sequence[str], listed: Collection[str], today: date
) -> dict[str, list[Match]]:
    """Every active rule not past its review date, evaluated on the given travellers: per
    traveller id matched by at least one rule, one match per rule (kind "rule", entity id
    ``rule:<id>``, score 1.0, alerting, named after the rule) with one reason per criterion,
    stating the traveller's value and the rule's. ``listed`` holds the ids of travellers
    with an alerting watchlist match in this screening (for "travelling with a listed
    person"). Only proposes: the caller puts the matches in the review queue."""
    rules = [_target(r) for r in list_rules(conn, RuleStatus.ACTIVE) if r.applies(today)]
    return evaluate(conn, rules, traveller_ids, listed, today)


@dataclass(frozen=True)
class DryRun:
    """What a rule would hit among a dataset's stored travellers, recording no hit."""

    rule_id: int
    dataset: str
    travellers: int  # traveller rows evaluated
    matched: int  # rows the rule would hit
    persons: int  # distinct people among them
    today: date

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {**self.__dict__, "today": self.today.isoformat()}


def dry_run(
    conn: Connection,
    rule_id: int,
    dataset: str,
    actor: str,
    today: date,
    agency: str | None = None,
    listed: Collection[str] = (),
) -> DryRun:
    """Evaluate one rule (whatever its status) on every stored traveller of a dataset and
    count what it would hit; no hit is recorded. ``listed`` are the travellers taken as
    listed for "travelling with a listed person" (``rasid.travel.screening.listed_in_queue``:
    those with a watchlist hit in the review queue, not dismissed). The test itself is
    audited."""
    rule = get_rule(conn, rule_id)
    if get_dataset(conn, dataset) is None:
        raise RuleRefused([Problem(vocabulary().message("dataset_unknown", dataset=dataset))])
    query = select(traveller.c.id, traveller.c.entity_id).where(traveller.c.dataset == dataset)
    people = {str(r.id): str(r.entity_id) for r in conn.execute(query.order_by(traveller.c.id))}
    found = evaluate(conn, [_target(rule)], list(people), listed, today)
    result = DryRun(
        rule.id, dataset, len(people), len(found), len({people[i] for i in found}), today
    )
    detail = {"dataset": dataset, "travellers": result.travellers, "matched": result.matched}
    audit.append(conn, actor, "rule.test", f"rule:{rule.id}", agency=agency, detail=detail)
    return result
