"""Helpers the tests share (imported as ``tests.helpers``; fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor, Future
from pathlib import Path

from bri_analysis import cli
from bri_analysis.build import runner, worker
from bri_analysis.dataset.schemas import TABLES
from bri_analysis.fileio import write_atomic
from bri_analysis.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DATA = FIXTURES / "data"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
SHIPPED_DATA = DATA_DIR


def copy_data(source: Path, target: Path) -> Path:
    """Copy a data folder's CSV files (not external/) to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.csv"):
        shutil.copy(path, target / path.name)
    return target


def append_rows(folder: Path, table: str, *rows: Mapping[str, str] | str) -> int:
    """Append rows to ``<folder>/<table>.csv``; each a mapping (missing columns empty) or a
    ready CSV line. Returns the file line number of the first row added."""
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    first = text.count("\n") + 1
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        if isinstance(row, str):
            buffer.write(row if row.endswith("\n") else row + "\n")
        else:
            writer.writerow([row.get(c, "") for c in TABLES[table].column_names])
    path.write_text(text + buffer.getvalue(), encoding="utf-8")
    return first


def modules_loaded_by(statement: str, candidates: Iterable[str]) -> list[str]:
    """Which of ``candidates`` a fresh interpreter has imported after running ``statement``
    (import-cost tests: importing the package must not pull in pandas and friends)."""
    wanted = sorted(candidates)
    code = f"import sys\n{statement}\nprint(','.join(sorted(set({wanted!r}) & set(sys.modules))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


# A throw-away project for builder tests: two fixture notebooks, a catalog, a data folder.
CATALOG = """
[build]
execution_timeout = 60

[family.hello]
title = "Hello"
description = "The fixture notebook."
notebook = "notebooks/ok.ipynb"
parameters = { greeting = "hi", pause = 0.0 }

[[family.hello.variant]]
id = "bye"
title = "Goodbye"
parameters = { greeting = "bye" }

[family.other]
title = "Other"
notebook = "notebooks/other.ipynb"
parameters = { greeting = "hi", pause = 0.0 }
"""


class Project:
    """A throw-away project: notebooks, a data folder, a catalog and an output folder."""

    def __init__(self, root: Path, catalog: str = CATALOG):
        self.root = root
        self.notebooks = root / "notebooks"
        self.notebooks.mkdir()
        shutil.copy(FIXTURE_NOTEBOOKS / "ok.ipynb", self.notebooks / "ok.ipynb")
        shutil.copy(FIXTURE_NOTEBOOKS / "ok.ipynb", self.notebooks / "other.ipynb")
        self.data = root / "data"
        self.data.mkdir()
        (self.data / "numbers.csv").write_text("n,label\n1,one\n2,two\n", encoding="utf-8")
        (self.data / "sources.csv").write_text("source_id\nfixture\n", encoding="utf-8")
        self.catalog = root / "reports.toml"
        self.catalog.write_text(catalog, encoding="utf-8")
        self.out = root / "reports"

    def build(self, *names: str, **kwargs) -> runner.BuildResult:
        kwargs.setdefault("data_dir", self.data)
        return runner.build_reports(
            names, catalog=self.catalog, out_dir=self.out, progress=False, **kwargs
        )

    def cli(self, *argv: str) -> int:
        return cli.main([*argv, "--out", str(self.out), "--data-dir", str(self.data)])

    def manifest(self) -> dict:
        return json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))["reports"]

    def edit_cell(self, notebook: str, index: int, source: str) -> None:
        path = self.notebooks / notebook
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"][index]["source"] = source
        path.write_text(json.dumps(nb), encoding="utf-8")


class StandInExecutor(Executor):
    """Records what it is asked to run and stages placeholder outputs instead of a kernel
    (as a worker would: the build's parent moves them into place)."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        assert fn is worker.run_report
        (task,) = args
        self.ran.append(task.report_id)
        paths = task.staged
        write_atomic(paths.html, f"<p>{task.report_id}</p>")
        write_atomic(paths.notebook, json.dumps({"parameters": task.parameters}))
        future: Future = Future()
        future.set_result(worker.Outcome(task.report_id, True, "now", 0.5))
        return future
