"""Where a report's time goes, cold and warm: kernel start, imports, data load, cells, HTML.

For one report of each family of ``reports.toml`` this runs the builder's own worker code
(``bri_analysis.build.warm``) on a copy of the notebook whose set-up cell is split in two:
its import statements, then the rest (``reporting.setup``: the data load and the
parameter checks). Cold: a fresh kernel per report, as a plain papermill run. Warm: a
worker that preloaded the report stack once (its one-off warm-up time is shown) forks
each report's kernel. "floor" is the report's own cells alone, which no builder can avoid.

    python benchmarks/bench_split.py
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("kernel start", "imports", "data load", "cells", "HTML export", "total")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--mode":
        print(json.dumps(_measure(sys.argv[2])))
        return 0
    results = {}
    for mode in ("cold", "warm"):
        done = subprocess.run(
            [sys.executable, __file__, "--mode", mode], capture_output=True, text=True, check=True
        )
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{'report':<28} {'mode':<5} " + " ".join(f"{s:>12}" for s in STEPS) + f" {'floor':>8}")
    for rid in results["cold"]["reports"]:
        for mode in ("cold", "warm"):
            row = results[mode]["reports"][rid]
            cells = " ".join(f"{row[s]:>12.2f}" for s in STEPS)
            print(f"{rid:<28} {mode:<5} {cells} {row['cells']:>8.2f}")
    print(f"warm worker warm-up (once per worker): {results['warm']['warm_up']:.2f} s")
    return 0


def _measure(mode: str) -> dict:
    from bri_analysis.build import catalog as rc
    from bri_analysis.build import warm
    from bri_analysis.build.runner import Plan
    from bri_analysis.build.worker import Task
    from bri_analysis.paths import default_data_dir

    plan = Plan.make()
    config = warm.WorkerConfig(
        kernel=plan.catalog.kernel,
        data_dir=default_data_dir(),
        preload=plan.catalog.preload,
        preload_hook=plan.catalog.preload_hook,
        warm=mode == "warm",
    )
    started = time.perf_counter()
    state = warm.warm_up(config)
    warm_up = time.perf_counter() - started
    if mode == "warm" and not state.warm:
        raise SystemExit(f"no warm kernels: {state.note}")
    stage = Path(tempfile.mkdtemp(prefix="bench_split_"))
    reports = {}
    for fam in plan.catalog.families:
        report = next(r for r in plan.reports if r.family == fam.name)
        notebook = _split_setup(report.notebook, stage)
        task = Task(
            report_id=report.id,
            title=report.title,
            notebook=notebook,
            parameters=plan.parameters_for(report, {}),
            out_dir=stage,
            stage_dir=stage,
            kernel=plan.catalog.kernel,
            start_timeout=int(rc.DEFAULT_START_TIMEOUT),
            execution_timeout=int(rc.DEFAULT_EXECUTION_TIMEOUT),
        )
        outcome = warm.build(task, state, lambda _message: None)
        if not outcome.ok:
            raise SystemExit(f"{report.id}: {outcome.error}")
        reports[report.id] = _split(outcome, task.staged.notebook)
    return {"warm_up": warm_up, "reports": reports}


def _split_setup(notebook: Path, folder: Path) -> Path:
    """A copy whose first code cell after the parameters is two: imports, then the rest."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = nb["cells"]
    first = next(
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])
    )
    source = "".join(cells[first]["source"])
    body = ast.parse(source).body
    cut = next((n for n in body if not isinstance(n, ast.Import | ast.ImportFrom)), None)
    lines = source.splitlines(keepends=True)
    at = (cut.lineno - 1) if cut is not None else len(lines)
    imports = dict(cells[first], source="".join(lines[:at]), metadata={"tags": ["bench-imports"]})
    rest = dict(cells[first], source="".join(lines[at:]), metadata={"tags": ["bench-load"]})
    nb["cells"] = cells[:first] + [imports, rest] + cells[first + 1 :]
    copy = folder / f"split_{notebook.name}"
    copy.write_text(json.dumps(nb), encoding="utf-8")
    return copy


def _split(outcome, executed: Path) -> dict:
    nb = json.loads(executed.read_text(encoding="utf-8"))
    steps = {"imports": 0.0, "data load": 0.0, "cells": 0.0}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tags = cell["metadata"].get("tags", [])
        duration = cell["metadata"].get("papermill", {}).get("duration") or 0.0
        if "bench-imports" in tags:
            steps["imports"] += duration
        elif "bench-load" in tags:
            steps["data load"] += duration
        elif not {"parameters", "injected-parameters"} & set(tags):
            steps["cells"] += duration
    steps["kernel start"] = outcome.timings["kernel_start"]
    steps["HTML export"] = outcome.timings["html"]
    steps["total"] = outcome.duration_s
    return steps


if __name__ == "__main__":
    sys.exit(main())
