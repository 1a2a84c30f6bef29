"""Nexus monitoring in the JSON API under /api/monitor: the instrument, subjects,
assessments and their workflow (rate, submit, approve, send back), changes between approved
assessments, manifestation suggestions and judgements, alerts and external series (advice).

Every route needs the `monitor` scope; who reads an assessment is decided by
``rasid.access.policy.may_read_assessment`` (its agency, and every agency for TLP:CLEAR and
TLP:GREEN ones); only its agency changes it. An unknown or unreadable subject or assessment
is 404, a refused step (a bad rating, the assessor approving their own work) 422.
"""

import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.model.markings import Marking
from rasid.monitor import alerts as alert_store
from rasid.monitor import assessments as assessment_store
from rasid.monitor import history, instrument, scoring, seriesdb, workflow
from rasid.monitor import judgements as judgement_store
from rasid.monitor import subjects as subject_store
from rasid.monitor.alerts import Alert
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import (
    Advice,
    Assessment,
    ChangeSet,
    Confidence,
    Judgement,
    Likelihood,
    Manifestation,
    Rating,
    Scores,
    Status,
    Subject,
    SubjectKind,
    Suggestions,
)
from rasid.web.deps import Caller, Uow, scoped
from rasid.web.models import MAX_ID, ErrorOut, signed_in

router = APIRouter(
    prefix="/api/monitor",
    tags=["monitor"],
    dependencies=[scoped(Scope.MONITOR)],
    responses=signed_in(),
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such subject or assessment readable by the caller"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Refused: bad input or a step the workflow forbids"}
}
UPLOAD_MAX = 50 * 1024 * 1024  # bytes of one series file


AssessmentId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The assessment's number")]
SubjectId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The subject's number")]
AlertId = Annotated[int, Path(ge=1, le=MAX_ID, description="The alert's number")]


class SubjectIn(BaseModel):
    """A new subject: a country, a region inside a country subject, or a group."""

    kind: SubjectKind
    name: str = Field(max_length=4000, description="English name")
    name_ar: str = Field(max_length=4000, description="Arabic name")
    country: str | None = Field(default=None, max_length=2, description="ISO 3166-1 alpha-2")
    entity_id: str | None = Field(default=None, max_length=255, description="A group's entity")
    parent: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="A region's country subject"
    )


class AssessmentIn(BaseModel):
    """A new draft assessment (or a revision of an approved one)."""

    subject: int = Field(ge=1, le=MAX_ID)
    period_start: date
    period_end: date
    marking: Marking = Marking.AMBER
    revises: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The approved assessment revised"
    )


class AssessmentOut(BaseModel):
    """An assessment with its factor, pillar and overall scores (coverage beside each)."""

    assessment: Assessment
    scores: Scores
    hash_verified: bool | None = Field(
        description="For an approved or superseded one: whether its content still has its hash"
    )


class NoteIn(BaseModel):
    """A reviewer's note."""

    note: str = Field(default="", max_length=4000)


class JudgementIn(BaseModel):
    """The analyst's judgement: a manifestation, likelihood and confidence kept apart."""

    manifestation: Manifestation
    likelihood: Likelihood
    confidence: Confidence
    rationale: str = Field(max_length=4000)


class ImportOut(BaseModel):
    """What a series import stored and rejected."""

    stored: int
    rejected: list[str] = Field(description='Rows refused, each "FILE:LINE: reason"')


def _out(uow: Uow, found: Assessment) -> AssessmentOut:
    version = instrument.load(found.instrument_version)
    verified = None
    if found.status in (Status.APPROVED, Status.SUPERSEDED):
        verified = assessment_store.verify_hash(uow.conn, found.id)
    scores = scoring.score(version, found.subject.kind, found.ratings)
    return AssessmentOut(assessment=found, scores=scores, hash_verified=verified)


@router.get("/instrument", summary="The monitoring instrument", responses=REFUSED)
def get_instrument(
    version: Annotated[str | None, Query(max_length=32, description="Default: current")] = None,
) -> dict[str, Any]:
    """Return one version of the instrument (default: the current one): its pillars, the
    eleven factors and every indicator with its anchored levels 1..5 in Arabic and
    English, direction, weight, required evidence and the subject kinds it applies to, and
    how it maps to the previous version. `versions` lists every shipped version."""
    if version is not None and version not in instrument.versions():
        known = ", ".join(instrument.versions())
        raise MonitorError(
            f"no instrument version {version!r}: {known}",
            arabic=f"لا يوجد إصدار للأداة باسم {version!r}: {known}",
        )
    found = asdict(instrument.load(version))
    found["versions"] = instrument.versions()
    return found


