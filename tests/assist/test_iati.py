"""IATI 2.03 activity XML: the round trip, the example files, quarantined activities and
dropped values with their place, unsafe and unreadable documents, and a fuzz test."""

import re
from dataclasses import replace
from datetime import date, datetime
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from rasid.assist.errors import AssistError
from rasid.assist.iati import NAMESPACE, VOCABULARY_URI, read_iati, write_iati
from rasid.assist.model import (
    ActivityStatus,
    Actual,
    Budget,
    ImportProblem,
    Indicator,
    OrgRole,
    Participant,
    Project,
    ProjectImport,
    ProjectKind,
    Result,
)
from rasid.assist.taxonomy import builtin
from rasid.model.markings import Marking

TAXONOMY = builtin()
GENERATED = datetime(2026, 11, 1, 9, 30)
EXAMPLES = ("donors-north.xml", "donors-south.xml")
SCHEMA_ORDER = [
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "activity-status",
    "activity-date",
    "recipient-country",
    "location",
    "sector",
    "budget",
    "transaction",
    "result",
]


def example(name: str) -> bytes:
    """An example file shipped with the package."""
    return resources.files("rasid.assist").joinpath("examples", name).read_bytes()


def full_project() -> Project:
    """A project using every field the IATI file carries."""
    days = Indicator(
        id=None,
        title="Average days to answer a request for information",
        ascending=False,
        baseline=30.0,
        baseline_date=date(2025, 6, 30),
        target=10.0,
        target_date=date(2027, 6, 30),
        actuals=(
            Actual(date(2025, 12, 31), 26.0, "First half-year"),
            Actual(date(2026, 6, 30), 21.5, reported_by="Financial Intelligence Unit"),
        ),
        result="Faster answers",
    )
    share = Indicator(
        id=None,
        title="Share of flights with API data",
        ascending=True,
        baseline=0.0,
        baseline_date=date(2025, 1, 1),
        target=80.0,
        target_date=date(2026, 12, 31),
        measure="percentage",
        result="Passenger data received",
    )
    return Project(
        id=None,
        identifier="XM-EX-RASID-0001",
        kind=ProjectKind.PROJECT,
        title="Financial investigation & border data",
        title_ar="التحقيق المالي وبيانات الحدود",
        description="Fictional project for the test.\nSecond paragraph.",
        status=ActivityStatus.IMPLEMENTATION,
        countries=("ZZ", "XB", "XC"),
        start=date(2025, 7, 1),
        end=date(2027, 6, 30),
        currency="EUR",
        budgets=(
            Budget(date(2025, 7, 1), date(2026, 6, 30), 850000.5, "EUR"),
            Budget(date(2026, 7, 1), date(2027, 6, 30), 0.1, "USD"),
        ),
        spent=720000.25,
        participants=(
            Participant(OrgRole.FUNDING, "Government of Norway", "XM-EX-ORG-NO", "10"),
            Participant(OrgRole.FUNDING, "European Union", type="40"),
            Participant(OrgRole.EXTENDING, "Ministry of Interior"),
            Participant(OrgRole.IMPLEMENTING, "UNODC", type="40"),
        ),
        themes=("gp-21", "gp-25"),
        dac=("24010", "15136"),
        beneficiaries=("Financial Intelligence Unit", "Border Police"),
        region="Al-Marfa coast",
        results=(
            Result("Faster answers", (days,), type=2),
            Result("Passenger data received", (share,)),
            Result("Nothing measured yet"),
        ),
        agency="coordination",
        marking=Marking.AMBER,
        released_to=("UNODC", "European Union"),
        source="iati:out.xml",
    )


def offer() -> Project:
    """An offer: no dates, no money, one country, themes without DAC codes."""
    return Project(
        id=None,
        identifier="XM-EX-RASID-0002",
        kind=ProjectKind.OFFER,
        title="Mentoring for prison officers",
        description="",
        status=ActivityStatus.PIPELINE,
        countries=("ZZ",),
        start=None,
        end=None,
        currency="USD",
        themes=("gp-24", "gp-17"),
        agency="coordination",
        source="iati:out.xml",
    )


