"""The `rasid` command through Typer's runner, on both databases."""

import json
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from rasid.cli.main import app
from tests.ingest.helpers import PEOPLE, write_jsonl

runner = CliRunner()


def rasid(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def loaded(settings_env: str, tmp_path: Path) -> Path:
    path = write_jsonl(tmp_path / "people.jsonl", [*PEOPLE, "{bad"])
    code, out = rasid("ingest", str(path), "-d", "police", "--agency", "national_police", "-q")
    assert code == 0, out
    return path


def test_init_takes_the_database_after_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    code, out = rasid("init", "--database", url)
    assert code == 0 and (tmp_path / "other.db").exists()
    code, out = rasid("--database", url, "stats", "--json")
    assert code == 0 and json.loads(out)["statements"] == 0


def test_init_is_idempotent(settings_env: str) -> None:
    code, out = rasid("init")
    assert code == 0 and "revision" in out
    code, out = rasid("init")
    assert code == 0 and "up to date" in out


def test_ingest_json_summary_is_stable(loaded: Path) -> None:
    code, out = rasid("ingest", str(loaded), "-d", "police", "--json", "-q")
    assert code == 0
    summary = json.loads(out)
    assert {k: summary[k] for k in ("entities", "statements", "rejected")} == {
        "entities": 4,
        "statements": 12,
        "rejected": 1,
    }
    assert summary["by_schema"] == {"Person": 2, "Organization": 1, "Membership": 1}


def test_ingest_exit_codes(settings_env: str, tmp_path: Path) -> None:
    junk = write_jsonl(tmp_path / "junk.jsonl", ["{nope", "[]"])
    code, out = rasid("ingest", str(junk), "-d", "police", "--agency", "p", "-q")
    assert code == 1  # nothing could be imported, but the bad lines are quarantined
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"id": "\xe9"}\n')
    code, out = rasid("ingest", str(latin), "-d", "police", "-q")
    assert code == 2 and "not UTF-8" in out and len(out.strip().splitlines()) == 1
    code, out = rasid("ingest", str(tmp_path / "missing.jsonl"), "-d", "police")
    assert code == 2 and "no such file" in out
    code, out = rasid("ingest", str(junk), "-d", "fresh")
    assert code == 2 and "--agency" in out
    code, out = rasid("ingest", str(junk))
    assert code == 2 and "--dataset" in out


def test_entities_show_stats_quarantine(loaded: Path) -> None:
    code, out = rasid("entities", "--q", "محمد", "--json")
    assert code == 0 and [e["id"] for e in json.loads(out)] == ["p1"]
    code, out = rasid("entities", "--schema", "Organization", "--json")
    assert [e["id"] for e in json.loads(out)] == ["o1"]
    code, out = rasid("show", "p2", "--json")
    shown = json.loads(out)
    [nat] = [s for s in shown["statements"] if s["prop"] == "nationality"]
    assert (nat["dataset"], nat["agency"], nat["marking"]) == (
        "police",
        "national_police",
        "TLP:AMBER",
    )
    assert nat["first_seen"] and nat["delete_after"]
    code, out = rasid("show", "nobody")
    assert code == 1 and "no entity" in out
    code, out = rasid("stats", "--json")
    stats = json.loads(out)
    assert stats["entities"]["Person"] == 2 and stats["statements"] == 12
    assert (stats["datasets"], stats["quarantined"]) == (1, 1)
    code, out = rasid("quarantine", "--json")
    [held] = json.loads(out)
    assert held["location"] == "line 5" and held["reason"].startswith("not JSON")


def test_agencies_and_datasets(settings_env: str) -> None:
    assert (
        rasid(
            "agencies",
            "add",
            "border_police",
            "--label",
            "Border Police",
            "--label-ar",
            "شرطة الحدود",
        )[0]
        == 0
    )
    code, out = rasid("agencies", "add", "border_police")
    assert code == 2 and "exists already" in out
    code, out = rasid("agencies", "add", "Bad-Name")
    assert code == 2 and "invalid agency name" in out
    code, out = rasid(
        "datasets",
        "add",
        "crossings",
        "--agency",
        "border_police",
        "--marking",
        "amber+strict",
        "--retention",
        "api",
    )
    assert code == 0, out
    code, out = rasid("datasets", "add", "x", "--agency", "nobody")
    assert code == 2 and "unknown agency" in out
    code, out = rasid("agencies", "--json")
    assert json.loads(out)[0]["label_ar"] == "شرطة الحدود"
    code, out = rasid("datasets", "--json")
    [ds] = json.loads(out)
    assert (ds["default_marking"], ds["retention_class"], ds["statements"]) == (
        "TLP:AMBER+STRICT",
        "api",
        0,
    )


def test_export_reimports_without_loss(loaded: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.jsonl"
    assert rasid("export", "--statements", "-o", str(out_file))[0] == 0
    rows = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert len(rows) == 12 and all(r["marking"] == "TLP:AMBER" for r in rows)
    code, out = rasid("ingest", str(out_file), "-d", "copy", "--agency", "a", "--json", "-q")
    assert code == 0 and json.loads(out)["statements"] == 12
    entities_file = tmp_path / "entities.jsonl"
    assert rasid("export", "--dataset", "police", "-o", str(entities_file))[0] == 0
    entities = [json.loads(line) for line in entities_file.read_text().splitlines()]
    assert sorted(e["id"] for e in entities) == ["m1", "o1", "p1", "p2"]


def test_exports_and_reads_are_audited(loaded: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.jsonl"
    assert (
        rasid("export", "--dataset", "police", "-o", str(out_file), "--purpose", "case 7")[0] == 0
    )
    assert rasid("show", "p1", "--purpose", "case 7")[0] == 0
    code, out = rasid("audit", "--json")
    assert code == 0
    records = {r["action"]: r for r in json.loads(out)}
    export = records["export"]
    assert export["actor"].startswith("cli") and export["purpose"] == "case 7"
    assert export["detail"]["datasets"] == ["police"] and export["detail"]["to"] == str(out_file)
    read = records["entity.read"]
    assert read["target"] == "p1" and read["detail"]["datasets"] == ["police"]


def test_every_command_has_help() -> None:
    command = get_command(app)
    names = list(command.commands)  # type: ignore[attr-defined]
    assert {
        "init",
        "ingest",
        "datasets",
        "agencies",
        "entities",
        "show",
        "stats",
        "export",
        "serve",
        "demo",
        "quarantine",
    } <= set(names)
    for name in names:
        code, out = rasid(name, "--help")
        assert code == 0 and "Usage" in out
        sub = command.commands[name]  # type: ignore[attr-defined]
        assert sub.help, f"{name} has no help text"
