"""Assessments in the store, as read: one or a list with their subjects, ratings and
evidence, who may read them, and the content hash that freezes an approved one.

The other parts of monitoring in the store build on this module: ``subjects`` (countries,
regions, groups), ``workflow`` (draft, rating, review, approval, revision), ``history`` (the
changes between approved assessments), ``alerts`` and ``judgements`` (manifestation
suggestions and the analysts' judgements). ``seriesdb`` keeps the external series.

Access: an assessment belongs to its assessor's agency and carries a TLP marking;
``rasid.access.policy.may_read_assessment`` decides who reads it. An assessment the caller
may not read is told apart from a missing one by no one (``UnknownAssessment`` for both).
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, may_read_assessment, record, require
from rasid.model.keys import sha256_hex
from rasid.model.markings import Marking
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.model import (
    Assessment,
    Confidence,
    Evidence,
    EvidenceKind,
    Rating,
    Status,
    Subject,
    SubjectKind,
    Text,
    Trend,
)
from rasid.store.tables import monitor_assessment as assessment_t
from rasid.store.tables import monitor_evidence as evidence_t
from rasid.store.tables import monitor_rating as rating_t
from rasid.store.tables import monitor_subject as subject_t

FINAL = (Status.APPROVED, Status.SUPERSEDED)
TEXT_MAX = 4000


def required_text(value: str, what: Text) -> str:
    """A text typed by the user with its spaces tidied: refused when empty or longer than
    ``TEXT_MAX`` (``what`` names it in both languages)."""
    text = " ".join((value or "").split())
    if not text:
        raise MonitorError(f"{what.en} is required", arabic=f"يلزم إدخال {what.ar}")
    if len(text) > TEXT_MAX:
        raise MonitorError(
            f"{what.en} is longer than {TEXT_MAX} characters",
            arabic=f"يتجاوز طول {what.ar} الحد الأقصى البالغ {TEXT_MAX} حرف",
        )
    return text


def get_assessment(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    """One assessment with its ratings, if the caller may read it (UnknownAssessment
    otherwise: a missing and an unreadable one are told apart by no one)."""
    found = fetch(conn, principal, assessment_id)
    record(conn, principal, "monitor.assessment.read", str(assessment_id))
    return found


def list_assessments(
    conn: Connection,
    principal: Principal,
    subject_id: int | None = None,
    status: Status | None = None,
) -> list[Assessment]:
    """The assessments the caller may read (of one subject, in one status), newest period
    first."""
    require(principal, Scope.MONITOR)
    where = []
    if subject_id is not None:
        where.append(assessment_t.c.subject == subject_id)
    if status is not None:
        where.append(assessment_t.c.status == status.value)
    found = [a for a in load(conn, where) if readable(principal, a)]
    record(conn, principal, "monitor.assessments.list", str(subject_id or ""), count=len(found))
    return found


def readable(principal: Principal, assessment: Assessment) -> bool:
    """Whether the caller may read the assessment (its agency and marking decide)."""
    return may_read_assessment(principal, assessment.agency, assessment.marking)


def fetch(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    """One assessment the caller may read, without an audit record (the caller's own
    function records what it does with it)."""
    require(principal, Scope.MONITOR)
    found = load(conn, [assessment_t.c.id == assessment_id])
    if not found or not readable(principal, found[0]):
        raise UnknownAssessment(
            f"no assessment {assessment_id}", arabic=f"لا يوجد تقييم برقم {assessment_id}"
        )
    return found[0]


def load(conn: Connection, where: Sequence[Any]) -> list[Assessment]:
    """Assessments (with subjects and ratings) matching ``where``, newest period first, read
    whoever asks (the callers check access)."""
    query = (
        select(assessment_t, subject_t.c.kind)
        .add_columns(subject_t.c.name.label("subject_name"), subject_t.c.name_ar)
        .add_columns(subject_t.c.country, subject_t.c.entity_id, subject_t.c.parent)
        .join(subject_t, subject_t.c.id == assessment_t.c.subject)
        .where(and_(True, *where))
        .order_by(assessment_t.c.period_start.desc(), assessment_t.c.id.desc())
    )
    rows = conn.execute(query).all()
    ratings = _ratings(conn, [r.id for r in rows])
    return [_assessment(r, ratings.get(r.id, {})) for r in rows]


def _assessment(row: Any, ratings: dict[str, Rating]) -> Assessment:
    subject = Subject(
        row.subject,
        SubjectKind(row.kind),
        row.subject_name,
        row.name_ar,
        row.country,
        row.entity_id,
        row.parent,
    )
    return Assessment(
        id=row.id,
        subject=subject,
        period_start=row.period_start,
        period_end=row.period_end,
        instrument_version=row.instrument_version,
        status=Status(row.status),
        agency=row.agency,
        marking=Marking(row.marking),
        assessor=row.assessor,
        reviewer=row.reviewer,
        ratings=ratings,
        revises=row.revises,
        content_hash=row.content_hash,
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        approved_at=row.approved_at,
        review_note=row.review_note,
    )


def _ratings(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Rating]]:
    """Each assessment's ratings by indicator id (evidence in the order it was given)."""
    if not ids:
        return {}
    rows = conn.execute(
        select(rating_t).where(rating_t.c.assessment.in_(ids)).order_by(rating_t.c.id)
    ).all()
    evidence: dict[int, list[Evidence]] = {}
    if rows:
        query = select(evidence_t).where(evidence_t.c.rating.in_([r.id for r in rows]))
        for e in conn.execute(query.order_by(evidence_t.c.id)):
            evidence.setdefault(e.rating, []).append(_evidence(e))
    found: dict[int, dict[str, Rating]] = {}
    for r in rows:
        found.setdefault(r.assessment, {})[r.indicator] = Rating(
            r.indicator,
            r.level,
            r.reason,
            Confidence(r.confidence) if r.confidence else None,
            Trend(r.trend),
            r.rationale,
            tuple(evidence.get(r.id, ())),
        )
    return found


