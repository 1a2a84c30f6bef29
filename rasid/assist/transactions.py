"""A project's IATI transactions in the store (``assist_transaction``): checked before they
are written, written in file order with the project, read back in that order. Reading and
writing them as IATI XML is ``rasid.assist.iati_money``'s."""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from rasid.assist.errors import AssistError
from rasid.assist.model import Text, Transaction, TransactionType
from rasid.assist.records import currency, text, within
from rasid.store.tables import assist_transaction as transaction_t

__all__ = ["check_transaction", "load_transactions", "write_transactions"]

PROVIDER = Text("الجهة المقدِّمة", "the provider")
RECEIVER = Text("الجهة المتلقية", "the receiver")
NAME_MAX = 1000


def check_transaction(item: Transaction, where: Text) -> Transaction:
    """A transaction with its value, currency and organisations checked; ``where`` names
    the project in refusals."""
    at = Text(f"{where.ar}، المعاملة بتاريخ {item.date}", f"{where.en}, transaction of {item.date}")
    if item.value != item.value or abs(item.value) == float("inf"):
        raise AssistError(
            f"{at.en}: the value is not a number", arabic=f"{at.ar}: القيمة ليست عددًا"
        )
    return replace(
        item,
        type=TransactionType(item.type),
        currency=currency(item.currency),
        provider=text(item.provider, within(at, PROVIDER), required=False, limit=NAME_MAX),
        receiver=text(item.receiver, within(at, RECEIVER), required=False, limit=NAME_MAX),
    )


def _row(t: Transaction) -> dict[str, Any]:
    return {
        "type": int(t.type),
        "date": t.date,
        "value": t.value,
        "currency": t.currency,
        "provider": t.provider,
        "provider_ref": t.provider_ref,
        "receiver": t.receiver,
        "receiver_ref": t.receiver_ref,
        "description": t.description,
    }


def write_transactions(conn: Connection, project_id: int, items: Iterable[Transaction]) -> None:
    """Store a project's transactions (its old ones deleted by the caller), in order."""
    rows = [{"project": project_id, **_row(t)} for t in items]
    if rows:
        conn.execute(transaction_t.insert(), rows)


def load_transactions(conn: Connection, ids: Sequence[int]) -> dict[int, list[Transaction]]:
    """The transactions of projects by project id, in the order they were stored."""
    out: dict[int, list[Transaction]] = {i: [] for i in ids}
    query = select(transaction_t).where(transaction_t.c.project.in_(ids))
    for t in conn.execute(query.order_by(transaction_t.c.id)):
        out[t.project].append(
            Transaction(
                TransactionType(t.type),
                t.date,
                t.value,
                t.currency,
                t.provider,
                t.provider_ref,
                t.receiver,
                t.receiver_ref,
                t.description,
            )
        )
    return out
