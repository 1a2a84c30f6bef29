"""The bound that drops pairs before their names are compared never drops a pair that
could be proposed."""

import numpy as np

from rasid.names.parts import Part
from rasid.resolve import bounds, engine
from rasid.resolve.blocking import MAX_BLOCK, Stats, candidates, crowded, index_records
from rasid.resolve.engine import PROPOSE_THRESHOLD, learn
from rasid.resolve.evidence import COMPARISONS, SIZES
from rasid.resolve.fixed import forced
from rasid.resolve.learned import learned_score
from rasid.resolve.model import Record
from rasid.resolve.names import NameScorer
from rasid.resolve.weights import Weights
from tests.resolve.synthetic import register


def test_the_bound_leaves_out_no_pair_that_could_be_proposed() -> None:
    """Pairs dropped before their names are compared are those that, even with names
    written alike, could not reach the threshold: checked against the full score."""
    records = register(1500, addresses=False).records
    parsed: dict[str, list[Part]] = {}
    index = index_records(records, 1, parsed)
    names = NameScorer({}, parsed)
    left, right, ident, _ = candidates(records, index, Stats())
    estimate = learn(records, names, left, right, 1)
    assert estimate.weights is not None
    keep = ident | bounds.reachable(
        bounds.facts(records, crowded(records, index)),
        left,
        right,
        estimate.weights,
        engine.FLOOR,
    )
    assert 0 < keep.sum() < keep.size  # the bound does leave pairs out
    for i, j in zip(left[~keep].tolist(), right[~keep].tolist(), strict=True):
        found = learned_score(records[i], records[j], names, estimate.weights)
        assert found is not None
        assert found[0] < PROPOSE_THRESHOLD and not forced(found[1])


def test_a_phone_too_common_to_block_on_still_counts() -> None:
    """Records sharing an identifier whose block is too large to compare are not paired
    by it, but if another block pairs them, the bound counts what the identifier may add."""
    crowd = [
        Record(f"r{i:03d}", "x", "Person", (f"Name{i} Other{i}",), identifiers=(("phone", "1"),))
        for i in range(MAX_BLOCK + 1)
    ]
    alone = [
        Record("s1", "x", "Person", ("Sami Odeh",), identifiers=(("phone", "2"),)),
        Record("s2", "x", "Person", ("Sami Odeh",), identifiers=(("phone", "3"),)),
    ]
    records = crowd + alone
    index = index_records(records, 1, {})
    busy = crowded(records, index)
    assert busy[: len(crowd)].all() and not busy[len(crowd) :].any()
    found = bounds.facts(records, busy)
    weights = _phone_only()
    left = np.array([0, len(crowd)])
    right = np.array([1, len(crowd) + 1])
    # The crowd's pair may share the phone (+20 bits); the other pair's phones differ.
    assert bounds.reachable(found, left, right, weights, 0.0).tolist() == [True, False]


def _phone_only() -> Weights:
    """Weights where only a shared phone can make a match (everything else says nothing)."""
    m = [(1 / size,) * size for size in SIZES]
    u = [(1 / size,) * size for size in SIZES]
    phone = next(i for i, c in enumerate(COMPARISONS) if c.key == "phone")
    m[phone], u[phone] = (0.5, 0.5), (2**-21, 1 - 2**-21)
    return Weights(0.001, tuple(m), tuple(u))
