"""Weights learned from a run's own records: how much each kind of evidence is worth here.

Fellegi and Sunter's model of record linkage: for each comparison (``rasid.resolve.evidence``)
and each of its levels, ``m`` is how often pairs of one person (matches) fall on that level
and ``u`` how often other pairs do. A level weighs ``m / u``: the same date of birth is
common among matches and rare among others (strong evidence); another date of birth is
rare among matches in a register kept with care (strong evidence against), but common in
a file where dates are often replaced (it then costs little). A pair's score is the
probability that it is a match, from the share of matches among the candidate pairs
(``prior``) and the weights of its levels, as if the comparisons were independent.

``m``, ``u`` and the prior are estimated without labels by expectation maximisation over a
sample of the run's candidate pairs. Estimation starts from what the fixed weights
(``rasid.resolve.fixed``) would propose among them, then follows the data. Both ``u`` and
the prior are those of the candidate pairs, not of pairs drawn at random: blocking makes
the candidates that are two people agree far more often than random pairs (namesakes
born on one day meet in one block), and the model scores only candidates. (Started from
random pairs' ``u``, the estimate took such namesakes for matches on the benchmark's
100,000 generated records: see bench/README.md.) When the sample is too small, the
estimate does not converge or it does not tell matches apart by their names, there are
no learned weights, and the run uses the fixed ones and says why.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from rasid.resolve.evidence import COMPARISONS, MISSING, SIZES

Levels = npt.NDArray[np.int8]  # (pairs, comparisons): each pair's level of each comparison

MIN_PAIRS = 1000  # candidate pairs below which the run is too small to learn from
MAX_ITERATIONS = 1000  # each takes a millisecond or so: pairs alike are counted once
TOLERANCE = 1e-6  # the largest change of any probability at which the estimate has converged
SMOOTHING = 0.5  # pairs added to every level, so that a level no pair shows is not impossible
PRIOR_RANGE = (0.0005, 0.95)  # shares of matches beyond which matches are not told apart
MIN_SEEN = 20  # pairs on a level below which its weight is not checked for plausibility
SLACK = 2.0  # bits by which a worse level may outweigh a better one (sampling noise)


@dataclass(frozen=True)
class Weights:
    """The learned model: the share of matches among candidate pairs, and ``m`` and ``u``
    for each comparison's levels (COMPARISONS order)."""

    prior: float
    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    pairs: int = 0  # candidate pairs learned from
    iterations: int = 0
    seen: tuple[tuple[int, ...], ...] = ()  # pairs of the sample on each level

    @cached_property
    def bits(self) -> tuple[tuple[float, ...], ...]:
        """What each level weighs: log2(m / u); nothing for a level no pair of the sample
        showed (its m and u are only the smoothing's)."""
        return tuple(
            tuple(
                math.log2(a / b) if n else 0.0
                for a, b, n in zip(m, u, self.level_seen(c), strict=True)
            )
            for c, (m, u) in enumerate(zip(self.m, self.u, strict=True))
        )

    @cached_property
    def prior_bits(self) -> float:
        """The prior as log-odds (base 2)."""
        return math.log2(self.prior / (1 - self.prior))

    def best(self, comparison: int) -> float:
        """The most a comparison can add (0 when missing is best)."""
        return max(0.0, *self.bits[comparison])

    def level_seen(self, comparison: int) -> tuple[int, ...]:
        """The sample's pairs on each level of a comparison."""
        # Weights made without a sample (by hand) count every level as seen.
        return self.seen[comparison] if self.seen else (1,) * SIZES[comparison]

    def to_dict(self) -> dict[str, Any]:
        """The weights as the run's statistics keep them: per comparison, per level, its
        share among matches (m), among other pairs (u) and its weight in bits."""
        return {
            "prior": round(self.prior, 5),
            "pairs": self.pairs,
            "iterations": self.iterations,
            "comparisons": {
                c.key: {
                    label: {"m": round(m, 5), "u": round(u, 5), "bits": round(b, 2), "pairs": n}
                    for label, m, u, b, n in zip(
                        c.levels,
                        self.m[i],
                        self.u[i],
                        self.bits[i],
                        self.level_seen(i),
                        strict=True,
                    )
                }
                for i, c in enumerate(COMPARISONS)
            },
        }


def probability(bits: float) -> float:
    """The probability of a match from its log-odds (base 2)."""
    if bits < -60:
        return 0.0
    return float(1 / (1 + 2.0**-bits))


def log_odds(p: float) -> float:
    """The log-odds (base 2) of a probability in (0, 1)."""
    return math.log2(p / (1 - p))


def verdict(bits: float) -> str:
    """A weight in words."""
    if bits >= 4:
        return "strong evidence for"
    if bits >= 1:
        return "evidence for"
    if bits > -1:
        return "says little"
    return "evidence against" if bits > -4 else "strong evidence against"


def describe(weights: Weights, comparison: int, level: int) -> str:
    """What a level weighed in this run, in words: its share among likely matches and
    among other candidate pairs, and the factor that makes."""
    m, u = weights.m[comparison][level], weights.u[comparison][level]
    bits = weights.bits[comparison][level]
    if not weights.level_seen(comparison)[level]:
        return "no pair of this run's sample was so: weighs nothing"
    return (
        f"in this run {_share(m)} of likely matches and {_share(u)} of other candidate pairs: "
        f"×{2**bits:.3g}, {verdict(bits)}"
    )


