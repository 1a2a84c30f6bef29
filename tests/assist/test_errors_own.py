"""Every refusal a user can cause in IATI reading and writing, matching, projects and their
transactions, and exchange rates is worded in Arabic as well as English."""

from pathlib import Path

from tests.bilingual import unworded

ROOT = Path(__file__).resolve().parents[2] / "rasid" / "assist"
FILES = [
    "iati.py",
    "iati_money.py",
    "iati_write.py",
    "iati_xml.py",
    "matching.py",
    "model.py",
    "projects.py",
    "rates.py",
    "transactions.py",
]
ERRORS = ["AssistError", "UnknownRecord", "Denied", "Bad"]


def test_every_refusal_is_worded_in_arabic() -> None:
    assert unworded([ROOT / name for name in FILES], ERRORS) == []


def test_the_check_sees_an_unworded_refusal(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text('raise AssistError("no such need")\nraise Bad(el, "why", arabic="لماذا")\n')
    assert unworded([source], ERRORS) == [f"{source.as_posix()}:1"]
