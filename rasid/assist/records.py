"""Coordination records in the store: a state's requirements, source documents, needs with
their target parameters, roadmaps with their steps, indicators with actuals and the explicit
links through which progress rolls up; and what partners may see of each.

Ownership: a document, need or roadmap belongs to the agency that recorded it (the state's
coordination office); only a coordination officer or supervisor of that agency changes it
(``rasid.access.policy.may_coordinate``). Sharing: each record has a TLP marking and a release
list, agencies by name or ``*`` for every partner; ``rasid.access.policy.may_see_released``
decides who sees it. A document is released in full or in part (partners then see its title
and summary, never its body) or not at all. Every write is in the audit log, and every read
of a document (the one record with a body).
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, delete, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import (
    Denied,
    Principal,
    may_coordinate,
    may_record_project,
    may_see_released,
    record,
    release_refusal,
    require,
)
from rasid.assist import taxonomy as taxonomy_mod
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import (
    EVERY_PARTNER,
    Actual,
    Document,
    DocumentKind,
    Indicator,
    Need,
    NeedStatus,
    Priority,
    Release,
    Roadmap,
    Step,
    StepStatus,
    Taxonomy,
    Text,
    Theme,
    ThemeKind,
)
from rasid.model.markings import Marking
from rasid.store.statements import utcnow
from rasid.store.tables import agency as agency_t
from rasid.store.tables import assist_actual as actual_t
from rasid.store.tables import assist_document as document_t
from rasid.store.tables import assist_indicator as indicator_t
from rasid.store.tables import assist_indicator_link as link_t
from rasid.store.tables import assist_need as need_t
from rasid.store.tables import assist_project as project_t
from rasid.store.tables import assist_release as release_t
from rasid.store.tables import assist_roadmap as roadmap_t
from rasid.store.tables import assist_step as step_t
from rasid.store.tables import assist_step_need as step_need_t
from rasid.store.tables import assist_theme as theme_t
from rasid.store.uow import insert_id

TEXT_MAX = 8000
BODY_MAX = 200_000
KINDS = ("document", "need", "roadmap", "project")
MEASURES = ("unit", "percentage", "nominal", "ordinal", "qualitative")


# Checks shared by the modules of rasid.assist


def text(value: str | None, what: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    """A text field with its whitespace collapsed, checked for presence and length."""
    cleaned = " ".join((value or "").split())
    if required and not cleaned:
        raise AssistError(f"{what} is required")
    if len(cleaned) > limit:
        raise AssistError(f"{what} is longer than {limit} characters")
    return cleaned


def country(code: str | None) -> str:
    """An ISO 3166-1 alpha-2 code, upper-case."""
    value = (code or "").strip().upper()
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise AssistError(f"a country is an ISO 3166-1 alpha-2 code, not {code!r}")
    return value


def currency(code: str | None) -> str:
    """An ISO 4217 currency code, upper-case."""
    value = (code or "").strip().upper()
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise AssistError(f"a currency is an ISO 4217 code, not {code!r}")
    return value


def split(value: str) -> tuple[str, ...]:
    """A comma-separated column as a tuple (empty string: empty tuple)."""
    return tuple(part for part in value.split(",") if part)


# Releases


def released_to(conn: Connection, kind: str, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The release lists of records of one kind, by id."""
    wanted = list(ids)
    out: dict[int, list[str]] = {i: [] for i in wanted}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            select(release_t.c.record, release_t.c.agency).where(
                release_t.c.kind == kind, release_t.c.record.in_(wanted[start : start + 500])
            )
        )
        for record_id, agency in rows:
            out[record_id].append(agency)
    return {i: tuple(sorted(agencies)) for i, agencies in out.items()}


def _check_recipients(conn: Connection, recipients: Iterable[str]) -> tuple[str, ...]:
    wanted = sorted({r.strip() for r in recipients if r.strip()})
    known = set(conn.scalars(select(agency_t.c.name)))
    for name in wanted:
        if name != EVERY_PARTNER and name not in known:
            raise AssistError(f"no agency {name!r} to release to")
    return tuple(wanted)


