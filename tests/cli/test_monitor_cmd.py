"""`rasid monitor` end to end on both databases: the instrument, subjects, an assessment
rated from a file, reviewed by another person, shown with its scores, revised, its changes
as JSON, suggestions, a judgement, and series."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.monitor import instrument
from rasid.monitor.model import SubjectKind
from rasid.store import open_store
from tests.web.helpers import new_user

runner = CliRunner()


def rasid(*args: str) -> tuple[int, str, str]:
    """Run the command line; exit code, stdout and stderr."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def users(settings_env: str) -> tuple[str, str, str]:
    """Two police analysts and an FIU analyst, in a migrated store."""
    store = open_store(settings_env, create=True)
    try:
        return new_user(store, "police"), new_user(store, "police"), new_user(store, "fiu")
    finally:
        store.dispose()


def _ratings(path: Path, levels: dict[str, int]) -> Path:
    data = {
        key: {
            "level": level,
            "confidence": "moderate",
            "trend": "stable",
            "rationale": "field reports",
            "evidence": [{"kind": "citation", "reference": "Report 3", "date": "2026-02-01"}],
        }
        for key, level in levels.items()
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def _number(out: str) -> int:
    return int(out.split(":")[0].split()[-1])


def test_the_monitoring_commands(users: tuple[str, str, str], tmp_path: Path) -> None:
    ana, rev, fia = users
    keys = [i.id for i in instrument.applicable(instrument.load(), SubjectKind.COUNTRY)]
    code, out, _ = rasid("monitor", "instrument", "--lang", "en")
    assert code == 0 and keys[0] in out
    code, out, _ = rasid("monitor", "instrument", "--json")
    assert json.loads(out)["version"] == instrument.load().version
    assert rasid("monitor", "instrument", "--version", "0.0")[0] == 2

    code, out, err = rasid(
        "monitor", "subject", "add", "--as", ana, "country", "Testland", "أرض", "--country", "tl"
    )
    assert code == 0, err
    subject = _number(out)
    code, out, err = rasid(
        "monitor",
        "subject",
        "add",
        "--as",
        ana,
        "region",
        "North",
        "الشمال",
        "--parent",
        "Testland",
    )
    assert code == 0, err
    code, out, _ = rasid("monitor", "subjects", "--as", ana, "--json")
    assert [s["name"] for s in json.loads(out)] == ["Testland", "North"]

    rated = _ratings(tmp_path / "q1.yml", {keys[0]: 2, keys[1]: 3})
    period = ("--from", "2026-01-01", "--to", "2026-03-31")
    code, out, err = rasid(
        "monitor", "assess", "Testland", "--as", ana, *period, "--ratings", str(rated), "--submit"
    )
    assert code == 0, err
    first = _number(out)
    assert "in_review, 2 ratings" in out
    code, _, err = rasid("monitor", "review", str(first), "--as", ana, "--approve")
    assert code == 2 and "another person" in err
    code, out, err = rasid("monitor", "review", str(first), "--as", rev, "--approve")
    assert code == 0 and "approved (SHA-256" in out, err
    code, out, _ = rasid("monitor", "show", str(first), "--as", ana, "--json")
    shown = json.loads(out)
    assert shown["hash_verified"] is True and shown["scores"]["overall"]["assessed"] == 2
    code, out, _ = rasid("monitor", "show", str(first), "--as", ana, "--lang", "en")
    assert code == 0 and "verified" in out and "Testland" in out
    assert rasid("monitor", "show", str(first), "--as", fia)[0] == 1  # TLP:AMBER, other agency

    revised = _ratings(tmp_path / "q2.json", {keys[0]: 3})
    code, out, err = rasid(
        "monitor", "assess", str(subject), "--as", ana, "--from", "2026-04-01",
        "--to", "2026-06-30", "--ratings", str(revised), "--revises", str(first), "--submit",
    )  # fmt: skip
    assert code == 0, err
    second = _number(out)
    assert rasid("monitor", "review", str(second), "--as", rev, "--send-back")[0] == 2  # no note
    code, out, _ = rasid(
        "monitor", "review", str(second), "--as", rev, "--send-back", "--note", "why?"
    )
    assert "draft" in out
    code, _, err = rasid("monitor", "assess", "Nowhere", "--as", ana, *period)
    assert code == 1 and "no subject" in err


def test_revision_changes_suggest_judge(users: tuple[str, str, str], tmp_path: Path) -> None:
    ana, rev, _ = users
    keys = [i.id for i in instrument.applicable(instrument.load(), SubjectKind.COUNTRY)]
    rasid("monitor", "subject", "add", "--as", ana, "country", "Testland", "أرض", "--country", "tl")
    q1, q2 = _ratings(tmp_path / "a.yml", {keys[0]: 2}), _ratings(tmp_path / "b.yml", {keys[0]: 3})
    first = _number(
        rasid("monitor", "assess", "Testland", "--as", ana, "--from", "2026-01-01",
              "--to", "2026-03-31", "--ratings", str(q1), "--submit")[1]
    )  # fmt: skip
    rasid("monitor", "review", str(first), "--as", rev, "--approve")
    second = _number(
        rasid("monitor", "assess", "Testland", "--as", ana, "--from", "2026-04-01",
              "--to", "2026-06-30", "--ratings", str(q2), "--submit", "--revises", str(first))[1]
    )  # fmt: skip
    rasid("monitor", "review", str(second), "--as", rev, "--approve")
    code, out, _ = rasid("monitor", "changes", "Testland", "--as", ana, "--json")
    found = json.loads(out)
    assert code == 0 and [(c["before"], c["after"]) for c in found] == [(first, second)]
    assert {c["kind"] for c in found[0]["changes"]} == {"significant"}
    code, out, _ = rasid("monitor", "changes", "Testland", "--as", ana)
    assert f"{first} → {second}" in out and "significant" in out
    code, out, _ = rasid("monitor", "suggest", str(second), "--as", ana, "--json")
    assert code == 0 and "ranked" in json.loads(out)
    assert rasid("monitor", "suggest", str(second), "--as", ana)[0] == 0
    code, out, err = rasid(
        "monitor", "judge", str(second), "--as", rev, "--manifestation", "alliance",
        "--likelihood", "unlikely", "--confidence", "low", "--rationale", "one source only",
    )  # fmt: skip
    assert code == 0 and "alliance, unlikely, low confidence" in out, err


def test_series_import_and_advice(users: tuple[str, str, str], tmp_path: Path) -> None:
    ana, _, fia = users
    values = [5, 6, 5, 4, 5, 6, 5, 5, 6, 4, 5, 5, 40]
    periods = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
    path = tmp_path / "events.csv"
    rows = [f"events.attacks,west,{p},{v}" for p, v in zip(periods, values, strict=True)]
    path.write_text(
        "series,region,period,value\n" + "\n".join(rows) + "\nevents.attacks,west,2026-02,lots\n",
        "utf-8",
    )
    code, out, err = rasid("monitor", "series", "import", str(path), "--as", ana, "-q")
    assert code == 0 and "stored 13 points, rejected 1 rows" in out, err
    code, out, _ = rasid("monitor", "series", "advice", "--as", ana, "--json")
    assert [(a["region"], a["period"]) for a in json.loads(out)] == [("west", "2026-01")]
    code, out, _ = rasid("monitor", "series", "advice", "--as", fia)
    assert "no advice" in out
    assert rasid("monitor", "series", "advice", "--as", "nobody")[0] == 2


def test_a_bad_ratings_file_names_the_file_and_the_entry(
    users: tuple[str, str, str], tmp_path: Path
) -> None:
    ana = users[0]
    rasid("monitor", "subject", "add", "--as", ana, "country", "Testland", "أرض", "--country", "tl")
    bad = tmp_path / "bad.yml"
    bad.write_text("geography.border_proximity: {level: high}\n", "utf-8")
    code, _, err = rasid(
        "monitor", "assess", "Testland", "--as", ana, "--from", "2026-01-01",
        "--to", "2026-03-31", "--ratings", str(bad),
    )  # fmt: skip
    assert code == 2 and "bad.yml" in err and "border_proximity" in err
