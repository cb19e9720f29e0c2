"""The build manifest (``reports/manifest.json``): what each report was last built from.

A report's input hash covers its notebook's code, its resolved parameters, every data file,
the library code a page depends on and the versions of the packages that shape the output.
Each record also keeps the size and modification time of the page and notebook it vouches
for: a report is skipped only when its hash matches its last successful build *and* its
files are the ones recorded (a page replaced behind the manifest's back is rebuilt).
Shared parts are hashed once per build; nothing here imports pandas, nbformat or papermill.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bri_analysis.fileio import write_atomic
from bri_analysis.fingerprint import code_hash, package_versions

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What can change a page: everything a notebook's kernel runs, and the HTML template.
PAGE_CODE = (
    "__init__.py",
    "paths.py",
    "errors.py",
    "dataset",
    "analysis",
    "reporting",
    "build/site.py",
)
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 2
_STATUSES = ("ok", "failed")

# packages whose version can change a report's numbers, figures or HTML
DEPENDENCIES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "pandera",
    "country_converter",
    "pyshp",
    "papermill",
    "nbclient",
    "nbconvert",
    "ipykernel",
)


def canonical_hash(value: Any) -> str:
    """SHA-256 of a JSON-able value, independent of key order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def data_files(data_dir: Path) -> list[Path]:
    """Every file under ``data_dir``, skipping hidden names and caches (editor litter)."""
    return [
        p
        for p in data_dir.rglob("*")
        if p.is_file()
        and not any(
            part.startswith(".") or part == "__pycache__" for part in p.relative_to(data_dir).parts
        )
    ]


def library_hash(package: Path = PACKAGE_DIR) -> str:
    """Hash of the library code a page depends on (``PAGE_CODE``): the dataset, analysis and
    reporting layers, the package's shared modules, and the page template. The command line
    and the builder's own machinery are left out: editing them rebuilds nothing."""
    return code_hash(package, PAGE_CODE)


def dependency_versions() -> dict[str, str]:
    """Installed versions of ``DEPENDENCIES`` and Python ("missing" when not installed)."""
    return package_versions(DEPENDENCIES)


def notebook_hash(nb: Mapping[str, Any]) -> str:
    """Hash of what can change the page: each cell's type and source, which cell holds the
    parameters, and the kernel *name*.

    Outputs, execution counts, cell ids, other metadata and the kernel's display name are
    left out, so opening and saving a notebook in JupyterLab does not trigger a rebuild.
    Markdown cells count: their text is on the page.
    """
    cells = [[c.get("cell_type"), _text(c.get("source", ""))] for c in nb.get("cells", [])]
    parameters = [i for i, c in enumerate(nb.get("cells", [])) if "parameters" in _tags(c)]
    kernelspec = nb.get("metadata", {}).get("kernelspec") or {}
    kernel = kernelspec.get("name") if isinstance(kernelspec, Mapping) else None
    return canonical_hash({"cells": cells, "parameters_cell": parameters, "kernel": kernel})


def _text(source: Any) -> str:
    return source if isinstance(source, str) else "".join(source)


def _tags(cell: Mapping[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def file_identity(path: Path) -> list[int] | None:
    """Size and modification time of a file (not following a link), or None."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns] if stat.S_ISREG(st.st_mode) else None


@dataclass
class Manifest:
    """Per-report records and cached family expansions, saved atomically as JSON."""

    path: Path
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    expansions: dict[str, dict[str, Any]] = field(default_factory=dict)

    problem: str | None = None

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest in ``out_dir``, keeping only the records it can vouch for.

        Missing: empty. Unreadable or malformed: empty or partly read, and ``problem`` says
        what was dropped (those reports are rebuilt). Another format version: empty.
        """
        path = out_dir / MANIFEST_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            why = f"unreadable ({type(exc).__name__})"
            return cls(path, problem=f"{path} is {why}; rebuilding every report")
        if not isinstance(raw, dict) or "format" not in raw:
            return cls(path, problem=f"{path} is not a build manifest; rebuilding every report")
        if raw["format"] != FORMAT_VERSION:
            return cls(path)  # an older builder's: everything is rebuilt once
        records = raw.get("reports")
        records = records if isinstance(records, dict) else {}
        reports = {rid: e for rid, e in records.items() if _valid_entry(e)}
        dropped = [str(rid) for rid in records if rid not in reports]
        expansions = raw.get("expansions")
        expansions = (
            {k: v for k, v in expansions.items() if isinstance(v, dict)}
            if isinstance(expansions, dict)
            else {}
        )
        problem = None
        if dropped:
            problem = (
                f"{path} has {len(dropped)} malformed record(s) ({', '.join(dropped[:3])}); "
                "rebuilding what it cannot vouch for"
            )
        return cls(path, reports, expansions, problem)

    def save(self) -> None:
        body = {"format": FORMAT_VERSION, "reports": self.reports, "expansions": self.expansions}
        write_atomic(self.path, json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False))

    def is_current(self, report_id: str, input_hash: str, outputs: Mapping[str, Path]) -> bool:
        """True when the last build succeeded from the same inputs and its files are the
        ones it recorded (same size and modification time)."""
        entry = self.reports.get(report_id, {})
        recorded = entry.get("outputs") or {}
        return (
            entry.get("status") == "ok"
            and entry.get("input_hash") == input_hash
            and all(
                recorded.get(name) is not None and recorded.get(name) == file_identity(path)
                for name, path in outputs.items()
            )
        )

    def record(self, report_id: str, entry: Mapping[str, Any]) -> None:
        """Store an attempt; a success also becomes the report's ``last_good`` build."""
        previous = self.reports.get(report_id, {})
        new = dict(entry)
        if new["status"] == "ok":
            new["last_good"] = {
                k: new[k] for k in ("built_at", "duration_s", "input_hash", "parameters")
            }
        else:  # a failure: the last good build and its files stay in place
            new["last_good"] = previous.get("last_good")
            if isinstance(previous.get("outputs"), dict):
                new["outputs"] = previous["outputs"]
        self.reports[report_id] = new

    def expansion(self, family: str, key: str) -> list[dict[str, Any]] | None:
        cached = self.expansions.get(family, {})
        return cached.get("variants") if cached.get("key") == key else None

    def set_expansion(self, family: str, key: str, variants: list[dict[str, Any]]) -> None:
        self.expansions[family] = {"key": key, "variants": variants}


def _valid_entry(entry: Any) -> bool:
    if not isinstance(entry, dict) or entry.get("status") not in _STATUSES:
        return False
    if not isinstance(entry.get("parameters", {}), dict):
        return False
    outputs = entry.get("outputs")
    if outputs is not None and not isinstance(outputs, dict):
        return False
    last = entry.get("last_good")
    return last is None or isinstance(last, dict)
