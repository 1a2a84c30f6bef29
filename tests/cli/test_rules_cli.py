"""`rasid rules`, on both databases: add (options or a file), list with the overdue flag,
show with every version, edit, disable and enable, test on a dataset, and refusals named
and audited."""

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.store import Store, open_store
from rasid.store.tables import audit_event, hit, targeting_rule
from tests.travel.rulehelpers import DATASET, JUSTIFICATION, add_officer, load_samples

runner = CliRunner()
REVIEW = (date.today() + timedelta(days=90)).isoformat()


@pytest.fixture
def store(settings_env: str) -> Iterator[Store]:
    """The CLI's database, with the PIU's officer and the sample travel files."""
    opened = open_store(settings_env, create=True)
    add_officer(opened)
    load_samples(opened)
    yield opened
    opened.dispose()


def add(*extra: str) -> list[str]:
    return [
        "rules",
        "add",
        "--name",
        "Late cash",
        "--owner",
        "officer",
        "--justification",
        JUSTIFICATION,
        "--review-date",
        REVIEW,
        *extra,
    ]


LATE_CASH = ["--where", "payment_type in cash", "--where", "booked_hours_before_departure lt 150"]


def test_add_list_show_and_test_a_rule(store: Store) -> None:
    added = runner.invoke(app, [*add(*LATE_CASH), "--json"])
    assert added.exit_code == 0, added.output
    rule = json.loads(added.stdout)
    assert (rule["id"], rule["status"], rule["agency"], rule["version"]) == (1, "active", "piu", 1)
    listed = runner.invoke(app, ["rules", "list"])
    assert listed.exit_code == 0
    assert "Late cash" in listed.stdout and REVIEW in listed.stdout
    assert "OVERDUE" not in listed.stdout
    shown = runner.invoke(app, ["rules", "show", "1"])
    assert shown.exit_code == 0
    assert "Hours between booking and departure" in shown.stdout
    assert "created" in shown.stdout  # the first version's note
    tested = runner.invoke(app, ["rules", "test", "1", "--dataset", DATASET])
    assert tested.exit_code == 0, tested.output
    assert "would hit 1 of 50 traveller rows (1 person); nothing recorded" in tested.stdout
    as_json = runner.invoke(app, ["rules", "test", "1", "-d", DATASET, "--json"])
    assert json.loads(as_json.stdout)["matched"] == 1
    with store.uow() as uow:
        assert uow.conn.execute(select(hit)).all() == []


def test_a_rule_from_a_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rule.yml"
    path.write_text(
        f"""name: Paid for by someone else
owner: officer
justification: {JUSTIFICATION}
review_date: {REVIEW}
criteria:
  all:
    - {{field: third_party_payment, op: is, value: yes}}
  any:
    - {{field: route, op: in, value: [LHR-YVR, CAI-IST]}}
note: from the 2026 risk assessment
""",
        "utf-8",
    )
    made = runner.invoke(app, ["rules", "add", "--file", str(path), "--json"])
    assert made.exit_code == 0, made.output
    rule = json.loads(made.stdout)
    assert rule["criteria"]["any"] == [
        {"field": "route", "op": "in", "value": ["LHR-YVR", "CAI-IST"]}
    ]
    shown = json.loads(runner.invoke(app, ["rules", "show", "1", "--json"]).stdout)
    assert shown["versions"][0]["note"] == "from the 2026 risk assessment"
    tested = json.loads(runner.invoke(app, ["rules", "test", "1", "-d", DATASET, "--json"]).stdout)
    assert (tested["matched"], tested["persons"]) == (4, 2)  # two men, two flights each


def test_a_sensitive_criterion_is_refused_and_audited(store: Store) -> None:
    refused = runner.invoke(app, add("--where", "remark_contains contains_any halal meal"))
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        'error: criterion 1 (remark_contains): refused: the value "halal meal" reveals '
        "religion or philosophical beliefs, which targeting may never use (EU PNR Directive "
        "2016/681, art. 6(4))"
    )
    with store.uow() as uow:
        assert uow.conn.execute(select(targeting_rule)).all() == []
        [row] = uow.conn.execute(
            select(audit_event).where(audit_event.c.action == "rule.create")
        ).all()
    assert row.outcome == "refused" and row.actor.startswith("cli")
    assert json.loads(row.detail)["traits"] == ["religion"]


