"""Technical-assistance coordination in the browser, for callers with the assist scope.

- ``/assist``: the dashboard: the needs-coverage matrix (picture and table; CSV and the PDF
  report), the needs the caller sees with filters, the roadmaps with their progress, the
  duplication flags, recent documents and, for coordinators, the buttons to record.
- ``/assist/needs/new``, ``/assist/needs/{id}``: record a need with its target parameters;
  a need with its targets' progress, the trace from good practice to progress, the
  decisions taken, and the suggested matches with every component of their scores, to
  accept or reject; indicators of accepted projects linked to the need.
- ``/assist/documents/new``, ``/assist/documents/{id}``: visit reports and consultations, as
  the caller may see them (a partial release shows the summary, never the body).
- ``/assist/roadmaps/new``, ``/assist/roadmaps/{id}``: the steps in order with their status,
  needs and linked indicators, the progress chart and the CSV export.
- ``/assist/projects``, ``/assist/projects/{id}``, ``/assist/projects.xml``: projects and
  offers, one project's participants, themes, money and results; the IATI export.
- ``/assist/import``: an IATI XML or CSV file of projects, and what became of each record.
- ``/assist/duplicates``: flags for a coordination meeting, with the notes recorded.

Every form carries the session's CSRF token; a form that works redirects (303) to a page; a
form refused is shown again with the values typed and the reason. The work is done by
``rasid.assist`` (the same functions as the API and the command line), which decides who may
see and do what: unknown or unreleased records are 404, refusals 403.
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, may_coordinate, may_record_project, require
from rasid.assist import coordination, csvimport, iati, records, report, tracking
from rasid.assist import documents as documents_mod
from rasid.assist import needs as needs_mod
from rasid.assist import projects as projects_mod
from rasid.assist import rates as exchange
from rasid.assist import roadmaps as roadmaps_mod
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import (
    Actual,
    DocumentKind,
    MatchStatus,
    NeedStatus,
    Priority,
    ProjectImport,
    ProjectKind,
    Release,
    StepStatus,
)
from rasid.model.errors import worded
from rasid.model.markings import Marking
from rasid.web import assist_views as v
from rasid.web.deps import Caller, Csrf, Now, Uow, check_form
from rasid.web.deps import PathId as Id
from rasid.web.errors import NotFound
from rasid.web.i18n import Translator
from rasid.web.models import MAX_ID
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=40)]
Note = Annotated[str, Form(max_length=4000)]
Partners = Annotated[list[str], Form(max_length=200)]  # agency names, or "*"
IMPORT_MAX = 20 * 1024 * 1024  # bytes of an uploaded file
CSV = "text/csv; charset=utf-8"


def _download(body: str | bytes, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)


def _page(
    request: Request,
    uow: Uow,
    caller: Principal,
    name: str,
    context: Mapping[str, Any],
    status: int = 200,
) -> Response:
    """Render an assist page with what every one of them uses."""
    lang = page_lang(request)
    known = records.taxonomy(uow.conn)
    full = {
        "nav": "assist",
        "taxonomy": known,
        "coordinator": may_coordinate(caller, caller.agency),
        "amount": v.amount,
        "percent": v.percent,
        "when": v.when,
        "country": lambda code: v.country_name(code, lang),
        "theme_text": lambda code: v.theme_text(known, code, lang),
        "problem": None,
        "refusal": "",
        **context,
    }
    if isinstance(full["refusal"], AssistError):  # the service's refusal, in the page's language
        full["refusal"] = worded(full["refusal"], lang)
    return render(request, name, full, status=status)


# The dashboard and its exports


@router.get("/assist", name="assist")
def dashboard(
    request: Request,
    uow: Uow,
    caller: Caller,
    now: Now,
    country: Annotated[str, Query(max_length=8)] = "",
    theme: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    """The dashboard: coverage matrix, needs (filtered by country, theme, status), roadmaps
    with their progress, duplication flags, recent documents."""
    require(caller, Scope.ASSIST)
    filters = {"country": v.country_filter(country), "theme": theme, "status": status}
    context = v.dashboard_context(uow.conn, caller, page_lang(request), now.date(), filters)
    return _page(request, uow, caller, "assist_dashboard.html", context)


@router.get("/assist/coverage.csv")
def coverage_csv(request: Request, uow: Uow, caller: Caller) -> Response:
    """The needs-coverage matrix as CSV, headers in the page's language."""
    require(caller, Scope.ASSIST)
    matrix = coordination.coverage(uow.conn, caller)
    names = v.country_names(matrix.countries)
    text = report.coverage_csv(matrix, records.taxonomy(uow.conn), page_lang(request), names)
    return _download(text, CSV, "coverage.csv")


