import pytest

from rasid.model.errors import ModelError
from rasid.model.gradings import get_scale, scales


def test_both_scales_ship_with_arabic_labels() -> None:
    assert set(scales()) == {"uk-3x5x2", "eu-4x4"}
    uk, eu = get_scale("uk-3x5x2"), get_scale("eu-4x4")
    assert list(uk.source) == ["1", "2", "3"]
    assert list(uk.info) == ["A", "B", "C", "D", "E"]
    assert list(uk.handling) == ["P", "C"]
    assert list(eu.source) == ["A", "B", "C", "X"]
    assert list(eu.info) == ["1", "2", "3", "4"]
    for scale in (uk, eu):
        for grade in [*scale.source.values(), *scale.info.values()]:
            assert grade.en and grade.ar


def test_check_normalises_and_rejects() -> None:
    uk = get_scale("uk-3x5x2")
    assert uk.check_info("b") == "B"
    assert uk.check_source(" 2 ") == "2"
    assert uk.check_source(None) is None
    assert uk.check_source("") is None
    with pytest.raises(ModelError, match="uk-3x5x2 source grade"):
        uk.check_source("4")
    with pytest.raises(ModelError, match="eu-4x4 information grade"):
        get_scale("eu-4x4").check_info("A")


def test_unknown_scale() -> None:
    with pytest.raises(ModelError, match="known: uk-3x5x2, eu-4x4"):
        get_scale("nato")
