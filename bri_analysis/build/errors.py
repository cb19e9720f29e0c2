"""What stops a build without a traceback: each error is one line for the command line.

``CatalogError`` (a mistake in what was asked, exit 2) lives in ``catalog``. The errors here
are about the files and processes a build needs (exit 1); ``BuildInterrupted`` is a signal.
"""

from __future__ import annotations

import signal
from typing import Any


class BuildError(RuntimeError):
    """The build cannot go on: a broken output folder or catalog file, a lock held."""


class OutputFolderError(BuildError):
    """The output folder is not a folder, not writable, full, or holds a symbolic link."""


class BuildLocked(BuildError):
    """Another build holds the output folder's lock."""


class BuildInterrupted(KeyboardInterrupt):
    """A build stopped by SIGINT, SIGTERM or SIGHUP, after its workers were stopped.

    ``stopped`` lists the reports that were running (id, running cell or None), ``queued``
    the ones that never started; ``result`` is the partial ``BuildResult``.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.stopped: list[tuple[str, int | None]] = []
        self.queued: list[str] = []
        self.result: Any = None

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def message(self) -> str:
        name = signal.Signals(self.signum).name
        running = ", ".join(
            f"{rid} (cell {cell})" if cell is not None else rid for rid, cell in self.stopped
        )
        parts = []
        parts.append(
            f"stopped {len(self.stopped)} running report(s)" + (f": {running}" if running else "")
        )
        if self.queued:
            parts.append(f"{len(self.queued)} queued report(s) not started")
        done = len(self.result.built) if self.result is not None else 0
        parts.append(f"{done} finished report(s) saved; the others keep their last good page")
        return f"interrupted by {name}: " + "; ".join(parts)
