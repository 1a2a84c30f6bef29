"""Fixtures: the sample linked world in a fresh store (SQLite, and PostgreSQL when set)."""

from pathlib import Path

import pytest

from rasid.store import Store
from tests.graph import sample


@pytest.fixture
def linked(store: Store, tmp_path: Path) -> Store:
    """A store holding ``tests.graph.sample``."""
    sample.load(store, tmp_path)
    return store
