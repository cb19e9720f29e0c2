"""No orphans: processes of a build stop on their own when their parent dies.

On Linux a child asks the kernel for a parent-death signal (``prctl(PR_SET_PDEATHSIG)``
through ctypes); elsewhere a daemon thread polls ``os.getppid()``. Either way the check
runs again right after, in case the parent died before the request was made.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, sig: int = signal.SIGKILL, *, thread_ok: bool = True) -> str:
    """Make this process receive ``sig`` when ``parent_pid`` (its parent) dies.

    Returns "prctl" or "watchdog" (the thread fallback, only when ``thread_ok``), or "" when
    neither is available. Exits at once if the parent is already gone.
    """
    how = ""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0:
                how = "prctl"
        except (OSError, AttributeError):
            how = ""
    if os.getppid() != parent_pid:
        os._exit(1)
    if not how and thread_ok:
        threading.Thread(target=_watch, args=(parent_pid, sig), daemon=True).start()
        how = "watchdog"
    return how


def _watch(parent_pid: int, sig: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os.kill(os.getpid(), sig)


class _Stop(Exception):
    pass


@contextmanager
def stop_signals() -> Iterator[None]:
    """Turn SIGTERM, SIGHUP and SIGINT into ``BuildInterrupted`` while the block runs.

    Only in the main thread (Python delivers signals there); elsewhere a no-op.
    """
    from bri_analysis.build.errors import BuildInterrupted

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise BuildInterrupted(signum)

    names = ("SIGTERM", "SIGHUP", "SIGINT")
    wanted = [getattr(signal, n) for n in names if hasattr(signal, n)]
    saved = {s: signal.signal(s, handler) for s in wanted}
    try:
        yield
    finally:
        for s, old in saved.items():
            signal.signal(s, old)


def describe_status(status: int) -> str:
    """A ``waitpid`` status (or a negative Popen return code) as words."""
    if status < 0:
        return f"killed by {signal.Signals(-status).name}"
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    if os.WIFEXITED(status):
        return f"exited with code {os.WEXITSTATUS(status)}"
    return f"status {status}"
