"""A bounded HTTP load on loopback: Debian's `wrk` when it is installed, else a small
generator in Python (threads and http.client). Either way the run is bounded in time (and the
Python one in requests too), and it only ever talks to 127.0.0.1.

    python bench/load.py --port 8000 --path / --seconds 5 [--cookie 'mirror-session=…']
"""

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HOST = "127.0.0.1"  # the only host a load is ever sent to
MAX_REQUESTS = 200_000  # a bound for the Python generator, whatever the duration

# wrk reports p50/p75/p90/p99 on its own; this prints the figures the bench needs as JSON.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'MIRROR-JSON {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"errors": %d, "non_2xx": %d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # connection errors and timeouts
    non_2xx: int  # answers other than 2xx (a redirect to the login page counts here)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rps": self.rps}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    port: int, path: str, *, seconds: float, connections: int, headers: dict[str, str]
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = [
            "wrk",
            "--threads", "1",
            "--connections", str(connections),
            "--duration", f"{max(1, round(seconds))}s",
            "--timeout", "10s",
            "--script", script.name,
        ]  # fmt: skip
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        command.append(f"http://{HOST}:{port}{path}")
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30, check=True
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("MIRROR-JSON "))
    data = json.loads(line.removeprefix("MIRROR-JSON "))
    return LoadResult(
        tool="wrk",
        requests=data["requests"],
        seconds=data["seconds"],
        p50_ms=data["p50"],
        p95_ms=data["p95"],
        p99_ms=data["p99"],
        errors=data["errors"],
        non_2xx=data["non_2xx"],
    )


def run_python(
    port: int,
    path: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str],
    max_requests: int = MAX_REQUESTS,
) -> LoadResult:
    """`connections` threads, each sending one request after another (reconnecting when the
    server closes the connection, as gunicorn's sync workers do) until the time or the
    request budget is spent."""
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"errors": 0, "non_2xx": 0}
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        connection = None
        while time.perf_counter() < deadline:
            with lock:
                if len(latencies) + counts["errors"] >= max_requests:
                    return
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=10)
                started = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if not 200 <= response.status < 300:
                        counts["non_2xx"] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                with lock:
                    counts["errors"] += 1
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 15)
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        if not ordered:
            return 0.0
        if len(ordered) == 1:
            return ordered[0] * 1000
        return statistics.quantiles(ordered, n=100, method="inclusive")[int(p) - 1] * 1000

    return LoadResult(
        tool="python",
        requests=len(ordered),
        seconds=elapsed,
        p50_ms=percentile(50),
        p95_ms=percentile(95),
        p99_ms=percentile(99),
        errors=counts["errors"],
        non_2xx=counts["non_2xx"],
    )


def run_load(
    port: int,
    path: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    tool: str = "auto",
) -> LoadResult:
    """`tool`: wrk, python, or auto (wrk when installed)."""
    headers = headers or {}
    if tool == "wrk" or (tool == "auto" and wrk_available()):
        return run_wrk(port, path, seconds=seconds, connections=connections, headers=headers)
    return run_python(port, path, seconds=seconds, connections=connections, headers=headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    headers = {"Cookie": args.cookie} if args.cookie else {}
    result = run_load(
        args.port,
        args.path,
        seconds=min(args.seconds, 60),
        connections=min(args.connections, 64),
        headers=headers,
        tool=args.tool,
    )
    print(json.dumps(result.as_dict(), indent=2))


if __name__ == "__main__":
    main()