def write_release(
    conn: Connection,
    principal: Principal,
    kind: str,
    record_id: int,
    marking: Marking,
    recipients: Iterable[str],
) -> tuple[str, ...]:
    """Replace a record's release list (the caller's rights checked by the caller)."""
    if kind not in KINDS:
        raise AssistError(f"unknown kind of record {kind!r}")
    wanted = tuple(a for a in _check_recipients(conn, recipients) if a != principal.agency)
    refusal = release_refusal(marking, frozenset(wanted))
    if refusal:
        raise AssistError(refusal)
    conn.execute(delete(release_t).where(release_t.c.kind == kind, release_t.c.record == record_id))
    now = utcnow()
    for agency in wanted:
        conn.execute(
            release_t.insert().values(
                kind=kind,
                record=record_id,
                agency=agency,
                released_by=principal.name,
                released_at=now,
            )
        )
    return wanted


def _coordinator(principal: Principal, agency: str, what: str) -> None:
    require(principal, Scope.ASSIST)
    if not may_coordinate(principal, agency):
        raise Denied(f"only a coordination officer or supervisor of {agency} may {what}")


# The taxonomy with a state's requirements


def taxonomy(conn: Connection) -> Taxonomy:
    """The built-in good practices followed by the requirements added in this store."""
    rows = conn.execute(select(theme_t).order_by(theme_t.c.created_at, theme_t.c.code))
    return taxonomy_mod.with_requirements(
        Theme(
            r.code,
            r.area,
            Text(r.label_ar, r.label),
            ThemeKind.REQUIREMENT,
            split(r.dac),
            note=r.note,
        )
        for r in rows
    )


def add_requirement(
    conn: Connection,
    principal: Principal,
    code: str,
    area: str,
    label: str,
    label_ar: str,
    dac: Sequence[str] = (),
    note: str = "",
) -> Theme:
    """Add a state's own requirement (e.g. a resolution's operative paragraph) to the
    taxonomy, as a coordination officer."""
    _coordinator(principal, principal.agency, "add requirements")
    theme = taxonomy_mod.requirement(
        code.strip(),
        area.strip(),
        Text(text(label_ar, "the Arabic wording"), text(label, "the English wording")),
        dac,
        note=text(note, "the note", required=False),
    )
    if taxonomy(conn).get(theme.code) is not None:
        raise AssistError(f"the taxonomy already has a theme {theme.code!r}")
    conn.execute(
        theme_t.insert().values(
            code=theme.code,
            area=theme.area,
            label=theme.label.en,
            label_ar=theme.label.ar,
            dac=",".join(theme.dac),
            note=theme.note,
            agency=principal.agency,
            created_by=principal.name,
            created_at=utcnow(),
        )
    )
    record(conn, principal, "assist.requirement.add", theme.code, area=theme.area)
    return theme


def _theme(conn: Connection, code: str) -> str:
    if taxonomy(conn).get(code) is None:
        raise AssistError(f"unknown thematic area {code!r}")
    return code


# Documents


def add_document(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str,
    kind: DocumentKind,
    title: str,
    on: date,
    marking: Marking,
    release: Release = Release.NONE,
    recipients: Sequence[str] = (),
    summary: str = "",
    body: str = "",
) -> Document:
    """Record a visit report or a consultation's findings for the caller's agency, with what
    of it partners may see: nothing, the title and summary (partial), or all of it."""
    _coordinator(principal, principal.agency, "record documents")
    if release is not Release.NONE and not recipients:
        raise AssistError("a released document names the partners it is released to")
    if release is Release.NONE:
        recipients = ()
    now = utcnow()
    doc_id = insert_id(
        conn,
        document_t.insert().values(
            agency=principal.agency,
            country=country(country_code),
            kind=kind.value,
            title=text(title, "the title"),
            date=on,
            marking=marking.value,
            release=release.value,
            summary=text(summary, "the summary", required=release is Release.PARTIAL),
            body=(body or "").strip()[:BODY_MAX],
            created_by=principal.name,
            created_at=now,
        ),
    )
    released = write_release(conn, principal, "document", doc_id, marking, recipients)
    record(
        conn,
        principal,
        "assist.document.add",
        str(doc_id),
        release=release.value,
        released_to=",".join(released),
    )
    return get_document(conn, principal, doc_id, audit=False)


