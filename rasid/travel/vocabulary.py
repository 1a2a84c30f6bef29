"""The vocabulary of targeting rules, as declared in ``rules.yml``: the fields criteria may
use (with their labels in English and Arabic, value type, operators and the data they read),
the operators, the value types and how each is written, and the sensitive traits a rule may
never use with the field names, codes and words that reveal them.

The value types are here too: each reads one item of a value as a form, a command line or
the API writes it and gives it in canonical form (``cai-ist`` is ``CAI-IST``; ``KOR`` is
``KR``), or None when it is not of the type.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from followthemoney.types import registry

from rasid.travel.sensitive import Rules, default_rules, load_rules

Value = Any  # a canonical criterion value: tuple of str, float, int, bool or ISO date
TEXT_MAX = 100  # characters of a free-text value


@dataclass(frozen=True)
class Label:
    """A name in English and Arabic."""

    en: str
    ar: str

    def pick(self, lang: str) -> str:
        """The label in ``lang`` (Arabic for "ar", else English)."""
        return self.ar if lang == "ar" else self.en


@dataclass(frozen=True)
class Operator:
    """How a criterion compares: its labels and the shape of its value (list, one, pair)."""

    name: str
    label: Label
    shape: str


@dataclass(frozen=True)
class Choice:
    """One value of a field with a fixed list, and the codes in the data that mean it."""

    name: str
    label: Label
    codes: frozenset[str]


@dataclass(frozen=True)
class FieldSpec:
    """A field criteria may use: its labels, value type, operators and the data it needs."""

    name: str
    label: Label
    type: str
    ops: tuple[str, ...]
    needs: str  # traveller, flight, booking, itinerary, group, version
    says: str  # how an explanation states the traveller's value, "{value}" in it
    says_ar: str = ""  # the same in Arabic
    unit: str = ""
    unit_ar: str = ""
    maximum: float | None = None
    choices: Mapping[str, Choice] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """Everything ``rules.yml`` declares."""

    operators: Mapping[str, Operator]
    types: Mapping[str, Label]
    fields: Mapping[str, FieldSpec]
    weekdays: Mapping[str, Label]
    booleans: Mapping[str, bool]  # a spelling of yes or no, lower case
    traits: Mapping[str, Label]
    field_words: Mapping[str, str]  # a word of a field's name -> the trait it is about
    sensitive: Rules  # rules.yml's codes and words, matched as the safeguard matches
    messages: Mapping[str, Label]

    def message(self, key: str, **params: object) -> Label:
        """A message in both languages, a ``Label`` parameter taken in the same language."""
        template = self.messages[key]

        def fill(lang: str) -> str:
            values = {k: v.pick(lang) if isinstance(v, Label) else v for k, v in params.items()}
            return template.pick(lang).format(**values)

        return Label(fill("en"), fill("ar"))


def _label(data: Mapping[str, Any]) -> Label:
    return Label(str(data["en"]), str(data["ar"]))


def _field(name: str, data: Mapping[str, Any]) -> FieldSpec:
    choices = {
        key: Choice(key, _label(c), frozenset(str(code).upper() for code in c["codes"]))
        for key, c in (data.get("values") or {}).items()
    }
    maximum = data.get("max")
    return FieldSpec(
        name=name,
        label=_label(data),
        type=str(data["type"]),
        ops=tuple(str(op) for op in data["ops"]),
        needs=str(data["needs"]),
        says=str(data["says"]),
        says_ar=str(data["says_ar"]),
        unit=str(data.get("unit", "")),
        unit_ar=str(data.get("unit_ar", "")),
        maximum=float(maximum) if maximum is not None else None,
        choices=choices,
    )


def load_vocabulary(text: str) -> Vocabulary:
    """The vocabulary from the YAML text of a declaration (see ``rules.yml``)."""
    data = yaml.safe_load(text)
    sensitive = data["sensitive"]
    booleans = {
        str(spelling).lower(): key == "true"
        for key, spellings in data["booleans"].items()
        for spelling in spellings
    }
    vocabulary = Vocabulary(
        operators={
            k: Operator(k, _label(v), str(v["value"])) for k, v in data["operators"].items()
        },
        types={k: _label(v) for k, v in data["types"].items()},
        fields={k: _field(k, v) for k, v in data["fields"].items()},
        weekdays={k: _label(v) for k, v in data["weekdays"].items()},
        booleans=booleans,
        traits={k: _label(v) for k, v in sensitive["categories"].items()},
        field_words={str(k): str(v) for k, v in sensitive["field_words"].items()},
        sensitive=load_rules(yaml.safe_dump(sensitive, allow_unicode=True)),
        messages={k: _label(v) for k, v in data["messages"].items()},
    )
    _check_declaration(vocabulary)
    return vocabulary


def _check_declaration(vocabulary: Vocabulary) -> None:
    """Refuse a declaration that refers to what it does not declare."""
    for spec in vocabulary.fields.values():
        unknown = [op for op in spec.ops if op not in vocabulary.operators]
        if unknown or spec.type not in vocabulary.types:
            raise ValueError(f"field {spec.name}: unknown operator or type")
        if (spec.type == "choice") != bool(spec.choices):
            raise ValueError(f"field {spec.name}: a choice field lists its values, no other")
    traits = set(vocabulary.traits)
    if not set(vocabulary.field_words.values()) <= traits:
        raise ValueError("a field word names an undeclared trait")
    if not default_rules().categories <= traits:
        raise ValueError("every category of the safeguard on receipt must be a trait")


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary shipped with Rasid (``rasid/travel/rules.yml``)."""
    text = resources.files("rasid.travel").joinpath("rules.yml").read_text("utf-8")
    return load_vocabulary(text)


