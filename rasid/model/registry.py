"""Agencies and datasets: who asserts facts, and under what purpose and law.

A dataset belongs to one agency and carries the defaults its statements inherit: marking,
legal basis and retention class. Names are lower-case ASCII slugs with underscores, the
form FollowTheMoney requires of dataset names.
"""

import re
from dataclasses import dataclass

from rasid.model.errors import ModelError
from rasid.model.markings import Marking
from rasid.model.retention import get_retention_class

_NAME = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


def check_name(name: str, what: str) -> str:
    """Return ``name`` if it is a valid agency or dataset name, else raise ModelError."""
    if not _NAME.match(name):
        raise ModelError(
            f"invalid {what} name {name!r}: use lower-case letters, digits and single "
            "underscores (e.g. border_police)"
        )
    return name


@dataclass(frozen=True)
class Agency:
    """A contributing agency (police, border, FIU, prisons...)."""

    name: str
    label: str
    label_ar: str = ""
    kind: str = ""

    def __post_init__(self) -> None:
        check_name(self.name, "agency")


DATASET_KINDS = ("source", "watchlist", "documents")


@dataclass(frozen=True)
class Dataset:
    """A body of statements owned by one agency, with the defaults its statements inherit."""

    name: str
    agency: str
    title: str
    purpose: str = ""
    legal_basis: str = ""
    default_marking: Marking = Marking.AMBER
    retention_class: str = "intelligence-5y"
    # "source" for agency data, "watchlist" for lists screened against by name, "documents"
    # for lists of lost, stolen or revoked travel documents (matched on number and issuing
    # state, exactly).
    kind: str = "source"

    def __post_init__(self) -> None:
        check_name(self.name, "dataset")
        check_name(self.agency, "agency")
        get_retention_class(self.retention_class)
        if self.kind not in DATASET_KINDS:
            raise ModelError(f"unknown dataset kind {self.kind!r}: {', '.join(DATASET_KINDS)}")
