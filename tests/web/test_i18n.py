"""Message catalogues and labels: Arabic and English in step, templates only use known keys."""

import re
from importlib import resources
from pathlib import Path

import pytest
from followthemoney import model
from followthemoney.types import registry

from rasid.exchange.messages import Kind
from rasid.model.registry import DATASET_KINDS
from rasid.resolve.model import Status
from rasid.screen.hits import HitStatus
from rasid.screen.model import MATCH_KINDS
from rasid.web import account, graph_pages, hits_pages
from rasid.web.i18n import LANGS, Translator, arabic_labels, catalog
from rasid.web.render import ERROR_TITLES, OTHER_ERROR_TITLE

WEB = Path(str(resources.files("rasid.web")))
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
KEY_CALL = re.compile(r"""\bt\(\s*["']([\w.]+)["']\s*[,)]""")


def test_catalogues_have_the_same_keys() -> None:
    arabic, english = set(catalog("ar")), set(catalog("en"))
    assert arabic - english == set(), "keys only in ar.yml"
    assert english - arabic == set(), "keys only in en.yml"


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_is_empty(lang: str) -> None:
    assert [k for k, v in catalog(lang).items() if not v.strip()] == []


def test_templates_use_exactly_the_catalogue_keys() -> None:
    assert TEMPLATES
    used = {key for path in TEMPLATES for key in KEY_CALL.findall(path.read_text("utf-8"))}
    # Keys built at run time: error titles and dataset kinds.
    used |= {*ERROR_TITLES.values(), OTHER_ERROR_TITLE}
    used |= {f"datasets.kind_{k}" for k in DATASET_KINDS}
    used |= set(account.MESSAGES)
    used |= set(graph_pages.CLIENT_MESSAGES) | {f"graph.pivot.{p}" for p in graph_pages.PIVOTS}
    used |= {f"kind.{k.value}" for k in Kind}
    used |= {f"hit_status.{s.value}" for s in HitStatus}
    used |= {f"hit_action.{s.value}" for s in HitStatus}
    used |= {f"hit_kind.{k}" for k in MATCH_KINDS}
    used |= {f"resolve_status.{s.value}" for s in Status}
    used |= {f"hit_source.{s}" for s in hits_pages.SOURCES} | set(hits_pages.FLIGHT_KEYS)
    assert len(used) > 50
    assert used - set(catalog("ar")) == set(), "used but not in the catalogues"
    assert set(catalog("ar")) - used == set(), "in the catalogues but never used"


def test_arabic_messages_are_arabic() -> None:
    # Keys whose value is the same in both languages (names, codes) are few.
    same = {k for k, v in catalog("ar").items() if v == catalog("en")[k]}
    assert same == {"app.name"}


def test_arabic_labels_name_real_schemata_and_properties() -> None:
    labels = arabic_labels()
    for name in labels["schemata"]:
        assert model.get(name) is not None, name
    known = {p.name for s in model.schemata.values() for p in s.properties.values()}
    for key in labels["properties"]:
        if ":" in key:
            schema, prop = key.split(":")
            assert prop in model.get(schema).properties, key
        else:
            assert key in known, key
    assert set(labels["values"]["topics"]) <= set(registry.topic.names)
    assert set(labels["values"]["gender"]) <= set(registry.gender.names)


def test_schema_and_property_labels() -> None:
    ar, en = Translator("ar"), Translator("en")
    person, passport = model.get("Person"), model.get("Passport")
    assert ar.schema("Sanction") == "جزاء" and ar.schema("Sanction", plural=True) == "جزاءات"
    assert en.schema("Sanction") == "Sanction"
    assert ar.prop(person.properties["alias"]) == "اسم آخر"  # FtM leaves it untranslated
    assert ar.prop(person.properties["fatherName"]) == "اسم الأب"
    assert ar.prop(passport.properties["startDate"], passport) == "تاريخ الإصدار"
    assert ar.prop(model.get("Event").properties["startDate"]) == "تاريخ البدء"
    assert en.prop(person.properties["birthDate"]) == "Birth date"


def test_labels_fall_back_to_ftm_then_english() -> None:
    ar = Translator("ar")
    # Not in labels_ar.yml, translated by FtM's own Arabic catalogue.
    assert ar.schema("Company") == "شركة"
    assert ar.schema("Debt") == ar.schema("Debt")  # whatever FtM has, never empty
    assert ar.schema("NoSuchSchema") == "NoSuchSchema"
    assert ar("no.such.key") == "no.such.key"


def test_values_in_the_readers_language() -> None:
    person = model.get("Person")
    ar, en = Translator("ar"), Translator("en")
    assert ar.value(person.properties["nationality"], "iq") == "العراق"
    assert en.value(person.properties["nationality"], "iq") == "Iraq"
    assert ar.value(person.properties["gender"], "female") == "أنثى"
    assert en.value(person.properties["gender"], "female") == "Female"
    assert ar.value(person.properties["name"], "Omar") == "Omar"


def test_direction_and_switch() -> None:
    assert (Translator("ar").dir, Translator("ar").other) == ("rtl", "en")
    assert (Translator("en").dir, Translator("en").other) == ("ltr", "ar")
    assert Translator("de").lang == "ar"


def test_stylesheet_uses_logical_properties_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", (WEB / "static" / "rasid.css").read_text("utf-8"), flags=re.S)
    physical = re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css)
    assert physical == []
