"""Every refusal of nexus monitoring that a user can cause (through a page, the API or the
command line) is worded in Arabic as well as English; the pages show the Arabic one."""

from pathlib import Path

import pytest

from rasid.model.errors import worded
from rasid.monitor import instrument
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import Rating, SubjectKind
from tests.bilingual import package_files, unworded

ROOT = Path(__file__).resolve().parent.parent.parent
WEB = [ROOT / "rasid" / "web" / name for name in ("monitor.py", "monitor_pages.py")]
WEB += [ROOT / "rasid" / "web" / name for name in ("monitor_forms.py", "monitor_view.py")]
CLI = [ROOT / "rasid" / "cli" / "monitor_cmd.py"]


def test_every_refusal_has_an_arabic_wording() -> None:
    files = [*package_files("monitor"), *WEB, *CLI]
    assert all(f.is_file() for f in files)
    assert unworded(files, ["MonitorError", "UnknownAssessment"]) == []


@pytest.mark.parametrize(
    ("rating", "arabic"),
    [
        (Rating("economy.poverty", None), "«غير مقيّم» يحتاج إلى سبب"),
        (Rating("economy.poverty", 7), "المستوى من 1 إلى 5"),
        (Rating("economy.poverty", 3), "يحتاج إلى درجة ثقة"),
        (Rating("leadership.senior_disputes", 3), "لا ينطبق على موضوع من نوع بلد"),
    ],
)
def test_a_refused_rating_reads_in_arabic(rating: Rating, arabic: str) -> None:
    with pytest.raises(MonitorError) as caught:
        instrument.check_rating(instrument.load(), SubjectKind.COUNTRY, rating)
    said = worded(caught.value, "ar")
    assert arabic in said and rating.indicator in said
    assert worded(caught.value, "en") == str(caught.value) != said
