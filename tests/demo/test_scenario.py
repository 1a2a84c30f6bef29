"""The demo scenario: shipped files are the generator's output, every row maps, and the plot
(overlapping people, spelling variants, the brokers between cell and network) is there."""

import csv
import json
import logging
import re
import zipfile
from collections import deque
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from followthemoney import model
from followthemoney.proxy import EntityProxy

import rasid.demo
from rasid.access.accounts import Role, check_user_name
from rasid.demo.scenario import cell_text, main, write_scenario
from rasid.model.markings import Marking
from rasid.model.registry import Agency, Dataset

DEMO = Path(rasid.demo.__file__).parent
DATA = DEMO / "data"
TABULAR = {
    "police_cases": ("police_cases.csv", "person_no"),
    "border_crossings": ("border_crossings.xlsx", "passport_no"),
    "prison_register": ("prison_register.csv", "prisoner_no"),
}
SCHEMATA = {
    "police_cases": {"Person", "Address", "CourtCase", "CourtCaseParty", "Organization"}
    | {"Membership"},
    "border_crossings": {"Person", "Passport", "Vehicle", "Address", "Trip"},
    "prison_register": {"Person", "Event", "Associate"},
}
ARABIC = re.compile(r"[\u0600-\u06ff]")
HARAKAT = re.compile(r"[\u064b-\u0652]")
TATWEEL = "\u0640"
Record = dict[str, str]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("scenario")
    return out, write_scenario(out)


@cache
def rows(dataset: str) -> list[Record]:
    """A shipped table's rows as the importer sees them (blank cells left out)."""
    name, _ = TABULAR[dataset]
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(DATA / name, read_only=True, data_only=True)
        cells = list(book["crossings"].iter_rows(values_only=True))
        header = [str(h) for h in cells[0]]
        raw: list[dict[str, Any]] = [dict(zip(header, r, strict=True)) for r in cells[1:]]
        book.close()
    else:
        with (DATA / name).open(encoding="utf-8", newline="") as fh:
            raw = list(csv.DictReader(fh))
    return [{k: t for k, v in r.items() if (t := cell_text(v)) is not None} for r in raw]


@cache
def fiu() -> list[dict[str, Any]]:
    lines = (DATA / "fiu_reports.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


@cache
def truth() -> dict[tuple[str, str], str]:
    with (DATA / "truth.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["dataset"], r["record_key"]): r["person"] for r in csv.DictReader(fh)}


@cache
def actors() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / "scenario.yml").read_text("utf-8"))
    return data


def mapped(dataset: str) -> Iterator[tuple[Record, Mapping[str, EntityProxy]]]:
    query = yaml.safe_load((DATA / f"{dataset}.mapping.yml").read_text("utf-8"))
    query.pop("sheet", None)
    query["csv_url"] = "file:///dev/null"
    mapping = model.make_mapping(query, key_prefix=dataset)
    for row in rows(dataset):
        yield row, mapping.map(row)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_shipped_files_are_what_the_generator_writes(
    generated: tuple[Path, dict[str, int]],
) -> None:
    out, _ = generated
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in DATA.iterdir())
    for name in names:
        if name.endswith(".xlsx"):  # compare content, not the compressor's bytes
            assert _members(out / name) == _members(DATA / name), name
        else:
            assert (out / name).read_bytes() == (DATA / name).read_bytes(), name


def test_counts(generated: tuple[Path, dict[str, int]]) -> None:
    _, counts = generated
    assert counts["people"] >= 520
    assert counts["overlaps"] >= 110
    assert counts["truth"] == len(truth())
    assert counts["police_cases"] == len(rows("police_cases"))
    assert counts["fiu_reports"] == len(fiu())


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "OUT_DIR" in capsys.readouterr().out
    assert main([str(tmp_path), "--seed", "7"]) == 0
    assert "people:" in capsys.readouterr().out
    assert (tmp_path / "truth.csv").read_bytes() != (DATA / "truth.csv").read_bytes()


