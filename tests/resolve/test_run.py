"""A resolution run on a real store: the weights it used are in its statistics, in its
record and on the command line (`rasid resolve run --weights`)."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rasid.access.registry import add_agency
from rasid.cli.main import app
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.registry import Agency
from rasid.resolve.errors import ResolveError
from rasid.resolve.run import resolve
from rasid.store import Store, open_store
from rasid.store.tables import audit_event, resolution_run
from tests.resolve.conftest import load_people
from tests.resolve.synthetic import register


def _load_register(store: Store, folder: Path, people: int) -> None:
    """A generated register (see tests.resolve.synthetic) as one agency's dataset."""
    lines = []
    for r in register(people).records:
        props = {"name": list(r.names), "birthDate": list(r.birth_dates)}
        props["address"] = list(r.addresses)
        lines.append({"id": r.entity_id, "schema": "Person", "properties": props})
    path = folder / "register.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    with store.uow() as uow:
        add_agency(uow.conn, Agency("civil", "Civil registry", "السجل المدني", "other"))
    ingest(store, IngestRequest(str(path), "civil_register", agency="civil"))


def _stored(store: Store, run_id: str) -> dict[str, object]:
    with store.uow() as uow:
        text = uow.conn.execute(
            select(resolution_run.c.stats).where(resolution_run.c.id == run_id)
        ).scalar_one()
    found: dict[str, object] = json.loads(text)
    return found


def test_a_run_learns_its_weights_and_keeps_them(store: Store, tmp_path: Path) -> None:
    _load_register(store, tmp_path, 1200)
    with store.uow() as uow:
        result = resolve(uow.conn, "analyst.a")
    assert result.weights == "learned", result.weights_note
    assert result.learned["comparisons"]["birth_date"]["other date"]["pairs"] > 0
    stored = _stored(store, result.id)
    assert stored["weights"] == "learned" and stored["learned"] == result.learned
    with store.uow() as uow:
        detail = uow.conn.execute(
            select(audit_event.c.detail).where(audit_event.c.action == "resolve.run")
        ).scalar_one()
    assert "learned" not in json.loads(detail)  # the summary, not the table


def test_fixed_weights_when_asked_or_too_few_records(store: Store, tmp_path: Path) -> None:
    load_people(store, tmp_path)
    with store.uow() as uow:
        fixed = resolve(uow.conn, "analyst.a", weights="fixed")
        small = resolve(uow.conn, "analyst.a")
    assert (fixed.weights, fixed.weights_note) == ("fixed", "asked for")
    assert small.weights == "fixed" and "too few candidate pairs" in small.weights_note
    assert fixed.learned == {} and _stored(store, fixed.id)["weights"] == "fixed"
    with store.uow() as uow, pytest.raises(ResolveError, match="unknown weights"):
        resolve(uow.conn, "analyst.a", weights="guessed")


def test_the_command_line_option(settings_env: str, tmp_path: Path) -> None:
    store = open_store(settings_env, create=True)
    try:
        _load_register(store, tmp_path, 1200)
    finally:
        store.dispose()
    runner = CliRunner()
    fixed = runner.invoke(app, ["resolve", "run", "--weights", "fixed", "--json"])
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.output.splitlines()[-1])["weights"] == "fixed"
    learned = runner.invoke(app, ["resolve", "run"])
    assert learned.exit_code == 0, learned.output
    assert "weights: learned" in learned.output
    assert "weights learned from this run" in learned.output and "birth_date" in learned.output
    wrong = runner.invoke(app, ["resolve", "run", "--weights", "guessed"])
    assert wrong.exit_code != 0
