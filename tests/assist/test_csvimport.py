"""CSV import of projects and offers: the example file, Arabic text, bad rows quarantined
with their line and column, refused files, and a fuzz test."""

from dataclasses import replace
from datetime import date, datetime
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.assist.csvimport import COLUMNS, read_csv
from rasid.assist.errors import AssistError
from rasid.assist.iati import read_iati, write_iati
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    ImportProblem,
    OrgRole,
    Participant,
    ProjectImport,
    ProjectKind,
)
from rasid.assist.taxonomy import builtin, requirement, with_requirements
from rasid.model.markings import Marking
from rasid.monitor.model import Text

TAXONOMY = builtin()
HEADER = "identifier,title,status,countries,start,end,budget,themes,dac,kind"
GOOD = "XM-EX-RASID-0001,Border posts,2,ZZ,2025-01-01,2025-12-31,1000,gp-25,15136,"


def offers() -> bytes:
    """The example file shipped with the package."""
    return resources.files("rasid.assist").joinpath("examples", "offers.csv").read_bytes()


def read(text: str | bytes, name: str = "t.csv") -> ProjectImport:
    """Read with the built-in taxonomy for the coordination agency."""
    data = text.encode() if isinstance(text, str) else text
    return read_csv(data, name, TAXONOMY, agency="coordination")


def test_the_example_offers_read_whole() -> None:
    got = read(offers(), "offers.csv")
    assert got.quarantined == () and got.dropped == ()
    assert 2 <= len(got.projects) <= 3
    first = got.projects[0]
    assert all(p.kind is ProjectKind.OFFER for p in got.projects)
    assert all(p.identifier.startswith("XM-RASID-DEMO-") for p in got.projects)
    assert all("Fictional offer written for the Rasid demo." in p.description for p in got.projects)
    assert (
        first.title == "Monitoring online recruitment and illicit markets, with open-source tools"
    )
    assert (
        first.title_ar == "رصد التجنيد والأسواق غير المشروعة على الإنترنت، بأدوات المصادر المفتوحة"
    )
    assert first.countries == ("ZZ", "XB")
    assert (first.themes, first.dac) == (("gp-22",), ("22040", "15132"))
    assert got.projects[1].themes == ("gp-11", "gp-17")  # "11" is good practice 11
    assert got.projects[2].status is ActivityStatus.PIPELINE and got.projects[2].region == "Coast"
    assert first.budgets == (Budget(date(2027, 1, 1), date(2027, 12, 31), 300000.0, "USD"),)
    assert first.participants == (
        Participant(OrgRole.FUNDING, "European Union"),
        Participant(OrgRole.IMPLEMENTING, "UNOCT"),
    )
    assert first.beneficiaries == ("Cybercrime Unit",)
    assert (first.source, first.agency) == ("csv:offers.csv", "coordination")
    assert (first.marking, first.released_to) == (Marking.GREEN, ("*",))


def test_offers_from_csv_survive_an_iati_round_trip() -> None:
    projects = read(offers(), "offers.csv").projects
    written = write_iati(projects, TAXONOMY, generated=datetime(2026, 11, 1))
    back = read_iati(written, "offers.xml", TAXONOMY, agency="coordination")
    assert back.projects == tuple(replace(p, source="iati:offers.xml") for p in projects)


def test_arabic_text_a_bom_and_the_header_case_are_handled() -> None:
    text = (
        "\ufeffIdentifier , Title,TITLE_AR,Status,Countries,Description,Beneficiaries\n"
        'XM-EX-RASID-0009,Prisons,"السجون، والمراقبة",closed,zz,"سطر أول\nسطر ثان",'
        "مصلحة السجون; مصلحة السجون ;Prison Service\n"
    )
    (project,) = read(text).projects
    assert project.title_ar == "السجون، والمراقبة"
    assert project.description == "سطر أول\nسطر ثان"
    assert project.status is ActivityStatus.CLOSED and project.countries == ("ZZ",)
    assert project.beneficiaries == ("مصلحة السجون", "Prison Service")
    assert (project.kind, project.currency, project.spent) == (ProjectKind.PROJECT, "USD", 0.0)
    assert project.budgets == () and project.start is None


def test_a_requirement_code_known_to_the_taxonomy_is_a_theme() -> None:
    extra = requirement("res-2396-op12", "A", Text("فقرة", "Paragraph"), ["15130"])
    text = f"{HEADER}\n{GOOD.replace('gp-25', 'res-2396-op12;25')}\n".encode()
    assert read(text).quarantined[0].reason.startswith("column themes")
    got = read_csv(text, "t.csv", with_requirements([extra]))
    assert got.projects[0].themes == ("res-2396-op12", "gp-25")


