"""Soak: several clients' mixed load on a ``dlwidgets serve`` that is killed and restarted every 30 s.

Starts ``dlwidgets serve`` on a fresh workspace and kills it with SIGKILL every ``--restart-every``
seconds, restarting it on the same port at once. Meanwhile ``--clients`` client processes, each with its
own token and folder, pick one operation after another at random: upload an item, write an annotation
(each carries a unique ``objectId``), list their folder, download an item and check its sha256, or bump a
counter in an item's metadata. Clients retry as the library does (its ``RetryTransport``, given room to
wait out a restart); an operation that still fails is counted as failed and the client goes on.

Afterwards the workspace is opened embedded and checked against what the clients were told:

- duplicates: annotations whose ``objectId`` is stored more than once (goal 0);
- lost writes: acknowledged uploads missing or with other bytes, acknowledged annotations missing,
  metadata counters below the last acknowledged value (goal 0).

Also reported: requests served (answers below 500, counted by the clients), failed operations by kind,
the server's open files and resident memory from 3 s after each start to just before its kill (the
largest growth of any life), and the clients' own growth over the whole run.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--clients 4] [--restart-every 30]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from _common import Figure, progress, report, scratch
from serving import free_port

import dlwidgets as dw
from dlwidgets.api.client import Client
from dlwidgets.api.retry import RetryTransport
from dlwidgets.server import create_token, workspace_secret

OWNER = "owner@example.com"
# Operations and how often each is picked.
MIX = {"upload": 3, "annotate": 4, "list": 2, "download": 3, "metadata": 2}
# The client's retries wait up to about a minute in all: longer than a restart takes on a busy machine.
RETRY_ATTEMPTS = 9


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """``dlwidgets serve`` on a fixed port, killed and restarted on demand; samples each life's start
    (3 s in) and end (just before the kill) for open files and resident memory."""

    def __init__(self, home: Path, port: int, log: Path) -> None:
        self.home, self.port, self.log = home, port, log
        self.process: subprocess.Popen[bytes] | None = None
        self.lives: list[dict[str, float]] = []

    def start(self) -> None:
        command = [sys.executable, "-m", "dlwidgets.cli", "serve", "--port", str(self.port)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*command, "--home", str(self.home)], stdout=log, stderr=log)
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dlwidgets serve did not start; see {self.log}") from None
                time.sleep(0.05)
        self.lives.append({"started": time.monotonic()})

    def sample(self) -> None:
        """Record the current life's figures: the first sample 3 s in, the last one each time after."""
        assert self.process is not None
        life = self.lives[-1]
        try:
            figures = (open_files(self.process.pid), resident_mib(self.process.pid))
        except (FileNotFoundError, ProcessLookupError):
            return
        if "fds_start" not in life:
            if time.monotonic() - life["started"] >= 3:
                life["fds_start"], life["rss_start"] = figures
            return
        life["fds_end"], life["rss_end"] = figures

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def supervise(server: Server, restart_every: float, stop: threading.Event) -> None:
    """Sample the server every half second and kill and restart it every ``restart_every`` seconds."""
    next_kill = time.monotonic() + restart_every if restart_every > 0 else float("inf")
    while not stop.wait(0.5):
        server.sample()
        if time.monotonic() >= next_kill:
            server.kill()
            server.start()
            next_kill = time.monotonic() + restart_every


