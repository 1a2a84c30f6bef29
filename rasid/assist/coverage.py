"""The needs-coverage matrix: for each state and thematic area, whether the needs recorded are
covered by projects accepted for them (covered, partly, uncovered)."""

from collections import defaultdict
from collections.abc import Mapping, Sequence

from rasid.assist.errors import AssistError
from rasid.assist.model import (
    ActivityStatus,
    Coverage,
    CoverageCell,
    CoverageMatrix,
    Need,
    NeedStatus,
    Project,
    Taxonomy,
)

__all__ = ["coverage", "covered"]

_RUNNING = (ActivityStatus.PIPELINE, ActivityStatus.IMPLEMENTATION, ActivityStatus.FINALISATION)


def covered(need: Need, projects: Sequence[Project]) -> bool:
    """Whether a need is covered: judged met, or one of the projects accepted for it is
    planned, running or finalising (a closed, cancelled or suspended project covers
    nothing)."""
    return need.status is NeedStatus.MET or any(p.status in _RUNNING for p in projects)


def _cell(country: str, theme: str, needs: list[Need], done: list[int]) -> CoverageCell:
    ids = tuple(n.id for n in needs if n.id is not None)
    if len(done) == len(ids):
        state = Coverage.COVERED
    else:
        state = Coverage.PARTLY if done else Coverage.UNCOVERED
    return CoverageCell(country, theme, state, ids, tuple(done))


def coverage(
    needs: Sequence[Need],
    accepted: Mapping[int, Sequence[Project]],
    taxonomy: Taxonomy,
    countries: Sequence[str] | None = None,
) -> CoverageMatrix:
    """The matrix of thematic area x state. ``accepted`` maps a need id to the projects
    accepted for it. Withdrawn needs are left out. A cell is covered when all its needs are
    (``covered``), partly when some are, uncovered when none is; a cell without needs reads as
    none (``CoverageMatrix.cell``).

    Columns: ``countries`` (ISO codes, in capitals whatever the case given) in the order
    given, needs of other states left out; else the needs' states sorted. Rows: the
    taxonomy's themes that have a need, in taxonomy order, then theme codes the taxonomy does
    not know, sorted.
    """
    chosen = list(dict.fromkeys(c.upper() for c in countries)) if countries is not None else None
    grouped: dict[tuple[str, str], list[Need]] = defaultdict(list)
    for need in needs:
        if need.id is None:
            raise AssistError(  # english-only: the matrix is of stored needs, which have ids
                f"need {need.institution!r} ({need.theme}) has no id: store it first"
            )
        if need.status is NeedStatus.WITHDRAWN:
            continue
        if chosen is None or need.country in chosen:
            grouped[(need.country, need.theme)].append(need)
    columns = chosen if chosen is not None else sorted({c for c, _ in grouped})
    present = {t for _, t in grouped}
    known = [t.code for t in taxonomy.themes if t.code in present]
    rows = known + sorted(present - set(known))
    cells = {}
    for (country, theme), group in grouped.items():
        done = [n.id for n in group if n.id is not None and covered(n, accepted.get(n.id, ()))]
        cells[(country, theme)] = _cell(country, theme, group, done)
    return CoverageMatrix(tuple(columns), tuple(rows), cells)
