"""Retention classes, declared in retention.yml, and the dates they derive."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from rasid.model.errors import ModelError


@dataclass(frozen=True)
class Period:
    """A calendar period: years and months are added on the calendar, days after them."""

    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """The day this period ends when it starts on ``start`` (month ends are clamped)."""
        months = start.month - 1 + self.months + 12 * self.years
        year, month = start.year + months // 12, months % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=self.days)


@dataclass(frozen=True)
class RetentionClass:
    """How long statements of this class are kept readable, and kept at all."""

    name: str
    label: str
    label_ar: str
    description: str
    mask_after: Period | None
    delete_after: Period | None

    def dates(self, seen: date) -> tuple[date | None, date | None]:
        """The (mask_after, delete_after) dates for a statement first seen on ``seen``."""
        mask = self.mask_after.after(seen) if self.mask_after else None
        delete = self.delete_after.after(seen) if self.delete_after else None
        return mask, delete


def _period(data: dict[str, Any] | None) -> Period | None:
    return Period(**data) if data else None


@cache
def retention_classes() -> dict[str, RetentionClass]:
    """All retention classes shipped with Rasid, by name."""
    text = resources.files("rasid.model").joinpath("retention.yml").read_text("utf-8")
    data = yaml.safe_load(text)["classes"]
    return {
        name: RetentionClass(
            name,
            d["label"],
            d["label_ar"],
            d["description"],
            _period(d.get("mask_after")),
            _period(d.get("delete_after")),
        )
        for name, d in data.items()
    }


def get_retention_class(name: str) -> RetentionClass:
    """The retention class with this name, or a ModelError listing the known ones."""
    try:
        return retention_classes()[name]
    except KeyError:
        known = ", ".join(retention_classes())
        raise ModelError(f"unknown retention class {name!r} (known: {known})") from None