@router.get("/assist/report.pdf")
def report_pdf(request: Request, uow: Uow, caller: Caller, now: Now) -> Response:
    """The coordination report as PDF: coverage, roadmaps, duplication flags and the traces
    of the needs the caller sees, marked with the most restrictive of their markings."""
    require(caller, Scope.ASSIST)
    lang = page_lang(request)
    title = Translator(lang)("assist.report_title")
    data = report.pdf(lang=lang, title=title, **v.report_arguments(uow.conn, caller, now.date()))
    return _download(data, "application/pdf", "coordination.pdf")


# Changes: done, or shown again with the problem


Failure = v.FormProblem | AssistError | None


def _attempt(conn: Connection, work: Callable[[], object]) -> Failure:
    """Run a change: None when it was done, else the form problem or the service's refusal
    (what it wrote undone; ``_page`` words it in the page's language). Unknown records and
    refusals by the policy go to the error pages (404, 403)."""
    try:
        with v.undone_on_refusal(conn):
            work()
    except v.FormProblem as exc:
        return exc
    except UnknownRecord:
        raise
    except AssistError as exc:
        return exc
    return None


def _failure(failed: Failure) -> dict[str, Any]:
    """The template's ``problem`` (worded by the page) and ``refusal`` (the service's)."""
    if isinstance(failed, v.FormProblem):
        return {"problem": failed, "refusal": ""}
    return {"problem": None, "refusal": failed or ""}


