from datetime import date

import pytest

from rasid.model.errors import ModelError
from rasid.model.retention import Period, get_retention_class, retention_classes


def test_pnr_masks_at_six_months_and_deletes_at_five_years() -> None:
    pnr = get_retention_class("pnr")
    assert pnr.dates(date(2026, 1, 15)) == (date(2026, 7, 15), date(2031, 1, 15))


def test_public_data_is_kept() -> None:
    assert get_retention_class("public").dates(date(2026, 1, 1)) == (None, None)


def test_month_end_is_clamped() -> None:
    assert Period(months=1).after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert Period(years=1).after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert Period(days=1).after(date(2026, 12, 31)) == date(2027, 1, 1)


def test_every_class_has_labels() -> None:
    for cls in retention_classes().values():
        assert cls.label and cls.label_ar and cls.description


def test_unknown_class() -> None:
    with pytest.raises(ModelError, match="unknown retention class"):
        get_retention_class("forever")
