"""The policy decision point: the one place that decides what a caller may read and do.

Every API route and page asks this module (through ``rasid.web.deps``); the store executes
what it decides and decides nothing.

Reading (need-to-know):
- a user reads every statement of the datasets their agency owns;
- and the statements of datasets shared with their agency (or with every agency, as a
  dataset marked TLP:CLEAR by default is), except those marked TLP:RED, which reach only
  the recipients named in a dissemination;
- TLP:AMBER+STRICT statements reach only an agency a dataset is shared with by name (not
  a share with every agency), and no one beyond it (re-sharing asks the originator);
- statements whose handling conditions say ``no-share`` stay with their owner
  (``rasid/model/handling.yml``);
- and the statements a dissemination disclosed to their agency, or to them by name.

Doing: a role allows a set of scopes (what kind of work), and an API token narrows its
user's scopes to its own. Searching or reading personal data needs a stated purpose, which
goes to the audit log with the read.
"""

import time
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock

from sqlalchemy import Connection, delete, select

from rasid.access import audit
from rasid.access.accounts import Role, Scope, User
from rasid.access.errors import AccessError
from rasid.access.registry import (
    bump_policy_epoch,
    get_agency,
    get_dataset,
    list_agencies,
    list_datasets,
    policy_epoch,
)
from rasid.model.handling import NO_SHARE
from rasid.model.markings import Marking
from rasid.model.retention import Period
from rasid.retention.grants import mask_periods, masking_for, operator_masking
from rasid.store.statements import utcnow
from rasid.store.tables import dataset_share
from rasid.store.visibility import Visibility

EVERY_AGENCY = "*"
WITHHELD_FROM_SHARES = frozenset({Marking.RED.value})
WITHHELD_FROM_BROADCAST = WITHHELD_FROM_SHARES | {Marking.AMBER_STRICT.value}
"""A share with every agency (or a public dataset) is not addressed to a recipient agency,
so it withholds TLP:AMBER+STRICT too: those statements reach only an agency the dataset
is shared with by name."""
WITHHELD_HANDLING = frozenset({NO_SHARE})
"""Statements whose handling says they stay with their owner are withheld from shares."""
CACHE_SECONDS = 60.0
PURPOSE_MAX = 500

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ANALYST: frozenset(
        {
            Scope.READ,
            Scope.SCREEN,
            Scope.REVIEW,
            Scope.INGEST,
            Scope.EXCHANGE,
            Scope.RESOLVE,
            Scope.MONITOR,
        }
    ),
    Role.FOCAL_POINT: frozenset({Scope.READ, Scope.INGEST, Scope.EXCHANGE, Scope.ASSIST}),
    Role.PIU_OFFICER: frozenset(
        {Scope.READ, Scope.SCREEN, Scope.REVIEW, Scope.EXCHANGE, Scope.RULES}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Scope.READ,
            Scope.SCREEN,
            Scope.REVIEW,
            Scope.EXCHANGE,
            Scope.AUDIT,
            Scope.RULES,
            Scope.RETENTION,
            Scope.RESOLVE,
            Scope.MONITOR,
            Scope.ASSIST,
        }
    ),
    Role.DPO: frozenset({Scope.READ, Scope.AUDIT}),
    Role.ADMIN: frozenset({Scope.AUDIT, Scope.RETENTION}),
    Role.COORDINATOR: frozenset({Scope.EXCHANGE, Scope.ASSIST}),
}
"""What each role may do. An administrator manages accounts (from the command line),
reads the audit log and runs retention, but reads no agency data. Seeing masked
(depersonalised) data again needs a supervisor's approval (the retention scope). Judging
who is who across agencies (the resolve scope) is the analyst's work, and the supervisor's
who answers for it; a focal point submits and answers, and judges no one. Nexus monitoring
(the monitor scope: assessing, reviewing, alerts) is the analyst's and the supervisor's.
Technical-assistance coordination (the assist scope) is the coordination officer's, who
reads no agency data; focal points use it to see what states and partners released to
their agency and to record their own agency's projects and offers."""

