"""`rasid resolve` end to end with the real engine: run, pairs, judge, undo, export, apply,
auto (generated people, no real person)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.store import Store, open_store
from rasid.store.tables import statement
from tests.resolve.conftest import load_people

runner = CliRunner()


@pytest.fixture
def loaded(settings_env: str, tmp_path: Path) -> Iterator[str]:
    """The police's and the border agency's people in the test database; its URL."""
    store = open_store(settings_env, create=True)
    try:
        load_people(store, tmp_path)
    finally:
        store.dispose()
    yield settings_env


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def canonical(url: str, entity: str) -> set[str]:
    store: Store = open_store(url)
    try:
        with store.uow() as uow:
            rows = uow.conn.execute(
                select(statement.c.canonical_id).where(statement.c.entity_id == entity)
            )
            return {r[0] for r in rows}
    finally:
        store.dispose()


def test_run_judge_undo_and_pairs(loaded: str, tmp_path: Path) -> None:
    stats = json.loads(invoke("resolve", "run", "--json").splitlines()[-1])
    assert stats["records"] == 6 and stats["new"] >= 3
    assert {"candidates", "proposed", "auto_accepted", "skipped_blocks", "seconds"} <= set(stats)
    out = tmp_path / "pairs.jsonl"
    invoke("resolve", "pairs", "--output", str(out))
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    ids = {(x["left_id"], x["right_id"]) for x in lines}
    assert {("brd-1", "pol-1"), ("brd-2", "pol-2"), ("brd-3", "pol-3")} <= ids
    assert {"left_id", "right_id", "score", "status", "explanation"} <= set(lines[0])
    assert invoke("resolve", "judge", "pol-1", "brd-1", "same", "--user", "analyst.a",
                  "--reason", "same birth date").strip().endswith(": same")  # fmt: skip
    assert canonical(loaded, "pol-1") == {"brd-1"}
    invoke("resolve", "undo", "pol-1", "brd-1", "--user", "analyst.a")
    assert canonical(loaded, "pol-1") == {"pol-1"}
    again = json.loads(invoke("resolve", "run", "--json").splitlines()[-1])
    assert again["new"] == 0  # the same proposals: nothing new


def test_refusals_and_no_prompt_without_a_terminal(loaded: str) -> None:
    invoke("resolve", "run")
    result = runner.invoke(app, ["resolve", "judge", "--user", "analyst.a"], input="same\n")
    assert result.exit_code == 2 and "terminal" in result.output
    result = runner.invoke(app, ["resolve", "judge", "pol-1", "brd-1", "maybe", "--user", "a"])
    assert result.exit_code == 2 and "unknown judgement" in result.output
    result = runner.invoke(app, ["resolve", "judge", "pol-1", "zzz", "same", "--user", "a"])
    assert result.exit_code == 1 and "no pair" in result.output


def test_export_apply_and_the_auto_rule(
    loaded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("resolve", "run")
    invoke("resolve", "judge", "pol-3", "brd-3", "not-same", "--user", "analyst.a")
    exported = tmp_path / "judgements.jsonl"
    invoke("resolve", "export", str(exported))
    assert [json.loads(x)["judgement"] for x in exported.read_text().splitlines()] == ["not_same"]
    assert "applied 0, unchanged 1" in invoke("resolve", "apply", str(exported))
    exported.write_text("not json\n")
    assert runner.invoke(app, ["resolve", "apply", str(exported)]).exit_code == 2
    monkeypatch.setenv("RASID_RESOLVE_AUTO_ACCEPT", "shoe")
    from rasid.settings import get_settings

    get_settings.cache_clear()
    assert runner.invoke(app, ["resolve", "auto"]).exit_code == 2
    assert "taken back 0" in invoke("resolve", "auto", "--undo")


def test_every_resolve_command_has_help() -> None:
    for command in ("run", "pairs", "judge", "undo", "show", "export", "apply", "auto"):
        assert "Usage" in invoke("resolve", command, "--help")
