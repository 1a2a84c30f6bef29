"""What two records say about each other, as levels of comparison: the evidence that
learned weights (``rasid.resolve.weights``) weigh.

Each comparison puts a pair on one of a few levels, best first (the names alike, a little
less alike, ...; the same date of birth, a typing error apart, ...), or on none when one
record lacks what it compares (``MISSING``: no evidence either way). The name level comes
from the names engine's score of the best pair of names, with its conflicts (another
first name, another father's name) already counted in; the other comparisons are the
facts the fixed weights also use (``rasid.resolve.fixed``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rasid.resolve.fixed import address_share, near_dates, one_apart
from rasid.resolve.model import Record

MISSING = -1  # one record (or both) lacks what the comparison needs

NAME_LEVELS = (0.95, 0.88, 0.8, 0.7, 0.55, 0.35)
"""Lower bounds of the name score's levels (0.95 and above: written alike; below 0.35:
other names)."""
ADDRESS_LEVELS = (0.99, 0.7, 0.4)  # shares of words in common; then some, then none


@dataclass(frozen=True)
class Comparison:
    """One kind of evidence: its name, the feature its reasons carry, what each of its
    levels says, and chains of levels from the strongest evidence for a match to the
    strongest against (one chain of every level unless some are not comparable)."""

    key: str
    feature: str
    levels: tuple[str, ...]
    order: tuple[tuple[int, ...], ...] = ()

    @property
    def chains(self) -> tuple[tuple[int, ...], ...]:
        """The chains of levels, each from the best to the worst (see ``order``)."""
        return self.order or (tuple(range(len(self.levels))),)


COMPARISONS = (
    Comparison(
        "name",
        "name",
        (
            "written alike",
            "very close",
            "close",
            "similar",
            "partly alike",
            "little alike",
            "other names",
        ),
    ),
    Comparison(
        "birth_date",
        "birth_date",
        ("same date", "a typing error apart", "same year", "other date"),
        # Dates a typing error apart may weigh more than the same date: where many born
        # on one day meet in a block, the same date is common among two people, and a
        # typing error is not.
        ((0, 3), (1, 3)),
    ),
    Comparison("gender", "gender", ("same gender", "other gender")),
    Comparison(
        "nationality", "nationality", ("a nationality in common", "no nationality in common")
    ),
    Comparison(
        "document", "identifier", ("same number", "numbers one character apart", "other numbers")
    ),
    Comparison("phone", "identifier", ("same phone", "other phones")),
    Comparison("email", "identifier", ("same e-mail", "other e-mails")),
    Comparison("account", "identifier", ("same account", "other accounts")),
    Comparison(
        "address",
        "address",
        (
            "same address",
            "most words in common",
            "some words in common",
            "a word in common",
            "no word in common",
        ),
    ),
)
NAME, FACTS = 0, 1  # the name is comparison 0; the facts follow it
SIZES = tuple(len(c.levels) for c in COMPARISONS)

Level = tuple[int, str]  # a level (or MISSING) and, when explaining, the values compared


def name_level(score: float) -> int:
    """The level of a name score (see NAME_LEVELS)."""
    for level, floor in enumerate(NAME_LEVELS):
        if score >= floor:
            return level
    return len(NAME_LEVELS)


@lru_cache(maxsize=1 << 16)
def _dates(dates: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """A record's full dates of birth and its years of birth (remembered: few distinct)."""
    full = frozenset(d for d in dates if len(d) == 10)
    return full, frozenset(d[:4] for d in dates if d[:4].isdigit())


def birth_level(left: Record, right: Record, explain: bool) -> Level:
    """Full dates of birth: the same, a typing error apart or other; with a year only on
    one side, the same year or another."""
    if not left.birth_dates or not right.birth_dates:
        return MISSING, ""
    full_l, years_l = _dates(left.birth_dates)
    full_r, years_r = _dates(right.birth_dates)
    if full_l and full_r:
        same = full_l & full_r
        if same:
            return 0, f"same date of birth ({min(same)})" if explain else ""
        near = next(((a, b) for a in full_l for b in full_r if near_dates(a, b)), None)
        if near is not None:
            return 1, f"dates of birth {near[0]} / {near[1]}" if explain else ""
        return 3, f"dates of birth {min(full_l)} / {min(full_r)}" if explain else ""
    if not years_l or not years_r:
        return MISSING, ""
    if years_l & years_r:
        return 2, f"same year of birth ({min(years_l & years_r)})" if explain else ""
    return 3, f"years of birth {min(years_l)} / {min(years_r)}" if explain else ""


def gender_level(left: Record, right: Record, explain: bool) -> Level:
    """One gender on each side: the same or another."""
    if len(left.genders) != 1 or len(right.genders) != 1:
        return MISSING, ""
    same = left.genders == right.genders
    return (0 if same else 1), f"{left.genders[0]} / {right.genders[0]}" if explain else ""


def nationality_level(left: Record, right: Record, explain: bool) -> Level:
    """Nationalities on both sides: one in common or none."""
    if not left.nationalities or not right.nationalities:
        return MISSING, ""
    common = set(left.nationalities) & set(right.nationalities)
    detail = f"{', '.join(left.nationalities)} / {', '.join(right.nationalities)}"
    return (0 if common else 1), detail if explain else ""


def _values(record: Record, kinds: tuple[str, ...]) -> list[str]:
    if not record.identifiers:
        return []
    return [v for k, v in record.identifiers if k in kinds]


def identifier_level(kinds: tuple[str, ...]) -> Callable[[Record, Record, bool], Level]:
    """A comparison of identifiers of ``kinds``: one in common, one character apart (a
    typing error in a document number of the same or an unknown issuing state), or
    others (the comparison's last level)."""
    other = 2 if "document" in kinds else 1

    def compare(left: Record, right: Record, explain: bool) -> Level:
        ours = _values(left, kinds)
        theirs = _values(right, kinds) if ours else []
        if not theirs:
            return MISSING, ""
        same = set(ours) & set(theirs)
        if same:
            return 0, min(same) if explain else ""
        if other == 2:
            near = next((f"{a} / {b}" for a in ours for b in theirs if _near_document(a, b)), "")
            if near:
                return 1, near
        return other, f"{ours[0]} / {theirs[0]}" if explain else ""

    return compare


def _near_document(a: str, b: str) -> bool:
    n1, _, s1 = a.partition("@")
    n2, _, s2 = b.partition("@")
    return (s1 == s2 or not s1 or not s2) and len(n1) >= 5 and one_apart(n1, n2)


def address_level(left: Record, right: Record, explain: bool) -> Level:
    """Addresses: the share of their words in common (see ADDRESS_LEVELS)."""
    share = address_share(left, right, typos=True)
    if share is None:
        return MISSING, ""
    level = next((i for i, floor in enumerate(ADDRESS_LEVELS) if share >= floor), None)
    if level is None:
        level = len(ADDRESS_LEVELS) if share > 0 else len(ADDRESS_LEVELS) + 1
    return level, f"{share:.0%} of the words" if explain else ""


FACT_LEVELS: tuple[Callable[[Record, Record, bool], Level], ...] = (
    birth_level,
    gender_level,
    nationality_level,
    identifier_level(("document", "registration")),
    identifier_level(("phone",)),
    identifier_level(("email",)),
    identifier_level(("account",)),
    address_level,
)


def compare_facts(left: Record, right: Record, explain: bool = False) -> list[Level]:
    """The levels of every comparison but the name's, in COMPARISONS order."""
    return [compare(left, right, explain) for compare in FACT_LEVELS]
