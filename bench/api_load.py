"""API load benchmark: a served Rasid instance on loopback over PostgreSQL holding about
1,000,000 statements, with concurrent clients doing name searches and entity reads.

1. Generate the synthetic FtM file of ``bench/ingest.py`` (same generator and seed) and
   import it into an empty PostgreSQL database as the dataset of one agency.
2. Create a user of that agency and an API token.
3. Start ``rasid serve --workers N`` (one process per core by default) on a free local
   port.
4. Run ``--clients`` concurrent clients (asyncio, one HTTP connection each) for
   ``--seconds`` after a short warm-up, once for each ``--think`` value: the mean pause
   of a client between two requests (0: back to back, which saturates the server and
   measures its capacity; 1 s: people reading answers). Each request is a name search
   (``GET /api/entities?q=``) or an entity read (``GET /api/entities/{id}``), half and
   half, with the token and a purpose, as a real client sends them. Every call is also
   written to the audit log by the server, as in production.
5. Report latency p50/p95/p99 per kind and overall, throughput and errors (anything but
   200, and exceptions), and where the machine's processor time went during the run: the
   load generator, the server's processes, PostgreSQL's and the rest (``/proc``).

It is a benchmark, not a test. ``python bench/api_load.py --help`` lists the options.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest as data

from rasid.access.accounts import Role, Scope, add_user, create_token
from rasid.access.registry import ensure_agency
from rasid.ingest.run import IngestRequest
from rasid.ingest.run import ingest as run_ingest
from rasid.store import open_store
from rasid.store.migrate import current_revision

POSTGRES_ENV = "RASID_BENCH_DATABASE_URL"
AGENCY, DATASET, USER = "bench_agency", "bench", "bench.analyst"
PURPOSE = "load benchmark"
TIMEOUT = 30  # seconds a request may take before it counts as an error


def _ticks(pid: int) -> int:
    """User and system clock ticks a process has used (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def cpu_snapshot(server: int) -> dict[str, float]:
    """Processor seconds used so far: by this process, by the server's process group, by
    PostgreSQL's processes, and by the whole machine (busy time of every core)."""
    tick = os.sysconf("SC_CLK_TCK")
    own = server_ticks = postgres = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            name = (entry / "comm").read_text().strip()
            group = os.getpgid(pid)
        except OSError:
            continue
        if pid == os.getpid():
            own = _ticks(pid)
        elif group == server:
            server_ticks += _ticks(pid)
        elif name.startswith("postgres"):
            postgres += _ticks(pid)
    busy = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    idle = int(busy[3]) + int(busy[4])  # idle, iowait
    return {
        "load_generator": own / tick,
        "server": server_ticks / tick,
        "postgres": postgres / tick,
        "machine": (sum(int(b) for b in busy[:8]) - idle) / tick,
    }


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Processor seconds between two snapshots, with the machine's rest."""
    used = {k: round(after[k] - before[k], 1) for k in before}
    used["other"] = round(
        used["machine"] - used["load_generator"] - used["server"] - used["postgres"], 1
    )
    return used


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(url: str, statements: int, seed: int, workdir: Path) -> tuple[list[str], str, dict]:
    """Import the generated file into the empty database; returns entity ids, a token and
    facts about the input."""
    store = open_store(url, create=True)
    try:
        with store.uow() as uow:
            count = uow.conn.exec_driver_sql("SELECT count(*) FROM statement").scalar_one()
        if count:
            raise SystemExit(f"the database is not empty ({count} statements): use a new one")
        print(f"generating ~{statements:,} statements (seed {seed})", flush=True)
        generated = data.generate(workdir / "bench.ftm.jsonl", statements, seed)
        print(f"importing {generated.statements:,} statements", flush=True)
        start = time.perf_counter()
        with store.uow() as uow:
            ensure_agency(uow.conn, AGENCY)
        summary = run_ingest(
            store, IngestRequest(str(generated.path), DATASET, agency=AGENCY, fmt="ftm")
        )
        seconds = time.perf_counter() - start
        with store.uow() as uow:
            add_user(uow.conn, USER, AGENCY, Role.ANALYST, "bench", "a long bench passphrase")
            _, token = create_token(uow.conn, USER, frozenset({Scope.READ}), "bench")
        facts = {
            "statements": summary.statements,
            "entities": summary.entities,
            "import_seconds": round(seconds, 1),
            "revision": current_revision(store.engine),
        }
        return generated.ids, token, facts
    finally:
        store.dispose()


def serve(url: str, port: int, log: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    """``rasid serve`` on the port (its output in ``log``), waiting until it answers."""
    command = ["--database", url, "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rasid.cli", *command],
            start_new_session=True,  # its worker processes are stopped with it
            env={**os.environ, "RASID_DATABASE_URL": url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its worker processes (its whole process group)."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


class Http:
    """One keep-alive HTTP/1.1 connection over asyncio streams: the load generator's own
    client. It shares the server's cores, so it should take as little of them as it can:
    a general client (httpx) took 12 % of the machine's processor time in this benchmark,
    this one 2 % (bench/README.md, API load, third run)."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.head = f"Host: {host}:{port}\r\n{lines}\r\n".encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, params: dict[str, Any] | None = None) -> int:
        """GET ``path`` and read the whole answer; its status code. A kept connection the
        server closed while idle (uvicorn after 5 s) is opened again once, as any client
        does: a request that never reached the server is not an error of the server."""
        target = urllib.parse.quote(path) + (f"?{urllib.parse.urlencode(params)}" if params else "")
        request = f"GET {target} HTTP/1.1\r\n".encode("ascii") + self.head
        reused = self.streams is not None
        try:
            return await self._exchange(request)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            return await self._exchange(request)

    async def _exchange(self, request: bytes) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        try:
            writer.write(request)
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
            fields = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
            if "content-length" in fields:
                await reader.readexactly(int(fields["content-length"]))
            elif fields.get("transfer-encoding", "").strip() == "chunked":
                while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
            else:
                raise ValueError("an answer with neither a length nor chunks")
            if fields.get("connection", "").strip() == "close":
                await self.close()
            return int(head.split(" ", 2)[1])
        except BaseException:
            await self.close()  # the connection's state is unknown: start a new one
            raise

    async def close(self) -> None:
        if self.streams is not None:
            writer = self.streams[1]
            self.streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def client(
    port: int,
    token: str,
    ids: list[str],
    queries: list[str],
    seed: int,
    until: float,
    warm_until: float,
    out: dict[str, list[float]],
    errors: list[str],
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}", "X-Rasid-Purpose": PURPOSE}
    http = Http("127.0.0.1", port, headers)
    try:
        while time.monotonic() < until:
            kind = "search" if rng.random() < 0.5 else "read"
            if kind == "search":
                path, params = "/api/entities", {"q": rng.choice(queries), "limit": 20}
            else:
                path, params = f"/api/entities/{rng.choice(ids)}", {}
            start = time.perf_counter()
            try:
                status = await asyncio.wait_for(http.get(path, params), TIMEOUT)
                ok = status == 200
                problem = f"{kind} {status}"
            except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError) as exc:
                ok, problem = False, f"{kind} {exc.__class__.__name__}"
            elapsed = time.perf_counter() - start
            # Measured from the end of the warm-up on. A client pauses during the warm-up
            # too: skipping its pauses made the warm-up a saturated run whose last
            # requests, slow, counted as measured (p99 367 ms in the second run).
            if time.monotonic() >= warm_until:
                out[kind].append(elapsed)
                if not ok:
                    errors.append(problem)
            if think:  # a person reading the answer before the next request
                await asyncio.sleep(rng.expovariate(1 / think))
    finally:
        await http.close()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))] * 1000

    return {
        "requests": len(values),
        "p50_ms": round(at(0.50), 1),
        "p95_ms": round(at(0.95), 1),
        "p99_ms": round(at(0.99), 1),
        "mean_ms": round(statistics.fmean(values) * 1000, 1),
    }


async def load(
    port: int,
    token: str,
    ids: list[str],
    clients: int,
    seconds: float,
    warm: float,
    seed: int,
    think: float = 0.0,
) -> dict[str, Any]:
    queries = data.search_queries(seed)
    out: dict[str, list[float]] = {"search": [], "read": []}
    errors: list[str] = []
    now = time.monotonic()
    tasks = [
        client(
            port,
            token,
            ids,
            queries,
            seed + n,
            now + warm + seconds,
            now + warm,
            out,
            errors,
            think,
        )
        for n in range(clients)
    ]
    await asyncio.gather(*tasks)
    every = out["search"] + out["read"]
    return {
        "clients": clients,
        "think_seconds": think,
        "seconds": seconds,
        "throughput_rps": round(len(every) / seconds, 1),
        "all": percentiles(every),
        "search": percentiles(out["search"]),
        "read": percentiles(out["read"]),
        "errors": len(errors),
        "error_kinds": {e: errors.count(e) for e in sorted(set(errors))},
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load benchmark of Rasid's API over PostgreSQL (see bench/README.md).",
        epilog=f"The database ({POSTGRES_ENV} or --postgres) must be empty.",
    )
    parser.add_argument("--postgres", metavar="URL", help=f"PostgreSQL URL (or ${POSTGRES_ENV})")
    parser.add_argument("--statements", type=int, default=1_000_000, help="default: %(default)s")
    parser.add_argument("--clients", type=int, default=50, help="default: %(default)s")
    parser.add_argument("--seconds", type=float, default=60, help="measured (default: %(default)s)")
    parser.add_argument("--warm-up", type=float, default=10, help="default: %(default)s s")
    parser.add_argument("--seed", type=int, default=data.SEED, help="default: %(default)s")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes (default: %(default)s)",
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs="+",
        default=[0.0, 1.0],
        metavar="SECONDS",
        help="runs to make, each with this mean pause of a client between requests (0: "
        "back to back, the server saturated) (default: %(default)s)",
    )
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    url = args.postgres or os.environ.get(POSTGRES_ENV)
    if not url:
        raise SystemExit(f"give --postgres URL or set ${POSTGRES_ENV}")
    with tempfile.TemporaryDirectory(prefix="rasid-load-") as tmp:
        ids, token, facts = prepare(url, args.statements, args.seed, Path(tmp))
        port = free_port()
        server = serve(url, port, Path(tmp) / "server.log", args.workers)
        try:
            result = []
            for think in args.think:
                before = cpu_snapshot(server.pid)
                run = run_load(args, port, token, ids, think)
                run["cpu_seconds"] = cpu_used(before, cpu_snapshot(server.pid))
                result.append(run)
        finally:
            stop(server)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": data.machine(),
        "input": facts,
        "workers": args.workers,
        "load": result,
    }
    print(json.dumps(report["load"], indent=2))
    if args.output:
        args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def run_load(
    args: argparse.Namespace, port: int, token: str, ids: list[str], think: float = 0.0
) -> dict[str, Any]:
    """The clients' run against the server on ``port``."""
    print(f"{args.clients} clients for {args.seconds:.0f} s, pausing {think} s", flush=True)
    return asyncio.run(
        load(
            port,
            token,
            ids,
            args.clients,
            args.seconds,
            args.warm_up,
            args.seed,
            think,
        )
    )


if __name__ == "__main__":
    main()
