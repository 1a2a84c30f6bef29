"""Records read from a real store: own properties, linked documents, accounts, addresses."""

from datetime import date
from pathlib import Path

from sqlalchemy import update

from rasid.model.markings import Marking
from rasid.resolve.engine import propose
from rasid.resolve.records import account, address, document, email, load_records, phone
from rasid.store import Store
from rasid.store.tables import statement
from tests.ingest.helpers import load, write_jsonl

POLICE = [
    {
        "id": "np-1",
        "schema": "Person",
        "properties": {
            "name": ["محمد عبد الله", "Mohamed Abdallah"],
            "birthDate": ["1980-03-02"],
            "gender": ["male"],
            "nationality": ["Jordan"],
            "phone": ["+962 79 600 6676"],
            "idNumber": ["4206-232966"],
            "addressEntity": ["np-addr-1"],
        },
    },
    {
        "id": "np-addr-1",
        "schema": "Address",
        "properties": {"full": ["151 Olive Street,  Al-Waha"]},
    },
    {
        "id": "np-org",
        "schema": "Company",
        "properties": {
            "name": ["Sand Road Trading"],
            "registrationNumber": ["cr 88-123"],
            "jurisdiction": ["jo"],
        },
    },
    {"id": "np-car", "schema": "Vehicle", "properties": {"registrationNumber": ["12-345"]}},
]
BORDER = [
    {
        "id": "bp-7",
        "schema": "Person",
        "properties": {"name": ["MOHAMED ABDALLAH"], "birthDate": ["1980-03-02"], "gender": ["m"]},
    },
    {
        "id": "bp-pass",
        "schema": "Passport",
        "properties": {
            "holder": ["bp-7"],
            "number": ["n 123 4567"],
            "country": ["jo"],
        },
    },
    {
        "id": "bp-acct",
        "schema": "UserAccount",
        "properties": {
            "owner": ["bp-7"],
            "email": ["M.Abdallah@Example.COM"],
        },
    },
    {
        "id": "bp-bank",
        "schema": "BankAccount",
        "properties": {"iban": ["JO71 CBJO 0000 0000 0000 1234 5678 90"]},
    },
    {
        "id": "bp-own",
        "schema": "Ownership",
        "properties": {"owner": ["bp-7"], "asset": ["bp-bank"]},
    },
    # The same person id in a second dataset: its record is that dataset's view of him.
    {
        "id": "np-1",
        "schema": "Person",
        "properties": {"name": ["Mohammed Abdalla"], "passportNumber": ["N1234567"]},
    },
]


def _load(store: Store, tmp_path: Path) -> None:
    load(store, write_jsonl(tmp_path / "police.jsonl", POLICE), dataset="police")
    load(store, write_jsonl(tmp_path / "border.jsonl", BORDER), dataset="border")


def test_normalisation_of_identifiers() -> None:
    assert document("n 123-4567", "JO") == "N1234567@jo"
    assert document("n1234567") == "N1234567"
    assert document(" - ") == ""
    assert phone("+962 79 600 6676") == phone("00962796006676") == "962796006676"
    assert email(" M.Abdallah@Example.COM ") == "m.abdallah@example.com"
    assert account("jo71 cbjo-0000 1234") == "JO71CBJO00001234"
    assert address(" 151 Olive  Street ") == "151 olive street"


def test_records_per_entity_and_dataset_with_linked_identifiers(
    store: Store, tmp_path: Path
) -> None:
    _load(store, tmp_path)
    with store.uow() as uow:
        records = load_records(uow.conn)
    by_key = {(r.entity_id, r.dataset): r for r in records}
    # Persons and companies, one record per canonical id and dataset; no vehicle, address...
    assert sorted(by_key) == [
        ("bp-7", "border"),
        ("np-1", "border"),
        ("np-1", "police"),
        ("np-org", "police"),
    ]
    police = by_key[("np-1", "police")]
    assert police.schema == "Person"
    assert set(police.names) == {"محمد عبد الله", "Mohamed Abdallah"}
    assert police.birth_dates == ("1980-03-02",)
    assert (police.genders, police.nationalities) == (("male",), ("jo",))
    assert police.identifiers == (("document", "4206232966"), ("phone", "962796006676"))
    assert not police.strict
    assert police.addresses == ("151 olive street, al-waha",)
    border = by_key[("bp-7", "border")]
    assert border.genders == ("male",)
    assert border.identifiers == (
        ("account", "JO71CBJO0000000000001234567890"),
        ("document", "N1234567@jo"),
        ("email", "m.abdallah@example.com"),
    )
    assert by_key[("np-1", "border")].identifiers == (("document", "N1234567"),)
    assert by_key[("np-org", "police")].identifiers == (("registration", "CR88123@jo"),)


def test_datasets_and_schemata_restrict_the_records(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    with store.uow() as uow:
        border = load_records(uow.conn, datasets=["border"])
        companies = load_records(uow.conn, schemata=["Company"])
    assert {(r.entity_id, r.dataset) for r in border} == {("bp-7", "border"), ("np-1", "border")}
    assert [r.entity_id for r in companies] == ["np-org"]


def test_stored_records_resolve_across_datasets(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    with store.uow() as uow:
        records = load_records(uow.conn)
    pairs = list(propose(records))
    # The police's man and the border's traveller; never np-1 with itself.
    assert [(p.left_id, p.right_id) for p in pairs] == [("bp-7", "np-1")]
    assert pairs[0].score >= 0.9


def test_what_no_share_passes_on_is_left_out(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    red = [{"id": "red-1", "schema": "Person", "properties": {"name": ["Omar Haddad"]}}]
    load(store, write_jsonl(tmp_path / "red.jsonl", red), dataset="secret", marking=Marking.RED)
    strict = [{"id": "st-1", "schema": "Person", "properties": {"name": ["Layla Nasser"]}}]
    path = write_jsonl(tmp_path / "strict.jsonl", strict)
    load(store, path, dataset="strict", marking=Marking.AMBER_STRICT)
    with store.uow() as uow:
        s = statement.c
        uow.conn.execute(
            update(statement)
            .where(s.entity_id == "np-1", s.prop == "idNumber")
            .values(handling="No-Share: source protection")
        )
        uow.conn.execute(
            update(statement).where(s.prop == "phone").values(mask_after=date(2030, 1, 1))
        )
    with store.uow() as uow:
        before = {
            (r.entity_id, r.dataset): r for r in load_records(uow.conn, today=date(2029, 12, 31))
        }
        after = {
            (r.entity_id, r.dataset): r for r in load_records(uow.conn, today=date(2030, 1, 1))
        }
    assert ("red-1", "secret") not in before  # nothing of it is usable
    assert before[("st-1", "strict")].strict and not before[("np-1", "police")].strict
    assert before[("np-1", "police")].identifiers == (("phone", "962796006676"),)
    assert after[("np-1", "police")].identifiers == ()  # the phone is masked from 2030
    assert after[("np-1", "police")].names == before[("np-1", "police")].names