def _document(row: Any, released: tuple[str, ...], view: Release) -> Document:
    return Document(
        id=row.id,
        agency=row.agency,
        country=row.country,
        kind=DocumentKind(row.kind),
        title=row.title,
        date=row.date,
        marking=Marking(row.marking),
        release=Release(row.release),
        released_to=released,
        summary=row.summary,
        body=row.body if view is Release.FULL else "",
        created_by=row.created_by,
        created_at=row.created_at,
    )


def document_view(principal: Principal, row: Any, released: tuple[str, ...]) -> Release:
    """How much of a document the caller sees: all of it (its agency), what the release
    allows (a partner it is released to), or nothing."""
    if principal.may(Scope.ASSIST) and row.agency == principal.agency:
        return Release.FULL
    if not may_see_released(principal, row.agency, Marking(row.marking), frozenset(released)):
        return Release.NONE
    return Release(row.release)


def get_document(
    conn: Connection, principal: Principal, doc_id: int, *, audit: bool = True
) -> Document:
    """A document as the caller may see it (the body withheld from a partial release); a
    document not released to the caller is unknown to them."""
    require(principal, Scope.ASSIST)
    row = conn.execute(select(document_t).where(document_t.c.id == doc_id)).first()
    released = released_to(conn, "document", [doc_id]).get(doc_id, ())
    view = Release.NONE if row is None else document_view(principal, row, released)
    if row is None or view is Release.NONE:
        raise UnknownRecord(f"no document {doc_id}")
    if audit:
        record(conn, principal, "assist.document.read", str(doc_id), view=view.value)
    return _document(row, released, view)


def list_documents(
    conn: Connection, principal: Principal, *, country_code: str | None = None
) -> list[Document]:
    """The documents the caller may see, newest first (bodies are not listed)."""
    require(principal, Scope.ASSIST)
    query = select(document_t).order_by(document_t.c.date.desc(), document_t.c.id.desc())
    if country_code:
        query = query.where(document_t.c.country == country(country_code))
    rows = list(conn.execute(query))
    releases = released_to(conn, "document", [r.id for r in rows])
    out = []
    for row in rows:
        view = document_view(principal, row, releases[row.id])
        if view is not Release.NONE:
            out.append(replace(_document(row, releases[row.id], view), body=""))
    return out


def release_document(
    conn: Connection,
    principal: Principal,
    doc_id: int,
    release: Release,
    recipients: Sequence[str],
    summary: str | None = None,
) -> Document:
    """Change what partners may see of a document (the state's consent)."""
    row = conn.execute(select(document_t).where(document_t.c.id == doc_id)).first()
    if row is None or not principal.may(Scope.ASSIST) or row.agency != principal.agency:
        raise UnknownRecord(f"no document {doc_id}")
    _coordinator(principal, row.agency, "release documents")
    new_summary = row.summary if summary is None else text(summary, "the summary", required=False)
    if release is Release.PARTIAL and not new_summary:
        raise AssistError("a partial release needs the summary partners will see")
    if release is not Release.NONE and not recipients:
        raise AssistError("a released document names the partners it is released to")
    conn.execute(
        update(document_t)
        .where(document_t.c.id == doc_id)
        .values(release=release.value, summary=new_summary)
    )
    released = write_release(
        conn,
        principal,
        "document",
        doc_id,
        Marking(row.marking),
        recipients if release is not Release.NONE else (),
    )
    record(
        conn,
        principal,
        "assist.document.release",
        str(doc_id),
        release=release.value,
        released_to=",".join(released),
    )
    return get_document(conn, principal, doc_id, audit=False)


# Indicators


def check_indicator(indicator: Indicator, where: str = "the indicator") -> Indicator:
    """An indicator checked: a title, a known measure, a target date after the baseline's,
    and a target on the side of the baseline its direction says."""
    title = text(indicator.title, f"{where}: the title", limit=500)
    if indicator.measure not in MEASURES:
        raise AssistError(f"{where}: unknown measure {indicator.measure!r}")
    if indicator.target_date <= indicator.baseline_date:
        raise AssistError(f"{where}: the target date must come after the baseline date")
    if indicator.ascending and indicator.target < indicator.baseline:
        raise AssistError(f"{where}: an ascending indicator's target is below its baseline")
    if not indicator.ascending and indicator.target > indicator.baseline:
        raise AssistError(f"{where}: a descending indicator's target is above its baseline")
    return replace(indicator, title=title)


