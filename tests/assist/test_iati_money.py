"""Every IATI transaction of an activity: kept through writing and reading (several types,
a second currency, organisations and descriptions), spending converted with the office's
rates or left out of ``spent`` with its line, malformed transactions quarantined or dropped
with their line and reason in English and Arabic, and a ``spent`` without transactions
written so that it reads back the same."""

from dataclasses import replace
from datetime import date, datetime

import pytest
from lxml import etree

from rasid.assist.iati import NAMESPACE, read_iati, write_iati
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    Project,
    ProjectImport,
    ProjectKind,
    Rate,
    Transaction,
    TransactionType,
)
from rasid.assist.rates import RateBook
from rasid.assist.taxonomy import builtin

TAXONOMY = builtin()
GENERATED = datetime(2026, 11, 1, 9, 30)
EUR_USD = Rate(None, "EUR", "USD", 1.25, date(2026, 1, 1), "central bank fixing")
RATES = RateBook([EUR_USD])
T = TransactionType

TRANSACTIONS = (
    Transaction(T.INCOMING_COMMITMENT, date(2025, 6, 1), 900_000.0, "USD", "Government of Norway",
                "XM-EX-ORG-NO", "UNODC", "XM-EX-ORG-UNODC", "Grant agreement signed"),
    Transaction(T.OUTGOING_COMMITMENT, date(2025, 6, 15), 800_000.0, "USD",
                receiver="Ministry of Interior", description="التزام تجاه وزارة الداخلية"),
    Transaction(T.INCOMING_FUNDS, date(2025, 7, 1), 450_000.0, "USD", "Government of Norway",
                receiver_ref="XM-EX-ORG-UNODC"),  # a receiver known by its identifier only
    Transaction(T.DISBURSEMENT, date(2025, 8, 1), 300_000.0, "USD",
                receiver="Ministry of Interior"),
    Transaction(T.EXPENDITURE, date(2026, 2, 1), 50_000.5, "USD"),
    Transaction(T.DISBURSEMENT, date(2026, 3, 1), 40_000.0, "EUR", "European Union"),
    Transaction(T.OUTGOING_PLEDGE, date(2026, 4, 1), 100_000.0, "EUR"),
    Transaction(T.REIMBURSEMENT, date(2026, 5, 1), -1_000.0, "USD"),
)  # fmt: skip