def read(data: bytes, name: str = "out.xml") -> ProjectImport:
    """Read with the built-in taxonomy for the coordination agency."""
    return read_iati(data, name, TAXONOMY, agency="coordination")


def test_round_trip_gives_the_projects_back() -> None:
    projects = [full_project(), offer(), replace(offer(), identifier="XM-EX-RASID-0003",
                released_to=(), marking=Marking.RED, kind=ProjectKind.PROJECT)]  # fmt: skip
    got = read(write_iati(projects, TAXONOMY, generated=GENERATED))
    assert got.quarantined == () and got.dropped == ()
    assert list(got.projects) == projects


def test_themes_without_dac_are_exported_with_the_taxonomy_dac_codes() -> None:
    root = etree.fromstring(write_iati([offer()], TAXONOMY, generated=GENERATED))
    sectors = root.findall("iati-activity/sector")
    ours = [(s.get("code"), s.get("percentage")) for s in sectors if s.get("vocabulary") == "99"]
    dac = [s for s in sectors if s.get("vocabulary") == "1"]
    assert ours == [("gp-24", "50"), ("gp-17", "50")]
    assert {s.get("vocabulary-uri") for s in sectors if s.get("vocabulary") == "99"} == {
        VOCABULARY_URI
    }
    # gp-24 → 15137; gp-17 → 15137, 15220: each code once, percentages summing to 100
    assert [s.get("code") for s in dac] == ["15137", "15220"]
    assert [s.get("percentage") for s in dac] == ["50", "50"]
    assert all(s.get(f"{{{NAMESPACE}}}from-themes") == "1" for s in dac)
    assert read(etree.tostring(root)).projects[0].dac == ()


def test_export_follows_the_schema_order_and_splits_country_percentages() -> None:
    data = write_iati([full_project()], TAXONOMY, generated=GENERATED)
    root = etree.fromstring(data)
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-11-01T09:30:00"
    act = root.find("iati-activity")
    assert act is not None
    assert act.get("last-updated-datetime") == "2026-11-01T09:30:00"
    assert act.get("default-currency") == "EUR"
    assert act.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    tags = [el.tag for el in act if isinstance(el.tag, str)]
    iati = [t for t in tags if not t.startswith("{")]
    assert sorted(set(iati), key=iati.index) == SCHEMA_ORDER
    assert iati == sorted(iati, key=SCHEMA_ORDER.index)
    assert all(t.startswith(f"{{{NAMESPACE}}}") for t in tags[len(iati) :])
    shares = [c.get("percentage") for c in act.findall("recipient-country")]
    assert shares == ["33.33", "33.33", "33.34"]
    assert act.findtext("reporting-org/narrative") == "Government of Norway"
    assert act.findtext("title/narrative[@{http://www.w3.org/XML/1998/namespace}lang='ar']") == (
        "التحقيق المالي وبيانات الحدود"
    )
    # started and running: the start is an actual date (2), the end a planned one (3)
    assert [d.get("type") for d in act.findall("activity-date")] == ["2", "3"]
    spent = act.find("transaction")
    assert spent is not None
    assert spent.find("transaction-type").get("code") == "3"  # type: ignore[union-attr]
    assert spent.find("transaction-date").get("iso-date") == "2027-06-30"  # type: ignore[union-attr]
    assert spent.findtext("value") == "720000.25"


def test_reporting_org_is_the_given_one_else_the_first_funder_else_the_agency() -> None:
    given = Participant(OrgRole.ACCOUNTABLE, "Ministry of Foreign Affairs", "XM-EX-MFA", "10")
    root = etree.fromstring(
        write_iati([full_project()], TAXONOMY, generated=GENERATED, reporting_org=given)
    )
    org = root.find("iati-activity/reporting-org")
    assert org is not None and org.get("ref") == "XM-EX-MFA"
    assert org.findtext("narrative") == "Ministry of Foreign Affairs"
    root = etree.fromstring(write_iati([offer()], TAXONOMY, generated=GENERATED))
    assert root.findtext("iati-activity/reporting-org/narrative") == "coordination"
    assert root.find("iati-activity/transaction") is None  # nothing spent


