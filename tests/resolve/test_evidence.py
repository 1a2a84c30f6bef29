"""The levels of evidence learned weights weigh: one table per comparison."""

import pytest

from rasid.resolve.evidence import (
    COMPARISONS,
    MISSING,
    address_level,
    birth_level,
    compare_facts,
    gender_level,
    identifier_level,
    name_level,
    nationality_level,
)
from rasid.resolve.fixed import address_share
from rasid.resolve.model import Record


def rec(**facts: tuple[str, ...] | tuple[tuple[str, str], ...]) -> Record:
    return Record("r", "d", "Person", ("Omar Haddad",), **facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("1980-03-02",), ("1980-03-02",), 0),
        (("1980-03-02",), ("1980-03-03",), 1),  # one digit
        (("1980-03-02",), ("1980-02-03",), 1),  # day and month swapped
        (("1980-03-02",), ("1975-11-20",), 3),
        (("1980",), ("1980-03-02",), 2),  # a year only: the same year
        (("1981",), ("1980-03-02",), 3),
        ((), ("1980-03-02",), MISSING),
    ],
)
def test_birth_dates(left: tuple[str, ...], right: tuple[str, ...], level: int) -> None:
    assert birth_level(rec(birth_dates=left), rec(birth_dates=right), False)[0] == level


def test_gender_and_nationality() -> None:
    male, female = rec(genders=("male",)), rec(genders=("female",))
    assert gender_level(male, male, False)[0] == 0 and gender_level(male, female, True) == (
        1,
        "male / female",
    )
    assert gender_level(male, rec(genders=("male", "female")), False)[0] == MISSING
    jo, sy = rec(nationalities=("jo",)), rec(nationalities=("sy", "jo"))
    assert nationality_level(jo, sy, False)[0] == 0
    assert nationality_level(jo, rec(nationalities=("eg",)), False)[0] == 1
    assert nationality_level(jo, rec(), False)[0] == MISSING


def test_identifiers() -> None:
    documents = identifier_level(("document", "registration"))
    ours = rec(identifiers=(("document", "A1234567@sy"),))
    assert documents(ours, ours, True) == (0, "A1234567@sy")
    near = rec(identifiers=(("document", "A1234576@sy"),))
    assert documents(ours, near, False)[0] == 1  # two neighbours swapped
    other = rec(identifiers=(("document", "B7654321@sy"),))
    assert documents(ours, other, False)[0] == 2
    abroad = rec(identifiers=(("document", "A1234576@jo"),))
    assert documents(ours, abroad, False)[0] == 2  # another state's document is another
    phones = identifier_level(("phone",))
    assert phones(ours, ours, False)[0] == MISSING
    assert (
        phones(rec(identifiers=(("phone", "1"),)), rec(identifiers=(("phone", "2"),)), False)[0]
        == 1
    )


def test_addresses_forgive_a_typing_error() -> None:
    one = rec(addresses=("3 partridge street banksia 6530",))
    typo = rec(addresses=("3 partridgqe street bansia 6503",))
    assert address_share(one, typo, typos=True) == 1.0
    assert address_share(one, typo) == 0.4  # fixed weights count words as written
    assert address_level(one, typo, True) == (0, "100% of the words")
    elsewhere = rec(addresses=("12 cedar road",))
    assert address_level(one, elsewhere, False)[0] == 4  # no word in common
    assert address_level(one, rec(), False)[0] == MISSING


def test_levels_and_comparisons_agree() -> None:
    assert [name_level(s) for s in (1.0, 0.9, 0.82, 0.75, 0.6, 0.4, 0.1)] == list(range(7))
    facts = compare_facts(rec(birth_dates=("1980-03-02",)), rec(birth_dates=("1980-03-02",)))
    assert len(facts) == len(COMPARISONS) - 1 and facts[0] == (0, "")
    for comparison in COMPARISONS:
        for chain in comparison.chains:
            assert len(chain) >= 2 and set(chain) <= set(range(len(comparison.levels)))
