"""Fixed weights: how much each kind of evidence counts, the same in every run.

Tuned for registers where a different full date of birth means a different person. The
name score (``rasid.resolve.names``) is the base; evidence beside the name is combined
with it as independent signs, conflicts first. Used when a run asks for fixed weights, and
when the weights learned from a run's own data (``rasid.resolve.weights``) cannot be
estimated (too few pairs, no convergence).
"""

from rapidfuzz.distance import Levenshtein

from rasid.names.score import Facts, Scored, facts_adjustment
from rasid.resolve.model import Record
from rasid.resolve.names import NameScorer
from rasid.screen.model import Reason

# Evidence beside the name is combined with the name score as independent signs: each
# closes that share of the distance to 1 (a noisy-or), so that several agreeing facts
# (a document, a date of birth, an address) outweigh a name written quite differently,
# while a name score near 1 is not pushed past certainty. Conflicts are subtracted.
# What a shared identifier closes; a phone is shared by families and offices, a document not.
SHARED = {"document": 0.6, "registration": 0.6, "email": 0.5, "account": 0.4, "phone": 0.25}
OTHER_DOCUMENT = -0.1  # both hold a document of the same kind and state, not the same one
NEAR_DOCUMENT = 0.15  # document numbers one character apart: a typing error, perhaps
# Full dates of birth: the same one is rare between two people (screening, which weighs
# names first, gives it less); one digit (or one swap) apart is a typing error; further
# apart, two people whatever their names: the penalty is large enough that no such pair
# reaches PROPOSE_THRESHOLD without a shared identifier (whatever the nationality, address
# or a near document add), so the engine skips those pairs before scoring them.
SAME_BIRTH_DATE = 0.3
BIRTH_TYPO = 0.12
OTHER_BIRTH_DATE = -0.5
ADDRESS_MAX = 0.25  # addresses with every word in common
# Identifiers that always make a proposal when shared (with the issuing state for documents).
FORCING = ("document", "registration", "email", "account")
PERSONS = {"Person", "LegalEntity"}
ORGANISATIONS = {"Organization", "Company", "PublicBody", "LegalEntity"}


def compatible(left: str, right: str) -> bool:
    """True when the two schemata may describe the same thing (a person and a company never)."""
    if left == right:
        return True
    return (left in PERSONS and right in PERSONS) or (
        left in ORGANISATIONS and right in ORGANISATIONS
    )


# --- facts, identifiers, addresses ----------------------------------------------------------


