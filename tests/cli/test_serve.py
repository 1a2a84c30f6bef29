"""`rasid serve` and `rasid demo` as a user runs them: a real process on a local port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 60.0) -> tuple[int, bytes]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_the_server_answers(database_url: str, tmp_path: Path, command: str) -> None:
    port = _free_port()
    args = [sys.executable, "-m", "rasid.cli", "--database", database_url, command]
    proc = subprocess.Popen(
        [*args, "--port", str(port)],
        cwd=tmp_path,
        env={**os.environ, "RASID_DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status, body = _get(f"http://127.0.0.1:{port}/api/health", timeout=120)
        assert status == 200 and json.loads(body)["status"] == "ok"
        # Pages need a signed-in user: the browser is sent to the sign-in form.
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b'dir="rtl"' in page and b'action="/sign-in"' in page
        if command == "demo":
            # A token for a demo user, made with the command line beside the server.
            made = subprocess.run(
                [*args[:-1], "tokens", "create", "analyst.police"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                check=True,
            )
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/stats",
                headers={"Authorization": f"Bearer {made.stdout.strip()}"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                stats = json.loads(response.read())
            # The police read their own data (their lost documents list too), the shared
            # datasets and the public UN list; not the passenger information unit's data.
            assert stats["entities_by_schema"]["Person"] >= 684 + 500
            assert stats["datasets"] == 6
    finally:
        proc.terminate()
        proc.wait(timeout=30)
