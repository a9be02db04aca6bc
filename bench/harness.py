"""Side-by-side HTTP benchmarks: the platform's endpoint and a hand-written reference on one server.

The server is gunicorn with one sync worker (the production HTTP path, one core); the load comes from
this process. Each round measures the endpoint and the reference alternately, so drift on the machine
affects both alike.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict[str, str], settings_module: str = "bench.settings") -> Iterator[int]:
    """Run gunicorn (1 sync worker) on a free port with ``settings_module``; yield the port."""
    port = free_port()
    full_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings_module}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=full_env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = get(port, "/healthz")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the benchmark server did not start")
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Result:
    latencies_ms: list[float]
    throughput: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=20)[-1]


def latency(port: int, path: str, count: int, headers: dict[str, str] | None = None) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        status, body = get(port, path, headers)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    return samples


def throughput(port: int, path: str, seconds: float, clients: int = 2, headers: dict[str, str] | None = None) -> float:
    """Requests per second with ``clients`` closed-loop clients (keeps the single worker busy)."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def loop(slot: int) -> None:
        while time.monotonic() < stop:
            get(port, path, headers)
            done[slot] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def compare(
    port: int,
    cases: dict[str, tuple[str, str]],
    *,
    rounds: int,
    requests: int,
    seconds: float,
    headers: dict[str, str] | None = None,
) -> dict[str, tuple[Result, Result]]:
    """For each case (endpoint path, reference path): alternate latency and throughput runs; return both."""
    results: dict[str, tuple[Result, Result]] = {}
    for name, (endpoint, reference) in cases.items():
        for path in (endpoint, reference):
            latency(port, path, 20, headers)  # warm-up
        mine, ref = Result([], 0.0), Result([], 0.0)
        mine_rates, ref_rates = [], []
        for _ in range(rounds):
            mine.latencies_ms += latency(port, endpoint, requests, headers)
            ref.latencies_ms += latency(port, reference, requests, headers)
            mine_rates.append(throughput(port, endpoint, seconds, headers=headers))
            ref_rates.append(throughput(port, reference, seconds, headers=headers))
        mine.throughput, ref.throughput = statistics.median(mine_rates), statistics.median(ref_rates)
        results[name] = (mine, ref)
    return results


def report(title: str, results: dict[str, tuple[Result, Result]], *, min_ratio: float, max_p95_ms: float) -> bool:
    print(f"\n{title}")
    print(
        f"{'case':<28}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'ref p50':>9}{'ref p95':>9}{'ref req/s':>10}{'ratio':>7}"
    )
    ok = True
    for name, (mine, ref) in results.items():
        ratio = mine.throughput / ref.throughput
        ok &= ratio >= min_ratio and mine.p95 <= max_p95_ms
        print(
            f"{name:<28}{mine.p50:>9.2f}{mine.p95:>9.2f}{mine.throughput:>9.0f}"
            f"{ref.p50:>9.2f}{ref.p95:>9.2f}{ref.throughput:>10.0f}{ratio:>7.2f}"
        )
    print(f"goal: throughput ratio >= {min_ratio} and p95 <= {max_p95_ms} ms: {'met' if ok else 'NOT met'}")
    return ok
