"""One build per output folder: an ``flock`` on ``<out>/.build.lock`` naming its holder.

The kernel releases an ``flock`` when its holder dies, so a lock file left by a killed
build is simply taken over. The file is never deleted (deleting a locked file lets two
builds hold "the" lock); it is emptied when the build ends. Workers are started with
``exec`` and never inherit the descriptor.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bri_analysis.build.errors import BuildLocked, OutputFolderError

LOCK_NAME = ".build.lock"


@contextmanager
def hold(
    out_dir: Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock for the block; refuse (or ``wait``) if another build has it."""
    path = out_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputFolderError(
                f"{path} is a symbolic link; remove it (the builder never follows links)"
            ) from None
        raise OutputFolderError(f"cannot write to {out_dir}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(_read(fd))
            if not wait:
                raise BuildLocked(
                    f"another build is writing to {out_dir} ({holder}); "
                    "wait for it to finish, or pass --wait"
                ) from None
            if on_wait is not None:
                on_wait(f"waiting for the other build writing to {out_dir} ({holder})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": " ".join(sys.argv) or sys.executable,
            "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError as exc:
            raise OutputFolderError(f"cannot write to {out_dir}: {exc.strerror}") from None
        try:
            yield
        finally:
            with suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the flock


def _read(fd: int) -> dict:
    try:
        return json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace") or "{}")
    except (OSError, ValueError):
        return {}


def describe_holder(info: dict) -> str:
    """``pid 123 on host, since ...: command`` from the lock file's content."""
    if not info.get("pid"):
        return "holder unknown"
    text = f"pid {info['pid']} on {info.get('host', '?')}, since {info.get('since', '?')}"
    return f"{text}: {info['command']}" if info.get("command") else text
