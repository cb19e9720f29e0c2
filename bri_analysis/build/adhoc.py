"""``bri-analysis run NOTEBOOK``: one notebook, ad hoc, outside the catalog's site.

The same parameter checks, kernel settings and HTML export as a build, warm or cold, but
nothing of ``reports/`` is read or written: the page goes where ``--html`` says, through a
staging folder next to it, and the manifest never hears of it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bri_analysis.build import catalog as rc
from bri_analysis.build import inspection, outdir
from bri_analysis.build.warm import WorkerConfig, run_once
from bri_analysis.build.worker import Outcome, Task
from bri_analysis.paths import default_data_dir


def run_notebook(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    html: str | Path,
    *,
    notebook_out: str | Path | None = None,
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    warm: bool = True,
) -> tuple[Outcome, str | None]:
    """Execute ``notebook`` with ``parameters`` and write its page to ``html``.

    Unknown parameters and values that do not fit the notebook's annotations raise
    ``CatalogError`` before any kernel starts; parameters not given keep the notebook's
    defaults. The catalog is read for its ``[build]`` settings only (kernel, timeouts,
    preload). Returns the outcome and the note about cold kernels, if any.
    """
    path = Path(notebook).expanduser().resolve()
    if not path.is_file():
        raise rc.CatalogError([f"notebook not found: {notebook}"])
    declared = inspection.declared_parameters(path, inspection.read_notebook(path))
    values = dict(parameters)
    if data_dir is not None:
        values["data_dir"] = str(Path(data_dir).expanduser().resolve())
    problems = inspection.parameter_problems(str(notebook), values, declared)
    if problems:
        raise rc.CatalogError(problems)
    settings = _settings(catalog)
    target = Path(html).expanduser().resolve()
    outdir.prepare(target.parent)
    stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=".bri-run-"))
    try:
        task = Task(
            report_id=target.stem,
            title=_title(path),
            notebook=path,
            parameters=values,
            out_dir=target.parent,
            stage_dir=stage,
            kernel=settings.kernel,
            start_timeout=int(settings.start_timeout),
            execution_timeout=int(settings.execution_timeout),
        )
        config = WorkerConfig(
            kernel=settings.kernel,
            data_dir=Path(values.get("data_dir") or default_data_dir()),
            preload=settings.preload,
            preload_hook=settings.preload_hook,
            warm=warm,
        )
        saved = dict(os.environ)  # warm-up sets variables for the kernels, not for the caller
        try:
            outcome, note = run_once(task, config)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        staged = task.staged
        if outcome.ok:
            outdir.move(staged.html, target)
            if notebook_out is not None:
                outdir.move(staged.notebook, Path(notebook_out).expanduser().resolve())
        elif staged.failed.exists():
            outdir.move(staged.failed, target.with_suffix(".failed.ipynb"))
        return outcome, note
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _settings(catalog: str | Path | None) -> rc.Catalog:
    path = rc.catalog_path(catalog)
    if not path.exists() and catalog is None:
        return rc.Catalog(path=path, kernel=rc.DEFAULT_KERNEL, families=())
    return rc.load_catalog(path)


def _title(notebook: Path) -> str:
    """The notebook's first Markdown heading, else its file name."""
    nb = inspection.read_notebook(notebook)
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            for line in source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem
