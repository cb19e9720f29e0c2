"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every file the package writes (report pages, the manifest, the index, exported tables)
goes through ``atomic_path``: the content is written to a temporary name in the target's
folder with the permissions ``open()`` would give a new file, flushed to disk, and moved
over the target in one step. On any error the temporary file is removed and the target is
untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; moved into place on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, new_file_mode())  # mkstemp makes 0600; files must stay readable by others
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)


@cache
def new_file_mode() -> int:
    """What ``open()`` would give a new file: 0666 minus the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
