"""The UN Security Council list reader, on the bundled list and on damaged or hostile files."""

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from followthemoney.statement.entity import StatementEntity
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.data import un_sc_path
from rasid.ingest.errors import UnreadableInput
from rasid.ingest.records import Dropped, Item, ReadContext, Rejected, Source
from rasid.ingest.unsc import read_un_sc

SHA256 = "74a81264c6d15991380055366479c0870e8a421b16e90531e737753d38e9cf11"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'

# A small document with every kind of field, used as the seed for mutations.
SEED = (
    HEADER
    + """<CONSOLIDATED_LIST dateGenerated="2025-01-01T00:00:00Z">
<INDIVIDUALS>
<INDIVIDUAL>
<DATAID>1</DATAID><VERSIONNUM>1</VERSIONNUM>
<FIRST_NAME> AHMAD </FIRST_NAME><SECOND_NAME>KARIM</SECOND_NAME><THIRD_NAME>na</THIRD_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER>
<LISTED_ON>2010-05-04</LISTED_ON><GENDER>Male</GENDER>
<NAME_ORIGINAL_SCRIPT>أحمد كريم</NAME_ORIGINAL_SCRIPT>
<COMMENTS1>Test record.</COMMENTS1>
<TITLE><VALUE>Mullah</VALUE></TITLE><DESIGNATION><VALUE>Commander</VALUE></DESIGNATION>
<NATIONALITY><VALUE>Afghanistan</VALUE><VALUE>Atlantis</VALUE></NATIONALITY>
<LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>
<LAST_DAY_UPDATED><VALUE>2012-01-01</VALUE><VALUE>2015-02-03</VALUE></LAST_DAY_UPDATED>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ahmed Kareem</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>KARIM, Ahmad</ALIAS_NAME>
<NOTE>previously listed as</NOTE><DATE_OF_BIRTH>1971-02-03</DATE_OF_BIRTH></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ADDRESS><CITY>Kandahar</CITY><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_ADDRESS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
<FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1972</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-06-01</DATE>
</INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_PLACE_OF_BIRTH><CITY>Herat</CITY><COUNTRY>Afghanistan</COUNTRY>
</INDIVIDUAL_PLACE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OA 123</NUMBER>
<ISSUING_COUNTRY>Afghanistan</ISSUING_COUNTRY><DATE_OF_ISSUE>2005-01-02</DATE_OF_ISSUE>
</INDIVIDUAL_DOCUMENT>
<SORT_KEY/><SORT_KEY_LAST_MOD/>
</INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES>
<ENTITY>
<DATAID>2</DATAID><FIRST_NAME>EXAMPLE TRADING CO</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
<REFERENCE_NUMBER>KPe.900</REFERENCE_NUMBER><LISTED_ON>2016-03-02</LISTED_ON>
<LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old Example Co</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ADDRESS><STREET>1 Main St</STREET><CITY>Pyongyang</CITY>
<COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>
</ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>
"""
).encode()


def read_file(path: Path) -> list[Item]:
    """Everything the reader yields for a file."""
    return list(read_un_sc(Source(path, path.name), ReadContext("unsctest")))


def read_bytes(tmp_path: Path, data: bytes, name: str = "list.xml") -> list[Item]:
    """Everything the reader yields for a file of these bytes."""
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(path)


def entities(items: list[Item], schema: str | None = None) -> Iterator[StatementEntity]:
    """The entities among ``items`` (of one schema, if given)."""
    for item in items:
        if isinstance(item, StatementEntity) and schema in (None, item.schema.name):
            yield item


def by_reference(items: list[Item], ref: str) -> StatementEntity:
    """The Person or Organization whose sanction has the UN reference number ``ref``."""
    index = {entity.id: entity for entity in entities(items)}
    for sanction in entities(items, "Sanction"):
        if ref in sanction.get("unscId"):
            return index[sanction.get("entity")[0]]
    raise AssertionError(f"no record {ref}")


def records(text: str, tag: str) -> list[str]:
    """The ``<tag>...</tag>`` records of a document, as text."""
    return re.findall(rf"<{tag}>.*?</{tag}>", text, re.DOTALL)