def insert_indicator(
    conn: Connection,
    indicator: Indicator,
    *,
    need: int | None = None,
    project: int | None = None,
    result: str = "",
    result_type: int = 1,
    reporter: str = "",
) -> int:
    """Store an indicator (of a need or of a project's result) with its actuals."""
    ind_id = insert_id(
        conn,
        indicator_t.insert().values(
            need=need,
            project=project,
            result=result,
            result_type=result_type,
            title=indicator.title,
            measure=indicator.measure,
            ascending=indicator.ascending,
            baseline=indicator.baseline,
            baseline_date=indicator.baseline_date,
            target=indicator.target,
            target_date=indicator.target_date,
        ),
    )
    now = utcnow()
    for actual in indicator.actuals:
        conn.execute(
            actual_t.insert().values(
                indicator=ind_id,
                date=actual.date,
                value=actual.value,
                note=actual.note,
                reported_by=actual.reported_by or reporter,
                reported_at=now,
            )
        )
    return ind_id


def load_indicators(conn: Connection, where: Any) -> list[Indicator]:
    """Indicators matching a condition on the indicator table, with their actuals."""
    rows = list(conn.execute(select(indicator_t).where(where).order_by(indicator_t.c.id)))
    actuals: dict[int, list[Actual]] = {r.id: [] for r in rows}
    ids = list(actuals)
    for start in range(0, len(ids), 500):
        for a in conn.execute(
            select(actual_t)
            .where(actual_t.c.indicator.in_(ids[start : start + 500]))
            .order_by(actual_t.c.date, actual_t.c.id)
        ):
            actuals[a.indicator].append(Actual(a.date, a.value, a.note, a.reported_by))
    return [
        Indicator(
            id=r.id,
            title=r.title,
            ascending=r.ascending,
            baseline=r.baseline,
            baseline_date=r.baseline_date,
            target=r.target,
            target_date=r.target_date,
            measure=r.measure,
            actuals=tuple(actuals[r.id]),
            result=r.result,
            need=r.need,
            project=r.project,
        )
        for r in rows
    ]


def get_indicator(conn: Connection, principal: Principal, ind_id: int) -> Indicator:
    """An indicator the caller may see (through its need or its project)."""
    found = load_indicators(conn, indicator_t.c.id == ind_id)
    if not found:
        raise UnknownRecord(f"no indicator {ind_id}")
    indicator = found[0]
    if indicator.need is not None:
        get_need(conn, principal, indicator.need)
    elif indicator.project is not None:
        from rasid.assist.projects import get_project

        get_project(conn, principal, indicator.project)
    return indicator


def _indicator_owner(conn: Connection, indicator: Indicator) -> tuple[str, str]:
    """The agency that answers for an indicator, and the kind of record it hangs on."""
    if indicator.need is not None:
        agency = conn.scalar(select(need_t.c.agency).where(need_t.c.id == indicator.need))
        return str(agency), "need"
    agency = conn.scalar(select(project_t.c.agency).where(project_t.c.id == indicator.project))
    return str(agency), "project"


def report_actual(conn: Connection, principal: Principal, ind_id: int, actual: Actual) -> Indicator:
    """Report an indicator's value at a date: for a need's target, its state's coordinator;
    for a project's indicator, anyone of the agency that recorded the project."""
    indicator = get_indicator(conn, principal, ind_id)
    agency, kind = _indicator_owner(conn, indicator)
    if kind == "need":
        _coordinator(principal, agency, "report on a need's targets")
    elif not may_record_project(principal, agency):
        raise Denied(f"only {agency} reports on its projects' indicators")
    if actual.date < indicator.baseline_date:
        raise AssistError("an actual cannot predate the indicator's baseline")
    conn.execute(
        actual_t.insert().values(
            indicator=ind_id,
            date=actual.date,
            value=actual.value,
            note=text(actual.note, "the note", required=False, limit=1000),
            reported_by=principal.name,
            reported_at=utcnow(),
        )
    )
    record(
        conn,
        principal,
        "assist.actual.report",
        str(ind_id),
        value=str(actual.value),
        on=actual.date.isoformat(),
    )
    return get_indicator(conn, principal, ind_id)