ROLE_CLOSED_AGENCY_KINDS: dict[Role, frozenset[str]] = {
    Role.PIU_OFFICER: frozenset({"prisons", "intelligence"}),
}
"""Data a role does not read even when its agency may: a passenger-information officer
sees travel data and watchlists, not the shared datasets of prisons or intelligence
services (by the kind of the agency that owns them). A dissemination addressed to the
officer's agency still reaches them: a person chose to send it."""


@dataclass(frozen=True)
class Principal:
    """A signed-in caller: the user, and the token's scopes when the call came with one."""

    user: User
    token_scopes: frozenset[Scope] | None = None  # None: a browser session

    @property
    def name(self) -> str:
        """The user's name."""
        return self.user.name

    @property
    def agency(self) -> str:
        """The user's agency."""
        return self.user.agency

    @property
    def scopes(self) -> frozenset[Scope]:
        """What this caller may do: the role's scopes, narrowed by the token's."""
        allowed = ROLE_SCOPES[self.user.role]
        return allowed if self.token_scopes is None else allowed & self.token_scopes

    def may(self, scope: Scope) -> bool:
        """True when the caller may do work of this kind."""
        return scope in self.scopes


class Denied(AccessError):
    """The caller may not do this (a 403, and a denied record in the audit log)."""


def require(principal: Principal, scope: Scope) -> None:
    """Raise Denied unless the caller may do work of ``scope``."""
    if not principal.may(scope):
        role = principal.user.role.value
        if principal.token_scopes is not None:
            raise Denied(
                f"this token does not allow {scope.value} ({role})",
                arabic=f"هذا الرمز لا يسمح بعمل «{scope.value}» ({role})",
            )
        raise Denied(
            f"the role does not allow {scope.value} ({role})",
            arabic=f"الدور «{role}» لا يسمح بعمل «{scope.value}»",
        )


class PurposeMissing(AccessError):
    """Personal data was searched or read without a stated purpose (or with too long a one)."""


def check_purpose(purpose: str | None) -> str:
    """The purpose as recorded (trimmed); PurposeMissing when it is missing or too long."""
    text = " ".join((purpose or "").split())
    if not text:
        raise PurposeMissing(
            "a purpose is required to search or read personal data (a case or file "
            "reference, or why)",
            arabic="يلزم ذكر الغرض للبحث في البيانات الشخصية أو الاطلاع عليها (رقم قضية أو ملف، "
            "أو السبب)",
        )
    if len(text) > PURPOSE_MAX:
        raise PurposeMissing(
            f"the purpose is longer than {PURPOSE_MAX} characters",
            arabic=f"الغرض أطول من {PURPOSE_MAX} حرفًا",
        )
    return text


def visibility(conn: Connection, principal: Principal, now: datetime | None = None) -> Visibility:
    """What the caller may read: their agency's datasets whole; the datasets shared with
    it by name without TLP:RED, and those shared with every agency (or whose default
    marking is TLP:CLEAR, such as the UN's list) without TLP:RED and TLP:AMBER+STRICT,
    less those the role does not read; and what disseminations disclosed to them. Nothing
    for a caller whose scopes do not include reading.

    Personal data past its mask date (as of ``now``, default the current time) is shown
    masked, except what a supervisor let this caller see again (``rasid.retention``)."""
    if not principal.may(Scope.READ):
        return Visibility(frozenset())
    own, partial, periods = _readable(conn, principal.agency, principal.user.role)
    masking = masking_for(conn, principal.name, now or utcnow(), periods)
    grantee = (principal.agency, principal.name)
    return Visibility(own, partial, grantee, WITHHELD_HANDLING, masking)


def operator_visibility(conn: Connection, today: date) -> Visibility:
    """What the command line reads: every dataset, personal data past its mask date masked
    (the operator administers the store; seeing masked data again takes a user's request
    and a supervisor's approval)."""
    names = frozenset(d.name for d in list_datasets(conn))
    return Visibility(names, masking=operator_masking(conn, today))


# Whole, partial (with what is withheld), and each masking dataset's mask period.
Decision = tuple[frozenset[str], dict[str, frozenset[str]], dict[str, Period]]
_cache: dict[tuple[str, int, str, Role], tuple[float, Decision]] = {}
_cache_lock = Lock()


