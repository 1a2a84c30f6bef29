"""Technical-assistance coordination in the JSON API under /api/assist: the taxonomy and a
state's requirements, documents with their releases, needs with targets, roadmaps and steps,
projects (import from IATI XML or CSV, export as IATI), indicators (actuals, explicit
links), suggested matches and decisions, duplication flags and notes, the needs-coverage
matrix, progress and the trace from good practice to progress.

Every route needs the `assist` scope. What a caller sees is decided by
``rasid.access.policy.may_see_released`` (the owning agency, and partners a record is
released to); a coordination officer or supervisor of the owning agency writes. An unknown
or unseen record is 404, refused input 422.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.assist import (
    coordination,
    csvimport,
    documents,
    iati,
    needs,
    projects,
    records,
    roadmaps,
    tracking,
)
from rasid.assist import rates as exchange
from rasid.assist.errors import AssistError
from rasid.assist.model import (
    ActivityStatus,
    Actual,
    Document,
    DocumentKind,
    Indicator,
    Need,
    NeedStatus,
    Priority,
    Project,
    ProjectKind,
    Rate,
    Release,
    Roadmap,
    Step,
    StepStatus,
    Trace,
)
from rasid.assist.model import MatchStatus as MatchDecision
from rasid.assist.wording import explain
from rasid.model.markings import Marking
from rasid.web.deps import Caller, Now, Uow, scoped
from rasid.web.models import MAX_ID, ErrorOut, signed_in

router = APIRouter(
    prefix="/api/assist",
    tags=["assist"],
    dependencies=[scoped(Scope.ASSIST)],
    responses=signed_in(),
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such record visible to the caller"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Refused: bad input"}
}
UPLOAD_MAX = 50 * 1024 * 1024  # bytes of one project file
TEXT = 8000

Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The record's number")]
Lang = Annotated[str, Query(pattern="^(ar|en)$", description="Language of explanations")]
CountryQ = Annotated[
    str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
]
Agencies = list[Annotated[str, Field(max_length=64)]]


class RequirementIn(BaseModel):
    """A state's own requirement added to the taxonomy."""

    code: str = Field(max_length=64, description="e.g. res-2396-op12")
    area: str = Field(max_length=8, description="A, B, C or D")
    label: str = Field(max_length=2000, description="English wording")
    label_ar: str = Field(max_length=2000, description="Arabic wording")
    dac: list[Annotated[str, Field(max_length=5)]] = Field(default=[], max_length=20)
    note: str = Field(default="", max_length=2000)


class DocumentIn(BaseModel):
    """A visit report or a consultation's findings, with what partners may see of it."""

    country: str = Field(min_length=2, max_length=2)
    kind: DocumentKind
    title: str = Field(max_length=TEXT)
    date: date
    marking: Marking = Marking.AMBER
    release: Release = Release.NONE
    released_to: Agencies = Field(default=[], max_length=100)
    summary: str = Field(default="", max_length=TEXT)
    body: str = Field(default="", max_length=200_000)


class ReleaseIn(BaseModel):
    """A new release of a document: none, partial (title and summary) or full."""

    release: Release
    released_to: Agencies = Field(default=[], max_length=100)
    summary: str | None = Field(default=None, max_length=TEXT)


class TargetIn(BaseModel):
    """A target parameter (indicator) of a need."""

    title: str = Field(max_length=500)
    ascending: bool = True
    baseline: float = Field(allow_inf_nan=False)
    baseline_date: date
    target: float = Field(allow_inf_nan=False)
    target_date: date
    measure: str = Field(default="unit", max_length=16)

    def indicator(self) -> Indicator:
        """As the model's indicator."""
        return Indicator(
            None,
            self.title,
            self.ascending,
            self.baseline,
            self.baseline_date,
            self.target,
            self.target_date,
            self.measure,
        )