def one_apart(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of two neighbours."""
    if Levenshtein.distance(a, b) <= 1:
        return True
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def near_dates(a: str, b: str) -> bool:
    """Two full dates a typing error apart: one digit, two neighbours swapped, or day and
    month swapped (03/07 for 07/03)."""
    swapped = a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]
    return swapped or one_apart(a, b)


def fact_reasons(left: Record, right: Record) -> list[Reason]:
    """Birth date, nationality and gender as screening weighs them, but for full dates of
    birth on both sides (see SAME_BIRTH_DATE)."""
    dates_l, dates_r = left.birth_dates, right.birth_dates
    date: list[Reason] = []
    full_l = [d for d in dates_l if len(d) == 10]
    full_r = [d for d in dates_r if len(d) == 10]
    if full_l and full_r and set(full_l) & set(full_r):
        same = sorted(set(full_l) & set(full_r))[0]
        date = [Reason("birth_date", f"same date of birth ({same})", SAME_BIRTH_DATE)]
        dates_l = dates_r = ()
    elif full_l and full_r:
        near = next(((a, b) for a in full_l for b in full_r if near_dates(a, b)), None)
        if near is not None:
            detail = f"dates of birth a typing error apart ({near[0]} / {near[1]})"
            date = [Reason("birth_date", detail, BIRTH_TYPO)]
        else:
            detail = f"other date of birth ({full_l[0]} / {full_r[0]})"
            date = [Reason("birth_date", detail, OTHER_BIRTH_DATE)]
        dates_l = dates_r = ()
    facts = facts_adjustment(
        Facts(dates_l, left.nationalities, _gender(left)),
        Facts(dates_r, right.nationalities, _gender(right)),
    )
    return date + facts


def _gender(record: Record) -> str | None:
    return record.genders[0] if len(record.genders) == 1 else None


def _split(value: str) -> tuple[str, str]:
    number, _, state = value.partition("@")
    return number, state


def identifier_reasons(
    left: Record, right: Record
) -> tuple[list[Reason], tuple[tuple[str, str], ...]]:
    """Shared identifiers (and conflicting or near documents), and the shared ones."""
    shared = tuple(sorted(set(left.identifiers) & set(right.identifiers)))
    reasons: list[Reason] = []
    kinds = set()
    for kind, value in shared:
        if kind not in kinds:
            kinds.add(kind)
            reasons.append(Reason("identifier", f"same {kind}: {value}", SHARED[kind]))
    for kind in ("document", "registration"):
        if kind not in kinds:
            reasons += _documents(kind, left, right)
    return reasons, shared


def _documents(kind: str, left: Record, right: Record) -> list[Reason]:
    """Numbers of one kind that differ: one character apart (a typo?) or another document of
    the same issuing state."""
    ours = [_split(v) for k, v in left.identifiers if k == kind]
    theirs = [_split(v) for k, v in right.identifiers if k == kind]
    if not ours or not theirs:
        return []
    for n1, s1 in ours:
        for n2, s2 in theirs:
            if (s1 == s2 or not s1 or not s2) and len(n1) >= 5 and one_apart(n1, n2):
                return [
                    Reason(
                        "identifier",
                        f"{kind} numbers one character apart ({n1} / {n2})",
                        NEAR_DOCUMENT,
                    )
                ]
    states = {s for _, s in ours if s} & {s for _, s in theirs if s}
    if states:
        state = sorted(states)[0]
        return [Reason("identifier", f"another {kind} issued by {state}", OTHER_DOCUMENT)]
    return []


def _words_alike(ours: set[str], theirs: set[str], typos: bool) -> int:
    """Words of ``ours`` found in ``theirs``: as written, or with ``typos`` also a typing
    error apart (words of three letters or digits or more: 6530 / 6503, partridge /
    partridgqe)."""
    found = len(ours & theirs)
    if not typos:
        return found
    rest = [w for w in theirs - ours if len(w) >= 3]
    for word in ours - theirs:
        if len(word) >= 3 and any(one_apart(word, other) for other in rest):
            found += 1
    return found


def address_share(left: Record, right: Record, typos: bool = False) -> float | None:
    """The best share of words two addresses have in common (of the shorter address), a
    typing error forgiven with ``typos``; None when either record has no address."""
    best: float | None = None
    for a in left.addresses:
        wa = set(a.split())
        for b in right.addresses:
            wb = set(b.split())
            if wa and wb:
                short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
                best = max(best or 0.0, _words_alike(short, long, typos) / len(short))
    return best


def address_reason(left: Record, right: Record) -> list[Reason]:
    """Words two addresses have in common (the best pair of addresses), never a penalty:
    people move."""
    best = address_share(left, right)
    if not best:
        return []
    return [Reason("address", f"addresses share {best:.0%} of their words", ADDRESS_MAX * best)]


# --- scoring -------------------------------------------------------------------------------


def forced(shared: tuple[tuple[str, str], ...]) -> bool:
    """True when a shared identifier makes a proposal whatever the score (see FORCING; a
    document only with its issuing state)."""
    return any(k in FORCING and (k != "document" or "@" in v) for k, v in shared)


def name_total(scored: Scored) -> float:
    """The name score with its conflicts (another first name, another father's name)."""
    order = sum(r.effect for r in scored.reasons if r.feature == "name_order")
    return min(1.0, max(0.0, scored.score + order))


def fixed_score(
    left: Record,
    right: Record,
    names: NameScorer,
    explain: bool,
    named: tuple[Scored, str, str] | None = None,
) -> tuple[float, list[Reason], tuple[tuple[str, str], ...]]:
    """The score with fixed weights, its reasons (when ``explain``) and the identifiers
    both records carry (``named``: the names' score, when already known)."""
    if not compatible(left.schema, right.schema):
        return 0.0, [Reason("schema", f"{left.schema} / {right.schema}: not comparable", 0.0)], ()
    scored, a, b = named or names.score(left, right, explain)
    ids, shared = identifier_reasons(left, right)
    others = fact_reasons(left, right) + ids + address_reason(left, right)
    score = name_total(scored)
    # Conflicts first, then agreements (see SHARED): a shared passport outweighs another
    # date of birth, a shared address alone does not.
    combined = [r for r in others if r.effect <= 0]
    score = max(0.0, score + sum(r.effect for r in combined))
    for reason in others:
        if reason.effect > 0:
            after = 1 - (1 - score) * (1 - reason.effect)
            combined.append(Reason(reason.feature, reason.detail, after - score))
            score = after
    if not explain:
        return score, [], shared
    head = [Reason("name", f"{a} / {b}", scored.score)] if a else []
    return score, head + scored.reasons + combined, shared
