"""Retention in server mode: a run at start-up, then one a day at RASID_RETENTION_HOUR (UTC).

Each server process (``rasid serve --workers N``) keeps a schedule in its application's
lifespan; the runs themselves decide which one works: a run claims the day in the database
(``rasid.retention.run``: an advisory lock on PostgreSQL, the write lock on SQLite, held
only while it records its row) and does nothing when a run as of that day exists already,
finished or under way. So there is one run a day however many processes serve, and a
process started later that day runs nothing. A run that failed does not count: the next
check tries again. The run deletes in short batches, so requests that write keep being
answered while it works.

The clock is injected (tests give a fake one and call ``check`` themselves: no sleeping).
"""

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import date, datetime

import anyio
import anyio.to_thread

from rasid.retention.run import RetentionReport, run_retention
from rasid.store import Store

ACTOR = "system:retention"  # who the audit log says ran a scheduled run
CHECK_SECONDS = 600.0  # how often a process looks at the clock

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)


class RetentionSchedule:
    """One process's daily retention run over ``store``."""

    def __init__(self, store: Store, clock: Clock, hour: int) -> None:
        self.store = store
        self.clock = clock
        self.hour = hour
        self.last_day: date | None = None  # the last day this process saw run
        self.checked = threading.Event()  # set after every check, whatever came of it

    def due(self, now: datetime, startup: bool = False) -> bool:
        """True when this process should try a run at ``now``: at start-up, or from the
        hour on, on a day it has not seen run."""
        return self.last_day != now.date() and (startup or now.hour >= self.hour)

    def check(self, startup: bool = False) -> RetentionReport | None:
        """Run retention if it is due (the report, ``skipped`` when another process ran
        it today already); None when it was not due."""
        try:
            now = self.clock()
            if not self.due(now, startup):
                return None
            report = run_retention(self.store, now.date(), ACTOR, once_a_day=True)
            self.last_day = now.date()
            if not report.skipped:
                deleted, masked = report.total_deleted, report.total_masked
                log.info("retention as of %s: %d deleted, %d masked", now.date(), deleted, masked)
            return report
        finally:
            self.checked.set()

    async def run(self, interval: float = CHECK_SECONDS) -> None:
        """Check at start-up, then every ``interval`` seconds, until cancelled. A failed
        run (the database unreachable, say) is logged and tried again at the next check."""
        startup = True
        while True:
            try:
                await anyio.to_thread.run_sync(self.check, startup)
            except Exception:
                log.exception("retention run failed; it is tried again at the next check")
            startup = False
            await anyio.sleep(interval)


@asynccontextmanager
async def scheduled(schedule: RetentionSchedule | None) -> AsyncIterator[None]:
    """Keep ``schedule`` running in the background while the block runs (nothing when
    it is None)."""
    if schedule is None:
        yield
        return
    task = asyncio.create_task(schedule.run())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
