"""Nexus monitoring in the browser, for callers with the monitor scope.

- ``/monitor``: the dashboard: the caller's alerts, the subjects, the caller's drafts,
  assessments waiting for the caller's review, and advice from external series.
- ``/monitor/subjects/{id}``: a subject's assessments, the radar and the bars of the latest
  approved one, the timeline of approved assessments with their changes, and for a country
  the table of its regions ranked by pillar score; each picture downloadable as SVG (and as
  PNG, drawn in the browser by ``monitor.js``).
- ``/monitor/assessments/{id}``: the form rating each indicator (the five anchored levels as
  the choices, or not assessed with a reason; confidence, trend, rationale, evidence items),
  the workflow buttons (submit, approve, send back, revise), the scores with coverage, the
  changes since the previous assessment and why, the suggested manifestations with matched
  and missing signals, and the judgement form (likelihood and confidence apart). An approved
  assessment is shown read-only with its content hash. ``report.pdf`` is its PDF report.
- ``/monitor/new``: a new subject, or a new assessment of one.

Every form carries the session's CSRF token; the work is done by ``rasid.monitor.assessments``
(the same functions as the API and the command line), which decides who may do what.
"""

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from sqlalchemy import Connection
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, require
from rasid.model.markings import Marking
from rasid.monitor import assessments, charts, report, scoring
from rasid.monitor import instrument as instruments
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.model import (
    Assessment,
    ChangeSet,
    Confidence,
    Evidence,
    EvidenceKind,
    Instrument,
    Likelihood,
    Manifestation,
    Pillar,
    Rating,
    Scores,
    Status,
    Subject,
    SubjectKind,
    Trend,
)
from rasid.web.deps import Caller, Uow, check_form
from rasid.web.errors import NotFound
from rasid.web.models import MAX_ID
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _form_id(text: str) -> int:
    """A subject's or an assessment's number typed in a form (ValueError if it is none)."""
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"no such number: {text}")
    return value


Csrf = Annotated[str, Form(max_length=64)]
Note = Annotated[str, Form(max_length=4000)]
CHARTS = ("radar", "bars", "timeline")
SVG = "image/svg+xml"


def _subject(conn: Connection, caller: Principal, subject_id: int) -> Subject:
    try:
        return assessments.get_subject(conn, caller, subject_id)
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc


def _assessment(conn: Connection, caller: Principal, assessment_id: int) -> Assessment:
    try:
        return assessments.get_assessment(conn, caller, assessment_id)
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc


def _scores(assessment: Assessment) -> tuple[Instrument, Scores]:
    used = instruments.load(assessment.instrument_version)
    return used, scoring.score(used, assessment.subject.kind, assessment.ratings)


def _latest_approved(found: list[Assessment]) -> Assessment | None:
    return next((a for a in found if a.status == Status.APPROVED), None)


@router.get("/monitor", name="monitor")
def dashboard(request: Request, uow: Uow, caller: Caller) -> Response:
    """The monitoring dashboard: alerts, subjects, drafts, reviews waiting, series advice."""
    require(caller, Scope.MONITOR)
    conn = uow.conn
    me = caller.user.name
    drafts = assessments.list_assessments(conn, caller, status=Status.DRAFT)
    waiting = assessments.list_assessments(conn, caller, status=Status.IN_REVIEW)
    context = {
        "nav": "monitor",
        "alerts": assessments.alerts(conn, caller),
        "subjects": assessments.list_subjects(conn, caller),
        "drafts": [a for a in drafts if a.agency == caller.agency],
        "waiting": [a for a in waiting if a.assessor != me],
        "mine_in_review": [a for a in waiting if a.assessor == me],
        "advice": assessments.advice(conn, caller),
    }
    return render(request, "monitor_dashboard.html", context)


@router.post("/monitor/alerts/{alert_id}/dismiss")
def dismiss(
    request: Request, alert_id: Id, uow: Uow, caller: Caller, csrf_token: Csrf = ""
) -> Response:
    """Dismiss an alert of the dashboard."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf_token)
    try:
        assessments.dismiss_alert(uow.conn, caller, alert_id)
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc
    return RedirectResponse("/monitor", status_code=303)


def _timeline_parts(
    conn: Connection, caller: Principal, found: list[Assessment], subject_id: int
) -> tuple[list[Assessment], list[ChangeSet], dict[int, Scores]]:
    shown = [a for a in found if a.status in (Status.APPROVED, Status.SUPERSEDED)]
    history = assessments.history(conn, caller, subject_id)
    return shown, history, {a.id: _scores(a)[1] for a in shown}


def _regions(conn: Connection, caller: Principal, country: Subject) -> list[tuple[Subject, Scores]]:
    """The country's regions with the scores of their latest approved assessment."""
    rows = []
    for region in assessments.list_subjects(conn, caller):
        if region.parent != country.id or region.kind != SubjectKind.REGION:
            continue
        latest = _latest_approved(assessments.list_assessments(conn, caller, region.id))
        if latest is not None:
            rows.append((region, _scores(latest)[1]))
    return rows


