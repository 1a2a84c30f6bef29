"""Checking the criteria of a targeting rule before it is saved.

A rule's criteria are ``{"all": [criterion, ...], "any": [criterion, ...]}``, each criterion a
field, an operator and a value (``{"field": "route", "op": "in", "value": ["CAI-IST"]}``),
from the vocabulary (``rasid.travel.vocabulary``). A value may be given typed (a list, a
number, true) or as text (``CAI-IST, CAI-ADB``; a range as ``1..24``), as a form or a command
line writes it; the check returns it in one canonical form.

The check refuses, naming the criterion and the reason in English and Arabic: an unknown
field or operator, a value that is not of the field's type, and anything that makes the rule
one on a sensitive trait (EU PNR Directive 2016/681 art. 6(4)): a field whose name says it is
about religion, health and the like, a special-service code for a meal or a medical need,
and a word in any value that names such a trait. The codes and words of the safeguard on
receipt (``sensitive.yml``) are refused too.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rasid.model.errors import ModelError
from rasid.travel.sensitive import default_rules
from rasid.travel.vocabulary import (
    PARSERS,
    TEXT_MAX,
    FieldSpec,
    Label,
    Operator,
    Value,
    show_item,
    vocabulary,
)

MAX_CRITERIA = 20
MAX_VALUES = 200  # values in one criterion
GROUPS = ("all", "any")


# Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a rule cannot be saved, in English and Arabic; which criterion (1-based, in the
    order "all" then "any") and which sensitive trait, when that is the reason."""

    message: Label
    criterion: int | None = None
    field: str = ""
    trait: str | None = None

    def text(self, lang: str = "en") -> str:
        """The problem in ``lang``."""
        return self.message.pick(lang)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the API's)."""
        return {
            "criterion": self.criterion,
            "field": self.field,
            "trait": self.trait,
            "en": self.message.en,
            "ar": self.message.ar,
        }


