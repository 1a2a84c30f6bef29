"""The hash-chained audit log: appending, verifying, and catching every kind of tampering,
on SQLite and PostgreSQL."""

import itertools
import threading
from datetime import datetime

import pytest
from sqlalchemy import delete, select, update

from rasid.access import audit
from rasid.store import Store
from rasid.store.tables import audit_event, audit_head


def _fill(store: Store, count: int = 6) -> list[audit.AuditRecord]:
    """Append ``count`` records in one transaction; return them as written (oldest first)."""
    with store.uow() as uow:
        for n in range(count):
            audit.append(
                uow.conn,
                f"user{n % 2}",
                "entity.read" if n % 3 else "search",
                f"NK-{n}",
                agency="police",
                purpose="case 2026/17",
                detail={"n": n, "name": "محمد عبد الله"},
            )
    with store.uow() as uow:
        return list(reversed(audit.search(uow.conn, limit=count)))


def _verify(store: Store, anchors: dict[int, str] | None = None) -> audit.Verification:
    with store.uow() as uow:
        return audit.verify(uow.conn, anchors)


def test_an_untouched_log_verifies(store: Store) -> None:
    assert _verify(store).ok and _verify(store).checked == 0
    made = _fill(store)
    result = _verify(store)
    assert result.ok and result.checked == 6 and result.head_seq == 6
    assert made[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(made))
    assert _verify(store, {3: made[2].hash, 6: made[5].hash}).ok


def test_records_outside_a_unit_of_work_are_written_at_once(store: Store) -> None:
    with store.engine.begin() as conn:
        audit.append(conn, "system", "retention.run", "all")
        assert audit.head(conn)[0] == 1
    assert _verify(store).ok


def test_a_rolled_back_action_leaves_no_record(store: Store) -> None:
    _fill(store, 2)
    with pytest.raises(RuntimeError), store.uow() as uow:
        audit.append(uow.conn, "user0", "export", "everything")
        raise RuntimeError("the export failed")
    assert _verify(store).ok and _verify(store).head_seq == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "someone_else"),
        ("target", "NK-999"),
        ("purpose", ""),
        ("detail", '{"n": 99}'),
        ("at", datetime(2020, 1, 1)),
        ("outcome", "denied"),
    ],
)
def test_an_edit_is_caught_at_the_edited_record(store: Store, column: str, value: object) -> None:
    _fill(store)
    with store.uow() as uow:
        uow.conn.execute(update(audit_event).where(audit_event.c.seq == 4).values({column: value}))
    result = _verify(store)
    assert not result.ok and result.bad_seq == 4 and "altered" in result.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(store: Store) -> None:
    _fill(store)
    with store.uow() as uow:
        row = uow.conn.execute(select(audit_event).where(audit_event.c.seq == 3)).one()
        forged = audit.AuditRecord(
            seq=3, at=row.at, actor="forger", action=row.action, target=row.target,
            agency=row.agency, purpose=row.purpose, outcome=row.outcome, detail={"n": 2},
            prev_hash=row.prev_hash,
        )  # fmt: skip
        digest = audit._digest(forged)
        uow.conn.execute(
            update(audit_event)
            .where(audit_event.c.seq == 3)
            .values(actor="forger", detail='{"n": 2}', hash=digest)
        )
    result = _verify(store)
    assert not result.ok and result.bad_seq == 4 and "does not follow" in result.reason


def test_a_deletion_in_the_middle_is_caught(store: Store) -> None:
    _fill(store)
    with store.uow() as uow:
        uow.conn.execute(delete(audit_event).where(audit_event.c.seq.in_([3, 4])))
    result = _verify(store)
    assert not result.ok and result.bad_seq == 3 and "3–4 missing" in result.reason


def test_a_deletion_at_the_end_is_caught_by_the_head(store: Store) -> None:
    _fill(store)
    with store.uow() as uow:
        uow.conn.execute(delete(audit_event).where(audit_event.c.seq == 6))
    result = _verify(store)
    assert not result.ok and result.bad_seq == 6 and "removed from the end" in result.reason


def test_reordering_is_caught(store: Store) -> None:
    _fill(store)
    with store.uow() as uow:  # swap records 2 and 5 by renumbering them
        uow.conn.execute(update(audit_event).where(audit_event.c.seq == 2).values(seq=-2))
        uow.conn.execute(update(audit_event).where(audit_event.c.seq == 5).values(seq=2))
        uow.conn.execute(update(audit_event).where(audit_event.c.seq == -2).values(seq=5))
    result = _verify(store)
    assert not result.ok and result.bad_seq == 2


def test_a_rewritten_log_is_caught_by_an_anchor(store: Store) -> None:
    made = _fill(store)
    anchor = {made[-1].seq: made[-1].hash}
    with store.uow() as uow:  # rewrite everything consistently from scratch
        uow.conn.execute(delete(audit_event))
        uow.conn.execute(
            update(audit_head).where(audit_head.c.id == 1).values(seq=0, hash=audit.GENESIS)
        )
    _fill(store, 6)  # same shape, new times: different hashes
    assert _verify(store).ok
    result = _verify(store, anchor)
    assert not result.ok and result.bad_seq == 6 and "anchor" in result.reason
    assert not _verify(store, {7: made[-1].hash}).ok


def test_search_filters_newest_first(store: Store) -> None:
    _fill(store)
    with store.uow() as uow:
        assert [r.seq for r in audit.search(uow.conn, actor="user1")] == [6, 4, 2]
        assert [r.seq for r in audit.search(uow.conn, action="entity.*")] == [6, 5, 3, 2]
        assert [r.seq for r in audit.search(uow.conn, action="search")] == [4, 1]
        assert [r.seq for r in audit.search(uow.conn, limit=2, before_seq=4)] == [3, 2]
        record = audit.search(uow.conn, target="NK-0")[0]
    assert record.detail == {"n": 0, "name": "محمد عبد الله"} and record.purpose == "case 2026/17"


def test_concurrent_appends_keep_one_chain(store: Store) -> None:
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(10):
                with store.uow() as uow:
                    audit.append(uow.conn, f"w{worker}", "search", f"q{n}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = _verify(store)
    assert result.ok and result.checked == 40