def project(**changes: object) -> Project:
    """A project in USD with transactions of several types, one disbursement in EUR."""
    base = Project(
        id=None,
        identifier="XM-EX-RASID-0100",
        kind=ProjectKind.PROJECT,
        title="Border data",
        description="",
        status=ActivityStatus.IMPLEMENTATION,
        countries=("ZZ",),
        start=date(2025, 6, 1),
        end=date(2027, 6, 30),
        currency="USD",
        budgets=(Budget(date(2025, 6, 1), date(2027, 6, 30), 900_000.0, "USD"),),
        spent=300_000.0 + 50_000.5 + 40_000.0 * 1.25,
        agency="coordination",
        source="iati:out.xml",
        transactions=TRANSACTIONS,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def read(data: bytes, rates: RateBook | None = RATES, name: str = "out.xml") -> ProjectImport:
    """Read for the coordination office with its rates."""
    return read_iati(data, name, TAXONOMY, agency="coordination", rates=rates)


def write(*projects: Project) -> bytes:
    """The projects as IATI XML."""
    return write_iati(projects, TAXONOMY, generated=GENERATED)


def test_every_transaction_comes_back_through_export_and_import() -> None:
    got = read(write(project()))
    assert got.quarantined == () and got.dropped == ()
    assert got.projects == (project(),)
    assert got.projects[0].transactions == TRANSACTIONS  # in file order, each field kept


def test_spent_converts_another_currency_and_commitments_are_summed() -> None:
    (found,) = read(write(project())).projects
    assert found.spent == pytest.approx(300_000 + 50_000.5 + 50_000)  # 40,000 EUR at 1.25
    assert found.committed == 800_000.0
    assert found.totals(T.OUTGOING_PLEDGE) == {"USD": 0.0, "EUR": 100_000.0}


def test_without_a_rate_the_other_currency_is_kept_but_left_out_of_spent() -> None:
    data = write(project())
    got = read(data, rates=None)
    (found,) = got.projects
    assert found.transactions == TRANSACTIONS
    assert found.spent == 350_000.5
    (problem,) = got.dropped
    text = data.decode()
    line = text[: text.index('currency="EUR" value-date="2026-03-01"')].count("\n") + 1
    assert problem.where == f"out.xml line {line}, activity XM-EX-RASID-0100"
    assert problem.reason == (
        "a transaction in EUR, not USD: left out of spent (no exchange rate on or before "
        "2026-03-01)"
    )
    assert problem.place("ar") == f"out.xml السطر {line}، النشاط XM-EX-RASID-0100"
    assert problem.why("ar") == (
        "معاملة بعملة EUR لا USD: لم تُحتسب في المصروف (لا سعر صرف مسجّل في 2026-03-01 أو قبله)"
    )


def test_a_rate_after_the_transaction_does_not_convert_it() -> None:
    later = RateBook([replace(EUR_USD, on=date(2026, 3, 2))])
    got = read(write(project()), rates=later)
    assert got.projects[0].spent == 350_000.5 and len(got.dropped) == 1


def test_the_inverse_rate_converts_too() -> None:
    usd_eur = RateBook([Rate(None, "USD", "EUR", 0.8, date(2025, 1, 1), "UN operational rate")])
    (found,) = read(write(project()), rates=usd_eur).projects
    assert found.spent == pytest.approx(300_000 + 50_000.5 + 40_000 / 0.8)


def test_transactions_are_written_in_the_schema_order() -> None:
    root = etree.fromstring(write(project()))
    first = root.find("iati-activity/transaction")
    assert first is not None
    assert [c.tag for c in first] == [
        "transaction-type",
        "transaction-date",
        "value",
        "description",
        "provider-org",
        "receiver-org",
    ]
    assert first.find("provider-org").get("ref") == "XM-EX-ORG-NO"  # type: ignore[union-attr]
    value = first.find("value")
    assert value is not None and value.get("value-date") == "2025-06-01"
    assert value.get("currency") == "USD"


def test_a_spent_amount_without_transactions_reads_back_the_same() -> None:
    hand = project(transactions=(), spent=1234.5)
    data = write(hand)
    (synthetic,) = etree.fromstring(data).findall("iati-activity/transaction")
    assert synthetic.get(f"{{{NAMESPACE}}}from-spent") == "1"
    assert read(data).projects == (hand,)
    assert b"transaction" not in write(project(transactions=(), spent=0.0))


# --- malformed transactions ----------------------------------------------------------------

FILE = """<iati-activities version="2.03">
  <iati-activity xml:lang="en" default-currency="USD">
    <iati-identifier>XM-EX-RASID-0101</iati-identifier>
    <title><narrative>Border data</narrative></title>
    <activity-status code="2"/>
    <recipient-country code="ZZ"/>
    <transaction>
      <transaction-type code="3"/>
      <transaction-date iso-date="2025-08-01"/>
      <value>100</value>
    </transaction>
    {extra}
  </iati-activity>
</iati-activities>
"""


def _with(extra: str) -> tuple[str, ProjectImport]:
    text = FILE.format(extra=extra)
    return text, read(text.encode(), name="bad.xml")


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


DROPPED = [
    ('<transaction><transaction-type code="14"/><transaction-date iso-date="2025-09-01"/>'
     "<value>5</value></transaction>", '<transaction-type code="14"',
     "a transaction of unknown type '14': left out", "معاملة من نوع غير معروف '14': تُركت"),
    ('<transaction><transaction-date iso-date="2025-09-01"/><value>5</value></transaction>',
     "<transaction><transaction-date", "a transaction of unknown type '': left out",
     "معاملة من نوع غير معروف '': تُركت"),
    ('<transaction><transaction-type code="4"/><value>5</value></transaction>',
     '<transaction><transaction-type code="4"/><value>',
     "a transaction without a transaction-date: left out",
     "معاملة بلا تاريخ (transaction-date): تُركت"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "at", "reason", "arabic"), DROPPED)
def test_a_transaction_that_cannot_be_kept_is_dropped_with_its_line(
    extra: str, at: str, reason: str, arabic: str
) -> None:
    text, got = _with(extra)
    (found,) = got.projects
    assert found.spent == 100.0 and len(found.transactions) == 1
    (problem,) = got.dropped
    line = _line(text, at)
    assert (problem.where, problem.reason) == (
        f"bad.xml line {line}, activity XM-EX-RASID-0101",
        reason,
    )
    assert (problem.place("ar"), problem.why("ar")) == (
        f"bad.xml السطر {line}، النشاط XM-EX-RASID-0101",
        arabic,
    )


QUARANTINED = [
    ('<transaction><transaction-type code="2"/><transaction-date iso-date="2025-09-01"/>'
     "</transaction>", "<transaction><transaction-type code=\"2\"",
     "a transaction without a value", "معاملة بلا قيمة"),
    ('<transaction><transaction-type code="2"/><transaction-date iso-date="2025-09-01"/>'
     "<value>many</value></transaction>", "<transaction><transaction-type code=\"2\"",
     "<value> value: 'many' is not a number", "<value> value: القيمة 'many' ليست عددًا"),
    ('<transaction><transaction-type code="2"/><transaction-date iso-date="2025-09-31"/>'
     "<value>1</value></transaction>", "<transaction><transaction-type code=\"2\"",
     "<transaction-date> @iso-date: '2025-09-31' is not a date (YYYY-MM-DD)",
     "<transaction-date> @iso-date: القيمة '2025-09-31' ليست تاريخًا (YYYY-MM-DD)"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "at", "reason", "arabic"), QUARANTINED)
def test_a_transaction_that_cannot_be_read_quarantines_its_activity(
    extra: str, at: str, reason: str, arabic: str
) -> None:
    text, got = _with(extra)
    assert got.projects == ()
    (problem,) = got.quarantined
    line = _line(text, at)
    assert (problem.where, problem.reason) == (
        f"bad.xml line {line}, activity XM-EX-RASID-0101",
        reason,
    )
    assert problem.why("ar") == arabic and problem.why("en") == reason


def test_the_value_date_stands_in_for_a_missing_transaction_date() -> None:
    _, got = _with(
        '<transaction><transaction-type code="4"/><value value-date="2025-10-01">7</value>'
        "</transaction>"
    )
    (found,) = got.projects
    assert found.transactions[1] == Transaction(T.EXPENDITURE, date(2025, 10, 1), 7.0, "USD")
    assert found.spent == 107.0 and got.dropped == ()
