"""Helpers the tests share (imported as ``tests.helpers``; fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor, Future
from pathlib import Path

from bri_analysis import cli
from bri_analysis.build import runner, site, worker
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


# --- builds in real processes -------------------------------------------------------------


def slow_catalog(*reports: str, kernel: str = "python3", extra_build: str = "") -> str:
    """A catalog of slow.ipynb reports ``slow-<name>``; each waits for ``<data>/markers/release``
    (``fast-...`` names: no wait). Paths are relative to the catalog."""
    lines = [f'[build]\nkernel = "{kernel}"\nexecution_timeout = 120\n{extra_build}']
    lines.append(
        '[family.slow]\nnotebook = "notebooks/slow.ipynb"\ndefault = false\n'
        'parameters = { seconds = 120.0, marker_dir = "MARKERS" }\n'
    )
    for name in reports:
        seconds = ", seconds = 0.0" if name.startswith("fast") else ""
        lines.append(
            f'[[family.slow.variant]]\nid = "{name}"\n'
            f'parameters = {{ greeting = "{name}"{seconds} }}\n'
        )
    return "\n".join(lines)


class ProcessProject(Project):
    """A project whose builds run as ``python -m bri_analysis.cli build`` subprocesses."""

    def __init__(self, root: Path, *reports: str, **catalog_options: str):
        super().__init__(root, "")
        for name in ("slow", "crash", "leak", "broken"):
            shutil.copy(FIXTURE_NOTEBOOKS / f"{name}.ipynb", self.notebooks / f"{name}.ipynb")
        self.markers = root / "markers"
        self.markers.mkdir()
        text = slow_catalog(*reports, **catalog_options).replace("MARKERS", str(self.markers))
        self.catalog.write_text(text, encoding="utf-8")

    def command(self, *args: str) -> list[str]:
        return [
            sys.executable, "-m", "bri_analysis.cli", "build", *args,
            "--catalog", str(self.catalog), "--out", str(self.out), "--data-dir", str(self.data),
        ]  # fmt: skip

    def start(self, *args: str, **popen) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
        )

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout)

    def release(self) -> None:
        (self.markers / "release").write_text("go", encoding="utf-8")

    def hold(self) -> None:
        (self.markers / "release").unlink(missing_ok=True)

    def kernel_of(self, report: str, timeout: float = 60) -> int:
        """Pid of the kernel running ``slow-<report>`` (from its marker file)."""
        marker = self.markers / f"{report}.pid"
        wait_for(lambda: marker.exists() and marker.read_text().strip(), timeout, f"{marker}")
        return int(marker.read_text().split()[0])


def wait_for(condition, timeout: float = 30, what: str = "condition") -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def family_of(pid: int) -> list[int]:
    """``pid`` and its ancestors up to (not including) this test process."""
    chain = [pid]
    while True:
        parent = parent_of(chain[-1])
        if parent in (0, 1, os.getpid()):
            return chain
        chain.append(parent)


def check_site(
    out: Path, catalog: Path, data: Path, *, finished: bool = True, data_given: bool = True
) -> dict:
    """Every recorded page is the one its record vouches for, and was built from the inputs
    the build would use now; ``finished``: no staging area or running notebook is left
    (a SIGKILLed build leaves its staging area to the next build); ``data_given``: the
    build was given ``data`` as its data folder (else it came from the environment).
    Returns the records."""
    from bri_analysis.build import manifest as mf

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    plan = runner.Plan.make(catalog=catalog, out_dir=out, data_dir=data)
    for report in plan.reports:
        entry = manifest.get(report.id)
        paths = site.OutputPaths.of(out, report.id)
        if entry is None or entry.get("outputs") is None:
            assert not paths.html.exists(), f"{report.id}: a page without a record"
            continue
        page = paths.html.read_text(encoding="utf-8")
        nb = json.loads(paths.notebook.read_text(encoding="utf-8"))
        assert site.page_input_hash(page) == entry["last_good"]["input_hash"], report.id
        assert nb["metadata"]["bri_build"]["input_hash"] == entry["last_good"]["input_hash"]
        assert entry["outputs"]["html"] == mf.file_identity(paths.html), report.id
        if entry["status"] == "ok":
            overrides = {"data_dir": str(data.resolve())} if data_given else {}
            params = plan.parameters_for(report, overrides)
            assert entry["input_hash"] == plan.input_hash(report, params), report.id
    if finished:
        assert not (out / ".staging").exists()
    assert not [p for p in out.rglob("*running*") if ".staging" not in p.parts]
    return manifest