def excerpt(individuals: list[str], entity_records: list[str]) -> str:
    """A document made of some records of the real list."""
    head = un_sc_path().read_text("utf-8").split("<INDIVIDUALS>")[0]
    body = "\n".join(individuals)
    ents = "\n".join(entity_records)
    return (
        f"{head}<INDIVIDUALS>\n{body}\n</INDIVIDUALS>\n"
        f"<ENTITIES>\n{ents}\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"
    )


@pytest.fixture(scope="module")
def un_items() -> list[Item]:
    """The bundled list, read once."""
    return read_file(un_sc_path())


def test_bundled_list_is_the_published_file() -> None:
    assert hashlib.sha256(un_sc_path().read_bytes()).hexdigest() == SHA256


def test_counts_by_schema(un_items: list[Item]) -> None:
    counts = Counter(entity.schema.name for entity in entities(un_items))
    assert counts["Person"] == 684
    assert counts["Organization"] == 195
    assert counts["Sanction"] == 684 + 195
    assert counts["Passport"] > 250
    assert counts["Identification"] > 100
    assert not [item for item in un_items if isinstance(item, Rejected)]
    dropped = [item for item in un_items if isinstance(item, Dropped)]
    assert {item.raw for item in dropped} == {"na"}  # the "not available" placeholders


def test_one_sanction_per_record(un_items: list[Item]) -> None:
    listed = {str(e.id) for e in entities(un_items) if e.schema.name in ("Person", "Organization")}
    sanctioned = [str(s.get("entity")[0]) for s in entities(un_items, "Sanction")]
    assert sorted(sanctioned) == sorted(listed)
    sanction = next(s for s in entities(un_items, "Sanction") if "CDi.001" in s.get("unscId"))
    assert sanction.get("authorityId") == ["CDi.001"]
    assert sanction.get("program") == ["DRC"]
    assert sanction.get("listingDate") == ["2012-12-31"]
    assert sanction.get("modifiedAt") == ["2016-10-13"]
    assert sanction.get("authority") == ["United Nations Security Council"]


def test_original_script_names_carry_a_language(un_items: list[Item]) -> None:
    aziz = by_reference(un_items, "IQi.025")
    assert "TARIQ AZIZ" in aziz.get("name")
    assert ("طارق عزيز", "ara") in {(s.value, s.lang) for s in aziz.get_statements("name")}
    assert aziz.get("nationality") == ["iq"]
    umarov = by_reference(un_items, "QDi.290")
    assert ("Умаров Доку Хаматович", "rus") in {
        (s.value, s.lang) for s in umarov.get_statements("name")
    }
    arabic = [
        s for e in entities(un_items, "Person") for s in e.get_statements("name") if s.lang == "ara"
    ]
    assert len(arabic) == 329


def test_name_parts(un_items: list[Item]) -> None:
    person = by_reference(un_items, "IQi.083")
    assert "AYMAN SABAWI IBRAHIM HASAN AL-TIKRITI" in person.get("name")
    assert person.get("firstName") == ["AYMAN"]
    assert person.get("secondName") == ["SABAWI"]
    assert set(person.get("middleName")) == {"IBRAHIM", "HASAN AL-TIKRITI"}


def test_aliases_by_quality(un_items: list[Item]) -> None:
    person = by_reference(un_items, "LYi.025")
    assert {"Kashlaf", "Koshlaf", "al-Qasab"} <= set(person.get("alias"))
    assert person.get("weakAlias") == ["Keslaf"]
    makenga = by_reference(un_items, "CDi.008")
    assert "MAKENGA, EMMANUEL SULTANI" in makenga.get("alias")  # kept as given
    adf = by_reference(un_items, "CDe.001")
    assert "ADF/NALU" in adf.get("previousName")


def test_birth_year_range(un_items: list[Item]) -> None:
    assert {"1973", "1974"} <= set(by_reference(un_items, "CDi.030").get("birthDate"))
    assert {"1977", "1978", "1979", "1980", "1981", "1982"} <= set(
        by_reference(un_items, "QDi.314").get("birthDate")
    )


def test_passport_with_holder_and_country(un_items: list[Item]) -> None:
    person = by_reference(un_items, "CDi.021")
    passports = [p for p in entities(un_items, "Passport") if "OB 0243318" in p.get("number")]
    assert len(passports) == 1
    passport = passports[0]
    assert passport.get("holder") == [person.id]
    assert passport.get("country") == ["cd"]
    assert passport.get("type") == ["Passport"]
    assert "OB 0243318" in person.get("passportNumber")