@router.get("/subjects", response_model=list[Subject], summary="Subjects")
def subjects(uow: Uow, caller: Caller) -> list[Subject]:
    """List the subjects the caller may see: their agency's, and those of which they may
    read an assessment."""
    return subject_store.list_subjects(uow.conn, caller)


@router.post("/subjects", response_model=Subject, summary="Add a subject", responses=REFUSED)
def add_subject(body: SubjectIn, uow: Uow, caller: Caller) -> Subject:
    """Add a subject for the caller's agency: a country (its code), a region (its country
    subject as `parent`) or a group (an Organization entity the caller may read)."""
    return subject_store.add_subject(
        uow.conn,
        caller,
        body.kind,
        body.name,
        body.name_ar,
        country=body.country,
        entity_id=body.entity_id,
        parent=body.parent,
    )


@router.get("/assessments", response_model=list[Assessment], summary="Assessments")
def assessments(
    uow: Uow,
    caller: Caller,
    subject: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this subject's")
    ] = None,
    status: Annotated[Status | None, Query(description="Only in this status")] = None,
) -> list[Assessment]:
    """List the assessments the caller may read, newest period first."""
    return assessment_store.list_assessments(uow.conn, caller, subject, status)


@router.post(
    "/assessments",
    response_model=AssessmentOut,
    summary="Start an assessment",
    responses=NOT_FOUND | REFUSED,
)
def create(body: AssessmentIn, uow: Uow, caller: Caller) -> AssessmentOut:
    """Start a draft assessment of a subject for a period in the current instrument version,
    owned by the caller's agency; with `revises`, a revision of an approved assessment that
    starts with its ratings."""
    found = workflow.create_assessment(
        uow.conn,
        caller,
        body.subject,
        body.period_start,
        body.period_end,
        marking=body.marking,
        revises=body.revises,
    )
    return _out(uow, found)


@router.get(
    "/assessments/{assessment_id}",
    response_model=AssessmentOut,
    summary="One assessment",
    responses=NOT_FOUND,
)
def assessment(assessment_id: AssessmentId, uow: Uow, caller: Caller) -> AssessmentOut:
    """Return an assessment with its ratings, scores with coverage, and for an approved
    one whether its content still matches its hash."""
    return _out(uow, assessment_store.get_assessment(uow.conn, caller, assessment_id))


@router.put(
    "/assessments/{assessment_id}/ratings",
    response_model=AssessmentOut,
    summary="Rate one indicator",
    responses=NOT_FOUND | REFUSED,
)
def rate(assessment_id: AssessmentId, body: Rating, uow: Uow, caller: Caller) -> AssessmentOut:
    """Set one indicator's rating on a draft: a level 1..5 with a confidence, or not
    assessed (`level` null) with a reason; a trend, a rationale and evidence items. High
    confidence without evidence is refused, and so is any change to an approved one."""
    return _out(uow, workflow.rate(uow.conn, caller, assessment_id, body))


@router.post(
    "/assessments/{assessment_id}/submit",
    response_model=AssessmentOut,
    summary="Submit for review",
    responses=NOT_FOUND | REFUSED,
)
def submit(assessment_id: AssessmentId, uow: Uow, caller: Caller) -> AssessmentOut:
    """Send a draft for review: it needs at least one rating, and every rating must still
    pass the instrument's checks."""
    return _out(uow, workflow.submit(uow.conn, caller, assessment_id))


@router.post(
    "/assessments/{assessment_id}/approve",
    response_model=AssessmentOut,
    summary="Approve",
    responses=NOT_FOUND | REFUSED,
)
def approve(assessment_id: AssessmentId, body: NoteIn, uow: Uow, caller: Caller) -> AssessmentOut:
    """Approve an assessment in review (the reviewer is not its assessor): its content is
    frozen by a SHA-256 hash, the assessment it revises is superseded, and significant and
    critical changes become alerts for the agency's analysts."""
    return _out(uow, workflow.approve(uow.conn, caller, assessment_id, body.note))


