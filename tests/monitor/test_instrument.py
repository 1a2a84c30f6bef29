"""The instrument file: the toolkit's watch points, strict loading, versions, rating checks."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from rasid.monitor.errors import MonitorError
from rasid.monitor.instrument import applicable, check_rating, load, load_file, versions
from rasid.monitor.model import (
    Confidence,
    Evidence,
    EvidenceKind,
    MappingKind,
    Pillar,
    Rating,
    SubjectKind,
)

PACKAGE_FILE = Path(__file__).parents[2] / "rasid" / "monitor" / "instruments" / "nexus-1.0.yml"
TEST_V2 = Path(__file__).parent / "instruments" / "nexus-2.0.yml"

# The toolkit's nexus monitoring points (seed 003 and its English reference page): each factor's
# Arabic name, its pillar, and its indicators in order.
FACTORS: dict[str, tuple[str, Pillar, list[str]]] = {
    "geography": (
        "جغرافية العمليات",
        Pillar.ENVIRONMENTAL,
        ["Urban or rural proximity to borders.", 'Proximity to an "ungoverned" area.'],
    ),
    "economy": (
        "الاقتصادية",
        Pillar.ENVIRONMENTAL,
        [
            "Prevalence of poverty in the main area of operations.",
            "Part(s) of the local economy dominated by illicit trade.",
            "Visible socio-economic disparities.",
            "The local community shares financial dependencies with criminal or terrorist"
            " groups operating in the area.",
        ],
    ),
    "social": (
        "الوضع الاجتماعي",
        Pillar.ENVIRONMENTAL,
        ["Unequal treatment of minority groups.", "Change(s) in how minority groups are treated."],
    ),
    "security": (
        "الديناميات الأمنية",
        Pillar.ENVIRONMENTAL,
        [
            "Illicit groups (criminal, terrorist or both) operate in areas with porous borders"
            " and established smuggling routes.",
            "Illicit groups share and/or develop a mutual dependence on these routes.",
            "State of the relationship between the government and the security services.",
        ],
    ),
    "political": (
        "المشهد السياسي",
        Pillar.ENVIRONMENTAL,
        [
            "Rise of a hard-line conservative scene / nationalist parties that may breed"
            " resentment among minorities.",
            "Sign(s) of erosion of state institutions' capacity or influence.",
        ],
    ),
    "governance": (
        "الحكم",
        Pillar.ENVIRONMENTAL,
        [
            "Law-enforcement capacity affected by political or other developments.",
            "Legislation conflicting or deficient in addressing organised crime, terrorism or"
            " both.",
        ],
    ),
    "corruption": (
        "الفساد",
        Pillar.ENVIRONMENTAL,
        [
            "Impact of corruption on parts of the public and private sectors.",
            "Systemic corruption weakening and damaging state institutions and security services.",
            "Concerns about intimidation or bribery of officials to facilitate criminal or"
            " terrorist operations and related transactions.",
            "Sign(s) that state institutions are being, or have been, infiltrated.",
        ],
    ),
    "leadership": (
        "القيادة",
        Pillar.ORGANISATIONAL,
        [
            'Disputes among senior "members".',
            "The group splitting into factions.",
            'Noticeable loss of "members".',
            "Leadership isolated from, or exposed to, leadership challenges.",
            "The group unable to survive the loss of its current leader; where leadership is"
            " dispersed, the effect on the group's dynamics and operations.",
        ],
    ),
    "recruitment": (
        "التجنيد",
        Pillar.ORGANISATIONAL,
        [
            "Recruits come from a new demographic.",
            "A shift between ideologically established recruits and the newly radicalised.",
            'The group uses a "redemptive" narrative (belonging, group spirit).',
            "The benefits of joining are purely economic or include financial incentives (of"
            " particular note for terrorist groups).",
            "The place of recruitment changes (from community and schools to prisons).",
            "Fundamental changes in what draws recruits to crime or terrorism: economic"
            " security, social acceptance, moral conviction, physical intimidation.",
        ],
    ),
    "capabilities": (
        "القدرات",
        Pillar.ORGANISATIONAL,
        [
            "The group's internal capabilities or tactics, or both, evolving.",
            "The balance between violence and crime changing.",
            'When its capacity for terrorist acts is hit, the "terrorist" group turns to'
            ' funding through crime and is pushed into "hybrid" status.',
            "The group diversifies its criminal activities to avoid relying on one; entering"
            " new markets brings possible cooperation or competition with another criminal or"
            " terrorist group.",
        ],
    ),
    "external_support": (
        "الدعم الخارجي",
        Pillar.ORGANISATIONAL,
        [
            "The group receives support from an outside network (a diaspora or other"
            " community, through sympathy or intimidation); if so, which network is able to"
            " finance the group.",
        ],
    ),
}


def test_the_factors_and_indicators_are_the_toolkits() -> None:
    instrument = load()
    assert [f.id for f in instrument.factors] == list(FACTORS)
    for factor in instrument.factors:
        arabic, pillar, labels = FACTORS[factor.id]
        assert factor.label.ar == arabic
        assert factor.pillar is pillar
        assert [instrument.indicators[i].label.en for i in factor.indicators] == labels
    assert len(instrument.indicators) == 35
    assert instrument.pillars[Pillar.ENVIRONMENTAL].ar == "العوامل البيئية"
    assert instrument.pillars[Pillar.ORGANISATIONAL].ar == "العوامل التنظيمية"


def test_seed_wording_is_kept_in_arabic() -> None:
    indicators = load().indicators
    assert indicators["economy.poverty"].label.ar == "مدى تفشي الفقر في منطقة العمليات الرئيسية."
    assert "المسؤولين الحكوميين أو رشوتهم" in indicators["corruption.intimidation_bribery"].label.ar
    assert "reconstructed" in indicators["external_support.outside_network"].note


def test_every_indicator_has_five_distinct_anchors_in_both_languages() -> None:
    for indicator in load().indicators.values():
        assert len(indicator.levels) == 5, indicator.id
        assert len({t.en for t in indicator.levels}) == 5, indicator.id
        assert len({t.ar for t in indicator.levels}) == 5, indicator.id
        assert indicator.evidence.ar and indicator.evidence.en
        assert indicator.id.startswith(indicator.factor + ".")
        assert indicator.weight > 0


def test_organisational_indicators_apply_to_groups_only() -> None:
    instrument = load()
    for factor in instrument.factors:
        for ident in factor.indicators:
            kinds = set(instrument.indicators[ident].applies_to)
            if factor.pillar is Pillar.ORGANISATIONAL:
                assert kinds == {SubjectKind.GROUP}, ident
            else:
                assert kinds & {SubjectKind.COUNTRY, SubjectKind.REGION}, ident
    group = {i.id for i in applicable(instrument, SubjectKind.GROUP)}
    assert "leadership.factions" in group and "economy.poverty" in group
    assert "leadership.factions" not in {i.id for i in applicable(instrument, SubjectKind.REGION)}


def test_versions_and_the_current_one() -> None:
    assert versions() == ["1.0"]
    assert load() is load("1.0")
    with pytest.raises(MonitorError, match=r"unknown instrument version '9\.9'"):
        load("9.9")


def _mutated(tmp_path: Path, change: Any, source: Path = PACKAGE_FILE) -> Path:
    data = yaml.safe_load(source.read_text("utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def _indicator(data: dict[str, Any], factor: int = 1, index: int = 0) -> dict[str, Any]:
    item: dict[str, Any] = data["factors"][factor]["indicators"][index]
    return item


def _environmental_only(data: dict[str, Any]) -> None:
    """The file with its organisational pillar and factors taken out (its weight left)."""
    data["pillars"].pop("organisational")
    data["factors"] = [f for f in data["factors"] if f["pillar"] == "environmental"]


BROKEN = [
    ("unknown key", lambda d: d.update(colour="red"), "nexus-1.0.yml: unknown key"),
    (
        "missing Arabic",
        lambda d: _indicator(d)["label"].pop("ar"),
        "factors[1].indicators[0].label.ar: missing Arabic",
    ),
    (
        "four levels",
        lambda d: _indicator(d)["levels"].pop(),
        "factors[1].indicators[0].levels: expected exactly 5",
    ),
    (
        "duplicate id",
        lambda d: _indicator(d, 1, 1).update(id="economy.poverty"),
        "duplicate indicator id 'economy.poverty'",
    ),
    ("zero weight", lambda d: _indicator(d).update(weight=0), "indicators[0].weight: weight"),
    (
        "no indicators",
        lambda d: d["factors"][2].update(indicators=[]),
        "factors[2].indicators: factor 'social' has no indicators",
    ),
    (
        "unknown kind",
        lambda d: _indicator(d).update(applies_to=["planet"]),
        "applies_to[0]: unknown value 'planet'",
    ),
    (
        "pillar weight zero",
        lambda d: d["pillar_weights"].update(organisational=0),
        "pillar_weights.organisational: weight must be a number above 0",
    ),
    (
        "pillar weight of no pillar",
        lambda d: d["pillar_weights"].update(spiritual=1),
        "pillar_weights: unknown key(s): spiritual",
    ),
    (
        "pillar weight of an undeclared pillar",
        lambda d: _environmental_only(d),
        "pillar_weights.organisational: pillar 'organisational' not declared",
    ),
]


def test_pillar_weights_are_declared_equal_and_default_to_equal(tmp_path: Path) -> None:
    shipped = load()
    assert shipped.pillar_weights == {Pillar.ENVIRONMENTAL: 1.0, Pillar.ORGANISATIONAL: 1.0}
    bare = load_file(_mutated(tmp_path, lambda d: d.pop("pillar_weights")))
    assert bare.pillar_weights == {}
    assert all(bare.pillar_weight(p) == 1.0 for p in Pillar)
    heavier = load_file(_mutated(tmp_path, lambda d: d["pillar_weights"].update(environmental=3)))
    assert heavier.pillar_weight(Pillar.ENVIRONMENTAL) == 3.0


@pytest.mark.parametrize(("case", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_invalid_files_are_refused_naming_the_path(
    tmp_path: Path, case: str, change: Any, message: str
) -> None:
    with pytest.raises(MonitorError) as caught:
        load_file(_mutated(tmp_path, change))
    assert message in str(caught.value)


def test_a_later_version_maps_every_indicator() -> None:
    v2 = load_file(TEST_V2)
    assert v2.previous == "1.0"
    kinds = {m.kind for m in v2.mapping}
    assert kinds == {
        MappingKind.RENAMED,
        MappingKind.SPLIT,
        MappingKind.MERGED,
        MappingKind.SAME,
        MappingKind.NEW,
        MappingKind.REMOVED,
    }
    same = next(m for m in v2.mapping if m.kind is MappingKind.SAME)
    assert same.rescale == {2: 3}


MAPPING_BROKEN = [
    (
        "unknown old id",
        lambda d: d["mapping"][0].update(old=["economy.wealth"]),
        "mapping[0].old: 'economy.wealth' is not in version 1.0",
    ),
    (
        "old indicator unaccounted for",
        lambda d: d["mapping"].pop(5),
        "indicator 'political.hardline_rise' of version 1.0 is unaccounted for",
    ),
    (
        "new indicator not mapped",
        lambda d: d["mapping"].pop(4),
        "indicator 'geography.terrain' is not in version 1.0 and not mapped",
    ),
    (
        "split into one",
        lambda d: d["mapping"][1].update(new=["corruption.bribery"]),
        "a 'split' entry takes",
    ),
    (
        "rescale outside the scale",
        lambda d: d["mapping"][3].update(rescale={2: 7}),
        "mapping[3].rescale: levels must be 1..5",
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "message"), MAPPING_BROKEN, ids=[b[0] for b in MAPPING_BROKEN]
)
def test_bad_mappings_are_refused(tmp_path: Path, case: str, change: Any, message: str) -> None:
    with pytest.raises(MonitorError) as caught:
        load_file(_mutated(tmp_path, change, TEST_V2))
    assert "nexus-2.0.yml" in str(caught.value)
    assert message in str(caught.value)


def _evidence(reference: str = "Border report 12/2024") -> Evidence:
    return Evidence(EvidenceKind.CITATION, reference)


RATINGS = [
    (Rating("economy.wealth", 3, confidence=Confidence.LOW), "no such indicator"),
    (Rating("leadership.factions", 3, confidence=Confidence.LOW), "does not apply"),
    (Rating("economy.poverty", 6, confidence=Confidence.LOW), "level must be 1 to 5"),
    (Rating("economy.poverty", 0, confidence=Confidence.LOW), "level must be 1 to 5"),
    (Rating("economy.poverty", 3), "needs a confidence"),
    (Rating("economy.poverty", None), "needs a reason"),
    (Rating("economy.poverty", 3, confidence=Confidence.HIGH), "high confidence needs"),
    (
        Rating("economy.poverty", 3, confidence=Confidence.LOW, evidence=(_evidence(" "),)),
        "evidence item 1 has no reference",
    ),
]


@pytest.mark.parametrize(("rating", "message"), RATINGS)
def test_check_rating_refuses(rating: Rating, message: str) -> None:
    with pytest.raises(MonitorError, match=message) as caught:
        check_rating(load(), SubjectKind.REGION, rating)
    assert rating.indicator in str(caught.value)


@pytest.mark.parametrize(
    "rating",
    [
        Rating("economy.poverty", 3, confidence=Confidence.LOW),
        Rating("economy.poverty", None, reason="no data for the period"),
        Rating("economy.poverty", 5, confidence=Confidence.HIGH, evidence=(_evidence(),)),
    ],
)
def test_check_rating_accepts(rating: Rating) -> None:
    check_rating(load(), SubjectKind.REGION, rating)