def test_a_character_xml_cannot_carry_is_an_error_naming_the_project() -> None:
    with pytest.raises(AssistError, match="XM-EX-RASID-0002"):
        write_iati([replace(offer(), title="bell \x07")], TAXONOMY, generated=GENERATED)


# --- the example files ----------------------------------------------------------------------


def examples() -> list[Project]:
    """Every project of the two example files, checked to read cleanly."""
    projects: list[Project] = []
    for name in EXAMPLES:
        got = read(example(name), name)
        assert got.quarantined == () and got.dropped == (), name
        projects.extend(got.projects)
    return projects


def test_the_examples_read_without_quarantine() -> None:
    projects = examples()
    assert 6 <= len(projects) <= 10
    for project in projects:
        assert project.identifier.startswith("XM-RASID-DEMO-")
        assert project.description.startswith("Fictional project written for the Rasid demo.")
        assert project.title_ar and "ZZ" in project.countries
        assert project.source.startswith("iati:donors-")
    themes = {t for p in projects for t in p.themes}
    assert {"gp-21", "gp-25", "gp-24", "gp-23", "gp-09", "gp-14"} <= themes
    assert any(p.countries == ("ZZ", "XB") for p in projects)


def test_an_example_project_reads_in_full() -> None:
    project = next(p for p in examples() if p.identifier == "XM-RASID-DEMO-NO-0001")
    assert project.title_ar == "بناء قدرات التحقيق المالي لوحدة المعلومات المالية"
    assert project.status is ActivityStatus.IMPLEMENTATION
    assert (project.start, project.end) == (date(2025, 7, 1), date(2027, 6, 30))
    assert project.funders == ("Government of Norway",)
    assert project.implementers == ("UNODC",)
    assert project.beneficiaries == ("Financial Intelligence Unit",)
    assert (project.themes, project.dac) == (("gp-21",), ("24010", "15132"))
    assert project.budget == 1_500_000 and project.spent == 720_000  # the commitment is not spent
    days, cases = project.results[0].indicators
    assert (days.ascending, days.baseline, days.target) == (False, 30.0, 10.0)
    assert days.actuals == (
        Actual(date(2025, 12, 31), 26.0),
        Actual(date(2026, 6, 30), 21.0, "Case-management software in use since March."),
    )
    assert cases.baseline_date == date(2025, 1, 1)  # only a year: 1 January
    assert cases.result == project.results[0].title and project.results[0].type == 2


def overlap(left: Project, right: Project) -> int:
    """Days both run, counting both ends."""
    assert left.start and left.end and right.start and right.end
    return (min(left.end, right.end) - max(left.start, right.start)).days + 1


def test_the_examples_plant_a_duplicate_and_a_near_miss() -> None:
    by_id = {p.identifier: p for p in examples()}
    fiu = by_id["XM-RASID-DEMO-NO-0001"], by_id["XM-RASID-DEMO-JP-0001"]
    border = by_id["XM-RASID-DEMO-NO-0002"], by_id["XM-RASID-DEMO-JP-0002"]
    for left, right in (fiu, border):
        assert left.status.live and right.status.live
        assert set(left.funders).isdisjoint(right.funders)
        assert set(left.themes) & set(right.themes)
        assert set(left.beneficiaries) & set(right.beneficiaries)
    assert "Financial Intelligence Unit" in fiu[0].beneficiaries
    assert 290 <= overlap(*fiu) <= 320  # about ten months
    assert overlap(*border) == 30


def test_the_examples_are_stable_through_write_and_read() -> None:
    for name in EXAMPLES:
        first = read(example(name), name)
        written = write_iati(first.projects, TAXONOMY, generated=GENERATED)
        again = read(written, name)
        assert again == first
        assert write_iati(again.projects, TAXONOMY, generated=GENERATED) == written


