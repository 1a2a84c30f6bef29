"""Projects and offers from a CSV file: for donors and providers who keep a spreadsheet
rather than publish IATI.

The file is UTF-8 text (a byte-order mark is allowed), comma-separated, with a header row
naming some of these columns, in any order (``COLUMNS``):

==============  ===========================================================================
identifier      the project's identifier, unique (IATI style: ``XM-EX-RASID-0001``); required
kind            ``project`` (the default when empty) or ``offer``
title           the title; required
title_ar        the Arabic title
description     a description
status          1..6 or pipeline, implementation, finalisation, closed, cancelled, suspended;
                required
countries       recipient countries, ISO 3166-1 alpha-2 codes separated by ``;``; required
region          a region inside the country, or a regional programme's name
start, end      the period, ``YYYY-MM-DD``
currency        an ISO 4217 code (USD when empty)
budget          a number: one budget period over start..end (both then needed)
spent           a number: disbursed and spent so far (0 when empty)
funders         funding organisations, separated by ``;``
implementers    implementing organisations, separated by ``;``
beneficiaries   beneficiary institutions, separated by ``;``
themes          themes separated by ``;``: ``gp-21``, ``21`` or a requirement's code known to
                the taxonomy
dac             OECD DAC CRS purpose codes (five digits), separated by ``;``
==============  ===========================================================================

Column names are compared without case and surrounding spaces. An unknown or repeated column,
or a missing required one, is an ``AssistError``, as is a file that is not UTF-8 CSV. A bad
row is quarantined as "NAME line N: column C: reason" (the line where the row starts) and the
other rows are read; blank rows are skipped. Projects are marked TLP:GREEN and released to
every partner, as donors' aid data is public.
"""

import csv
import io
import math
import re
from collections.abc import Callable, Iterator
from datetime import date

from rasid.assist.errors import AssistError
from rasid.assist.model import (
    EVERY_PARTNER,
    ActivityStatus,
    Budget,
    ImportProblem,
    OrgRole,
    Participant,
    Project,
    ProjectImport,
    ProjectKind,
    Taxonomy,
    Text,
)
from rasid.assist.taxonomy import practice_code
from rasid.model.markings import Marking

__all__ = ["COLUMNS", "REQUIRED", "read_csv"]

COLUMNS: tuple[str, ...] = (
    "identifier",
    "kind",
    "title",
    "title_ar",
    "description",
    "status",
    "countries",
    "region",
    "start",
    "end",
    "currency",
    "budget",
    "spent",
    "funders",
    "implementers",
    "beneficiaries",
    "themes",
    "dac",
)
REQUIRED = ("identifier", "title", "status", "countries")
MAX_NAME = 255  # the store's limit on identifiers and institutions
STATUSES = {s.name.lower(): s for s in ActivityStatus} | {str(s.value): s for s in ActivityStatus}
NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
DAC = re.compile(r"^[0-9]{5}$")
CURRENCY_CODE = Text("رمز عملة (ISO 4217)", "an ISO 4217 code")
COUNTRY_CODE = Text("رمز دولة من حرفين (ISO 3166-1)", "an ISO 3166-1 alpha-2 code")
DAC_CODE = Text("رمز غاية من خمسة أرقام للجنة المساعدة الإنمائية", "a five-digit DAC purpose code")


class _BadCell(Exception):
    """A value that quarantines its row, and why in both languages."""

    def __init__(self, column: str, reason: Text) -> None:
        super().__init__(reason.en)
        self.column = column
        self.reason = reason


class _Row:
    """One data row: its cells by column name."""

    def __init__(self, header: list[str], cells: list[str]) -> None:
        self.cells = dict(zip(header, (c.strip() for c in cells), strict=True))

    def get(self, column: str) -> str:
        """The cell's text ("" when the column is absent or the cell empty)."""
        return self.cells.get(column, "")

    def required(self, column: str) -> str:
        """A cell that must not be empty."""
        value = self.get(column)
        if not value:
            raise _BadCell(column, Text("القيمة مطلوبة", "a value is required"))
        return value

    def items(self, column: str) -> list[str]:
        """The ``;``-separated values of a cell, in order, without blanks or repeats."""
        out: list[str] = []
        for item in self.get(column).split(";"):
            item = " ".join(item.split())
            if item and item not in out:
                out.append(item)
        return out


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AssistError(
            f"{name}: not UTF-8 text (byte {exc.start})",
            arabic=f"{name}: ليس نصًا بترميز UTF-8 (البايت {exc.start})",
        ) from None


