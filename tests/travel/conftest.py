"""Fixtures of the travel tests."""

from pathlib import Path

import pytest

from rasid.store import Store
from tests.travel.helpers import add_lists


@pytest.fixture
def lists(store: Store, tmp_path: Path) -> Store:
    """A store holding a national watchlist and a list of lost and stolen documents."""
    return add_lists(store, tmp_path)