# --- quarantine and dropped values ----------------------------------------------------------

ACTIVITY = """  <iati-activity xml:lang="en" default-currency="USD">
    <iati-identifier>{identifier}</iati-identifier>
    <title><narrative>Border management</narrative></title>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2025-01-01"/>
    <recipient-country code="zz"/>
    <sector vocabulary="99" vocabulary-uri="{uri}" code="gp-25"/>
    <sector code="15136"/>
    <budget><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
      <value>1000</value></budget>
    <transaction><transaction-type code="4"/><transaction-date iso-date="2025-06-30"/>
      <value>250</value></transaction>
    <result><title><narrative>Posts connected</narrative></title>
      <indicator measure="1"><title><narrative>Posts</narrative></title>
        <baseline year="2025" value="1"/>
        <period><period-end iso-date="2025-12-31"/><target value="10"/></period>
      </indicator>
    </result>
    <rasid:beneficiary>Border Police</rasid:beneficiary>
  </iati-activity>
"""


def document(second: str, first_id: str = "XM-EX-RASID-0001") -> str:
    """A file of a good activity and a second one."""
    return (
        f'<?xml version="1.0"?>\n<iati-activities version="2.03" xmlns:rasid="{NAMESPACE}">\n'
        + ACTIVITY.format(identifier=first_id, uri=VOCABULARY_URI)
        + second
        + "</iati-activities>\n"
    )


def second(old: str = "", new: str = "", identifier: str = "XM-EX-RASID-0002") -> str:
    """The second activity with one change."""
    text = ACTIVITY.format(identifier=identifier, uri=VOCABULARY_URI)
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """The line of ``needle`` in the second activity."""
    start = text.index("<iati-activity ", text.index("<iati-activity ") + 1)
    return text[: text.index(needle, start)].count("\n") + 1


QUARANTINED = [
    ("<iati-identifier>XM-EX-RASID-0002</iati-identifier>", "<iati-identifier/>",
     "<iati-activity", "#2", "no iati-identifier"),
    ("<title><narrative>Border management</narrative></title>", "<title/>", "<iati-activity",
     "XM-EX-RASID-0002", "no title"),
    ('<activity-status code="2"/>', '<activity-status code="9"/>', "<activity-status",
     "XM-EX-RASID-0002", "unknown activity-status code '9'"),
    ('<activity-status code="2"/>', "", "<iati-activity", "XM-EX-RASID-0002",
     "no activity-status"),
    ('iso-date="2025-01-01"/>\n    <rec', 'iso-date="2025-02-30"/>\n    <rec', "<activity-date",
     "XM-EX-RASID-0002", "'2025-02-30' is not a date"),
    ("<value>1000</value>", "<value>lots</value>", "<value>", "XM-EX-RASID-0002",
     "'lots' is not a number"),
    ('<target value="10"/>', '<target value="ten"/>', "<target", "XM-EX-RASID-0002",
     "'ten' is not a number"),
    ('<baseline year="2025" value="1"/>', '<baseline year="20x5" value="1"/>', "<baseline",
     "XM-EX-RASID-0002", "'20x5' is not a year"),
    ('default-currency="USD"', 'default-currency="dollars"', "<iati-activity",
     "XM-EX-RASID-0002", "'dollars' is not an ISO 4217 code"),
    ("<rasid:beneficiary>", "<rasid:kind>grant</rasid:kind><rasid:beneficiary>", "<rasid:kind",
     "XM-EX-RASID-0002", "unknown kind 'grant'"),
    ("<rasid:beneficiary>", "<rasid:marking>blue</rasid:marking><rasid:beneficiary>",
     "<rasid:marking", "XM-EX-RASID-0002", "unknown TLP marking"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "at", "label", "reason"), QUARANTINED)
def test_a_bad_activity_is_quarantined_with_its_line_and_reason(
    old: str, new: str, at: str, label: str, reason: str
) -> None:
    text = document(second(old, new))
    got = read(text.encode(), "bad.xml")
    assert [p.identifier for p in got.projects] == ["XM-EX-RASID-0001"]
    (problem,) = got.quarantined
    assert problem.where == f"bad.xml line {line_of(text, at)}, activity {label}"
    assert reason in problem.reason


