"""`rasid retention` on both databases: status, runs as of a given day (and dry), requests to
see masked data again decided from the command line, and the command line's own reads
(show, entities, export) masking what is past its mask date."""

import json
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from rasid.access.accounts import Role
from rasid.cli.main import app
from rasid.retention.mask import MASKED
from rasid.store import open_store
from rasid.store.statements import utcnow
from rasid.store.tables import statement
from tests.retention.helpers import API, ONE_DAY, PNR, Loaded, load_travel
from tests.web.helpers import new_user

runner = CliRunner()


def rasid(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded(settings_env: str, tmp_path: Path) -> Loaded:
    store = open_store(settings_env, create=True)
    try:
        return load_travel(store, tmp_path)
    finally:
        store.dispose()


def test_status_and_runs(loaded: Loaded) -> None:
    code, out, _ = rasid("retention", "status", "--today", str(loaded.day0), "--json")
    assert code == 0
    found = {d["dataset"]: d for d in json.loads(out)["datasets"]}
    assert found[PNR]["next_mask"] == {"day": str(loaded.masked_on), "statements": 25}
    assert found[API]["next_delete"]["day"] == str(loaded.day0 + ONE_DAY)
    assert json.loads(out)["last_run"] is None

    day = str(loaded.day0 + ONE_DAY)
    code, out, _ = rasid("retention", "run", "--today", day, "--dry-run", "--json")
    dry = json.loads(out)
    assert code == 0 and dry["dry_run"] and dry["deleted"]["statement"] == 14
    code, out, _ = rasid("retention", "run", "--today", day, "-q")
    assert code == 0
    # 14 statements, a name row, the fingerprint, the traveller, its message and its flight row.
    assert f"retention as of {day} (run " in out and "deleted 19 rows" in out
    code, out, _ = rasid("retention", "run", "--today", day, "--json")
    assert json.loads(out)["deleted"]["statement"] == 0  # the same day again: nothing more
    code, out, _ = rasid("retention", "status")
    assert code == 0 and "piu_pnr" in out and f"as of {day} by cli" in out


def test_a_bad_day_is_refused_in_one_line(settings_env: str) -> None:
    code, _, err = rasid("retention", "run", "--today", "24/05/2027")
    assert code == 2 and "24/05/2027" in err


def test_unmask_requests_from_the_command_line(settings_env: str, loaded: Loaded) -> None:
    store = open_store(settings_env)
    analyst = new_user(store, "piu", Role.PIU_OFFICER)
    supervisor = new_user(store, "piu", Role.SUPERVISOR)
    store.dispose()
    when = f"{loaded.masked_on}T09:00:00"

    def unmask(verb: str, *args: str) -> tuple[int, str, str]:
        return rasid("retention", "unmask", verb, *args, "--at", when)

    ask = ["--as", analyst, "--kind", "entity", "--target", loaded.pnr_person]
    code, out, _ = unmask("request", *ask, "--reason", "case 7", "--json")
    assert code == 0, out
    request = json.loads(out)
    assert (request["status"], request["dataset"]) == ("pending", PNR)
    number = str(request["id"])
    code, _, err = unmask("approve", number, "--as", analyst, "--reason", "mine")
    assert code == 2 and "does not allow retention" in err
    code, out, _ = unmask("approve", number, "--as", supervisor, "--reason", "justified")
    assert code == 0 and "active" in out
    code, out, _ = unmask("list", "--json")
    [listed] = json.loads(out)
    shown = (listed["status"], listed["decided_by"], listed["active"])
    assert shown == ("approved", supervisor, True)
    code, _, err = unmask("refuse", "999", "--as", supervisor, "--reason", "no")
    assert code == 1 and "no unmask request 999" in err
    nobody = ["--as", "nobody", "--kind", "entity", "--target", "x", "--reason", "r"]
    code, _, err = unmask("request", *nobody)
    assert code == 2 and "no user 'nobody'" in err


def test_the_command_lines_reads_mask(settings_env: str, loaded: Loaded, tmp_path: Path) -> None:
    # As if the PNR had come in six months ago: its values' mask date is today.
    store = open_store(settings_env)
    with store.uow() as uow:
        today = utcnow().date()
        uow.conn.execute(
            update(statement).where(statement.c.dataset == PNR).values(mask_after=today)
        )
    store.dispose()
    code, out, _ = rasid("show", loaded.pnr_person, "--json")
    shown = {s["prop"]: s["value"] for s in json.loads(out)["statements"]}
    assert code == 0 and shown["lastName"] == MASKED and shown["gender"] == "male"
    code, out, _ = rasid("entities", "--q", "ackary", "--json")
    assert [e["id"] for e in json.loads(out)] == [loaded.api_person]
    exported = tmp_path / "out.jsonl"
    assert rasid("export", "--dataset", PNR, "--statements", "-o", str(exported))[0] == 0
    text = exported.read_text("utf-8")
    assert "ACKARY" not in text and "602120901" not in text and MASKED in text
    rows = [json.loads(line) for line in text.splitlines()]
    masked_names = [r for r in rows if r["prop"] == "lastName"]
    assert len(masked_names) == 1  # the masked surname of the person, once
