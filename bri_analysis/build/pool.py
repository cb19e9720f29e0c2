"""The builder's own worker pool: one failure stays one failure.

Each worker is a process started with ``exec`` (``python -m bri_analysis.build.warm``), so
it inherits neither the lock nor anything else of the parent; it dies with the parent
(``lifeline``). The pool hands out one task at a time per worker. A worker that dies fails
the report it was running, naming the running cell, and is replaced; the rest of the batch
goes on (a ``ProcessPoolExecutor`` breaks as a whole when one of its processes dies).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from bri_analysis.build import lifeline
from bri_analysis.build.warm import WorkerConfig
from bri_analysis.build.worker import Outcome, Task, first_line, now

MAX_WARMUP_DEATHS = 3  # workers dying before they are ready: stop replacing them


@dataclass
class Note:
    """A line to show once (e.g. why kernels are cold)."""

    text: str


class _Worker:
    def __init__(self, number: int, config: WorkerConfig, log: Path) -> None:
        ours, theirs = socket.socketpair()
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bri_analysis.build.warm",
                    str(theirs.fileno()),
                    str(os.getpid()),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(config)
        self.number = number
        self.ready = False
        self.task: Task | None = None
        self.cell: int | None = None

    def give(self, task: Task) -> None:
        self.task, self.cell = task, None
        self.conn.send(("task", task))

    def death(self) -> str:
        """Why the worker is gone, with the last line of its log."""
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:  # killed by a signal: its log is beside the point
            return lifeline.describe_status(code)
        tail = _last_line(self.log)
        return f"exited with code {code}" + (f"; its log says: {tail}" if tail else "")


class Pool:
    """``size`` warm workers building ``Task``s; ``run`` yields ``Outcome``s and ``Note``s."""

    def __init__(self, size: int, config: WorkerConfig, log_dir: Path) -> None:
        self.size = size
        self.config = config
        self.log_dir = log_dir
        self.workers: list[_Worker] = []
        self.queue: deque[Task] = deque()
        self._started = 0
        self._warmup_deaths = 0

    def _spawn(self) -> None:
        self._started += 1
        log = self.log_dir / f"worker-{self._started}.log"
        self.workers.append(_Worker(self._started, self.config, log))

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome | Note]:
        self.queue = deque(tasks)
        for _ in range(min(self.size, len(tasks))):
            self._spawn()
        while self.queue or any(w.task for w in self.workers):
            if not self.workers:
                yield from self._fail_queue("no worker process could be started")
                return
            ready = wait([w.conn for w in self.workers], timeout=1.0)
            for worker in [w for w in self.workers if w.conn in ready]:
                yield from self._receive(worker)
            for worker in [
                w for w in self.workers if w.proc.poll() is not None and w.conn not in ready
            ]:
                yield from self._lost(worker)
            for worker in self.workers:
                if worker.ready and worker.task is None and self.queue:
                    worker.give(self.queue.popleft())

    def _receive(self, worker: _Worker) -> Iterator[Outcome | Note]:
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                kind = message[0]
                if kind == "ready":
                    worker.ready = True
                    if message[3]:
                        yield Note(message[3])
                elif kind == "cell":
                    worker.cell = message[2]
                elif kind == "done":
                    worker.task = None
                    yield message[1]
        except (EOFError, OSError):
            yield from self._lost(worker)

    def _lost(self, worker: _Worker) -> Iterator[Outcome | Note]:
        """A worker died: fail its report, replace it if work is left."""
        if worker not in self.workers:
            return
        self.workers.remove(worker)
        worker.conn.close()
        why = worker.death()
        if worker.task is not None:
            where = f" while running cell {worker.cell}" if worker.cell is not None else ""
            yield Outcome(
                worker.task.report_id,
                False,
                now(),
                0.0,
                message=f"worker process died ({why}){where}",
            )
        elif not worker.ready:
            self._warmup_deaths += 1
            if self._warmup_deaths >= MAX_WARMUP_DEATHS:
                yield from self._fail_queue(f"worker processes die while starting ({why})")
                return
            if self.config.warm:  # a preload that crashes the process: go cold
                import dataclasses

                self.config = dataclasses.replace(self.config, warm=False)
                yield Note(f"cold kernels: a warm worker died while preloading ({why})")
        if self.queue and len(self.workers) < self.size:
            self._spawn()

    def _fail_queue(self, why: str) -> Iterator[Outcome]:
        while self.queue:
            yield Outcome(self.queue.popleft().report_id, False, now(), 0.0, message=why)

    def running(self) -> list[tuple[str, int | None]]:
        return [(w.task.report_id, w.cell) for w in self.workers if w.task is not None]

    def queued(self) -> list[str]:
        return [t.report_id for t in self.queue]

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker: politely when done, SIGTERM then SIGKILL when interrupted."""
        for worker in self.workers:
            try:
                if kill:
                    worker.proc.send_signal(signal.SIGTERM)
                else:
                    worker.conn.send(("stop",))
            except OSError:
                pass
        deadline = time.monotonic() + (3 if kill else 10)
        for worker in self.workers:
            try:
                worker.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait()
            worker.conn.close()
        self.workers = []


def _last_line(path: Path) -> str:
    try:
        lines = [
            x for x in path.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()
        ]
    except OSError:
        return ""
    return first_line(lines[-1], 200) if lines else ""
