"""Where retention stands: per dataset, its class, what is masked and due now, what is
masked and deleted next and when; and the runs so far."""

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from rasid.access.accounts import Role, Scope
from rasid.access.policy import Denied, Principal
from rasid.access.registry import list_datasets
from rasid.model.registry import Dataset
from rasid.model.retention import Period, get_retention_class
from rasid.retention.mask import masked_props
from rasid.retention.periods import due_before
from rasid.retention.run import travel_before
from rasid.store.tables import retention_run, statement

TRAVEL_TABLES = ("traveller", "booking", "booking_version")


@dataclass(frozen=True)
class Next:
    """The next day something happens, and to how many statements (None: nothing due)."""

    day: date | None = None
    statements: int = 0


@dataclass
class DatasetRetention:
    """One dataset's retention as of a day."""

    dataset: str
    agency: str
    retention_class: str
    label: str
    label_ar: str
    mask_after: Period | None
    delete_after: Period | None
    statements: int = 0
    masked_statements: int = 0  # identifying values shown masked now
    due_statements: int = 0  # past their delete date: the next run deletes them
    next_mask: Next = field(default_factory=Next)
    next_delete: Next = field(default_factory=Next)
    travel_masked: dict[str, int] = field(default_factory=dict)  # per travel table
    travel_due: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return json.loads(json.dumps(asdict(self), default=str))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class RunRecord:
    """A run as recorded."""

    id: int
    as_of: date
    actor: str
    started_at: datetime
    finished_at: datetime | None  # none while under way, or if it stopped
    masked: int
    deleted: int
    counts: dict[str, Any]
    error: str | None = None  # why it failed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return json.loads(json.dumps(asdict(self), default=str))  # type: ignore[no-any-return]


def dataset_status(
    conn: Connection, today: date, datasets: list[Dataset] | None = None
) -> list[DatasetRetention]:
    """The retention of every dataset (or of ``datasets``) as of ``today``, by name."""
    return [
        _status(conn, d, today) for d in (datasets if datasets is not None else list_datasets(conn))
    ]


def _status(conn: Connection, dataset: Dataset, today: date) -> DatasetRetention:
    rule = get_retention_class(dataset.retention_class)
    found = DatasetRetention(
        dataset.name,
        dataset.agency,
        rule.name,
        rule.label,
        rule.label_ar,
        rule.mask_after,
        rule.delete_after,
    )
    own = statement.c.dataset == dataset.name
    found.statements = _scalar(conn, select(func.count()).select_from(statement).where(own))
    masked = own & (statement.c.mask_after <= today) & statement.c.prop.in_(sorted(masked_props()))
    found.masked_statements = _scalar(
        conn, select(func.count()).select_from(statement).where(masked)
    )
    due = own & (statement.c.delete_after <= today)
    found.due_statements = _scalar(conn, select(func.count()).select_from(statement).where(due))
    found.next_mask = _next(conn, own, statement.c.mask_after, today)
    found.next_delete = _next(conn, own, statement.c.delete_after, today)
    if rule.mask_after is not None:
        found.travel_masked = travel_before(conn, dataset.name, due_before(rule.mask_after, today))
    if rule.delete_after is not None:
        found.travel_due = travel_before(conn, dataset.name, due_before(rule.delete_after, today))
    return found


def _scalar(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar_one() or 0)


def _next(conn: Connection, own: Any, column: Any, today: date) -> Next:
    """The first date in ``column`` after ``today`` and how many statements have it."""
    day = conn.execute(select(func.min(column)).where(own, column > today)).scalar_one()
    if day is None:
        return Next()
    day = day.date() if isinstance(day, datetime) else day
    count = _scalar(conn, select(func.count()).select_from(statement).where(own, column == day))
    return Next(day, count)


def list_runs(conn: Connection, limit: int = 20) -> list[RunRecord]:
    """The latest runs, newest first."""
    query = select(retention_run).order_by(retention_run.c.id.desc()).limit(limit)
    return [_run(row) for row in conn.execute(query)]


def last_run(conn: Connection) -> RunRecord | None:
    """The latest run, if any."""
    found = list_runs(conn, 1)
    return found[0] if found else None


def _run(row: Any) -> RunRecord:
    try:
        counts = json.loads(row.counts)
    except ValueError:
        counts = {}
    as_of = row.as_of.date() if isinstance(row.as_of, datetime) else row.as_of
    return RunRecord(
        row.id,
        as_of,
        row.actor,
        row.started_at,
        row.finished_at,
        row.masked,
        row.deleted,
        counts,
        row.error,
    )


def watched_datasets(conn: Connection, principal: Principal) -> list[Dataset]:
    """The datasets whose retention a caller follows: every one for an administrator, their
    agency's for a supervisor or data-protection officer. Denied without the retention or
    the audit scope. (Counts and dates only: no personal data.)"""
    if not (principal.may(Scope.RETENTION) or principal.may(Scope.AUDIT)):
        raise Denied(
            "following retention needs the retention or the audit scope",
            arabic="متابعة الاحتفاظ بالبيانات تتطلب صلاحية الاحتفاظ أو التدقيق",
        )
    every = list_datasets(conn)
    if principal.user.role is Role.ADMIN:
        return every
    return [d for d in every if d.agency == principal.agency]
