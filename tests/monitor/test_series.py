"""External series: the three layouts, tolerant reading, and advice on departures.

The example files shipped in ``rasid/monitor/examples/`` are written by the generator below
(synthetic, deterministic, not real data); a test checks they are its output."""

import csv
import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.monitor.errors import MonitorError
from rasid.monitor.model import SeriesPoint
from rasid.monitor.series import advise, read_series

EXAMPLES = Path(__file__).parents[2] / "rasid" / "monitor" / "examples"
REGIONS = {"North Province": 8, "Coastal District": 6, "Capital Area": 10}
TYPES = ("Battles", "Violence against civilians")
CHANGE = ("Coastal District", "Battles", "2024-03")  # the planted change point: rate x 4


def _months() -> list[str]:
    return [f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)][6:]


def events_csv() -> str:
    """Event rows in the layout of public conflict-event datasets, bounded noise (+-20 %)."""
    rng = random.Random(20240301)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["event_id_cnty", "event_date", "year", "event_type", "country", "admin1", "fatalities"]
    )
    n = 0
    for month in _months():
        for region, rate in REGIONS.items():
            for kind in TYPES:
                mean = rate * (4 if (region, kind) == CHANGE[:2] and month >= CHANGE[2] else 1)
                for _ in range(round(mean * rng.uniform(0.8, 1.2))):
                    n += 1
                    day = rng.randint(1, 28)
                    writer.writerow(
                        [f"SYN{n:05d}", f"{month}-{day:02d}", month[:4], kind, "Synthetica",
                         region, rng.choice([0, 0, 0, 1, 2])]
                    )  # fmt: skip
    return out.getvalue()


def index_csv() -> str:
    """Yearly scores of a made-up index, flat with small noise."""
    rng = random.Random(7)
    rows = ["region,year,score,index"]
    for region in REGIONS:
        for year in range(2014, 2025):
            rows.append(f"{region},{year},{5 + rng.uniform(-0.2, 0.2):.2f},Sample Nexus Index")
    return "\n".join(rows) + "\n"


def long_csv() -> str:
    """Long form: monthly counts of a made-up series, flat with small noise."""
    rng = random.Random(11)
    rows = ["series,region,period,value"]
    for region in REGIONS:
        for month in _months():
            rows.append(f"seizures.weapons,{region},{month},{20 + rng.randint(-2, 2)}")
    return "\n".join(rows) + "\n"


GENERATED = {
    "events_monthly.csv": events_csv,
    "sample_nexus_index.csv": index_csv,
    "seizures_long.csv": long_csv,
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_shipped_examples_are_the_generators_output(name: str) -> None:
    assert (EXAMPLES / name).read_text("utf-8") == GENERATED[name]()


def test_the_planted_change_point_raises_exactly_one_review_suggested() -> None:
    points: list[SeriesPoint] = []
    for name in GENERATED:
        found, rejects = read_series(EXAMPLES / name)
        assert rejects == []
        points.extend(found)
    advice = advise(points)
    assert [(a.series, a.region, a.period) for a in advice] == [
        ("events.battles", "Coastal District", "2024-03")
    ]
    assert advice[0].message.startswith("review suggested")
    assert advice[0].deviation > 3.5


def test_event_rows_are_counted_per_region_type_and_month(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "event_date,event_type,country,admin1\n"
        "2024-01-03,Battles,X,North\n2024-01-09,Battles,X,North\n"
        "15 March 2024,Battles,X,North\n2024-02-01,Riots,X,\n",
        "utf-8",
    )
    points, rejects = read_series(path)
    battles = [(p.period, p.value) for p in points if p.series == "events.battles"]
    assert battles == [("2024-01", 2.0), ("2024-02", 0.0), ("2024-03", 1.0)]
    riots = [p for p in points if p.series == "events.riots"]
    assert {p.region for p in riots} == {"X"} and rejects == []


def test_a_flat_series_raises_nothing() -> None:
    points = [SeriesPoint("index.x", "r", str(2000 + i), 5.0) for i in range(20)]
    assert advise(points) == []
    wobble = [SeriesPoint("events.a", "r", f"2024-{m:02d}", 3 + m % 2) for m in range(1, 13)]
    assert advise(wobble, window=6) == []


def test_a_spike_raises_one_and_a_drop_is_seen_too() -> None:
    values = [100.0] * 12 + [400.0] + [100.0] * 5 + [0.0]
    points = [SeriesPoint("events.a", "r", f"{2020 + i // 12}-{i % 12 + 1:02d}", v)
              for i, v in enumerate(values)]  # fmt: skip
    advice = advise(points)
    assert [(a.period, a.deviation > 0) for a in advice] == [("2021-01", True), ("2021-07", False)]


def test_malformed_rows_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "\ufeffseries;region;period;value\n"
        "a;north;2024-01;3\n"
        "\n"
        "a;north;2024-13;3\n"
        "a;north;2024-02;many\n"
        "a;north;2024-01;4\n"
        "a;;2024-03;4\n"
        "a;north;2024-04;5\n",
        "utf-8",
    )
    points, rejects = read_series(path)
    assert [p.period for p in points] == ["2024-01", "2024-04"]
    assert rejects == [
        "long.csv:4: period '2024-13' is not YYYY or YYYY-MM",
        "long.csv:5: value 'many' is not a number",
        "long.csv:6: repeats line 2 (a, north, 2024-01)",
        "long.csv:7: no region",
    ]


def test_yearly_index_named_by_the_file(tmp_path: Path) -> None:
    path = tmp_path / "Fragility Score.csv"
    path.write_text("country\tyear\tscore\nxx\t2020\t7.5\nxx\t20x1\t7\n", "utf-8")
    points, rejects = read_series(path)
    assert points == [SeriesPoint("index.fragility_score", "xx", "2020", 7.5)]
    assert rejects == ["Fragility Score.csv:3: year '20x1' is not YYYY"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"a,b,c\n1,2,3\n", "unknown layout"),
        (b"\xff\xfe\x00series", "not UTF-8"),
    ],
)
def test_unreadable_files_raise(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(MonitorError, match=message):
        read_series(path)


def test_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(MonitorError, match="cannot read"):
        read_series(tmp_path / "absent.csv")


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: ("series,region,period,value\n" + t).encode()),
        st.text(max_size=300).map(lambda t: ("event_date,event_type,admin1\n" + t).encode()),
    )
)
def test_read_series_never_crashes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        points, rejects = read_series(path)
    except MonitorError:
        return
    advise(points)
    assert all(r.startswith("fuzz.csv:") for r in rejects)