def subject_charts(
    conn: Connection, caller: Principal, subject: Subject, lang: str
) -> dict[str, str]:
    """The subject's pictures as SVG text, by name (radar and bars only once approved)."""
    found = assessments.list_assessments(conn, caller, subject.id)
    shown, history, scores = _timeline_parts(conn, caller, found, subject.id)
    pictures = {"timeline": charts.timeline(shown, history, lang, scores)}
    latest = _latest_approved(found)
    if latest is not None:
        used, latest_scores = _scores(latest)
        pictures["radar"] = charts.radar(latest_scores, used, lang)
        pictures["bars"] = charts.bars(latest_scores, used, lang)
    return pictures


@router.get("/monitor/subjects/{subject_id}", name="monitor_subject")
def subject_page(request: Request, subject_id: Id, uow: Uow, caller: Caller) -> Response:
    """A subject: its assessments, pictures of the latest approved one, the timeline, and for
    a country its regions ranked by pillar score."""
    require(caller, Scope.MONITOR)
    lang = page_lang(request)
    subject = _subject(uow.conn, caller, subject_id)
    found = assessments.list_assessments(uow.conn, caller, subject_id)
    pictures = subject_charts(uow.conn, caller, subject, lang)
    table = ""
    if subject.kind == SubjectKind.COUNTRY:
        rows = _regions(uow.conn, caller, subject)
        table = charts.regions_table(rows, instruments.load(), lang) if rows else ""
    context = {
        "nav": "monitor",
        "subject": subject,
        "assessments": found,
        "latest": _latest_approved(found),
        "charts": {k: Markup(v) for k, v in pictures.items()},  # escaped by charts
        "regions": Markup(table),
        "parent": _subject(uow.conn, caller, subject.parent) if subject.parent else None,
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
    subject = _subject(uow.conn, caller, subject_id)
    pictures = subject_charts(uow.conn, caller, subject, page_lang(request))
    if chart not in pictures:
        raise NotFound(f"no approved assessment of subject {subject_id} to draw")
    name = f"monitor-{subject_id}-{chart}.svg"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(pictures[chart], media_type=SVG, headers=headers)


def _groups(used: Instrument, kind: SubjectKind) -> list[dict[str, Any]]:
    """The applicable indicators grouped by pillar, then factor, in the instrument's order."""
    wanted = {i.id for i in instruments.applicable(used, kind)}
    grouped = []
    for pillar in Pillar:
        factors = []
        for factor in used.factors:
            if factor.pillar != pillar:
                continue
            indicators = [used.indicators[i] for i in factor.indicators if i in wanted]
            if indicators:
                factors.append({"factor": factor, "indicators": indicators})
        if factors:
            grouped.append({"pillar": pillar, "label": used.pillars[pillar], "factors": factors})
    return grouped


def _may_edit(caller: Principal, found: Assessment) -> bool:
    return found.status == Status.DRAFT and found.agency == caller.agency


def _assessment_page(
    request: Request,
    uow: Uow,
    caller: Principal,
    assessment_id: int,
    error: str = "",
    status: int = 200,
) -> Response:
    conn = uow.conn
    found = _assessment(conn, caller, assessment_id)
    used, scores = _scores(found)
    lang = page_lang(request)
    context = {
        "nav": "monitor",
        "a": found,
        "instrument": used,
        "groups": _groups(used, found.subject.kind),
        "scores": scores,
        "bars": Markup(charts.bars(scores, used, lang)),  # escaped by charts
        "radar": Markup(charts.radar(scores, used, lang)),
        "changeset": assessments.previous_changes(conn, caller, assessment_id),
        "suggestions": assessments.suggestions(conn, caller, assessment_id),
        "judgements": assessments.judgements(conn, caller, assessment_id),
        "editable": _may_edit(caller, found),
        "may_review": found.status == Status.IN_REVIEW and found.assessor != caller.user.name,
        "error": error,
        "markings": list(Marking),
        "evidence_kinds": list(EvidenceKind),
        "blank_rows": 2,
    }
    return render(request, "monitor_assessment.html", context, status=status)


@router.get("/monitor/assessments/{assessment_id}", name="monitor_assessment")
def assessment_page(request: Request, assessment_id: Id, uow: Uow, caller: Caller) -> Response:
    """An assessment: the rating form (read-only once submitted), scores, changes,
    suggestions and judgements."""
    require(caller, Scope.MONITOR)
    return _assessment_page(request, uow, caller, assessment_id)


def _evidence(rows: Mapping[str, list[str]]) -> tuple[Evidence, ...]:
    """The evidence rows of the form; a row left entirely blank is skipped."""
    found = []
    count = len(rows["ev_reference"])
    for i in range(count):
        row = {k: (v[i].strip() if i < len(v) else "") for k, v in rows.items()}
        if not any(row[k] for k in ("ev_reference", "ev_date", "ev_source", "ev_info", "ev_note")):
            continue
        try:
            when = date.fromisoformat(row["ev_date"]) if row["ev_date"] else None
            marking = Marking(row["ev_marking"] or Marking.AMBER.value)
            kind = EvidenceKind(row["ev_kind"] or EvidenceKind.CITATION.value)
        except ValueError as exc:
            raise MonitorError(f"evidence item {i + 1}: {exc}") from exc
        found.append(
            Evidence(
                kind,
                row["ev_reference"],
                when,
                row["ev_source"] or None,
                row["ev_info"] or None,
                marking,
                row["ev_note"],
            )
        )
    return tuple(found)


def _rating(
    indicator: str,
    level: str,
    reason: str,
    confidence: str,
    trend: str,
    rationale: str,
    evidence: tuple[Evidence, ...],
) -> Rating:
    """The rating the form describes (checked by the workflow, not here)."""
    try:
        chosen = None if level in ("", "na") else int(level)
        trust = Confidence(confidence) if confidence else None
        heading = Trend(trend or Trend.UNKNOWN.value)
    except ValueError as exc:
        raise MonitorError(f"indicator {indicator}: {exc}") from exc
    if chosen is None and level == "":
        raise MonitorError(f"indicator {indicator}: choose a level or not assessed")
    return Rating(indicator, chosen, reason.strip(), trust, heading, rationale.strip(), evidence)


Field = Annotated[str, Form(max_length=4000)]
Fields = Annotated[list[str], Form()]


@router.post("/monitor/assessments/{assessment_id}/rate")
def rate_submit(
    request: Request,
    assessment_id: Id,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    indicator: Annotated[str, Form(max_length=200)] = "",
    level: Annotated[str, Form(max_length=4)] = "",
    reason: Field = "",
    confidence: Annotated[str, Form(max_length=20)] = "",
    trend: Annotated[str, Form(max_length=20)] = "",
    rationale: Field = "",
    ev_kind: Fields = [],  # noqa: B006 (FastAPI copies defaults)
    ev_reference: Fields = [],  # noqa: B006
    ev_date: Fields = [],  # noqa: B006
    ev_source: Fields = [],  # noqa: B006
    ev_info: Fields = [],  # noqa: B006
    ev_marking: Fields = [],  # noqa: B006
    ev_note: Fields = [],  # noqa: B006
) -> Response:
    """Rate one indicator of a draft (or mark it not assessed with a reason)."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf_token)
    rows = {
        "ev_kind": ev_kind,
        "ev_reference": ev_reference,
        "ev_date": ev_date,
        "ev_source": ev_source,
        "ev_info": ev_info,
        "ev_marking": ev_marking,
        "ev_note": ev_note,
    }
    try:
        evidence = _evidence(rows)
        rating = _rating(indicator, level, reason, confidence, trend, rationale, evidence)
        assessments.rate(uow.conn, caller, assessment_id, rating)
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc
    except MonitorError as exc:
        return _assessment_page(request, uow, caller, assessment_id, str(exc), status=422)
    anchor = "#ind-" + indicator.replace(".", "-")
    return RedirectResponse(f"/monitor/assessments/{assessment_id}{anchor}", status_code=303)


def _step(
    request: Request,
    uow: Uow,
    caller: Principal,
    assessment_id: int,
    csrf: str,
    action: str,
    note: str,
) -> Response:
    """One workflow step, then the assessment again (or the refusal beside it)."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf)
    try:
        if action == "submit":
            assessments.submit(uow.conn, caller, assessment_id)
        elif action == "approve":
            assessments.approve(uow.conn, caller, assessment_id, note)
        else:
            assessments.send_back(uow.conn, caller, assessment_id, note)
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc
    except MonitorError as exc:
        return _assessment_page(request, uow, caller, assessment_id, str(exc), status=422)
    return RedirectResponse(f"/monitor/assessments/{assessment_id}", status_code=303)


@router.post("/monitor/assessments/{assessment_id}/submit")
def submit_submit(
    request: Request, assessment_id: Id, uow: Uow, caller: Caller, csrf_token: Csrf = ""
) -> Response:
    """Send a draft for review."""
    return _step(request, uow, caller, assessment_id, csrf_token, "submit", "")


@router.post("/monitor/assessments/{assessment_id}/approve")
def approve_submit(
    request: Request,
    assessment_id: Id,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    note: Note = "",
) -> Response:
    """Approve an assessment in review (another person than its assessor): it is frozen."""
    return _step(request, uow, caller, assessment_id, csrf_token, "approve", note)


@router.post("/monitor/assessments/{assessment_id}/send-back")
def send_back_submit(
    request: Request,
    assessment_id: Id,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    note: Note = "",
) -> Response:
    """Send an assessment in review back to its assessor as a draft, with a note."""
    return _step(request, uow, caller, assessment_id, csrf_token, "send_back", note)


@router.post("/monitor/assessments/{assessment_id}/judge")
def judge_submit(
    request: Request,
    assessment_id: Id,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    manifestation: Annotated[str, Form(max_length=40)] = "",
    likelihood: Annotated[str, Form(max_length=40)] = "",
    confidence: Annotated[str, Form(max_length=20)] = "",
    rationale: Field = "",
) -> Response:
    """Record the analyst's judgement: a manifestation, its likelihood and the confidence."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf_token)
    try:
        chosen = (Manifestation(manifestation), Likelihood(likelihood), Confidence(confidence))
        assessments.judge(uow.conn, caller, assessment_id, *chosen, rationale.strip())
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc
    except (MonitorError, ValueError) as exc:
        return _assessment_page(request, uow, caller, assessment_id, str(exc), status=422)
    return RedirectResponse(f"/monitor/assessments/{assessment_id}#judgements", status_code=303)


@router.get("/monitor/assessments/{assessment_id}/report.pdf")
def report_pdf(request: Request, assessment_id: Id, uow: Uow, caller: Caller) -> Response:
    """The assessment's PDF report, in the page's language."""
    require(caller, Scope.MONITOR)
    found = _assessment(uow.conn, caller, assessment_id)
    used, scores = _scores(found)
    data = report.pdf(
        found,
        used,
        scores,
        assessments.previous_changes(uow.conn, caller, assessment_id),
        assessments.suggestions(uow.conn, caller, assessment_id),
        assessments.judgements(uow.conn, caller, assessment_id),
        page_lang(request),
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
    used, scores = _scores(_assessment(uow.conn, caller, assessment_id))
    draw = charts.radar if chart == "radar" else charts.bars
    name = f"assessment-{assessment_id}-{chart}.svg"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(draw(scores, used, page_lang(request)), media_type=SVG, headers=headers)


def _new_page(
    request: Request, uow: Uow, caller: Principal, error: str = "", status: int = 200
) -> Response:
    subjects = assessments.list_subjects(uow.conn, caller)
    context = {
        "nav": "monitor",
        "subjects": subjects,
        "countries": [s for s in subjects if s.kind == SubjectKind.COUNTRY],
        "kinds": list(SubjectKind),
        "markings": list(Marking),
        "chosen": request.query_params.get("subject", ""),
        "error": error,
    }
    return render(request, "monitor_new.html", context, status=status)


@router.get("/monitor/new", name="monitor_new")
def new_page(request: Request, uow: Uow, caller: Caller) -> Response:
    """The forms for a new subject and a new assessment."""
    require(caller, Scope.MONITOR)
    return _new_page(request, uow, caller)


@router.post("/monitor/subjects")
def subject_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    name: Annotated[str, Form(max_length=300)] = "",
    name_ar: Annotated[str, Form(max_length=300)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    entity_id: Annotated[str, Form(max_length=255)] = "",
    parent: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Add a subject: a country, a region of a country subject, or a group (an entity)."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf_token)
    try:
        made = assessments.add_subject(
            uow.conn,
            caller,
            SubjectKind(kind),
            name.strip(),
            name_ar.strip(),
            country=country.strip().lower() or None,
            entity_id=entity_id.strip() or None,
            parent=_form_id(parent) if parent.strip() else None,
        )
    except (MonitorError, ValueError) as exc:
        return _new_page(request, uow, caller, str(exc), status=422)
    return RedirectResponse(f"/monitor/subjects/{made.id}", status_code=303)


@router.post("/monitor/assessments")
def assessment_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    csrf_token: Csrf = "",
    subject: Annotated[str, Form(max_length=12)] = "",
    period_start: Annotated[str, Form(max_length=10)] = "",
    period_end: Annotated[str, Form(max_length=10)] = "",
    marking: Annotated[str, Form(max_length=20)] = Marking.AMBER.value,
    revises: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Start a draft assessment of a subject for a period, or a revision of an approved one
    (which starts as a copy of its ratings)."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf_token)
    try:
        made = assessments.create_assessment(
            uow.conn,
            caller,
            _form_id(subject),
            date.fromisoformat(period_start),
            date.fromisoformat(period_end),
            marking=Marking(marking),
            revises=_form_id(revises) if revises.strip() else None,
        )
    except UnknownAssessment as exc:
        raise NotFound(str(exc)) from exc
    except (MonitorError, ValueError) as exc:
        return _new_page(request, uow, caller, str(exc), status=422)
    return RedirectResponse(f"/monitor/assessments/{made.id}", status_code=303)
