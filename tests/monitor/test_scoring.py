"""Factor, pillar and overall scores with their coverage, on hand-built ratings; the overall
score weighs the pillars as the instrument declares."""

from dataclasses import replace

import pytest

from rasid.monitor.instrument import load
from rasid.monitor.model import Confidence, Pillar, Rating, SubjectKind
from rasid.monitor.scoring import score


def _ratings(**levels: int | None) -> dict[str, Rating]:
    out = {}
    for key, level in levels.items():
        ident = key.replace("__", ".")
        confidence = None if level is None else Confidence.MODERATE
        out[ident] = Rating(ident, level, reason="no data", confidence=confidence)
    return out


def test_weighted_factor_and_pillar_scores_with_coverage() -> None:
    ratings = _ratings(
        economy__poverty=4,
        economy__illicit_trade=2,
        economy__shared_dependencies=None,
        geography__ungoverned_area=5,  # weight 1.5
        geography__border_proximity=1,
    )
    scores = score(load(), SubjectKind.GROUP, ratings)
    economy = scores.factors["economy"]
    assert economy.score == pytest.approx(3.0)
    assert (economy.assessed, economy.applicable) == (2, 3)  # disparities: not for groups
    assert economy.coverage == pytest.approx(2 / 3)
    assert scores.factors["geography"].score == pytest.approx((5 * 1.5 + 1) / 2.5)
    assert scores.factors["corruption"].score is None
    assert scores.factors["corruption"].coverage == 0
    environmental = scores.pillars["environmental"]
    assert environmental.score == pytest.approx((3.0 + 3.4) / 2)
    assert (environmental.assessed, environmental.applicable) == (4, 11)
    organisational = scores.pillars["organisational"]
    assert organisational.score is None and organisational.applicable == 16
    assert scores.overall.score == pytest.approx(3.2)
    assert scores.overall.coverage == pytest.approx(4 / 27)


def test_factor_weights_weigh_the_pillar() -> None:
    ratings = _ratings(leadership__factions=5, recruitment__new_demographic=1)
    scores = score(load(), SubjectKind.GROUP, ratings)
    assert scores.pillars["organisational"].score == pytest.approx(3.0)
    assert scores.overall.score == pytest.approx(3.0)


def test_a_country_has_no_organisational_pillar_and_ignores_group_ratings() -> None:
    ratings = _ratings(leadership__factions=5, governance__legislation=4)
    scores = score(load(), SubjectKind.COUNTRY, ratings)
    assert set(scores.pillars) == {"environmental"}
    assert "leadership" not in scores.factors
    assert scores.overall.score == pytest.approx(4.0)
    assert scores.overall.applicable == 19


def test_nothing_assessed_means_no_score_and_zero_coverage() -> None:
    scores = score(load(), SubjectKind.REGION, {})
    assert scores.overall.score is None
    assert scores.overall.coverage == 0
    assert all(s.score is None and s.coverage == 0 for s in scores.factors.values())


def test_the_overall_score_weighs_the_pillars_as_declared() -> None:
    ratings = _ratings(economy__poverty=4, leadership__factions=2)
    equal = score(load(), SubjectKind.GROUP, ratings)
    assert equal.overall.score == pytest.approx(3.0)  # shipped: the pillars weigh the same
    weights = {Pillar.ENVIRONMENTAL: 3.0, Pillar.ORGANISATIONAL: 1.0}
    weighted = score(replace(load(), pillar_weights=weights), SubjectKind.GROUP, ratings)
    assert weighted.overall.score == pytest.approx((4 * 3 + 2 * 1) / 4)
    assert weighted.pillars == equal.pillars  # the pillars' own scores do not move
