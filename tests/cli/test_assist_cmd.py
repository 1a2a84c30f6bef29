"""`rasid assist` end to end on both databases: the taxonomy, a state's requirement, the
demo's visit from YAML, donors' IATI files imported (twice: nothing changes), suggestions
with their components, a decision, the duplication check, progress, IATI export and the
report as PDF and CSV; bad input exits with the reason."""

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.access.accounts import Role
from rasid.cli.main import app
from rasid.store import open_store
from tests.web.helpers import new_user

runner = CliRunner()
ROOT = Path(__file__).parents[2] / "rasid"
VISIT = ROOT / "assist" / "examples" / "visit-al-sahel.yml"
EXAMPLES = ROOT / "assist" / "examples"


def rasid(*args: str) -> tuple[int, str, str]:
    """Run the command line; exit code, stdout and stderr."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def coordinator(settings_env: str) -> str:
    """A coordination officer, with the partner agencies the visit releases to."""
    store = open_store(settings_env, create=True)
    try:
        new_user(store, "partner_un", Role.FOCAL_POINT)
        return new_user(store, "coordination", Role.COORDINATOR)
    finally:
        store.dispose()


def test_the_coordination_commands(coordinator: str, tmp_path: Path) -> None:
    me = ("--as", coordinator)
    code, out, _ = rasid("assist", "themes", *me, "--json")
    themes = json.loads(out)
    assert code == 0 and len(themes) == 25 and themes[20]["code"] == "gp-21"
    code, _, err = rasid(
        "assist",
        "requirement",
        "add",
        "res-2396-op12",
        *me,
        "--area",
        "D",
        "--label",
        "Resolution 2396, paragraph 12",
        "--label-ar",
        "القرار 2396، الفقرة 12",
        "--dac",
        "15136",
    )
    assert code == 0, err
    code, out, err = rasid("assist", "visit", str(VISIT), *me, "--json")
    assert code == 0, err
    loaded = json.loads(out)
    fiu = loaded["needs"]["fiu-analysis"]
    for name in ("donors-north.xml", "donors-south.xml"):
        code, out, err = rasid("assist", "import", str(EXAMPLES / name), *me, "--json")
        assert code == 0, err
        assert json.loads(out)["created"] == 4
    code, out, _ = rasid("assist", "import", str(EXAMPLES / "donors-north.xml"), *me, "--json")
    assert json.loads(out) | {"quarantined": [], "dropped": []} == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "quarantined": [],
        "dropped": [],
    }
    code, out, _ = rasid("assist", "import", str(EXAMPLES / "offers.csv"), *me, "--format", "csv")
    assert code == 0 and "created" in out
    code, out, _ = rasid("assist", "match", str(fiu), *me, "--json", "--today", "2026-11-24")
    found = json.loads(out)
    assert code == 0 and found[0]["components"][0]["name"] == "theme"
    assert found[0]["components"][0]["explanation"]
    best = found[0]["project"]
    code, out, _ = rasid("assist", "match", str(fiu), *me, "--today", "2026-11-24")
    assert "institution" in out and "funding" in out
    code, out, _ = rasid("assist", "accept", str(fiu), str(best), *me, "--note", "meeting 3")
    assert code == 0 and "accepted" in out
    code, out, _ = rasid("assist", "duplicates", *me, "--json")
    flags = json.loads(out)
    assert code == 0 and len(flags) == 1 and flags[0]["themes"] == ["gp-21"]
    code, out, _ = rasid("assist", "progress", str(loaded["roadmap"]), *me, "--json")
    steps = json.loads(out)
    assert code == 0 and [s["position"] for s in steps] == [1, 2, 3, 4]
    assert all(s["rating"] == "none" for s in steps)  # nothing linked yet
    exported = tmp_path / "out.xml"
    code, out, _ = rasid("assist", "export", *me, "--output", str(exported))
    assert code == 0 and exported.read_bytes().count(b"<iati-activity ") >= 8
    pdf = tmp_path / "report.pdf"
    code, _, err = rasid("assist", "report", *me, "--output", str(pdf), "--lang", "en")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    table = tmp_path / "coverage.csv"
    code, _, err = rasid(
        "assist", "report", *me, "--output", str(table), "--format", "csv", "--lang", "ar"
    )
    assert code == 0, err
    rows = list(csv.reader(table.open(encoding="utf-8")))
    assert len(rows) > 1


def test_bad_input_exits_with_the_reason(coordinator: str, tmp_path: Path) -> None:
    me = ("--as", coordinator)
    bad = tmp_path / "bad.xml"
    bad.write_text("<iati-activities version='2.03'><iati-activity>", "utf-8")
    code, _, err = rasid("assist", "import", str(bad), *me)
    assert code == 2 and "bad.xml" in err
    code, _, err = rasid("assist", "match", "999", *me)
    assert code == 1 and "no need 999" in err
    code, _, err = rasid("assist", "needs", "--as", "nobody")
    assert code != 0 and "nobody" in err


def test_exchange_rates(coordinator: str, settings_env: str, tmp_path: Path) -> None:
    me = ("--as", coordinator)
    add = ("assist", "rate", "add")
    on = ("--on", "2026-10-01")
    code, out, err = rasid(*add, "eur", "USD", "1.08", *me, *on, "--source", "demo")
    assert code == 0, err
    assert "1 EUR = 1.08 USD as of 2026-10-01 (demo)" in out
    code, out, _ = rasid("assist", "rates", *me, "--json")
    (rate,) = json.loads(out)
    assert code == 0 and (rate["base"], rate["quote"], rate["rate"], rate["on"]) == (
        "EUR",
        "USD",
        1.08,
        "2026-10-01",
    )
    assert rate["source"] == "demo" and rate["recorded_by"] == coordinator
    code, out, _ = rasid("assist", "rates", *me)
    assert code == 0 and "EUR" in out and "demo" in out
    code, _, err = rasid(*add, "EUR", "USD", "0", *me, "--on", "2026-10-01", "--source", "x")
    assert code == 2 and "greater than 0" in err
    code, _, err = rasid(*add, "EUR", "QQQ", "1", *me, "--on", "2026-10-01", "--source", "x")
    assert code == 2 and "unknown currency 'QQQ'" in err
    code, _, err = rasid(*add, "EUR", "USD", "1", *me, "--on", "1 October", "--source", "x")
    assert code == 2 and "not a date" in err
    store = open_store(settings_env, create=True)
    try:
        analyst = new_user(store, "coordination", Role.ANALYST)
    finally:
        store.dispose()
    code, _, err = rasid(*add, "EUR", "USD", "1", "--as", analyst, "--on", "2026-10-01",
                         "--source", "x")  # fmt: skip
    assert code != 0  # refused: not a coordination officer
    code, out, _ = rasid("assist", "rates", *me, "--json")
    assert len(json.loads(out)) == 1
