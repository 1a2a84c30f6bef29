"""The monitoring pages' forms: a new subject or assessment, an indicator rated, a workflow
step (submit, approve, send back), a judgement, an alert dismissed.

Each form carries the session's CSRF token. What the form says is read here (a value that is
not one of the choices is refused in both languages); the work is done by ``rasid.monitor``,
which decides who may do what. A refusal shows the form again with the reason in the page's
language; success redirects to the page that shows the result.
"""

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, require
from rasid.model.errors import worded
from rasid.model.markings import Marking
from rasid.monitor import alerts, judgements, workflow
from rasid.monitor import subjects as subject_store
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.model import (
    Confidence,
    Evidence,
    EvidenceKind,
    Likelihood,
    Manifestation,
    Rating,
    SubjectKind,
    Text,
    Trend,
)
from rasid.web.deps import Caller, Csrf, Uow, check_form
from rasid.web.deps import PathId as Id
from rasid.web.errors import NotFound
from rasid.web.models import MAX_ID
from rasid.web.monitor_view import assessment_page, new_page
from rasid.web.render import page_lang

router = APIRouter(include_in_schema=False)
Note = Annotated[str, Form(max_length=4000)]
Field = Annotated[str, Form(max_length=4000)]
Fields = Annotated[list[str], Form()]
E = TypeVar("E", bound=StrEnum)

SUBJECT = Text("الموضوع", "the subject")
REVISED = Text("التقييم المراجَع", "the assessment revised")
PARENT = Text("بلد المنطقة", "the region's country")


def _form_id(text: str, what: Text) -> int:
    """A subject's or an assessment's number typed in a form."""
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_ID:
        raise MonitorError(
            f"{what.en}: {text!r} is not a number", arabic=f"{what.ar}: {text!r} ليس رقمًا"
        )
    return int(text)


def _date(text: str, what: Text) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise MonitorError(
            f"{what.en}: {text!r} is not a date (YYYY-MM-DD)",
            arabic=f"{what.ar}: {text!r} ليس تاريخًا (YYYY-MM-DD)",
        ) from None


def _choice(kind: type[E], text: str, what: Text) -> E:
    """One of an enumeration's values chosen in a form."""
    try:
        return kind(text)
    except ValueError:
        options = ", ".join(e.value for e in kind)
        raise MonitorError(
            f"{what.en}: {text!r} is not one of {options}",
            arabic=f"{what.ar}: القيمة {text!r} ليست من الخيارات ({options})",
        ) from None


def _marking(text: str, what: Text) -> Marking:
    try:
        return Marking(text)
    except ValueError:
        options = ", ".join(m.value for m in Marking)
        raise MonitorError(
            f"{what.en}: {text!r} is not one of {options}",
            arabic=f"{what.ar}: التصنيف {text!r} ليس من الخيارات ({options})",
        ) from None


@router.post("/monitor/alerts/{alert_id}/dismiss")
def dismiss(
    request: Request, alert_id: Id, uow: Uow, caller: Caller, csrf_token: Csrf = ""
) -> Response:
    """Dismiss an alert of the dashboard."""
    require(caller, Scope.MONITOR)
    check_form(request, uow, csrf_token)
    try:
        alerts.dismiss_alert(uow.conn, caller, alert_id)
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, page_lang(request))) from exc
    return RedirectResponse("/monitor", status_code=303)


def _evidence_item(row: Mapping[str, str], n: int) -> Evidence:
    """One evidence row of the form (number ``n``)."""
    where = Text(f"الدليل {n}", f"evidence item {n}")
    when = None
    if row["ev_date"]:
        when = _date(row["ev_date"], Text(f"{where.ar}، التاريخ", f"{where.en}, date"))
    marking = _marking(row["ev_marking"] or Marking.AMBER.value, where)
    kind = _choice(EvidenceKind, row["ev_kind"] or EvidenceKind.CITATION.value, where)
    return Evidence(
        kind,
        row["ev_reference"],
        when,
        row["ev_source"] or None,
        row["ev_info"] or None,
        marking,
        row["ev_note"],
    )


