"""Long key lists are asked for in parts of at most 500."""

import pytest

from rasid.store.chunks import IN_LIMIT, chunks


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, []),
        (1, [1]),
        (IN_LIMIT, [IN_LIMIT]),
        (IN_LIMIT + 1, [IN_LIMIT, 1]),
        (1_250, [500, 500, 250]),
    ],
)
def test_parts_keep_every_item_in_order(count: int, sizes: list[int]) -> None:
    items = [f"id-{i}" for i in range(count)]
    parts = list(chunks(items))
    assert [len(p) for p in parts] == sizes
    assert [i for p in parts for i in p] == items


def test_any_iterable_and_size() -> None:
    assert list(chunks((n * n for n in range(5)), 2)) == [[0, 1], [4, 9], [16]]
    assert list(chunks({"b": 1, "a": 2}, 1)) == [["b"], ["a"]]


def test_a_part_holds_at_least_one_item() -> None:
    with pytest.raises(ValueError, match="at least one"):
        list(chunks([1, 2], 0))