def test_nationalities_are_codes(un_items: list[Item]) -> None:
    codes = {c for e in entities(un_items, "Person") for c in e.get("nationality")}
    assert {"af", "iq", "kp", "cd", "gb", "ru"} <= codes
    assert all(re.fullmatch(r"[a-z]{2,4}(-[a-z]+)?", code) for code in codes)


def test_ids_are_stable(un_items: list[Item]) -> None:
    again = read_file(un_sc_path())
    assert [e.id for e in entities(again)] == [e.id for e in entities(un_items)]


def test_seed_document_maps_every_field(tmp_path: Path) -> None:
    items = read_bytes(tmp_path, SEED)
    person = next(entities(items, "Person"))
    assert "AHMAD KARIM" in person.get("name")
    assert person.get("gender") == ["male"]
    assert person.get("title") == ["Mullah"] and person.get("position") == ["Commander"]
    assert set(person.get("birthDate")) >= {"1970", "1971", "1972", "1970-06-01", "1971-02-03"}
    assert person.get("birthPlace") == ["Herat, Afghanistan"]
    assert person.get("address") == ["Kandahar, Afghanistan"]
    assert person.get("weakAlias") == ["KARIM, Ahmad"]
    org = next(entities(items, "Organization"))
    assert org.get("previousName") == ["Old Example Co"]
    assert org.get("country") == ["kp"]
    dropped = [i for i in items if isinstance(i, Dropped)]
    reasons = " | ".join(f"{d.location}: {d.reason}" for d in dropped)
    assert "Atlantis" in reasons and "THIRD_NAME: 'na'" in reasons
    assert all(re.match(r"line \d+, INDIVIDUAL record 1 \(QDi\.900\)", d.location) for d in dropped)


def test_corrupted_records_are_rejected_or_dropped(tmp_path: Path) -> None:
    text = un_sc_path().read_text("utf-8")
    individuals = records(text, "INDIVIDUAL")[:4]
    individuals[1] = re.sub(r"<(FIRST|SECOND|THIRD|FOURTH)_NAME>.*?</\1_NAME>", "", individuals[1])
    bad_date = "<INDIVIDUAL_DATE_OF_BIRTH><DATE>1975-13-45</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
    individuals[2] = individuals[2].replace("<SORT_KEY/>", bad_date + "<SORT_KEY/>")
    individuals[3] = re.sub(r"<(DATAID|REFERENCE_NUMBER)>.*?</\1>", "", individuals[3])
    document = excerpt(individuals, records(text, "ENTITY")[:2])
    items = read_bytes(tmp_path, document.encode())

    rejected = [i for i in items if isinstance(i, Rejected)]
    assert len(rejected) == 2
    line = document[: document.index(individuals[1])].count("\n") + 1
    assert rejected[0].location == f"line {line}, INDIVIDUAL record 2 (CDi.002)"
    assert rejected[0].reason == "no name"
    assert rejected[0].raw is not None and "CDi.002" in rejected[0].raw
    line = document[: document.index(individuals[3])].count("\n") + 1
    assert rejected[1].location == f"line {line}, INDIVIDUAL record 4 (no reference)"
    assert rejected[1].reason == "no REFERENCE_NUMBER or DATAID"
    dropped = [i for i in items if isinstance(i, Dropped)]
    assert len(dropped) == 1 and dropped[0].raw == "1975-13-45"
    assert re.fullmatch(r"line \d+, INDIVIDUAL record 3 \(CDi\.003\)", dropped[0].location)
    counts = Counter(e.schema.name for e in entities(items))
    assert counts["Person"] == 2 and counts["Organization"] == 2 and counts["Sanction"] == 4


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n<!ENTITY lol0 "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + "]>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol9;</FIRST_NAME>"
    "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n'
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&xxe;</FIRST_NAME>"
    "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n"
)


def utf16(document: str) -> bytes:
    """A document re-encoded as UTF-16 (with a byte order mark)."""
    return document.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16")


