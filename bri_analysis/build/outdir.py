"""The output folder: checks that refuse a hostile folder, and the staging area.

Workers write a report's files into ``<out>/.staging/<build>/``; only the build's parent
process, holding the lock, moves them into place (``commit``). Nothing is written through
a symbolic link: a link planted inside the folder stops the build with one line, before
anything is built. Leftovers of a killed build's staging area are removed by the next one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from bri_analysis.build.errors import OutputFolderError

STAGING = ".staging"
SUBDIRS = ("notebooks", "failed", "logs")
# errors of the folder itself: the build stops (every other report would fail the same way)
FATAL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def prepare(out_dir: Path) -> Path:
    """Create the output folder if needed; refuse a path that is a file."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"output folder {out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFolderError(
            f"cannot create the output folder {out_dir}: {exc.strerror}"
        ) from None
    return out_dir


def check(out_dir: Path) -> None:
    """Refuse symbolic links inside the folder and a folder that cannot be written."""
    for folder in (out_dir, *(out_dir / s for s in SUBDIRS)):
        if folder != out_dir and folder.is_symlink():
            raise OutputFolderError(_link_message(folder))
        if folder != out_dir and folder.exists() and not folder.is_dir():
            raise OutputFolderError(f"{folder} is a file, but the builder keeps a folder there")
        if not folder.is_dir():
            continue
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise OutputFolderError(_link_message(Path(entry.path)))
    try:
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputFolderError(f"cannot write to {out_dir}: {exc.strerror}") from None


def _link_message(path: Path) -> str:
    return (
        f"{path} is a symbolic link (to {os.readlink(path)}); the builder never writes "
        "through links: remove it and build again"
    )


def folder_error(exc: OSError, out_dir: Path) -> OutputFolderError:
    """One line for an ``OSError`` met while writing into the output folder."""
    where = exc.filename or out_dir
    return OutputFolderError(
        f"cannot write {where}: {exc.strerror or exc}; the build stopped and nothing was lost "
        "(pages not yet moved into place keep their last good version)"
    )


class Staging:
    """This build's staging folder; a killed build's leftovers are removed on creation."""

    def __init__(self, out_dir: Path) -> None:
        root = out_dir / STAGING
        if root.is_symlink():
            raise OutputFolderError(_link_message(root))
        if root.is_dir():
            for old in root.iterdir():
                _remove(old)
        self.root = root
        try:
            root.mkdir(exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(dir=root, prefix=f"{os.getpid()}-"))
        except OSError as exc:
            raise folder_error(exc, out_dir) from None

    def cleanup(self) -> None:
        _remove(self.dir)
        with contextlib.suppress(OSError):
            self.root.rmdir()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def move(source: Path, target: Path) -> None:
    """Move a staged file into place in one step (``rename``; a link at ``target`` is
    replaced, never followed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
