"""Coordination over the store: suggested matches for a need and the coordinator's decisions,
duplication flags with what meetings made of them, the needs-coverage matrix, progress of
roadmap steps and needs, and the trace from a good practice to progress.

Matching and the duplication check only propose; a person decides. Accepting a match links
the need and the project (recorded with the score and its components at that moment, who
and when); rejecting one keeps it out of the suggestions. A flag stays a flag: a note says
what a coordination meeting decided. Everything is computed from what the caller may see.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, func, select

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, Principal, may_coordinate, record, require
from rasid.assist import coverage as coverage_mod
from rasid.assist import duplicates as duplicates_mod
from rasid.assist import matching
from rasid.assist import progress as progress_mod
from rasid.assist import rates as rates_mod
from rasid.assist.documents import get_document
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.indicators import linked_indicators, load_indicators
from rasid.assist.model import (
    Component,
    CoverageMatrix,
    Duplicate,
    Match,
    MatchStatus,
    Need,
    Progress,
    Project,
    ProjectKind,
    Reason,
    Rollup,
    Text,
    Trace,
    TraceLink,
)
from rasid.assist.needs import get_need, list_needs
from rasid.assist.projects import get_project, list_projects
from rasid.assist.records import country, taxonomy, text
from rasid.assist.roadmaps import get_roadmap, steps_of_need
from rasid.store.chunks import chunks
from rasid.store.statements import utcnow
from rasid.store.tables import assist_duplicate_note as note_t
from rasid.store.tables import assist_indicator as indicator_t
from rasid.store.tables import assist_match as match_t
from rasid.store.tables import assist_need as need_t
from rasid.store.tables import assist_project as project_t

NOTE = Text("الملاحظة", "the note")


@dataclass(frozen=True)
class Decision:
    """A coordinator's decision on a match, with the score as it was then."""

    id: int
    need: int
    project: int
    status: MatchStatus
    score: float
    components: tuple[Component, ...]
    note: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class Note:
    """What a coordination meeting made of a duplication flag."""

    left: int
    right: int
    note: str
    by_user: str
    agency: str
    at: datetime


def _components_json(components: Sequence[Component]) -> str:
    return json.dumps(
        [
            {
                "name": c.name,
                "score": c.score,
                "weight": c.weight,
                "reason": c.reason.code,
                "args": dict(c.reason.args),
            }
            for c in components
        ],
        ensure_ascii=False,
    )


def _components(raw: str) -> tuple[Component, ...]:
    return tuple(
        Component(
            c["name"],
            float(c["score"]),
            float(c["weight"]),
            Reason(c["reason"], tuple(sorted((str(k), str(v)) for k, v in c["args"].items()))),
        )
        for c in json.loads(raw)
    )


def committed(
    conn: Connection,
    rates: rates_mod.RateBook,
    today: date,
    exclude_need: int | None = None,
) -> dict[int, float]:
    """Per project, the estimated costs of the needs accepted onto it, in the project's
    currency: a cost in another currency is converted with ``rates`` as of ``today``, and
    left out when there is no rate for it (it cannot be compared)."""
    query = (
        select(
            match_t.c.project,
            project_t.c.currency,
            need_t.c.currency.label("need_currency"),
            func.sum(need_t.c.cost),
        )
        .join(need_t, need_t.c.id == match_t.c.need)
        .join(project_t, project_t.c.id == match_t.c.project)
        .where(match_t.c.status == MatchStatus.ACCEPTED.value, need_t.c.cost.is_not(None))
        .group_by(match_t.c.project, project_t.c.currency, need_t.c.currency)
    )
    if exclude_need is not None:
        query = query.where(match_t.c.need != exclude_need)
    totals: dict[int, float] = {}
    for project, currency, need_currency, total in conn.execute(query):
        amount = rates.convert(float(total or 0), need_currency, currency, today)
        if amount is not None:
            totals[int(project)] = totals.get(int(project), 0.0) + amount
    return totals


