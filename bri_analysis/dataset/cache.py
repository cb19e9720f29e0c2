"""An on-disk cache of cleaned datasets: a fresh process loads one in a fraction of a second.

An entry is keyed by the data folder, the bytes of every table file, a hash of the
dataset layer's source code, and the versions of Python, the library and the packages
that shape the cleaned tables; any change misses. The cache lives outside the data folder:
``$BRI_CACHE_DIR`` (``off`` disables it), else ``$XDG_CACHE_HOME/bri-analysis``, else
``~/.cache/bri-analysis``. An entry that cannot be read is ignored and rewritten; a
failure to write is ignored (the cache only saves time). A hit imports neither pandera
nor country_converter. Warnings of the original load are replayed on a hit.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bri_analysis.fileio import write_atomic
from bri_analysis.fingerprint import code_hash, package_versions

CACHE_ENV = "BRI_CACHE_DIR"
KEY_PACKAGES = ("pandas", "numpy", "pyarrow", "pandera", "country_converter")
MAX_ENTRIES = 16
_PACKAGE = Path(__file__).resolve().parents[1]
_SOURCES = ("dataset", "errors.py", "paths.py", "fileio.py")
_FORMAT = 1


def cache_dir() -> Path | None:
    """Where cache entries live, or None when ``$BRI_CACHE_DIR`` is ``off``."""
    env = os.environ.get(CACHE_ENV)
    if env is not None and env.strip().lower() in ("off", "0", "no", "false"):
        return None
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bri-analysis"


@dataclass
class Entry:
    """One lookup: the dataset found (or None) and how to store a fresh one."""

    path: Path | None
    dataset: Any = None
    caught: list[warnings.WarningMessage] = field(default_factory=list)

    def store(self, dataset: Any) -> None:
        """Write ``dataset`` (and the warnings its load gave) for the next process."""
        if self.path is None:
            return
        body = {"format": _FORMAT, "dataset": dataset, "warnings": _plain(self.caught)}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(self.path, pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
            _prune(self.path.parent)
        except (OSError, pickle.PicklingError):
            pass

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Record (and still show) the warnings of a fresh load, to replay them on a hit."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        self.caught = list(caught)
        for w in self.caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def lookup(folder: Path, files: Iterable[Path]) -> Entry:
    """The cached dataset of ``folder`` if its files and the code are unchanged."""
    where = cache_dir()
    if where is None:
        return Entry(None)
    path = where / f"dataset-{key(folder, files)}.pickle"
    try:
        if path.stat().st_uid != os.getuid():  # only our own files are unpickled
            return Entry(path)
        body = pickle.loads(path.read_bytes())
        dataset = body["dataset"] if body.get("format") == _FORMAT else None
    except FileNotFoundError:
        return Entry(path)
    except Exception:  # noqa: BLE001 - a corrupt entry is a miss, then rewritten
        path.unlink(missing_ok=True)
        return Entry(path)
    if dataset is None or getattr(dataset, "data_dir", None) != folder:
        return Entry(path)
    for category, message in body.get("warnings", []):
        warnings.warn(message, category, stacklevel=4)
    return Entry(path, dataset)


def key(folder: Path, files: Iterable[Path]) -> str:
    """SHA-256 of everything a cleaned dataset depends on."""
    digest = hashlib.sha256()
    digest.update(f"{_FORMAT}\0{folder}\0".encode())
    digest.update(_code_hash().encode())
    for name, version in versions().items():
        digest.update(f"{name}={version}\0".encode())
    for path in sorted(files):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        digest.update(b"%s\0%d\0" % (path.name.encode(), len(data)))
        digest.update(data)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """Python, the library and ``KEY_PACKAGES`` versions (read without importing them)."""
    from bri_analysis import __version__

    return {"bri_analysis": __version__, **package_versions(KEY_PACKAGES)}


def _code_hash() -> str:
    return code_hash(_PACKAGE, _SOURCES)


def _plain(caught: list[warnings.WarningMessage]) -> list[tuple[type[Warning], str]]:
    return [(w.category, str(w.message)) for w in caught]


def _prune(folder: Path) -> None:
    """Keep the ``MAX_ENTRIES`` most recent entries."""
    entries = sorted(folder.glob("dataset-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)
