"""`rasid travel` (flights, manifest, quality, schedule) and `rasid ingest --received-at`,
on both databases."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.access import audit
from rasid.cli.main import app
from rasid.model.keys import content_key
from rasid.store import open_store
from tests.travel.helpers import API_UA988, PUSHES

runner = CliRunner()
UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")
MAY_12 = ["--from", "2018-05-12", "--to", "2018-05-12"]


def receive(tmp_path: Path, name: str, data: bytes, at: str | None = None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    args = ["ingest", str(path), "-d", "piu", "--agency", "piu", "-q"]
    result = runner.invoke(app, [*args, "--received-at", at] if at else args)
    assert result.exit_code == 0, result.output


@pytest.fixture
def pushed(settings_env: str, tmp_path: Path) -> str:
    """UA988: the 48 h PNR push on time (10:20 UTC on 10 May), the 24 h one four hours late
    (given in Frankfurt time), the API manifest before departure."""
    receive(tmp_path, "48h.edi", PUSHES["48h"], "2018-05-10T10:00")
    receive(tmp_path, "24h.edi", PUSHES["24h"], "2018-05-11T16:20+02:00")
    receive(tmp_path, "api.edi", API_UA988, "2018-05-12T09:00Z")
    return settings_env


def test_the_quality_report_as_json(pushed: str) -> None:
    args = ["travel", "quality", "--json", "--as-of", "2018-05-12T12:00", *MAY_12]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [ua988] = report["flights"]
    assert ua988["id"] == UA988 and ua988["api"]["status"] == "on_time"
    assert [(w["status"], w["delay_minutes"]) for w in ua988["pnr"]] == [
        ("on_time", -20),
        ("late", 240),
        ("missing", None),
    ]
    [ua] = report["carriers"]
    assert (ua["pnr_late"], ua["pnr_missing"], ua["manifests_received"]) == (1, 1, 1)
    relaxed = runner.invoke(app, [*args, "--pnr-offsets", "48,24", "--tolerance", "300", "--all"])
    assert [w["status"] for w in json.loads(relaxed.stdout)["flights"][0]["pnr"]] == [
        "on_time",
        "on_time",
    ]


def test_the_quality_report_as_text(pushed: str) -> None:
    result = runner.invoke(app, ["travel", "quality", "--as-of", "2018-05-12T12:00", *MAY_12])
    assert result.exit_code == 0, result.output
    assert "UA988 2018-05-12 FRA-IAD: API on time; PNR 48 h on time" in result.stdout
    assert "PNR 24 h late (+240 min); PNR 0 h missing" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pnr-offsets", "48,x"], "'x' is not a number of hours"),
        (["--as-of", "noon"], "--as-of: not an ISO 8601 time"),
        (["--from", "2018-05-12", "--to", "2018-05-01"], "ends (2018-05-01) before"),
        (["--from", "12/05/2018"], "--from: not a day"),
    ],
)
def test_bad_quality_options_are_named(settings_env: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["travel", "quality", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_received_at_must_be_a_time(settings_env: str, tmp_path: Path) -> None:
    path = tmp_path / "api.edi"
    path.write_bytes(API_UA988)
    args = ["ingest", str(path), "-d", "piu", "--agency", "piu", "--received-at", "yesterday"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "'yesterday' is not an ISO 8601 time" in result.output


@pytest.fixture
def received(settings_env: str, tmp_path: Path) -> str:
    """UA988's 24 h PNR push and its API manifest, received now (so not yet masked)."""
    receive(tmp_path, "24h.edi", PUSHES["24h"])
    receive(tmp_path, "api.edi", API_UA988)
    return settings_env


def test_flights_and_a_manifest(received: str) -> None:
    listed = runner.invoke(app, ["travel", "flights", "--carrier", "UA", "--json"])
    assert listed.exit_code == 0, listed.output
    [ua988] = json.loads(listed.stdout)
    assert (ua988["id"], ua988["api_travellers"], ua988["pnr_travellers"]) == (UA988, 1, 1)
    table = runner.invoke(app, ["travel", "flights", "--from", "2018-05-12"])
    assert UA988 in table.stdout and "FRA-IAD" in table.stdout
    # A manifest is personal data: no purpose, no read.
    refused = runner.invoke(app, ["travel", "manifest", UA988])
    assert refused.exit_code == 2 and "a purpose is required" in refused.stderr
    shown = runner.invoke(app, ["travel", "manifest", UA988, "--purpose", "case 7", "--json"])
    assert shown.exit_code == 0, shown.output
    travellers = json.loads(shown.stdout)["travellers"]
    assert sorted(t["source"] for t in travellers) == ["api", "pnr"]
    text = runner.invoke(app, ["travel", "manifest", UA988, "--purpose", "case 7"])
    assert "ACKARY, CHARLES" in text.stdout and "24A" in text.stdout  # the 24 h push's seat
    missing = runner.invoke(app, ["travel", "manifest", "nothing", "--purpose", "case 7"])
    assert missing.exit_code == 1 and "no flight 'nothing'" in missing.stderr
    store = open_store(received)
    with store.uow() as uow:
        reads = audit.search(uow.conn, action="flight.read")
    store.dispose()
    assert [(r.target, r.purpose, r.outcome) for r in reads] == [
        ("nothing", "case 7", "not_found"),
        (UA988, "case 7", "ok"),
        (UA988, "case 7", "ok"),
    ]
    assert reads[1].actor.startswith("cli") and reads[1].detail["datasets"] == ["piu"]


def test_a_schedule(settings_env: str, tmp_path: Path) -> None:
    path = tmp_path / "week.csv"
    path.write_text(
        "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure\n"
        "XY,123,CAI,DXB,2018-05-12T10:00\n"
        "XY,oops,CAI,DXB,2018-05-12T10:00\n",
        "utf-8",
    )
    result = runner.invoke(app, ["travel", "schedule", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 flights scheduled, 1 lines left out" in result.stdout
    assert "week.csv: line 3: flight number 'oops' is not a number" in result.stderr
    report = runner.invoke(app, ["travel", "quality", "--json", "--as-of", "2018-05-13", *MAY_12])
    [xy123] = json.loads(report.stdout)["flights"]
    assert (xy123["scheduled"], xy123["api"]["status"]) == (True, "missing")
    store = open_store(settings_env)
    with store.uow() as uow:
        [loaded] = audit.search(uow.conn, action="travel.schedule")
    store.dispose()
    assert (loaded.target, loaded.detail["flights"], loaded.detail["left_out"]) == (
        "week.csv",
        1,
        1,
    )


def test_a_schedule_with_nothing_usable(settings_env: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("carrier,flight\nXY,1\n", "utf-8")
    result = runner.invoke(app, ["travel", "schedule", str(bad)])
    assert result.exit_code == 2 and "column flight_number, departure_airport" in result.stderr
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure\n"
        "XY,1,CAI,DXB,tomorrow\n",
        "utf-8",
    )
    result = runner.invoke(app, ["travel", "schedule", str(wrong), "--json"])
    assert result.exit_code == 1 and "no line could be loaded" in result.stderr
    assert json.loads(result.stdout) == {
        "flights": 0,
        "left_out": [
            "line 2: scheduled_departure 'tomorrow' is not an ISO 8601 time (2026-12-01T09:30)"
        ],
    }


@pytest.mark.parametrize("command", ["flights", "manifest", "quality", "schedule"])
def test_every_command_explains_itself(command: str) -> None:
    result = runner.invoke(app, ["travel", command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
    assert len(result.stdout) > 300
