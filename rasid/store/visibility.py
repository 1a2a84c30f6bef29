"""Which statements a read may return.

This is the mechanism only: ``rasid.access.policy`` decides, for a caller, which datasets
are readable whole, which only in part (shared by another agency) and which markings a
share withholds; the store turns that into a WHERE clause and decides nothing. Likewise for
masking (depersonalisation): the policy hands a read a ``Masker`` (``rasid.retention.mask``)
and the store passes every statement it reads through it.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rasid.model.statement import RasidStatement
from rasid.store.tables import disclosure, statement


class Masker(Protocol):
    """How a read masks personal data whose mask date has come (see rasid.retention.mask)."""

    @property
    def today(self) -> date:
        """The day the read happens on: values whose mask date is at most this are masked."""

    @property
    def datasets(self) -> frozenset[str]:
        """The datasets whose statements may be masked."""

    @property
    def unmasked_names(self) -> frozenset[tuple[str, str]]:
        """(entity id, dataset) whose masked names this reader may see and search for."""

    def statement(self, stmt: RasidStatement) -> RasidStatement:
        """The statement as this read shows it."""

    def row(self, table: str, row: Mapping[str, Any], dataset: str | None = None) -> dict[str, Any]:
        """A travel row as this read shows it (``masked``: whether it is)."""


@dataclass(frozen=True)
class Visibility:
    """Datasets readable whole; datasets readable except the statements of some markings
    (dataset name to the withheld marking values); and whose disclosures (statements a
    dissemination gave to an agency or a named user) are readable too. Iterating gives
    every dataset name readable as a whole or in part."""

    whole: frozenset[str]
    partial: Mapping[str, frozenset[str]] = field(default_factory=dict)
    grantee: tuple[str, str] | None = None  # (agency, user): statements disclosed to them
    # Handling codes whose statements the partly readable datasets withhold too (a code
    # found anywhere in a statement's handling text, in any case).
    withheld_handling: frozenset[str] = frozenset()
    # Masking of personal data past its mask date (None: values are shown as stored).
    masking: Masker | None = None

    @property
    def datasets(self) -> frozenset[str]:
        """Every dataset of which something is readable."""
        return self.whole | frozenset(self.partial)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.datasets))

    def __contains__(self, dataset: object) -> bool:
        return dataset in self.whole or dataset in self.partial

    def __len__(self) -> int:
        return len(self.datasets)


Readable = Visibility | Iterable[str] | None
"""What a read may see: a Visibility, plain dataset names (readable whole), or None (all)."""


def masker(readable: Readable) -> Masker | None:
    """The masking a read applies (only a Visibility carries one)."""
    return readable.masking if isinstance(readable, Visibility) else None


def dataset_filter(readable: Readable) -> ColumnElement[bool] | None:
    """The WHERE clause on ``statement`` for ``readable`` (None: no limit)."""
    if readable is None:
        return None
    if not isinstance(readable, Visibility):
        return statement.c.dataset.in_(sorted(set(readable)))
    clauses: list[ColumnElement[bool]] = []
    if readable.whole:
        clauses.append(statement.c.dataset.in_(sorted(readable.whole)))
    for withheld, names in _by_withheld(readable).items():
        clause: ColumnElement[bool] = statement.c.dataset.in_(names)
        if withheld:
            clause = and_(clause, statement.c.marking.not_in(sorted(withheld)))
        for code in sorted(readable.withheld_handling):
            clause = and_(clause, _without_handling(code))
        clauses.append(clause)
    if readable.grantee is not None:
        agency, user = readable.grantee
        disclosed = select(disclosure.c.statement_id).where(
            disclosure.c.agency == agency,
            or_(disclosure.c.user_name.is_(None), disclosure.c.user_name == user),
        )
        clauses.append(statement.c.id.in_(disclosed))
    if not clauses:
        return statement.c.dataset.in_([])  # nothing readable
    return or_(*clauses)


def admits(readable: Readable, dataset: str, marking: str, handling: str | None) -> bool:
    """Whether ``dataset_filter(readable)`` lets through a statement of this dataset,
    marking and handling (disclosures aside: they name single statements). For reads
    that hold statements in memory (the link graph) and must decide as the WHERE clause
    would."""
    if readable is None:
        return True
    if not isinstance(readable, Visibility):
        return dataset in set(readable)
    if dataset in readable.whole:
        return True
    withheld = readable.partial.get(dataset)
    if withheld is None or marking in withheld:
        return False
    text = (handling or "").lower()
    return not any(code.lower() in text for code in readable.withheld_handling)


def _without_handling(code: str) -> ColumnElement[bool]:
    """Statements whose handling text does not name ``code``."""
    handling = statement.c.handling
    return or_(handling.is_(None), not_(func.lower(handling).contains(code.lower())))


def _by_withheld(readable: Visibility) -> dict[frozenset[str], list[str]]:
    """The partly readable datasets grouped by what they withhold (one clause a group)."""
    groups: dict[frozenset[str], list[str]] = {}
    for name in sorted(readable.partial):
        if name not in readable.whole:
            groups.setdefault(readable.partial[name], []).append(name)
    return groups