def decisions(conn: Connection, principal: Principal, need_id: int) -> list[Decision]:
    """The decisions taken on a need's matches (newest first)."""
    get_need(conn, principal, need_id)
    rows = conn.execute(
        select(match_t).where(match_t.c.need == need_id).order_by(match_t.c.decided_at.desc())
    )
    return [
        Decision(
            r.id,
            r.need,
            r.project,
            MatchStatus(r.status),
            r.score,
            _components(r.components),
            r.note,
            r.decided_by,
            r.decided_at,
        )
        for r in rows
    ]


def suggest(
    conn: Connection,
    principal: Principal,
    need_id: int,
    *,
    today: date,
    limit: int = 20,
    projects: Sequence[Project] | None = None,
) -> list[Match]:
    """Projects and offers ranked for a need, each with every component of its score; those
    already decided on (accepted or rejected) are left out. ``projects`` is every project
    the caller may see, when it has read them already."""
    need = get_need(conn, principal, need_id)
    decided = {d.project for d in decisions(conn, principal, need_id)}
    if projects is None:
        projects = list_projects(conn, principal, country_code=need.country)
    projects = [p for p in projects if need.country in p.countries and p.id not in decided]
    book = rates_mod.book(conn, need.agency)
    return matching.rank(
        need,
        projects,
        taxonomy(conn),
        today=today,
        committed=committed(conn, book, today, exclude_need=need_id),
        limit=limit,
        rates=book,
    )


def _deciding(principal: Principal, need: Need) -> None:
    """Refuse unless the caller coordinates for the need's agency."""
    if not may_coordinate(principal, need.agency):
        raise Denied(
            f"only a coordination officer of {need.agency} decides on its matches",
            arabic=f"لا يقرر في مطابقات احتياجات {need.agency} إلا موظف تنسيق منها",
        )


def decide(
    conn: Connection,
    principal: Principal,
    need_id: int,
    project_id: int,
    status: MatchStatus,
    *,
    today: date,
    note: str = "",
) -> Decision:
    """Accept (linking need and project) or reject a match, as a coordinator of the need's
    agency. The score and its components are recorded as they are now."""
    need = get_need(conn, principal, need_id)
    _deciding(principal, need)
    project = get_project(conn, principal, project_id)
    book = rates_mod.book(conn, need.agency)
    if need.country not in project.countries:
        raise AssistError(
            f"project {project.identifier} does not cover {need.country}",
            arabic=f"المشروع {project.identifier} لا يشمل الدولة {need.country}",
        )
    match = matching.score(
        need,
        project,
        taxonomy(conn),
        today=today,
        committed=committed(conn, book, today, exclude_need=need_id).get(project_id, 0.0),
        rates=book,
    )
    conn.execute(delete(match_t).where(match_t.c.need == need_id, match_t.c.project == project_id))
    conn.execute(
        match_t.insert().values(
            need=need_id,
            project=project_id,
            score=match.score,
            components=_components_json(match.components),
            status=status.value,
            note=text(note, NOTE, required=False, limit=2000),
            decided_by=principal.name,
            decided_at=utcnow(),
        )
    )
    record(
        conn,
        principal,
        f"assist.match.{status.value}",
        str(need_id),
        project=str(project_id),
        score=f"{match.score:.4f}",
    )
    return next(d for d in decisions(conn, principal, need_id) if d.project == project_id)


def undo(conn: Connection, principal: Principal, need_id: int, project_id: int) -> None:
    """Withdraw a decision (the match is suggested again)."""
    need = get_need(conn, principal, need_id)
    _deciding(principal, need)
    gone = conn.execute(
        delete(match_t).where(match_t.c.need == need_id, match_t.c.project == project_id)
    ).rowcount
    if not gone:
        raise UnknownRecord(
            f"no decision on need {need_id} and project {project_id}",
            arabic=f"لا قرار في الاحتياج {need_id} والمشروع {project_id}",
        )
    record(conn, principal, "assist.match.undo", str(need_id), project=str(project_id))


