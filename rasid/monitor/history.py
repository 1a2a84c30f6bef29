"""What changed between approved assessments of a subject: each agency's approved (and
superseded) assessments followed in period order, and the changes from each to the next
(``rasid.monitor.changes`` finds and explains them)."""

from itertools import pairwise

from sqlalchemy import Connection

from rasid.access.policy import Principal, record
from rasid.monitor import changes
from rasid.monitor.assessments import FINAL, fetch, load, readable
from rasid.monitor.model import Assessment, ChangeSet
from rasid.monitor.subjects import get_subject
from rasid.store.tables import monitor_assessment as assessment_t


def previous(conn: Connection, assessment: Assessment) -> Assessment | None:
    """The approved assessment this one follows: the one it revises, else the agency's
    latest approved one of the subject for an earlier period (whoever asks: the callers
    check access)."""
    if assessment.revises is not None:
        found = load(conn, [assessment_t.c.id == assessment.revises])
        return found[0] if found else None
    earlier = load(
        conn,
        [
            assessment_t.c.subject == assessment.subject.id,
            assessment_t.c.agency == assessment.agency,
            assessment_t.c.status.in_([s.value for s in FINAL]),
            assessment_t.c.period_start < assessment.period_start,
        ],
    )
    return earlier[0] if earlier else None


def history(conn: Connection, principal: Principal, subject_id: int) -> list[ChangeSet]:
    """The changes between consecutive approved (or superseded) assessments of a subject
    that the caller may read, each agency's assessments followed apart, oldest first."""
    get_subject(conn, principal, subject_id)
    final = [
        assessment_t.c.subject == subject_id,
        assessment_t.c.status.in_([s.value for s in FINAL]),
    ]
    shown = [a for a in load(conn, final) if readable(principal, a)]
    by_agency: dict[str, list[Assessment]] = {}
    for a in sorted(shown, key=lambda a: (a.period_start, a.approved_at or a.period_start, a.id)):
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
    found = fetch(conn, principal, assessment_id)
    if found.revises is None and found.status not in FINAL:
        return None
    before = previous(conn, found)
    if before is None or not readable(principal, before):
        return None
    return changes.compare(before, found)
