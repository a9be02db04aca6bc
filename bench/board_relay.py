"""Whiteboard relay: M4SH's board socket against the reference y-websocket server, side by side in one run.

    npm ci --prefix bench/board                                        # once: the Node reference server
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4sh_bench .venv/bin/python bench/board_relay.py
    .venv/bin/python bench/board_relay.py                              # embedded SQLite under var/bench/

For each room count (25, 100, 200) both servers run, each pinned to the same core (``taskset -c 1``):
M4SH (``uvicorn config.asgi:application --ws apps.classroom.realtime.direct:DirectFramesProtocol``, one
process, as `make run` and production serve it) and the reference (``@y/websocket-server`` on
Node, ``bench/board/node-server.mjs``); this process, the load generator, runs on the other core. Each
server gets its own rooms with two y-websocket clients each: the tutor draws, the student watches. The
tutor sends one Yjs update per message, each adding a ``stroke`` element (8 points) to ``elements`` as
the board schema says; the updates are made with pycrdt before each step, not while it runs. The
messages are spread evenly over the rooms at a fixed total rate (the offered rate), stepping up a
ladder of rates (800 msg/s, then higher). Only one server has load at a time: each step runs on one
server, then on the other (the order alternates from step to step), so that both are measured on the
same machine seconds apart; a server leaves the ladder at its first step that does not keep up.

Per step: ``--warmup`` seconds of load, then ``--seconds`` measured. Every update carries its message
number in its element id; the watcher looks it up to get the delivery latency (receive time minus send
time, both on this process's clock) and the reach (delivered / sent, for the messages sent in the
measured window, after a drain). The server's CPU time (user + system, all threads, from
``/proc/<pid>/stat``) over the window divided by the messages delivered in the window gives the CPU per
delivered message, and the share of it spent by the server's main thread (the event loop); on PostgreSQL
the CPU of the backends serving the server's connections is shown beside it. The generator's own CPU,
event-loop lag and send lateness are printed with every step, to show it is not the bottleneck, and so
is the CPU that every other process on the machine used meanwhile: a step during which they used more
than ``--max-other`` cores (0.25) is run again, up to ``--tries`` times (3), and the quietest try counts.
The goal rate (800 msg/s) is run ``--repeat`` times (3) on each server, alternating, and the run with the
median CPU per message counts; a server's first step warms up three times as long.

A step "keeps up" when the reach is 100 %, the delivered rate is at least 98 % of the offered rate and
p99 <= 100 ms. Goals (for M4SH): CPU per message at most the reference's (ratio <= 1.0) at 800 msg/s;
p99 <= 20 ms at 800 msg/s; at least 1,500 msg/s kept up on the one core; no super-linear growth with the
number of rooms: CPU per message at 200 rooms at most 1.25 x that at 25 rooms, or at most the reference's
own growth measured in the same run (more connections for the same messages cost both servers a little).

The M4SH server runs with ``BOARD_MAX_MESSAGES_PER_SECOND=1000`` (the per-connection limit, 120 by
default, would close a drawer at the top of the ladder with 25 rooms) and ``SCHEDULER_IN_PROCESS=0`` (as in
production: the periodic tasks run in celery beat, not in the socket server). Everything else is the
configured default (``BOARD_FLUSH_MS``, ``BOARD_SEND_QUEUE``, no Redis unless ``REDIS_URL`` is set); any
of them set in the environment is passed on, and the header prints the values in force.
The reference server echoes every update to its sender as well; only deliveries to the watcher count.

``--servers M4SH,node,floor`` adds a third server, the floor (``bench/board_floor.py``: uvicorn and pycrdt
relaying updates with no storage, auth or limits), and prints M4SH's CPU per message over the floor's:
the share of M4SH's cost that is its own work rather than the stack's. ``raw`` adds the raw floor
(``bench/board_floor_raw.py``: a bare uvloop protocol with pycrdt, no ASGI server at all): what the ASGI
layer costs per message.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BOARD_DIR = ROOT / "bench" / "board"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["M4SH_VAR_DIR"] = str(ROOT / "var" / "bench")

MARK = b"\x0b~b"  # the element id "~b" + 9 digits, as written in an update (varuint length 11, then UTF-8)
CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVER_DEFAULTS = {  # for the M4SH server, unless the environment says otherwise
    "BOARD_MAX_MESSAGES_PER_SECOND": "1000",
    "SCHEDULER_IN_PROCESS": "0",
}
KEEP_UP_DELIVERED = 0.98
KEEP_UP_P99_MS = 100.0
GOAL_RATE = 800
GOAL_P99_MS = 20.0
GOAL_SUSTAINED = 1500
GOAL_GROWTH = 1.25
DRAIN_SECONDS = 5.0


# --- data: lessons (M4SH side) and the precomputed updates ---------------------------------------------


@dataclass(frozen=True)
class Seat:
    session_id: int
    tutor_token: str
    student_token: str


def seed_lessons(count: int) -> list[Seat]:
    """``count`` confirmed lessons with an open classroom (as ``make_lesson`` makes them, in bulk)."""
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import Role, User
    from apps.booking.models import Booking, BookingStatus
    from apps.classroom.services.sessions import classroom_session_open
    from apps.classroom.tokens import ClassroomTokenService
    from apps.marketplace.models import TutorProfile, TutorStatus

    tag = os.urandom(4).hex()
    now = timezone.now()
    start = now + timedelta(minutes=5)
    end = start + timedelta(minutes=50)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"board-{tag}-{i}-{role}@bench.test",
                    first_name="Bench",
                    last_name=role,
                    role=role,
                    password="!",
                )
                for i in range(count)
                for role in (Role.TUTOR, Role.STUDENT)
            ]
        )
        tutors = TutorProfile.objects.bulk_create(
            [
                TutorProfile(
                    user=user, status=TutorStatus.PUBLISHED, headline="Bench tutor", hourly_rate=20, currency="EUR"
                )
                for user in users[0::2]
            ]
        )
        bookings = Booking.objects.bulk_create(
            [
                Booking(
                    student=student,
                    tutor=tutor,
                    start=start,
                    end=end,
                    duration_minutes=50,
                    price=20,
                    currency="EUR",
                    status=BookingStatus.CONFIRMED,
                    confirmed_at=now,
                )
                for tutor, student in zip(tutors, users[1::2], strict=True)
            ]
        )
        sessions = [classroom_session_open(booking=booking) for booking in bookings]
    seats = []
    for session, booking in zip(sessions, bookings, strict=True):
        times = {"not_before": start - timedelta(minutes=15), "expires": end}
        seats.append(
            Seat(
                session.pk,
                ClassroomTokenService.issue(user_id=booking.tutor_id, session_id=session.pk, role="tutor", **times),
                ClassroomTokenService.issue(user_id=booking.student_id, session_id=session.pk, role="student", **times),
            )
        )
    return seats


class Updates:
    """The drawers' frames, made before they are needed, one pycrdt document per room.

    Message ``gid`` goes to room ``gid % rooms`` and is frame ``gid // rooms`` of that room. Each frame is
    a y-websocket sync update (``[0, 2, varbytes(update)]``) adding one stroke element, made as a client
    makes it; the element id ``~b<gid>`` lets the watcher tell which message arrived. The same frames
    are sent to both servers.
    """

    def __init__(self, rooms: int) -> None:
        from pycrdt import Doc

        self.rooms = rooms
        self.docs: list[Doc] = [Doc(client_id=1_000_000 + room) for room in range(rooms)]
        self.frames: list[list[bytes]] = [[] for _ in range(rooms)]

    @property
    def capacity(self) -> int:
        return self.rooms * min(len(frames) for frames in self.frames)

    def ensure(self, total: int) -> None:
        """Make frames until messages ``0 .. total - 1`` exist."""
        from pycrdt import Array, Map

        from apps.classroom.realtime import protocol as y

        per_room = -(-total // self.rooms)
        for room, doc in enumerate(self.docs):
            frames = self.frames[room]
            if len(frames) >= per_room:
                continue
            elements = doc.get("elements", type=Map)
            updates: list[bytes] = []
            subscription = doc.observe(lambda event, out=updates: out.append(event.update))
            for k in range(len(frames), per_room):
                gid = k * self.rooms + room
                x, yy = 100 + (gid * 37) % 800, 100 + (gid * 53) % 1200
                points = [float(v) for i in range(8) for v in (x + 6 * i, yy + 3 * i + (i % 3))]
                elements[f"~b{gid:09d}"] = Map(
                    {
                        "type": "stroke",
                        "page": "p1",
                        "author": 1,
                        "createdAt": 1_760_000_000_000 + 25 * k,
                        "z": k,
                        "points": Array(points),
                        "color": "#1f77b4",
                        "width": 2,
                        "tool": "pen",
                    }
                )
            doc.unobserve(subscription)
            frames.extend(y.sync_message(y.SYNC_UPDATE, update) for update in updates)


# --- servers -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(command: list[str], cpu: int | None) -> list[str]:
    if cpu is None:
        return command
    return ["taskset", "-c", str(cpu), *command]


@dataclass
class Server:
    name: str
    pid: int
    port: int


def reference_versions() -> str:
    """The installed versions of the reference server's packages, and node's."""
    import json

    def version(package: str) -> str:
        with open(BOARD_DIR / "node_modules" / package / "package.json") as manifest:
            return str(json.load(manifest)["version"])

    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return (
        f"@y/websocket-server {version('@y/websocket-server')} (yjs {version('yjs')}, ws {version('ws')})"
        f" on node {node}"
    )


def ensure_node_modules() -> None:
    if not (BOARD_DIR / "node_modules" / "@y" / "websocket-server").is_dir():
        print("installing the reference server: npm ci in bench/board", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BOARD_DIR, check=True)


@contextmanager
def run_server(name: str, cpu: int | None) -> Iterator[Server]:
    port = free_port()
    if name == "M4SH":
        command = [
            sys.executable, "-m", "uvicorn", "config.asgi:application",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
            "--ws-per-message-deflate", "false",  # as `make run` and docs/operations.md (the reference: off too)
            "--ws", "apps.classroom.realtime.direct:DirectFramesProtocol",  # as `make run` and production
        ]  # fmt: skip
        env = {**SERVER_DEFAULTS, **os.environ}
        probe = "/healthz"
    elif name == "floor":
        command = [
            sys.executable, "-m", "uvicorn", "bench.board_floor:app",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
            "--ws-per-message-deflate", "false",
        ]  # fmt: skip
        env = dict(os.environ)
        probe = "/"
    elif name == "raw":
        command = [sys.executable, str(ROOT / "bench" / "board_floor_raw.py"), "--port", str(port)]
        env = dict(os.environ)
        probe = "/"
    else:
        command = ["node", str(BOARD_DIR / "node-server.mjs"), "--port", str(port), "--host", "127.0.0.1"]
        env = {key: value for key, value in os.environ.items() if key != "YPERSISTENCE"}
        probe = "/"
    process = subprocess.Popen(pinned(command, cpu), cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} server exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} server did not start")
            time.sleep(0.1)
        yield Server(name, process.pid, port)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, every thread) of a process so far."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        data = stat.read()
    fields = data[data.rindex(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def database_cpu(server_pid: int) -> dict[int, float]:
    """CPU seconds so far of the PostgreSQL backends serving ``server_pid``'s connections, by backend pid.

    The server's sockets (``/proc/<pid>/fd``) are matched to their local ports in ``/proc/net/tcp*``, and
    those to the backends' titles (``postgres: ... 127.0.0.1(<port>) ...``): other clients of the same
    database (other benchmarks, say) are not counted.
    """
    inodes = set()
    for fd in os.scandir(f"/proc/{server_pid}/fd"):
        try:
            target = os.readlink(fd.path)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                parts = line.split()
                if parts[9] in inodes and parts[2].endswith(":1538"):  # remote port 5432
                    ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    usage = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read()
            if title.startswith(b"postgres:") and any(f"({port})".encode() in title for port in ports):
                usage[int(entry.name)] = process_cpu(int(entry.name))
        except OSError:
            continue
    return usage


def thread_cpu(pid: int) -> float:
    """CPU seconds so far of a process's main thread (the event loop of uvicorn and of Node)."""
    with open(f"/proc/{pid}/task/{pid}/stat", "rb") as stat:
        data = stat.read()
    fields = data[data.rindex(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_busy() -> float:
    """CPU seconds spent so far by the whole machine, all cores (not idle, not waiting for I/O)."""
    with open("/proc/stat", "rb") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLK_TCK


# --- load generator ------------------------------------------------------------------------------------


@dataclass
class Client:
    ws: Any
    watcher: bool
    synced: asyncio.Event = field(default_factory=asyncio.Event)
    frames: int = 0
    close_code: int | None = None


class Load:
    """The clients of one server and room count, the send schedule and what arrived when."""

    def __init__(self, updates: Updates) -> None:
        self.rooms = updates.rooms
        self.updates = updates
        self.sent_at = array("d")
        self.recv_at = array("d")
        self.next_gid = 0
        self.received = 0
        self.duplicates = 0
        self.drawers: list[Client] = []
        self.watchers: list[Client] = []
        self.readers: list[asyncio.Task[None]] = []

    def reserve(self, count: int) -> None:
        """Make sure the next ``count`` messages exist (made now, before the step, not while it runs)."""
        total = self.next_gid + count
        self.updates.ensure(total)
        if len(self.sent_at) < total:
            more = bytes(8 * (total - len(self.sent_at)))
            self.sent_at.frombytes(more)
            self.recv_at.frombytes(more)

    async def connect(self, port: int, seats: list[Seat]) -> None:
        from websockets.asyncio.client import connect

        from apps.classroom.realtime import protocol as y

        gate = asyncio.Semaphore(16)
        hello = [y.sync_message(y.SYNC_STEP1, b"\x00"), y.sync_message(y.SYNC_STEP2, b"\x00\x00")]

        async def open_client(seat: Seat, watcher: bool) -> Client:
            token = seat.student_token if watcher else seat.tutor_token
            url = f"ws://127.0.0.1:{port}/ws/classroom/{seat.session_id}/board?token={token}"
            async with gate:
                ws = await connect(url, compression=None, max_size=None, max_queue=None, ping_interval=None)
            client = Client(ws, watcher)
            self.readers.append(asyncio.create_task(self.read_loop(client)))
            for frame in hello:  # what y-websocket sends on open: step 1 (empty state), step 2 (nothing new)
                await ws.send(frame)
            await asyncio.wait_for(client.synced.wait(), 30)
            return client

        pairs = await asyncio.gather(
            *(asyncio.gather(open_client(seat, False), open_client(seat, True)) for seat in seats[: self.rooms])
        )
        self.drawers = [drawer for drawer, _ in pairs]
        self.watchers = [watcher for _, watcher in pairs]

    async def read_loop(self, client: Client) -> None:
        from websockets.exceptions import ConnectionClosed

        recv_at, clock = self.recv_at, time.perf_counter
        try:
            async for frame in client.ws:
                client.frames += 1
                if frame[0] != 0:
                    continue
                if frame[1] == 2:
                    if not client.watcher:
                        continue  # the reference server echoes to the sender
                    now = clock()
                    at = frame.find(MARK, 3)
                    if at < 0:
                        continue
                    gid = int(frame[at + 3 : at + 12])
                    if gid >= len(recv_at):
                        continue
                    if recv_at[gid] == 0.0:
                        recv_at[gid] = now
                        self.received += 1
                    else:
                        self.duplicates += 1
                elif frame[1] == 1:
                    client.synced.set()
        except ConnectionClosed:
            pass
        finally:
            client.close_code = client.ws.close_code

    def closed(self) -> int:
        return sum(1 for client in self.drawers + self.watchers if client.close_code is not None)

    async def close(self) -> None:
        await asyncio.gather(*(client.ws.close() for client in self.drawers + self.watchers), return_exceptions=True)
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)

    async def send_schedule(self, rate: float, count: int, started: float) -> list[float]:
        """Send ``count`` messages at ``rate``/s from ``started``; returns how late each batch went out (s)."""
        rooms, frames, sent_at = self.rooms, self.updates.frames, self.sent_at
        clock, first, done, lateness = time.perf_counter, self.next_gid, 0, []
        while done < count:
            now = clock()
            due = min(count, int((now - started) * rate) + 1)
            if due > done:
                lateness.append(now - (started + done / rate))
            while done < due:
                gid = first + done
                room = gid % rooms
                sent_at[gid] = clock()
                await self.drawers[room].ws.send(frames[room][gid // rooms])
                done += 1
            await asyncio.sleep(0.001)
        self.next_gid = first + count
        return lateness


@dataclass
class Step:
    rate: int
    offered: float  # messages sent in the window / s
    delivered: float  # messages delivered in the window / s
    reach: float  # delivered / sent, for the window's messages (after the drain)
    p50: float
    p99: float
    worst: float
    server_cpu: float  # share of one core
    cpu_us: float  # server CPU µs per delivered message
    loop_us: float  # of which the server's main thread (the event loop)
    db_us: float | None
    gen_cpu: float
    gen_lag_max: float  # ms
    other_cpu: float  # CPU used meanwhile by everything else on the machine, in cores
    send_late_p99: float  # ms
    closed: int
    p99_runs: tuple[float, ...] = ()  # p99 of each run, when the step was repeated

    @property
    def goal_p99(self) -> float:
        """p99 for the goal: the median over the runs of a repeated step."""
        return statistics.median(self.p99_runs) if self.p99_runs else self.p99

    @property
    def kept_up(self) -> bool:
        return self.reach >= 1.0 and self.delivered >= KEEP_UP_DELIVERED * self.rate and self.p99 <= KEEP_UP_P99_MS


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(fraction * len(sorted_values)) - 1))]