class NeedIn(BaseModel):
    """A need found in a visit or a consultation."""

    country: str = Field(min_length=2, max_length=2)
    institution: str = Field(max_length=300)
    theme: str = Field(max_length=64, description="A theme code of the taxonomy")
    gap: str = Field(max_length=TEXT)
    baseline: str = Field(default="", max_length=TEXT)
    priority: Priority = Priority.MEDIUM
    marking: Marking = Marking.GREEN
    released_to: Agencies = Field(default=[], max_length=100)
    region: str = Field(default="", max_length=200)
    document: int | None = Field(default=None, ge=1, le=MAX_ID)
    targets: list[TargetIn] = Field(default=[], max_length=50)
    cost: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    wanted_by: date | None = None


class NeedChange(BaseModel):
    """A change of a need's status, priority or release list."""

    status: NeedStatus | None = None
    priority: Priority | None = None
    released_to: Agencies | None = Field(default=None, max_length=100)


class RoadmapIn(BaseModel):
    """A national implementation roadmap for one requirement."""

    country: str = Field(min_length=2, max_length=2)
    requirement: str = Field(max_length=64)
    title: str = Field(max_length=500)
    marking: Marking = Marking.GREEN
    released_to: Agencies = Field(default=[], max_length=100)


class StepIn(BaseModel):
    """A step of a roadmap."""

    title: str = Field(max_length=500)
    recommendation: str = Field(max_length=TEXT)
    institution: str = Field(max_length=300)
    due: date | None = None
    needs: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default=[], max_length=100)
    themes: list[Annotated[str, Field(max_length=64)]] = Field(default=[], max_length=30)
    position: int | None = Field(default=None, ge=1, le=10_000)


class StepChange(BaseModel):
    """A change of a step."""

    status: StepStatus | None = None
    due: date | None = None
    needs: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(default=None, max_length=100)


class ActualIn(BaseModel):
    """A reported value of an indicator."""

    date: date
    value: float = Field(allow_inf_nan=False)
    note: str = Field(default="", max_length=1000)


class LinkIn(BaseModel):
    """An explicit link of an indicator to one need or one roadmap step."""

    need: int | None = Field(default=None, ge=1, le=MAX_ID)
    step: int | None = Field(default=None, ge=1, le=MAX_ID)


class DecisionIn(BaseModel):
    """A coordinator's decision on a match."""

    status: MatchDecision
    note: str = Field(default="", max_length=2000)


class NoteIn(BaseModel):
    """What a coordination meeting made of a duplication flag."""

    left: int = Field(ge=1, le=MAX_ID)
    right: int = Field(ge=1, le=MAX_ID)
    note: str = Field(max_length=4000)


class ComponentOut(BaseModel):
    """One component of a match's score, explained."""

    name: str
    score: float
    weight: float
    reason: str = Field(description="The reason code")
    explanation: str = Field(description="The reason worded in the requested language")


class MatchOut(BaseModel):
    """A suggested or decided match."""

    need: int
    project: int
    title: str
    score: float
    components: list[ComponentOut]
    status: str = Field(description="suggested, accepted or rejected")
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""


class SavedOut(BaseModel):
    """What an import saved."""

    created: int
    updated: int
    unchanged: int
    quarantined: list[dict[str, str]]
    dropped: list[dict[str, str]]


class CellOut(BaseModel):
    """One cell of the needs-coverage matrix."""

    country: str
    theme: str
    coverage: str
    needs: list[int]
    covered: list[int]


class CoverageOut(BaseModel):
    """The needs-coverage matrix: thematic area x state."""

    countries: list[str]
    themes: list[str]
    cells: list[CellOut]


class StepProgressOut(BaseModel):
    """A step's progress from the indicators linked to it."""

    step: int
    position: int
    title: str
    achieved: float | None
    elapsed: float | None
    rating: str
    explanation: str


class DuplicateOut(BaseModel):
    """A duplication flag: a flag for a coordination meeting, not a decision."""

    left: int
    right: int
    country: str
    themes: list[str]
    institutions: list[str]
    start: date
    end: date
    days: int
    funders: list[list[str]]
    budgets: list[list[Any]]
    notes: list[dict[str, Any]]


def _components(components: Any, lang: str) -> list[ComponentOut]:
    return [
        ComponentOut(
            name=c.name,
            score=c.score,
            weight=c.weight,
            reason=c.reason.code,
            explanation=explain(c.reason, lang),
        )
        for c in components
    ]