# Value types ---------------------------------------------------------------------------

AIRPORT = re.compile(r"[A-Z]{3}")
# An airline designator: two letters or digits, not both digits (9W, U2), or three letters.
DESIGNATOR = r"(?:[A-Z][A-Z0-9]|[0-9][A-Z])[A-Z]?"
CARRIER = re.compile(DESIGNATOR)
FLIGHT = re.compile(rf"({DESIGNATOR})0*([0-9]{{1,4}}[A-Z]?)")
CODE = re.compile(r"[A-Z0-9]{2,20}")
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")


def _text(item: object) -> str:
    if not isinstance(item, str):
        raise TypeError("not text")
    return " ".join(item.split())


def _pattern(pattern: re.Pattern[str], item: object) -> str | None:
    text = _text(item).upper()
    return text if pattern.fullmatch(text) else None


def _airport(spec: FieldSpec, item: object) -> str | None:
    return _pattern(AIRPORT, item)


def _route(spec: FieldSpec, item: object) -> str | None:
    ends = [e for e in re.split(r"[\s\-–>/]+", _text(item).upper()) if e]
    if len(ends) != 2 or not all(AIRPORT.fullmatch(e) for e in ends):
        return None
    return "-".join(ends)


def _country(spec: FieldSpec, item: object) -> str | None:
    return country_code(_text(item))


def country_code(value: str) -> str | None:
    """A country as its upper-case ISO alpha-2 code (from alpha-2, alpha-3 or a name)."""
    found = registry.country.clean(value) if value else None
    return str(found).upper() if found else None


def _carrier(spec: FieldSpec, item: object) -> str | None:
    return _pattern(CARRIER, item)


def _flight(spec: FieldSpec, item: object) -> str | None:
    match = FLIGHT.fullmatch(_text(item).upper().replace(" ", ""))
    return f"{match.group(1)}{match.group(2)}" if match else None


def _date(spec: FieldSpec, item: object) -> str | None:
    if isinstance(item, date):
        return item.isoformat()
    return date.fromisoformat(_text(item)).isoformat()


def _weekday(spec: FieldSpec, item: object) -> str | None:
    text = _text(item).lower()
    for code, label in vocabulary().weekdays.items():
        if text in (code, label.en.lower(), label.ar):
            return code
    return None


def _number(spec: FieldSpec, item: object) -> float | None:
    if isinstance(item, bool):
        return None
    number = float(item) if isinstance(item, int | float) else float(_text(item))
    top = spec.maximum if spec.maximum is not None else float("inf")
    return number if 0 <= number <= top else None


def _integer(spec: FieldSpec, item: object) -> int | None:
    number = _number(spec, item)
    return int(number) if number is not None and number.is_integer() else None


def _boolean(spec: FieldSpec, item: object) -> bool | None:
    if isinstance(item, bool):
        return item
    return vocabulary().booleans.get(_text(item).lower())


def _choice(spec: FieldSpec, item: object) -> str | None:
    text = _text(item).lower()
    for choice in spec.choices.values():
        if text in (choice.name, choice.label.en.lower(), choice.label.ar):
            return choice.name
    return None


def _code(spec: FieldSpec, item: object) -> str | None:
    return _pattern(CODE, item)


def _domain(spec: FieldSpec, item: object) -> str | None:
    text = _text(item).lower().lstrip("@")
    return text if DOMAIN.fullmatch(text) and len(text) <= 253 else None


def _free_text(spec: FieldSpec, item: object) -> str | None:
    text = _text(item)
    return text if 2 <= len(text) <= TEXT_MAX else None


PARSERS = {
    "airport": _airport,
    "route": _route,
    "country": _country,
    "carrier": _carrier,
    "flight": _flight,
    "date": _date,
    "weekday": _weekday,
    "number": _number,
    "integer": _integer,
    "boolean": _boolean,
    "choice": _choice,
    "code": _code,
    "domain": _domain,
    "text": _free_text,
}


# Showing values ------------------------------------------------------------------------


def show_item(item: Value, lang: str = "en") -> str:
    """One value as text: numbers without a needless ".0", yes or no in ``lang``."""
    if isinstance(item, bool):
        return {"en": ("no", "yes"), "ar": ("لا", "نعم")}.get(lang, ("no", "yes"))[item]
    if isinstance(item, float):
        return str(int(item)) if item.is_integer() else f"{item:g}"
    return str(item)
