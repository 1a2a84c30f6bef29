"""The workflow of an assessment: a draft, rated by its assessor or a colleague of the same
agency, submitted for review, then approved by another person of the agency, which freezes
it with a SHA-256 hash of its content, or sent back to draft with a note.

A revision of an approved assessment starts as a copy of its ratings (carried into the
current instrument version through the version's mapping); its approval makes the revised
one superseded. An approved assessment is never edited: the code refuses it and the
database's triggers too. Only the owning agency changes an assessment; every write and
decision goes to the audit log. On approval, every significant and critical change since
the subject's previous approved assessment becomes an alert (``rasid.monitor.alerts``).
"""

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, Principal, record, require
from rasid.access.policy import visibility as policy_visibility
from rasid.model.errors import ModelError
from rasid.model.gradings import get_scale
from rasid.model.markings import Marking
from rasid.monitor import alerts, instrument
from rasid.monitor.assessments import FINAL, TEXT_MAX, content_hash, fetch, required_text
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import (
    Assessment,
    Evidence,
    EvidenceKind,
    Instrument,
    MappingKind,
    Rating,
    Status,
    SubjectKind,
    Text,
    Trend,
)
from rasid.monitor.subjects import get_subject
from rasid.monitor.wording import value
from rasid.settings import get_settings
from rasid.store.entities import get_entity
from rasid.store.statements import utcnow
from rasid.store.tables import monitor_assessment as assessment_t
from rasid.store.tables import monitor_evidence as evidence_t
from rasid.store.tables import monitor_rating as rating_t
from rasid.store.tables import statement as statement_t
from rasid.store.uow import insert_id
from rasid.store.visibility import dataset_filter

Check = Callable[[str | None], str | None]  # a grading scale's check of a grade
SEND_BACK_NOTE = Text("ملاحظة تبيّن سبب الإعادة", "a note saying why it is sent back")


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
        raise MonitorError(
            f"the period ends ({period_end}) before it starts ({period_start})",
            arabic=f"نهاية الفترة ({period_end}) تسبق بدايتها ({period_start})",
        )
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
    return fetch(conn, principal, new_id)


def _revisable(conn: Connection, principal: Principal, revises: int, subject: int) -> Assessment:
    base = writable(conn, principal, revises)
    if base.status is not Status.APPROVED:
        status = value("status", base.status.value)
        raise MonitorError(
            f"assessment {revises} is {status.en}: only an approved one is revised",
            arabic=f"التقييم {revises} حالته {status.ar}: لا يُراجَع إلا تقييم معتمد",
        )
    if base.subject.id != subject:
        raise MonitorError(
            f"assessment {revises} is of another subject ({base.subject.id})",
            arabic=f"التقييم {revises} يخص موضوعًا آخر ({base.subject.id})",
        )
    pending = conn.execute(
        select(assessment_t.c.id).where(
            assessment_t.c.revises == revises,
            assessment_t.c.status.in_([Status.DRAFT.value, Status.IN_REVIEW.value]),
        )
    ).first()
    if pending is not None:
        raise MonitorError(
            f"assessment {revises} already has a revision in progress: {pending[0]}",
            arabic=f"للتقييم {revises} مراجعة جارية بالفعل: {pending[0]}",
        )
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


def writable(conn: Connection, principal: Principal, assessment_id: int) -> Assessment:
    """An assessment the caller may read and change (Denied unless it is their agency's)."""
    found = fetch(conn, principal, assessment_id)
    if found.agency != principal.agency:
        raise Denied(
            f"assessment {assessment_id} belongs to {found.agency}: only it may change it",
            arabic=f"التقييم {assessment_id} تابع لجهة {found.agency}: هي وحدها تعدّله",
        )
    return found


def _in_status(found: Assessment, *wanted: Status) -> None:
    if found.status in wanted:
        return
    now = value("status", found.status.value)
    names = [value("status", s.value) for s in wanted]
    frozen = found.status in FINAL
    raise MonitorError(
        f"assessment {found.id} is {now.en}, not {' or '.join(n.en for n in names)}"
        + (": an approved assessment cannot be changed" if frozen else ""),
        arabic=f"التقييم {found.id} حالته {now.ar}، لا {' أو '.join(n.ar for n in names)}"
        + (": لا يمكن تعديل تقييم معتمد" if frozen else ""),
    )