def _back(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


# Needs


def _need_form(
    request: Request,
    uow: Uow,
    caller: Principal,
    values: Mapping[str, Any],
    rows: list[dict[str, str]],
    failed: Failure = None,
) -> Response:
    conn, lang = uow.conn, page_lang(request)
    context = {
        **v.form_choices(conn, caller, lang),
        "form": values,
        "rows": rows + [{} for _ in range(v.BLANK_TARGETS if rows else v.BLANK_TARGETS + 1)],
        "documents": [
            d for d in documents_mod.list_documents(conn, caller) if d.agency == caller.agency
        ],
        **_failure(failed),
    }
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_need_form.html", context, status)


@router.get("/assist/needs/new", name="assist_need_new")
def need_new(
    request: Request,
    uow: Uow,
    caller: Caller,
    document: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The form of a new need, with rows for its target parameters."""
    require(caller, Scope.ASSIST)
    values = v.NeedForm(document=str(document or "")).model_dump()
    return _need_form(request, uow, caller, values, [])


@router.post("/assist/needs")
def need_create(request: Request, uow: Uow, caller: Caller, form: v.PostedNeed) -> Response:
    """Record a need for the caller's agency with its target parameters: the need's page,
    or the form again with the values typed and the reason it was refused."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, form.csrf_token)
    made: list[int] = []

    def work() -> None:
        need = needs_mod.add_need(uow.conn, caller, v.need_of(form, caller.agency))
        made.append(need.id or 0)

    failed = _attempt(uow.conn, work)
    if failed is not None:
        rows = [r for r in form.rows() if any(value for k, value in r.items() if k != "direction")]
        return _need_form(request, uow, caller, form.model_dump(), rows, failed)
    return _back(f"/assist/needs/{made[0]}")


def _need_page(
    request: Request, uow: Uow, caller: Principal, need_id: int, today: date, failed: Failure
) -> Response:
    context = v.need_context(uow.conn, caller, need_id, page_lang(request), today)
    context |= v.release_choices(uow.conn, caller, context["need"].agency, page_lang(request))
    context |= _failure(failed)
    return _page(request, uow, caller, "assist_need.html", context, 422 if failed else 200)


@router.get("/assist/needs/{need_id}", name="assist_need")
def need_page(request: Request, need_id: Id, uow: Uow, caller: Caller, now: Now) -> Response:
    """A need: its targets' progress, the trace from good practice to progress, the
    decisions taken and the suggested matches with every component of their scores."""
    require(caller, Scope.ASSIST)
    return _need_page(request, uow, caller, need_id, now.date(), None)


def _on_need(
    request: Request,
    uow: Uow,
    caller: Principal,
    need_id: int,
    today: date,
    work: Callable[[], object],
    anchor: str = "",
) -> Response:
    """A change on a need's page: the page again (with the refusal when refused)."""
    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _need_page(request, uow, caller, need_id, today, failed)
    return _back(f"/assist/needs/{need_id}{anchor}")


@router.post("/assist/needs/{need_id}/decide")
def need_decide(
    request: Request,
    need_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    project: Short = "",
    decision: Short = "",
    note: Note = "",
) -> Response:
    """Accept a suggested match (linking need and project) or reject it, with a note."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    today = now.date()

    def work() -> None:
        status = v.choice(MatchStatus, decision, "decision")
        chosen = v.form_id(project, "project")
        coordination.decide(uow.conn, caller, need_id, chosen, status, today=today, note=note)

    return _on_need(request, uow, caller, need_id, today, work, "#decisions")


@router.post("/assist/needs/{need_id}/undo")
def need_undo(
    request: Request,
    need_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    project: Short = "",
) -> Response:
    """Withdraw a decision: the project is suggested again."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)

    def work() -> None:
        coordination.undo(uow.conn, caller, need_id, v.form_id(project, "project"))

    return _on_need(request, uow, caller, need_id, now.date(), work, "#matches")


@router.post("/assist/needs/{need_id}/link")
def need_link(
    request: Request,
    need_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    indicator: Short = "",
    unlink: Short = "",
) -> Response:
    """Link an accepted project's indicator to the need (its progress then rolls up to the
    need), or remove the link."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    change = tracking.unlink_indicator if unlink else tracking.link_indicator

    def work() -> None:
        change(uow.conn, caller, v.form_id(indicator, "indicator"), need=need_id)

    return _on_need(request, uow, caller, need_id, now.date(), work, "#accepted")


@router.post("/assist/needs/{need_id}/status")
def need_status(
    request: Request,
    need_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    status: Short = "",
    priority: Short = "",
) -> Response:
    """Change a need's status (open, met, withdrawn) and priority."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)

    def work() -> None:
        needs_mod.update_need(
            uow.conn,
            caller,
            need_id,
            status=v.choice(NeedStatus, status, "status"),
            priority=v.choice(Priority, priority, "priority"),
        )

    return _on_need(request, uow, caller, need_id, now.date(), work)


@router.post("/assist/needs/{need_id}/release")
def need_release(
    request: Request,
    need_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    released_to: Partners = [],  # noqa: B006  (FastAPI copies a form default)
) -> Response:
    """Change which partner agencies (or every partner) may see a need, as its agency's
    coordinator: the need again, or its page with the refusal."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    chosen = [r for r in released_to if r.strip()]

    def work() -> None:
        needs_mod.update_need(uow.conn, caller, need_id, recipients=chosen)

    return _on_need(request, uow, caller, need_id, now.date(), work, "#release-form")


@router.post("/assist/indicators/{indicator_id}/actual")
def report_actual(
    request: Request,
    indicator_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    on: Annotated[str, Form(max_length=12)] = "",
    value: Short = "",
    note: Note = "",
) -> Response:
    """Report an indicator's value at a date: a need's target (by its coordinators) or a
    project's indicator (by its recording agency); then the need or the project again."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    indicator = tracking.get_indicator(uow.conn, caller, indicator_id)
    today = now.date()

    def work() -> None:
        actual = Actual(v.form_date(on, "date"), v.form_number(value, "value"), note.strip())
        tracking.report_actual(uow.conn, caller, indicator_id, actual)

    if indicator.need is not None:
        return _on_need(request, uow, caller, indicator.need, today, work, "#targets")
    project_id = indicator.project or 0
    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _project_page(request, uow, caller, project_id, today, failed)
    return _back(f"/assist/projects/{project_id}#results")


# Documents


def _document_form(
    request: Request, uow: Uow, caller: Principal, values: Mapping[str, Any], failed: Failure
) -> Response:
    context = {
        **v.form_choices(uow.conn, caller, page_lang(request)),
        "form": values,
        "kinds": list(DocumentKind),
        "releases": list(Release),
        **_failure(failed),
    }
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_document_form.html", context, status)


@router.get("/assist/documents/new", name="assist_document_new")
def document_new(request: Request, uow: Uow, caller: Caller) -> Response:
    """The form of a new visit report or consultation, with what partners may see of it."""
    require(caller, Scope.ASSIST)
    return _document_form(request, uow, caller, v.DocumentForm().model_dump(), None)


@router.post("/assist/documents")
def document_create(request: Request, uow: Uow, caller: Caller, form: v.PostedDocument) -> Response:
    """Record a source document for the caller's agency (released to partners in full, in
    part or not at all): its page, or the form again."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, form.csrf_token)
    made: list[int] = []

    def work() -> None:
        found = documents_mod.add_document(
            uow.conn,
            caller,
            country_code=v.required(form.country, "country"),
            kind=v.choice(DocumentKind, form.kind, "kind"),
            title=v.required(form.title, "title"),
            on=v.form_date(form.date, "date"),
            marking=v.choice(Marking, form.marking, "marking"),
            release=v.choice(Release, form.release, "release"),
            recipients=[r for r in form.released_to if r.strip()],
            summary=form.summary,
            body=form.body,
        )
        made.append(found.id or 0)

    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _document_form(request, uow, caller, form.model_dump(), failed)
    return _back(f"/assist/documents/{made[0]}")


@router.get("/assist/documents/{document_id}", name="assist_document")
def document_page(request: Request, document_id: Id, uow: Uow, caller: Caller) -> Response:
    """A document as the caller may see it: all of it, or the title and summary of a
    partial release (the body withheld). The read is in the audit log."""
    require(caller, Scope.ASSIST)
    return _document_page(request, uow, caller, document_id, None)


def _document_page(
    request: Request, uow: Uow, caller: Principal, document_id: int, failed: Failure
) -> Response:
    found = documents_mod.get_document(uow.conn, caller, document_id)
    needs = [n for n in needs_mod.list_needs(uow.conn, caller) if n.document == document_id]
    context = {"document": found, "needs": needs, "mine": found.agency == caller.agency}
    context |= v.release_choices(uow.conn, caller, found.agency, page_lang(request))
    context |= _failure(failed)
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_document.html", context, status)


@router.post("/assist/documents/{document_id}/release")
def document_release(
    request: Request,
    document_id: Id,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    release: Short = "",
    released_to: Partners = [],  # noqa: B006  (FastAPI copies a form default)
    summary: Annotated[str, Form(max_length=records.TEXT_MAX)] = "",
) -> Response:
    """Change what partners may see of a document, as its agency's coordinator: the level
    (none, partial: title and summary, full), the partner agencies (or every partner) and
    the summary of a partial release. The document again, or its page with the refusal."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)

    def work() -> None:
        level = v.choice(Release, release, "release")
        chosen = [r for r in released_to if r.strip()]
        documents_mod.release_document(uow.conn, caller, document_id, level, chosen, summary)

    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _document_page(request, uow, caller, document_id, failed)
    return _back(f"/assist/documents/{document_id}#release-form")


# Roadmaps


def _roadmap_form(
    request: Request, uow: Uow, caller: Principal, values: Mapping[str, Any], failed: Failure
) -> Response:
    context = {
        **v.form_choices(uow.conn, caller, page_lang(request)),
        "form": values,
        **_failure(failed),
    }
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_roadmap_form.html", context, status)


@router.get("/assist/roadmaps/new", name="assist_roadmap_new")
def roadmap_new(request: Request, uow: Uow, caller: Caller) -> Response:
    """The form of a new national implementation roadmap."""
    require(caller, Scope.ASSIST)
    return _roadmap_form(request, uow, caller, v.RoadmapForm().model_dump(), None)


@router.post("/assist/roadmaps")
def roadmap_create(request: Request, uow: Uow, caller: Caller, form: v.PostedRoadmap) -> Response:
    """Start a roadmap for the caller's agency (one state, one requirement): its page, or
    the form again."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, form.csrf_token)
    made: list[int] = []

    def work() -> None:
        found = roadmaps_mod.add_roadmap(
            uow.conn,
            caller,
            country_code=v.required(form.country, "country"),
            requirement=v.required(form.requirement, "requirement"),
            title=v.required(form.title, "title"),
            marking=v.choice(Marking, form.marking, "marking"),
            recipients=[r for r in form.released_to if r.strip()],
        )
        made.append(found.id or 0)

    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _roadmap_form(request, uow, caller, form.model_dump(), failed)
    return _back(f"/assist/roadmaps/{made[0]}")


@router.get("/assist/roadmaps/{roadmap_id}.csv")
def roadmap_csv(request: Request, roadmap_id: Id, uow: Uow, caller: Caller, now: Now) -> Response:
    """A roadmap's steps with their progress as CSV, headers in the page's language."""
    require(caller, Scope.ASSIST)
    found = roadmaps_mod.get_roadmap(uow.conn, caller, roadmap_id)
    rollups = coordination.roadmap_progress(uow.conn, caller, roadmap_id, now.date())
    text = report.roadmap_csv(found, rollups, page_lang(request))
    return _download(text, CSV, f"roadmap-{roadmap_id}.csv")


def _roadmap_page(
    request: Request,
    uow: Uow,
    caller: Principal,
    roadmap_id: int,
    today: date,
    values: Mapping[str, Any] | None = None,
    failed: Failure = None,
) -> Response:
    context = v.roadmap_context(uow.conn, caller, roadmap_id, page_lang(request), today)
    context |= {"form": values or v.StepForm().model_dump(), **_failure(failed)}
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_roadmap.html", context, status)


@router.get("/assist/roadmaps/{roadmap_id}", name="assist_roadmap")
def roadmap_page(request: Request, roadmap_id: Id, uow: Uow, caller: Caller, now: Now) -> Response:
    """A roadmap: its steps in order with their progress, the chart, the form to add one."""
    require(caller, Scope.ASSIST)
    return _roadmap_page(request, uow, caller, roadmap_id, now.date())


@router.post("/assist/roadmaps/{roadmap_id}/steps")
def step_create(
    request: Request, roadmap_id: Id, uow: Uow, caller: Caller, now: Now, form: v.PostedStep
) -> Response:
    """Add a step at the end of a roadmap, with its tailored recommendation, responsible
    institution, due date and needs."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, form.csrf_token)

    def work() -> None:
        roadmaps_mod.add_step(
            uow.conn,
            caller,
            roadmap_id,
            title=v.required(form.title, "title"),
            recommendation=v.required(form.recommendation, "recommendation"),
            institution=v.required(form.institution, "institution"),
            due=v.optional_date(form.due, "due"),
            needs=v.ids(form.needs, "needs"),
            themes=[t for t in form.themes if t],
        )

    failed = _attempt(uow.conn, work)
    if failed is not None:
        values = form.model_dump()
        return _roadmap_page(request, uow, caller, roadmap_id, now.date(), values, failed)
    return _back(f"/assist/roadmaps/{roadmap_id}#steps")


def _on_step(
    request: Request,
    uow: Uow,
    caller: Principal,
    ids: tuple[int, int],
    today: date,
    work: Callable[[], object],
) -> Response:
    """A change on a step of this roadmap: the roadmap again."""
    roadmap_id, step_id = ids
    found = roadmaps_mod.get_roadmap(uow.conn, caller, roadmap_id)
    if step_id not in {s.id for s in found.steps}:
        raise NotFound(f"roadmap {roadmap_id} has no step {step_id}")
    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _roadmap_page(request, uow, caller, roadmap_id, today, None, failed)
    return _back(f"/assist/roadmaps/{roadmap_id}#step-{step_id}")


@router.post("/assist/roadmaps/{roadmap_id}/steps/{step_id}/status")
def step_status(
    request: Request,
    roadmap_id: Id,
    step_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    status: Short = "",
) -> Response:
    """Change a step's status (planned, in progress, done, blocked)."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)

    def work() -> None:
        chosen = v.choice(StepStatus, status, "status")
        roadmaps_mod.update_step(uow.conn, caller, step_id, status=chosen)

    return _on_step(request, uow, caller, (roadmap_id, step_id), now.date(), work)


@router.post("/assist/roadmaps/{roadmap_id}/steps/{step_id}/link")
def step_link(
    request: Request,
    roadmap_id: Id,
    step_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    indicator: Short = "",
    unlink: Short = "",
) -> Response:
    """Link an indicator to a step (its progress then rolls up there), or remove the link."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    change = tracking.unlink_indicator if unlink else tracking.link_indicator

    def work() -> None:
        change(uow.conn, caller, v.form_id(indicator, "indicator"), step=step_id)

    return _on_step(request, uow, caller, (roadmap_id, step_id), now.date(), work)


# Projects


@router.get("/assist/projects", name="assist_projects")
def projects_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    country: Annotated[str, Query(max_length=8)] = "",
    live: Annotated[str, Query(max_length=4)] = "",
    kind: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    """Projects and offers the caller sees, filtered by country, live ones only, and kind."""
    require(caller, Scope.ASSIST)
    wanted = v.country_filter(country)
    found = projects_mod.list_projects(
        uow.conn,
        caller,
        country_code=wanted or None,
        live_only=bool(live),
        kind=ProjectKind(kind) if kind in {k.value for k in ProjectKind} else None,
    )
    context = {
        "projects": found,
        "filters": {"country": wanted, "live": live, "kind": kind},
        "kinds": list(ProjectKind),
        "may_import": may_record_project(caller, caller.agency),
    }
    return _page(request, uow, caller, "assist_projects.html", context)


@router.get("/assist/projects.xml")
def projects_xml(uow: Uow, caller: Caller, now: Now) -> Response:
    """The projects and offers the caller sees as an IATI 2.03 activity file."""
    require(caller, Scope.ASSIST)
    found = projects_mod.list_projects(uow.conn, caller)
    data = iati.write_iati(found, records.taxonomy(uow.conn), generated=now)
    return _download(data, "application/xml", "projects.xml")


def _project_page(
    request: Request, uow: Uow, caller: Principal, project_id: int, today: date, failed: Failure
) -> Response:
    context = v.project_context(uow.conn, caller, project_id, page_lang(request), today)
    context |= _failure(failed)
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_project.html", context, status)


@router.get("/assist/projects/{project_id}", name="assist_project")
def project_page(request: Request, project_id: Id, uow: Uow, caller: Caller, now: Now) -> Response:
    """A project: participants by role, themes, DAC codes, beneficiaries, money, results
    with their indicators' progress, and the form to report a value."""
    require(caller, Scope.ASSIST)
    return _project_page(request, uow, caller, project_id, now.date(), None)


@router.post("/assist/projects/{project_id}/status")
def project_status(
    request: Request,
    project_id: Id,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Csrf = "",
    status: Short = "",
) -> Response:
    """Change a project's IATI activity status (its recording agency only)."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)

    def work() -> None:
        projects_mod.set_status(uow.conn, caller, project_id, v.activity_status(status))

    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _project_page(request, uow, caller, project_id, now.date(), failed)
    return _back(f"/assist/projects/{project_id}")


# Import


def _import_page(
    request: Request,
    uow: Uow,
    caller: Principal,
    saved: projects_mod.Saved | None = None,
    name: str = "",
    failed: Failure = None,
) -> Response:
    context = {"saved": saved, "name": name, **_failure(failed)}
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_import.html", context, status)


@router.get("/assist/import", name="assist_import")
def import_page(request: Request, uow: Uow, caller: Caller) -> Response:
    """The form to import projects from an IATI 2.03 XML or a CSV file."""
    require(caller, Scope.ASSIST)
    return _import_page(request, uow, caller)


def _read(data: bytes, name: str, kind: str, conn: Connection, agency: str) -> ProjectImport:
    """The projects of an uploaded file: IATI XML or CSV, as chosen or as it looks."""
    if kind not in ("iati", "csv"):
        kind = "iati" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "csv"
    known = records.taxonomy(conn)
    if kind == "csv":
        return csvimport.read_csv(data, name, known, agency=agency)
    return iati.read_iati(data, name, known, agency=agency, rates=exchange.book(conn, agency))


@router.post("/assist/import")
def import_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    file: Annotated[UploadFile | None, File()] = None,
    csrf_token: Csrf = "",
    kind: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Import an IATI XML or CSV file of projects for the caller's agency, whole or not at
    all, and show what became of each record. Sending the same file again changes nothing,
    so the outcome is shown in answer to the upload itself."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    name = ((file.filename if file else "") or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    data = file.file.read(IMPORT_MAX + 1) if file is not None else b""
    saved: list[projects_mod.Saved] = []

    def work() -> None:
        if not data:
            raise v.FormProblem("file", "file")
        if len(data) > IMPORT_MAX:
            raise v.FormProblem("too_large", "file", f"{IMPORT_MAX // (1024 * 1024)} MB")
        batch = _read(data, name[:200], kind, uow.conn, caller.agency)
        saved.append(projects_mod.save_projects(uow.conn, caller, batch, origin=name[:200]))

    failed = _attempt(uow.conn, work)
    return _import_page(request, uow, caller, saved[0] if saved else None, name[:200], failed)


# Duplication


def _duplicates_page(
    request: Request, uow: Uow, caller: Principal, failed: Failure = None
) -> Response:
    context = v.duplicates_context(uow.conn, caller, page_lang(request)) | _failure(failed)
    status = 422 if failed else 200
    return _page(request, uow, caller, "assist_duplicates.html", context, status)


@router.get("/assist/duplicates", name="assist_duplicates")
def duplicates_page(request: Request, uow: Uow, caller: Caller) -> Response:
    """The duplication flags: a picture and a table of each pair (funders, budgets, overlap,
    shared themes and institutions), with the notes of coordination meetings."""
    require(caller, Scope.ASSIST)
    return _duplicates_page(request, uow, caller)


@router.get("/assist/duplicates.csv")
def duplicates_csv(request: Request, uow: Uow, caller: Caller) -> Response:
    """The duplication flags as CSV, headers in the page's language."""
    require(caller, Scope.ASSIST)
    flags = coordination.duplicates(uow.conn, caller)
    by_id = coordination.projects_by_id(projects_mod.list_projects(uow.conn, caller))
    return _download(report.duplicates_csv(flags, by_id, page_lang(request)), CSV, "flags.csv")


@router.post("/assist/duplicates/note")
def duplicate_note(
    request: Request,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    left: Short = "",
    right: Short = "",
    note: Note = "",
) -> Response:
    """Record what a coordination meeting made of a flag (the flag itself stays)."""
    require(caller, Scope.ASSIST)
    check_form(request, uow, csrf_token)
    pair: list[int] = []

    def work() -> None:
        pair.extend(sorted((v.form_id(left, "left"), v.form_id(right, "right"))))
        coordination.add_note(uow.conn, caller, pair[0], pair[1], note)

    failed = _attempt(uow.conn, work)
    if failed is not None:
        return _duplicates_page(request, uow, caller, failed)
    return _back(f"/assist/duplicates#flag-{pair[0]}-{pair[1]}")