REFUSED = r"DOCTYPE .* not accepted"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS.encode(), REFUSED),
        (EXTERNAL_ENTITY.encode(), REFUSED),
        # Where a look at the first bytes cannot see the DOCTYPE, the parser's view is checked
        # (or, for the bomb, libxml2's amplification limit stops it first):
        (utf16(EXTERNAL_ENTITY), REFUSED),
        (utf16(BILLION_LAUGHS), f"{REFUSED}|amplification"),
        (
            EXTERNAL_ENTITY.replace("<!DOCTYPE", f"<!--{'x' * 70_000}-->\n<!DOCTYPE").encode(),
            REFUSED,
        ),
        (
            b'<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:9/x.dtd"><CONSOLIDATED_LIST/>',
            REFUSED,
        ),
    ],
    ids=["bomb", "external-entity", "utf-16-xxe", "utf-16-bomb", "after-comment", "external-dtd"],
)
def test_dtds_and_entities_are_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput, match=rf"({reason}).* \(line \d+\)$") as info:
        read_bytes(tmp_path, data)
    message = str(info.value)
    assert "lollol" not in message and "root:" not in message
    assert message.startswith("list.xml: ") and "\n" not in message


def test_truncated_file(tmp_path: Path) -> None:
    text = un_sc_path().read_text("utf-8")
    document = excerpt(records(text, "INDIVIDUAL")[:6], records(text, "ENTITY")[:2]).encode()
    with pytest.raises(UnreadableInput, match=r"^list\.xml: .* \(line (\d+)\)$") as info:
        read_bytes(tmp_path, document[: len(document) // 2])
    line = int(re.findall(r"line (\d+)\)$", str(info.value))[0])
    assert line > 10


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no element found"),
        (b"%PDF-1.4\n\x00\x01\x02 binary", "Start tag expected"),
        (b"name,reference\nAHMAD,QDi.900\n", "Start tag expected"),
        (b'<?xml version="1.0"?>\n<sdnList><sdnEntry/></sdnList>', "not CONSOLIDATED_LIST"),
        (
            HEADER.encode() + "<CONSOLIDATED_LIST>café</CONSOLIDATED_LIST>".encode("latin-1"),
            "encoding",
        ),
        (b'<?xml version="1.0" encoding="no-such"?><CONSOLIDATED_LIST/>', "encoding"),
    ],
    ids=["empty", "binary", "csv", "wrong-root", "latin-1-as-utf-8", "unknown-encoding"],
)
def test_unreadable_files(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput, match=r"^list\.xml: .+ \(line \d+\)$") as info:
        read_bytes(tmp_path, data)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def read_or_refuse(path: Path, data: bytes) -> None:
    """Read ``data``: it must either be read or refused with UnreadableInput."""
    path.write_bytes(data)
    try:
        items = read_file(path)
    except UnreadableInput as exc:
        assert str(exc).startswith(f"{path.name}: ") and "\n" not in str(exc)
        return
    assert all(isinstance(item, StatementEntity | Rejected | Dropped) for item in items)


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FRAGMENTS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"]]>",
    b"<!DOCTYPE x>",
    b"<!--",
    b"<INDIVIDUAL>",
    b"</ENTITY>",
    b"<FIRST_NAME/>",
    b"<REFERENCE_NUMBER></REFERENCE_NUMBER>",
    b"\xff\xfe",
    "ـ".encode(),
]


@FUZZ
@given(data=st.binary(max_size=512))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    read_or_refuse(tmp_path / "fuzz.xml", data)


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    """The seed document with a few bytes cut, inserted, deleted or values replaced."""
    data = SEED
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cut", "insert", "delete", "value", "value", "value"]))
        at = draw(st.integers(0, len(data)))
        if op == "cut":
            data = data[:at]
        elif op == "insert":
            piece = draw(st.sampled_from(FRAGMENTS) | st.binary(max_size=8))
            data = data[:at] + piece + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        else:
            values = re.findall(rb">([^<>]+)<", data)
            if values:
                old = draw(st.sampled_from(values))
                text = draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"])))
                data = data.replace(b">" + old + b"<", b">" + escape(text).encode() + b"<", 1)
    return data


@FUZZ
@given(data=mutations())
def test_fuzz_mutated_document(tmp_path: Path, data: bytes) -> None:
    read_or_refuse(tmp_path / "fuzz.xml", data)
