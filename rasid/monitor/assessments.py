"""Nexus monitoring in the store: subjects, assessments and their workflow, alerts,
judgements and imported series.

Workflow: an assessment is a draft (rated by its assessor or a colleague of the same
agency), submitted for review, then approved by another person of the agency, which freezes
it with a SHA-256 hash of its content, or sent back to draft with a note. A revision of an
approved assessment starts as a copy of its ratings (carried into the current instrument
version through the version's mapping); its approval makes the revised one superseded. An
approved assessment is never edited: the code refuses it and the database's triggers too.

Access: an assessment belongs to its assessor's agency and carries a TLP marking;
``rasid.access.policy.may_read_assessment`` decides who reads it; only its agency writes.
Every read, write and decision goes to the audit log. Alerts: on approval, every
significant and critical change since the subject's previous approved assessment (never
one caused by the instrument version alone) becomes an alert for the agency's analysts.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from followthemoney import model as ftm
from sqlalchemy import Connection, and_, delete, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, Principal, may_read_assessment, record, require
from rasid.access.policy import visibility as policy_visibility
from rasid.model.errors import ModelError
from rasid.model.gradings import get_scale
from rasid.model.keys import sha256_hex
from rasid.model.markings import Marking
from rasid.monitor import changes, instrument, manifest
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.facts import group_facts
from rasid.monitor.model import (
    Assessment,
    ChangeKind,
    ChangeSet,
    Confidence,
    Evidence,
    EvidenceKind,
    Instrument,
    Judgement,
    Likelihood,
    Manifestation,
    MappingKind,
    Rating,
    Status,
    Subject,
    SubjectKind,
    Suggestions,
    Trend,
)
from rasid.monitor.seriesdb import advice as advice
from rasid.monitor.seriesdb import import_series as import_series
from rasid.settings import get_settings
from rasid.store.entities import get_entity
from rasid.store.statements import utcnow
from rasid.store.tables import monitor_alert as alert_t
from rasid.store.tables import monitor_assessment as assessment_t
from rasid.store.tables import monitor_evidence as evidence_t
from rasid.store.tables import monitor_judgement as judgement_t
from rasid.store.tables import monitor_rating as rating_t
from rasid.store.tables import monitor_subject as subject_t
from rasid.store.tables import statement as statement_t
from rasid.store.uow import insert_id
from rasid.store.visibility import dataset_filter

ALERTED = (ChangeKind.CRITICAL, ChangeKind.SIGNIFICANT)
FINAL = (Status.APPROVED, Status.SUPERSEDED)
TEXT_MAX = 4000


@dataclass(frozen=True)
class Alert:
    """A significant or critical change found when an assessment was approved, shown on the
    owning agency's analysts' dashboard until one of them dismisses it."""

    id: int
    subject: Subject
    assessment: int
    change_kind: ChangeKind
    indicator: str
    message: str
    created_at: datetime
    dismissed_at: datetime | None = None
    dismissed_by: str | None = None


# Subjects


def add_subject(
    conn: Connection,
    principal: Principal,
    kind: SubjectKind,
    name: str,
    name_ar: str,
    *,
    country: str | None = None,
    entity_id: str | None = None,
    parent: int | None = None,
) -> Subject:
    """Add a subject for the caller's agency: a country (ISO 3166-1 alpha-2 code), a region
    (inside a country subject, ``parent``) or a group (an Organization in the store the
    caller may read, ``entity_id``). Names are required in English and Arabic."""
    require(principal, Scope.MONITOR)
    name, name_ar = _text(name, "the English name"), _text(name_ar, "the Arabic name")
    country = country.strip().lower() if country else None
    if kind is SubjectKind.COUNTRY:
        country, entity_id, parent = _country(country), None, None
    elif kind is SubjectKind.REGION:
        if parent is None:
            raise MonitorError("a region names its country subject (parent)")
        above = get_subject(conn, principal, parent)
        if above.kind is not SubjectKind.COUNTRY:
            raise MonitorError(f"subject {parent} is a {above.kind.value}, not a country")
        country, entity_id = above.country, None
    else:
        country, parent = (_country(country) if country else None), None
        entity_id = _group_entity(conn, principal, entity_id)
    _unique_name(conn, principal.agency, kind, name)
    subject_id = insert_id(
        conn,
        subject_t.insert().values(
            kind=kind.value,
            name=name,
            name_ar=name_ar,
            country=country,
            entity_id=entity_id,
            parent=parent,
            created_by=principal.name,
            agency=principal.agency,
            created_at=utcnow(),
        ),
    )
    record(conn, principal, "monitor.subject.add", str(subject_id), kind=kind.value, name=name)
    return Subject(subject_id, kind, name, name_ar, country, entity_id, parent)


def _text(value: str, what: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise MonitorError(f"{what} is required")
    if len(text) > TEXT_MAX:
        raise MonitorError(f"{what} is longer than {TEXT_MAX} characters")
    return text


def _country(code: str | None) -> str:
    if not code or len(code) != 2 or not code.isascii() or not code.isalpha():
        raise MonitorError(f"a country is an ISO 3166-1 alpha-2 code, not {code!r}")
    return code


def _group_entity(conn: Connection, principal: Principal, entity_id: str | None) -> str:
    """The group's entity id, once it is known as an Organization the caller may read."""
    if not entity_id:
        raise MonitorError("a group subject names its Organization entity (entity_id)")
    found = get_entity(conn, entity_id, policy_visibility(conn, principal))
    organization = ftm.get("Organization")
    if found is None or organization is None or not found.schema.is_a(organization):
        raise MonitorError(f"no Organization {entity_id!r} that you may read")
    return found.id


