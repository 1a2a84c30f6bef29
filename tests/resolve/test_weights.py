"""Learning the weights: expectation maximisation recovers the m and u that generated the
levels, and refuses what is too small, does not converge or is implausible."""

import numpy as np
import numpy.typing as npt
import pytest

from rasid.resolve import weights as weights_module
from rasid.resolve.evidence import COMPARISONS, MISSING, SIZES
from rasid.resolve.weights import (
    MIN_PAIRS,
    Weights,
    describe,
    estimate,
    log_odds,
    probability,
    verdict,
)

Probs = list[npt.NDArray[np.float64]]


def _known() -> tuple[float, Probs, Probs]:
    """A model to generate levels from: matches mostly on the best levels, other pairs
    mostly on the worst, every level used."""
    m, u = [], []
    for size in SIZES:
        good = np.array([0.6**i for i in range(size)])
        m.append(good / good.sum())
        u.append(good[::-1] / good.sum())
    return 0.2, m, u


def _draw(
    prior: float, m: Probs, u: Probs, n: int, seed: int = 1
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """``n`` pairs' levels (a tenth of each comparison missing) and which are matches."""
    rng = np.random.default_rng(seed)
    match = rng.random(n) < prior
    levels = np.zeros((n, len(SIZES)), dtype=np.int8)
    for c, size in enumerate(SIZES):
        drawn_m = rng.choice(size, n, p=m[c])
        drawn_u = rng.choice(size, n, p=u[c])
        levels[:, c] = np.where(match, drawn_m, drawn_u)
        levels[rng.random(n) < 0.1, c] = MISSING
    return levels, match


def _guess(match: npt.NDArray[np.bool_], wrong: float) -> npt.NDArray[np.bool_]:
    """Where learning starts (what fixed weights would propose): the truth, a share of it
    wrong."""
    flip = np.random.default_rng(2).random(match.size) < wrong
    return match ^ flip


def test_estimation_recovers_the_m_and_u_the_levels_were_drawn_with() -> None:
    prior, m, u = _known()
    levels, match = _draw(prior, m, u, 20_000)
    found = estimate(levels, _guess(match, 0.15))
    assert found.weights is not None, found.note
    learned = found.weights
    assert learned.prior == pytest.approx(prior, abs=0.02)
    for c in range(len(SIZES)):
        assert np.allclose(learned.m[c], m[c], atol=0.03), COMPARISONS[c].key
        assert np.allclose(learned.u[c], u[c], atol=0.03), COMPARISONS[c].key
    assert learned.pairs == 20_000 and learned.iterations > 1
    assert sum(learned.level_seen(0)) == int((levels[:, 0] != MISSING).sum())
    assert "learned from 20000 candidate pairs" in found.note


def test_too_few_pairs_fall_back() -> None:
    prior, m, u = _known()
    levels, match = _draw(prior, m, u, MIN_PAIRS - 1)
    found = estimate(levels, match)
    assert found.weights is None and "too few candidate pairs" in found.note


def test_no_convergence_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    prior, m, u = _known()
    levels, match = _draw(prior, m, u, 5_000)
    monkeypatch.setattr(weights_module, "MAX_ITERATIONS", 1)
    found = estimate(levels, _guess(match, 0.3))
    assert found.weights is None and "did not converge in 1 iterations" in found.note


def test_an_implausible_split_falls_back() -> None:
    """Pairs split by something else than being one person (here: the dates of birth
    agree among the "others" and differ among the "matches") are not taken as weights."""
    prior, m, u = _known()
    date = next(i for i, c in enumerate(COMPARISONS) if c.key == "birth_date")
    m[date], u[date] = u[date], m[date]
    levels, match = _draw(prior, m, u, 10_000)
    found = estimate(levels, match)
    assert found.weights is None
    assert found.note.startswith("implausible estimate: birth_date:"), found.note


def test_matches_like_the_others_fall_back() -> None:
    prior, m, _ = _known()
    levels, _ = _draw(prior, m, m, 5_000)  # matches and others alike: nothing to learn
    found = estimate(levels, np.ones(5_000, dtype=bool))
    assert found.weights is None
    assert "did not converge" in found.note or "no separation" in found.note


def test_a_level_no_pair_showed_weighs_nothing() -> None:
    prior, m, u = _known()
    levels, match = _draw(prior, m, u, 5_000)
    account = next(i for i, c in enumerate(COMPARISONS) if c.key == "account")
    levels[:, account] = MISSING
    found = estimate(levels, match)
    assert found.weights is not None
    assert found.weights.bits[account] == (0.0, 0.0)
    assert "weighs nothing" in describe(found.weights, account, 0)
    table = found.weights.to_dict()["comparisons"]["account"]
    assert table["same account"]["pairs"] == 0


def test_words_and_numbers() -> None:
    assert probability(0) == 0.5 and probability(-100) == 0.0
    assert probability(log_odds(0.7)) == pytest.approx(0.7)
    assert [verdict(b) for b in (5, 2, 0, -2, -5)] == [
        "strong evidence for",
        "evidence for",
        "says little",
        "evidence against",
        "strong evidence against",
    ]
    gender = next(i for i, c in enumerate(COMPARISONS) if c.key == "gender")
    m = tuple((0.5,) * size if c != gender else (0.5, 0.5) for c, size in enumerate(SIZES))
    u = tuple((0.5,) * size if c != gender else (0.01, 0.99) for c, size in enumerate(SIZES))
    weights = Weights(0.1, m, u)
    assert weights.bits[gender][0] == pytest.approx(np.log2(50))
    text = describe(weights, gender, 0)
    assert "50% of likely matches and 1% of other candidate pairs" in text
    assert "×50" in text and "strong evidence for" in text
