"""Rasid's statement: FollowTheMoney's statement plus marking, grading, legal basis, retention.

The id is FtM's content hash of (dataset, entity, property, value, language): loading the same
claim twice yields the same id, so re-imports are idempotent. Marking, grades and retention are
attributes of the claim, not part of its identity: re-loading with a new marking updates it.
"""

from datetime import date
from typing import Any

from followthemoney.statement import Statement

from rasid.model.markings import Marking

# Rasid's columns beyond FtM's, in storage order.
RASID_COLUMNS = (
    "marking",
    "handling",
    "source_grade",
    "info_grade",
    "legal_basis",
    "retention_class",
    "mask_after",
    "delete_after",
)


class RasidStatement(Statement):
    """A statement with provenance: who said it, how sure, how marked, how long kept."""

    __slots__ = RASID_COLUMNS

    def __init__(
        self,
        entity_id: str,
        prop: str,
        schema: str,
        value: str,
        dataset: str,
        lang: str | None = None,
        original_value: str | None = None,
        first_seen: str | None = None,
        external: bool = False,
        id: str | None = None,
        canonical_id: str | None = None,
        last_seen: str | None = None,
        origin: str | None = None,
        marking: Marking = Marking.AMBER,
        handling: str | None = None,
        source_grade: str | None = None,
        info_grade: str | None = None,
        legal_basis: str | None = None,
        retention_class: str | None = None,
        mask_after: date | None = None,
        delete_after: date | None = None,
    ) -> None:
        super().__init__(
            entity_id,
            prop,
            schema,
            value,
            dataset,
            lang=lang,
            original_value=original_value,
            first_seen=first_seen,
            external=external,
            id=id,
            canonical_id=canonical_id,
            last_seen=last_seen,
            origin=origin,
        )
        self.marking = marking
        self.handling = handling
        self.source_grade = source_grade
        self.info_grade = info_grade
        self.legal_basis = legal_basis
        self.retention_class = retention_class
        self.mask_after = mask_after
        self.delete_after = delete_after

    def to_full_dict(self) -> dict[str, Any]:
        """FtM's statement dict plus Rasid's columns (dates as ISO strings)."""
        data: dict[str, Any] = dict(self.to_dict())
        for column in RASID_COLUMNS:
            value = getattr(self, column)
            data[column] = value.isoformat() if isinstance(value, date) else value
        data["marking"] = str(self.marking)
        return data