def _readable(conn: Connection, agency: str, role: Role) -> Decision:
    """The datasets an agency's role reads (and the datasets' mask periods, so that a read
    does not list the datasets again), remembered until agencies, datasets or shares
    change (the policy epoch moves, in any server process) and at most CACHE_SECONDS (in
    case the tables were edited by hand)."""
    key = (str(conn.engine.url), policy_epoch(conn), agency, role)
    now = time.monotonic()
    with _cache_lock:
        found = _cache.get(key)
    if found is not None and now - found[0] < CACHE_SECONDS:
        return found[1]
    readable = _decide(conn, agency, role)
    with _cache_lock:
        if any(k[:2] != key[:2] for k in _cache):
            _cache.clear()
        _cache[key] = (now, readable)
    return readable


def _decide(conn: Connection, agency: str, role: Role) -> Decision:
    datasets = list_datasets(conn)
    own = frozenset(d.name for d in datasets if d.agency == agency)
    partial: dict[str, frozenset[str]] = {
        d.name: WITHHELD_FROM_BROADCAST for d in datasets if d.default_marking == Marking.CLEAR
    }
    rows = conn.execute(
        select(dataset_share.c.dataset, dataset_share.c.agency).where(
            dataset_share.c.agency.in_([agency, EVERY_AGENCY])
        )
    )
    for name, to in rows:
        by_name = to == agency or partial.get(name) == WITHHELD_FROM_SHARES
        partial[name] = WITHHELD_FROM_SHARES if by_name else WITHHELD_FROM_BROADCAST
    closed = ROLE_CLOSED_AGENCY_KINDS.get(role, frozenset())
    kinds = {a.name: a.kind for a in list_agencies(conn)} if closed else {}
    owners = {d.name: d.agency for d in datasets}
    for name in list(partial):
        if name in own or kinds.get(owners.get(name, ""), "") in closed:
            del partial[name]
    return own, partial, mask_periods(conn, datasets)


@dataclass(frozen=True)
class Share:
    """A dataset shared with an agency (or every agency: ``*``)."""

    dataset: str
    agency: str
    granted_by: str


def share_dataset(conn: Connection, dataset: str, agency: str, actor: str) -> Share:
    """Share a dataset with an agency, or with every agency (``*``)."""
    found = get_dataset(conn, dataset)
    if found is None:
        raise AccessError(
            f"unknown dataset {dataset!r}"
        )  # english-only: the administrator's command line
    if agency != EVERY_AGENCY and get_agency(conn, agency) is None:
        raise AccessError(
            f"unknown agency {agency!r}"
        )  # english-only: the administrator's command line
    if agency == found.agency:
        raise AccessError(
            f"{agency} owns {dataset}: no need to share it"
        )  # english-only: the administrator's command line
    exists = conn.execute(
        select(dataset_share).where(
            dataset_share.c.dataset == dataset, dataset_share.c.agency == agency
        )
    ).first()
    if exists is None:
        conn.execute(
            dataset_share.insert().values(
                dataset=dataset, agency=agency, granted_by=actor, granted_at=utcnow()
            )
        )
        bump_policy_epoch(conn)
        audit.append(conn, actor, "dataset.share", dataset, detail={"with": agency})
    return Share(dataset, agency, actor)


def unshare_dataset(conn: Connection, dataset: str, agency: str, actor: str) -> bool:
    """Stop sharing a dataset with an agency; False when it was not shared with it."""
    removed = conn.execute(
        delete(dataset_share).where(
            dataset_share.c.dataset == dataset, dataset_share.c.agency == agency
        )
    ).rowcount
    if removed:
        bump_policy_epoch(conn)
        audit.append(conn, actor, "dataset.unshare", dataset, detail={"with": agency})
    return bool(removed)


