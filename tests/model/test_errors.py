"""Errors worded in both languages."""

from pathlib import Path

import pytest

from rasid.model.errors import ModelError, worded
from rasid.model.gradings import get_scale
from rasid.model.markings import Marking
from tests.bilingual import unworded


def test_worded_in_arabic_when_given() -> None:
    exc = ModelError("no such need 4", arabic="لا توجد حاجة رقم 4")
    assert worded(exc, "ar") == "لا توجد حاجة رقم 4"
    assert worded(exc, "en") == str(exc) == "no such need 4"


def test_english_when_no_arabic_wording() -> None:
    assert worded(ModelError("bad marking"), "ar") == "bad marking"
    assert worded(KeyError("x"), "ar") == "'x'"


def test_the_check_finds_a_raise_without_arabic(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "def f(x):\n"
        "    if x == 1:\n"
        "        raise AssistError('bad one')\n"
        "    if x == 2:\n"
        "        raise AssistError('bad two', arabic='سيئ')\n"
        "    if x == 3:\n"
        "        raise AssistError('never shown')  # english-only: an invariant\n"
        "    raise KeyError('other')\n",
        encoding="utf-8",
    )
    assert unworded([source], ["AssistError"]) == [f"{source.as_posix()}:3"]


def test_an_unknown_marking_or_grade_is_worded_in_arabic() -> None:
    with pytest.raises(ModelError) as marking:
        Marking.parse("TLP:BLUE")
    assert worded(marking.value, "ar") == "وسم TLP غير معروف: 'TLP:BLUE'"
    with pytest.raises(ModelError) as grade:
        get_scale("uk-3x5x2").check_source("Z")
    assert worded(grade.value, "ar").startswith("تقدير المصدر غير معروف: 'Z'")
    assert str(grade.value).startswith("unknown uk-3x5x2 source grade: 'Z'")
