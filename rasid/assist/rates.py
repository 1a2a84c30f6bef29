"""Exchange rates a coordination office records, so that funding is compared across
currencies: a project's remaining budget against a need's estimated cost (matching), and a
donor's transactions in another currency counted in what a project spent (IATI import).

A rate says what one unit of ``base`` is worth in ``quote`` as of a date, with its source
(a central bank's fixing, the UN operational rate...). A conversion uses the latest rate of
the pair on or before the date wanted, recorded either way round (EUR→USD serves USD→EUR as
its inverse); the same currency converts to itself; with no such rate there is no
conversion (None), and the caller says so rather than guess.

Rates belong to the office that recorded them: a need is matched with its own office's
rates, an import converted with the importing agency's. Any caller with the assist scope
reads them; only a coordination officer or supervisor records one, and every one is in the
audit log.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from babel.numbers import list_currencies
from sqlalchemy import Connection, select

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, record, require
from rasid.assist.errors import AssistError
from rasid.assist.model import Rate, Text
from rasid.assist.records import currency, require_coordinator, text
from rasid.store.statements import utcnow
from rasid.store.tables import assist_rate as rate_t
from rasid.store.uow import insert_id

__all__ = ["Conversion", "RateBook", "add_rate", "book", "known_currency", "list_rates"]

SOURCE_MAX = 500
SOURCE = Text("مصدر سعر الصرف", "the rate's source")


@dataclass(frozen=True)
class Conversion:
    """An amount converted, with the rate used and what one unit was worth."""

    amount: float  # in the wanted currency
    rate: Rate  # the rate recorded (perhaps the other way round)
    factor: float  # one unit of the source currency in the wanted currency


class RateBook:
    """Rates by currency pair, for conversions without the store."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self._pairs: dict[tuple[str, str], list[Rate]] = {}
        for rate in rates:
            self._pairs.setdefault((rate.base, rate.quote), []).append(rate)

    def _latest(self, base: str, quote: str, on: date) -> Rate | None:
        """The pair's rate of the latest date on or before ``on`` (the last recorded of
        that date)."""
        found = None
        for rate in self._pairs.get((base, quote), ()):
            if rate.on <= on and (found is None or rate.on >= found.on):
                found = rate
        return found

    def conversion(self, amount: float, source: str, target: str, on: date) -> Conversion | None:
        """``amount`` of ``source`` in ``target`` at ``on``, with the rate used; None when
        no rate of the pair, either way round, is as of ``on`` or earlier. The same
        currency is not a conversion (None): see ``convert``."""
        direct = self._latest(source, target, on)
        inverse = self._latest(target, source, on)
        if direct is not None and (inverse is None or direct.on >= inverse.on):
            return Conversion(amount * direct.rate, direct, direct.rate)
        if inverse is not None:
            return Conversion(amount / inverse.rate, inverse, 1 / inverse.rate)
        return None

    def convert(self, amount: float, source: str, target: str, on: date) -> float | None:
        """``amount`` of ``source`` in ``target`` with the latest rate on or before ``on``
        (either way round): unchanged for the same currency, None without a rate."""
        if source == target:
            return amount
        found = self.conversion(amount, source, target, on)
        return None if found is None else found.amount


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def known_currency(code: str | None) -> str:
    """An ISO 4217 code the interface knows (upper-case), else ``AssistError``."""
    value = currency(code)
    if value not in _currencies():
        raise AssistError(
            f"unknown currency {value!r} (not an ISO 4217 code)",
            arabic=f"عملة غير معروفة {value!r} (ليست من رموز ISO 4217)",
        )
    return value


def _rate(r: Any) -> Rate:
    """A row of ``assist_rate`` as a ``Rate``."""
    return Rate(
        r.id, r.base, r.quote, r.rate, r.as_of, r.source, r.agency, r.recorded_by, r.recorded_at
    )


def _checked(base: str, quote: str, value: float) -> tuple[str, str]:
    pair = known_currency(base), known_currency(quote)
    if pair[0] == pair[1]:
        raise AssistError(
            f"a rate converts between two currencies, not {pair[0]} to itself",
            arabic=f"سعر الصرف يكون بين عملتين، لا من {pair[0]} إلى نفسها",
        )
    if not math.isfinite(value) or value <= 0:
        raise AssistError(
            f"a rate is a number greater than 0, not {value}",
            arabic=f"سعر الصرف عدد أكبر من الصفر، لا {value}",
        )
    return pair


def add_rate(
    conn: Connection,
    principal: Principal,
    base: str,
    quote: str,
    value: float,
    on: date,
    source: str,
) -> Rate:
    """Record that one ``base`` is worth ``value`` of ``quote`` as of ``on`` for the
    caller's office (a coordination officer or supervisor), with its source."""
    require_coordinator(principal, principal.agency, Text("يسجّل أسعار الصرف", "record rates"))
    pair = _checked(base, quote, value)
    where = text(source, SOURCE, limit=SOURCE_MAX)
    now = utcnow()
    rate_id = insert_id(
        conn,
        rate_t.insert().values(
            agency=principal.agency,
            base=pair[0],
            quote=pair[1],
            rate=value,
            as_of=on,
            source=where,
            recorded_by=principal.name,
            recorded_at=now,
        ),
    )
    record(
        conn,
        principal,
        "assist.rate.add",
        f"{pair[0]}/{pair[1]}",
        rate=repr(value),
        on=on.isoformat(),
        source=where,
    )
    return Rate(rate_id, pair[0], pair[1], value, on, where, principal.agency, principal.name, now)


def _rows(conn: Connection, agency: str | None) -> list[Rate]:
    query = select(rate_t).order_by(rate_t.c.base, rate_t.c.quote, rate_t.c.as_of, rate_t.c.id)
    if agency is not None:
        query = query.where(rate_t.c.agency == agency)
    return [_rate(r) for r in conn.execute(query)]


def list_rates(conn: Connection, principal: Principal, *, agency: str | None = None) -> list[Rate]:
    """The rates recorded (of one office when ``agency`` is given), by pair and date."""
    require(principal, Scope.ASSIST)
    return _rows(conn, agency)


def book(conn: Connection, agency: str) -> RateBook:
    """The rates an office recorded, for conversions (the caller's access checked by the
    caller: a need's own office, an importing agency)."""
    return RateBook(_rows(conn, agency))