@router.post(
    "/assessments/{assessment_id}/send-back",
    response_model=AssessmentOut,
    summary="Send back to draft",
    responses=NOT_FOUND | REFUSED,
)
def send_back(assessment_id: AssessmentId, body: NoteIn, uow: Uow, caller: Caller) -> AssessmentOut:
    """Return an assessment in review to draft, with a note (required) saying what to
    change."""
    return _out(uow, workflow.send_back(uow.conn, caller, assessment_id, body.note))


@router.get(
    "/subjects/{subject_id}/changes",
    response_model=list[ChangeSet],
    summary="Changes of a subject",
    responses=NOT_FOUND,
)
def changes(subject_id: SubjectId, uow: Uow, caller: Caller) -> list[ChangeSet]:
    """The changes between consecutive approved assessments of a subject, oldest first;
    a difference caused by a new instrument version is of kind `instrument`, never a
    change on the ground."""
    return history.history(uow.conn, caller, subject_id)


@router.get(
    "/assessments/{assessment_id}/suggestions",
    response_model=Suggestions,
    summary="Manifestation suggestions",
    responses=NOT_FOUND,
)
def suggestions(assessment_id: AssessmentId, uow: Uow, caller: Caller) -> Suggestions:
    """The manifestations ranked by the share of their profile met, with matched and
    missing signals, or `insufficient` when too little was assessed."""
    return judgement_store.suggestions(uow.conn, caller, assessment_id)


@router.get(
    "/assessments/{assessment_id}/judgements",
    response_model=list[Judgement],
    summary="Judgements",
    responses=NOT_FOUND,
)
def judgements(assessment_id: AssessmentId, uow: Uow, caller: Caller) -> list[Judgement]:
    """The analysts' judgements recorded for an assessment, oldest first."""
    return judgement_store.judgements(uow.conn, caller, assessment_id)


@router.post(
    "/assessments/{assessment_id}/judgements",
    response_model=Judgement,
    summary="Record a judgement",
    responses=NOT_FOUND | REFUSED,
)
def judge(assessment_id: AssessmentId, body: JudgementIn, uow: Uow, caller: Caller) -> Judgement:
    """Record the caller's judgement on a manifestation, with a likelihood term and a
    confidence level (ICD 203: kept apart) and a rationale."""
    return judgement_store.judge(
        uow.conn,
        caller,
        assessment_id,
        body.manifestation,
        body.likelihood,
        body.confidence,
        body.rationale,
    )


@router.get("/alerts", response_model=list[Alert], summary="Alerts")
def alerts(
    uow: Uow,
    caller: Caller,
    include_dismissed: Annotated[bool, Query(description="Dismissed ones too")] = False,
) -> list[Alert]:
    """The alerts of the caller's agency: significant and critical changes found when an
    assessment was approved, newest first."""
    return alert_store.alerts(uow.conn, caller, include_dismissed=include_dismissed)


@router.post(
    "/alerts/{alert_id}/dismiss", status_code=204, summary="Dismiss an alert", responses=NOT_FOUND
)
def dismiss(alert_id: AlertId, uow: Uow, caller: Caller) -> None:
    """Dismiss one of the agency's alerts, for every analyst of the agency (dismissing one
    already dismissed changes nothing)."""
    alert_store.dismiss_alert(uow.conn, caller, alert_id)


@router.post("/series", response_model=ImportOut, summary="Import a series", responses=REFUSED)
def import_series(
    uow: Uow, caller: Caller, file: Annotated[UploadFile, File(description="A CSV file")]
) -> ImportOut:
    """Import an external series (CSV: series, region, period, value) for the caller's
    agency. Advice only: a series never sets a score. Rejected rows are listed."""
    data = file.file.read(UPLOAD_MAX + 1)
    if len(data) > UPLOAD_MAX:
        raise MonitorError(
            f"the file is larger than {UPLOAD_MAX} bytes",
            arabic=f"حجم الملف يتجاوز {UPLOAD_MAX} بايت",
        )
    name = Path(file.filename or "series.csv").name or "series.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        stored, rejected = seriesdb.import_series(uow.conn, caller, path)
    return ImportOut(stored=stored, rejected=rejected)


@router.get("/series/advice", response_model=list[Advice], summary="Review suggested")
def advice(
    uow: Uow,
    caller: Caller,
    region: Annotated[str | None, Query(max_length=128, description="Only this region")] = None,
) -> list[Advice]:
    """ "Review suggested": values of the agency's imported series that depart from their
    trailing window. Advice only."""
    return seriesdb.advice(uow.conn, caller, region)