def _lines(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """The rows with the line each starts on; malformed CSV is an ``AssistError``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise AssistError(
                f"{name} line {reader.line_num}: not valid CSV: {exc}",
                arabic=f"{name} السطر {reader.line_num}: ليس CSV صالحًا",
            ) from None
        yield start, cells
        start = reader.line_num + 1


def _header(cells: list[str], name: str) -> list[str]:
    header = [c.strip().lower() for c in cells]
    for column in header:
        if column not in COLUMNS:
            raise AssistError(
                f"{name} line 1: unknown column {column!r}",
                arabic=f"{name} السطر 1: عمود غير معروف {column!r}",
            )
        if header.count(column) > 1:
            raise AssistError(
                f"{name} line 1: column {column!r} appears twice",
                arabic=f"{name} السطر 1: العمود {column!r} مكرر",
            )
    for column in REQUIRED:
        if column not in header:
            raise AssistError(
                f"{name} line 1: the required column {column!r} is missing",
                arabic=f"{name} السطر 1: العمود المطلوب {column!r} غير موجود",
            )
    return header


def _date(row: _Row, column: str) -> date | None:
    value = row.get(column)
    if not value:
        return None
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise _BadCell(
        column,
        Text(
            f"{value!r} ليس تاريخًا (سنة-شهر-يوم YYYY-MM-DD)",
            f"{value!r} is not a date (YYYY-MM-DD)",
        ),
    )


def _number(row: _Row, column: str) -> float | None:
    """A cell's number (thousands may be separated by commas), None when empty."""
    text = row.get(column)
    if not text:
        return None
    value = float(text.replace(",", "")) if NUMBER.match(text.replace(",", "")) else -1.0
    if not 0 <= value < math.inf:
        raise _BadCell(
            column,
            Text(f"{text!r} ليس رقمًا من الصفر فأكثر", f"{text!r} is not a number of zero or more"),
        )
    return value


def _checked(row: _Row, column: str, pattern: re.Pattern[str], what: Text) -> list[str]:
    values = [v.upper() if pattern is not DAC else v for v in row.items(column)]
    for value in values:
        if not pattern.match(value):
            raise _BadCell(column, Text(f"{value!r} ليس {what.ar}", f"{value!r} is not {what.en}"))
    return list(dict.fromkeys(values))


def _themes(row: _Row, taxonomy: Taxonomy) -> tuple[str, ...]:
    codes: list[str] = []
    for item in row.items("themes"):
        code = item.lower()
        if re.fullmatch("[0-9]{1,2}", code):
            code = practice_code(int(code))
        if taxonomy.get(code) is None:
            raise _BadCell(
                "themes",
                Text(
                    f"{item!r} ليس مجالًا من التصنيف الموضوعي",
                    f"{item!r} is not a theme of the taxonomy",
                ),
            )
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _choice(row: _Row, column: str, table: dict[str, ActivityStatus]) -> ActivityStatus:
    value = row.required(column)
    found = table.get(value.lower().replace("finalization", "finalisation"))
    if found is None:
        raise _BadCell(
            column,
            Text(
                f"{value!r} ليس حالة (من 1 إلى 6 أو اسمها)",
                f"{value!r} is not a status (1..6 or its name)",
            ),
        )
    return found


def _kind(row: _Row) -> ProjectKind:
    value = row.get("kind").lower() or ProjectKind.PROJECT.value
    if value not in {k.value for k in ProjectKind}:
        kind = row.get("kind")
        raise _BadCell(
            "kind", Text(f"{kind!r} ليس project ولا offer", f"{kind!r} is not project or offer")
        )
    return ProjectKind(value)


def _budgets(row: _Row, start: date | None, end: date | None, currency: str) -> tuple[Budget, ...]:
    value = _number(row, "budget")
    if value is None:
        return ()
    if start is None or end is None:
        raise _BadCell(
            "budget",
            Text(
                "الميزانية تحتاج إلى تاريخي البدء والانتهاء", "a budget needs start and end dates"
            ),
        )
    return (Budget(start, end, value, currency),)


def _participants(row: _Row) -> tuple[Participant, ...]:
    roles = (("funders", OrgRole.FUNDING), ("implementers", OrgRole.IMPLEMENTING))
    return tuple(Participant(role, name) for column, role in roles for name in row.items(column))


def _names(row: _Row, column: str) -> tuple[str, ...]:
    names = row.items(column)
    for name in names:
        if len(name) > MAX_NAME:
            raise _BadCell(
                column,
                Text(
                    f"اسم يتجاوز الحد الأقصى لعدد الأحرف ({MAX_NAME})",
                    f"a name longer than {MAX_NAME} characters",
                ),
            )
    return tuple(names)


def _project(row: _Row, taxonomy: Taxonomy, source: str, agency: str) -> Project:
    identifier = row.required("identifier")
    if len(identifier) > MAX_NAME:
        raise _BadCell(
            "identifier",
            Text(
                f"يتجاوز الحد الأقصى لعدد الأحرف ({MAX_NAME})",
                f"longer than {MAX_NAME} characters",
            ),
        )
    start, end = _date(row, "start"), _date(row, "end")
    if start is not None and end is not None and end < start:
        raise _BadCell(
            "end",
            Text(
                f"{end.isoformat()} يسبق تاريخ البدء {start.isoformat()}",
                f"{end.isoformat()} is before the start {start.isoformat()}",
            ),
        )
    currency = (_checked(row, "currency", CURRENCY, CURRENCY_CODE) or ["USD"])[0]
    countries = _checked(row, "countries", COUNTRY, COUNTRY_CODE)
    if not countries:
        raise _BadCell("countries", Text("القيمة مطلوبة", "a value is required"))
    return Project(
        id=None,
        identifier=identifier,
        kind=_kind(row),
        title=row.required("title"),
        description=row.get("description"),
        status=_choice(row, "status", STATUSES),
        countries=tuple(countries),
        start=start,
        end=end,
        currency=currency,
        budgets=_budgets(row, start, end, currency),
        spent=_number(row, "spent") or 0.0,
        participants=_participants(row),
        themes=_themes(row, taxonomy),
        dac=tuple(_checked(row, "dac", DAC, DAC_CODE)),
        beneficiaries=_names(row, "beneficiaries"),
        region=row.get("region"),
        agency=agency,
        marking=Marking.GREEN,
        released_to=(EVERY_PARTNER,),
        source=source,
        title_ar=row.get("title_ar"),
    )


def read_csv(data: bytes, name: str, taxonomy: Taxonomy, *, agency: str = "") -> ProjectImport:
    """The projects and offers of a CSV file (``name`` names it in messages), with the rows
    quarantined. Themes are checked against ``taxonomy``; projects belong to ``agency``.
    Raises ``AssistError`` when the file or its header cannot be read."""
    rows = _lines(_decode(data, name), name)
    first = next(rows, None)
    if first is None:
        raise AssistError(
            f"{name} line 1: no header row", arabic=f"{name} السطر 1: لا صف لعناوين الأعمدة"
        )
    header = _header(first[1], name)
    projects: list[Project] = []
    quarantined: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        outcome = _row(cells, header, lambda r: _project(r, taxonomy, f"csv:{name}", agency))
        if isinstance(outcome, Project) and outcome.identifier in seen:
            earlier = seen[outcome.identifier]
            outcome = Text(
                f"العمود identifier: مستعمل من قبل في السطر {earlier}",
                f"column identifier: already used on line {earlier}",
            )
        if isinstance(outcome, Text):
            where = Text(f"{name} السطر {line}", f"{name} line {line}")
            quarantined.append(ImportProblem(where.en, outcome.en, where.ar, outcome.ar))
        elif outcome is not None:
            seen[outcome.identifier] = line
            projects.append(outcome)
    return ProjectImport(tuple(projects), tuple(quarantined))


def _row(
    cells: list[str], header: list[str], make: Callable[[_Row], Project]
) -> Project | Text | None:
    """The project of a row, the reason it is quarantined, or None for a blank row."""
    if not any(c.strip() for c in cells):
        return None
    if len(cells) != len(header):
        return Text(
            f"عدد القيم {len(cells)} وعدد الأعمدة {len(header)}",
            f"{len(cells)} values for {len(header)} columns",
        )
    try:
        return make(_Row(header, cells))
    except _BadCell as bad:
        return Text(
            f"العمود {bad.column}: {bad.reason.ar}", f"column {bad.column}: {bad.reason.en}"
        )
