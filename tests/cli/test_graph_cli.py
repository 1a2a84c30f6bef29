"""`rasid graph`: the same answers as the API, on the operator's view, each read audited."""

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.store import Store
from rasid.store.tables import audit_event
from tests.graph import sample

runner = CliRunner()


def test_graph_commands_answer_and_are_audited(store: Store, tmp_path: Path) -> None:
    sample.load(store, tmp_path)
    url = store.engine.url.render_as_string(hide_password=False)
    found = runner.invoke(app, ["--database", url, "graph", "bridges", "--json"])
    assert found.exit_code == 0, found.output
    bridges = json.loads(found.output)["bridges"]
    assert ("p-gang", "alliance") in {(b["entity_id"], b["kind"]) for b in bridges}
    path = runner.invoke(app, ["--database", url, "graph", "path", "cell", "gang", "--k", "0"])
    assert path.exit_code == 0 and "Valley cell" in path.output and "Coral network" in path.output
    ftm = runner.invoke(
        app, ["--database", url, "graph", "export", "p-broker", "--format", "ftm", "--purpose", "x"]
    )
    assert {json.loads(line)["id"] for line in ftm.output.splitlines()} >= {"p-broker", "pay-1"}
    missing = runner.invoke(app, ["--database", url, "graph", "neighbours", "nobody"])
    assert missing.exit_code == 2 and "nobody" in missing.output
    with store.uow() as uow:
        actions = [r.action for r in uow.conn.execute(select(audit_event.c.action))]
    assert {"graph.bridges", "graph.paths", "graph.export"} <= set(actions)
