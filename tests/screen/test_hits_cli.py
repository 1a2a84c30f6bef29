"""`rasid hits` through Typer's runner, on both databases."""

import json
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from rasid.cli import hits_cmd
from rasid.screen.hits import record_results
from rasid.screen.model import Match, Reason, Subject
from rasid.settings import get_settings
from rasid.store import open_store

runner = CliRunner()


def make_app() -> typer.Typer:
    """An app with only the `hits` group, registered as `rasid.cli.main` registers it."""
    app = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = {"database": None}

    hits_cmd.register(app)
    return app


APP = make_app()


def rasid(*args: str) -> tuple[int, str]:
    result = runner.invoke(APP, list(args))
    return result.exit_code, result.output


@pytest.fixture
def queued(settings_env: str) -> list[int]:
    """Two hits in the queue: one on each of two watchlist entries for one traveller."""
    subject = Subject("pax-7", "يوسف [bold]إبراهيم", birth_date="1975", nationality="IQ")
    matches = [
        Match("un-1", 0.91, True, "Yusuf Ibrahim", [Reason("name_part", "يوسف ~ Yusuf", 0.6)]),
        Match("un-2", 0.88, True, "Yousef Ibraheem", [Reason("birth_date", "1975 = 1975", 0.2)]),
        Match("un-3", 0.3, False, "Ibrahim Yusuf", []),
    ]
    store = open_store(get_settings().database_url, create=True)
    try:
        with store.uow() as uow:
            made = record_results(uow.conn, subject, "cli", matches, {"un-1": "un_sc"})
    finally:
        store.dispose()
    return [h.id for h in made]


def listed(*args: str) -> list[dict[str, Any]]:
    code, out = rasid("hits", *args, "--json")
    assert code == 0, out
    result: list[dict[str, Any]] = json.loads(out)
    return result


def test_list_and_filter(queued: list[int]) -> None:
    assert [h["id"] for h in listed()] == queued
    assert [h["entity_id"] for h in listed("--status", "new")] == ["un-1", "un-2"]
    assert listed("--status", "confirmed") == []
    code, out = rasid("hits")
    assert code == 0 and "Yusuf Ibrahim" in out and "new 2, confirmed 0" in out
    code, out = rasid("hits", "--status", "open")
    assert code == 2 and "open" in out


def test_show(queued: list[int]) -> None:
    code, out = rasid("hits", "show", str(queued[0]), "--json")
    shown = json.loads(out)
    assert shown["history"] == [] and shown["watchlist"] == "un_sc"
    assert shown["explanation"] == [
        {"feature": "name_part", "detail": "يوسف ~ Yusuf", "effect": 0.6}
    ]
    code, out = rasid("hits", "show", str(queued[0]))
    assert code == 0 and "يوسف ~ Yusuf" in out and "[bold]إبراهيم" in out
    assert "may go to: confirmed, dismissed, escalated" in out
    code, out = rasid("hits", "show", "999")
    assert code == 1 and "no hit 999" in out


def test_decide_records_the_decision(queued: list[int]) -> None:
    hit_id = str(queued[1])
    code, out = rasid(
        "hits", "decide", hit_id, "--status", "escalated", "--reviewer", "piu.officer",
        "--reason", "birth year only; ask the border police",
    )  # fmt: skip
    assert code == 0 and "new -> escalated" in out
    code, out = rasid(
        "hits", "decide", hit_id, "--status", "DISMISSED", "--reviewer", "piu.lead",
        "--reason", "passport photo is another man",
    )  # fmt: skip
    assert code == 0 and "escalated -> dismissed" in out
    history = json.loads(rasid("hits", "show", hit_id, "--json")[1])["history"]
    assert [(d["to_status"], d["reviewer"]) for d in history] == [
        ("escalated", "piu.officer"),
        ("dismissed", "piu.lead"),
    ]
    code, out = rasid("hits", "show", hit_id)
    assert "piu.lead" in out and "another man" in out


def test_decide_refusals(queued: list[int]) -> None:
    hit_id = str(queued[0])
    code, out = rasid("hits", "decide", hit_id, "--status", "confirmed", "--reviewer", "a")
    assert code == 2 and "--reason" in out
    code, out = rasid(
        "hits", "decide", hit_id, "--status", "confirmed", "--reviewer", "a", "--reason", " "
    )
    assert code == 2 and "a reason is required" in out
    code, out = rasid(
        "hits", "decide", hit_id, "--status", "new", "--reviewer", "a", "--reason", "again"
    )
    assert code == 2 and "already" in out and len(out.strip().splitlines()) == 1
    code, out = rasid(
        "hits", "decide", "999", "--status", "confirmed", "--reviewer", "a", "--reason", "x"
    )
    assert code == 1 and "no hit 999" in out
    code, out = rasid(
        "hits", "decide", hit_id, "--status", "approved", "--reviewer", "a", "--reason", "x"
    )
    assert code == 2 and "approved" in out
    assert json.loads(rasid("hits", "show", hit_id, "--json")[1])["history"] == []


@pytest.mark.parametrize("command", [[], ["show"], ["decide"]])
def test_help(command: list[str]) -> None:
    code, out = rasid("hits", *command, "--help")
    assert code == 0 and len(out) > 200
    assert "confirmed" in out or command == ["show"]


def test_an_empty_queue(settings_env: str) -> None:
    assert listed() == []
    code, out = rasid("hits")
    assert code == 0 and "new 0, confirmed 0, dismissed 0, escalated 0" in out