def _unique_name(conn: Connection, agency: str, kind: SubjectKind, name: str) -> None:
    query = select(subject_t.c.id, subject_t.c.name).where(
        subject_t.c.agency == agency, subject_t.c.kind == kind.value
    )
    for found_id, found_name in conn.execute(query):
        if found_name.casefold() == name.casefold():
            raise MonitorError(f"your agency already has a {kind.value} named {name!r}: {found_id}")


def list_subjects(conn: Connection, principal: Principal) -> list[Subject]:
    """The subjects the caller may see: their agency's, and those of which they may read an
    assessment; by kind and name."""
    require(principal, Scope.MONITOR)
    shared = _subjects_with_readable(conn, principal)
    rows = conn.execute(select(subject_t).order_by(subject_t.c.kind, subject_t.c.name))
    found = [_subject(r) for r in rows if r.agency == principal.agency or r.id in shared]
    record(conn, principal, "monitor.subjects.list", count=len(found))
    return found


def get_subject(conn: Connection, principal: Principal, subject_id: int) -> Subject:
    """One subject the caller may see (UnknownAssessment otherwise)."""
    require(principal, Scope.MONITOR)
    row = conn.execute(select(subject_t).where(subject_t.c.id == subject_id)).first()
    visible = row is not None and (
        row.agency == principal.agency or subject_id in _subjects_with_readable(conn, principal)
    )
    record(conn, principal, "monitor.subject.read", str(subject_id), found=visible)
    if row is None or not visible:
        raise UnknownAssessment(f"no subject {subject_id}")
    return _subject(row)


def _subjects_with_readable(conn: Connection, principal: Principal) -> set[int]:
    query = select(assessment_t.c.subject, assessment_t.c.agency, assessment_t.c.marking)
    return {
        s for s, agency, marking in conn.execute(query) if _may_read(principal, agency, marking)
    }


def _may_read(principal: Principal, agency: str, marking: str) -> bool:
    return may_read_assessment(principal, agency, Marking(marking))


def _subject(row: Any) -> Subject:
    return Subject(
        row.id, SubjectKind(row.kind), row.name, row.name_ar, row.country, row.entity_id, row.parent
    )


# Assessments: reading


