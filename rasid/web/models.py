"""Response models of the JSON API (they are its OpenAPI schemas, and feed the pages too)."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    # ``schema`` is an FtM word but a BaseModel attribute: fields use ``schema_`` with an alias.
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class Health(_Model):
    """Whether the service can answer, and against which database."""

    status: str = Field(description="'ok', or 'unavailable' when the database needs migrating")
    version: str = Field(description="Rasid's version")
    database: str = Field(description="Database dialect: sqlite or postgresql")
    revision: str | None = Field(description="Migration the database is at")
    head: str | None = Field(description="Newest migration this version of Rasid ships")
    migrations_ok: bool = Field(description="True when the database is at the newest migration")


class Grade(_Model):
    """A grade code with its labels on the configured evaluation scale."""

    code: str
    label: str = Field(description="English label ('' if the code is not on the scale)")
    label_ar: str = Field(description="Arabic label")


class StatementOut(_Model):
    """One property value and its provenance: who said it, when, how marked, how graded."""

    id: str = Field(description="Content-derived statement id")
    prop: str = Field(description="FtM property name")
    value: str
    lang: str | None = None
    original_value: str | None = None
    dataset: str = Field(description="Dataset the statement belongs to")
    agency: str | None = Field(description="Agency owning the dataset")
    first_seen: str
    last_seen: str
    marking: str = Field(description="TLP 2.0 marking, e.g. TLP:AMBER")
    handling: str | None = Field(default=None, description="Handling conditions, as written")
    conditions: list[Grade] = Field(
        default_factory=list,
        description="The handling conditions Rasid understands in `handling` (code and "
        "labels), which it enforces",
    )
    source_grade: Grade | None = Field(description="Source reliability")
    info_grade: Grade | None = Field(description="Information credibility")
    legal_basis: str | None = None
    retention_class: str | None = None
    mask_after: date | None = None
    delete_after: date | None = None
    masked: bool = Field(
        default=False,
        description="The value is masked (depersonalised after its mask date): `value` is "
        "the mask. Ask to see it again under /api/retention/unmask",
    )


class EntityOut(_Model):
    """An entity as the caller sees it: FtM properties assembled from readable statements."""

    id: str
    schema_: str = Field(alias="schema", description="FtM schema name")
    caption: str = Field(description="Display name")
    datasets: list[str] = Field(description="Datasets that contributed statements")
    properties: dict[str, list[str]]


class EntityDetail(EntityOut):
    """An entity with every value's provenance."""

    grading_scale: str = Field(description="Evaluation scale the grades are read on")
    statements: list[StatementOut]
    merged_from: list[str] = Field(
        default_factory=list,
        description="The entity ids people's judgements merged into this entity (its id is "
        "the smallest of them; any of them finds it); empty when it was not merged",
    )


class EntityPage(_Model):
    """One page of entities. There is no total count: ``next_offset`` says whether (and
    where) the next page starts."""

    q: str | None = Field(description="The name searched for, if any")
    schema_: str | None = Field(alias="schema", description="Schema filter, if any")
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last")
    results: list[EntityOut]


class AgencyOut(_Model):
    """A contributing agency."""

    name: str
    label: str
    label_ar: str
    kind: str
    datasets: int = Field(description="How many of its datasets the caller may read")


class DatasetRef(_Model):
    """A dataset's name and title, and the agency that owns it."""

    name: str
    title: str
    agency: str
    agency_label: str
    agency_label_ar: str


class DatasetOut(DatasetRef):
    """A dataset, its owning agency, the rules its statements inherit, and what it holds."""

    kind: str = Field(description="'source' (agency data) or 'watchlist'")
    purpose: str
    legal_basis: str
    default_marking: str
    retention_class: str
    entities: int
    statements: int
    quarantined: int = Field(description="Records or values held back by imports")


class Stats(_Model):
    """What the caller's readable datasets hold."""

    entities: int
    entities_by_schema: dict[str, int]
    statements: int
    datasets: int
    quarantined: int


class ErrorOut(_Model):
    """An error: what went wrong, in words."""

    detail: str


def signed_in() -> dict[int | str, dict[str, Any]]:
    """The responses of a route that needs a signed-in caller allowed to use it."""
    return {
        401: {"model": ErrorOut, "description": "No valid token or session"},
        403: {"model": ErrorOut, "description": "The caller's role or token does not allow this"},
    }


MAX_OFFSET = 1_000_000_000  # results a page may skip (databases hold 64-bit integers)
MAX_ID = 2_147_483_647  # the largest number an integer id column holds (32-bit on PostgreSQL)