def test_datasets_file_describes_agencies_and_files() -> None:
    config = yaml.safe_load((DEMO / "datasets.yml").read_text("utf-8"))
    agencies = [Agency(**a) for a in config["agencies"]]
    assert [a.name for a in agencies] == [
        "national_police",
        "border_police",
        "fiu",
        "prisons",
        "coordination",
        "partner_un",
        "partner_donor",
    ]
    assert all(ARABIC.search(a.label_ar) for a in agencies)
    for entry in config["datasets"]:
        extra = {k: entry.pop(k) for k in ("file", "format", "mapping") if k in entry}
        shared_with = entry.pop("shared_with", [])
        dataset = Dataset(**entry | {"default_marking": Marking.parse(entry["default_marking"])})
        assert dataset.agency in {a.name for a in agencies}
        assert set(shared_with) <= {"*"} | {a.name for a in agencies} - {dataset.agency}
        assert (DEMO / extra["file"]).is_file()
        assert extra["format"] in ("csv", "xlsx", "ftm")
        assert extra["format"] == "ftm" or (DEMO / extra["mapping"]).is_file()
        assert dataset.legal_basis and dataset.purpose
    roles = {r.value for r in Role}
    for user, agency, role in config["users"]:
        assert check_user_name(user) and agency in {a.name for a in agencies} and role in roles


@pytest.mark.parametrize("dataset", sorted(TABULAR))
def test_every_row_maps(dataset: str, caplog: pytest.LogCaptureFixture) -> None:
    seen: set[str] = set()
    with caplog.at_level(logging.WARNING):
        for row, entities in mapped(dataset):
            assert "person" in entities, row
            seen.update(e.schema.name for e in entities.values())
    discarded = [r.message for r in caplog.records if "Discard" in r.message]
    assert discarded == []  # every phone, date, country... is a valid value
    assert seen == SCHEMATA[dataset]


def test_person_records_are_keyed_per_agency() -> None:
    for dataset, (_, column) in TABULAR.items():
        keys = {r.get(column) or r["visitor_no"] for r in rows(dataset)}
        assert keys == {k for d, k in truth() if d == dataset}
    fiu_people = {e["id"] for e in fiu() if e["schema"] == "Person"}
    assert fiu_people == {k for d, k in truth() if d == "fiu_reports"}


def test_fiu_lines_are_valid_entities() -> None:
    ids = {e["id"] for e in fiu()}
    for data in fiu():
        proxy = model.get_proxy(data, cleaned=False)  # cleans, dropping invalid values
        for prop, values in data["properties"].items():
            assert len(proxy.get(prop)) == len(values), (data["id"], prop)
            if proxy.schema.properties[prop].type.name == "entity":
                assert set(values) <= ids
    schemata = {e["schema"] for e in fiu()}
    assert schemata == {"Person", "Company", "BankAccount", "Ownership", "Payment"}


def latin_names() -> dict[str, dict[str, str]]:
    """Latin-script names by true person and dataset."""
    names: dict[str, dict[str, str]] = {}
    for dataset, (_, column) in TABULAR.items():
        for row in rows(dataset):
            name = row.get("name_latin") or " ".join(
                row[c] for c in ("given_names", "surname") if c in row
            )
            person = truth()[dataset, row.get(column) or row["visitor_no"]]
            if name:
                names.setdefault(person, {})[dataset] = name
    for entity in fiu():
        if entity["schema"] == "Person":
            person = truth()["fiu_reports", entity["id"]]
            for name in entity["properties"]["name"]:
                if not ARABIC.search(name):
                    names.setdefault(person, {})["fiu_reports"] = name
    return names


