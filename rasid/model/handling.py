"""Handling conditions: the codes Rasid understands in a statement's ``handling`` text,
declared in handling.yml with their labels and what they make Rasid do."""

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

NO_SHARE = "no-share"


@dataclass(frozen=True)
class Condition:
    """One handling code with its English and Arabic labels and its effect."""

    code: str
    en: str
    ar: str
    effect: str


@cache
def vocabulary() -> dict[str, Condition]:
    """Every condition Rasid understands, by code."""
    text = resources.files("rasid.model").joinpath("handling.yml").read_text("utf-8")
    data = yaml.safe_load(text)["conditions"]
    return {code: Condition(code, d["en"], d["ar"], d["effect"]) for code, d in data.items()}


def conditions(handling: str | None) -> list[Condition]:
    """The known conditions named anywhere in a handling text (any case), in the
    vocabulary's order. The store's filter (``rasid.store.visibility``) finds a code the
    same way."""
    if not handling:
        return []
    text = handling.lower()
    return [c for code, c in vocabulary().items() if code in text]