def test_a_duplicate_identifier_is_quarantined_naming_the_first() -> None:
    text = document(second(identifier="XM-EX-RASID-0001"))
    got = read(text.encode(), "dup.xml")
    assert len(got.projects) == 1
    (problem,) = got.quarantined
    first, again = (i for i, line in enumerate(text.splitlines(), 1) if "<iati-activity" in line)
    assert problem.where == f"dup.xml line {again}, activity XM-EX-RASID-0001"
    assert problem.reason == f"identifier already used on line {first}"


DROPPED = [
    ('code="gp-25"', 'code="gp-99"', '<sector vocabulary="99"',
     "theme 'gp-99' is not in the taxonomy"),
    ('<sector code="15136"/>', '<sector vocabulary="2" code="151"/>', '<sector vocabulary="2"',
     "sector '151' of vocabulary '2' is not read"),
    ('<sector code="15136"/>', '<sector code="1513"/>', '<sector code="1513"',
     "DAC purpose code '1513' is not five digits"),
    ("<value>250</value>", '<value currency="EUR">250</value>', '<value currency="EUR"',
     "a transaction in EUR, not USD: left out of spent (no exchange rate on or before "
     "2025-06-30)"),
    ('<baseline year="2025" value="1"/>', "", "<indicator",
     "indicator 'Posts': no baseline value or no target value"),
    ('<recipient-country code="zz"/>', '<recipient-country code="Sahel"/>', "<recipient-country",
     "recipient-country 'SAHEL' is not an ISO 3166-1 alpha-2 code"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "at", "reason"), DROPPED)
def test_a_value_left_out_is_reported_with_its_line(
    old: str, new: str, at: str, reason: str
) -> None:
    text = document(second(old, new))
    got = read(text.encode(), "drop.xml")
    assert [p.identifier for p in got.projects] == ["XM-EX-RASID-0001", "XM-EX-RASID-0002"]
    assert got.quarantined == ()
    (problem,) = got.dropped
    line = line_of(text, at)
    assert problem == ImportProblem(f"drop.xml line {line}, activity XM-EX-RASID-0002", reason)


def test_defaults_of_the_standard_are_applied() -> None:
    got = read(document("").encode())
    (project,) = got.projects
    assert project.countries == ("ZZ",)  # upper-cased
    assert project.dac == ("15136",)  # no vocabulary: IATI's default, DAC
    assert project.spent == 250.0  # expenditure counts
    assert project.marking is Marking.GREEN and project.released_to == ("*",)
    assert project.kind is ProjectKind.PROJECT and project.agency == "coordination"
    (indicator,) = project.results[0].indicators
    assert indicator.ascending and indicator.measure == "unit"
    assert indicator.baseline_date == date(2025, 1, 1)


def test_titles_follow_the_activity_language() -> None:
    title = (
        '<title><narrative xml:lang="ar">أمن الحدود</narrative>'
        "<narrative>Sécurité des frontières</narrative>"
        '<narrative xml:lang="en">Border security</narrative></title>'
    )
    french = second("<title><narrative>Border management</narrative></title>", title)
    got = read(document(french.replace('xml:lang="en"', 'xml:lang="fr"', 1)).encode())
    assert (got.projects[1].title, got.projects[1].title_ar) == (
        "Sécurité des frontières",
        "أمن الحدود",
    )
    no_french = title.replace("<narrative>Sécurité des frontières</narrative>", "")
    english = second("<title><narrative>Border management</narrative></title>", no_french)
    got = read(document(english).encode())
    assert (got.projects[1].title, got.projects[1].title_ar) == ("Border security", "أمن الحدود")