def link_indicator(
    conn: Connection,
    principal: Principal,
    ind_id: int,
    *,
    need: int | None = None,
    step: int | None = None,
) -> None:
    """Link an indicator to a need or a roadmap step explicitly, so that its progress rolls
    up there (nothing rolls up without such a link)."""
    if (need is None) == (step is None):
        raise AssistError("link an indicator to one need or one step")
    indicator = get_indicator(conn, principal, ind_id)
    if need is not None:
        owner = get_need(conn, principal, need).agency
    else:
        roadmap = get_roadmap(conn, principal, _step_roadmap(conn, step))
        owner = roadmap.agency
    _coordinator(principal, owner, "link indicators")
    if indicator.need is not None and indicator.need == need:
        raise AssistError("a need's own target rolls up to it already")
    exists = conn.scalar(
        select(link_t.c.id).where(
            link_t.c.indicator == ind_id, link_t.c.need == need, link_t.c.step == step
        )
    )
    if exists is not None:
        return
    conn.execute(
        link_t.insert().values(
            indicator=ind_id, need=need, step=step, linked_by=principal.name, linked_at=utcnow()
        )
    )
    where = f"need:{need}" if need is not None else f"step:{step}"
    record(conn, principal, "assist.indicator.link", str(ind_id), to=where)


def unlink_indicator(
    conn: Connection,
    principal: Principal,
    ind_id: int,
    *,
    need: int | None = None,
    step: int | None = None,
) -> None:
    """Remove an explicit link."""
    if (need is None) == (step is None):
        raise AssistError("unlink an indicator from one need or one step")
    owner = (
        get_need(conn, principal, need).agency
        if need is not None
        else get_roadmap(conn, principal, _step_roadmap(conn, step)).agency
    )
    _coordinator(principal, owner, "unlink indicators")
    conn.execute(
        delete(link_t).where(
            link_t.c.indicator == ind_id,
            link_t.c.need == need if need is not None else link_t.c.step == step,
        )
    )
    where = f"need:{need}" if need is not None else f"step:{step}"
    record(conn, principal, "assist.indicator.unlink", str(ind_id), to=where)


def linked_indicators(
    conn: Connection, *, need: int | None = None, step: int | None = None
) -> list[Indicator]:
    """The indicators linked explicitly to a need or a step."""
    column = link_t.c.need if need is not None else link_t.c.step
    key = need if need is not None else step
    ids = list(conn.scalars(select(link_t.c.indicator).where(column == key)))
    return load_indicators(conn, indicator_t.c.id.in_(ids)) if ids else []


# Needs


def add_need(conn: Connection, principal: Principal, need: Need) -> Need:
    """Record a need for the caller's agency, with its target parameters; ``need.agency``,
    ``id`` and the creation fields are set here."""
    _coordinator(principal, principal.agency, "record needs")
    if need.document is not None:
        doc = get_document(conn, principal, need.document, audit=False)
        if doc.agency != principal.agency:
            raise AssistError("a need's source document is one of its own agency's")
    if need.cost is not None and need.cost < 0:
        raise AssistError("a need's cost cannot be negative")
    targets = [check_indicator(t, f"target {i + 1}") for i, t in enumerate(need.targets)]
    now = utcnow()
    need_id = insert_id(
        conn,
        need_t.insert().values(
            agency=principal.agency,
            country=country(need.country),
            region=text(need.region, "the region", required=False, limit=200),
            institution=text(need.institution, "the institution", limit=300),
            theme=_theme(conn, need.theme),
            gap=text(need.gap, "the gap found"),
            baseline=text(need.baseline, "the baseline", required=False),
            priority=Priority(need.priority).value,
            marking=need.marking.value,
            document=need.document,
            cost=need.cost,
            currency=currency(need.currency),
            wanted_by=need.wanted_by,
            status=NeedStatus(need.status).value,
            created_by=principal.name,
            created_at=now,
            updated_at=now,
        ),
    )
    for target in targets:
        insert_indicator(conn, target, need=need_id, reporter=principal.name)
    write_release(conn, principal, "need", need_id, need.marking, need.released_to)
    record(conn, principal, "assist.need.add", str(need_id), theme=need.theme)
    return get_need(conn, principal, need_id)


