"""Retention periods turned around: from a day, the data received early enough to be due.

A retention class says "mask six months after receipt"; a run on a given day needs the
opposite: everything received on or before which day is now due. ``Period.after`` clamps
month ends (31 August + 6 months is 28 February), so several start days can share an end
day; the latest of them is the one that matters.
"""

import calendar
from datetime import date, datetime, time, timedelta

from rasid.model.retention import Period

ONE_DAY = timedelta(days=1)


def last_start(period: Period, today: date) -> date:
    """The latest day a period can start on and have ended by ``today`` (inclusive)."""
    guess = _back(period, today)
    # The estimate is off by at most a few days where month ends were clamped.
    while period.after(guess + ONE_DAY) <= today:
        guess += ONE_DAY
    while period.after(guess) > today:
        guess -= ONE_DAY
    return guess


def _back(period: Period, day: date) -> date:
    """``day`` moved back by the period, months clamped as ``Period.after`` clamps them."""
    day = day - timedelta(days=period.days)
    months = day.year * 12 + day.month - 1 - period.months - 12 * period.years
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_before(period: Period, today: date) -> datetime:
    """Rows received before this moment are due on ``today`` (the period counted from the
    day they were received)."""
    return datetime.combine(last_start(period, today) + ONE_DAY, time())


def is_due(period: Period, received: date | datetime, today: date) -> bool:
    """True when a period counted from ``received`` has ended by ``today``."""
    day = received.date() if isinstance(received, datetime) else received
    return period.after(day) <= today
