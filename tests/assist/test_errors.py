"""Every refusal of coordination that a user can cause is worded in Arabic as well as
English: in the package (but for the modules of projects, IATI, matching, rates and the
model, whose own test checks them) and in the web modules that raise them."""

from pathlib import Path

from tests.bilingual import package_files, unworded

CHECKED_ELSEWHERE = {"matching.py", "model.py", "projects.py", "rates.py", "transactions.py"}
WEB = Path(__file__).resolve().parents[2] / "rasid" / "web"


def _checked_elsewhere(path: Path) -> bool:
    return path.name in CHECKED_ELSEWHERE or path.name.startswith("iati")


def test_every_refusal_is_worded_in_both_languages() -> None:
    files = [p for p in package_files("assist") if not _checked_elsewhere(p)]
    files += [WEB / name for name in ("assist_pages.py", "assist_views.py", "assist.py")]
    assert {"records.py", "needs.py", "visit.py", "assist_pages.py"} <= {p.name for p in files}
    assert unworded(files, ["AssistError", "UnknownRecord"]) == []
