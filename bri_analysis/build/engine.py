"""A papermill engine that tells which cell runs and keeps the notebook when a run breaks.

papermill's own engine saves the whole notebook at every cell start and end; this one
writes nothing (the worker writes the result once) and keeps the executed notebook in
memory, so a failed run's notebook and the cell that was running are known even when the
kernel dies or a cell times out. It is papermill's ``nbclient`` engine otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE_NAME = "bri_analysis.build"


@dataclass
class Run:
    """What one execution saw: the notebook, the running cell, when the first cell started."""

    on_cell: Callable[[int], None] | None = None
    nb: Any = None
    running: int | None = None  # index in the executed notebook
    started: float = field(default_factory=time.perf_counter)
    first_cell_at: float | None = None

    @property
    def kernel_started(self) -> bool:
        return self.first_cell_at is not None


class _Manager(NotebookExecutionManager):
    def __init__(self, nb: Any, run: Run, **kwargs: Any) -> None:
        super().__init__(nb, **kwargs)
        self.run = run
        run.nb = nb

    def cell_start(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
        super().cell_start(cell, cell_index, **kwargs)
        self.run.nb = self.nb
        if self.run.first_cell_at is None:
            self.run.first_cell_at = time.perf_counter()
        if cell.get("cell_type") == "code":
            self.run.running = cell_index
            if self.run.on_cell is not None and cell_index is not None:
                self.run.on_cell(source_cell_number(self.nb, cell_index))


class BuilderEngine(NBClientEngine):
    """``NBClientEngine`` with the in-memory manager above; ``run`` is a ``Run``."""

    @classmethod
    def execute_notebook(  # type: ignore[override]
        cls,
        nb: Any,
        kernel_name: str,
        output_path: Any = None,
        progress_bar: bool = True,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        *,
        run: Run,
        **kwargs: Any,
    ) -> Any:
        manager = _Manager(nb, run, output_path=None, progress_bar=False, autosave_cell_every=0)
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.notebook_complete()
        return manager.nb


papermill_engines.register(ENGINE_NAME, BuilderEngine)

_PAPERMILL_CELLS = {"injected-parameters", "papermill-error-cell-tag"}


def source_cell_number(nb: Any, index: int) -> int:
    """1-based position in the source notebook of the executed notebook's cell ``index``."""
    cells = nb["cells"][: index + 1]
    return sum(
        1 for c in cells if not _PAPERMILL_CELLS & set(c.get("metadata", {}).get("tags", []))
    )


def execute(
    notebook: Path,
    parameters: Mapping[str, Any],
    *,
    kernel: str,
    start_timeout: int,
    execution_timeout: int,
    run: Run,
    km: Any = None,
) -> Any:
    """Execute ``notebook`` with papermill; returns the executed notebook or raises."""
    import papermill

    extra: dict[str, Any] = {"km": km} if km is not None else {"shutdown_kernel": "immediate"}
    return papermill.execute_notebook(
        str(notebook),
        None,
        parameters=dict(parameters),
        engine_name=ENGINE_NAME,
        request_save_on_cell_execute=False,
        kernel_name=kernel,
        start_timeout=start_timeout,
        execution_timeout=execution_timeout,
        progress_bar=False,
        cwd=str(notebook.parent),
        run=run,
        **extra,
    )
