"""Scoring with weights learned from the run (``rasid.resolve.weights``).

A pair's score is the probability that its two records are one person or organisation:
the share of matches among the run's candidate pairs, moved by what each level of
evidence weighs in this run. Each reason says what was compared, how it came out, and
what that weighed here; its effect is how far it moved the score (the effects add up to
the score, the prior first).
"""

from rasid.names.score import Scored
from rasid.resolve.evidence import COMPARISONS, FACTS, MISSING, NAME, compare_facts, name_level
from rasid.resolve.fixed import compatible, fixed_score, forced, name_total
from rasid.resolve.model import PROPOSE_THRESHOLD, Record
from rasid.resolve.names import NameScorer
from rasid.resolve.weights import Weights, describe, probability
from rasid.screen.model import Reason

Shared = tuple[tuple[str, str], ...]
Named = tuple[Scored, str, str]  # the names' score, and the two names compared


def pair_levels(left: Record, right: Record, names: NameScorer) -> tuple[list[int], bool] | None:
    """Every comparison's level for a pair, and whether fixed weights would propose it
    (where learning starts); None when the two cannot be compared (a person and a
    company)."""
    if not compatible(left.schema, right.schema):
        return None
    named = names.score(left, right, False)
    first = name_level(name_total(named[0])) if named[1] else MISSING
    score, _, shared = fixed_score(left, right, names, False, named)
    return [first, *fact_levels(left, right)], score >= PROPOSE_THRESHOLD or forced(shared)


def fact_levels(left: Record, right: Record) -> list[int]:
    """Every comparison's level but the name's (cheap: no names compared)."""
    return [level for level, _ in compare_facts(left, right)]


def shared_identifiers(left: Record, right: Record) -> Shared:
    """The identifiers both records carry."""
    if not left.identifiers or not right.identifiers:
        return ()
    return tuple(sorted(set(left.identifiers) & set(right.identifiers)))


def fact_bits(weights: Weights, levels: list[int]) -> float:
    """What the facts (every comparison but the name) weigh together."""
    bits = weights.bits
    return sum(bits[c][level] for c, level in enumerate(levels, FACTS) if level != MISSING)


def learned_score(
    left: Record, right: Record, names: NameScorer, weights: Weights, floor: float | None = None
) -> tuple[float, Shared, Named] | None:
    """The score, the identifiers both carry and the names' score (with its reasons);
    None when the two cannot be compared or, with a ``floor`` (log-odds), when even names
    written alike could not reach it and no identifier is shared (the names are then not
    compared at all: that is most of the cost)."""
    if not compatible(left.schema, right.schema):
        return None
    bits = weights.prior_bits + fact_bits(weights, fact_levels(left, right))
    shared = shared_identifiers(left, right)
    if floor is not None and not shared and bits + weights.best(NAME) < floor:
        return None
    named = names.score(left, right, True)
    if named[1]:
        bits += weights.bits[NAME][name_level(name_total(named[0]))]
    return probability(bits), shared, named


def learned_reasons(
    left: Record,
    right: Record,
    names: NameScorer,
    weights: Weights,
    named: Named | None = None,
) -> tuple[float, list[Reason], Shared]:
    """The score with every reason (see the module docstring); ``named``: the names'
    score with its reasons, when already known."""
    shared = shared_identifiers(left, right)
    if not compatible(left.schema, right.schema):
        return 0.0, [Reason("schema", f"{left.schema} / {right.schema}: not comparable", 0.0)], ()
    bits = weights.prior_bits
    score = probability(bits)
    share = f"{weights.prior:.1%}" if weights.prior >= 0.001 else f"{weights.prior:.3%}"
    reasons = [Reason("prior", f"likely matches among this run's candidate pairs: {share}", score)]
    scored, a, b = named or names.score(left, right, True)
    name = f"{a} / {b}: names {{}} ({name_total(scored):.2f})"
    found = [(NAME, name_level(name_total(scored)) if a else MISSING, name)]
    for c, (level, detail) in enumerate(compare_facts(left, right, True), FACTS):
        found.append((c, level, f"{{}} ({detail})"))
    for c, level, text in found:
        if level == MISSING:
            continue
        bits += weights.bits[c][level]
        after = probability(bits)
        detail = f"{text.format(COMPARISONS[c].levels[level])}; {describe(weights, c, level)}"
        reasons.append(Reason(COMPARISONS[c].feature, detail, after - score))
        score = after
        if c == NAME:
            reasons += [_in_level(r) for r in scored.reasons]
    return score, reasons, shared


def _in_level(reason: Reason) -> Reason:
    """A conflict between names (another first name) is counted in the names' level."""
    if reason.feature != "name_order":
        return reason
    return Reason(reason.feature, f"{reason.detail}: counted in the names' level", 0.0)
