"""Runs with learned weights: what they find that fixed weights miss, how each reason says
what it weighed, and when they fall back to fixed weights."""

import numpy as np
import pytest

from rasid.resolve.blocking import Stats
from rasid.resolve.engine import PROPOSE_THRESHOLD, propose, score_pair
from rasid.resolve.evidence import COMPARISONS
from rasid.resolve.model import Pair, Record
from rasid.resolve.weights import Weights, probability
from tests.resolve.synthetic import Register, register


def _run(found: Register, weights: str) -> tuple[dict[tuple[str, str], Pair], Stats]:
    stats = Stats()
    pairs = {
        (p.left_id, p.right_id): p for p in propose(found.records, stats=stats, weights=weights)
    }
    return pairs, stats


def _quality(found: Register, pairs: dict[tuple[str, str], Pair]) -> tuple[float, float]:
    chosen = {k for k, p in pairs.items() if p.score >= PROPOSE_THRESHOLD}
    hits = len(chosen & found.truth)
    return hits / len(chosen), hits / len(found.truth)


@pytest.mark.parametrize("among", [26, 4])  # varied names; a few, and many namesakes
def test_learned_weights_find_the_copies_whose_date_of_birth_was_replaced(among: int) -> None:
    """In a register where two copies in five carry another date of birth, the run learns
    that another date costs little here, and proposes those copies; fixed weights, made
    for registers where another date means another person, do not."""
    found = register(1500, among=among)
    learned, stats = _run(found, "learned")
    assert stats.weights == "learned", stats.weights_note
    assert stats.weights_note.startswith("learned from 10000 candidate pairs")
    precision, recall = _quality(found, learned)
    assert precision >= 0.98 and recall >= 0.95
    fixed, fixed_stats = _run(found, "fixed")
    assert fixed_stats.weights == "fixed" and fixed_stats.weights_note == "asked for"
    assert _quality(found, fixed)[1] < 0.7
    dates = stats.learned["comparisons"]["birth_date"]
    assert dates["other date"]["bits"] > -3 and dates["same date"]["bits"] > 3
    assert fixed_stats.learned == {}


def test_each_reason_says_what_it_weighed_in_this_run() -> None:
    found = register(1500)
    pairs, _ = _run(found, "learned")
    pair = next(
        p
        for k, p in sorted(pairs.items())
        if k in found.truth and "other date" in str(p.explanation) and p.score >= 0.7
    )
    features = [r.feature for r in pair.explanation]
    assert features[0] == "prior" and "candidate pairs" in pair.explanation[0].detail
    # The prior and what each level weighed add up to the score (the name parts'
    # similarities are details of the name's level).
    weighed = [r for r in pair.explanation if r.feature == "prior" or "in this run" in r.detail]
    assert sum(r.effect for r in weighed) == pytest.approx(pair.score)
    date = next(r for r in pair.explanation if r.feature == "birth_date")
    assert "other date (dates of birth" in date.detail
    assert "of likely matches and" in date.detail and "×" in date.detail


def test_small_runs_use_fixed_weights_and_say_why() -> None:
    records = register(20).records
    stats = Stats()
    list(propose(records, stats=stats))
    assert stats.weights == "fixed" and stats.weights_note.startswith("too few candidate pairs")
    assert stats.learned == {}
    with pytest.raises(ValueError, match="learned, fixed"):
        list(propose(records, weights="mixed"))


def test_score_pair_with_learned_weights() -> None:
    weights = _weights()
    left = Record("a", "x", "Person", ("Omar Haddad",), ("1980-01-02",))
    right = Record("b", "y", "Person", ("عمر حداد",), ("1975-06-30",))
    pair = score_pair(left, right, weights)
    name = next(r for r in pair.explanation if r.feature == "name")
    level = next(
        i for i, label in enumerate(COMPARISONS[0].levels) if f"names {label} (" in name.detail
    )
    date = next(r for r in pair.explanation if r.feature == "birth_date")
    assert date.effect < 0 and "1980-01-02 / 1975-06-30" in date.detail
    assert "30% of likely matches and 53% of other candidate pairs: ×0.562" in date.detail
    expected = weights.prior_bits + weights.bits[0][level] + weights.bits[1][3]
    assert pair.score == pytest.approx(probability(expected))


def _weights() -> Weights:
    """Weights by hand: another date of birth common among matches (costs little)."""
    m, u = [], []
    for size in (7, 4, 2, 2, 3, 2, 2, 2, 5):
        good = np.array([0.5**i for i in range(size)])
        m.append(tuple(good / good.sum()))
        u.append(tuple(good[::-1] / good.sum()))
    m[1] = (0.6, 0.05, 0.05, 0.3)  # dates: another one in three matches in ten
    return Weights(0.1, tuple(m), tuple(u))
