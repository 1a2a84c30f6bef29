"""Factor, pillar and overall scores of an assessment, with their coverage.

A factor's score is the weight-averaged level of its assessed indicators among those that
apply to the subject's kind; a pillar's is the factor-weight-averaged score of its factors
that have one; the overall score is the weighted mean of the pillars' scores, by the
``pillar_weights`` the instrument file declares (the toolkit gives the two pillars no
weights: the shipped instrument declares them equal, and a file that declares none weighs
them the same). Beside each score, its coverage: the share of the applicable
indicators underneath that were assessed. Nothing assessed: the score is None and the
coverage 0. Ratings of indicators that do not apply, or that the instrument does not know,
are left out (the workflow refuses them before they are stored).
"""

from collections.abc import Mapping, Sequence

from rasid.monitor.instrument import applicable
from rasid.monitor.model import Indicator, Instrument, Pillar, Rating, Score, Scores, SubjectKind


def _mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """The weighted mean of (value, weight) pairs, None for none."""
    total = sum(weight for _, weight in pairs)
    if not pairs or total <= 0:
        return None
    return sum(value * weight for value, weight in pairs) / total


def _score(key: str, value: float | None, assessed: int, applicable_count: int) -> Score:
    coverage = assessed / applicable_count if applicable_count else 0.0
    return Score(key, value, coverage, assessed, applicable_count)


def _level(ratings: Mapping[str, Rating], indicator: Indicator) -> int | None:
    rating = ratings.get(indicator.id)
    return None if rating is None else rating.level


def score(instrument: Instrument, kind: SubjectKind, ratings: Mapping[str, Rating]) -> Scores:
    """Every score of an assessment of a subject of ``kind`` from its ratings by indicator id.

    Factors with no indicator applying to the kind (leadership for a country) and pillars
    with no such factor are left out of ``factors`` and ``pillars``."""
    rated = {i.id: i for i in applicable(instrument, kind)}
    factors: dict[str, Score] = {}
    by_pillar: dict[str, list[tuple[Score, float]]] = {}
    for factor in instrument.factors:
        members = [rated[i] for i in factor.indicators if i in rated]
        if not members:
            continue
        levels = [(float(lv), i.weight) for i in members if (lv := _level(ratings, i)) is not None]
        result = _score(factor.id, _mean(levels), len(levels), len(members))
        factors[factor.id] = result
        by_pillar.setdefault(factor.pillar.value, []).append((result, factor.weight))
    pillars = {
        pillar: _score(
            pillar,
            _mean([(s.score, w) for s, w in members if s.score is not None]),
            sum(s.assessed for s, _ in members),
            sum(s.applicable for s, _ in members),
        )
        for pillar, members in by_pillar.items()
    }
    overall = _score(
        "overall",
        _mean(
            [
                (p.score, instrument.pillar_weight(Pillar(key)))
                for key, p in pillars.items()
                if p.score is not None
            ]
        ),
        sum(p.assessed for p in pillars.values()),
        sum(p.applicable for p in pillars.values()),
    )
    return Scores(factors=factors, pillars=pillars, overall=overall)