def _need(row: Any, released: tuple[str, ...], targets: Sequence[Indicator]) -> Need:
    return Need(
        id=row.id,
        agency=row.agency,
        country=row.country,
        institution=row.institution,
        theme=row.theme,
        gap=row.gap,
        baseline=row.baseline,
        priority=Priority(row.priority),
        marking=Marking(row.marking),
        released_to=released,
        region=row.region,
        document=row.document,
        targets=tuple(targets),
        cost=row.cost,
        currency=row.currency,
        wanted_by=row.wanted_by,
        status=NeedStatus(row.status),
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _visible(principal: Principal, row: Any, released: tuple[str, ...]) -> bool:
    return may_see_released(principal, row.agency, Marking(row.marking), frozenset(released))


def get_need(conn: Connection, principal: Principal, need_id: int) -> Need:
    """A need the caller may see (its agency's, or released to the caller's agency)."""
    require(principal, Scope.ASSIST)
    row = conn.execute(select(need_t).where(need_t.c.id == need_id)).first()
    released = released_to(conn, "need", [need_id]).get(need_id, ())
    if row is None or not _visible(principal, row, released):
        raise UnknownRecord(f"no need {need_id}")
    return _need(row, released, load_indicators(conn, indicator_t.c.need == need_id))


def list_needs(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str | None = None,
    theme: str | None = None,
    status: NeedStatus | None = None,
) -> list[Need]:
    """The needs the caller may see, by priority then newest first."""
    require(principal, Scope.ASSIST)
    query = select(need_t).order_by(need_t.c.id.desc())
    if country_code:
        query = query.where(need_t.c.country == country(country_code))
    if theme:
        query = query.where(need_t.c.theme == theme)
    if status is not None:
        query = query.where(need_t.c.status == status.value)
    rows = list(conn.execute(query))
    releases = released_to(conn, "need", [r.id for r in rows])
    rows = [r for r in rows if _visible(principal, r, releases[r.id])]
    targets: dict[int, list[Indicator]] = {r.id: [] for r in rows}
    ids = list(targets)
    for start in range(0, len(ids), 500):
        for ind in load_indicators(conn, indicator_t.c.need.in_(ids[start : start + 500])):
            if ind.need is not None:
                targets[ind.need].append(ind)
    needs = [_need(r, releases[r.id], targets[r.id]) for r in rows]
    return sorted(needs, key=lambda n: Priority(n.priority).rank)


def update_need(
    conn: Connection,
    principal: Principal,
    need_id: int,
    *,
    status: NeedStatus | None = None,
    priority: Priority | None = None,
    recipients: Sequence[str] | None = None,
) -> Need:
    """Change a need's status, priority or release list."""
    need = get_need(conn, principal, need_id)
    _coordinator(principal, need.agency, "change needs")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if status is not None:
        values["status"] = status.value
    if priority is not None:
        values["priority"] = priority.value
    conn.execute(update(need_t).where(need_t.c.id == need_id).values(**values))
    if recipients is not None:
        write_release(conn, principal, "need", need_id, need.marking, recipients)
    record(
        conn,
        principal,
        "assist.need.update",
        str(need_id),
        status=status.value if status else "",
        priority=priority.value if priority else "",
        released_to=",".join(recipients) if recipients is not None else "(unchanged)",
    )
    return get_need(conn, principal, need_id)


def add_target(conn: Connection, principal: Principal, need_id: int, target: Indicator) -> int:
    """Add a target parameter to a need."""
    need = get_need(conn, principal, need_id)
    _coordinator(principal, need.agency, "set targets")
    ind_id = insert_indicator(conn, check_indicator(target), need=need_id, reporter=principal.name)
    record(conn, principal, "assist.need.target", str(need_id), indicator=str(ind_id))
    return ind_id


# Roadmaps


def add_roadmap(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str,
    requirement: str,
    title: str,
    marking: Marking,
    recipients: Sequence[str] = (),
) -> Roadmap:
    """Start a national implementation roadmap for the caller's agency: the steps for one
    state to meet one requirement (a good practice or a requirement of its own)."""
    _coordinator(principal, principal.agency, "build roadmaps")
    roadmap_id = insert_id(
        conn,
        roadmap_t.insert().values(
            agency=principal.agency,
            country=country(country_code),
            requirement=_theme(conn, requirement),
            title=text(title, "the title", limit=500),
            marking=marking.value,
            created_by=principal.name,
            created_at=utcnow(),
        ),
    )
    write_release(conn, principal, "roadmap", roadmap_id, marking, recipients)
    record(conn, principal, "assist.roadmap.add", str(roadmap_id), requirement=requirement)
    return get_roadmap(conn, principal, roadmap_id)


def _steps(conn: Connection, roadmap_ids: Sequence[int]) -> dict[int, list[Step]]:
    out: dict[int, list[Step]] = {i: [] for i in roadmap_ids}
    if not roadmap_ids:
        return out
    rows = list(
        conn.execute(
            select(step_t)
            .where(step_t.c.roadmap.in_(list(roadmap_ids)))
            .order_by(step_t.c.roadmap, step_t.c.position, step_t.c.id)
        )
    )
    ids = [r.id for r in rows]
    needs: dict[int, list[int]] = {i: [] for i in ids}
    links: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for step_id, need_id in conn.execute(
            select(step_need_t.c.step, step_need_t.c.need)
            .where(step_need_t.c.step.in_(ids))
            .order_by(step_need_t.c.need)
        ):
            needs[step_id].append(need_id)
        for step_id, ind_id in conn.execute(
            select(link_t.c.step, link_t.c.indicator)
            .where(link_t.c.step.in_(ids))
            .order_by(link_t.c.indicator)
        ):
            links[step_id].append(ind_id)
    for r in rows:
        out[r.roadmap].append(
            Step(
                id=r.id,
                position=r.position,
                title=r.title,
                recommendation=r.recommendation,
                institution=r.institution,
                due=r.due,
                status=StepStatus(r.status),
                needs=tuple(needs[r.id]),
                indicators=tuple(links[r.id]),
                themes=split(r.themes),
            )
        )
    return out


def _roadmap(row: Any, released: tuple[str, ...], steps: Sequence[Step]) -> Roadmap:
    return Roadmap(
        id=row.id,
        agency=row.agency,
        country=row.country,
        requirement=row.requirement,
        title=row.title,
        marking=Marking(row.marking),
        released_to=released,
        steps=tuple(steps),
        created_by=row.created_by,
        created_at=row.created_at,
    )


def get_roadmap(conn: Connection, principal: Principal, roadmap_id: int) -> Roadmap:
    """A roadmap the caller may see, with its steps in order."""
    require(principal, Scope.ASSIST)
    row = conn.execute(select(roadmap_t).where(roadmap_t.c.id == roadmap_id)).first()
    released = released_to(conn, "roadmap", [roadmap_id]).get(roadmap_id, ())
    if row is None or not _visible(principal, row, released):
        raise UnknownRecord(f"no roadmap {roadmap_id}")
    return _roadmap(row, released, _steps(conn, [roadmap_id])[roadmap_id])


def list_roadmaps(
    conn: Connection, principal: Principal, *, country_code: str | None = None
) -> list[Roadmap]:
    """The roadmaps the caller may see, newest first."""
    require(principal, Scope.ASSIST)
    query = select(roadmap_t).order_by(roadmap_t.c.id.desc())
    if country_code:
        query = query.where(roadmap_t.c.country == country(country_code))
    rows = list(conn.execute(query))
    releases = released_to(conn, "roadmap", [r.id for r in rows])
    rows = [r for r in rows if _visible(principal, r, releases[r.id])]
    steps = _steps(conn, [r.id for r in rows])
    return [_roadmap(r, releases[r.id], steps[r.id]) for r in rows]


def _step_roadmap(conn: Connection, step_id: int | None) -> int:
    found = conn.scalar(select(step_t.c.roadmap).where(step_t.c.id == step_id))
    if found is None:
        raise UnknownRecord(f"no step {step_id}")
    return int(found)


def _step_needs(
    conn: Connection, principal: Principal, roadmap: Roadmap, needs: Iterable[int]
) -> list[int]:
    out = []
    for need_id in sorted(set(needs)):
        need = get_need(conn, principal, need_id)
        if need.agency != roadmap.agency or need.country != roadmap.country:
            raise AssistError(f"need {need_id} is not one of this roadmap's state's needs")
        out.append(need_id)
    return out


def add_step(
    conn: Connection,
    principal: Principal,
    roadmap_id: int,
    *,
    title: str,
    recommendation: str,
    institution: str,
    due: date | None = None,
    needs: Sequence[int] = (),
    themes: Sequence[str] = (),
    position: int | None = None,
) -> Step:
    """Add a step to a roadmap, at the end or at ``position`` (later steps move down)."""
    roadmap = get_roadmap(conn, principal, roadmap_id)
    _coordinator(principal, roadmap.agency, "change roadmaps")
    last = len(roadmap.steps)
    where = last + 1 if position is None else position
    if not 1 <= where <= last + 1:
        raise AssistError(f"a step's position is 1 to {last + 1}, not {where}")
    linked = _step_needs(conn, principal, roadmap, needs)
    for code in themes:
        _theme(conn, code)
    conn.execute(
        update(step_t)
        .where(step_t.c.roadmap == roadmap_id, step_t.c.position >= where)
        .values(position=step_t.c.position + 1)
    )
    step_id = insert_id(
        conn,
        step_t.insert().values(
            roadmap=roadmap_id,
            position=where,
            title=text(title, "the step's title", limit=500),
            recommendation=text(recommendation, "the tailored recommendation"),
            institution=text(institution, "the responsible institution", limit=300),
            due=due,
            status=StepStatus.PLANNED.value,
            themes=",".join(dict.fromkeys(themes)),
            updated_at=utcnow(),
        ),
    )
    for need_id in linked:
        conn.execute(step_need_t.insert().values(step=step_id, need=need_id))
    record(conn, principal, "assist.step.add", str(step_id), roadmap=str(roadmap_id))
    return next(s for s in get_roadmap(conn, principal, roadmap_id).steps if s.id == step_id)


def update_step(
    conn: Connection,
    principal: Principal,
    step_id: int,
    *,
    status: StepStatus | None = None,
    due: date | None = None,
    needs: Sequence[int] | None = None,
) -> Step:
    """Change a step's status, due date or linked needs."""
    roadmap = get_roadmap(conn, principal, _step_roadmap(conn, step_id))
    _coordinator(principal, roadmap.agency, "change roadmaps")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if status is not None:
        values["status"] = status.value
    if due is not None:
        values["due"] = due
    conn.execute(update(step_t).where(step_t.c.id == step_id).values(**values))
    if needs is not None:
        linked = _step_needs(conn, principal, roadmap, needs)
        conn.execute(delete(step_need_t).where(step_need_t.c.step == step_id))
        for need_id in linked:
            conn.execute(step_need_t.insert().values(step=step_id, need=need_id))
    record(
        conn,
        principal,
        "assist.step.update",
        str(step_id),
        status=status.value if status else "",
    )
    updated = get_roadmap(conn, principal, roadmap.id or 0)
    return next(s for s in updated.steps if s.id == step_id)


def steps_of_need(
    conn: Connection, principal: Principal, need_id: int
) -> list[tuple[Roadmap, Step]]:
    """The roadmap steps a need is linked to, that the caller may see."""
    step_ids = list(conn.scalars(select(step_need_t.c.step).where(step_need_t.c.need == need_id)))
    if not step_ids:
        return []
    out: list[tuple[Roadmap, Step]] = []
    roadmap_ids = sorted(
        set(conn.scalars(select(step_t.c.roadmap).where(step_t.c.id.in_(step_ids))))
    )
    for roadmap_id in roadmap_ids:
        try:
            roadmap = get_roadmap(conn, principal, roadmap_id)
        except UnknownRecord:
            continue
        out.extend((roadmap, s) for s in roadmap.steps if s.id in step_ids)
    return out


def need_ids_in(conn: Connection, condition: Any) -> list[int]:
    """Ids of needs matching a condition (for other modules of rasid.assist)."""
    return list(conn.scalars(select(need_t.c.id).where(and_(condition))))
