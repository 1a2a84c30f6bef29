"""Messages and labels of the web interface, in Arabic (the default) and English.

Messages are data: ``i18n/ar.yml`` and ``i18n/en.yml`` hold the same keys (a test checks),
nested in YAML and addressed here by dotted keys (``search.title``). Labels of FtM schemata
and properties come, for Arabic, from ``i18n/labels_ar.yml``, then FtM's own Arabic catalogue,
then English; for English, from FtM.
"""

import gettext
import os
from functools import cache
from importlib import resources
from typing import Any

import followthemoney
import yaml
from babel import Locale, UnknownLocaleError
from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry

LANGS = ("ar", "en")
DEFAULT_LANG = "ar"
COOKIE = "rasid_lang"
RTL = frozenset({"ar"})


def _load(name: str) -> dict[str, Any]:
    text = resources.files("rasid.web").joinpath(f"i18n/{name}").read_text("utf-8")
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else {}


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested YAML mappings as one mapping of dotted keys to strings."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{dotted}."))
        else:
            flat[dotted] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """The messages of one language, by dotted key."""
    return flatten(_load(f"{lang}.yml"))


@cache
def arabic_labels() -> dict[str, Any]:
    """Rasid's own Arabic labels for schemata, properties and values."""
    return _load("labels_ar.yml")


@cache
def _ftm_arabic() -> gettext.NullTranslations:
    path = os.path.join(os.path.dirname(followthemoney.__file__), "translations")
    return gettext.translation("followthemoney", path, ["ar"], fallback=True)


def _ftm_ar(english: str) -> str | None:
    translated = _ftm_arabic().gettext(english)
    return translated if translated and translated != english else None


def lineage(schema: Schema) -> list[Schema]:
    """The schema and its ancestors, nearest first."""
    found: list[Schema] = []
    queue = [schema]
    while queue:
        current = queue.pop(0)
        if current not in found:
            found.append(current)
            queue.extend(current.extends)
    return found


def pick_lang(value: str | None) -> str | None:
    """The language code if it is one the interface speaks, else None."""
    return value if value in LANGS else None


class Translator:
    """Messages and labels in one language; templates call it as ``t("key")``."""

    def __init__(self, lang: str) -> None:
        self.lang = pick_lang(lang) or DEFAULT_LANG
        self.messages = catalog(self.lang)

    @property
    def dir(self) -> str:
        """The writing direction of the language: 'rtl' or 'ltr'."""
        return "rtl" if self.lang in RTL else "ltr"

    @property
    def other(self) -> str:
        """The other language the interface speaks (the language switch's target)."""
        return next(code for code in LANGS if code != self.lang)

    def __call__(self, key: str, **params: Any) -> str:
        """The message for ``key`` (English, then the key itself, if missing)."""
        text = self.messages.get(key) or catalog("en").get(key) or key
        return text.format(**params) if params else text

    def pick(self, english: str | None, arabic: str | None) -> str:
        """Whichever of two labels fits the language (the other one if it is empty)."""
        if self.lang == "ar":
            return arabic or english or ""
        return english or arabic or ""

    def schema(self, schema: Schema | str, plural: bool = False) -> str:
        """The label of an FtM schema (or its plural)."""
        found = model.get(schema) if isinstance(schema, str) else schema
        if found is None:
            return str(schema)
        english = str(found.plural if plural else found.label)
        if self.lang != "ar":
            return english
        own = arabic_labels().get("schemata", {}).get(found.name, {})
        return str(own.get("plural" if plural else "label") or _ftm_ar(english) or english)

    def prop(self, prop: Property, schema: Schema | None = None) -> str:
        """The label of an FtM property, as seen on ``schema`` (default: its own)."""
        english = str(prop.label)
        if self.lang != "ar":
            return english
        own = arabic_labels().get("properties", {})
        keys = [f"{s.name}:{prop.name}" for s in lineage(schema or prop.schema)]
        label = next((own[k] for k in keys if k in own), None)
        return str(label or own.get(prop.name) or _ftm_ar(english) or english)

    def value(self, prop: Property, value: str) -> str:
        """A property value as a reader of this language wants it: country, gender and topic
        codes become names; anything else is returned as it is."""
        if prop.type == registry.country:
            return self.country(value)
        if prop.type == registry.topic:
            label = str(registry.topic.caption(value, format=None) or value)
            if self.lang != "ar":
                return label
            return self._own_value("topics", value) or _ftm_ar(label) or label
        if prop.type == registry.gender:
            return self.gender(value)
        return value

    def gender(self, value: str) -> str:
        """FtM's gender value (male, female, other) in this language."""
        if self.lang != "ar":
            return value.capitalize()
        return self._own_value("gender", value) or value

    def _own_value(self, kind: str, value: str) -> str | None:
        found = arabic_labels().get("values", {}).get(kind, {}).get(value)
        return str(found) if found else None

    def country(self, code: str) -> str:
        """A country's name, from its ISO code (two or three letters), in this language."""
        code = registry.country.clean(code) or code  # three-letter codes too (DZA: dz)
        try:
            name = Locale.parse(self.lang).territories.get(code.upper())
        except (UnknownLocaleError, ValueError):
            name = None
        return str(name or registry.country.caption(code, format=None) or code)
