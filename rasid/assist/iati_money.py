"""A project's money in IATI activity XML: budget periods, and every transaction (IATI's
TransactionType code list: incoming funds, commitments, disbursements, expenditure, interest,
repayments, reimbursements, equity, guarantees, pledges) with its date, value, currency,
provider and receiver organisations and description.

``Project.spent`` is the disbursements and expenditure in the project's currency; a
transaction in another currency is converted with the office's exchange rate on or before
the transaction's date (``rasid.assist.rates.RateBook``) and, without one, left out of
``spent`` and reported. A project with no spending transaction but a ``spent`` amount (one
recorded by hand or from CSV) is written with one disbursement marked
``rasid:from-spent="1"``, which reading adds to ``spent`` without keeping it as a
transaction, so that writing and reading give the project back.
"""

from collections.abc import Iterator
from datetime import date

from rasid.assist.iati_xml import (
    Activity,
    Bad,
    Element,
    amount,
    checked_currency,
    clean,
    narrative,
    narratives,
    ns,
    read_date,
    read_number,
    sub,
)
from rasid.assist.model import Budget, Project, Transaction, TransactionType
from rasid.assist.rates import RateBook

__all__ = ["read_budget", "read_transactions", "write_money"]

TYPES = {str(t.value) for t in TransactionType}
FROM_SPENT = ns("from-spent")


def read_budget(el: Element, currency: str) -> Budget:
    """One ``budget`` period; ``Bad`` when a part is missing or unreadable."""
    start, end, value = el.find("period-start"), el.find("period-end"), el.find("value")
    if start is None or end is None or value is None:
        raise Bad(
            el,
            "a budget needs period-start, period-end and value",
            arabic="الميزانية تحتاج إلى period-start وperiod-end وvalue",
        )
    return Budget(
        read_date(start),
        read_date(end),
        read_number(value, value.text, "value"),
        checked_currency(value, value.get("currency") or currency),
    )


def _org(el: Element | None, lang: str) -> tuple[str, str]:
    """An organisation's name and IATI identifier ("" for either when not given)."""
    if el is None:
        return "", ""
    return clean(narratives(el, lang)[0]), clean(el.get("ref") or "")


def _date(item: Element, value: Element, ctx: Activity) -> date | None:
    """The transaction's date, else its value's date; None (dropped) when it has neither."""
    when = item.find("transaction-date")
    if when is not None:
        return read_date(when)
    if value.get("value-date"):
        return read_date(value, "value-date")
    ctx.drop(
        item,
        "a transaction without a transaction-date: left out",
        "معاملة بلا تاريخ (transaction-date): تُركت",
    )
    return None


def _transaction(item: Element, ctx: Activity, currency: str) -> Transaction | None:
    """One transaction; None when it is left out (an unknown type, no date)."""
    kind = item.find("transaction-type")
    code = "" if kind is None else (kind.get("code") or "").strip()
    if code not in TYPES:
        ctx.drop(
            item if kind is None else kind,
            f"a transaction of unknown type {code!r}: left out",
            f"معاملة من نوع غير معروف {code!r}: تُركت",
        )
        return None
    value = item.find("value")
    if value is None:
        raise Bad(item, "a transaction without a value", arabic="معاملة بلا قيمة")
    number = read_number(value, value.text, "value")
    other = checked_currency(value, value.get("currency") or currency)
    when = _date(item, value, ctx)
    if when is None:
        return None
    provider, provider_ref = _org(item.find("provider-org"), ctx.lang)
    receiver, receiver_ref = _org(item.find("receiver-org"), ctx.lang)
    description = narratives(item.find("description"), ctx.lang)[0]
    return Transaction(
        TransactionType(int(code)),
        when,
        number,
        other,
        provider,
        provider_ref,
        receiver,
        receiver_ref,
        description,
    )


def _in_currency(
    item: Element, ctx: Activity, found: Transaction, currency: str, rates: RateBook | None
) -> float:
    """A spending transaction's value in the project's currency (0 when it cannot be)."""
    if found.currency == currency:
        return found.value
    converted = rates.convert(found.value, found.currency, currency, found.date) if rates else None
    if converted is None:
        day = found.date.isoformat()
        value = item.find("value")
        ctx.drop(
            item if value is None else value,
            f"a transaction in {found.currency}, not {currency}: left out of spent "
            f"(no exchange rate on or before {day})",
            f"معاملة بعملة {found.currency} لا {currency}: لم تُحتسب في المصروف "
            f"(لا سعر صرف مسجّل في {day} أو قبله)",
        )
        return 0.0
    return converted


def read_transactions(
    el: Element, ctx: Activity, currency: str, rates: RateBook | None
) -> tuple[tuple[Transaction, ...], float]:
    """An activity's transactions in file order, and what it spent in ``currency``."""
    kept: list[Transaction] = []
    spent = 0.0
    for item in el.iterchildren("transaction"):
        found = _transaction(item, ctx, currency)
        if found is None:
            continue
        if found.type.spending:
            spent += _in_currency(item, ctx, found, currency, rates)
        if item.get(FROM_SPENT) != "1":
            kept.append(found)
    return tuple(kept), spent


# --- writing --------------------------------------------------------------------------------


def _org_xml(parent: Element, tag: str, name: str, ref: str) -> None:
    """An organisation by name and identifier; by its identifier alone when it has no
    name, and not at all when it has neither."""
    attrs = {"ref": ref} if ref else {}
    if name:
        narrative(parent, tag, name, **attrs)
    elif ref:
        sub(parent, tag, **attrs)


def _transaction_xml(act: Element, item: Transaction) -> Element:
    el = sub(act, "transaction")
    day = item.date.isoformat()
    sub(el, "transaction-type", code=str(item.type.value))
    sub(el, "transaction-date", iso_date=day)
    sub(el, "value", amount(item.value), currency=item.currency, value_date=day)
    if item.description:
        narrative(el, "description", item.description)
    _org_xml(el, "provider-org", item.provider, item.provider_ref)
    _org_xml(el, "receiver-org", item.receiver, item.receiver_ref)
    return el


def _spent_only(project: Project, today: date) -> Iterator[Transaction]:
    """The one disbursement written for a ``spent`` no transaction accounts for."""
    if project.spent > 0 and not any(t.type.spending for t in project.transactions):
        when = max((b.end for b in project.budgets), default=today)
        yield Transaction(TransactionType.DISBURSEMENT, when, project.spent, project.currency)


def write_money(act: Element, project: Project, today: date) -> None:
    """The budget periods and the transactions of a project, in the schema's order."""
    for budget in project.budgets:
        el = sub(act, "budget", type="1", status="1")
        sub(el, "period-start", iso_date=budget.start.isoformat())
        sub(el, "period-end", iso_date=budget.end.isoformat())
        start = budget.start.isoformat()
        sub(el, "value", amount(budget.value), currency=budget.currency, value_date=start)
    for item in project.transactions:
        _transaction_xml(act, item)
    for item in _spent_only(project, today):
        _transaction_xml(act, item).set(FROM_SPENT, "1")