async def loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    """How late a 5 ms sleep wakes up: the generator's event-loop delay."""
    clock = time.perf_counter
    while not stop.is_set():
        before = clock()
        await asyncio.sleep(0.005)
        samples.append(clock() - before - 0.005)


async def run_step(
    load: Load, server: Server, rate: int, warmup: float, seconds: float, db: bool, profile: Path | None = None
) -> Step:
    count = int(rate * (warmup + seconds))
    load.reserve(count)
    first = load.next_gid
    started = time.perf_counter() + 0.05
    window = (started + warmup, started + warmup + seconds)
    samples: dict[str, tuple[float, float, float, float, dict[int, float], float]] = {}
    lag: list[float] = []
    stop_lag = asyncio.Event()

    async def sample(name: str, at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        samples[name] = (
            time.perf_counter(),
            process_cpu(server.pid),
            thread_cpu(server.pid),
            time.process_time(),
            database_cpu(server.pid) if db else {},
            machine_busy(),
        )

    samplers = [asyncio.create_task(sample("from", window[0])), asyncio.create_task(sample("to", window[1]))]
    if profile is not None:
        samplers.append(asyncio.create_task(record_profile(server.pid, window[0], seconds, profile)))
    lag_task = asyncio.create_task(loop_lag(lag, stop_lag))
    lateness = await load.send_schedule(rate, count, started)
    await asyncio.gather(*samplers)
    stop_lag.set()
    await lag_task
    drain_until = time.perf_counter() + DRAIN_SECONDS
    while load.received < load.next_gid and time.perf_counter() < drain_until and not load.closed():
        await asyncio.sleep(0.05)

    (t0, cpu0, main0, gen0, db0, busy0), (t1, cpu1, main1, gen1, db1, busy1) = samples["from"], samples["to"]
    elapsed = t1 - t0
    sent_at, recv_at = load.sent_at, load.recv_at
    in_window = [gid for gid in range(first, first + count) if t0 <= sent_at[gid] < t1]
    latencies = sorted((recv_at[g] - sent_at[g]) * 1000 for g in in_window if recv_at[g] > 0.0)
    delivered = sum(1 for g in range(first, first + count) if t0 <= recv_at[g] < t1)
    db_cpu = sum(db1[pid] - db0.get(pid, 0.0) for pid in db1) if db else None
    window_lag = sorted(value * 1000 for value in lag)
    return Step(
        rate=rate,
        offered=len(in_window) / elapsed,
        delivered=delivered / elapsed,
        reach=len(latencies) / len(in_window) if in_window else 0.0,
        p50=percentile(latencies, 0.50),
        p99=percentile(latencies, 0.99),
        worst=latencies[-1] if latencies else math.nan,
        server_cpu=(cpu1 - cpu0) / elapsed,
        cpu_us=(cpu1 - cpu0) / delivered * 1e6 if delivered else math.inf,
        loop_us=(main1 - main0) / delivered * 1e6 if delivered else math.inf,
        db_us=db_cpu / delivered * 1e6 if db_cpu is not None and delivered else None,
        gen_cpu=(gen1 - gen0) / elapsed,
        gen_lag_max=window_lag[-1] if window_lag else math.nan,
        other_cpu=max(0.0, (busy1 - busy0) - (cpu1 - cpu0) - (gen1 - gen0) - (db_cpu or 0.0)) / elapsed,
        send_late_p99=percentile(sorted(v * 1000 for v in lateness), 0.99),
        closed=load.closed(),
    )


def py_spy() -> str | None:
    """py-spy next to this interpreter or on the PATH (it is not a project dependency: ``pip install py-spy``)."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


async def record_profile(pid: int, at: float, seconds: float, output: Path) -> None:
    """py-spy (raw collapsed stacks of the thread holding the GIL) on the server for the measured window.

    py-spy runs on the generator's core and reads the server without pausing it, but it still costs the
    server some time: use the profile to see where the time goes, not the step's numbers.
    """
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    command = [
        str(py_spy()), "record", "--pid", str(pid), "--duration", str(round(seconds)),
        "--rate", "200", "--nonblocking", "--format", "raw", "--output", str(output),
    ]  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    await process.wait()


async def wait_for_quiet(server: Server, limit: float, patience: float = 30.0) -> None:
    """Wait (up to ``patience`` s) until the rest of the machine uses less than ``limit`` cores."""
    deadline = time.perf_counter() + patience
    while time.perf_counter() < deadline:
        busy, cpu, mine = machine_busy(), process_cpu(server.pid), time.process_time()
        await asyncio.sleep(0.5)
        other = machine_busy() - busy - (process_cpu(server.pid) - cpu) - (time.process_time() - mine)
        if other / 0.5 < limit:
            return


async def run_rate(
    name: str, load: Load, server: Server, rate: int, args: argparse.Namespace, db: bool
) -> tuple[Step, list[str]]:
    """One step of the ladder on one server; run again while the rest of the machine was busy.

    A step during which the other processes on the machine used more than ``--max-other`` cores is run
    again (up to ``--tries`` times); the quietest try counts. Returns it and the log lines of every try.
    """
    profile = None
    if args.profile and name == "M4SH":
        args.profile.mkdir(parents=True, exist_ok=True)
        profile = args.profile / f"m4sh-{load.rooms}-rooms-{rate}.txt"
    tries: list[Step] = []
    lines: list[str] = []
    for attempt in range(args.tries):
        # a server's first step warms up longer (the JIT of Node, the first allocations of both)
        warmup = args.warmup * (3 if load.next_gid == 0 else 1)
        load.reserve(int(rate * (warmup + args.seconds)))
        await wait_for_quiet(server, args.max_other)
        step = await run_step(load, server, rate, warmup, args.seconds, db, profile)
        tries.append(step)
        again = step.other_cpu > args.max_other and attempt + 1 < args.tries and not step.closed
        lines.append(row(step) + ("  (busy machine: again)" if again else ""))
        print(f"{name:<5}{load.rooms:>4} rooms" + lines[-1], flush=True)
        if not again:
            break
    step = min(tries, key=lambda candidate: candidate.other_cpu)
    if step is not tries[-1]:
        lines.append(row(step) + "  (the quietest try counts)")
    return step, lines


async def run_room_count(
    updates: Updates, seats: list[Seat], servers: list[str], args: argparse.Namespace, vendor: str
) -> dict[str, tuple[list[Step], list[str]]]:
    """Every server for one room count: start them and connect their clients, then climb the ladder of
    rates, each step on one server after the other (the order alternates), so that both see the same
    machine. Only one server has load at a time; a server leaves the ladder at its first step that does
    not keep up. The goal rate is run ``--repeat`` times on each server (A B B A A B ...) and the run with
    the median CPU per message counts."""
    results: dict[str, tuple[list[Step], list[str]]] = {name: ([], []) for name in servers}
    loads: dict[str, Load] = {}
    with contextlib.ExitStack() as stack:
        try:
            running = {}
            for name in servers:
                running[name] = stack.enter_context(run_server(name, args.server_cpu))
                loads[name] = Load(updates)
                await loads[name].connect(running[name].port, seats)
            await asyncio.sleep(1.0)  # let the connection burst settle
            gc.collect()
            gc.freeze()  # nothing made so far is garbage: keep the generator's full collections short
            climbing = list(servers)
            turn = 0
            for rate in args.rates:
                rounds: dict[str, list[Step]] = {name: [] for name in climbing}
                for _ in range(args.repeat if rate == GOAL_RATE else 1):
                    for name in climbing if turn % 2 == 0 else climbing[::-1]:
                        db = vendor == "postgresql" and name == "M4SH"
                        step, lines = await run_rate(name, loads[name], running[name], rate, args, db)
                        rounds[name].append(step)
                        results[name][1].extend(lines)
                    turn += 1
                for name, steps in rounds.items():
                    step = sorted(steps, key=lambda candidate: candidate.cpu_us)[len(steps) // 2]
                    if len(steps) > 1:
                        step = dataclasses.replace(step, p99_runs=tuple(run.p99 for run in steps))
                        results[name][1].append(
                            row(step) + f"  (median CPU of {len(steps)} runs; median p99 {step.goal_p99:.2f} ms)"
                        )
                    results[name][0].append(step)
                climbing = [
                    name for name in climbing if results[name][0][-1].kept_up and not results[name][0][-1].closed
                ]
                if not climbing:
                    break
        finally:
            for load in loads.values():
                await load.close()
    return results


# --- report --------------------------------------------------------------------------------------------

HEADER = (
    f"{'offered':>8}{'sent/s':>8}{'deliv/s':>8}{'reach%':>8}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
    f"{'srv CPU':>8}{'µs/msg':>8}{'loop µs':>8}{'db µs':>7}{'gen CPU':>8}{'lag max':>8}{'late':>6}{'other':>7}"
    f"{'closed':>7}  kept up"
)


def row(step: Step) -> str:
    db = f"{step.db_us:>7.0f}" if step.db_us is not None else f"{'-':>7}"
    return (
        f"{step.rate:>8}{step.offered:>8.0f}{step.delivered:>8.0f}{step.reach * 100:>8.2f}{step.p50:>8.2f}"
        f"{step.p99:>8.2f}{step.worst:>8.1f}{step.server_cpu * 100:>7.0f}%{step.cpu_us:>8.0f}{step.loop_us:>8.0f}{db}"
        f"{step.gen_cpu * 100:>7.0f}%{step.gen_lag_max:>8.1f}{step.send_late_p99:>6.1f}{step.other_cpu * 100:>6.0f}%"
        f"{step.closed:>7}  {'yes' if step.kept_up else 'NO'}"
    )


def at_rate(steps: list[Step], rate: int) -> Step | None:
    return next((step for step in steps if step.rate == rate), None)


def sustained(steps: list[Step]) -> int:
    return max((step.rate for step in steps if step.kept_up), default=0)


def cpu_ratios(
    results: dict[tuple[str, int], list[Step]], other: str, title: str, room_counts: list[int], rates: list[int]
) -> None:
    """Print M4SH's CPU per delivered message over ``other``'s, by room count and offered rate."""
    print(f"\nCPU per delivered message, M4SH / {title} (µs, ratio), by room count and offered rate")
    print(f"{'rooms':>6}" + "".join(f"{rate:>22}" for rate in rates))
    for rooms in room_counts:
        cells = []
        for rate in rates:
            mine, theirs = at_rate(results[("M4SH", rooms)], rate), at_rate(results[(other, rooms)], rate)
            cells.append(
                f"{mine.cpu_us:.0f}/{theirs.cpu_us:.0f} = {mine.cpu_us / theirs.cpu_us:.2f}" if mine and theirs else "-"
            )
        print(f"{rooms:>6}" + "".join(f"{cell:>22}" for cell in cells))


def summary(results: dict[tuple[str, int], list[Step]], room_counts: list[int], rates: list[int]) -> bool:
    cpu_ratios(results, "node", "reference", room_counts, rates)

    lo, hi = min(room_counts), max(room_counts)
    print(f"\nGrowth from {lo} to {hi} rooms at {GOAL_RATE} msg/s (CPU per message, p99)")
    growth: dict[str, float] = {}
    for name in ("M4SH", "node"):
        a, b = at_rate(results[(name, lo)], GOAL_RATE), at_rate(results[(name, hi)], GOAL_RATE)
        if a and b:
            growth[name] = b.cpu_us / a.cpu_us
            print(
                f"  {name:<5} {a.cpu_us:.0f} -> {b.cpu_us:.0f} µs/msg (x{growth[name]:.2f}),"
                f" p99 {a.goal_p99:.2f} -> {b.goal_p99:.2f} ms, sustained {sustained(results[(name, lo)])}"
                f" -> {sustained(results[(name, hi)])} msg/s"
            )

    print("\nGoals (M4SH, server on one core)")
    verdicts = []
    ratios = {}
    for rooms in room_counts:
        mine, ref = at_rate(results[("M4SH", rooms)], GOAL_RATE), at_rate(results[("node", rooms)], GOAL_RATE)
        ratios[rooms] = mine.cpu_us / ref.cpu_us if mine and ref else math.inf
    ok = all(ratio <= 1.0 for ratio in ratios.values())
    verdicts.append(ok)
    detail = ", ".join(f"{rooms} rooms {ratio:.2f}" for rooms, ratio in ratios.items())
    print(
        f"  CPU per message <= reference's at {GOAL_RATE} msg/s (ratio <= 1.0, medians): {detail}:"
        f" {'met' if ok else 'NOT met'}"
    )
    at_goal = {rooms: at_rate(results[("M4SH", rooms)], GOAL_RATE) for rooms in room_counts}
    ok = all(step is not None and step.goal_p99 <= GOAL_P99_MS for step in at_goal.values())
    verdicts.append(ok)
    detail = ", ".join(
        f"{rooms} rooms {step.goal_p99:.2f} ms"
        + (f" ({' / '.join(f'{v:.1f}' for v in step.p99_runs)})" if step.p99_runs else "")
        if step
        else f"{rooms} rooms -"
        for rooms, step in at_goal.items()
    )
    print(
        f"  p99 <= {GOAL_P99_MS:.0f} ms at {GOAL_RATE} msg/s (median of the runs): {detail}:",
        "met" if ok else "NOT met",
    )
    kept = {rooms: sustained(results[("M4SH", rooms)]) for rooms in room_counts}
    ok = all(value >= GOAL_SUSTAINED for value in kept.values())
    verdicts.append(ok)
    detail = ", ".join(f"{rooms} rooms {value}" for rooms, value in kept.items())
    top = max(rates)
    note = f" (the ladder stops at {top})" if any(value == top for value in kept.values()) else ""
    print(f"  >= {GOAL_SUSTAINED} msg/s kept up: {detail} msg/s{note}: {'met' if ok else 'NOT met'}")
    value, reference = growth.get("M4SH", math.inf), growth.get("node", math.inf)
    ok = value <= max(GOAL_GROWTH, reference)
    verdicts.append(ok)
    print(
        f"  no super-linear growth {lo} -> {hi} rooms (CPU/msg x{value:.2f}; goal: at most x{GOAL_GROWTH} or the"
        f" reference's x{reference:.2f}): {'met' if ok else 'NOT met'}"
    )
    return all(verdicts)


# --- main ----------------------------------------------------------------------------------------------


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rooms", type=numbers, default=[25, 100, 200])
    parser.add_argument("--rates", type=numbers, default=[800, 1500, 2000, 3000, 4000])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per step")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each measured window")
    parser.add_argument(
        "--servers", default="M4SH,node", help="which servers to run: M4SH, node, floor, raw (M4SH,node by default)"
    )
    parser.add_argument("--repeat", type=int, default=3, help=f"runs at {GOAL_RATE} msg/s (the median counts)")
    parser.add_argument("--tries", type=int, default=3, help="runs of a step while the machine is busy")
    parser.add_argument("--max-other", type=float, default=0.25, help="busy: other processes used more cores than this")
    parser.add_argument("--server-cpu", type=int, default=1)
    parser.add_argument("--client-cpu", type=int, default=0)
    parser.add_argument(
        "--profile", type=Path, help="record py-spy profiles of the M4SH server into this folder (slows it down)"
    )
    args = parser.parse_args()
    if args.profile and py_spy() is None:
        parser.error("--profile needs py-spy: pip install py-spy")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    servers = [name for name in ("M4SH", "node", "floor", "raw") if name.lower() in args.servers.lower().split(",")]

    if len(os.sched_getaffinity(0)) < 2 or not shutil.which("taskset"):
        print("fewer than 2 cores or no taskset: server and generator are not pinned")
        args.server_cpu = args.client_cpu = None
    else:
        os.sched_setaffinity(0, {args.client_cpu})
    if "node" in servers:
        ensure_node_modules()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from apps.classroom.realtime.direct import PROTOCOL_PATH

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    if "M4SH" in servers:
        seats = seed_lessons(sum(args.rooms))
    else:  # the reference server takes any room name and no token
        seats = [Seat(index + 1, "", "") for index in range(sum(args.rooms))]
    connection.close()
    bus = "RedisBus" if settings.REDIS_URL else "LocalBus"
    knobs = {key: os.environ.get(key, value) for key, value in SERVER_DEFAULTS.items()}
    knobs |= {"BOARD_FLUSH_MS": str(settings.BOARD_FLUSH_MS), "BOARD_SEND_QUEUE": str(settings.BOARD_SEND_QUEUE)}
    print(
        f"Whiteboard relay on {vendor}: the server pinned to cpu {args.server_cpu}, this generator to cpu"
        f" {args.client_cpu}; {args.warmup:g} s warm-up + {args.seconds:g} s measured per step\n"
        f"M4SH: uvicorn config.asgi:application --ws {PROTOCOL_PATH}, 1 process, {bus}; "
        + ", ".join(f"{key}={value}" for key, value in knobs.items())
        + f"\nreference: {reference_versions()}, in memory\n"
        "columns: offered = target msg/s; sent/s, deliv/s = measured in the window; srv CPU = the server's CPU"
        " (share of its core); µs/msg = server CPU per delivered message; loop µs = of which its main thread;"
        " db µs = CPU of its PostgreSQL backends per delivered message; gen CPU, lag max (ms), late (ms) = the"
        " load generator's CPU, longest event-loop delay and p99 lateness of its sends; other = CPU used meanwhile by"
        " every other process on the machine (% of one core)",
        flush=True,
    )

    results: dict[tuple[str, int], list[Step]] = {}
    offset = 0
    for rooms in args.rooms:
        began = time.perf_counter()
        updates = Updates(rooms)
        updates.ensure(int(args.rates[0] * (args.warmup + args.seconds)))
        print(
            f"\n{rooms} rooms x 2 clients per server: first {updates.capacity} updates made in"
            f" {time.perf_counter() - began:.1f} s ({len(updates.frames[0][0])} bytes each); steps as they run:",
            flush=True,
        )
        room_seats = seats[offset : offset + rooms]
        offset += rooms
        done = asyncio.run(run_room_count(updates, room_seats, servers, args, vendor))
        for name in servers:
            steps, lines = done[name]
            results[(name, rooms)] = steps
            print(f"\n{name}, {rooms} rooms ({2 * rooms} clients)\n{HEADER}", flush=True)
            print("\n".join(lines), flush=True)
        del updates

    for floor, title in (("floor", "floor"), ("raw", "raw floor")):
        if floor in servers and "M4SH" in servers:
            cpu_ratios(results, floor, title, args.rooms, args.rates)
    if not {"M4SH", "node"} <= set(servers):
        return 0
    return 0 if summary(results, args.rooms, args.rates) else 1


if __name__ == "__main__":
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    sys.exit(main())