class RuleRefused(ModelError):
    """A rule, or a change to one, that cannot be saved; ``problems`` say why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "; ".join(p.text("en") for p in self.problems),
            arabic="؛ ".join(p.text("ar") for p in self.problems),
        )

    @property
    def sensitive(self) -> bool:
        """True when a criterion was refused for a sensitive trait."""
        return any(p.trait for p in self.problems)


class _Bad(Exception):
    """One criterion is wrong (carries the message, without the criterion's place)."""

    def __init__(self, message: Label, trait: str | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.trait = trait


# Criteria ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """A field, an operator and a canonical value."""

    field: str
    op: str
    value: Value

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: lists for lists and pairs."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"field": self.field, "op": self.op, "value": value}

    @property
    def spec(self) -> FieldSpec:
        """The field's declaration."""
        return vocabulary().fields[self.field]


@dataclass(frozen=True)
class Criteria:
    """A rule's criteria: every one of ``every`` holds, and one of ``some`` when given."""

    every: tuple[Criterion, ...]
    some: tuple[Criterion, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, ``{"all": [...], "any": [...]}`` ("any" only when used)."""
        found: dict[str, Any] = {"all": [c.to_dict() for c in self.every]}
        if self.some:
            found["any"] = [c.to_dict() for c in self.some]
        return found

    def to_json(self) -> str:
        """Compact JSON, as stored."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion, "all" first."""
        return self.every + self.some

    def needs(self) -> frozenset[str]:
        """What data evaluating the criteria reads."""
        return frozenset(c.spec.needs for c in self.criteria)


def check_criteria(raw: object) -> Criteria:
    """The criteria in canonical form; RuleRefused naming every criterion that is wrong.

    ``raw`` is ``{"all": [...], "any": [...]}`` (or its JSON text, or a bare list: "all")."""
    v = vocabulary()
    groups = _groups(raw)
    if groups is None:
        raise RuleRefused([Problem(v.message("criteria_shape"))])
    total = sum(len(g) for g in groups.values())
    if total == 0:
        raise RuleRefused([Problem(v.message("criteria_empty"))])
    if total > MAX_CRITERIA:
        raise RuleRefused([Problem(v.message("criteria_many", max=MAX_CRITERIA))])
    checked: dict[str, list[Criterion]] = {g: [] for g in GROUPS}
    problems: list[Problem] = []
    number = 0
    for group in GROUPS:
        for item in groups.get(group, []):
            number += 1
            try:
                checked[group].append(check_criterion(item))
            except _Bad as bad:
                problems.append(_placed(number, item, bad))
    if problems:
        raise RuleRefused(problems)
    return Criteria(tuple(checked["all"]), tuple(checked["any"]))


def _groups(raw: object) -> dict[str, list[object]] | None:
    """The criteria lists by group, or None when ``raw`` is not shaped as criteria."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if isinstance(raw, list):
        raw = {"all": raw}
    if not isinstance(raw, Mapping) or not set(raw) <= set(GROUPS):
        return None
    groups = {str(k): v for k, v in raw.items() if v is not None}
    if not all(isinstance(v, list) for v in groups.values()):
        return None
    return groups


def _placed(number: int, item: object, bad: _Bad) -> Problem:
    name = str(item.get("field", "")) if isinstance(item, Mapping) else ""
    where = vocabulary().message("criterion_place", n=number, field=name or "?")
    message = Label(f"{where.en}: {bad.message.en}", f"{where.ar}: {bad.message.ar}")
    return Problem(message, number, name, bad.trait)


def check_criterion(item: object) -> Criterion:
    """One criterion in canonical form; _Bad when it is wrong."""
    v = vocabulary()
    if not isinstance(item, Mapping) or not {"field", "op"} <= set(item):
        raise _Bad(v.message("criterion_shape"))
    name = str(item["field"]).strip()
    spec = v.fields.get(name)
    if spec is None:
        trait = field_trait(name)
        if trait is not None:
            raise _Bad(v.message("field_sensitive", field=name, trait=v.traits[trait]), trait)
        raise _Bad(v.message("field_unknown", field=name))
    op = str(item["op"]).strip()
    if op not in spec.ops:
        ops = ", ".join(spec.ops)
        raise _Bad(v.message("op_unknown", op=op, label=spec.label, ops=ops))
    return Criterion(name, op, _value(spec, v.operators[op], item.get("value")))


def field_trait(name: str) -> str | None:
    """The sensitive trait a field's name is about (by its words), or None."""
    words = vocabulary().field_words
    lowered = name.strip().lower()
    parts = [p for p in re.split(r"[^\w]+|_", lowered) if p]
    return next((words[w] for w in [lowered, *parts] if w in words), None)


def value_trait(text: str) -> str | None:
    """The sensitive trait a value names (a listed code, or a word), or None."""
    for rules in (vocabulary().sensitive, default_rules()):
        found = rules.text_category(text)
        if found is not None:
            return found
    return None


def _items(raw: object, shape: str) -> list[object]:
    """The items of a value: a list as it is, text split on commas (a pair also on "..")."""
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return list(raw)
    if not isinstance(raw, str):
        return [raw]
    text = raw.strip()
    if shape == "one":
        parts = [text]
    elif shape == "pair" and ".." in text:
        parts = text.split("..", 1)
    else:
        parts = re.split(r"[,،;\n]", text)
    return [p.strip() for p in parts if p.strip()]


def _value(spec: FieldSpec, op: Operator, raw: object) -> Value:
    v = vocabulary()
    items = _items(raw, op.shape)
    for item in items:
        trait = value_trait(item) if isinstance(item, str) else None
        if trait is not None:
            shown = str(item)[:TEXT_MAX]
            raise _Bad(v.message("value_sensitive", value=shown, trait=v.traits[trait]), trait)
    if not items:
        raise _Bad(v.message("value_missing"))
    if op.shape == "one" and len(items) != 1:
        raise _Bad(v.message("value_one"))
    if op.shape == "pair" and len(items) != 2:
        raise _Bad(v.message("value_pair"))
    if len(items) > MAX_VALUES:
        raise _Bad(v.message("value_many", max=MAX_VALUES))
    parsed = [parse_item(spec, item) for item in items]
    if op.shape == "one":
        return parsed[0]
    if op.shape == "pair":
        low, high = parsed
        if low > high:
            raise _Bad(v.message("value_order", low=low, high=high))
        return (low, high)
    return tuple(dict.fromkeys(parsed))  # in order, without repeats


def parse_item(spec: FieldSpec, item: object) -> Value:
    """One item of a value as its field's type has it; _Bad when it is not of the type."""
    parser = PARSERS[spec.type]
    try:
        found = parser(spec, item)
    except (TypeError, ValueError):
        found = None
    if found is None:
        v = vocabulary()
        shown = str(item)[:TEXT_MAX]
        raise _Bad(v.message("value_bad", value=shown, expected=v.types[spec.type]))
    return found


# Showing criteria ----------------------------------------------------------------------


def value_text(criterion: Criterion, lang: str = "en") -> str:
    """A criterion's value as a form or a command line writes it (and reads it back)."""
    value = criterion.value
    if vocabulary().operators[criterion.op].shape == "pair":
        return "..".join(show_item(v, lang) for v in value)
    if isinstance(value, tuple):
        return ", ".join(show_item(v, lang) for v in value)
    return show_item(value, lang)


def rule_text(criterion: Criterion, lang: str = "en") -> str:
    """What a criterion asks, for explanations: ``under 24 h``, ``one of CAI`` (in Arabic
    with ``lang="ar"``: ``أقل من 24 ساعة``)."""
    spec, v = criterion.spec, vocabulary()
    arabic = lang == "ar"
    unit = spec.unit_ar if arabic else spec.unit
    unit = f" {unit}" if unit else ""
    op = v.operators[criterion.op]
    label = op.label.ar if arabic else op.label.en
    if op.shape == "pair":
        low, high = (item_text(spec, x, lang) for x in criterion.value)
        return f"{label} {low} و{high}{unit}" if arabic else f"{label} {low} and {high}{unit}"
    value = criterion.value
    items = value if isinstance(value, tuple) else (value,)
    shown = ("، " if arabic else ", ").join(item_text(spec, x, lang) for x in items)
    return shown if op.name == "is" else f"{label} {shown}{unit}"


def item_text(spec: FieldSpec, item: Value, lang: str) -> str:
    """One value as an explanation words it: a choice by its label in Arabic (its key, as
    the rule is written, in English), yes or no in the language."""
    choice = spec.choices.get(item) if isinstance(item, str) and lang == "ar" else None
    return choice.label.ar if choice is not None else show_item(item, lang)