class Load:
    """One client's operations and what the server acknowledged."""

    def __init__(self, client: Client, dataset: dw.Dataset, index: int) -> None:
        self.client, self.dataset, self.index = client, dataset, index
        self.folder = f"/client-{index}"
        self.items: dict[str, dw.Item] = {}
        self.uploads: dict[str, str] = {}  # acknowledged: filename -> sha256
        self.annotations: list[str] = []  # acknowledged objectIds
        self.attempted: list[str] = []  # objectIds whose write raised: stored once or not at all
        self.counters: dict[str, int] = {}  # acknowledged metadata counter per filename
        self.sent_counters: dict[str, int] = {}
        self.mismatched_reads = 0
        self.served = self.errors_5xx = 0
        self.failed: collections.Counter[str] = collections.Counter()
        self.examples: dict[str, str] = {}  # the first message of each kind of failure
        self.n = 0

    def count(self, response: httpx.Response) -> None:
        if response.status_code >= 500:
            self.errors_5xx += 1
        else:
            self.served += 1

    def step(self, rng: random.Random) -> None:
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0] if self.items else "upload"
        self.n += 1
        try:
            getattr(self, kind)(rng)
        except Exception as e:  # every failure counts; the run goes on
            self.failed[f"{kind}: {type(e).__name__}"] += 1
            self.examples.setdefault(f"{kind}: {type(e).__name__}", str(e)[:300])
            time.sleep(0.2)

    def upload(self, rng: random.Random) -> None:
        data = os.urandom(rng.randint(1_000, 200_000))
        name = f"{self.n:06d}.bin"
        item = self.dataset.items.upload(local_path=data, remote_path=self.folder, remote_name=name)
        assert isinstance(item, dw.Item)
        self.items[item.filename] = item
        self.uploads[item.filename] = hashlib.sha256(data).hexdigest()

    def annotate(self, rng: random.Random) -> None:
        item = self.items[rng.choice(list(self.items))]
        marker = f"c{self.index}-{self.n}"
        builder = item.annotations.builder()
        x, y = rng.randint(0, 500), rng.randint(0, 500)
        builder.add(dw.Box(top=y, left=x, bottom=y + 20, right=x + 30, label="thing"), object_id=marker)
        try:
            item.annotations.upload(builder)
        except Exception:
            self.attempted.append(marker)
            raise
        self.annotations.append(marker)

    def list(self, rng: random.Random) -> None:
        filters = dw.Filters()
        filters.add(field="dir", values=self.folder)
        page = next(iter(self.dataset.items.list(filters=filters, page_size=100)))
        assert len(page) > 0

    def download(self, rng: random.Random) -> None:
        filename = rng.choice(list(self.items))
        if hashlib.sha256(self.items[filename].read()).hexdigest() != self.uploads[filename]:
            self.mismatched_reads += 1

    def metadata(self, rng: random.Random) -> None:
        filename = rng.choice(list(self.items))
        value = self.sent_counters.get(filename, 0) + 1
        self.sent_counters[filename] = value
        item = self.items[filename]
        item.metadata.setdefault("user", {})["soak"] = value
        self.items[filename] = item.update()
        self.counters[filename] = value

    def result(self) -> dict[str, Any]:
        return {
            "uploads": self.uploads,
            "annotations": self.annotations,
            "attempted": self.attempted,
            "counters": self.counters,
            "mismatched_reads": self.mismatched_reads,
            "served": self.served,
            "errors_5xx": self.errors_5xx,
            "failed": dict(self.failed),
            "examples": self.examples,
            "operations": self.n,
        }


def client_process(index: int) -> None:
    """One client: run the mixed load until the deadline, then print ``RESULT <json>``."""
    url, token, deadline = os.environ["SOAK_URL"], os.environ["SOAK_TOKEN"], float(os.environ["SOAK_UNTIL"])
    transport = RetryTransport(httpx.HTTPTransport(), attempts=RETRY_ATTEMPTS)
    client = Client(url, token=token, transport=transport)
    dataset = client.projects.get(project_name="soak").datasets.get(dataset_name="d")
    load = Load(client, dataset, index)
    client.http.event_hooks = {"request": [], "response": [load.count]}
    rng = random.Random(index)
    for _ in range(20):  # warm up before the baseline of this process's own growth
        load.step(rng)
    fds, rss = open_files(os.getpid()), resident_mib(os.getpid())
    while time.time() < deadline:
        load.step(rng)
    result = load.result()
    result["fds_growth"] = open_files(os.getpid()) - fds
    result["rss_growth"] = resident_mib(os.getpid()) - rss
    print("RESULT " + json.dumps(result), flush=True)


