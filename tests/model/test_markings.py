import pytest

from rasid.model.errors import ModelError
from rasid.model.markings import Marking, most_restrictive


@pytest.mark.parametrize(
    ("text", "marking"),
    [
        ("TLP:CLEAR", Marking.CLEAR),
        ("clear", Marking.CLEAR),
        ("TLP:WHITE", Marking.CLEAR),
        ("green", Marking.GREEN),
        ("TLP:AMBER", Marking.AMBER),
        ("amber+strict", Marking.AMBER_STRICT),
        ("TLP: AMBER+STRICT", Marking.AMBER_STRICT),
        ("tlp:red", Marking.RED),
    ],
)
def test_parse(text: str, marking: Marking) -> None:
    assert Marking.parse(text) is marking


def test_parse_rejects_unknown() -> None:
    with pytest.raises(ModelError, match="unknown TLP marking"):
        Marking.parse("TLP:PURPLE")


def test_order_of_restriction() -> None:
    assert [m.rank for m in Marking] == [0, 1, 2, 3, 4]
    assert most_restrictive([Marking.GREEN, Marking.RED, Marking.AMBER]) is Marking.RED
    assert most_restrictive([]) is Marking.CLEAR
