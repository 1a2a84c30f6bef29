"""Failed sign-ins per address, counted in the store (shared by every server process)."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from rasid.access.throttle import WINDOW, blocked, failed
from rasid.store import Store
from rasid.store.tables import sign_in_throttle

NOW = datetime(2026, 11, 24, 9, 0, 0)


def test_an_address_is_blocked_after_the_limit_within_the_window(store: Store) -> None:
    for i in range(3):
        with store.uow() as uow:
            assert not blocked(uow.conn, "10.0.0.1", NOW, 3)
            failed(uow.conn, "10.0.0.1", NOW + timedelta(seconds=i))
    with store.uow() as uow:
        assert blocked(uow.conn, "10.0.0.1", NOW + timedelta(minutes=1), 3)
        assert not blocked(uow.conn, "10.0.0.2", NOW + timedelta(minutes=1), 3)
        # The window ends: the address may try again, and its next failure starts a new one.
        later = NOW + WINDOW + timedelta(seconds=1)
        assert not blocked(uow.conn, "10.0.0.1", later, 3)
        failed(uow.conn, "10.0.0.1", later)
        assert not blocked(uow.conn, "10.0.0.1", later, 2)


def test_ended_windows_are_removed(store: Store) -> None:
    with store.uow() as uow:
        failed(uow.conn, "10.0.0.1", NOW)
        failed(uow.conn, "10.0.0.2", NOW + WINDOW + timedelta(minutes=1))
        count = uow.conn.execute(select(func.count()).select_from(sign_in_throttle)).scalar()
        assert count == 1


def test_a_long_address_is_cut_to_the_column(store: Store) -> None:
    source = "f" * 200
    with store.uow() as uow:
        failed(uow.conn, source, NOW)
        assert blocked(uow.conn, source, NOW, 1)