# The taxonomy


@router.get("/themes", summary="The thematic taxonomy")
def list_themes(uow: Uow, caller: Caller, lang: Lang = "en") -> list[dict[str, Any]]:
    """Return the 25 good practices by area, then the requirements added in this store, each
    with its wording in the requested language, its kind and nearest DAC purpose codes."""
    return [
        {
            "code": t.code,
            "area": t.area,
            "kind": t.kind.value,
            "number": t.number,
            "label": t.label.get(lang),
            "label_ar": t.label.ar,
            "label_en": t.label.en,
            "dac": list(t.dac),
        }
        for t in records.taxonomy(uow.conn).themes
    ]


@router.post(
    "/requirements", summary="Add a state's requirement", status_code=201, responses=REFUSED
)
def add_requirement(body: RequirementIn, uow: Uow, caller: Caller) -> dict[str, str]:
    """Add a state's own requirement (e.g. a resolution's operative paragraph) to the
    taxonomy, as a coordination officer."""
    theme = records.add_requirement(
        uow.conn, caller, body.code, body.area, body.label, body.label_ar, body.dac, body.note
    )
    return {"code": theme.code, "area": theme.area}


# Documents


@router.get("/documents", summary="Documents the caller may see")
def list_documents(uow: Uow, caller: Caller, country: CountryQ = None) -> list[Document]:
    """Return the visit reports and consultations the caller may see, newest first, without
    their bodies (read one for its body, if released in full)."""
    return documents.list_documents(uow.conn, caller, country_code=country)


@router.post("/documents", summary="Record a document", status_code=201, responses=REFUSED)
def add_document(body: DocumentIn, uow: Uow, caller: Caller) -> Document:
    """Record a visit report or a consultation's findings with its release: none, partial
    (partners named see the title and summary) or full."""
    return documents.add_document(
        uow.conn,
        caller,
        country_code=body.country,
        kind=body.kind,
        title=body.title,
        on=body.date,
        marking=body.marking,
        release=body.release,
        recipients=body.released_to,
        summary=body.summary,
        body=body.body,
    )


@router.get("/documents/{doc_id}", summary="Read a document", responses=NOT_FOUND)
def get_document(doc_id: Id, uow: Uow, caller: Caller) -> Document:
    """Return a document as the caller may see it: a partner given a partial release gets
    the summary and an empty body. Every read is audited."""
    return documents.get_document(uow.conn, caller, doc_id)


@router.post(
    "/documents/{doc_id}/release",
    summary="Change a document's release",
    responses=NOT_FOUND | REFUSED,
)
def release_document(doc_id: Id, body: ReleaseIn, uow: Uow, caller: Caller) -> Document:
    """Change what partners may see of a document (the state's consent)."""
    return documents.release_document(
        uow.conn, caller, doc_id, body.release, body.released_to, body.summary
    )


# Needs


@router.get("/needs", summary="Needs the caller may see")
def list_needs(
    uow: Uow,
    caller: Caller,
    country: CountryQ = None,
    theme: Annotated[str | None, Query(max_length=64)] = None,
    status: NeedStatus | None = None,
) -> list[Need]:
    """Return the needs the caller may see (the caller's agency's, and those released to
    it), by priority, with their target parameters."""
    return needs.list_needs(uow.conn, caller, country_code=country, theme=theme, status=status)


@router.post("/needs", summary="Record a need", status_code=201, responses=REFUSED)
def add_need(body: NeedIn, uow: Uow, caller: Caller) -> Need:
    """Record a need with its target parameters, as a coordination officer."""
    need = Need(
        id=None,
        agency=caller.agency,
        country=body.country,
        institution=body.institution,
        theme=body.theme,
        gap=body.gap,
        baseline=body.baseline,
        priority=body.priority,
        marking=body.marking,
        released_to=tuple(body.released_to),
        region=body.region,
        document=body.document,
        targets=tuple(t.indicator() for t in body.targets),
        cost=body.cost,
        currency=body.currency,
        wanted_by=body.wanted_by,
    )
    return needs.add_need(uow.conn, caller, need)


