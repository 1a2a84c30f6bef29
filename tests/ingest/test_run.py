"""Import guarantees: one transaction per file, interrupts leave nothing, URLs, --replace."""

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasid.ingest.errors import IngestError, UnreadableInput
from rasid.ingest.run import IngestRequest, ingest
from rasid.store import Store
from rasid.store.entities import get_entity
from rasid.store.quarantine import count_quarantine
from rasid.store.statements import count_statements
from tests.ingest.helpers import PEOPLE, load, write_jsonl


def _big_file(path: Path, people: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(people):
            row = {"id": f"b{i}", "schema": "Person", "properties": {"name": [f"Person {i}"]}}
            fh.write(json.dumps(row) + "\n")
    return path


def test_an_error_mid_file_leaves_the_database_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(store, write_jsonl(tmp_path / "first.jsonl", PEOPLE))
    with store.uow() as uow:
        before = count_statements(uow.conn), count_quarantine(uow.conn)
    monkeypatch.setattr("rasid.settings.get_settings", lambda: _small_batches())
    path = write_jsonl(tmp_path / "second.jsonl", [*PEOPLE, "{broken", *([PEOPLE[0]] * 5)])
    original = __import__("rasid.ingest.run", fromlist=["_Batch"])._Batch._take
    calls = {"n": 0}

    def failing(self: object, item: object) -> None:
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("disk on fire")
        original(self, item)  # type: ignore[arg-type]

    monkeypatch.setattr("rasid.ingest.run._Batch._take", failing)
    with pytest.raises(RuntimeError):
        load(store, path, dataset="second")
    with store.uow() as uow:
        assert (count_statements(uow.conn), count_quarantine(uow.conn)) == before


def _small_batches() -> object:
    from rasid.settings import Settings

    return Settings(batch_size=2)


def test_unreadable_file_creates_no_dataset(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UnreadableInput):
        load(store, path, dataset="never")
    with store.uow() as uow:
        from rasid.access.registry import get_dataset

        assert get_dataset(uow.conn, "never") is None


def test_new_dataset_needs_an_agency(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", PEOPLE)
    with pytest.raises(IngestError, match="give --agency"):
        ingest(store, IngestRequest(str(path), "orphan"))
    with pytest.raises(IngestError, match="no such file"):
        load(store, tmp_path / "missing.jsonl")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(IngestError, match="cannot tell the format"):
        load(store, tmp_path / "notes.txt")


def test_replace_removes_what_the_file_no_longer_says(store: Store, tmp_path: Path) -> None:
    load(store, write_jsonl(tmp_path / "v1.jsonl", PEOPLE))
    changed = [dict(PEOPLE[0], properties={"name": ["Renamed"]}), PEOPLE[1]]
    summary = load(store, write_jsonl(tmp_path / "v2.jsonl", changed), replace=True)
    assert summary.replaced == 8  # p1's old values, o1 and m1
    with store.uow() as uow:
        p1 = get_entity(uow.conn, "p1", None)
        assert get_entity(uow.conn, "o1", None) is None
        assert count_statements(uow.conn) == summary.statements
    assert p1 is not None and p1.proxy.get("name") == ["Renamed"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """Serve tmp_path over HTTP on the loopback interface."""
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_import_from_url(store: Store, tmp_path: Path, served: str) -> None:
    write_jsonl(tmp_path / "remote.jsonl", PEOPLE)
    summary = (
        load(store, Path("unused"), fmt="ftm")
        if False
        else ingest(
            store, IngestRequest(f"{served}/remote.jsonl", "remote", agency="un", fmt="ftm")
        )
    )
    assert summary.entities == 4 and summary.source.endswith("/remote.jsonl")
    with pytest.raises(UnreadableInput, match="cannot download"):
        ingest(store, IngestRequest(f"{served}/missing.jsonl", "remote", fmt="ftm"))


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_import_leaves_nothing_behind(
    database_url: str, tmp_path: Path, how: signal.Signals
) -> None:
    store_env = {**os.environ, "RASID_DATABASE_URL": database_url, "RASID_BATCH_SIZE": "500"}
    path = write_jsonl(tmp_path / "small.jsonl", PEOPLE)
    rasid = [sys.executable, "-m", "rasid.cli"]
    subprocess.run(
        [*rasid, "ingest", str(path), "-d", "kept", "--agency", "a"],
        env=store_env,
        check=True,
        capture_output=True,
    )
    big = _big_file(tmp_path / "big.jsonl", 100_000)
    proc = subprocess.Popen(
        [*rasid, "ingest", str(big), "-d", "lost", "--agency", "a"],
        env={**store_env, "PYTHONUNBUFFERED": "1"},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # the first progress line: records are being written
    assert "records read" in line, line
    proc.send_signal(how)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    from rasid.store import open_store

    after = open_store(database_url)
    with after.uow() as uow:
        from rasid.access.registry import get_dataset

        assert get_dataset(uow.conn, "lost") is None
        assert count_statements(uow.conn) == 12  # only the first import
    after.dispose()
