"""The traveller benchmark's generator writes what it says, in files the parsers read cleanly."""

import importlib
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from rasid.travel.parse import parse
from rasid.travel.sensitive import screen_pnr

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _travelgen() -> ModuleType:
    # The benchmark's modules import each other as scripts do, from their own directory.
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("travelgen")


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    travelgen = _travelgen()
    directory = tmp_path_factory.mktemp("day")
    spec = travelgen.DaySpec(travellers=300, flights=3, national=200, documents=500)
    generated = travelgen.generate(spec, directory)
    return directory, generated.to_dict()


def _counts(day: tuple[Path, dict[str, object]]) -> dict[str, int]:
    counts = day[1]["counts"]
    assert isinstance(counts, dict)
    return counts


def test_the_day_has_the_files_and_travellers_asked_for(
    day: tuple[Path, dict[str, object]],
) -> None:
    counts = _counts(day)
    assert (counts["flights"], counts["api_files"], counts["pnr_files"]) == (3, 3, 9)
    assert counts["travellers"] == counts["api_travellers"] == 300
    files = day[1]["files"]
    assert isinstance(files, list) and len(files) == 12
    received = [f["received"] for f in files]
    assert received == sorted(received)  # in order of receipt


def test_every_file_parses_without_a_problem(day: tuple[Path, dict[str, object]]) -> None:
    directory, index = day
    found: Counter[str] = Counter()
    flights = set()
    for entry in index["files"]:  # type: ignore[attr-defined]
        result = parse((directory / entry["path"]).read_bytes(), source=entry["path"])
        assert result.problems == (), entry["path"]
        for manifest in result.manifests:
            found["api_travellers"] += len(manifest.travellers)
            flights.add(manifest.legs[0].flight)
        for batch in result.pnr_batches:
            found["pnr_bookings"] += len(batch.pnrs)
            found["pnr_travellers"] += sum(len(p.travellers) for p in batch.pnrs)
            found["sensitive_requests"] += sum(sum(screen_pnr(p)[1].values()) for p in batch.pnrs)
            if entry["path"].endswith("-dep.edi"):
                found["departing"] += sum(len(p.travellers) for p in batch.pnrs)
    counts = _counts(day)
    for key in ("api_travellers", "pnr_bookings", "pnr_travellers", "sensitive_requests"):
        assert found[key] == counts[key], key
    assert found["departing"] == 300  # every booking exists by departure
    assert found["sensitive_requests"] > 0
    assert len(flights) == 3


def test_planted_travellers_are_listed(day: tuple[Path, dict[str, object]]) -> None:
    directory, index = day
    planted = index["planted"]
    assert isinstance(planted, list)
    kinds = Counter(p["kind"] for p in planted)
    assert kinds == {"un": 3, "national": 3, "document": 3}
    lists = directory / "lists"
    national = {json.loads(line)["id"] for line in (lists / "national.ftm.jsonl").open()}
    documents = {
        json.loads(line)["properties"]["number"][0]
        for line in (lists / "documents.ftm.jsonl").open()
    }
    assert len(national) == 200 and len(documents) <= 500
    for plant in planted:
        if plant["kind"] == "national":
            assert plant["listed_id"] in national
        elif plant["kind"] == "document":
            assert plant["listed"] in documents
    text = "".join(p.read_text() for p in (directory / "api").iterdir())
    for plant in planted:
        assert f"{plant['surname']}:{plant['given']}" in text.replace("?", "")


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    travelgen = _travelgen()
    spec = travelgen.DaySpec(travellers=40, flights=1, national=20, documents=30)
    first = travelgen.generate(spec, tmp_path / "a")
    second = travelgen.generate(spec, tmp_path / "b")
    assert first.counts == second.counts
    for entry in first.files:
        assert (tmp_path / "a" / entry["path"]).read_bytes() == (
            tmp_path / "b" / entry["path"]
        ).read_bytes()
