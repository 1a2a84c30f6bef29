import pytest

from rasid.store import Store
from rasid.store.entities import search_entity_ids
from tests.store.helpers import register, stmt, write

PEOPLE = [
    ("p1", "مُحَمَّد عبد الله الحسيني"),
    ("p2", "Mohamed Abdallah El Housseini"),
    ("p3", "أحمد إبراهيم"),
    ("p4", "José Álvarez"),
    ("p5", "فاطمة الزهراء"),
]


@pytest.fixture
def people(store: Store) -> Store:
    with store.uow() as uow:
        register(uow.conn)
        register(uow.conn, "watchlist", "un")
        for entity_id, name in PEOPLE:
            write(uow.conn, stmt(entity_id, "name", name))
        write(uow.conn, stmt("o1", "name", "Al-Qaida", dataset="watchlist", schema="Organization"))
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("محمد", ["p1"]),
        ("مُحَمَّد", ["p1"]),
        ("محمّد", ["p1"]),
        ("محـمد عبد", ["p1"]),
        ("احمد ابراهيم", ["p3"]),
        ("أحمد", ["p3"]),
        ("فاطمه", ["p5"]),  # ta marbuta written as ha
        ("mohamed abdallah", ["p2"]),
        ("MOHAM", ["p2"]),  # prefix
        ("jose alvarez", ["p4"]),
        ("al-qaida", ["o1"]),
        ("nobody", []),
        ("", []),
        ("'\"*()", []),  # operators never reach the index
    ],
)
def test_name_search(people: Store, query: str, expected: list[str]) -> None:
    with people.uow() as uow:
        assert search_entity_ids(uow.conn, query, None) == expected


def test_search_respects_datasets_and_schema(people: Store) -> None:
    with people.uow() as uow:
        assert search_entity_ids(uow.conn, "qaida", ["police"]) == []
        assert search_entity_ids(uow.conn, "qaida", ["watchlist"]) == ["o1"]
        assert search_entity_ids(uow.conn, "qaida", None, schema="Person") == []
        assert search_entity_ids(uow.conn, "qaida", None, schema="Organization") == ["o1"]


def test_best_match_first(people: Store) -> None:
    with people.uow() as uow:
        write(uow.conn, stmt("p6", "name", "Mohamed"))
        ids = search_entity_ids(uow.conn, "mohamed", None)
    assert set(ids) == {"p2", "p6"}
    assert ids[0] == "p6"  # the shorter, exact name ranks first
