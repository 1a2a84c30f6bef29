"""Long lists of keys asked for in parts.

A query that selects rows by a list of keys (``WHERE id IN (...)``) takes them 500 at a
time: SQLite caps the parameters of one statement (999 before version 3.32), and both
databases plan a very long list worse than several short ones.
"""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

IN_LIMIT = 500  # keys per IN (...) list

T = TypeVar("T")


def chunks(items: Iterable[T], size: int = IN_LIMIT) -> Iterator[list[T]]:
    """The items in order, ``size`` at a time (the last part may be shorter)."""
    if size < 1:
        raise ValueError(f"a part holds at least one item, not {size}")
    it = iter(items)
    while part := list(islice(it, size)):
        yield part
