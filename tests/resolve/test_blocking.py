"""Blocking: which records meet at all."""

from rasid.resolve.blocking import Stats, block_keys, candidates, index_records
from rasid.resolve.model import Record


def _pairs(records: list[Record]) -> set[tuple[str, str]]:
    index = index_records(records, 1, {})
    left, right, _, _ = candidates(records, index, Stats())
    return {(records[i].entity_id, records[j].entity_id) for i, j in zip(left, right, strict=True)}


def person(rid: str, name: str, born: str, *places: str) -> Record:
    return Record(rid, "x", "Person", (name,), (born,), addresses=places)


def test_another_name_at_the_same_address_still_meets() -> None:
    """A copy whose given name was replaced and family name misspelt meets its record by
    the date of birth and a word of the address; one whose given name and date of birth
    were replaced, by its family name and a word of the address."""
    one = person("a", "Nathan Challenor", "1960-01-13", "1 wellington street 5109")
    two = person("b", "Peter Challmenor", "1960-01-13", "1 wellington street 5109")
    moved = person("c", "Peter Challenor", "1971-05-02", "1 wellington street 5109")
    assert {("a", "b"), ("a", "c")} <= _pairs([one, two, moved])
    keys, _ = block_keys(one, {})
    assert "d|1960-01-13|@wellington" in keys and any(k.startswith("p|") for k in keys)


def test_one_common_name_part_and_a_birthday_are_not_enough() -> None:
    """Two people born on one day who share only a common given name are not compared
    (everyone born that day with that name would be): the date blocks take two parts."""
    families = ["Haddad", "Nasser", "Saleh", "Khoury", "Odeh", "Jaber", "Bitar", "Daher",
                "Ghanem", "Hamdan", "Issa", "Karam", "Laham", "Najjar", "Rizk", "Sarkis",
                "Touma", "Wakim", "Zein", "Farah"]  # fmt: skip
    crowd = [
        person(f"p{i:02d}", f"Mohamed {family}", f"19{50 + i}-01-01")
        for i, family in enumerate(families)
    ]
    crowd[1] = person("p01", "Mohamed Nasser", "1950-01-01")  # born on p00's day
    assert ("p00", "p01") not in _pairs(crowd)
    keys, _ = block_keys(crowd[0], {})
    [dated] = [k for k in keys if k.startswith("d|")]  # the date and both parts
    assert dated.startswith("d|1950-01-01|") and dated.count("|") == 3


def test_an_initial_and_a_name_alike_meet_the_full_name() -> None:
    """``A. Hasan Al Husseini``: the initial has no key and Hasan and Husseini share one,
    so the name has no two parts to block on with the date; its family name does."""
    short = person("a", "A. Hasan Al Husseini", "1960-02-11")
    full = person("b", "AHMED HASSAN AL HUSSEINI", "1960-02-11")
    # Many namesakes: the blocks of the name's keys alone are too large to compare.
    crowd = [person(f"n{i:02d}", f"Hassan Husseini {i}", f"19{40 + i}-05-05") for i in range(20)]
    assert ("a", "b") in _pairs([short, full, *crowd])
    shared = set(block_keys(short, {})[0]) & set(block_keys(full, {})[0])
    assert [k for k in shared if k[0] in "dl"] == ["l|1960-02-11|SN"]
    # Two names of two keys each that share only the family name and the date do not meet
    # there: only a name of one key seeks the others by its last part.
    cousins = [person("x", "Omar Hassan Husseini", "1960-02-11"), full]
    assert not _pairs([*cousins, *crowd]) & {("b", "x")}
