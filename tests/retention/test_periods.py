"""Periods turned around: the last day data may have been received to be due today."""

from datetime import date, datetime, timedelta

import pytest

from rasid.model.retention import Period
from rasid.retention.periods import due_before, is_due, last_start

PERIODS = [Period(months=6), Period(years=5), Period(days=1), Period(months=1, days=3)]


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_last_start_is_the_latest_day_whose_period_has_ended(period: Period) -> None:
    # Every day of three years, leap day and month ends included.
    day = date(2027, 1, 1)
    while day < date(2030, 1, 1):
        start = last_start(period, day)
        assert period.after(start) <= day
        assert period.after(start + timedelta(days=1)) > day
        day += timedelta(days=1)


def test_clamped_month_ends_share_an_end_day() -> None:
    # 29, 30 and 31 August all end six months later on 28 February (2027 is no leap year).
    six = Period(months=6)
    assert {six.after(date(2026, 8, d)) for d in (28, 29, 30, 31)} == {date(2027, 2, 28)}
    assert last_start(six, date(2027, 2, 28)) == date(2026, 8, 31)
    assert last_start(six, date(2027, 3, 1)) == date(2026, 9, 1)


def test_rows_received_before_the_cut_are_due() -> None:
    one_day = Period(days=1)
    cut = due_before(one_day, date(2027, 5, 2))
    assert cut == datetime(2027, 5, 2)  # received on 1 May, any time: due on 2 May
    assert is_due(one_day, datetime(2027, 5, 1, 23, 59), date(2027, 5, 2))
    assert not is_due(one_day, datetime(2027, 5, 2, 0, 1), date(2027, 5, 2))
