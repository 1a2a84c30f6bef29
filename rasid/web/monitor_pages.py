"""Nexus monitoring in the browser, for callers with the monitor scope.

- ``/monitor``: the dashboard: the caller's alerts, the subjects, the caller's drafts,
  assessments waiting for the caller's review, and advice from external series.
- ``/monitor/subjects/{id}``: a subject's assessments, the radar and the bars of the latest
  approved one, the timeline of approved assessments, every change between them and why,
  and for a country the table of its regions ranked by pillar score; each picture
  downloadable as SVG (and as PNG, drawn in the browser by ``monitor.js``).
- ``/monitor/assessments/{id}``: the form rating each indicator (the five anchored levels as
  the choices, or not assessed with a reason; confidence, trend, rationale, evidence items),
  the workflow buttons (submit, approve, send back, revise), the scores with coverage, the
  changes since the previous assessment and why, the suggested manifestations with matched
  and missing signals, and the judgement form (likelihood and confidence apart). An approved
  assessment is shown read-only with its content hash. ``report.pdf`` is its PDF report.
- ``/monitor/new``: a new subject, or a new assessment of one.

Every explanation and every refusal is worded in the page's language. The forms are handled
by ``rasid.web.monitor_forms``; the work is done by ``rasid.monitor`` (the same functions as
the API and the command line), which decides who may do what.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from markupsafe import Markup
from sqlalchemy import Connection
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, require
from rasid.monitor import alerts, assessments, charts, history, judgements, report, seriesdb
from rasid.monitor import instrument as instruments
from rasid.monitor import subjects as subject_store
from rasid.monitor import timeline as drawn
from rasid.monitor.model import Assessment, ChangeSet, Scores, Status, Subject, SubjectKind
from rasid.web import monitor_forms
from rasid.web.deps import Caller, Uow
from rasid.web.deps import PathId as Id
from rasid.web.errors import NotFound
from rasid.web.monitor_view import (
    Words,
    alert_messages,
    assessment_or_404,
    assessment_page,
    latest_approved,
    new_page,
    scored,
    subject_or_404,
)
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)
SVG = "image/svg+xml"
FINAL = (Status.APPROVED, Status.SUPERSEDED)


@router.get("/monitor", name="monitor")
def dashboard(request: Request, uow: Uow, caller: Caller) -> Response:
    """The monitoring dashboard: alerts, subjects, drafts, reviews waiting, series advice."""
    require(caller, Scope.MONITOR)
    conn = uow.conn
    me = caller.user.name
    lang = page_lang(request)
    drafts = assessments.list_assessments(conn, caller, status=Status.DRAFT)
    waiting = assessments.list_assessments(conn, caller, status=Status.IN_REVIEW)
    raised = alerts.alerts(conn, caller)
    context = {
        "nav": "monitor",
        "alerts": raised,
        "alert_messages": alert_messages(conn, caller, raised, lang),
        "subjects": subject_store.list_subjects(conn, caller),
        "drafts": [a for a in drafts if a.agency == caller.agency],
        "waiting": [a for a in waiting if a.assessor != me],
        "mine_in_review": [a for a in waiting if a.assessor == me],
        "advice": seriesdb.advice(conn, caller),
        "words": Words(lang),
    }
    return render(request, "monitor_dashboard.html", context)


def _timeline_parts(
    conn: Connection, caller: Principal, found: list[Assessment], subject_id: int
) -> tuple[list[Assessment], list[ChangeSet], dict[int, Scores]]:
    """The subject's approved (and superseded) assessments, the changes between them and
    their scores: what the timeline draws."""
    shown = [a for a in found if a.status in FINAL]
    changes = history.history(conn, caller, subject_id)
    return shown, changes, {a.id: scored(a)[1] for a in shown}


def _regions(conn: Connection, caller: Principal, country: Subject) -> list[tuple[Subject, Scores]]:
    """The country's regions with the scores of their latest approved assessment."""
    rows = []
    for region in subject_store.list_subjects(conn, caller):
        if region.parent != country.id or region.kind != SubjectKind.REGION:
            continue
        latest = latest_approved(assessments.list_assessments(conn, caller, region.id))
        if latest is not None:
            rows.append((region, scored(latest)[1]))
    return rows


def subject_charts(
    conn: Connection, caller: Principal, subject: Subject, lang: str
) -> tuple[dict[str, str], list[ChangeSet]]:
    """The subject's pictures as SVG text, by name (radar and bars only once approved), and
    the changes between its approved assessments."""
    found = assessments.list_assessments(conn, caller, subject.id)
    shown, changes, scores = _timeline_parts(conn, caller, found, subject.id)
    pictures = {"timeline": charts.timeline(shown, changes, lang, scores)}
    latest = latest_approved(found)
    if latest is not None:
        used, latest_scores = scored(latest)
        pictures["radar"] = charts.radar(latest_scores, used, lang)
        pictures["bars"] = charts.bars(latest_scores, used, lang)
    return pictures, changes


