"""Dates in travel messages, which mostly give the year in two digits.

Which century a two-digit year belongs to depends on what the date is:

* ``past`` (dates of birth): the latest date that is not after the message's date;
* ``near`` (flights, bookings, document expiry): the date closest to the message's date, so
  a passport can expire decades ahead and a booking can be a little in the past.

PAXLST writes dates year first (``YYMMDD``, ``YYMMDDhhmm``, or with the century); PNRGOV
writes them day first (``DDMMYY``) with the time apart (``hhmm`` or ``hhmmss``), and SSR DOCS
free text as ``10SEP72``. Every function returns None for a value that is not a date.
"""

from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Literal

Rule = Literal["past", "near"]
MONTH_NAMES = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC"
MONTHS = {MONTH_NAMES[i : i + 3]: i // 3 + 1 for i in range(0, len(MONTH_NAMES), 3)}
# The same dates and times recur across a message and a day's messages (a flight's times,
# the interchange date, expiry dates): each distinct value is worked out once. The results
# are immutable (dates, times, None), so sharing them is safe.
CACHED = 1 << 16


def today() -> date:
    """Today's date in UTC (the reference when a message gives no date of its own)."""
    return datetime.now(UTC).date()


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def with_century(yy: int, month: int, day: int, reference: date, rule: Rule) -> date | None:
    """The date of a two-digit year ``yy``, its century chosen by ``rule`` around
    ``reference``."""
    base = reference.year - reference.year % 100 + yy
    candidates = [d for y in (base - 100, base, base + 100) if (d := _safe_date(y, month, day))]
    if not candidates:
        return None
    if rule == "past":
        before = [d for d in candidates if d <= reference]
        return max(before) if before else min(candidates)
    return min(candidates, key=lambda d: abs((d - reference).days))


def _digits(value: str) -> str | None:
    value = value.strip()
    return value if value.isdigit() and value.isascii() else None


@lru_cache(maxsize=CACHED)
def clock(value: str) -> time | None:
    """A time of day from ``hhmm`` or ``hhmmss``."""
    digits = _digits(value)
    if digits is None or len(digits) not in (4, 6):
        return None
    seconds = int(digits[4:6]) if len(digits) == 6 else 0
    try:
        return time(int(digits[:2]), int(digits[2:4]), seconds)
    except ValueError:
        return None


@lru_cache(maxsize=CACHED)
def year_first(value: str, reference: date, rule: Rule) -> datetime | None:
    """A PAXLST date or date-time: ``YYMMDD``, ``CCYYMMDD``, ``YYMMDDhhmm`` or
    ``CCYYMMDDhhmm`` (told apart by length); a date alone is at midnight."""
    digits = _digits(value)
    if digits is None or len(digits) not in (6, 8, 10, 12):
        return None
    if len(digits) in (8, 12):
        day = _safe_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        rest = digits[8:]
    else:
        day = with_century(int(digits[:2]), int(digits[2:4]), int(digits[4:6]), reference, rule)
        rest = digits[6:]
    at = clock(rest) if rest else time()
    return datetime.combine(day, at) if day is not None and at is not None else None


@lru_cache(maxsize=CACHED)
def day_first(value: str, reference: date, rule: Rule) -> date | None:
    """A PNRGOV date ``DDMMYY`` (or ``DDMMCCYY``)."""
    digits = _digits(value)
    if digits is None or len(digits) not in (6, 8):
        return None
    day, month = int(digits[:2]), int(digits[2:4])
    if len(digits) == 8:
        return _safe_date(int(digits[4:]), month, day)
    return with_century(int(digits[4:]), month, day, reference, rule)


def day_first_at(day: str, at: str, reference: date) -> datetime | None:
    """A PNRGOV date ``DDMMYY`` with an optional time ``hhmm``; None when either is bad."""
    found = day_first(day, reference, "near")
    if found is None:
        return None
    moment = clock(at) if at.strip() else time()
    return datetime.combine(found, moment) if moment is not None else None


@lru_cache(maxsize=CACHED)
def day_month_name(value: str, reference: date, rule: Rule) -> date | None:
    """A date written ``10SEP72`` (or ``10SEP1972``), as in SSR DOCS free text."""
    value = value.strip().upper()
    if len(value) not in (7, 9) or not value[:2].isdigit() or not value[5:].isdigit():
        return None
    month = MONTHS.get(value[2:5])
    if month is None or not value.isascii():
        return None
    day = int(value[:2])
    if len(value) == 9:
        return _safe_date(int(value[5:]), month, day)
    return with_century(int(value[5:]), month, day, reference, rule)


def interchange_date(value: str) -> date | None:
    """The UNB preparation date (``YYMMDD`` or ``CCYYMMDD``), its century the one nearest
    today."""
    found = year_first(value, today(), "near")
    return found.date() if found else None
