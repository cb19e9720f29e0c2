"""Build one report in a worker process: execute it with papermill, write its page.

Kept apart from the batch logic in ``build`` because it runs in another process: it gets
a picklable ``Task`` and returns an ``Outcome``, and never raises for a bad notebook.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bri_analysis.build import site
from bri_analysis.fileio import write_atomic

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to build one report (picklable)."""

    report_id: str
    title: str
    notebook: Path
    parameters: Mapping[str, Any]
    out_dir: Path
    kernel: str
    start_timeout: int
    execution_timeout: int


@dataclass(frozen=True)
class Outcome:
    """What a worker reports back. ``cell`` is the 1-based cell of the source notebook."""

    report_id: str
    ok: bool
    started_at: str
    duration_s: float
    cell: int | None = None
    execution_count: int | None = None
    message: str | None = None

    @property
    def error(self) -> str | None:
        if self.ok:
            return None
        if self.cell is None:
            return self.message
        return f"cell {self.cell} (In [{self.execution_count}]): {self.message}"


def run_report(task: Task) -> Outcome:
    """Execute one report and write its page and notebook; never raises for a bad notebook.

    Runs in a worker process. Kernel and papermill output go to ``logs/<id>.log``.
    Outputs are replaced only on success; a failed run's notebook goes to ``failed/``.
    """
    started_at, started = now(), time.perf_counter()
    paths = site.OutputPaths.of(task.out_dir, task.report_id)
    paths.log.parent.mkdir(parents=True, exist_ok=True)
    running = paths.notebook.parent / f".{task.report_id}.{os.getpid()}.running.ipynb"
    running.parent.mkdir(parents=True, exist_ok=True)
    os.environ["MPLBACKEND"] = INLINE_BACKEND  # figures inline even if the caller set Agg
    try:
        with _output_to(paths.log):
            nb = _execute(task, running)
        import nbformat

        nb.metadata.papermill["output_path"] = str(paths.notebook)
        page = site.notebook_to_html(nb, task.title, task.parameters)
        write_atomic(paths.html, page)
        write_atomic(paths.notebook, nbformat.writes(nb))
        paths.failed.unlink(missing_ok=True)
        return Outcome(task.report_id, True, started_at, time.perf_counter() - started)
    except Exception as exc:
        cell, count = _keep_failed(running, paths.failed)
        return Outcome(
            task.report_id,
            False,
            started_at,
            time.perf_counter() - started,
            cell=cell,
            execution_count=count,
            message=_exception_message(exc),
        )
    finally:
        running.unlink(missing_ok=True)


def _execute(task: Task, output: Path) -> Any:
    import papermill

    return papermill.execute_notebook(
        str(task.notebook),
        str(output),
        parameters=dict(task.parameters),
        kernel_name=task.kernel,
        start_timeout=task.start_timeout,
        execution_timeout=task.execution_timeout,
        progress_bar=False,
        cwd=str(task.notebook.parent),
    )


@contextmanager
def _output_to(log: Path) -> Iterator[None]:
    """Send this process's stdout/stderr (and so the kernel's) to ``log`` for a while."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "wb") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def _keep_failed(running: Path, failed: Path) -> tuple[int | None, int | None]:
    """Move a failed run's notebook to ``failed/``; return the failing cell and In [n]."""
    try:
        nb = json.loads(running.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None, None
    nb.setdefault("metadata", {}).setdefault("papermill", {})["output_path"] = str(failed)
    write_atomic(failed, json.dumps(nb, indent=1, ensure_ascii=False))
    return _failed_cell(nb)


def _failed_cell(nb: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Position (in the source notebook) and execution count of the cell that failed."""
    skip = {"injected-parameters", "papermill-error-cell-tag"}
    number = 0
    for cell in nb.get("cells", []):
        if skip & set(cell.get("metadata", {}).get("tags", [])):
            continue
        number += 1
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        flagged = cell.get("metadata", {}).get("papermill", {}).get("exception") is True
        if any(o.get("ename") != "SystemExit" for o in errors) or flagged:
            return number, cell.get("execution_count")
    return None, None


def _exception_message(exc: BaseException) -> str:
    if getattr(exc, "ename", None):  # papermill's PapermillExecutionError
        text = f"{exc.ename}: {exc.evalue}"  # type: ignore[attr-defined]
    else:
        text = f"{type(exc).__name__}: {exc}"
    return first_line(text)


def first_line(value: object, limit: int = 300) -> str:
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    text = lines[0] if lines else type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
