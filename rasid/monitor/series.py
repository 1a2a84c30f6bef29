"""External series as advice only: user-supplied CSV files read into points, and "review
suggested" when a value departs from its trailing window. A series never sets a score.

Three layouts are recognised from the header (names compared in lower case):

- event rows as public conflict-event datasets publish them (``event_date``, ``event_type``,
  ``admin1`` and/or ``country``, ...): counted per region (``admin1``, else ``country``), event
  type and month into series ``events.<type>``; months without events inside the file's span
  count 0;
- long form: ``series``, ``region`` (or ``country``), ``period`` (YYYY or YYYY-MM), ``value``;
- yearly index scores: ``region`` (or ``country``), ``year``, ``score``, and the index named
  in an ``index`` column or else by the file's name: series ``index.<name>``.

Reading is tolerant: a byte-order mark, the delimiter (comma, semicolon, tab or bar) and
blank lines are handled; a bad row is returned as ``FILE:LINE: reason`` and the rest is read.
A file that cannot be read at all (missing, not UTF-8 text, no header, an unknown layout)
raises ``MonitorError``.

``advise`` compares each value with the values before it (up to ``window`` of them, at least
half as many): their median, and a spread of 1.4826 times their median absolute deviation,
floored at a tenth of the median (and, for event counts, at the square root of the median and
at 1) so a flat window does not make every wobble an alarm. A value more than ``threshold``
spreads away is a "review suggested"; the following values that stay away on the same side
belong to the same departure and are not raised again.
"""

import csv
import io
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from rasid.monitor.errors import MonitorError
from rasid.monitor.model import Advice, Reason, SeriesPoint, Text
from rasid.monitor.wording import say

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%Y/%m/%d")
_MAD_SCALE = 1.4826  # makes the median absolute deviation comparable to a standard deviation

REASONS: dict[str, Text] = {
    "advice.review": Text(
        "يُقترح المراجعة: قيمة {series} في {region} للفترة {period} هي {value}، أي {deviation}"
        " من وحدات التشتت {side} الوسيط السابق البالغ {median}؛ للاستئناس فقط ولا تتغيّر أي درجة",
        "review suggested: {series} in {region} for {period} is {value}, {deviation} spreads"
        " {side} its trailing median of {median}; advice only, no score is changed",
    ),
}


