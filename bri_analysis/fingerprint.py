"""Fingerprints of what a result depends on: files, the package's own code, installed versions.

The dataset cache and the build manifest both key their entries on these, so a change to
any input is seen the same way by both.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def hash_files(root: Path, files: Iterable[Path]) -> str:
    """SHA-256 over each file's path (relative to ``root``) and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        name = path.relative_to(root).as_posix().encode()
        data = path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.hexdigest()


def code_hash(package: Path, parts: Iterable[str]) -> str:
    """``hash_files`` over the Python files of ``parts`` (subpackages or modules) of a package."""
    files: list[Path] = []
    for part in parts:
        path = package / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return hash_files(package, (p for p in files if "__pycache__" not in p.parts))


def package_versions(names: Iterable[str]) -> dict[str, str]:
    """Python's version and each installed distribution's ("missing" when not installed),
    read from the metadata, without importing anything."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions
