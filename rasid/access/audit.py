"""The audit log: append-only, each record carrying the hash of the one before it.

Sign-ins, reads of entities, searches, exports, screening decisions, shares, approvals and
administration go here. A record's hash is SHA-256 over its number, time, actor, agency,
action, target, purpose, outcome, detail and the previous record's hash, so editing,
deleting or reordering any record breaks the chain from that record on, and ``verify``
names the first one that does not hold.

The ``audit_head`` row holds the last record's number and hash. A transaction's records
are written just before it commits: raising the number in that row locks it until the
commit, a few milliseconds later, so appends are serialised on SQLite and PostgreSQL
alike, and a record commits or rolls back with the work it records. Records removed
from the end show as a head that points past the last record.
Anyone able to rewrite the whole table could recompute every hash; against that, ``head``
gives the current number and hash to keep elsewhere (a printed register, another agency),
and ``verify`` checks such anchors.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from rasid.store.tables import audit_event, audit_head
from rasid.store.uow import at_commit, transaction_state

GENESIS = "0" * 64  # the "previous hash" of the first record
PAGE = 5000  # records read at a time while verifying


@dataclass(frozen=True)
class AuditRecord:
    """One entry of the log."""

    seq: int
    at: datetime
    actor: str  # a user name, or "cli:<account>" for the command line, or "system"
    action: str  # e.g. sign_in, entity.read, search, hit.decide, user.add, token.create
    target: str = ""  # what the action was on: an entity id, a query, a user name
    agency: str | None = None  # the actor's agency
    purpose: str = ""  # the reason the actor gave
    outcome: str = "ok"  # ok, denied or failed
    detail: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""


def _digest(record: AuditRecord) -> str:
    content = [
        record.seq,
        record.at.isoformat(timespec="microseconds"),
        record.actor,
        record.agency,
        record.action,
        record.target,
        record.purpose,
        record.outcome,
        record.detail,
        record.prev_hash,
    ]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    conn: Connection,
    actor: str,
    action: str,
    target: str = "",
    *,
    agency: str | None = None,
    purpose: str = "",
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add a record at the end of the log, in the caller's transaction: written when its
    unit of work commits (with every other record of the transaction, under one short
    lock of the head), and never if it rolls back."""
    entry = AuditRecord(
        seq=0,
        at=at or utcnow_precise(),
        actor=actor,
        action=action,
        target=target,
        agency=agency,
        purpose=purpose,
        outcome=outcome,
        detail=json.loads(json.dumps(detail or {}, default=str)),
    )
    state = transaction_state(conn)
    if state is None:
        _write(conn, [entry])
        return
    pending: list[AuditRecord] | None = state.get("audit")
    if pending is None:
        pending = state["audit"] = []
        at_commit(conn, lambda c: _write(c, pending), "audit")
    pending.append(entry)


def _write(conn: Connection, pending: list[AuditRecord]) -> None:
    """Chain and write records at the end of the log."""
    if not pending:
        return
    moved = conn.execute(
        update(audit_head)
        .where(audit_head.c.id == 1)
        .values(seq=audit_head.c.seq + len(pending))
        .returning(audit_head.c.seq, audit_head.c.hash)
    ).first()
    if moved is None:
        raise RuntimeError("the audit log has no head row: the database was not migrated")
    last, previous = int(moved.seq), str(moved.hash)
    rows = []
    for number, entry in enumerate(pending, start=last - len(pending) + 1):
        record = _with_hash(replace(entry, seq=number, prev_hash=previous))
        previous = record.hash
        detail_text = json.dumps(record.detail, ensure_ascii=False, sort_keys=True)
        rows.append({**vars(record), "detail": detail_text})
    conn.execute(audit_event.insert(), rows)
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(hash=previous))


def _with_hash(record: AuditRecord) -> AuditRecord:
    return replace(record, hash=_digest(record))


def utcnow_precise() -> datetime:
    """The current UTC time, naive, to the microsecond (records in one second keep their
    order of time)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _record(row: Any) -> AuditRecord:
    try:
        detail = json.loads(row.detail)
    except ValueError:
        detail = {"unreadable": row.detail}
    return AuditRecord(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        agency=row.agency,
        purpose=row.purpose,
        outcome=row.outcome,
        detail=detail if isinstance(detail, dict) else {"value": detail},
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: ``ok``, how many records were checked, and the
    first record that does not hold with the reason."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    reason: str = ""


def _records(conn: Connection) -> Iterator[Any]:
    last = 0
    while True:
        rows = conn.execute(
            select(audit_event)
            .where(audit_event.c.seq > last)
            .order_by(audit_event.c.seq)
            .limit(PAGE)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(conn: Connection, anchors: dict[int, str] | None = None) -> Verification:
    """Check every record against its hash and its predecessor, the head against the last
    record, and the given anchors (record number: hash kept elsewhere)."""
    head_seq, head_hash = head(conn)
    expected_seq, previous, checked = 1, GENESIS, 0
    wanted = dict(anchors or {})

    def bad(seq: int, reason: str) -> Verification:
        return Verification(False, checked, head_seq, head_hash, seq, reason)

    for row in _records(conn):
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                gap = (
                    f"{expected_seq}"
                    if row.seq == expected_seq + 1
                    else f"{expected_seq}–{row.seq - 1}"
                )
                return bad(expected_seq, f"record {gap} missing: the log jumps to {row.seq}")
            return bad(row.seq, f"record numbered {row.seq} where {expected_seq} was expected")
        record = _record(row)
        if record.prev_hash != previous:
            return bad(row.seq, "does not follow the record before it (its previous hash differs)")
        if _digest(record) != record.hash:
            return bad(row.seq, "its content does not match its hash: it was altered")
        if row.seq in wanted and wanted.pop(row.seq) != record.hash:
            return bad(row.seq, "its hash differs from the anchor kept for it")
        previous, expected_seq, checked = record.hash, expected_seq + 1, checked + 1
    last = expected_seq - 1
    if head_seq != last or head_hash != previous:
        if head_seq > last:
            return bad(
                last + 1,
                f"the log ends at record {last} but its head says {head_seq}: "
                "records removed from the end",
            )
        return bad(head_seq, "the head does not match the last record")
    if wanted:
        seq = min(wanted)
        return bad(seq, f"anchored record {seq} is not in the log")
    return Verification(True, checked, head_seq, head_hash)


def head(conn: Connection) -> tuple[int, str]:
    """The last record's number and hash (0 and the genesis hash for an empty log)."""
    row = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
    ).one()
    return int(row.seq), str(row.hash)


def search(
    conn: Connection,
    *,
    actor: str | None = None,
    agency: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    before_seq: int | None = None,
    within: tuple[str, frozenset[str]] | None = None,
) -> list[AuditRecord]:
    """Records matching every filter given, newest first. ``action`` ending in ``.`` or
    ``*`` matches a family (``entity.*``); ``before_seq`` pages back. ``within`` (an agency
    and its datasets) keeps the records of that agency's people and those that name one of
    its datasets (reads of its data by anyone)."""
    query = select(audit_event).order_by(audit_event.c.seq.desc()).limit(limit)
    if within is not None:
        own, datasets = within
        naming = [audit_event.c.detail.contains(json.dumps(d), autoescape=True) for d in datasets]
        query = query.where(or_(audit_event.c.agency == own, *naming))
    if actor:
        query = query.where(audit_event.c.actor == actor)
    if agency:
        query = query.where(audit_event.c.agency == agency)
    if action:
        if action.endswith(("*", ".")):
            query = query.where(
                audit_event.c.action.startswith(action.rstrip("*"), autoescape=True)
            )
        else:
            query = query.where(audit_event.c.action == action)
    if target:
        query = query.where(audit_event.c.target == target)
    if since:
        query = query.where(audit_event.c.at >= since)
    if until:
        query = query.where(audit_event.c.at < until)
    if before_seq:
        query = query.where(audit_event.c.seq < before_seq)
    return [_record(row) for row in conn.execute(query)]
