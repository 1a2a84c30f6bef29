"""Progress reporting for long work (imports, screening): a bar on a terminal, periodic lines
in a log."""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from rasid.ingest.run import ProgressFn

LOG_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


@contextmanager
def import_progress(label: str, enabled: bool = True) -> Iterator[ProgressFn]:
    """A progress callback for ``rasid.ingest.run.ingest``: a rich bar by bytes read on a
    terminal; otherwise a line on stderr when reading starts and every few seconds."""
    if not enabled:
        yield lambda records, done, total: None
        return
    if sys.stderr.isatty():
        with _bar(label) as callback:
            yield callback
        return
    yield _log_lines(label)


@contextmanager
def _bar(label: str) -> Iterator[ProgressFn]:
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[records]} records"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task(label, total=None, records=0)

        def update(records: int, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, records=records)

        yield update


def _log_lines(label: str) -> ProgressFn:
    last = [0.0]

    def update(records: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= LOG_EVERY:
            last[0] = now
            share = f" ({100 * done // total}%)" if total else ""
            print(f"{label}: {records} records read{share}", file=sys.stderr, flush=True)

    return update


CountFn = Callable[[int, int], None]


@contextmanager
def count_progress(label: str, unit: str, enabled: bool = True) -> Iterator[CountFn]:
    """A progress callback ``(done, total)`` for work counted in items (subjects screened):
    a rich bar on a terminal; otherwise a line on stderr every few seconds."""
    if not enabled:
        yield lambda done, total: None
        return
    if sys.stderr.isatty():
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task(label, total=None)
            yield lambda done, total: progress.update(task, completed=done, total=total)
        return
    last = [0.0]

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= LOG_EVERY:
            last[0] = now
            print(f"{label}: {done}/{total} {unit}", file=sys.stderr, flush=True)

    yield update