def _share(p: float) -> str:
    return f"{p:.0%}" if p >= 0.01 else f"{p:.2%}" if p >= 0.0001 else "almost none"


@dataclass
class Estimate:
    """The learned weights, or None and why not."""

    weights: Weights | None
    note: str
    extra: dict[str, Any] = field(default_factory=dict)


def _counts(levels: Levels, weight: npt.NDArray[np.float64]) -> list[npt.NDArray[np.float64]]:
    """Weighted counts of each comparison's levels (missing ones left out), smoothed."""
    found = []
    for c, size in enumerate(SIZES):
        column = levels[:, c]
        known = column != MISSING
        count = np.bincount(column[known], weights=weight[known], minlength=size)
        found.append((count + SMOOTHING) / (count + SMOOTHING).sum())
    return found


def _log_likelihoods(
    levels: Levels, probs: list[npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    total = np.zeros(len(levels))
    for c, p in enumerate(probs):
        column = levels[:, c]
        known = column != MISSING
        total[known] += np.log(p[column[known]])
    return total


def _start(
    sample: Levels, proposed: npt.NDArray[np.bool_]
) -> tuple[list[npt.NDArray[np.float64]], list[npt.NDArray[np.float64]], float]:
    """Where estimation starts: m from the pairs fixed weights would propose, u from the
    others, and the share of matches they propose."""
    m = _counts(sample, proposed.astype(np.float64))
    u = _counts(sample, (~proposed).astype(np.float64))
    return m, u, min(max(float(proposed.mean()), 0.01), 0.9)


def estimate(sample: Levels, proposed: npt.NDArray[np.bool_]) -> Estimate:
    """Learn the weights from the levels of a sample of candidate pairs, starting from the
    pairs fixed weights would propose (``proposed``); no weights when the sample is too
    small, the estimate does not converge, or it does not tell matches apart by their
    names."""
    if len(sample) < MIN_PAIRS:
        return Estimate(
            None, f"too few candidate pairs to learn from ({len(sample)} < {MIN_PAIRS})"
        )
    m, u, prior = _start(sample, proposed)
    # Pairs with the same levels are one pattern, counted: a few thousand patterns at most.
    patterns, counts = np.unique(sample, axis=0, return_counts=True)
    weight = counts.astype(np.float64)
    iteration, change = 0, 1.0
    while iteration < MAX_ITERATIONS and change >= TOLERANCE:
        iteration += 1
        odds = _log_likelihoods(patterns, u) - _log_likelihoods(patterns, m)
        odds += math.log((1 - prior) / prior)
        match = weight / (1 + np.exp(np.clip(odds, -700, 700)))
        new_m, new_u = _counts(patterns, match), _counts(patterns, weight - match)
        new_prior = float(match.sum() / weight.sum())
        change = max(
            abs(new_prior - prior),
            *(float(np.abs(a - b).max()) for a, b in zip(m + u, new_m + new_u, strict=True)),
        )
        m, u, prior = new_m, new_u, new_prior
    if change >= TOLERANCE:
        return Estimate(None, f"the estimate did not converge in {MAX_ITERATIONS} iterations")
    weights = Weights(
        prior,
        tuple(tuple(float(x) for x in p) for p in m),
        tuple(tuple(float(x) for x in p) for p in u),
        len(sample),
        iteration,
        tuple(
            tuple(int(n) for n in np.bincount(column[column != MISSING], minlength=size))
            for column, size in zip(sample.T, SIZES, strict=True)
        ),
    )
    return _checked(weights)


def _checked(weights: Weights) -> Estimate:
    """The weights, unless they do not tell matches apart (the share of matches at an
    extreme), or are implausible (see ``_implausible``)."""
    low, high = PRIOR_RANGE
    if not low <= weights.prior <= high:
        return Estimate(None, f"no separation of matches (share {weights.prior:.2%})")
    name = weights.bits[0]
    if not name[0] > 0 > name[-1]:
        return Estimate(None, "implausible estimate: names alike do not weigh for a match")
    wrong = _implausible(weights)
    if wrong:
        return Estimate(None, f"implausible estimate: {wrong}")
    return Estimate(
        weights,
        f"learned from {weights.pairs} candidate pairs in {weights.iterations} iterations",
    )


def _implausible(weights: Weights) -> str:
    """What is implausible in the weights, or nothing: a level that weighs for a match, and
    more than a better one of the same comparison (by more than SLACK bits: a less alike
    name than a more alike one, another date of birth than the same one), among the levels
    the sample shows. Where namesakes outnumber matches among the candidates, expectation
    maximisation may split the pairs otherwise than into matches and others (those alike
    by name, whatever their dates, against the rest): that is what this catches. Two
    levels that both weigh against a match may come in any order."""
    for c, comparison in enumerate(COMPARISONS):
        seen, bits = weights.level_seen(c), weights.bits[c]
        for chain in comparison.chains:
            shown = [i for i in chain if seen[i] >= MIN_SEEN]
            for k, better in enumerate(shown):
                for worse in shown[k + 1 :]:
                    if bits[worse] > max(bits[better], 0.0) + SLACK:
                        first, second = comparison.levels[better], comparison.levels[worse]
                        return f"{comparison.key}: {second} weighs more than {first}"
    return ""
