"""The JSON of stored records: ``to_json`` writes what encoding ``plain`` of the record writes,
for every record of every sample and for made-up values of every kind ``plain`` converts."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.travel.jsonform import plain, to_json
from rasid.travel.parse import parse
from tests.travel.helpers import SAMPLES, SENSITIVE_PNR, sample

FAST = settings(max_examples=300, derandomize=True, deadline=None)


def reference(value: Any) -> str:
    """The JSON the records' text is defined as."""
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def records(data: bytes) -> list[Any]:
    result = parse(data)
    found: list[Any] = [*result.manifests, *result.pnr_batches]
    for batch in result.pnr_batches:
        for pnr in batch.pnrs:
            found.extend([pnr, *pnr.travellers, *pnr.itinerary, pnr.agency, pnr.payments])
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_record_is_written_as_plain_defines(name: str) -> None:
    found = records(sample(name))
    assert found
    for record in found:
        assert to_json(record) == reference(record)


def test_places_in_the_file_are_left_out() -> None:
    [batch] = parse(SENSITIVE_PNR).pnr_batches
    text = to_json(batch.pnrs[0])
    assert '"position"' not in text and '"line"' not in text
    assert to_json(batch.pnrs[0]) == reference(batch.pnrs[0])


@dataclass(frozen=True)
class Inner:
    when: date | None
    amount: Decimal | None
    position: int = 0  # left out, as in the parsed records


@dataclass(frozen=True)
class Outer:
    name: str
    inner: tuple[Inner, ...]
    extra: dict[str, Any]
    line: int = 0


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=False, allow_infinity=False),
)
INNER = st.builds(
    Inner,
    st.one_of(st.none(), st.dates(), st.datetimes()),
    st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False)),
    st.integers(),
)
VALUES = st.recursive(
    st.one_of(LEAVES, INNER),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.builds(
            Outer,
            st.text(),
            st.lists(INNER, max_size=3).map(tuple),
            st.dictionaries(st.text(max_size=5), inner, max_size=3),
        ),
    ),
    max_leaves=20,
)


@FAST
@given(VALUES)
def test_any_value_is_written_as_plain_defines(value: Any) -> None:
    assert to_json(value) == reference(value)


def test_a_value_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        to_json({"x": object()})
    assert to_json({"at": datetime(2024, 1, 2, 3, 4)}) == '{"at":"2024-01-02T03:04:00"}'
