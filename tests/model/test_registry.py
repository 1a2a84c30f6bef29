import pytest

from rasid.model.errors import ModelError
from rasid.model.registry import Agency, Dataset


@pytest.mark.parametrize("name", ["police", "border_police", "fiu2"])
def test_valid_names(name: str) -> None:
    assert Agency(name, name).name == name


@pytest.mark.parametrize("name", ["Police", "border-police", "a__b", "_x", "", "شرطة"])
def test_invalid_names(name: str) -> None:
    with pytest.raises(ModelError, match="invalid agency name"):
        Agency(name, name)


def test_dataset_checks_retention_and_kind() -> None:
    with pytest.raises(ModelError, match="retention class"):
        Dataset("d", "a", "D", retention_class="forever")
    with pytest.raises(ModelError, match="kind"):
        Dataset("d", "a", "D", kind="other")
