"""Build one report: execute it with papermill, write its page into the staging area.

Runs in a worker process (or a report process forked from a warm worker, or a Dask
worker): it gets a picklable ``Task`` and returns an ``Outcome``, and never raises for a
bad notebook. It writes only into the task's staging folder; the build's parent moves the
files into place. ``run_report`` is the cold path any ``concurrent.futures.Executor`` runs.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    stage_dir: Path
    kernel: str
    start_timeout: int
    execution_timeout: int
    input_hash: str = ""
    shown_parameters: Mapping[str, Any] | None = None

    @property
    def staged(self) -> site.OutputPaths:
        """Where the worker writes this report's files (same layout as the output folder)."""
        return site.OutputPaths.of(self.stage_dir, self.report_id)


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
    start_failed: bool = False
    errno: int | None = None
    timings: Mapping[str, float] = field(default_factory=dict)
    mode: str = "cold"
    attempts: int = 1

    @property
    def error(self) -> str | None:
        if self.ok:
            return None
        if self.cell is None:
            return self.message
        count = "" if self.execution_count is None else f" (In [{self.execution_count}])"
        return f"cell {self.cell}{count}: {self.message}"


def run_report(task: Task) -> Outcome:
    """Build one report in this process with a cold kernel, retried once if it fails to start."""
    return with_retry(lambda: execute(task))


def with_retry(attempt: Callable[[], Outcome]) -> Outcome:
    """Run ``attempt``; once more if the kernel did not start (e.g. a port already in use)."""
    first = attempt()
    if first.ok or not first.start_failed:
        return first
    second = attempt()
    note = f"; first attempt: {first.message}" if not second.ok else ""
    return _replace(
        second, attempts=2, message=(second.message or "") + note if note else second.message
    )


def _replace(outcome: Outcome, **changes: Any) -> Outcome:
    import dataclasses

    return dataclasses.replace(outcome, **changes)


def execute(
    task: Task,
    *,
    fork_kernel: bool = False,
    on_cell: Callable[[int], None] | None = None,
    close_fds: Sequence[int] = (),
) -> Outcome:
    """Execute one report and stage its page and notebook; never raises for a bad notebook.

    ``fork_kernel``: fork the kernel from this (warm, thread-free) process. Kernel and
    papermill output go to the staged log. A failed run's notebook is staged as ``failed``.
    """
    from bri_analysis.build import engine

    started_at, started = now(), time.perf_counter()
    paths = task.staged
    run = engine.Run(on_cell=on_cell)
    timings: dict[str, float] = {}
    mode = "warm" if fork_kernel else "cold"
    os.environ["MPLBACKEND"] = INLINE_BACKEND  # figures inline even if the caller set Agg
    kernel = None
    try:
        paths.log.parent.mkdir(parents=True, exist_ok=True)
        with _output_to(paths.log):
            km = None
            if fork_kernel:
                from bri_analysis.build import kernels

                kernel = kernels.ForkedKernel.fork(
                    paths.log.with_suffix(".kernel.json"), close_fds=close_fds
                )
                km = kernels.manager(kernel, task.kernel, task.start_timeout)
            try:
                nb = engine.execute(
                    task.notebook,
                    task.parameters,
                    kernel=task.kernel,
                    start_timeout=task.start_timeout,
                    execution_timeout=task.execution_timeout,
                    run=run,
                    km=km,
                )
            finally:
                if kernel is not None:
                    kernel.kill()
        executed = time.perf_counter()
        timings = _timings(run, executed)
        import nbformat

        final = site.OutputPaths.of(task.out_dir, task.report_id)
        nb.metadata.papermill["output_path"] = str(final.notebook)
        nb.metadata["bri_build"] = {"report_id": task.report_id, "input_hash": task.input_hash}
        shown = task.parameters if task.shown_parameters is None else task.shown_parameters
        page = site.notebook_to_html(nb, task.title, shown, task.input_hash)
        timings["html"] = time.perf_counter() - executed
        write_atomic(paths.html, page)
        write_atomic(paths.notebook, nbformat.writes(nb))
        return Outcome(
            task.report_id,
            True,
            started_at,
            time.perf_counter() - started,
            timings=timings,
            mode=mode,
        )
    except Exception as exc:
        cell, count = _keep_failed(run, paths.failed)
        message = _exception_message(exc)
        if kernel is not None and kernel.returncode not in (None, 0) and "died" in message.lower():
            message = f"the kernel died ({kernel.describe()})"
        return Outcome(
            task.report_id,
            False,
            started_at,
            time.perf_counter() - started,
            cell=cell,
            execution_count=count,
            message=message,
            start_failed=not run.kernel_started and _is_start_failure(exc),
            errno=exc.errno if isinstance(exc, OSError) else None,
            timings=timings,
            mode=mode,
        )


def _timings(run: Any, executed: float) -> dict[str, float]:
    first = run.first_cell_at or executed
    cells = {}
    for i, cell in enumerate((run.nb or {}).get("cells", [])):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell.get("cell_type") == "code" and duration is not None:
            cells[f"cell{i}"] = float(duration)
    return {"kernel_start": first - run.started, "execute": executed - run.started, **cells}


def _is_start_failure(exc: Exception) -> bool:
    """A kernel that never answered (not a notebook, kernel-name or disk problem)."""
    from bri_analysis.build.outdir import FATAL_ERRNOS

    if isinstance(exc, OSError) and exc.errno in FATAL_ERRNOS:
        return False
    return type(exc).__name__ not in {"PapermillExecutionError", "NoSuchKernel"}


@contextmanager
def _output_to(log: Path) -> Iterator[None]:
    """Send this process's stdout/stderr (and so the kernel's) to ``log`` for a while."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "ab") as handle:
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


def _keep_failed(run: Any, failed: Path) -> tuple[int | None, int | None]:
    """Stage a failed run's notebook (kept in memory); return the failing cell and In [n]."""
    nb = run.nb
    if nb is None:
        return None, None
    try:
        import nbformat

        nb.setdefault("metadata", {}).setdefault("papermill", {})["output_path"] = str(failed)
        write_atomic(failed, nbformat.writes(nb))
    except Exception:  # noqa: BLE001 - the error itself matters more than its notebook
        pass
    cell, count = failed_cell(nb)
    if cell is None and run.running is not None:  # a dead kernel or a timeout: no output
        from bri_analysis.build.engine import source_cell_number

        cell = source_cell_number(nb, run.running)
        count = nb["cells"][run.running].get("execution_count")
    return cell, count


def failed_cell(nb: Mapping[str, Any]) -> tuple[int | None, int | None]:
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
    elif type(exc).__name__ == "DeadKernelError":
        text = "the kernel died while this cell ran"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return first_line(text)


def first_line(value: object, limit: int = 300) -> str:
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    text = lines[0] if lines else type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