def rate(conn: Connection, principal: Principal, assessment_id: int, rating: Rating) -> Assessment:
    """Set one indicator's rating on a draft (replacing any earlier one), checked against
    the assessment's instrument version: a level 1..5 with a confidence, or not assessed
    with a reason; high confidence needs evidence; evidence grades must be of the configured
    grading scale; an entity or statement cited must be one the caller may read."""
    found = writable(conn, principal, assessment_id)
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
    return fetch(conn, principal, assessment_id)


def _checked(conn: Connection, principal: Principal, rating: Rating) -> Iterable[Evidence]:
    scale = get_scale(get_settings().grading_scale)
    for n, item in enumerate(rating.evidence, 1):
        where = Text(f"{rating.indicator}، الدليل {n}", f"{rating.indicator}, evidence {n}")
        source = _grade(scale.check_source, item.source_grade, where, Text("المصدر", "source"))
        info = _grade(scale.check_info, item.info_grade, where, Text("المعلومة", "information"))
        if item.kind is EvidenceKind.ENTITY and not _entity_readable(
            conn, principal, item.reference
        ):
            raise MonitorError(
                f"{where.en}: no entity {item.reference!r} that you may read",
                arabic=f"{where.ar}: لا يوجد كيان {item.reference!r} مما يحق لك الاطلاع عليه",
            )
        if item.kind is EvidenceKind.STATEMENT and not _statement_readable(
            conn, principal, item.reference
        ):
            raise MonitorError(
                f"{where.en}: no statement {item.reference!r} that you may read",
                arabic=f"{where.ar}: لا توجد إفادة {item.reference!r} مما يحق لك الاطلاع عليها",
            )
        yield replace(item, source_grade=source, info_grade=info)


def _grade(check: Check, code: str | None, where: Text, what: Text) -> str | None:
    """A grade checked against the configured scale (``check`` is its source or information
    check), refused with the scale's own message and the evidence item named."""
    try:
        return check(code)
    except ModelError as exc:
        raise MonitorError(
            f"{where.en}: {exc}",
            arabic=f"{where.ar}: تقدير {what.ar} {code!r} ليس في سلّم التقدير المعتمد",
        ) from None


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
    found = writable(conn, principal, assessment_id)
    _in_status(found, Status.DRAFT)
    if not found.ratings:
        raise MonitorError(
            f"assessment {assessment_id} has no rating: nothing to review",
            arabic=f"التقييم {assessment_id} بلا أي تقدير: لا شيء للمراجعة",
        )
    version = instrument.load(found.instrument_version)
    for rating in found.ratings.values():
        instrument.check_rating(version, found.subject.kind, rating)
    _touch(conn, assessment_id, status=Status.IN_REVIEW.value, submitted_at=utcnow())
    record(conn, principal, "monitor.assessment.submit", str(assessment_id))
    return fetch(conn, principal, assessment_id)


def approve(
    conn: Connection, principal: Principal, assessment_id: int, note: str = ""
) -> Assessment:
    """Approve an assessment in review: the reviewer (of the owning agency, with the monitor
    scope) is another person than the assessor. Its content is frozen with a SHA-256 hash;
    the assessment it revises becomes superseded; every significant and critical change
    since the subject's previous approved assessment becomes an alert for the agency."""
    found = writable(conn, principal, assessment_id)
    _in_status(found, Status.IN_REVIEW)
    if principal.name == found.assessor:
        raise MonitorError(
            f"{principal.name} assessed {assessment_id}: another person must review it",
            arabic=f"{principal.name} هو من أعدّ التقييم {assessment_id}: يجب أن يراجعه شخص آخر",
        )
    if len(note) > TEXT_MAX:
        raise MonitorError(
            f"the note is longer than {TEXT_MAX} characters",
            arabic=f"يتجاوز طول الملاحظة الحد الأقصى البالغ {TEXT_MAX} حرف",
        )
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
    approved = fetch(conn, principal, assessment_id)
    raised = alerts.raise_alerts(conn, approved)
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
    found = writable(conn, principal, assessment_id)
    _in_status(found, Status.IN_REVIEW)
    text = required_text(note, SEND_BACK_NOTE)
    _touch(conn, assessment_id, status=Status.DRAFT.value, submitted_at=None, review_note=text)
    record(conn, principal, "monitor.assessment.send_back", str(assessment_id))
    return fetch(conn, principal, assessment_id)
