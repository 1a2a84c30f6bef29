"""Docs stay honest: every setting and every command is documented."""

from pathlib import Path

from typer.main import get_command

from rasid.cli.main import app
from rasid.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        assert f"RASID_{name.upper()}" in ARCHITECTURE, name
        assert field.description, f"{name} has no description"


def test_every_command_is_on_the_map() -> None:
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert name in ARCHITECTURE, name


def test_readme_gives_the_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README