def _evidence(rows: Mapping[str, list[str]]) -> tuple[Evidence, ...]:
    """The evidence rows of the form; a row left entirely blank is skipped."""
    found = []
    for i in range(len(rows["ev_reference"])):
        row = {k: (v[i].strip() if i < len(v) else "") for k, v in rows.items()}
        if any(row[k] for k in ("ev_reference", "ev_date", "ev_source", "ev_info", "ev_note")):
            found.append(_evidence_item(row, i + 1))
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
    where = Text(f"المؤشر {indicator}", f"indicator {indicator}")
    if level == "":
        raise MonitorError(
            f"{where.en}: choose a level or not assessed",
            arabic=f"{where.ar}: اختر مستوى أو «غير مقيّم»",
        )
    chosen = None if level == "na" else _form_level(level, where)
    trust = _choice(Confidence, confidence, where) if confidence else None
    heading = _choice(Trend, trend or Trend.UNKNOWN.value, where)
    return Rating(indicator, chosen, reason.strip(), trust, heading, rationale.strip(), evidence)


def _form_level(level: str, where: Text) -> int:
    if not level.isdigit():
        raise MonitorError(
            f"{where.en}: the level {level!r} is not a number",
            arabic=f"{where.ar}: المستوى {level!r} ليس رقمًا",
        )
    return int(level)


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
    lang = page_lang(request)
    try:
        evidence = _evidence(rows)
        rating = _rating(indicator, level, reason, confidence, trend, rationale, evidence)
        workflow.rate(uow.conn, caller, assessment_id, rating)
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, lang)) from exc
    except MonitorError as exc:
        return assessment_page(request, uow, caller, assessment_id, worded(exc, lang), 422)
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
    lang = page_lang(request)
    try:
        if action == "submit":
            workflow.submit(uow.conn, caller, assessment_id)
        elif action == "approve":
            workflow.approve(uow.conn, caller, assessment_id, note)
        else:
            workflow.send_back(uow.conn, caller, assessment_id, note)
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, lang)) from exc
    except MonitorError as exc:
        return assessment_page(request, uow, caller, assessment_id, worded(exc, lang), 422)
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
    lang = page_lang(request)
    try:
        chosen = (
            _choice(Manifestation, manifestation, Text("المظهر", "the manifestation")),
            _choice(Likelihood, likelihood, Text("الاحتمال", "the likelihood")),
            _choice(Confidence, confidence, Text("الثقة", "the confidence")),
        )
        judgements.judge(uow.conn, caller, assessment_id, *chosen, rationale.strip())
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, lang)) from exc
    except MonitorError as exc:
        return assessment_page(request, uow, caller, assessment_id, worded(exc, lang), 422)
    return RedirectResponse(f"/monitor/assessments/{assessment_id}#judgements", status_code=303)


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
        made = subject_store.add_subject(
            uow.conn,
            caller,
            _choice(SubjectKind, kind, Text("نوع الموضوع", "the kind of subject")),
            name.strip(),
            name_ar.strip(),
            country=country.strip().lower() or None,
            entity_id=entity_id.strip() or None,
            parent=_form_id(parent, PARENT) if parent.strip() else None,
        )
    except MonitorError as exc:
        return new_page(request, uow, caller, worded(exc, page_lang(request)), status=422)
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
    lang = page_lang(request)
    try:
        made = workflow.create_assessment(
            uow.conn,
            caller,
            _form_id(subject, SUBJECT),
            _date(period_start, Text("بداية الفترة", "the period's start")),
            _date(period_end, Text("نهاية الفترة", "the period's end")),
            marking=_marking(marking, Text("التصنيف", "the marking")),
            revises=_form_id(revises, REVISED) if revises.strip() else None,
        )
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, lang)) from exc
    except MonitorError as exc:
        return new_page(request, uow, caller, worded(exc, lang), status=422)
    return RedirectResponse(f"/monitor/assessments/{made.id}", status_code=303)