def get_assessment(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    """One assessment with its ratings, if the caller may read it (UnknownAssessment
    otherwise: a missing and an unreadable one are told apart by no one)."""
    found = _get(conn, principal, assessment_id)
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
    found = [a for a in _load(conn, where) if _readable(principal, a)]
    record(conn, principal, "monitor.assessments.list", str(subject_id or ""), count=len(found))
    return found


def _readable(principal: Principal, assessment: Assessment) -> bool:
    return may_read_assessment(principal, assessment.agency, assessment.marking)


def _get(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    require(principal, Scope.MONITOR)
    found = _load(conn, [assessment_t.c.id == assessment_id])
    if not found or not _readable(principal, found[0]):
        raise UnknownAssessment(f"no assessment {assessment_id}")
    return found[0]


def _load(conn: Connection, where: Sequence[Any]) -> list[Assessment]:
    """Assessments (with subjects and ratings), newest period first."""
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


# Assessments: writing


def create_assessment(
    conn: Connection,
    principal: Principal,
    subject_id: int,
    period_start: date,
    period_end: date,
    *,
    marking: Marking = Marking.AMBER,
    revises: int | None = None,
) -> Assessment:
    """Start a draft assessment of a subject for a period, in the current instrument
    version, owned by the caller's agency. A revision (``revises``: an approved assessment
    of the same subject, of the caller's agency) starts with its ratings, carried into the
    current version through the instrument's mapping; approving it supersedes the one it
    revises."""
    require(principal, Scope.MONITOR)
    subject = get_subject(conn, principal, subject_id)
    if period_end < period_start:
        raise MonitorError(f"the period ends ({period_end}) before it starts ({period_start})")
    current = instrument.load()
    carried: dict[str, Rating] = {}
    if revises is not None:
        base = _revisable(conn, principal, revises, subject_id)
        carried = carry(base.ratings, base.instrument_version, current, subject.kind)
    now = utcnow()
    new_id = insert_id(
        conn,
        assessment_t.insert().values(
            subject=subject_id,
            period_start=period_start,
            period_end=period_end,
            instrument_version=current.version,
            status=Status.DRAFT.value,
            agency=principal.agency,
            marking=Marking(marking).value,
            assessor=principal.name,
            revises=revises,
            created_at=now,
            updated_at=now,
            review_note="",
        ),
    )
    for rating in carried.values():
        _insert_rating(conn, new_id, rating)
    record(conn, principal, "monitor.assessment.create", str(new_id), revises=revises)
    return _get(conn, principal, new_id)


def _revisable(conn: Connection, principal: Principal, revises: int, subject: int) -> Assessment:
    base = _writable(conn, principal, revises)
    if base.status is not Status.APPROVED:
        raise MonitorError(
            f"assessment {revises} is {base.status.value}: only an approved one is revised"
        )
    if base.subject.id != subject:
        raise MonitorError(f"assessment {revises} is of another subject ({base.subject.id})")
    pending = conn.execute(
        select(assessment_t.c.id).where(
            assessment_t.c.revises == revises,
            assessment_t.c.status.in_([Status.DRAFT.value, Status.IN_REVIEW.value]),
        )
    ).first()
    if pending is not None:
        raise MonitorError(f"assessment {revises} already has a revision in progress: {pending[0]}")
    return base


def carry(
    ratings: dict[str, Rating], version: str, target: Instrument, kind: SubjectKind
) -> dict[str, Rating]:
    """Ratings made in instrument ``version`` as they read in ``target``: through each later
    version's mapping (renamed and split indicators keep the rating; a merged one takes the
    highest assessed level of its predecessors; new ones start unrated, removed ones are
    dropped; levels re-anchored where the mapping says so), keeping only indicators that apply
    to the subject's kind."""
    for step in _versions_after(version, target):
        ratings = _step(ratings, step)
    applicable = {i.id for i in instrument.applicable(target, kind)}
    return {k: r for k, r in ratings.items() if k in applicable}


def _versions_after(version: str, target: Instrument) -> list[Instrument]:
    """The instrument versions from the one after ``version`` up to ``target``."""
    chain: list[Instrument] = []
    step: Instrument | None = target
    while step is not None and step.version != version:
        chain.append(step)
        step = instrument.load(step.previous) if step.previous else None
    return chain[::-1] if step is not None else [target]


def _step(ratings: dict[str, Rating], to: Instrument) -> dict[str, Rating]:
    result: dict[str, Rating] = {}
    mapped: set[str] = set()
    for line in to.mapping:
        mapped.update(line.old)
        found = [ratings[o] for o in line.old if o in ratings]
        if not found or line.kind in (MappingKind.NEW, MappingKind.REMOVED):
            continue
        source = max(found, key=lambda r: r.level or 0)
        level = line.rescale.get(source.level, source.level) if source.level else None
        for new in line.new:
            result[new] = replace(source, indicator=new, level=level)
    for key, rating in ratings.items():
        if key not in mapped and key in to.indicators:
            result.setdefault(key, rating)
    return result


def _writable(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    found = _get(conn, principal, assessment_id)
    if found.agency != principal.agency:
        raise Denied(f"assessment {assessment_id} belongs to {found.agency}: only it may change it")
    return found


def _in_status(found: Assessment, *wanted: Status) -> None:
    if found.status not in wanted:
        names = " or ".join(s.value for s in wanted)
        raise MonitorError(
            f"assessment {found.id} is {found.status.value}, not {names}"
            + (": an approved assessment cannot be changed" if found.status in FINAL else "")
        )


def rate(conn: Connection, principal: Principal, assessment_id: int, rating: Rating) -> Assessment:
    """Set one indicator's rating on a draft (replacing any earlier one), checked against
    the assessment's instrument version: a level 1..5 with a confidence, or not assessed
    with a reason; high confidence needs evidence; evidence grades must be of the configured
    grading scale; an entity or statement cited must be one the caller may read."""
    found = _writable(conn, principal, assessment_id)
    _in_status(found, Status.DRAFT)
    version = instrument.load(found.instrument_version)
    instrument.check_rating(version, found.subject.kind, rating)
    rating = replace(rating, evidence=tuple(_checked(conn, principal, rating)))
    rating_ids = select(rating_t.c.id).where(
        rating_t.c.assessment == assessment_id, rating_t.c.indicator == rating.indicator
    )
    conn.execute(delete(evidence_t).where(evidence_t.c.rating.in_(rating_ids)))
    conn.execute(
        delete(rating_t).where(
            rating_t.c.assessment == assessment_id, rating_t.c.indicator == rating.indicator
        )
    )
    _insert_rating(conn, assessment_id, rating)
    _touch(conn, assessment_id)
    record(
        conn,
        principal,
        "monitor.assessment.rate",
        str(assessment_id),
        indicator=rating.indicator,
        level=rating.level,
    )
    return _get(conn, principal, assessment_id)


def _checked(conn: Connection, principal: Principal, rating: Rating) -> Iterable[Evidence]:
    scale = get_scale(get_settings().grading_scale)
    for n, item in enumerate(rating.evidence, 1):
        where = f"{rating.indicator}, evidence {n}"
        try:
            source, info = scale.check_source(item.source_grade), scale.check_info(item.info_grade)
        except ModelError as exc:
            raise MonitorError(f"{where}: {exc}") from None
        if item.kind is EvidenceKind.ENTITY and not _entity_readable(
            conn, principal, item.reference
        ):
            raise MonitorError(f"{where}: no entity {item.reference!r} that you may read")
        if item.kind is EvidenceKind.STATEMENT and not _statement_readable(
            conn, principal, item.reference
        ):
            raise MonitorError(f"{where}: no statement {item.reference!r} that you may read")
        yield replace(item, source_grade=source, info_grade=info)


def _entity_readable(conn: Connection, principal: Principal, entity_id: str) -> bool:
    return get_entity(conn, entity_id, policy_visibility(conn, principal)) is not None


def _statement_readable(conn: Connection, principal: Principal, statement_id: str) -> bool:
    query = select(statement_t.c.id).where(statement_t.c.id == statement_id)
    limit = dataset_filter(policy_visibility(conn, principal))
    if limit is not None:
        query = query.where(limit)
    return conn.execute(query).first() is not None


def _insert_rating(conn: Connection, assessment_id: int, rating: Rating) -> None:
    rating_id = insert_id(
        conn,
        rating_t.insert().values(
            assessment=assessment_id,
            indicator=rating.indicator,
            level=rating.level,
            reason=rating.reason,
            confidence=rating.confidence.value if rating.confidence else None,
            trend=Trend(rating.trend).value,
            rationale=rating.rationale,
        ),
    )
    if rating.evidence:
        conn.execute(
            evidence_t.insert(),
            [
                {
                    "rating": rating_id,
                    "kind": EvidenceKind(e.kind).value,
                    "reference": e.reference,
                    "date": e.date,
                    "source_grade": e.source_grade,
                    "info_grade": e.info_grade,
                    "marking": Marking(e.marking).value,
                    "note": e.note,
                }
                for e in rating.evidence
            ],
        )


def _touch(conn: Connection, assessment_id: int, **values: Any) -> None:
    conn.execute(
        update(assessment_t)
        .where(assessment_t.c.id == assessment_id)
        .values(updated_at=utcnow(), **values)
    )


def submit(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    """Send a draft for review: it needs at least one rating, and every rating must still
    pass the instrument's checks."""
    found = _writable(conn, principal, assessment_id)
    _in_status(found, Status.DRAFT)
    if not found.ratings:
        raise MonitorError(f"assessment {assessment_id} has no rating: nothing to review")
    version = instrument.load(found.instrument_version)
    for rating in found.ratings.values():
        instrument.check_rating(version, found.subject.kind, rating)
    _touch(conn, assessment_id, status=Status.IN_REVIEW.value, submitted_at=utcnow())
    record(conn, principal, "monitor.assessment.submit", str(assessment_id))
    return _get(conn, principal, assessment_id)


def approve(
    conn: Connection, principal: Principal, assessment_id: int, note: str = ""
) -> Assessment:
    """Approve an assessment in review: the reviewer (of the owning agency, with the monitor
    scope) is another person than the assessor. Its content is frozen with a SHA-256 hash;
    the assessment it revises becomes superseded; every significant and critical change
    since the subject's previous approved assessment becomes an alert for the agency."""
    found = _writable(conn, principal, assessment_id)
    _in_status(found, Status.IN_REVIEW)
    if principal.name == found.assessor:
        raise MonitorError(
            f"{principal.name} assessed {assessment_id}: another person must review it"
        )
    if len(note) > TEXT_MAX:
        raise MonitorError(f"the note is longer than {TEXT_MAX} characters")
    digest = content_hash(found)
    _touch(
        conn,
        assessment_id,
        status=Status.APPROVED.value,
        reviewer=principal.name,
        approved_at=utcnow(),
        content_hash=digest,
        review_note=note.strip(),
    )
    if found.revises is not None:
        conn.execute(
            update(assessment_t)
            .where(assessment_t.c.id == found.revises)
            .values(status=Status.SUPERSEDED.value)
        )
    approved = _get(conn, principal, assessment_id)
    raised = _raise_alerts(conn, approved)
    record(
        conn,
        principal,
        "monitor.assessment.approve",
        str(assessment_id),
        hash=digest,
        alerts=raised,
    )
    return approved


def send_back(conn: Connection, principal: Principal, assessment_id: int, note: str) -> Assessment:
    """Return an assessment in review to draft, with a note saying what to change."""
    found = _writable(conn, principal, assessment_id)
    _in_status(found, Status.IN_REVIEW)
    text = _text(note, "a note saying why it is sent back")
    _touch(conn, assessment_id, status=Status.DRAFT.value, submitted_at=None, review_note=text)
    record(conn, principal, "monitor.assessment.send_back", str(assessment_id))
    return _get(conn, principal, assessment_id)


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
    found = _load(conn, [assessment_t.c.id == assessment_id])
    if not found or found[0].content_hash is None:
        return False
    return content_hash(found[0]) == found[0].content_hash


# Changes and alerts


def _previous(conn: Connection, assessment: Assessment) -> Assessment | None:
    """The approved assessment this one follows: the one it revises, else the agency's
    latest approved one of the subject for an earlier period."""
    if assessment.revises is not None:
        found = _load(conn, [assessment_t.c.id == assessment.revises])
        return found[0] if found else None
    earlier = _load(
        conn,
        [
            assessment_t.c.subject == assessment.subject.id,
            assessment_t.c.agency == assessment.agency,
            assessment_t.c.status.in_([s.value for s in FINAL]),
            assessment_t.c.period_start < assessment.period_start,
        ],
    )
    return earlier[0] if earlier else None


def _raise_alerts(conn: Connection, approved: Assessment) -> int:
    before = _previous(conn, approved)
    if before is None:
        return 0
    found = [c for c in changes.compare(before, approved).changes if c.kind in ALERTED]
    now = utcnow()
    if found:
        conn.execute(
            alert_t.insert(),
            [
                {
                    "subject": approved.subject.id,
                    "assessment": approved.id,
                    "agency": approved.agency,
                    "change_kind": c.kind.value,
                    "indicator": c.indicator,
                    "message": c.explanation,
                    "created_at": now,
                }
                for c in found
            ],
        )
    return len(found)


def history(conn: Connection, principal: Principal, subject_id: int) -> list[ChangeSet]:
    """The changes between consecutive approved (or superseded) assessments of a subject
    that the caller may read, each agency's assessments followed apart, oldest first."""
    get_subject(conn, principal, subject_id)
    final = [
        assessment_t.c.subject == subject_id,
        assessment_t.c.status.in_([s.value for s in FINAL]),
    ]
    readable = [a for a in _load(conn, final) if _readable(principal, a)]
    by_agency: dict[str, list[Assessment]] = {}
    for a in sorted(
        readable, key=lambda a: (a.period_start, a.approved_at or a.period_start, a.id)
    ):
        by_agency.setdefault(a.agency, []).append(a)
    pairs = [(x, y) for chain in by_agency.values() for x, y in pairwise(chain)]
    pairs.sort(key=lambda p: (p[1].period_start, p[1].id))
    record(conn, principal, "monitor.history.read", str(subject_id), count=len(pairs))
    return [changes.compare(x, y) for x, y in pairs]


def previous_changes(
    conn: Connection, principal: Principal, assessment_id: int
) -> ChangeSet | None:
    """The changes from the approved assessment this one follows (the one it revises, else
    the agency's latest approved one for an earlier period: what approval raises alerts
    from), when the caller may read it; for a draft, only when it revises one."""
    found = _get(conn, principal, assessment_id)
    if found.revises is None and found.status not in FINAL:
        return None
    before = _previous(conn, found)
    if before is None or not _readable(principal, before):
        return None
    return changes.compare(before, found)


def alerts(
    conn: Connection, principal: Principal, *, include_dismissed: bool = False
) -> list[Alert]:
    """The alerts of the caller's agency (those not dismissed, unless asked), newest first."""
    require(principal, Scope.MONITOR)
    query = (
        select(alert_t, subject_t)
        .join(subject_t, subject_t.c.id == alert_t.c.subject)
        .where(alert_t.c.agency == principal.agency)
        .order_by(alert_t.c.created_at.desc(), alert_t.c.id.desc())
    )
    if not include_dismissed:
        query = query.where(alert_t.c.dismissed_at.is_(None))
    found = [_alert(r) for r in conn.execute(query).mappings()]
    record(conn, principal, "monitor.alerts.list", count=len(found))
    return found


def _alert(row: Any) -> Alert:
    subject = Subject(
        row[subject_t.c.id],
        SubjectKind(row[subject_t.c.kind]),
        row[subject_t.c.name],
        row[subject_t.c.name_ar],
        row[subject_t.c.country],
        row[subject_t.c.entity_id],
        row[subject_t.c.parent],
    )
    return Alert(
        row[alert_t.c.id],
        subject,
        row[alert_t.c.assessment],
        ChangeKind(row[alert_t.c.change_kind]),
        row[alert_t.c.indicator],
        row[alert_t.c.message],
        row[alert_t.c.created_at],
        row[alert_t.c.dismissed_at],
        row[alert_t.c.dismissed_by],
    )


def dismiss_alert(conn: Connection, principal: Principal, alert_id: int) -> None:
    """Dismiss one of the agency's alerts (for every analyst of the agency); dismissing one
    already dismissed changes nothing."""
    require(principal, Scope.MONITOR)
    row = conn.execute(
        select(alert_t.c.agency, alert_t.c.dismissed_at).where(alert_t.c.id == alert_id)
    ).first()
    if row is None or row.agency != principal.agency:
        raise UnknownAssessment(f"no alert {alert_id}")
    if row.dismissed_at is None:
        conn.execute(
            update(alert_t)
            .where(alert_t.c.id == alert_id)
            .values(dismissed_at=utcnow(), dismissed_by=principal.name)
        )
    record(conn, principal, "monitor.alert.dismiss", str(alert_id))


# Manifestations


def suggestions(conn: Connection, principal: Principal, assessment_id: int) -> Suggestions:
    """The ranked manifestation suggestions for an assessment, from its ratings, the
    subject's previous approved assessment (when the caller may read it) and, for a group,
    what the store says about it that the caller may read."""
    found = _get(conn, principal, assessment_id)
    previous = _previous(conn, found)
    if previous is not None and not _readable(principal, previous):
        previous = None
    facts = None
    if found.subject.kind is SubjectKind.GROUP and found.subject.entity_id:
        facts = group_facts(conn, principal, found.subject.entity_id)
    record(conn, principal, "monitor.suggestions.read", str(assessment_id))
    return manifest.suggest(found, previous, facts)


def judge(
    conn: Connection,
    principal: Principal,
    assessment_id: int,
    manifestation: Manifestation,
    likelihood: Likelihood,
    confidence: Confidence,
    rationale: str,
) -> Judgement:
    """Record the analyst's judgement on a manifestation for an assessment of their agency:
    a likelihood term and a confidence level (kept apart, ICD 203) and the rationale."""
    found = _writable(conn, principal, assessment_id)
    text = _text(rationale, "the rationale")
    now = utcnow()
    conn.execute(
        judgement_t.insert().values(
            assessment=found.id,
            manifestation=Manifestation(manifestation).value,
            likelihood=Likelihood(likelihood).value,
            confidence=Confidence(confidence).value,
            rationale=text,
            by_user=principal.name,
            at=now,
        )
    )
    record(
        conn,
        principal,
        "monitor.judge",
        str(assessment_id),
        manifestation=str(manifestation),
        likelihood=str(likelihood),
    )
    return Judgement(found.id, manifestation, likelihood, confidence, text, principal.name, now)


def judgements(conn: Connection, principal: Principal, assessment_id: int) -> list[Judgement]:
    """The judgements recorded for an assessment, oldest first."""
    found = _get(conn, principal, assessment_id)
    query = (
        select(judgement_t).where(judgement_t.c.assessment == found.id).order_by(judgement_t.c.id)
    )
    result = [
        Judgement(
            r.assessment,
            Manifestation(r.manifestation),
            Likelihood(r.likelihood),
            Confidence(r.confidence),
            r.rationale,
            r.by_user,
            r.at,
        )
        for r in conn.execute(query)
    ]
    record(conn, principal, "monitor.judgements.read", str(assessment_id), count=len(result))
    return result
