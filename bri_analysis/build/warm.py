"""A builder worker process: warm up once, then build each report in a fresh fork.

``python -m bri_analysis.build.warm FD PARENT_PID`` is started by ``pool``. It imports the
report stack once (the catalog's ``preload`` modules plus the kernel machinery), calls
the catalog's ``preload_hook`` with the build's data folder (the BRI hook loads the
dataset), and loads nbconvert's template. For each report it forks a child that forks the
kernel before any thread or socket exists (``kernels``), runs papermill and stages the
page, and exits; this process never runs report code, so nothing leaks from one report
into the next. Where that is not possible (no fork, another kind of kernel, a preload that
fails or starts threads) it builds with cold kernels and says why once.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bri_analysis.build import lifeline
from bri_analysis.build.worker import (
    INLINE_BACKEND,
    Outcome,
    Task,
    execute,
    first_line,
    now,
    with_retry,
)

# what every Python report kernel loads, whatever the catalog says
KERNEL_STACK = (
    "IPython",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # debugpy: a third of a kernel's start-up
    "matplotlib_inline.backend_inline",
    "sqlite3",
    "psutil",
    "tornado.queues",
    "jupyter_client.manager",
    "papermill",
    "nbformat",
    "nbconvert",
)
# one thread per library: forked kernels must not inherit a thread pool's lost threads
_SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to warm up (picklable)."""

    kernel: str
    data_dir: Path
    preload: tuple[str, ...] = ()
    preload_hook: str | None = None
    warm: bool = True


@dataclass
class Mode:
    """Warm (fork each report from this process) or cold, and why cold."""

    warm: bool
    note: str | None = None


def warm_up(config: WorkerConfig) -> Mode:
    """Preload what the kernels need; fall back to cold kernels with the reason."""
    if not config.warm:
        return Mode(False)
    reason = _why_not_warm(config.kernel)
    if reason:
        return Mode(False, f"cold kernels: {reason}")
    for name in _SINGLE_THREADED:
        os.environ.setdefault(name, "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # as jupyter_client sets it
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    try:
        for module in (*KERNEL_STACK, *config.preload):
            importlib.import_module(module)
        if config.preload_hook:
            module_name, _, func = config.preload_hook.partition(":")
            getattr(importlib.import_module(module_name), func)(config.data_dir)
        from bri_analysis.build import site

        site.warm_up()
    except Exception as exc:  # noqa: BLE001 - any failure means: no warm kernels
        why = first_line(f"{type(exc).__name__}: {exc}")
        return Mode(False, f"cold kernels: preloading failed ({why})")
    gc.collect()
    gc.freeze()  # forks then share the preloaded objects' pages instead of copying them
    if threading.active_count() > 1:
        names = ", ".join(t.name for t in threading.enumerate() if t is not threading.main_thread())
        return Mode(False, f"cold kernels: preloading started threads ({names}); forking is unsafe")
    return Mode(True)


def _why_not_warm(kernel: str) -> str | None:
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return "warm kernels need fork() and Linux"
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        from bri_analysis.build.kernels import runs_here

        spec = KernelSpecManager().get_kernel_spec(kernel)
    except Exception as exc:  # noqa: BLE001 - an unknown kernel fails its reports later
        return f"kernel {kernel!r} not found ({first_line(exc)})"
    argv = list(spec.argv)
    if argv and argv[0] in {
        "python",
        f"python{sys.version_info[0]}",
        "python{}.{}".format(*sys.version_info[:2]),
    }:
        argv[0] = sys.executable
    if not runs_here(argv) or spec.env:
        return f"kernel {kernel!r} is not this Python's ipykernel"
    return None


def build(
    task: Task, mode: Mode, send: Callable[[tuple], None], close_fds: tuple[int, ...] = ()
) -> Outcome:
    """Build one report: in a fork of this warm process, or here with a cold kernel."""

    def on_cell(cell: int) -> None:
        send(("cell", task.report_id, cell))

    if not mode.warm:
        return with_retry(lambda: execute(task, on_cell=on_cell))
    return with_retry(lambda: _in_child(task, send, close_fds))


_child = 0  # the report process running now (killed with this worker)


def _in_child(task: Task, send: Callable[[tuple], None], close_fds: tuple[int, ...]) -> Outcome:
    global _child
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the report process
        try:
            os.close(read)
            for fd in close_fds:
                os.close(fd)
            lifeline.die_with_parent(parent, thread_ok=False)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            with os.fdopen(write, "wb") as out:

                def report(message: tuple) -> None:
                    pickle.dump(message, out)
                    out.flush()

                outcome = execute(
                    task,
                    fork_kernel=True,
                    on_cell=lambda cell: report(("cell", task.report_id, cell)),
                    close_fds=(write,),
                )
                report(("done", outcome))
        finally:
            os._exit(0)
    _child = pid
    os.close(write)
    outcome, last_cell = None, None
    with os.fdopen(read, "rb") as inp:
        while True:
            try:
                message = pickle.load(inp)
            except (EOFError, pickle.UnpicklingError):
                break
            if message[0] == "cell":
                last_cell = message[2]
                send(message)
            else:
                outcome = message[1]
    _, status = os.waitpid(pid, 0)
    _child = 0
    if outcome is None:
        where = f" while running cell {last_cell}" if last_cell is not None else ""
        outcome = Outcome(
            task.report_id,
            False,
            now(),
            0.0,
            cell=None,
            message=f"the report's process died ({lifeline.describe_status(status)}){where}",
            mode="warm",
        )
    return outcome


def _stop(_signum: int, _frame: Any) -> None:
    if _child:
        with contextlib.suppress(OSError):
            os.kill(_child, signal.SIGKILL)
    os._exit(143)


def serve(fd: int, parent: int) -> None:
    """The worker loop: config, warm-up, then tasks until "stop" or the parent goes."""
    from multiprocessing.connection import Connection

    # without prctl a watchdog thread stands in; warm_up then sees a thread and goes cold
    lifeline.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build's parent decides
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    conn = Connection(fd)
    config: WorkerConfig = conn.recv()
    mode = warm_up(config)
    conn.send(("ready", os.getpid(), mode.warm, mode.note))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            break
        if message[0] == "stop":
            break
        outcome = build(message[1], mode, conn.send, close_fds=(fd,))
        conn.send(("done", outcome))
    conn.close()


def run_once(task: Task, config: WorkerConfig) -> tuple[Outcome, str | None]:
    """Build one task from this process (``bri-analysis run``): warm where possible."""
    mode = warm_up(config)
    return build(task, mode, lambda _message: None), mode.note


if __name__ == "__main__":  # started by pool.Pool; run the imported module, not a copy
    from bri_analysis.build.warm import serve as _serve

    _serve(int(sys.argv[1]), int(sys.argv[2]))
    sys.stdout.flush()
    os._exit(0)