@router.get("/needs/{need_id}", summary="Read a need", responses=NOT_FOUND)
def get_need(need_id: Id, uow: Uow, caller: Caller) -> Need:
    """Return a need the caller may see, with its target parameters and their actuals."""
    return needs.get_need(uow.conn, caller, need_id)


@router.post("/needs/{need_id}", summary="Change a need", responses=NOT_FOUND | REFUSED)
def change_need(need_id: Id, body: NeedChange, uow: Uow, caller: Caller) -> Need:
    """Change a need's status, priority or release list."""
    return needs.update_need(
        uow.conn,
        caller,
        need_id,
        status=body.status,
        priority=body.priority,
        recipients=body.released_to,
    )


@router.post(
    "/needs/{need_id}/targets",
    summary="Add a target to a need",
    status_code=201,
    responses=NOT_FOUND | REFUSED,
)
def add_target(need_id: Id, body: TargetIn, uow: Uow, caller: Caller) -> Indicator:
    """Add a target parameter to a need (indicator, baseline, target, dates, direction), as
    a coordination officer of the need's agency."""
    ind_id = needs.add_target(uow.conn, caller, need_id, body.indicator())
    return tracking.get_indicator(uow.conn, caller, ind_id)


@router.get("/needs/{need_id}/matches", summary="Matches for a need", responses=NOT_FOUND)
def matches(
    need_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    lang: Lang = "en",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[MatchOut]:
    """Return the decisions taken on the need's matches, then the projects and offers
    suggested for it ranked by score, each with every component of the score (theme,
    institution, geography, timing, remaining funding) explained. Suggestions only
    propose: a coordinator accepts or rejects."""
    today = now.date()
    seen = coordination.projects_by_id(projects.list_projects(uow.conn, caller))
    out = [
        MatchOut(
            need=d.need,
            project=d.project,
            title=seen[d.project].title if d.project in seen else "",
            score=d.score,
            components=_components(d.components, lang),
            status=d.status.value,
            decided_by=d.decided_by,
            decided_at=d.decided_at,
            note=d.note,
        )
        for d in coordination.decisions(uow.conn, caller, need_id)
        if d.project in seen
    ]
    for m in coordination.suggest(uow.conn, caller, need_id, today=today, limit=limit):
        out.append(
            MatchOut(
                need=m.need,
                project=m.project,
                title=seen[m.project].title,
                score=m.score,
                components=_components(m.components, lang),
                status="suggested",
            )
        )
    return out


@router.post(
    "/needs/{need_id}/matches/{project_id}",
    summary="Accept or reject a match",
    responses=NOT_FOUND | REFUSED,
)
def decide(
    need_id: Id,
    project_id: Id,
    body: DecisionIn,
    uow: Uow,
    caller: Caller,
    now: Now,
    lang: Lang = "en",
) -> MatchOut:
    """Accept a match (linking need and project) or reject it, as a coordination officer of
    the need's agency; the score and its components are recorded as they are now."""
    done = coordination.decide(
        uow.conn, caller, need_id, project_id, body.status, today=now.date(), note=body.note
    )
    project = projects.get_project(uow.conn, caller, project_id)
    return MatchOut(
        need=done.need,
        project=done.project,
        title=project.title,
        score=done.score,
        components=_components(done.components, lang),
        status=done.status.value,
        decided_by=done.decided_by,
        decided_at=done.decided_at,
        note=done.note,
    )


@router.delete(
    "/needs/{need_id}/matches/{project_id}",
    summary="Withdraw a decision",
    status_code=204,
    responses=NOT_FOUND,
)
def undo(need_id: Id, project_id: Id, uow: Uow, caller: Caller) -> Response:
    """Withdraw an acceptance or a rejection: the project is suggested again."""
    coordination.undo(uow.conn, caller, need_id, project_id)
    return Response(status_code=204)


@router.get("/needs/{need_id}/trace", summary="From good practice to progress", responses=NOT_FOUND)
def trace(need_id: Id, uow: Uow, caller: Caller, now: Now) -> Trace:
    """Return the trace of a need: the good practice, the finding's document (if the caller
    may see it), the need, its roadmap steps, the projects accepted for it, and the progress
    of its targets and of the indicators linked to it."""
    return coordination.trace(uow.conn, caller, need_id, now.date())


# Roadmaps


@router.get("/roadmaps", summary="Roadmaps the caller may see")
def list_roadmaps(uow: Uow, caller: Caller, country: CountryQ = None) -> list[Roadmap]:
    """Return the roadmaps the caller may see, with their steps in order."""
    return roadmaps.list_roadmaps(uow.conn, caller, country_code=country)


@router.post("/roadmaps", summary="Start a roadmap", status_code=201, responses=REFUSED)
def add_roadmap(body: RoadmapIn, uow: Uow, caller: Caller) -> Roadmap:
    """Start a national implementation roadmap for one requirement."""
    return roadmaps.add_roadmap(
        uow.conn,
        caller,
        country_code=body.country,
        requirement=body.requirement,
        title=body.title,
        marking=body.marking,
        recipients=body.released_to,
    )


@router.get("/roadmaps/{roadmap_id}", summary="Read a roadmap", responses=NOT_FOUND)
def get_roadmap(roadmap_id: Id, uow: Uow, caller: Caller) -> Roadmap:
    """Return a roadmap with its steps in order."""
    return roadmaps.get_roadmap(uow.conn, caller, roadmap_id)


@router.post(
    "/roadmaps/{roadmap_id}/steps",
    summary="Add a step",
    status_code=201,
    responses=NOT_FOUND | REFUSED,
)
def add_step(roadmap_id: Id, body: StepIn, uow: Uow, caller: Caller) -> Step:
    """Add a step at the end of a roadmap, or at a position (later steps move down)."""
    return roadmaps.add_step(
        uow.conn,
        caller,
        roadmap_id,
        title=body.title,
        recommendation=body.recommendation,
        institution=body.institution,
        due=body.due,
        needs=body.needs,
        themes=body.themes,
        position=body.position,
    )


@router.post("/steps/{step_id}", summary="Change a step", responses=NOT_FOUND | REFUSED)
def change_step(step_id: Id, body: StepChange, uow: Uow, caller: Caller) -> Step:
    """Change a step's status, due date or linked needs."""
    return roadmaps.update_step(
        uow.conn, caller, step_id, status=body.status, due=body.due, needs=body.needs
    )


@router.get("/roadmaps/{roadmap_id}/progress", summary="A roadmap's progress", responses=NOT_FOUND)
def roadmap_progress(
    roadmap_id: Id, uow: Uow, caller: Caller, now: Now, lang: Lang = "en"
) -> list[StepProgressOut]:
    """Return each step's progress from the indicators linked to it explicitly: achieved
    against elapsed time, rated red, amber or green, explained."""
    found = roadmaps.get_roadmap(uow.conn, caller, roadmap_id)
    rollups = coordination.roadmap_progress(uow.conn, caller, roadmap_id, now.date())
    return [
        StepProgressOut(
            step=s.id or 0,
            position=s.position,
            title=s.title,
            achieved=rollups[s.id or 0].achieved,
            elapsed=rollups[s.id or 0].elapsed,
            rating=rollups[s.id or 0].rating.value,
            explanation=explain(rollups[s.id or 0].reason, lang),
        )
        for s in found.steps
    ]


# Projects and indicators


@router.get("/projects", summary="Projects and offers the caller may see")
def list_projects(
    uow: Uow,
    caller: Caller,
    country: CountryQ = None,
    live: Annotated[bool, Query(description="Planned and running only")] = False,
    kind: ProjectKind | None = None,
) -> list[Project]:
    """Return the projects and offers the caller may see, with their organisations,
    themes, budgets and results."""
    return projects.list_projects(uow.conn, caller, country_code=country, live_only=live, kind=kind)


@router.get("/projects/{project_id}", summary="Read a project", responses=NOT_FOUND)
def get_project(project_id: Id, uow: Uow, caller: Caller) -> Project:
    """Return a project or offer the caller may see, with its organisations by IATI role,
    themes, DAC codes, beneficiaries, budgets and results."""
    return projects.get_project(uow.conn, caller, project_id)


@router.post(
    "/projects/{project_id}/status", summary="Change a project's status", responses=NOT_FOUND
)
def set_status(
    project_id: Id,
    uow: Uow,
    caller: Caller,
    status: Annotated[ActivityStatus, Query(description="IATI activity status code")],
) -> Project:
    """Change a project's status (its recording agency only)."""
    return projects.set_status(uow.conn, caller, project_id, status)


@router.post("/projects/import", summary="Import projects", responses=REFUSED)
async def import_projects(
    uow: Uow,
    caller: Caller,
    file: Annotated[UploadFile, File(description="IATI 2.03 activity XML or CSV")],
    format: Annotated[str, Query(pattern="^(iati|csv)$")] = "iati",
) -> SavedOut:
    """Import donors' projects from IATI 2.03 activity XML or CSV: saved whole or not at all;
    an activity or row that cannot be read is quarantined with where and why."""
    data = await file.read(UPLOAD_MAX + 1)
    if len(data) > UPLOAD_MAX:
        size = UPLOAD_MAX // (1024 * 1024)
        raise AssistError(
            f"the file is larger than {size} MB", arabic=f"الملف أكبر من {size} ميغابايت"
        )
    name = (file.filename or "upload")[-200:]
    known = records.taxonomy(uow.conn)
    if format == "iati":
        book = exchange.book(uow.conn, caller.agency)
        batch = iati.read_iati(data, name, known, agency=caller.agency, rates=book)
    else:
        batch = csvimport.read_csv(data, name, known, agency=caller.agency)
    saved = projects.save_projects(uow.conn, caller, batch, origin=name)
    return SavedOut(**saved.as_dict())


@router.get(
    "/projects.xml",
    summary="Export projects as IATI",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
def export_projects(uow: Uow, caller: Caller, country: CountryQ = None) -> Response:
    """Return the projects the caller may see as an IATI 2.03 activity XML file."""
    found = projects.list_projects(uow.conn, caller, country_code=country)
    data = iati.write_iati(found, records.taxonomy(uow.conn), generated=datetime.now(UTC))
    return Response(
        data,
        media_type="application/xml",
        headers={"Content-Disposition": 'attachment; filename="projects-iati.xml"'},
    )


# Exchange rates


class RateIn(BaseModel):
    """An exchange rate: one ``base`` is worth ``rate`` of ``quote`` as of ``on``."""

    base: str = Field(min_length=3, max_length=3, description="ISO 4217, e.g. EUR")
    quote: str = Field(min_length=3, max_length=3, description="ISO 4217, e.g. USD")
    rate: float = Field(allow_inf_nan=False, description="What one base is worth in quote")
    on: date = Field(description="The date the rate is as of")
    source: str = Field(max_length=exchange.SOURCE_MAX, description="Where the rate comes from")


@router.get("/rates", summary="Exchange rates")
def list_rates(
    uow: Uow,
    caller: Caller,
    agency: Annotated[str | None, Query(max_length=64, description="One office's")] = None,
) -> list[Rate]:
    """Return the exchange rates the coordination offices recorded (one office's when
    ``agency`` is given), by currency pair and date, each with its source."""
    return exchange.list_rates(uow.conn, caller, agency=agency)


@router.post("/rates", summary="Record an exchange rate", status_code=201, responses=REFUSED)
def add_rate(body: RateIn, uow: Uow, caller: Caller) -> Rate:
    """Record an exchange rate for the caller's coordination office, as a coordination
    officer or supervisor. Matching converts a project's remaining budget into a need's
    currency with the latest rate on or before the day (either way round); an IATI import
    converts spending in another currency the same way."""
    return exchange.add_rate(
        uow.conn, caller, body.base, body.quote, body.rate, body.on, body.source
    )


@router.get("/indicators/{ind_id}", summary="Read an indicator", responses=NOT_FOUND)
def get_indicator(ind_id: Id, uow: Uow, caller: Caller) -> Indicator:
    """Return an indicator (of a need or a project the caller may see) with its actuals."""
    return tracking.get_indicator(uow.conn, caller, ind_id)


@router.post(
    "/indicators/{ind_id}/actuals",
    summary="Report an actual",
    status_code=201,
    responses=NOT_FOUND | REFUSED,
)
def report_actual(ind_id: Id, body: ActualIn, uow: Uow, caller: Caller) -> Indicator:
    """Report an indicator's value at a date (a need's target: its coordinator; a project's
    indicator: its recording agency)."""
    actual = Actual(body.date, body.value, body.note)
    return tracking.report_actual(uow.conn, caller, ind_id, actual)


@router.post(
    "/indicators/{ind_id}/links",
    summary="Link an indicator",
    status_code=204,
    responses=NOT_FOUND | REFUSED,
)
def link_indicator(ind_id: Id, body: LinkIn, uow: Uow, caller: Caller) -> Response:
    """Link an indicator to a need or a roadmap step explicitly, so that its progress rolls
    up there (nothing rolls up without such a link)."""
    tracking.link_indicator(uow.conn, caller, ind_id, need=body.need, step=body.step)
    return Response(status_code=204)


@router.delete(
    "/indicators/{ind_id}/links",
    summary="Unlink an indicator",
    status_code=204,
    responses=NOT_FOUND | REFUSED,
)
def unlink_indicator(
    ind_id: Id,
    uow: Uow,
    caller: Caller,
    need: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    step: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Remove an explicit link of an indicator to a need or a step."""
    tracking.unlink_indicator(uow.conn, caller, ind_id, need=need, step=step)
    return Response(status_code=204)


# Duplication and coverage


@router.get("/duplicates", summary="Duplication flags")
def duplicates(
    uow: Uow,
    caller: Caller,
    country: CountryQ = None,
    min_days: Annotated[int, Query(ge=0, le=3650)] = 90,
) -> list[DuplicateOut]:
    """Return live projects in the same state whose thematic areas and beneficiary
    institutions overlap for longer than `min_days`, with the overlap (funders, budgets,
    dates) and the notes of coordination meetings: flags, not decisions."""
    seen = projects.list_projects(uow.conn, caller)  # read once, for the flags and the notes
    noted = coordination.notes(uow.conn, caller, projects=seen)
    flags = coordination.duplicates(
        uow.conn, caller, country_code=country, min_days=min_days, projects=seen
    )
    return [
        DuplicateOut(
            left=d.left,
            right=d.right,
            country=d.country,
            themes=list(d.themes),
            institutions=list(d.institutions),
            start=d.start,
            end=d.end,
            days=d.days,
            funders=[list(d.funders[0]), list(d.funders[1])],
            budgets=[list(d.budgets[0]), list(d.budgets[1])],
            notes=[
                {"note": n.note, "by": n.by_user, "agency": n.agency, "at": n.at.isoformat()}
                for n in noted.get((d.left, d.right), [])
            ],
        )
        for d in flags
    ]


@router.post(
    "/duplicates/notes", summary="Note on a flag", status_code=201, responses=NOT_FOUND | REFUSED
)
def add_note(body: NoteIn, uow: Uow, caller: Caller) -> dict[str, Any]:
    """Record what a coordination meeting made of a duplication flag."""
    note = coordination.add_note(uow.conn, caller, body.left, body.right, body.note)
    return {"left": note.left, "right": note.right, "note": note.note, "by": note.by_user}


@router.get("/coverage", summary="The needs-coverage matrix")
def coverage(
    uow: Uow,
    caller: Caller,
    country: Annotated[list[str] | None, Query(max_length=300)] = None,
) -> CoverageOut:
    """Return thematic area x state: for each cell with needs, covered (every need has an
    accepted match with a live project), partly or uncovered, with the needs' numbers."""
    matrix = coordination.coverage(uow.conn, caller, countries=country)
    return CoverageOut(
        countries=list(matrix.countries),
        themes=list(matrix.themes),
        cells=[
            CellOut(
                country=c.country,
                theme=c.theme,
                coverage=c.coverage.value,
                needs=list(c.needs),
                covered=list(c.covered),
            )
            for c in matrix.cells.values()
        ],
    )