class _Rejects:
    """Rejected rows as "FILE:LINE: reason"."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[str] = []

    def add(self, line: int, reason: str) -> None:
        """Record one rejected row."""
        self.items.append(f"{self.name}:{line}: {reason}")


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text.strip().lower(), flags=re.UNICODE).strip("_")


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise MonitorError(
            f"{path.name}: cannot read the file ({why})",
            arabic=f"{path.name}: تتعذّر قراءة الملف ({why})",
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MonitorError(
            f"{path.name}: not UTF-8 text (byte {exc.start})",
            arabic=f"{path.name}: ليس نصًا بترميز UTF-8 (البايت {exc.start})",
        ) from None


def _rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows with their line numbers (the header first)."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, [cell.strip() for cell in row]
            line = reader.line_num + 1
    except csv.Error as exc:
        raise MonitorError(
            f"{path.name}:{line}: unreadable CSV ({exc})",
            arabic=f"{path.name}:{line}: ملف CSV غير مقروء ({exc})",
        ) from None


def _region(record: dict[str, str]) -> str:
    return record.get("admin1") or record.get("region") or record.get("country") or ""


def _event_month(value: str) -> str | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).strftime("%Y-%m")
        except ValueError:
            continue
    return None


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _events(records: Iterator[tuple[int, dict[str, str]]], rejects: _Rejects) -> list[SeriesPoint]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line, record in records:
        month = _event_month(record.get("event_date", ""))
        region, kind = _region(record), _slug(record.get("event_type", ""))
        if month is None:
            rejects.add(line, f"event_date {record.get('event_date', '')!r} is not a date")
        elif not region:
            rejects.add(line, "no region (admin1 or country)")
        elif not kind:
            rejects.add(line, "no event_type")
        else:
            counts[(f"events.{kind}", region)][month] += 1
    if not counts:
        return []
    seen = [m for by_month in counts.values() for m in by_month]
    span = _months(min(seen), max(seen))
    return [
        SeriesPoint(series, region, month, float(by_month.get(month, 0)))
        for (series, region), by_month in sorted(counts.items())
        for month in span
    ]


def _value(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _values(
    records: Iterator[tuple[int, dict[str, str]]],
    rejects: _Rejects,
    fields: tuple[str, str, str],
    series_of: dict[str, str] | str,
) -> list[SeriesPoint]:
    """Long-form or yearly rows: ``fields`` names the period and value columns and whether the
    period is a year; ``series_of`` the series column or the fixed series name."""
    period_key, value_key, granularity = fields
    points: list[SeriesPoint] = []
    first: dict[tuple[str, str, str], int] = {}
    for line, record in records:
        series = series_of if isinstance(series_of, str) else _series_name(record, series_of)
        period, value = record.get(period_key, ""), _value(record.get(value_key, ""))
        pattern = _YEAR if granularity == "year" else _MONTH
        expected = "YYYY" if granularity == "year" else "YYYY or YYYY-MM"
        if not series:
            rejects.add(line, "no series name")
        elif not _region(record):
            rejects.add(line, "no region")
        elif not (pattern.match(period) or (granularity == "any" and _YEAR.match(period))):
            rejects.add(line, f"{period_key} {period!r} is not {expected}")
        elif value is None:
            rejects.add(line, f"{value_key} {record.get(value_key, '')!r} is not a number")
        elif (key := (series, _region(record), period)) in first:
            rejects.add(line, f"repeats line {first[key]} ({series}, {key[1]}, {period})")
        else:
            first[key] = line
            points.append(SeriesPoint(series, key[1], period, value))
    return points


def _series_name(record: dict[str, str], spec: dict[str, str]) -> str:
    name = record.get(spec["column"], "")
    return spec["prefix"] + _slug(name) if name.strip() else ""


def read_series(path: Path) -> tuple[list[SeriesPoint], list[str]]:
    """The points of a CSV series file and its rejected rows ("FILE:LINE: reason"); an
    unreadable file raises MonitorError."""
    rows = _rows(path, _text(path))
    try:
        _, header_row = next(rows)
    except StopIteration:
        raise MonitorError(
            f"{path.name}: empty file, no header",
            arabic=f"{path.name}: ملف فارغ بلا سطر عناوين",
        ) from None
    header = [h.strip().lower() for h in header_row]
    rejects = _Rejects(path.name)

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        for line, row in rows:
            if len(row) > len(header):
                rejects.add(line, f"{len(row)} fields, the header has {len(header)}")
                continue
            yield line, dict(zip(header, row, strict=False))

    names = set(header)
    has_region = bool(names & {"region", "country", "admin1"})
    if {"event_date", "event_type"} <= names and has_region:
        points = _events(records(), rejects)
    elif {"series", "period", "value"} <= names and has_region:
        series = {"column": "series", "prefix": ""}
        points = _values(records(), rejects, ("period", "value", "any"), series)
    elif {"year", "score"} <= names and has_region:
        if "index" in names:
            spec: dict[str, str] | str = {"column": "index", "prefix": "index."}
        else:
            spec = "index." + _slug(path.stem)
        points = _values(records(), rejects, ("year", "score", "year"), spec)
    else:
        raise MonitorError(
            f"{path.name}:1: unknown layout: expected event rows (event_date, event_type,"
            " admin1 or country), long form (series, region, period, value) or yearly scores"
            " (region, year, score)",
            arabic=f"{path.name}:1: تخطيط غير معروف: المتوقع صفوف أحداث (event_date،"
            " event_type، admin1 أو country)، أو صيغة طويلة (series، region، period، value)،"
            " أو درجات سنوية (region، year، score)",
        )
    return points, rejects.items


def _spread(series: str, window: Sequence[float], centre: float) -> float:
    mad = statistics.median(abs(v - centre) for v in window) * _MAD_SCALE
    floor = 0.1 * abs(centre)
    if series.startswith("events."):
        floor = max(floor, math.sqrt(abs(centre)), 1.0)
    return max(mad, floor, 1e-6)


def _period_key(period: str) -> tuple[int, int]:
    return (int(period[:4]), int(period[5:7]) if len(period) > 4 else 0)


def advise(points: Sequence[SeriesPoint], window: int = 12, threshold: float = 3.5) -> list[Advice]:
    """A "review suggested" for each departure of a series (per region) from its trailing
    window; advice only, never a score."""
    if window < 2 or threshold <= 0:
        raise MonitorError(
            f"window must be 2 or more and threshold above 0 ({window}, {threshold})",
            arabic=f"النافذة 2 فأكثر والعتبة أكبر من 0 ({window}، {threshold})",
        )
    grouped: dict[tuple[str, str], list[SeriesPoint]] = defaultdict(list)
    for point in points:
        grouped[(point.series, point.region)].append(point)
    needed = max(2, window // 2)
    out: list[Advice] = []
    for (series, _), items in sorted(grouped.items()):
        items.sort(key=lambda p: _period_key(p.period))
        side = 0  # the side of the departure in progress: 1 above, -1 below, 0 none
        for i, point in enumerate(items):
            trailing = [p.value for p in items[max(0, i - window) : i]]
            if len(trailing) < needed:
                continue
            centre = statistics.median(trailing)
            spread = _spread(series, trailing, centre)
            deviation = (point.value - centre) / spread
            now = 0 if abs(deviation) <= threshold else (1 if deviation > 0 else -1)
            if now and now != side:
                out.append(_advice(point, centre, spread, deviation))
            side = now
    return out


def _advice(point: SeriesPoint, centre: float, spread: float, deviation: float) -> Advice:
    args = {"series": point.series, "region": point.region, "period": point.period}
    args |= {"value": f"{point.value:g}", "deviation": f"{abs(deviation):.1f}"}
    args |= {"side": "above" if deviation > 0 else "below", "median": f"{centre:g}"}
    why = Reason("advice.review", args)
    values = (point.value, centre, spread, deviation)
    return Advice(point.series, point.region, point.period, *values, say(why, "en"), why)
