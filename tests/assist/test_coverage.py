"""The needs-coverage matrix: covered, partly, uncovered, withdrawn and met needs, the order of
states and themes."""

from dataclasses import replace
from datetime import date

import pytest

from rasid.assist.coverage import coverage, covered
from rasid.assist.errors import AssistError
from rasid.assist.model import (
    ActivityStatus,
    Coverage,
    CoverageCell,
    Need,
    NeedStatus,
    Priority,
    Project,
    ProjectKind,
    Text,
)
from rasid.assist.taxonomy import builtin, requirement, with_requirements
from rasid.model.markings import Marking

NEED = Need(
    id=0,
    agency="coordination_office",
    country="ZZ",
    institution="Financial Intelligence Unit",
    theme="gp-21",
    gap="No financial investigation unit",
    baseline="None trained",
    priority=Priority.MEDIUM,
    marking=Marking.AMBER,
)


def _need(ident: int, country: str, theme: str, status: NeedStatus = NeedStatus.OPEN) -> Need:
    return replace(NEED, id=ident, country=country, theme=theme, status=status)


def _project(ident: int, status: ActivityStatus) -> Project:
    return Project(
        id=ident,
        identifier=f"XM-EX-RASID-{ident:04d}",
        kind=ProjectKind.PROJECT,
        title="Assistance",
        description="",
        status=status,
        countries=("ZZ", "YY"),
        start=date(2026, 1, 1),
        end=date(2028, 1, 1),
        currency="USD",
    )


NEEDS = [
    _need(1, "ZZ", "gp-21"),
    _need(2, "ZZ", "gp-21"),
    _need(3, "ZZ", "gp-08", NeedStatus.MET),
    _need(4, "ZZ", "gp-08"),
    _need(5, "ZZ", "gp-01"),
    _need(6, "ZZ", "gp-01"),
    _need(7, "YY", "gp-21", NeedStatus.WITHDRAWN),
    _need(8, "YY", "gp-25"),
    _need(9, "XX", "res-2396-op12"),
    _need(10, "XX", "res-1373-op2"),
]
ACCEPTED = {
    1: [_project(101, ActivityStatus.IMPLEMENTATION)],
    2: [_project(102, ActivityStatus.CLOSED), _project(103, ActivityStatus.CANCELLED)],
    4: [_project(104, ActivityStatus.FINALISATION)],
    6: [_project(106, ActivityStatus.SUSPENDED)],
    7: [_project(107, ActivityStatus.IMPLEMENTATION)],
    8: [_project(105, ActivityStatus.CLOSED), _project(108, ActivityStatus.PIPELINE)],
}


def test_cells_are_covered_partly_or_uncovered() -> None:
    matrix = coverage(NEEDS, ACCEPTED, builtin())
    assert matrix.countries == ("XX", "YY", "ZZ")
    assert matrix.themes == ("gp-01", "gp-08", "gp-21", "gp-25", "res-1373-op2", "res-2396-op12")
    assert matrix.cell("ZZ", "gp-21") == CoverageCell("ZZ", "gp-21", Coverage.PARTLY, (1, 2), (1,))
    # met without a project, and a project finalising
    assert matrix.cell("ZZ", "gp-08") == CoverageCell(
        "ZZ", "gp-08", Coverage.COVERED, (3, 4), (3, 4)
    )
    # a suspended project covers nothing
    assert matrix.cell("ZZ", "gp-01") == CoverageCell("ZZ", "gp-01", Coverage.UNCOVERED, (5, 6), ())
    assert matrix.cell("YY", "gp-25").coverage is Coverage.COVERED
    assert matrix.cell("XX", "res-2396-op12").coverage is Coverage.UNCOVERED


def test_withdrawn_needs_are_left_out() -> None:
    matrix = coverage(NEEDS, ACCEPTED, builtin())
    assert matrix.cell("YY", "gp-21") == CoverageCell("YY", "gp-21", Coverage.NONE)
    assert ("YY", "gp-21") not in matrix.cells
    assert len(matrix.cells) == 6
    only_withdrawn = coverage([NEEDS[6]], ACCEPTED, builtin())
    assert (only_withdrawn.countries, only_withdrawn.themes, only_withdrawn.cells) == ((), (), {})


def test_given_countries_keep_their_order_and_leave_other_states_out() -> None:
    matrix = coverage(NEEDS, ACCEPTED, builtin(), countries=["ZZ", "yy", "ZZ", "WW"])
    assert matrix.countries == ("ZZ", "YY", "WW")
    assert matrix.themes == ("gp-01", "gp-08", "gp-21", "gp-25")
    assert matrix.cell("WW", "gp-21").coverage is Coverage.NONE
    assert matrix.cell("XX", "res-2396-op12").coverage is Coverage.NONE


def test_a_state_requirement_in_the_taxonomy_comes_in_taxonomy_order() -> None:
    label = Text("متطلب", "Requirement")
    taxonomy = with_requirements([requirement("res-2396-op12", "B", label, ["15210"])])
    matrix = coverage(NEEDS, ACCEPTED, taxonomy, countries=["XX"])
    assert matrix.themes == ("res-2396-op12", "res-1373-op2")


def test_covered_and_bad_input() -> None:
    assert covered(NEEDS[2], []) is True
    assert covered(NEEDS[4], [_project(1, ActivityStatus.PIPELINE)]) is True
    assert covered(NEEDS[4], [_project(1, ActivityStatus.CLOSED)]) is False
    with pytest.raises(AssistError, match="Financial Intelligence Unit"):
        coverage([replace(NEED, id=None)], {}, builtin())
