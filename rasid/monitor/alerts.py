"""Alerts: on approval, every significant and critical change since the subject's previous
approved assessment (never one caused by the instrument version alone) becomes an alert for
the owning agency's analysts, shown on their dashboard until one of them dismisses it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, record, require
from rasid.monitor import changes
from rasid.monitor.errors import UnknownAssessment
from rasid.monitor.history import previous
from rasid.monitor.model import Assessment, ChangeKind, Subject, SubjectKind
from rasid.store.statements import utcnow
from rasid.store.tables import monitor_alert as alert_t
from rasid.store.tables import monitor_subject as subject_t

ALERTED = (ChangeKind.CRITICAL, ChangeKind.SIGNIFICANT)


@dataclass(frozen=True)
class Alert:
    """A significant or critical change found when an assessment was approved, shown on the
    owning agency's analysts' dashboard until one of them dismisses it."""

    id: int
    subject: Subject
    assessment: int
    change_kind: ChangeKind
    indicator: str
    message: str  # the change's explanation, in English
    created_at: datetime
    dismissed_at: datetime | None = None
    dismissed_by: str | None = None


def raise_alerts(conn: Connection, approved: Assessment) -> int:
    """Store an alert for each significant and critical change from the assessment the
    newly ``approved`` one follows; returns how many."""
    before = previous(conn, approved)
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
        raise UnknownAssessment(f"no alert {alert_id}", arabic=f"لا يوجد تنبيه برقم {alert_id}")
    if row.dismissed_at is None:
        conn.execute(
            update(alert_t)
            .where(alert_t.c.id == alert_id)
            .values(dismissed_at=utcnow(), dismissed_by=principal.name)
        )
    record(conn, principal, "monitor.alert.dismiss", str(alert_id))