def accepted_projects(
    conn: Connection,
    principal: Principal,
    needs: Sequence[Need],
    *,
    visible: Mapping[int, Project] | None = None,
) -> dict[int, list[Project]]:
    """Per need, the projects accepted for it that the caller may see. ``visible`` is the
    caller's projects by id (``projects_by_id(list_projects(...))``) when the caller has read
    them already, as a page or a report asking for many needs does; without it they are read
    here, and only when some match was accepted."""
    ids = [n.id for n in needs if n.id is not None]
    out: dict[int, list[Project]] = {i: [] for i in ids}
    pairs: list[tuple[int, int]] = []
    for chunk in chunks(ids):
        rows = conn.execute(
            select(match_t.c.need, match_t.c.project).where(
                match_t.c.need.in_(chunk),
                match_t.c.status == MatchStatus.ACCEPTED.value,
            )
        )
        pairs.extend((int(n), int(p)) for n, p in rows)
    if not pairs:
        return out
    seen = visible if visible is not None else projects_by_id(list_projects(conn, principal))
    for need_id, project_id in pairs:
        if project_id in seen:
            out[need_id].append(seen[project_id])
    return out


# Duplication


def duplicates(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str | None = None,
    min_days: int = duplicates_mod.MIN_OVERLAP_DAYS,
    projects: Sequence[Project] | None = None,
) -> list[Duplicate]:
    """Live projects the caller may see that overlap in a state, theme and beneficiary
    institution for longer than ``min_days``: flags for a coordination meeting. Offers are
    left out: an offer is not yet funded work that could be done twice. ``projects`` is
    every project the caller may see, when it has read them already."""
    if projects is None:
        live = list_projects(
            conn, principal, country_code=country_code, live_only=True, kind=ProjectKind.PROJECT
        )
    else:
        live = _live(projects, country_code)
    found = duplicates_mod.find_duplicates(live, min_days=min_days)
    if country_code:
        found = [d for d in found if d.country == country_code.upper()]
    return found


def _live(projects: Sequence[Project], country_code: str | None) -> list[Project]:
    """The live projects (not offers) among ``projects``, in a state when one is given."""
    wanted = country(country_code) if country_code else None
    return [
        p
        for p in projects
        if p.status.live
        and p.kind is ProjectKind.PROJECT
        and (wanted is None or wanted in p.countries)
    ]


def notes(
    conn: Connection, principal: Principal, *, projects: Sequence[Project] | None = None
) -> dict[tuple[int, int], list[Note]]:
    """Notes on duplication flags, by project pair, that the caller's agency wrote or that
    concern projects the caller may see (``projects``: those, when read already)."""
    require(principal, Scope.ASSIST)
    if projects is None:
        projects = list_projects(conn, principal)
    visible = {p.id for p in projects}
    out: dict[tuple[int, int], list[Note]] = {}
    for r in conn.execute(select(note_t).order_by(note_t.c.at)):
        if r.left in visible and r.right in visible:
            out.setdefault((r.left, r.right), []).append(
                Note(r.left, r.right, r.note, r.by_user, r.agency, r.at)
            )
    return out


def add_note(conn: Connection, principal: Principal, left: int, right: int, note: str) -> Note:
    """Record what a coordination meeting made of a flag (the flag stays computed)."""
    require(principal, Scope.ASSIST)
    if not may_coordinate(principal, principal.agency):
        raise Denied(
            "only a coordination officer records coordination notes",
            arabic="لا يسجّل ملاحظات التنسيق إلا موظف تنسيق",
        )
    first, second = sorted((left, right))
    get_project(conn, principal, first)
    get_project(conn, principal, second)
    body = text(note, NOTE, limit=4000)
    at = utcnow()
    conn.execute(
        note_t.insert().values(
            left=first,
            right=second,
            note=body,
            by_user=principal.name,
            agency=principal.agency,
            at=at,
        )
    )
    record(conn, principal, "assist.duplicate.note", f"{first}:{second}")
    return Note(first, second, body, principal.name, principal.agency, at)


