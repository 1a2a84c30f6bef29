"""Projects and offers in the store: recorded by hand or imported from IATI XML or CSV.

An import is one batch: it is written whole in the caller's transaction or, on any error,
not at all. A project is keyed by its IATI identifier: importing the same file again
changes nothing, and a later file from the same agency updates its projects in place (its
indicators matched by result and title, so that the actuals reported here and the links to
needs and steps survive). A project another agency recorded is not overwritten: that
activity is quarantined with the reason.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, delete, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, Principal, may_record_project, record, require
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.indicators import check_indicator, insert_indicator, load_indicators
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    ImportProblem,
    Indicator,
    OrgRole,
    Participant,
    Project,
    ProjectImport,
    ProjectKind,
    Result,
    Text,
    Transaction,
)
from rasid.assist.records import (
    country,
    currency,
    released_to,
    split,
    taxonomy,
    text,
    within,
    write_release,
)
from rasid.assist.transactions import check_transaction, load_transactions, write_transactions
from rasid.model.markings import Marking
from rasid.store.chunks import chunks
from rasid.store.statements import utcnow
from rasid.store.tables import assist_actual as actual_t
from rasid.store.tables import assist_beneficiary as beneficiary_t
from rasid.store.tables import assist_budget as budget_t
from rasid.store.tables import assist_indicator as indicator_t
from rasid.store.tables import assist_participant as participant_t
from rasid.store.tables import assist_project as project_t
from rasid.store.tables import assist_project_sector as sector_t
from rasid.store.tables import assist_transaction as transaction_t
from rasid.store.uow import insert_id

IDENTIFIER = Text("المعرّف", "the identifier")
TITLE = Text("العنوان", "the title")
TITLE_AR = Text("العنوان العربي", "the Arabic title")
DESCRIPTION = Text("الوصف", "the description")
BENEFICIARY = Text("مؤسسة مستفيدة", "a beneficiary")
THEMES = "99"  # IATI sector vocabulary: the reporting organisation's own (our taxonomy)
DAC = "1"  # IATI sector vocabulary: OECD DAC CRS purpose codes (5 digits)


@dataclass(frozen=True)
class Saved:
    """What saving a batch of projects did."""

    created: tuple[str, ...]  # identifiers
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    quarantined: tuple[ImportProblem, ...]
    dropped: tuple[ImportProblem, ...]

    def as_dict(self) -> dict[str, Any]:
        """For JSON output."""
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "quarantined": [{"where": p.where, "reason": p.reason} for p in self.quarantined],
            "dropped": [{"where": p.where, "reason": p.reason} for p in self.dropped],
        }


def _refuse(where: Text, en: str, ar: str) -> AssistError:
    return AssistError(f"{where.en}: {en}", arabic=f"{where.ar}: {ar}")


def _check_facts(conn: Connection, project: Project, where: Text) -> None:
    """Refuse a project whose themes, dates or amounts cannot be stored."""
    known = taxonomy(conn)
    for code in project.themes:
        if known.get(code) is None:
            raise _refuse(
                where, f"unknown thematic area {code!r}", f"مجال موضوعي غير معروف {code!r}"
            )
    if project.start and project.end and project.end < project.start:
        raise _refuse(where, "it ends before it starts", "ينتهي قبل أن يبدأ")
    if project.spent < 0 or any(b.value < 0 for b in project.budgets):
        raise _refuse(
            where,
            "budgets and spending cannot be negative",
            "لا تكون الميزانيات ولا المصروفات سالبة",
        )


def _check(conn: Connection, project: Project) -> Project:
    """A project checked and cleaned before it is stored."""
    where = Text(f"المشروع {project.identifier!r}", f"project {project.identifier!r}")
    _check_facts(conn, project, where)
    results = tuple(
        replace(
            result,
            indicators=tuple(
                check_indicator(
                    i, within(where, Text(f"المؤشر {i.title!r}", f"indicator {i.title!r}"))
                )
                for i in result.indicators
            ),
        )
        for result in project.results
    )
    return replace(
        project,
        identifier=text(project.identifier, IDENTIFIER, limit=255),
        title=text(project.title, within(where, TITLE), limit=1000),
        title_ar=text(project.title_ar, within(where, TITLE_AR), required=False, limit=1000),
        description=text(project.description, within(where, DESCRIPTION), required=False),
        countries=tuple(dict.fromkeys(country(c) for c in project.countries)),
        currency=currency(project.currency),
        beneficiaries=tuple(
            dict.fromkeys(
                text(b, within(where, BENEFICIARY), limit=255) for b in project.beneficiaries
            )
        ),
        results=results,
        transactions=tuple(check_transaction(t, where) for t in project.transactions),
    )


def _row(project: Project) -> dict[str, Any]:
    return {
        "kind": project.kind.value,
        "title": project.title,
        "title_ar": project.title_ar,
        "description": project.description,
        "status": int(project.status),
        "countries": ",".join(project.countries),
        "region": project.region,
        "start": project.start,
        "end": project.end,
        "currency": project.currency,
        "spent": project.spent,
        "marking": project.marking.value,
        "source": project.source,
    }


def _write_children(conn: Connection, project_id: int, project: Project) -> None:
    for table in (budget_t, participant_t, sector_t, beneficiary_t, transaction_t):
        conn.execute(delete(table).where(table.c.project == project_id))
    write_transactions(conn, project_id, project.transactions)
    for b in project.budgets:
        conn.execute(
            budget_t.insert().values(
                project=project_id, start=b.start, end=b.end, value=b.value, currency=b.currency
            )
        )
    for p in project.participants:
        conn.execute(
            participant_t.insert().values(
                project=project_id, role=int(p.role), name=p.name, ref=p.ref, type=p.type
            )
        )
    for vocabulary, codes in ((THEMES, project.themes), (DAC, project.dac)):
        for code in dict.fromkeys(codes):
            conn.execute(
                sector_t.insert().values(project=project_id, vocabulary=vocabulary, code=code)
            )
    for institution in project.beneficiaries:
        conn.execute(beneficiary_t.insert().values(project=project_id, institution=institution))


def _write_results(conn: Connection, project_id: int, project: Project, reporter: str) -> None:
    """Store the results' indicators, keeping existing ones (matched by result and title)
    so that their ids, actuals and links survive an update; actuals with new dates added."""
    existing = {
        (i.result, i.title): i for i in load_indicators(conn, indicator_t.c.project == project_id)
    }
    for result in project.results:
        for indicator in result.indicators:
            old = existing.pop((result.title, indicator.title), None)
            if old is None:
                insert_indicator(
                    conn,
                    indicator,
                    project=project_id,
                    result=result.title,
                    result_type=result.type,
                    reporter=reporter,
                )
                continue
            conn.execute(
                update(indicator_t)
                .where(indicator_t.c.id == old.id)
                .values(
                    result_type=result.type,
                    measure=indicator.measure,
                    ascending=indicator.ascending,
                    baseline=indicator.baseline,
                    baseline_date=indicator.baseline_date,
                    target=indicator.target,
                    target_date=indicator.target_date,
                )
            )
            known = {(a.date, a.value) for a in old.actuals}
            for actual in indicator.actuals:
                if (actual.date, actual.value) not in known:
                    conn.execute(
                        actual_t.insert().values(
                            indicator=old.id,
                            date=actual.date,
                            value=actual.value,
                            note=actual.note,
                            reported_by=actual.reported_by or reporter,
                            reported_at=utcnow(),
                        )
                    )
    # Indicators the file no longer carries stay: actuals and links may hang on them.


def _bare(project: Project) -> Project:
    """A project without what storing adds (ids, owner, release, source) or what is
    reported here (actuals)."""
    return replace(
        project,
        id=None,
        agency="",
        released_to=(),
        source="",
        themes=tuple(sorted(project.themes)),
        dac=tuple(sorted(project.dac)),
        beneficiaries=tuple(sorted(project.beneficiaries)),
        results=tuple(
            replace(
                r,
                indicators=tuple(
                    replace(i, id=None, need=None, project=None, actuals=()) for i in r.indicators
                ),
            )
            for r in project.results
        ),
    )


def _same(stored: Project, project: Project) -> bool:
    """Whether an imported project brings nothing new: the same fields and indicators, and
    every actual it carries already stored (actuals reported here are kept either way)."""
    if _bare(stored) != _bare(project):
        return False
    known = {
        (r.title, i.title): {(a.date, a.value) for a in i.actuals}
        for r in stored.results
        for i in r.indicators
    }
    return all(
        {(a.date, a.value) for a in i.actuals} <= known.get((r.title, i.title), set())
        for r in project.results
        for i in r.indicators
    )


def save_projects(
    conn: Connection, principal: Principal, batch: ProjectImport, *, origin: str = ""
) -> Saved:
    """Save a batch of projects for the caller's agency (created, or updated in place when
    the agency recorded the identifier before). Raises on a bad project: the caller's
    transaction then writes nothing of the batch."""
    require(principal, Scope.ASSIST)
    if not may_record_project(principal, principal.agency):
        raise Denied("the caller may not record projects", arabic="لا يحق للمستخدم تسجيل المشاريع")
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    quarantined = list(batch.quarantined)
    for raw in batch.projects:
        project = _check(conn, replace(raw, agency=principal.agency))
        row = conn.execute(
            select(project_t.c.id, project_t.c.agency).where(
                project_t.c.identifier == project.identifier
            )
        ).first()
        now = utcnow()
        if row is not None and row.agency != principal.agency:
            place = origin or project.source
            quarantined.append(
                ImportProblem(
                    f"{place}, activity {project.identifier}",
                    f"the identifier is already recorded by {row.agency}",
                    f"{place}، النشاط {project.identifier}",
                    f"المعرّف مسجَّل من قبل لدى {row.agency}",
                )
            )
            continue
        if row is None:
            project_id = insert_id(
                conn,
                project_t.insert().values(
                    identifier=project.identifier,
                    agency=principal.agency,
                    created_by=principal.name,
                    created_at=now,
                    updated_at=now,
                    **_row(project),
                ),
            )
            created.append(project.identifier)
        else:
            project_id = int(row.id)
            if _same(get_project(conn, principal, project_id), project):
                unchanged.append(project.identifier)
                continue
            conn.execute(
                update(project_t)
                .where(project_t.c.id == project_id)
                .values(updated_at=now, **_row(project))
            )
            updated.append(project.identifier)
        _write_children(conn, project_id, project)
        _write_results(conn, project_id, project, principal.name)
        write_release(conn, principal, "project", project_id, project.marking, project.released_to)
    saved = Saved(
        tuple(created), tuple(updated), tuple(unchanged), tuple(quarantined), batch.dropped
    )
    record(
        conn,
        principal,
        "assist.projects.save",
        origin,
        created=str(len(created)),
        updated=str(len(updated)),
        unchanged=str(len(unchanged)),
        quarantined=str(len(quarantined)),
    )
    return saved


def _load(conn: Connection, rows: Sequence[Any]) -> list[Project]:
    ids = [r.id for r in rows]
    if not ids:
        return []
    budgets: dict[int, list[Budget]] = {i: [] for i in ids}
    participants: dict[int, list[Participant]] = {i: [] for i in ids}
    sectors: dict[int, dict[str, list[str]]] = {i: {THEMES: [], DAC: []} for i in ids}
    beneficiaries: dict[int, list[str]] = {i: [] for i in ids}
    results: dict[int, dict[str, list[Indicator]]] = {i: {} for i in ids}
    result_types: dict[tuple[int, str], int] = {}
    transactions: dict[int, list[Transaction]] = {}
    for chunk in chunks(ids):
        transactions |= load_transactions(conn, chunk)
        for b in conn.execute(
            select(budget_t).where(budget_t.c.project.in_(chunk)).order_by(budget_t.c.start)
        ):
            budgets[b.project].append(Budget(b.start, b.end, b.value, b.currency))
        for p in conn.execute(
            select(participant_t)
            .where(participant_t.c.project.in_(chunk))
            .order_by(participant_t.c.id)
        ):
            participants[p.project].append(Participant(OrgRole(p.role), p.name, p.ref, p.type))
        for s in conn.execute(
            select(sector_t).where(sector_t.c.project.in_(chunk)).order_by(sector_t.c.code)
        ):
            sectors[s.project].setdefault(s.vocabulary, []).append(s.code)
        for b in conn.execute(
            select(beneficiary_t)
            .where(beneficiary_t.c.project.in_(chunk))
            .order_by(beneficiary_t.c.institution)
        ):
            beneficiaries[b.project].append(b.institution)
        types: dict[int, int] = {
            int(i): int(t)
            for i, t in conn.execute(
                select(indicator_t.c.id, indicator_t.c.result_type).where(
                    indicator_t.c.project.in_(chunk)
                )
            )
        }
        for ind in load_indicators(conn, indicator_t.c.project.in_(chunk)):
            if ind.project is None:
                continue
            results[ind.project].setdefault(ind.result, []).append(ind)
            result_types[(ind.project, ind.result)] = int(types.get(ind.id or 0, 1))
    releases = released_to(conn, "project", ids)
    return [
        Project(
            id=r.id,
            identifier=r.identifier,
            kind=ProjectKind(r.kind),
            title=r.title,
            description=r.description,
            status=ActivityStatus(r.status),
            countries=split(r.countries),
            start=r.start,
            end=r.end,
            currency=r.currency,
            budgets=tuple(budgets[r.id]),
            spent=r.spent,
            participants=tuple(participants[r.id]),
            themes=tuple(sectors[r.id].get(THEMES, ())),
            dac=tuple(sectors[r.id].get(DAC, ())),
            beneficiaries=tuple(beneficiaries[r.id]),
            region=r.region,
            results=tuple(
                Result(title, tuple(indicators), result_types[(r.id, title)])
                for title, indicators in results[r.id].items()
            ),
            agency=r.agency,
            marking=Marking(r.marking),
            released_to=releases[r.id],
            source=r.source,
            title_ar=r.title_ar,
            transactions=tuple(transactions[r.id]),
        )
        for r in rows
    ]


def _visible(principal: Principal, project: Project) -> bool:
    from rasid.access.policy import may_see_released

    return may_see_released(
        principal, project.agency, project.marking, frozenset(project.released_to)
    )


def get_project(conn: Connection, principal: Principal, project_id: int) -> Project:
    """A project the caller may see."""
    require(principal, Scope.ASSIST)
    rows = list(conn.execute(select(project_t).where(project_t.c.id == project_id)))
    found = _load(conn, rows)
    if not found or not _visible(principal, found[0]):
        raise UnknownRecord(f"no project {project_id}", arabic=f"لا مشروع برقم {project_id}")
    return found[0]


def list_projects(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str | None = None,
    live_only: bool = False,
    kind: ProjectKind | None = None,
) -> list[Project]:
    """The projects and offers the caller may see, by identifier."""
    require(principal, Scope.ASSIST)
    query = select(project_t).order_by(project_t.c.identifier)
    if live_only:
        query = query.where(project_t.c.status.in_([int(s) for s in ActivityStatus if s.live]))
    if kind is not None:
        query = query.where(project_t.c.kind == kind.value)
    projects = [p for p in _load(conn, list(conn.execute(query))) if _visible(principal, p)]
    if country_code:
        wanted = country(country_code)
        projects = [p for p in projects if wanted in p.countries]
    return projects


def set_status(
    conn: Connection, principal: Principal, project_id: int, status: ActivityStatus
) -> Project:
    """Change a project's status (its recording agency only)."""
    project = get_project(conn, principal, project_id)
    if not may_record_project(principal, project.agency):
        raise Denied(
            f"only {project.agency} changes its projects",
            arabic=f"لا يغيّر مشاريع {project.agency} إلا {project.agency}",
        )
    conn.execute(
        update(project_t)
        .where(project_t.c.id == project_id)
        .values(status=int(status), updated_at=utcnow())
    )
    record(conn, principal, "assist.project.status", str(project_id), status=str(int(status)))
    return get_project(conn, principal, project_id)
