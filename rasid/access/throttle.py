"""Failed sign-ins per client address, counted in the store so that every server process
sees the same count: after ``RASID_SIGN_IN_THROTTLE`` failures from one address within
``WINDOW``, that address must wait until the window ends. (Accounts have their own lock-out
in ``rasid.access.accounts``; this one stops one address trying many accounts.)"""

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from rasid.store.tables import sign_in_throttle as throttle_t

WINDOW = timedelta(minutes=15)
SOURCE_MAX = 64


def _source(source: str) -> str:
    return source[:SOURCE_MAX]


def blocked(conn: Connection, source: str, now: datetime, limit: int) -> bool:
    """True when ``source`` failed ``limit`` times or more in the current window."""
    row = conn.execute(
        select(throttle_t.c.window_start, throttle_t.c.failures).where(
            throttle_t.c.source == _source(source)
        )
    ).first()
    return row is not None and row.window_start > now - WINDOW and row.failures >= limit


def failed(conn: Connection, source: str, now: datetime) -> None:
    """Count a failure from ``source``: in its window, or as the first of a new one. Windows
    that ended are removed as it goes."""
    key, cut = _source(source), now - WINDOW
    current = throttle_t.c.window_start > cut
    bump = (
        update(throttle_t)
        .where(throttle_t.c.source == key)
        .values(
            failures=case((current, throttle_t.c.failures + 1), else_=1),
            window_start=case((current, throttle_t.c.window_start), else_=now),
        )
    )
    if conn.execute(bump).rowcount == 0:
        try:
            with conn.begin_nested():
                conn.execute(insert(throttle_t).values(source=key, window_start=now, failures=1))
        except IntegrityError:  # another process counted this address's first failure
            conn.execute(bump)
    conn.execute(delete(throttle_t).where(throttle_t.c.window_start <= cut))