def check(home: Path, results: list[dict[str, Any]]) -> dict[str, int]:
    """Open the workspace embedded and count duplicates and lost writes against the clients' results."""
    with dw.connect(home=home) as client:
        dataset = client.projects.get(project_name="soak").datasets.get(dataset_name="d")
        items = {item.filename: item for page in dataset.items.list() for item in page}
        annotations = dataset.items.list(filters=dw.Filters(resource="annotations"))
        stored = collections.Counter(a.object_id for page in annotations for a in page)
        lost_uploads = sum(
            1
            for r in results
            for filename, sha in r["uploads"].items()
            if filename not in items or hashlib.sha256(items[filename].read()).hexdigest() != sha
        )
        lost_counters = sum(
            1
            for r in results
            for filename, value in r["counters"].items()
            if (items[filename].metadata.get("user") or {}).get("soak", 0) < value
        )
    return {
        "duplicates": sum(1 for count in stored.values() if count > 1),
        "lost uploads": lost_uploads,
        "lost annotations": sum(1 for r in results for m in r["annotations"] if stored[m] == 0),
        "lost metadata": lost_counters,
        "stored annotations": sum(stored.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--restart-every", type=float, default=30.0, help="seconds; 0 never restarts")
    args = parser.parse_args()
    with scratch("soak") as tmp:
        home = tmp / "workspace"
        secret = workspace_secret(home)
        server = Server(home, free_port(), tmp / "serve.log")
        server.start()
        url = f"http://127.0.0.1:{server.port}/api/v1"
        owner = dw.connect(url, token=create_token(secret, OWNER))
        project = owner.projects.create(project_name="soak")
        project.datasets.create(dataset_name="d").add_label("thing", "#00ff00")
        emails = [f"client{i}@example.com" for i in range(args.clients)]
        for email in emails:
            owner.request("POST", f"/projects/{project.id}/members/{email}", json={"role": "engineer"})
        owner.close()

        stop = threading.Event()
        supervisor = threading.Thread(target=supervise, args=(server, args.restart_every, stop))
        supervisor.start()
        until = time.time() + args.minutes * 60
        progress(f"{args.clients} clients for {args.minutes} min, server killed every {args.restart_every} s")
        processes = [
            subprocess.Popen(
                [sys.executable, __file__, "--client", str(i)],
                env={**os.environ, "SOAK_URL": url, "SOAK_TOKEN": create_token(secret, email)}
                | {"SOAK_UNTIL": str(until)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i, email in enumerate(emails)
        ]
        results = []
        try:
            for process in processes:
                out, err = process.communicate(timeout=args.minutes * 60 + 600)
                lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
                if process.returncode != 0 or not lines:
                    raise RuntimeError(f"a client failed:\n{out[-2000:]}\n{err[-2000:]}")
                results.append(json.loads(lines[-1].removeprefix("RESULT ")))
        finally:
            stop.set()
            supervisor.join()
            server.kill()
        found = check(home, results)

    failed: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    for r in results:
        failed.update(r["failed"])
        examples.update(r["examples"])
    for kind, count in failed.most_common():
        progress(f"failed operations, {kind}: {count}, e.g. {examples[kind]}")
    lives = [life for life in server.lives if "fds_end" in life]
    return report(
        Figure(f"{args.clients} clients, {args.minutes:g} min: requests served",
               sum(r["served"] for r in results), "requests"),
        Figure("  operations", sum(r["operations"] for r in results), "ops"),
        Figure("  server kills and restarts", len(server.lives) - 1, "kills"),
        Figure("  duplicates (an annotation stored twice)", found["duplicates"], "writes", 0,
               higher_is_better=False),
        Figure("  lost writes: uploads", found["lost uploads"], "writes", 0, higher_is_better=False),
        Figure("  lost writes: annotations", found["lost annotations"], "writes", 0, higher_is_better=False),
        Figure("  lost writes: metadata updates", found["lost metadata"], "writes", 0,
               higher_is_better=False),
        Figure("  downloads whose sha256 differed", sum(r["mismatched_reads"] for r in results), "reads", 0,
               higher_is_better=False),
        Figure("  answers 5xx", sum(r["errors_5xx"] for r in results), "answers"),
        Figure("  operations failed after retries", sum(failed.values()), "ops"),
        Figure("  acknowledged: uploads", sum(len(r["uploads"]) for r in results), "items"),
        Figure("  acknowledged: annotations", sum(len(r["annotations"]) for r in results), "writes"),
        Figure("  server open files growth in a life (max)",
               max((life["fds_end"] - life["fds_start"] for life in lives), default=0), "files"),
        Figure("  server memory growth in a life (max)",
               max((life["rss_end"] - life["rss_start"] for life in lives), default=0), "MiB"),
        Figure("  clients' open files growth over the run (max)", max(r["fds_growth"] for r in results),
               "files"),
        Figure("  clients' memory growth over the run (max)", max(r["rss_growth"] for r in results), "MiB"),
    )  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--client"]:
        client_process(int(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