# Coverage and progress


def coverage(
    conn: Connection,
    principal: Principal,
    *,
    countries: Sequence[str] | None = None,
    visible: Mapping[int, Project] | None = None,
) -> CoverageMatrix:
    """The needs-coverage matrix (thematic area x state) of the needs the caller may see
    (``visible``: as for ``accepted_projects``)."""
    needs = list_needs(conn, principal)
    if countries:
        wanted = {c.upper() for c in countries}
        needs = [n for n in needs if n.country in wanted]
    accepted = accepted_projects(conn, principal, needs, visible=visible)
    return coverage_mod.coverage(needs, accepted, taxonomy(conn), countries)


def indicator_progress(conn: Connection, ids: Sequence[int], as_of: date) -> dict[int, Progress]:
    """Progress of indicators by id (no access check: callers pass what they may see)."""
    if not ids:
        return {}
    return {
        i.id: progress_mod.progress(i, as_of)
        for i in load_indicators(conn, indicator_t.c.id.in_(list(ids)))
        if i.id is not None
    }


def roadmap_progress(
    conn: Connection, principal: Principal, roadmap_id: int, as_of: date
) -> dict[int, Rollup]:
    """Each step's progress from the indicators linked to it explicitly."""
    roadmap = get_roadmap(conn, principal, roadmap_id)
    out: dict[int, Rollup] = {}
    for step in roadmap.steps:
        if step.id is None:
            continue
        parts = [progress_mod.progress(i, as_of) for i in linked_indicators(conn, step=step.id)]
        out[step.id] = progress_mod.rollup(parts)
    return out


def need_progress(
    conn: Connection, principal: Principal, need_id: int, as_of: date
) -> tuple[list[Progress], list[Progress], Rollup]:
    """A need's own targets' progress, the progress of the indicators linked to it, and
    the roll-up over both."""
    need = get_need(conn, principal, need_id)
    own = [progress_mod.progress(i, as_of) for i in need.targets]
    linked = [progress_mod.progress(i, as_of) for i in linked_indicators(conn, need=need_id)]
    return own, linked, progress_mod.rollup(own + linked)


def trace(
    conn: Connection,
    principal: Principal,
    need_id: int,
    as_of: date,
    *,
    visible: Mapping[int, Project] | None = None,
) -> Trace:
    """Good practice → finding → need → roadmap steps → projects → indicators → progress
    (``visible``: as for ``accepted_projects``, when tracing many needs)."""
    need = get_need(conn, principal, need_id)
    document = None
    if need.document is not None:
        try:
            document = get_document(conn, principal, need.document, audit=False)
        except UnknownRecord:
            document = None
    own, linked, rollup = need_progress(conn, principal, need_id, as_of)
    by_project: dict[int, list[Progress]] = {}
    linked_ids = {p.indicator for p in linked}
    projects = accepted_projects(conn, principal, [need], visible=visible)[need_id]
    for project in projects:
        if project.id is None:
            continue
        inds = load_indicators(conn, indicator_t.c.project == project.id)
        by_project[project.id] = [
            progress_mod.progress(i, as_of) for i in inds if i.id in linked_ids
        ]
    known = taxonomy(conn)
    return Trace(
        theme=known.theme(need.theme),
        document=document,
        need=need,
        steps=tuple(steps_of_need(conn, principal, need_id)),
        projects=tuple(TraceLink(p, tuple(by_project.get(p.id or 0, ()))) for p in projects),
        targets=tuple(own),
        rollup=rollup,
    )


def projects_by_id(projects: Sequence[Project]) -> Mapping[int, Project]:
    """Projects keyed by id."""
    return {p.id: p for p in projects if p.id is not None}