def test_every_problem_is_printed(store: Store) -> None:
    result = runner.invoke(
        app,
        [
            "rules",
            "add",
            "--name",
            "x",
            "--owner",
            "ghost",
            "--review-date",
            "2001-01-01",
            "--where",
            "religion in x",
            "--where",
            "route in CAIRO",
        ],
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 6, lines
    assert lines[0].startswith("error: a rule needs a name")
    assert any('"religion" is a criterion on religion' in line for line in lines)
    assert any('"CAIRO" is not valid here' in line for line in lines)


def test_malformed_input_exits_with_one_line(store: Store, tmp_path: Path) -> None:
    bad = runner.invoke(app, add("--where", "route-in-CAI"))
    assert bad.exit_code == 2
    assert "a criterion is 'FIELD OP VALUE'" in bad.stderr
    date_bad = runner.invoke(app, ["rules", "add", "--review-date", "soon"])
    assert date_bad.exit_code == 2 and "YYYY-MM-DD" in date_bad.stderr
    path = tmp_path / "rule.yml"
    path.write_text("name: [unclosed", "utf-8")
    unreadable = runner.invoke(app, ["rules", "add", "--file", str(path)])
    assert unreadable.exit_code == 2 and "cannot read the rule" in unreadable.stderr
    path.write_text("colour: red\n", "utf-8")
    unknown = runner.invoke(app, ["rules", "add", "--file", str(path)])
    assert unknown.exit_code == 2 and "unknown keys colour" in unknown.stderr
    missing = runner.invoke(app, ["rules", "show", "9"])
    assert missing.exit_code == 1 and "no targeting rule 9" in missing.stderr
    no_set = runner.invoke(app, ["rules", "test", "9", "-d", DATASET])
    assert no_set.exit_code == 1


def test_edit_disable_enable_and_an_overdue_review(store: Store) -> None:
    assert runner.invoke(app, add(*LATE_CASH)).exit_code == 0
    no_note = runner.invoke(app, ["rules", "edit", "1", "--name", "Later cash"])
    assert no_note.exit_code == 2  # --note is required
    edited = runner.invoke(
        app, ["rules", "edit", "1", "--name", "Later cash", "--note", "clearer name", "--json"]
    )
    assert edited.exit_code == 0, edited.output
    after = json.loads(edited.stdout)
    assert (after["name"], after["version"]) == ("Later cash", 2)
    assert after["criteria"]["all"][0]["field"] == "payment_type"  # kept
    off = runner.invoke(app, ["rules", "disable", "1", "--note", "paused"])
    assert off.exit_code == 0 and "disabled (version 3)" in off.stdout
    on = runner.invoke(app, ["rules", "enable", "1", "--note", "resumed"])
    assert on.exit_code == 0 and "active (version 4)" in on.stdout
    # The review date passes: the list flags it; a new review date clears it.
    with store.uow() as uow:
        uow.conn.execute(update(targeting_rule).values(review_date=date.today() - timedelta(1)))
    assert "OVERDUE" in runner.invoke(app, ["rules", "list"]).stdout
    listed = json.loads(runner.invoke(app, ["rules", "list", "--json"]).stdout)
    assert (listed[0]["review_overdue"], listed[0]["applies"]) == (True, False)
    reviewed = runner.invoke(
        app, ["rules", "edit", "1", "--review-date", REVIEW, "--note", "reviewed"]
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "OVERDUE" not in runner.invoke(app, ["rules", "list"]).stdout
    history = json.loads(runner.invoke(app, ["rules", "show", "1", "--json"]).stdout)["versions"]
    assert [v["note"] for v in history] == [
        "created",
        "clearer name",
        "paused",
        "resumed",
        "reviewed",
    ]


def test_fields_lists_the_vocabulary() -> None:
    shown = runner.invoke(app, ["rules", "fields", "--json"])
    assert shown.exit_code == 0
    fields = {f["field"]: f for f in json.loads(shown.stdout)}
    assert fields["payment_type"]["values"] == [
        "cash",
        "card",
        "cheque",
        "invoice",
        "miscellaneous",
    ]
    assert fields["route"]["label_ar"] == "المسار (منشأ الحجز ووجهته)"
    assert "religion" not in fields


def test_every_command_has_help() -> None:
    for command in ("list", "show", "fields", "add", "edit", "disable", "enable", "test"):
        result = runner.invoke(app, ["rules", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout, command
