"""Change detection between assessments, within a version and across instrument versions."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from rasid.model.markings import Marking
from rasid.monitor.changes import compare
from rasid.monitor.errors import MonitorError
from rasid.monitor.instrument import load_file
from rasid.monitor.model import (
    Assessment,
    ChangeKind,
    Confidence,
    Rating,
    Status,
    Subject,
    SubjectKind,
)

M, L, H = Confidence.MODERATE, Confidence.LOW, Confidence.HIGH
REGION = Subject(1, SubjectKind.REGION, "Coastal District", "المنطقة الساحلية", country="xx")
V2 = {"2.0": load_file(Path(__file__).parent / "instruments" / "nexus-2.0.yml")}


def _assessment(
    ident: int, version: str, ratings: Mapping[str, tuple[int | None, Confidence | None]]
) -> Assessment:
    return Assessment(
        id=ident,
        subject=REGION,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
        instrument_version=version,
        status=Status.APPROVED,
        agency="police",
        marking=Marking.AMBER,
        assessor="a",
        ratings={
            k: Rating(k, level, reason="no data", confidence=c) for k, (level, c) in ratings.items()
        },
    )


CASES = [
    ("significant", (2, M), (3, H), ChangeKind.SIGNIFICANT),
    ("critical: two levels", (2, M), (4, M), ChangeKind.CRITICAL),
    ("critical: falls two levels", (4, H), (2, M), ChangeKind.CRITICAL),
    ("critical: reaching 5", (4, M), (5, M), ChangeKind.CRITICAL),
    ("minor: low confidence before", (2, L), (4, M), ChangeKind.MINOR),
    ("minor: low confidence after", (2, M), (3, L), ChangeKind.MINOR),
    ("confidence only", (3, L), (3, H), ChangeKind.CONFIDENCE),
    ("newly assessed", (None, None), (3, M), ChangeKind.ASSESSED),
    ("no longer assessed", (3, M), (None, None), ChangeKind.ASSESSED),
]


@pytest.mark.parametrize(("case", "before", "after", "kind"), CASES, ids=[c[0] for c in CASES])
def test_kinds_within_one_version(
    case: str,
    before: tuple[int | None, Confidence | None],
    after: tuple[int | None, Confidence | None],
    kind: ChangeKind,
) -> None:
    result = compare(
        _assessment(1, "1.0", {"economy.poverty": before, "economy.illicit_trade": (3, M)}),
        _assessment(2, "1.0", {"economy.poverty": after, "economy.illicit_trade": (3, M)}),
    )
    assert [(c.indicator, c.kind) for c in result.changes] == [("economy.poverty", kind)]
    assert result.changes[0].explanation.startswith("economy.poverty")


def test_no_change_no_entry() -> None:
    ratings = {"economy.poverty": (3, M)}
    assert compare(_assessment(1, "1.0", ratings), _assessment(2, "1.0", ratings)).changes == ()


BEFORE_V1 = {
    "economy.poverty": (3, M),
    "corruption.intimidation_bribery": (4, M),
    "social.minority_treatment": (2, M),
    "social.minority_treatment_change": (4, H),
    "governance.law_enforcement_capacity": (2, M),
    "political.hardline_rise": (3, M),
    "economy.illicit_trade": (3, M),
}
# The same reading of the ground, in version 2.0's terms.
AFTER_V2 = {
    "economy.poverty_rate": (3, M),
    "corruption.intimidation": (4, M),
    "corruption.bribery": (4, M),
    "social.minorities": (3, M),
    "governance.law_enforcement_capacity": (3, M),
    "geography.terrain": (2, M),
    "economy.illicit_trade": (3, M),
}


def test_a_new_instrument_version_alone_is_not_a_change_on_the_ground() -> None:
    result = compare(
        _assessment(1, "1.0", BEFORE_V1), _assessment(2, "2.0", AFTER_V2), instruments=V2
    )
    kinds = {c.indicator: c.kind for c in result.changes}
    assert kinds == {
        "economy.poverty_rate": ChangeKind.INSTRUMENT,
        "corruption.intimidation": ChangeKind.INSTRUMENT,
        "corruption.bribery": ChangeKind.INSTRUMENT,
        "social.minorities": ChangeKind.INSTRUMENT,
        "governance.law_enforcement_capacity": ChangeKind.INSTRUMENT,
        "geography.terrain": ChangeKind.INSTRUMENT,
        "political.hardline_rise": ChangeKind.INSTRUMENT,
    }
    explained = {c.indicator: c.explanation for c in result.changes}
    assert "renamed from economy.poverty" in explained["economy.poverty_rate"]
    assert "level 2 reads as 3" in explained["governance.law_enforcement_capacity"]
    assert "merged from" in explained["social.minorities"]
    assert "removed in version 2.0" in explained["political.hardline_rise"]
    assert (result.instrument_before, result.instrument_after) == ("1.0", "2.0")


def test_a_real_change_beside_instrument_changes_is_still_real() -> None:
    after = dict(AFTER_V2)
    after["economy.illicit_trade"] = (4, M)  # a change on the ground
    after["governance.law_enforcement_capacity"] = (5, M)  # carried 3, so two levels on the ground
    after["corruption.bribery"] = (5, H)  # split part moved beyond the old reading
    after["social.minorities"] = (5, M)  # beyond the merged range 2-4
    result = compare(_assessment(1, "1.0", BEFORE_V1), _assessment(2, "2.0", after), instruments=V2)
    found = {c.indicator: c for c in result.changes}
    assert found["economy.illicit_trade"].kind is ChangeKind.SIGNIFICANT
    enforcement = found["governance.law_enforcement_capacity"]
    assert enforcement.kind is ChangeKind.CRITICAL
    assert (enforcement.before_level, enforcement.after_level) == (3, 5)
    assert "only this part is counted" in enforcement.explanation
    assert found["corruption.bribery"].kind is ChangeKind.CRITICAL  # reaching 5
    assert found["corruption.intimidation"].kind is ChangeKind.INSTRUMENT
    merged = found["social.minorities"]
    assert (merged.kind, merged.before_level) == (ChangeKind.CRITICAL, 4)
    assert found["economy.poverty_rate"].kind is ChangeKind.INSTRUMENT


def test_a_merge_outside_the_old_range_with_low_confidence_is_minor() -> None:
    before = dict(BEFORE_V1, **{"social.minority_treatment": (2, L)})
    after = dict(AFTER_V2, **{"social.minorities": (1, M)})
    result = compare(_assessment(1, "1.0", before), _assessment(2, "2.0", after), instruments=V2)
    merged = next(c for c in result.changes if c.indicator == "social.minorities")
    assert merged.kind is ChangeKind.MINOR
    assert merged.before_confidence is L


def test_versions_that_do_not_descend_are_refused() -> None:
    with pytest.raises(MonitorError, match="does not descend"):
        compare(_assessment(1, "2.0", {}), _assessment(2, "1.0", {}), instruments=V2)


def test_different_subjects_are_refused() -> None:
    other = _assessment(2, "1.0", {})
    other = Assessment(**{**other.__dict__, "subject": Subject(9, SubjectKind.GROUP, "g", "ج")})
    with pytest.raises(MonitorError, match="different subjects"):
        compare(_assessment(1, "1.0", {}), other)