def test_people_and_overlaps() -> None:
    datasets: dict[str, set[str]] = {}
    for dataset, person in ((d, p) for (d, _), p in truth().items()):
        datasets.setdefault(person, set()).add(dataset)
    assert len(datasets) >= 500
    overlapping = {p for p, ds in datasets.items() if len(ds) > 1}
    assert len(overlapping) >= 110
    spelled = latin_names()
    differ = [
        p
        for p in overlapping
        if len(spelled.get(p, {})) > 1 and len({n.casefold() for n in spelled[p].values()}) > 1
    ]
    assert len(differ) >= 100


def test_arabic_names() -> None:
    police = [r.get("name_ar", "") for r in rows("police_cases")]
    prison = [r["name_ar"] for r in rows("prison_register")]
    assert all(ARABIC.search(n) for n in prison)
    arabic = [n for n in police + prison if n]
    assert len(arabic) >= 300
    assert sum(bool(HARAKAT.search(n)) for n in arabic) >= 20
    assert sum(TATWEEL in n for n in arabic) >= 10
    assert any("عبدالله" in n for n in arabic) and any("عبد الله" in n for n in arabic)
    assert any(not r.get("name_latin") for r in rows("police_cases"))  # Arabic only
    fiu_names = [n for e in fiu() if e["schema"] == "Person" for n in e["properties"]["name"]]
    assert sum(bool(ARABIC.search(n)) for n in fiu_names) >= 50


def graph() -> dict[str, set[str]]:
    """Links between true people, groups, companies, accounts and journeys."""
    canon: dict[str, str] = {}
    entities: list[EntityProxy] = []
    for dataset, (_, column) in TABULAR.items():
        for row, mapping in mapped(dataset):
            canon[mapping["person"].id or ""] = truth()[
                dataset, row.get(column) or row["visitor_no"]
            ]
            entities.extend(mapping.values())
    for data in fiu():
        if data["schema"] == "Person":
            canon[data["id"]] = truth()["fiu_reports", data["id"]]
        entities.append(model.get_proxy(data))
    edges = {
        "Membership": ("member", "organization"),
        "Associate": ("person", "associate"),
        "Payment": ("payer", "beneficiary"),
        "Ownership": ("owner", "asset"),
        "Trip": ("involved", "id"),
    }
    links: dict[str, set[str]] = {}
    for entity in entities:
        if entity.schema.name not in edges:
            continue
        left, right = edges[entity.schema.name]
        for a in entity.get(left):
            for b in [entity.id or ""] if right == "id" else entity.get(right):
                a, b = canon.get(a, a), canon.get(b, b)
                links.setdefault(a, set()).add(b)
                links.setdefault(b, set()).add(a)
    return links


def connected(links: dict[str, set[str]], start: str, goal: str, without: set[str]) -> bool:
    queue, seen = deque([start]), {start}
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in links.get(node, set()) - seen - without:
            seen.add(nxt)
            queue.append(nxt)
    return False


def test_brokers_link_the_cell_and_the_network() -> None:
    links = graph()
    groups = actors()["groups"]
    cell, network = groups["terrorist_cell"], groups["smuggling_network"]
    brokers = [b["person"] for b in actors()["brokers"]]
    assert len(brokers) == 2
    for broker in brokers:
        near = links[broker] | {n for m in links[broker] for n in links.get(m, set())}
        assert near & set(cell["members"]), broker
        assert near & set(network["members"]), broker
        others = set(brokers) - {broker}
        assert connected(links, cell["entity_id"], network["entity_id"], others)
    # Without the brokers, nothing ties the cell to the network.
    assert not connected(links, cell["entity_id"], network["entity_id"], set(brokers))


def test_key_actor_records_are_in_the_data() -> None:
    for broker in actors()["brokers"]:
        datasets = {r["dataset"] for r in broker["records"]}
        assert {"police_cases", "fiu_reports", "border_crossings"} <= datasets
        for record in broker["records"]:
            assert truth()[record["dataset"], record["record_key"]] == broker["person"]
    first = actors()["brokers"][0]
    assert "prison_register" in {r["dataset"] for r in first["records"]}
