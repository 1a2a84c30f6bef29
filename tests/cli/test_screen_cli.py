"""`rasid screen`, single and batch, through Typer's runner."""

import json
from pathlib import Path

from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.store import Store
from tests.screen.conftest import watchlist  # noqa: F401  (fixture)

runner = CliRunner()


def test_screen_a_name(watchlist: Store, settings_env: str) -> None:  # noqa: F811
    result = runner.invoke(app, ["screen", "Sheikh Aiman al-Zawahri", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["matches"][0]["entity_id"] == "w-zawahiri" and data["matches"][0]["alert"]
    table = runner.invoke(app, ["screen", "Ayman Zawahiri"])
    assert "ALERT" in table.output
    assert runner.invoke(app, ["screen"]).exit_code == 2
    bad = runner.invoke(app, ["screen", "x", "--birth-date", "1990-99"])
    assert bad.exit_code == 2 and "birth_date" in bad.output


def test_screen_a_batch(watchlist: Store, settings_env: str, tmp_path: Path) -> None:  # noqa: F811
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "1", "name": "Ayman al-Zawahiri"}\nbroken\n{"id": "3", "name": "Maria Garcia"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["screen", "--input", str(queries), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "line 2" in result.output and "bad lines 1" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "3"]
    assert rows[0]["matches"][0]["alert"] and not any(m["alert"] for m in rows[1]["matches"])


def test_a_batch_in_several_processes_gives_the_same_results(
    watchlist: Store,  # noqa: F811
    settings_env: str,
    tmp_path: Path,
) -> None:
    names = ["Ayman al-Zawahiri", "Noureddine Kacem", "Maria Garcia", "أيمن الظواهري"]
    lines = [json.dumps({"id": str(i), "name": names[i % len(names)]}) for i in range(600)]
    lines.insert(300, "not json")
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for workers in ("1", "3"):
        out = tmp_path / f"r{workers}.jsonl"
        args = ["screen", "--input", str(queries), "--output", str(out), "--workers", workers]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "line 301" in result.output and "screened 600" in result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    rows = [json.loads(line) for line in outputs[0].splitlines()]
    assert [r["id"] for r in rows] == [str(i) for i in range(600)]