BAD_ROWS = [
    ("status", "2", "started", "column status: 'started' is not a status (1..6 or its name)"),
    ("countries", "ZZ", "ZZ;Sahel", "column countries: 'SAHEL' is not an ISO 3166-1 alpha-2 code"),
    ("countries", "ZZ", "", "column countries: a value is required"),
    ("start", "2025-01-01", "01/01/2025", "column start: '01/01/2025' is not a date (YYYY-MM-DD)"),
    ("end", "2025-12-31", "2024-12-31", "column end: 2024-12-31 is before the start 2025-01-01"),
    ("budget", "1000", "a lot", "column budget: 'a lot' is not a number of zero or more"),
    ("budget", "1000", "-5", "column budget: '-5' is not a number of zero or more"),
    ("budget", "1000", "9" * 400, f"column budget: '{'9' * 400}' is not a number of zero or more"),
    ("themes", "gp-25", "gp-25;gp-99", "column themes: 'gp-99' is not a theme of the taxonomy"),
    ("dac", "15136", "1513", "column dac: '1513' is not a five-digit DAC purpose code"),
    ("kind", "", "grant", "column kind: 'grant' is not project or offer"),
    ("title", "Border posts", "", "column title: a value is required"),
    ("identifier", "XM-EX-RASID-0001", "", "column identifier: a value is required"),
]


@pytest.mark.parametrize(("column", "old", "new", "reason"), BAD_ROWS)
def test_a_bad_row_is_quarantined_with_its_line_and_column(
    column: str, old: str, new: str, reason: str
) -> None:
    cells = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    assert cells[column] == old
    cells[column] = new
    bad = ",".join(cells.values())
    good = GOOD.replace("0001", "0002")
    got = read(f"{HEADER}\n{good}\n\n{bad}\n{good.replace('0002', '0003')}\n", "bad.csv")
    assert [p.identifier for p in got.projects] == ["XM-EX-RASID-0002", "XM-EX-RASID-0003"]
    assert got.quarantined == (ImportProblem("bad.csv line 4", reason),)


def test_row_shape_and_duplicate_identifiers_are_quarantined() -> None:
    text = (
        f"{HEADER}\n"
        '"XM-EX-RASID-0001","Border\nposts",2,ZZ,2025-01-01,2025-12-31,1000,gp-25,15136,\n'
        f"{GOOD}\n"
        "XM-EX-RASID-0004,too,few\n"
    )
    got = read(text, "shape.csv")
    assert [p.title for p in got.projects] == ["Border\nposts"]
    assert got.quarantined == (
        ImportProblem("shape.csv line 4", "column identifier: already used on line 2"),
        ImportProblem("shape.csv line 5", "3 values for 10 columns"),
    )


def test_a_quarantined_row_is_worded_in_arabic_too() -> None:
    text = f"{HEADER}\n{GOOD}\n{GOOD.replace(',2,', ',started,')}\nXM-EX-RASID-0004,few\n"
    got = read(text, "ar.csv")
    assert [(p.place("ar"), p.why("ar")) for p in got.quarantined] == [
        ("ar.csv السطر 3", "العمود status: 'started' ليس حالة (من 1 إلى 6 أو اسمها)"),
        ("ar.csv السطر 4", "عدد القيم 2 وعدد الأعمدة 10"),
    ]
    assert [p.why("en") for p in got.quarantined] == [
        "column status: 'started' is not a status (1..6 or its name)",
        "2 values for 10 columns",
    ]


def test_a_refused_header_is_worded_in_arabic_too() -> None:
    with pytest.raises(AssistError) as caught:
        read("identifier,title,status\n", "t.csv")
    assert caught.value.worded("ar") == "t.csv السطر 1: العمود المطلوب 'countries' غير موجود"


REFUSED = [
    ("identifier,title,status,countries,donor\n", "t.csv line 1: unknown column 'donor'"),
    ("identifier,title,status\n", "t.csv line 1: the required column 'countries' is missing"),
    ("identifier,title,status,countries,title\n", "t.csv line 1: column 'title' appears twice"),
    ("", "t.csv line 1: no header row"),
    (b"identifier,title\n\xff\xfe\n", "t.csv: not UTF-8 text (byte 17)"),
    (f'{HEADER}\n"XM-EX-RASID-0001"x,\n', "t.csv line 2: not valid CSV"),
]


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_an_unreadable_file_or_header_is_refused(data: str | bytes, message: str) -> None:
    with pytest.raises(AssistError) as caught:
        read(data)
    assert message in str(caught.value)


def test_the_columns_are_documented_in_the_module() -> None:
    from rasid.assist import csvimport

    doc = csvimport.__doc__ or ""
    for column in COLUMNS:
        assert column in doc


CSV_PIECES = st.sampled_from(
    [
        (HEADER + "\n").encode(),
        (GOOD + "\n").encode(),
        b"identifier,title,status,countries\n",
        b"x,y,9,ZZ\n",
        b'"un,closed',
        b",,,\n",
        b"\r\n",
        b"\x00",
        b"\xef\xbb\xbf",
        "ساحل,".encode(),
        b"2025-02-30,",
        b"1e400,",
        b"gp-0;;00,",
        "²;٣,".encode(),
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), st.lists(CSV_PIECES, max_size=8).map(b"".join)))
def test_any_bytes_are_read_or_refused_with_an_assist_error(data: bytes) -> None:
    try:
        got = read(data, "fuzz.csv")
    except AssistError as exc:
        assert str(exc).startswith("fuzz.csv")
        return
    assert isinstance(got, ProjectImport)
    for problem in got.quarantined:
        assert problem.where.startswith("fuzz.csv line ") and problem.reason