def list_shares(conn: Connection, dataset: str | None = None) -> list[Share]:
    """Shares (of one dataset, if given), by dataset and agency."""
    query = select(dataset_share).order_by(dataset_share.c.dataset, dataset_share.c.agency)
    if dataset:
        query = query.where(dataset_share.c.dataset == dataset)
    return [Share(r.dataset, r.agency, r.granted_by) for r in conn.execute(query)]


def record(
    conn: Connection,
    principal: Principal,
    action: str,
    target: str = "",
    purpose: str = "",
    outcome: str = "ok",
    **detail: object,
) -> None:
    """Put what a caller did (a read, a search, a decision) in the audit log."""
    audit.append(
        conn,
        principal.name,
        action,
        target,
        agency=principal.agency,
        purpose=purpose,
        outcome=outcome,
        detail={"via": "token" if principal.token_scopes is not None else "session", **detail},
    )


SHARED_ASSESSMENT_MARKINGS = frozenset({Marking.CLEAR, Marking.GREEN})
"""The markings under which a nexus monitoring assessment reaches every agency."""


def may_read_assessment(principal: Principal, agency: str, marking: Marking) -> bool:
    """Whether the caller may read a nexus monitoring assessment (and its ratings, scores,
    changes and judgements) that ``agency`` owns under ``marking``: the caller needs the
    monitor scope; the owning agency's users read it whatever its marking; other agencies
    read only TLP:CLEAR and TLP:GREEN ones (TLP:AMBER, AMBER+STRICT and RED assessments
    stay with the agency that made them: sharing one is a dissemination through the
    exchange). Writing and deciding are for the owning agency alone."""
    if not principal.may(Scope.MONITOR):
        return False
    return agency == principal.agency or marking in SHARED_ASSESSMENT_MARKINGS


def audit_scope(conn: Connection, principal: Principal) -> tuple[str, frozenset[str]] | None:
    """Which audit records the caller may read: None for all (an administrator), else the
    records of their agency's people and of reads of their agency's data (for a supervisor
    or a data-protection officer). Denied without the audit scope."""
    require(principal, Scope.AUDIT)
    if principal.user.role is Role.ADMIN:
        return None
    own = frozenset(d.name for d in list_datasets(conn) if d.agency == principal.agency)
    return principal.agency, own


ASSIST_COORDINATORS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
"""Who records a state's needs, documents and roadmaps, and accepts matches for them."""
EVERY_PARTNER = "*"


def may_see_released(
    principal: Principal, agency: str, marking: Marking, released_to: frozenset[str]
) -> bool:
    """Whether the caller may see a coordination record (a need, a document, a roadmap, a
    project) that ``agency`` owns under ``marking`` and released to ``released_to``. The
    caller needs the assist scope; the owning agency sees its records; a partner sees one
    released to its agency by name, or to every partner (``*``) unless it is marked
    TLP:AMBER+STRICT, which reaches only agencies named. TLP:RED records are never released
    (``release_refusal``): they stay with their owner."""
    if not principal.may(Scope.ASSIST):
        return False
    if agency == principal.agency:
        return True
    if marking is Marking.RED:
        return False
    if principal.agency in released_to:
        return True
    return EVERY_PARTNER in released_to and marking.value not in WITHHELD_FROM_BROADCAST


def release_refusal(marking: Marking, released_to: frozenset[str]) -> str | None:
    """Why a record cannot be released to these partners (None: it can)."""
    if released_to and marking is Marking.RED:
        return "a TLP:RED record is not released: send it to named people through the exchange"
    return None


def may_coordinate(principal: Principal, agency: str) -> bool:
    """Whether the caller may record and change ``agency``'s needs, documents and roadmaps,
    release them, and accept or reject matches for its needs: a coordination officer or a
    supervisor of that agency, with the assist scope."""
    return (
        principal.may(Scope.ASSIST)
        and principal.user.role in ASSIST_COORDINATORS
        and agency == principal.agency
    )


def may_record_project(principal: Principal, agency: str) -> bool:
    """Whether the caller may record, import and change ``agency``'s projects and offers and
    report their indicators' actuals: anyone of that agency with the assist scope (a
    partner's focal point records its own projects; a coordinator imports donors' files)."""
    return principal.may(Scope.ASSIST) and agency == principal.agency
