"""Generate the demo's synthetic multi-agency data set.

Four agencies each hold their own view of one fictional population: national police cases
(CSV), border crossings (XLSX), FIU suspicious transaction reports (FtM JSON lines) and the
prison register (CSV), plus the FtM mapping files for the tabular ones. Names are spelled the
way each agency spells them; no record id is shared across agencies. ``truth.csv`` maps every
agency record to the real person behind it, for evaluating entity resolution, and
``scenario.yml`` names the key actors: the terrorist cell, the smuggling network and the two
brokers who link them.

The output depends only on the seed: ``python -m rasid.demo.scenario OUT_DIR``.
"""

import argparse
import csv
import io
import json
import random
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from followthemoney import model
from openpyxl.writer.excel import ExcelWriter

from rasid.demo.mappings import MAPPINGS
from rasid.demo.names import arabic, latin
from rasid.demo.records import (
    BORDER_COLUMNS,
    DATASETS,
    POLICE_COLUMNS,
    PRISON_COLUMNS,
    Records,
    Row,
)
from rasid.demo.story import Story
from rasid.demo.world import Human, World

DEFAULT_SEED = 2396
# Fixed workbook and archive dates keep the XLSX file identical from run to run.
FIXED_TIME = datetime(2024, 7, 1)
SHEET = "crossings"
BROKER_ROLES = (
    "criminal broker: visits a jailed cell member, travels with another and trades money "
    "with the smuggling network",
    "document forger: paid by the cell's financier, pays the network, travels with a smuggler",
)


def write_scenario(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the scenario's files into ``out_dir`` and return what was written, counted."""
    rng = random.Random(seed)
    world = Story(rng).build()
    records = Records(world, rng)
    tables = {
        "police_cases": records.police(),
        "border_crossings": records.border(),
        "fiu_reports": records.fiu(),
        "prison_register": records.prisons(),
    }
    truth = sorted(records.truth)
    _check(world, truth)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(out_dir / "police_cases.csv", POLICE_COLUMNS, tables["police_cases"])
    _write_xlsx(out_dir / "border_crossings.xlsx", BORDER_COLUMNS, tables["border_crossings"])
    _write_jsonl(out_dir / "fiu_reports.jsonl", tables["fiu_reports"])
    _write_csv(out_dir / "prison_register.csv", PRISON_COLUMNS, tables["prison_register"])
    for name, text in MAPPINGS.items():
        (out_dir / f"{name}.mapping.yml").write_text(text, encoding="utf-8")
    truth_rows = [dict(zip(("dataset", "record_key", "person"), t, strict=True)) for t in truth]
    _write_csv(out_dir / "truth.csv", ("dataset", "record_key", "person"), truth_rows)
    actors = _actors(world, records, tables, seed)
    text = yaml.safe_dump(actors, allow_unicode=True, sort_keys=False, width=100)
    (out_dir / "scenario.yml").write_text(_ACTORS_HEADER + text, encoding="utf-8")
    people: dict[str, int] = {}
    for _, _, person in truth:
        people[person] = people.get(person, 0) + 1
    counts = {name: len(rows) for name, rows in tables.items()}
    counts |= {"people": len(people), "overlaps": sum(1 for n in people.values() if n > 1)}
    return counts | {"truth": len(truth)}


def _check(world: World, truth: list[tuple[str, str, str]]) -> None:
    """Each person must have a record in exactly the agencies the story gave them."""
    found: dict[str, set[str]] = {}
    for dataset, _, person in truth:
        found.setdefault(person, set()).add(dataset)
    for human in world.people:
        expected = {DATASETS[a] for a in human.agencies}
        if found.get(human.number) != expected:
            raise RuntimeError(f"{human.number}: records in {found.get(human.number)}")


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _write_jsonl(path: Path, entities: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for entity in entities:
            fh.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")


def _write_xlsx(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row[c] for c in columns])
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    workbook.properties.creator = "Rasid demo scenario"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    # ExcelWriter directly: save_workbook() would stamp the current time as "modified".
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))


def cell_text(value: Any) -> str | None:
    """A table value as the importer reads it: dates in ISO form, blanks as None."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = "" if value is None else str(value).strip()
    return text or None


def entity_id(dataset: str, name: str, row: Row) -> str:
    """The id the importer derives for the mapping entity ``name`` from one table row."""
    spec = yaml.safe_load(MAPPINGS[dataset])["entities"][name]
    keys_only = {k: spec[k] for k in ("schema", "keys", "key_literal")}
    # Only the keys make the id; mapping nothing else keeps this quick and quiet.
    query = {"entities": {name: keys_only}, "csv_url": "file:///dev/null"}
    mapping = model.make_mapping(query, key_prefix=dataset)
    record = {k: v for k, v in ((k, cell_text(row.get(k))) for k in spec["keys"]) if v}
    return str(mapping.map(record)[name].id)


_ACTORS_HEADER = """\
# Key actors of the demo scenario (written by `python -m rasid.demo.scenario`; do not edit).
# `person` values are the true identities of truth.csv. A record is what one agency holds:
# its dataset, its own record key, and the entity id the importer derives from them.
"""


def _actors(
    world: World, records: Records, tables: dict[str, list[Row]], seed: int
) -> dict[str, Any]:
    def person_records(human: Human) -> list[dict[str, str]]:
        found = []
        for agency in sorted(human.agencies):
            dataset, key = DATASETS[agency], records.keys[agency, human]
            found.append({"dataset": dataset, "record_key": key, "entity_id": _id(dataset, key)})
        return found

    def _id(dataset: str, key: str) -> str:
        if dataset == "fiu_reports":
            return key
        column = {"police_cases": "person_no", "border_crossings": "passport_no"}.get(dataset)
        for row in tables[dataset]:
            if key in (row.get(column or "prisoner_no"), row.get("visitor_no")):
                return entity_id(dataset, "person", row)
        raise KeyError(key)

    groups: dict[str, Any] = {}
    for key, role in (("terrorist_cell", "cell"), ("smuggling_network", "network")):
        group = world.groups[key]
        row = next(r for r in tables["police_cases"] if r["group_code"] == group.code)
        groups[key] = {
            "name": group.name,
            "name_ar": group.name_ar,
            "dataset": "police_cases",
            "group_code": group.code,
            "entity_id": entity_id("police_cases", "group", row),
            "members": sorted(h.number for h in world.role(role)),
        }
    front = next(c for c in world.companies if c.owner in world.role("network"))
    groups["smuggling_network"]["front_company"] = {
        "name": front.name,
        "name_ar": front.name_ar,
        "dataset": "fiu_reports",
        "entity_id": front.key,
    }
    brokers = [
        {
            "person": human.number,
            "name": latin(human.name, "en", random.Random(human.number)),
            "name_ar": arabic(human.name, random.Random(human.number)),
            "role": role,
            "records": person_records(human),
        }
        for human, role in zip(world.role("broker"), BROKER_ROLES, strict=True)
    ]
    return {"seed": seed, "groups": groups, "brokers": brokers}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the scenario into a directory."""
    parser = argparse.ArgumentParser(
        prog="python -m rasid.demo.scenario",
        description="Write Rasid's synthetic multi-agency demo data (police, border, FIU, "
        "prisons), its mapping files and the ground truth into OUT_DIR.",
    )
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="directory to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    counts = write_scenario(args.out_dir, args.seed)
    for name, count in counts.items():
        print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