def _evidence(row: Any) -> Evidence:
    return Evidence(
        EvidenceKind(row.kind),
        row.reference,
        row.date,
        row.source_grade,
        row.info_grade,
        Marking(row.marking),
        row.note,
    )


def content_hash(assessment: Assessment) -> str:
    """SHA-256 of the canonical JSON of the assessment's subject, period, instrument version,
    ratings and evidence (keys sorted, ratings by indicator, evidence in the given order)."""
    subject = assessment.subject
    content = {
        "subject": {
            "id": subject.id,
            "kind": subject.kind.value,
            "name": subject.name,
            "name_ar": subject.name_ar,
            "country": subject.country,
            "entity_id": subject.entity_id,
            "parent": subject.parent,
        },
        "period": [assessment.period_start.isoformat(), assessment.period_end.isoformat()],
        "instrument_version": assessment.instrument_version,
        "ratings": [_rating_json(assessment.ratings[k]) for k in sorted(assessment.ratings)],
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256_hex(text)


def _rating_json(rating: Rating) -> dict[str, Any]:
    return {
        "indicator": rating.indicator,
        "level": rating.level,
        "reason": rating.reason,
        "confidence": rating.confidence.value if rating.confidence else None,
        "trend": Trend(rating.trend).value,
        "rationale": rating.rationale,
        "evidence": [
            {
                "kind": EvidenceKind(e.kind).value,
                "reference": e.reference,
                "date": e.date.isoformat() if e.date else None,
                "source_grade": e.source_grade,
                "info_grade": e.info_grade,
                "marking": Marking(e.marking).value,
                "note": e.note,
            }
            for e in rating.evidence
        ],
    }


def verify_hash(conn: Connection, assessment_id: int) -> bool:
    """True when an approved (or superseded) assessment's content still has the hash it was
    approved with; False for a changed one, or one never approved."""
    found = load(conn, [assessment_t.c.id == assessment_id])
    if not found or found[0].content_hash is None:
        return False
    return content_hash(found[0]) == found[0].content_hash