@router.get("/monitor/subjects/{subject_id}", name="monitor_subject")
def subject_page(request: Request, subject_id: Id, uow: Uow, caller: Caller) -> Response:
    """A subject: its assessments, pictures of the latest approved one, the timeline and
    the changes between approved assessments, and for a country its regions ranked by
    pillar score."""
    require(caller, Scope.MONITOR)
    lang = page_lang(request)
    subject = subject_or_404(uow.conn, caller, subject_id, lang)
    found = assessments.list_assessments(uow.conn, caller, subject_id)
    pictures, changes = subject_charts(uow.conn, caller, subject, lang)
    table = ""
    if subject.kind == SubjectKind.COUNTRY:
        rows = _regions(uow.conn, caller, subject)
        table = charts.regions_table(rows, instruments.load(), lang) if rows else ""
    parent = subject_or_404(uow.conn, caller, subject.parent, lang) if subject.parent else None
    context = {
        "nav": "monitor",
        "subject": subject,
        "assessments": found,
        "latest": latest_approved(found),
        "charts": {k: Markup(v) for k, v in pictures.items()},  # escaped by charts
        "history": list(reversed(changes)),  # newest first, as the assessments are listed
        "regions": Markup(table),
        "parent": parent,
        "words": Words(lang),
    }
    return render(request, "monitor_subject.html", context)


@router.get("/monitor/subjects/{subject_id}/{chart}.svg")
def subject_chart(
    request: Request,
    subject_id: Id,
    chart: Annotated[str, Path(pattern="^(radar|bars|timeline)$")],
    uow: Uow,
    caller: Caller,
) -> Response:
    """One of the subject's pictures as an SVG file, in the page's language."""
    require(caller, Scope.MONITOR)
    lang = page_lang(request)
    subject = subject_or_404(uow.conn, caller, subject_id, lang)
    pictures, _ = subject_charts(uow.conn, caller, subject, lang)
    if chart not in pictures:
        message = {
            "ar": f"لا تقييم معتمد للموضوع {subject_id} لرسمه",
            "en": f"no approved assessment of subject {subject_id} to draw",
        }
        raise NotFound(message["ar" if lang == "ar" else "en"])
    name = f"monitor-{subject_id}-{chart}.svg"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(pictures[chart], media_type=SVG, headers=headers)


@router.get("/monitor/assessments/{assessment_id}", name="monitor_assessment")
def assessment_view(request: Request, assessment_id: Id, uow: Uow, caller: Caller) -> Response:
    """An assessment: the rating form (read-only once submitted), scores, changes,
    suggestions and judgements."""
    require(caller, Scope.MONITOR)
    return assessment_page(request, uow, caller, assessment_id)


def _report_timeline(
    conn: Connection, caller: Principal, found: Assessment, lang: str
) -> drawn.Plan:
    """The timeline of the assessment's subject: its approved assessments the caller may
    read and the changes between them."""
    listed = assessments.list_assessments(conn, caller, found.subject.id)
    shown, changes, scores = _timeline_parts(conn, caller, listed, found.subject.id)
    return drawn.plan(shown, changes, lang, scores)


@router.get("/monitor/assessments/{assessment_id}/report.pdf")
def report_pdf(request: Request, assessment_id: Id, uow: Uow, caller: Caller) -> Response:
    """The assessment's PDF report, in the page's language."""
    require(caller, Scope.MONITOR)
    lang = page_lang(request)
    found = assessment_or_404(uow.conn, caller, assessment_id, lang)
    used, scores = scored(found)
    data = report.pdf(
        found,
        used,
        scores,
        history.previous_changes(uow.conn, caller, assessment_id),
        judgements.suggestions(uow.conn, caller, assessment_id),
        judgements.judgements(uow.conn, caller, assessment_id),
        lang,
        timeline=_report_timeline(uow.conn, caller, found, lang),
    )
    name = f"assessment-{assessment_id}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/monitor/assessments/{assessment_id}/{chart}.svg")
def assessment_chart(
    request: Request,
    assessment_id: Id,
    chart: Annotated[str, Path(pattern="^(radar|bars)$")],
    uow: Uow,
    caller: Caller,
) -> Response:
    """The assessment's radar or bars as an SVG file, in the page's language."""
    require(caller, Scope.MONITOR)
    lang = page_lang(request)
    used, scores = scored(assessment_or_404(uow.conn, caller, assessment_id, lang))
    draw = charts.radar if chart == "radar" else charts.bars
    name = f"assessment-{assessment_id}-{chart}.svg"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(draw(scores, used, lang), media_type=SVG, headers=headers)


@router.get("/monitor/new", name="monitor_new")
def new_view(request: Request, uow: Uow, caller: Caller) -> Response:
    """The forms for a new subject and a new assessment."""
    require(caller, Scope.MONITOR)
    return new_page(request, uow, caller)


router.include_router(monitor_forms.router)