def test_the_target_is_the_latest_period_with_one_and_actuals_come_in_date_order() -> None:
    periods = """<period><period-end iso-date="2026-12-31"/><target value="20"/></period>
        <period><period-end iso-date="2026-06-30"/><actual value="7"/></period>
        <period><period-end iso-date="2025-12-31"/><target value="10"/>
          <actual value="4"/></period>"""
    text = document(
        second('<period><period-end iso-date="2025-12-31"/><target value="10"/></period>', periods)
    )
    (indicator,) = read(text.encode()).projects[1].results[0].indicators
    assert (indicator.target, indicator.target_date) == (20.0, date(2026, 12, 31))
    assert [(a.date, a.value) for a in indicator.actuals] == [
        (date(2025, 12, 31), 4.0),
        (date(2026, 6, 30), 7.0),
    ]


# --- unreadable and unsafe documents --------------------------------------------------------

REFUSED = [
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<iati-activities/>',
     "doc.xml line 2: a DOCTYPE"),
    (b'\xef\xbb\xbf<!-- c -->\n\n<!DOCTYPE iati-activities SYSTEM "file:///etc/passwd">'
     b"<iati-activities/>", "doc.xml line 3: a DOCTYPE"),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     "<iati-activities>&e;</iati-activities>".encode("utf-16"), "a DOCTYPE"),
    (b"<iati-activities>&e;</iati-activities>", "doc.xml line 1: not XML: Entity 'e' not defined"),
    (b"", "doc.xml line 1: not XML"),
    (b"identifier,title\nx,y\n", "doc.xml line 1: not XML"),
    (b"<iati-activities>\n<iati-activity>\n</iati-activities>", "doc.xml line 3: not XML"),
    (b"<?xml version='1.0'?>\n<iati-organisations/>",
     "doc.xml line 2: the root element is <iati-organisations>, not <iati-activities>"),
    (b'<iati-activities xmlns="http://example.org/x"/>', "not <iati-activities>"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_unsafe_or_unreadable_documents_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(AssistError) as caught:
        read(data, "doc.xml")
    assert message in str(caught.value)


def test_an_empty_list_of_activities_reads_as_nothing() -> None:
    got = read(b'<iati-activities version="2.03"><!-- none --></iati-activities>')
    assert got == ProjectImport(())


# --- fuzz -----------------------------------------------------------------------------------

PIECES = [b"<", b">", b"&", b'"', b"\x00", b"\xff", b"-02-30", b'value="x"', b'code="7"',
          b"<iati-activity>", b"</iati-activity>", b"<!DOCTYPE a>", "ساحل".encode()]  # fmt: skip


VALUES = ["", "x", "-1", "0", "9", "99", "1e400", "NaN", "2025-02-30", "0000", "gp-99", "ZZZ",
          "ساحل", "&amp;", " 2025-01-01 ", "offer", "²", "٣"]  # fmt: skip
QUOTED = re.compile(rb'"[^"<>]*"|>[^<>]+<')


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """An example file with a few attribute values or texts changed (still XML), or with a
    few slices replaced, deleted or duplicated (often no longer XML)."""
    data = example(draw(st.sampled_from(EXAMPLES)))
    values_only = draw(st.booleans())
    for _ in range(draw(st.integers(1, 4))):
        if values_only:
            start, end = draw(st.sampled_from([m.span() for m in QUOTED.finditer(data)]))
            value = draw(st.sampled_from(VALUES)).encode()
            data = data[: start + 1] + value + data[end - 1 :]
        else:
            start = draw(st.integers(0, len(data)))
            end = min(len(data), start + draw(st.integers(0, 40)))
            piece = draw(st.sampled_from([*PIECES, b"", data[start:end] * 2]))
            data = data[:start] + piece + data[end:]
    return data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), mutated()))
def test_any_bytes_are_read_or_refused_with_an_assist_error(data: bytes) -> None:
    try:
        got = read(data, "fuzz.xml")
    except AssistError as exc:
        assert str(exc).startswith("fuzz.xml")
        return
    assert isinstance(got, ProjectImport)
    for problem in got.quarantined + got.dropped:
        assert problem.where.startswith("fuzz.xml line ") and problem.reason
