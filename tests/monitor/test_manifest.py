"""Manifestation rules on hand-built scenarios: one per manifestation, an ambiguous one and one
with too little coverage."""

from datetime import date

from rasid.model.markings import Marking
from rasid.monitor.instrument import load
from rasid.monitor.manifest import profiles, suggest
from rasid.monitor.model import (
    Assessment,
    Confidence,
    GroupFacts,
    Manifestation,
    Rating,
    Reason,
    Status,
    Subject,
    SubjectKind,
    Suggestions,
)
from rasid.monitor.wording import say

GROUP = Subject(7, SubjectKind.GROUP, "Red Dune Network", "شبكة الكثيب الأحمر", entity_id="org-1")
REGION = Subject(3, SubjectKind.REGION, "Coastal District", "المنطقة الساحلية", country="xx")
USED = sorted({i for p in profiles().profiles for r in p.rules for i in r.indicators})


def _assessment(subject: Subject, levels: dict[str, int], ident: int = 2) -> Assessment:
    base = {i: 1 for i in USED if subject.kind in load().indicators[i].applies_to}
    base.update(levels)
    ratings = {i: Rating(i, lv, confidence=Confidence.MODERATE) for i, lv in base.items()}
    return Assessment(
        ident, subject, date(2024, 1, 1), date(2024, 6, 30), "1.0", Status.APPROVED,
        "police", Marking.AMBER, "analyst", ratings=ratings,
    )  # fmt: skip


def _top(result: Suggestions) -> Manifestation:
    assert not result.insufficient
    return result.ranked[0].manifestation


def test_alliance_from_a_nexus_bridge() -> None:
    path = Reason("bridge.path", {"bridge": "broker", "node": "B", "path": "C → B → G"})
    facts = GroupFacts(nexus_bridges=2, bridge_evidence=(path,))
    levels = {"capabilities.diversification": 4, "security.route_dependence": 3}
    result = suggest(_assessment(GROUP, levels), None, facts)
    assert _top(result) is Manifestation.ALLIANCE
    assert result.ranked[0].score == 1.0
    bridge = next(s for s in result.ranked[0].matched if s.id == "nexus_bridge")
    assert bridge.detail == "2 nexus bridge(s) found: broker B: C → B → G"
    assert bridge.reason is not None
    assert say(bridge.reason, "ar") == "كشف تحليل الروابط 2 من جسور الترابط: وسيط B: C → B → G"
    assert not result.ambiguous


def test_adoption_of_tactics() -> None:
    levels = {
        "capabilities.evolution": 4,
        "capabilities.violence_crime_balance": 3,
        "recruitment.venue_change": 3,
        "capabilities.crime_funding": 3,
    }
    assert _top(suggest(_assessment(GROUP, levels), None, GroupFacts())) is Manifestation.ADOPTION


def test_integration_from_both_lists_and_a_sudden_jump() -> None:
    previous = _assessment(GROUP, {"capabilities.evolution": 1}, ident=1)
    now = _assessment(GROUP, {"recruitment.new_demographic": 4, "capabilities.evolution": 3})
    facts = GroupFacts(in_criminal_data=True, on_terrorism_list=True, datasets=("police", "un"))
    result = suggest(now, previous, facts)
    assert _top(result) is Manifestation.INTEGRATION
    jump = next(s for s in result.ranked[0].matched if s.id == "sudden_capability")
    assert "went from 1 to 3" in jump.detail


def test_hybrid() -> None:
    levels = {
        "capabilities.crime_funding": 4,
        "leadership.challenges": 3,
        "leadership.factions": 3,
        "recruitment.new_demographic": 3,
    }
    facts = GroupFacts(in_criminal_data=True, on_terrorism_list=True)
    result = suggest(_assessment(GROUP, levels), None, facts)
    assert _top(result) is Manifestation.HYBRID
    assert result.ranked[0].missing == ()


def test_transformation_needs_a_shift_across_assessments() -> None:
    before = {
        "recruitment.economic_incentives": 2,
        "recruitment.motive_change": 2,
        "capabilities.crime_funding": 1,
    }
    after = {
        "recruitment.economic_incentives": 4,
        "recruitment.motive_change": 4,
        "capabilities.crime_funding": 3,
    }
    now = _assessment(GROUP, after)
    result = suggest(now, _assessment(GROUP, before, ident=1), GroupFacts())
    assert _top(result) is Manifestation.TRANSFORMATION
    shift = next(s for s in result.ranked[0].matched if s.id == "motive_shift")
    assert shift.detail.startswith("3 of 4 rose")
    alone = suggest(now, None, GroupFacts())
    transformation = next(
        s for s in alone.ranked if s.manifestation is Manifestation.TRANSFORMATION
    )
    missing = next(s for s in transformation.missing if s.id == "motive_shift")
    assert "no previous approved assessment" in missing.detail


def test_black_hole_for_a_region() -> None:
    levels = {
        "geography.ungoverned_area": 5,
        "governance.law_enforcement_capacity": 4,
        "security.smuggling_routes": 4,
        "political.state_erosion": 4,
        "economy.illicit_trade": 4,
    }
    result = suggest(_assessment(REGION, levels), None, None)
    assert _top(result) is Manifestation.BLACK_HOLE
    ranked = {s.manifestation for s in result.ranked}
    assert Manifestation.HYBRID not in ranked  # nothing of its profile applies to a region


def test_low_confidence_does_not_meet_a_level_signal() -> None:
    now = _assessment(REGION, {"geography.ungoverned_area": 5})
    ratings = dict(now.ratings)
    ratings["geography.ungoverned_area"] = Rating(
        "geography.ungoverned_area", 5, confidence=Confidence.LOW
    )
    result = suggest(Assessment(**{**now.__dict__, "ratings": ratings}), None, None)
    black_hole = next(s for s in result.ranked if s.manifestation is Manifestation.BLACK_HOLE)
    missing = next(s for s in black_hole.missing if s.id == "ungoverned")
    assert "low confidence" in missing.detail


def test_an_ambiguous_scenario_says_so() -> None:
    levels = {
        "capabilities.crime_funding": 4,
        "capabilities.violence_crime_balance": 3,
        "recruitment.venue_change": 3,
    }
    facts = GroupFacts(in_criminal_data=True, on_terrorism_list=True)
    result = suggest(_assessment(GROUP, levels), None, facts)
    assert result.ambiguous
    top_two = {s.manifestation for s in result.ranked[:2]}
    assert top_two == {Manifestation.ADOPTION, Manifestation.HYBRID}
    assert "ambiguous" in result.reason


def test_too_little_coverage_is_insufficient_evidence() -> None:
    now = _assessment(GROUP, {})
    ratings = {k: r for k, r in now.ratings.items() if k.startswith("capabilities.")}
    result = suggest(Assessment(**{**now.__dict__, "ratings": ratings}), None, GroupFacts())
    assert result.insufficient
    assert result.ranked == ()
    assert "4 of the 16 indicators" in result.reason


def test_every_profile_names_indicators_of_the_instrument() -> None:
    indicators = load().indicators
    declared = profiles()
    assert {p.manifestation for p in declared.profiles} == set(Manifestation)
    for profile in declared.profiles:
        assert profile.label.ar and profile.label.en
        for rule in profile.rules:
            assert rule.label.ar and rule.label.en
            assert all(i in indicators for i in rule.indicators), rule.id
