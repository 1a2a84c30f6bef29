"""`rasid ingest` with travel messages, on both databases: the summary's travel counts, the
format told from the message, and the one-line error when no message is usable."""

import json
from pathlib import Path

from typer.testing import CliRunner

from rasid.cli.main import app
from tests.travel.helpers import API_UA988, API_WITHOUT_FLIGHT, DATA_DIR, DOCUMENTS

runner = CliRunner()
API = DATA_DIR / "paxlst_gtas_apisMessage_d05b.edi"
PNR = DATA_DIR / "pnrgov_gtas_pnrMessage_full.edi"


def test_ingest_paxlst_reports_travellers_and_flights(settings_env: str) -> None:
    args = ["ingest", str(API), "-d", "border_api", "--agency", "border", "--format", "paxlst"]
    result = runner.invoke(app, [*args, "--json", "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    shown = ("format", "entities", "rejected", "travellers", "bookings", "flights")
    assert {k: summary[k] for k in shown} == {
        "format": "paxlst",
        "entities": 2,
        "rejected": 0,
        "travellers": 2,
        "bookings": 0,
        "flights": 2,
    }
    again = runner.invoke(app, [*args[:4], "-q"])
    assert again.exit_code == 0
    assert "travellers 2, bookings 0, flights 2" in again.stdout
    assert "received before: nothing added" in again.stdout


def test_ingest_tells_pnrgov_from_the_message(settings_env: str) -> None:
    result = runner.invoke(app, ["ingest", str(PNR), "-d", "piu_pnr", "--agency", "piu", "-q"])
    assert result.exit_code == 0, result.output
    assert "(pnrgov)" in result.stdout
    assert "travellers 2, bookings 1, flights 2" in result.stdout
    assert "sensitive items removed on receipt: 5 (meal 5)" in result.stdout


def test_no_usable_message_exits_with_one_line(settings_env: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(API_WITHOUT_FLIGHT)
    args = ["ingest", str(path), "-d", "api", "--agency", "b", "--json", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line == (
        f"error: {path}: segment 2 (UNH), line 3: no flight leg (TDT): the flight is unknown"
    )
    assert json.loads(result.stdout)["rejected"] == 1
    shown = runner.invoke(app, ["quarantine", "--dataset", "api", "--json"])
    [row] = json.loads(shown.stdout)
    assert row["location"] == "segment 2 (UNH), line 3"


def test_travellers_are_screened_on_arrival(settings_env: str, tmp_path: Path) -> None:
    lists = tmp_path / "sltd.jsonl"
    lists.write_text("\n".join(json.dumps(d) for d in DOCUMENTS) + "\n")
    add = ["ingest", str(lists), "-d", "sltd", "--agency", "border", "--documents", "-q"]
    assert runner.invoke(app, add).exit_code == 0
    api = tmp_path / "api.edi"
    api.write_bytes(API_UA988)
    args = ["ingest", str(api), "-d", "piu_api", "--agency", "piu", "-q"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    screened = json.loads(result.stdout)["screened"]
    assert {k: screened[k] for k in ("travellers", "document_alerts", "hits")} == {
        "travellers": 1,
        "document_alerts": 1,
        "hits": 1,
    }
    assert screened["document_lists"] == ["sltd"]
    shown = runner.invoke(app, ["hits", "--json"])
    assert '"kind": "document"' in shown.stdout


def test_a_dataset_is_not_both_a_watchlist_and_a_document_list(
    settings_env: str, tmp_path: Path
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(DOCUMENTS[0]) + "\n")
    args = ["ingest", str(path), "-d", "x", "--agency", "b", "--documents", "--watchlist"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "not both" in result.output
