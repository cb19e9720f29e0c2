"""Plan and run a build: execute report notebooks in parallel, incrementally.

The catalog (reports.toml) says what to build. Each report runs with papermill in a worker
process (papermill is not thread-safe), is converted to HTML in the same worker and is
written atomically into ``reports/`` only when it succeeds; a failure keeps the last good
page and leaves the executed notebook in ``reports/failed/``. ``reports/manifest.json``
holds a hash of each report's inputs so that unchanged reports are skipped. The runner
accepts any ``concurrent.futures.Executor`` (e.g. a Dask client's ``get_executor()``).
"""

from __future__ import annotations

import ast
import json
import math
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bri_analysis.build import catalog as rc
from bri_analysis.build import inspection, site
from bri_analysis.build import manifest as mf
from bri_analysis.build.worker import Outcome, Task, first_line, now, run_report
from bri_analysis.fileio import write_atomic
from bri_analysis.paths import REPORTS_DIR, default_data_dir


@dataclass
class BuildResult:
    """Report ids built and skipped, and the failures with their error line."""

    out_dir: Path
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        total = len(self.built) + len(self.skipped) + len(self.failed)
        lines = [
            f"built {len(self.built)}, skipped {len(self.skipped)} (unchanged), "
            f"failed {len(self.failed)} of {total} reports in {self.seconds:.1f} s"
        ]
        groups: dict[str, list[str]] = {}
        for report_id, error in self.failed.items():
            groups.setdefault(error, []).append(report_id)
        for error, ids in groups.items():  # one line per distinct error
            if len(ids) == 1:
                lines.append(f"FAILED {ids[0]}: {error}")
            else:
                more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
                lines.append(f"FAILED {len(ids)} reports ({', '.join(ids[:3])}{more}): {error}")
            paths = site.OutputPaths.of(self.out_dir, ids[0])
            extra = [
                f"{what} {show_path(p)}"
                for what, p in (("notebook", paths.failed), ("log", paths.log))
                if p.exists()
            ]
            if extra:
                lines.append(f"       {' · '.join(extra)}")
        lines.append(f"index: {show_path(self.out_dir / 'index.html')}")
        return "\n".join(lines)


def build_reports(
    selection: Sequence[str] = (),
    *,
    catalog: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    force: bool = False,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: bool = True,
) -> BuildResult:
    """Build the selected reports (report ids, family names or globs; none = all).

    ``parameters`` override catalog values for every selected report; ``data_dir`` is
    passed to each notebook's ``data_dir`` parameter. Unknown parameters raise
    ``CatalogError`` before any kernel starts. ``executor`` defaults to a process pool of
    ``jobs`` workers (default: CPU count); any ``concurrent.futures.Executor`` works.
    """
    started = time.perf_counter()
    overrides = dict(parameters or {})
    if data_dir is not None and "data_dir" in overrides:
        raise rc.CatalogError(["give the data folder once: --data-dir or -p data_dir=..."])
    folder = data_dir if data_dir is not None else overrides.pop("data_dir", None)
    if folder is not None:  # absolute: notebooks run in their own folder
        overrides["data_dir"] = str(Path(folder).expanduser().resolve())
    if jobs is not None and jobs < 1:
        raise rc.CatalogError([f"--jobs must be at least 1, got {jobs}"])
    plan = Plan.make(catalog=catalog, out_dir=out_dir, data_dir=overrides.get("data_dir"))
    chosen, broken = rc.select(plan.reports, selection, plan.catalog_families, plan.family_errors)
    problems = plan.parameter_problems(chosen, overrides) + _blurring(chosen, overrides)
    if problems:
        raise rc.CatalogError(problems)

    result = BuildResult(out_dir=plan.out_dir)
    for family in broken:
        result.failed[family] = f"could not list reports: {plan.family_errors[family]}"
    tasks = []
    for report in chosen:
        params = {**report.parameters, **overrides}
        error = plan.notebook(report.notebook).problem
        if error:
            plan.record(report, params, None, Outcome(report.id, False, now(), 0.0, message=error))
            result.failed[report.id] = error
        elif not force and plan.is_current(report, params):
            result.skipped.append(report.id)
        else:
            tasks.append(plan.task(report, params))
    try:
        for outcome in _run(tasks, plan, executor, jobs, progress):
            if outcome.ok:
                result.built.append(outcome.report_id)
            else:
                result.failed[outcome.report_id] = outcome.error or "failed"
    finally:
        plan.manifest.save()
        plan.write_index()
    order = {r.id: i for i, r in enumerate(plan.reports)}
    result.built.sort(key=order.__getitem__)
    result.failed = dict(sorted(result.failed.items(), key=lambda kv: order.get(kv[0], -1)))
    result.seconds = time.perf_counter() - started
    return result


def _blurring(reports: Sequence[rc.Report], overrides: Mapping[str, Any]) -> list[str]:
    """Overrides that would give several selected reports the parameter telling them apart."""
    problems = []
    for key in overrides:
        values = {json.dumps(r.parameters.get(key), sort_keys=True) for r in reports}
        if len(values) > 1:
            problems.append(
                f"-p {key}: {len(reports)} selected reports differ in {key!r}, so the same "
                "value would make them identical; select one report"
            )
    return problems


def catalog_reports(
    catalog: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
) -> list[rc.Report]:
    """Every report the catalog makes (expand hooks run or reused), in catalog order.

    Families whose hook fails are left out; ``bri-analysis list`` names them.
    """
    return Plan.make(catalog=catalog, out_dir=out_dir, data_dir=data_dir).reports


@dataclass(frozen=True)
class _Notebook:
    hash: str
    declared: Mapping[str, ast.expr | None]
    problem: str | None


class Plan:
    """The catalog resolved against the data, the manifest and the notebooks on disk."""

    def __init__(self, catalog: rc.Catalog, out_dir: Path, data_dir: Path):
        self.catalog = catalog
        self.out_dir = out_dir
        self.data_dir = data_dir
        self.manifest = mf.Manifest.load(out_dir)
        self.family_errors: dict[str, str] = {}
        self._notebooks: dict[Path, _Notebook] = {}
        if not data_dir.is_dir():
            raise rc.CatalogError([f"data folder not found: {data_dir}"])
        self.shared_hash = mf.canonical_hash(
            {
                "data": mf.hash_files(data_dir, mf.data_files(data_dir)),
                "library": mf.library_hash(),
                "versions": mf.dependency_versions(),
                "kernel": catalog.kernel,
            }
        )
        self.reports = catalog.reports(self._expand())
        self.catalog_families = [f.name for f in catalog.families]

    @classmethod
    def make(
        cls,
        catalog: str | Path | None = None,
        out_dir: str | Path | None = None,
        data_dir: str | Path | None = None,
    ) -> Plan:
        folder = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
        out = Path(out_dir).expanduser().resolve() if out_dir else REPORTS_DIR
        return cls(rc.load_catalog(catalog), out, folder)

    def _expand(self) -> dict[str, list[rc.Variant]]:
        """Run each family's expand hook, or reuse its result for unchanged data and code."""
        expanded = {}
        for fam in self.catalog.families:
            if fam.expand is None:
                continue
            key = mf.canonical_hash([fam.expand, self.shared_hash])
            cached = self.manifest.expansion(fam.name, key)
            if cached is not None:
                expanded[fam.name] = [rc.Variant(**v) for v in cached]
                continue
            try:
                variants = rc.expand_family(fam, self.data_dir)
            except Exception as exc:  # a hook failure fails its family, not the build
                self.family_errors[fam.name] = first_line(exc)
                continue
            self.manifest.set_expansion(
                fam.name,
                key,
                [
                    {"slug": v.slug, "title": v.title, "parameters": dict(v.parameters)}
                    for v in variants
                ],
            )
            expanded[fam.name] = variants
        return expanded

    def notebook(self, path: Path) -> _Notebook:
        """A notebook's hash and declared parameters, or what is wrong with it; read once."""
        if path not in self._notebooks:
            try:
                if not path.exists():
                    raise rc.CatalogError([f"notebook not found: {show_path(path)}"])
                nb = inspection.read_notebook(path)
                declared = inspection.declared_parameters(path, nb)
                self._notebooks[path] = _Notebook(mf.notebook_hash(nb), declared, None)
            except rc.CatalogError as exc:
                self._notebooks[path] = _Notebook("", {}, str(exc))
        return self._notebooks[path]

    def parameter_problems(
        self, reports: Sequence[rc.Report], overrides: Mapping[str, Any]
    ) -> list[str]:
        """Catalog values and overrides checked against each notebook's parameters cell."""
        problems: list[str] = []
        checked_overrides: set[Path] = set()
        for report in reports:
            nb = self.notebook(report.notebook)
            if nb.problem:  # the report fails on its own; the others can still build
                continue
            problems += inspection.parameter_problems(
                f"{report.id} (catalog)", report.parameters, nb.declared
            )
            if overrides and report.notebook not in checked_overrides:
                checked_overrides.add(report.notebook)
                label = f"command line, for {show_path(report.notebook)}"
                problems += inspection.parameter_problems(label, overrides, nb.declared)
        return problems

    def input_hash(self, report: rc.Report, params: Mapping[str, Any]) -> str:
        return mf.canonical_hash(
            {
                "notebook": self.notebook(report.notebook).hash,
                "parameters": params,
                "title": report.title,
                "shared": self.shared_hash,
            }
        )

    def is_current(self, report: rc.Report, params: Mapping[str, Any]) -> bool:
        paths = site.OutputPaths.of(self.out_dir, report.id)
        return self.manifest.is_current(
            report.id, self.input_hash(report, params), (paths.html, paths.notebook)
        )

    def status(self, report: rc.Report) -> str:
        """For ``list``: up to date, changed, failed, not built, or a notebook problem."""
        if not report.notebook.exists():
            return "notebook missing"
        if self.notebook(report.notebook).problem:
            return "bad notebook"
        entry = self.manifest.reports.get(report.id)
        if entry is None:
            return "not built"
        if entry["status"] == "failed":
            return "failed"
        return "up to date" if self.is_current(report, report.parameters) else "changed"

    def task(self, report: rc.Report, params: Mapping[str, Any]) -> Task:
        return Task(
            report_id=report.id,
            title=report.title,
            notebook=report.notebook,
            parameters=params,
            out_dir=self.out_dir,
            kernel=self.catalog.kernel,
            start_timeout=math.ceil(report.start_timeout),
            execution_timeout=math.ceil(report.execution_timeout),
        )

    def record(
        self, report: rc.Report, params: Mapping[str, Any], input_hash: str | None, out: Outcome
    ) -> None:
        entry: dict[str, Any] = {
            "family": report.family,
            "title": report.title,
            "notebook": show_path(report.notebook, self.catalog.path.parent),
            "parameters": dict(params),
            "status": "ok" if out.ok else "failed",
            "input_hash": input_hash,
            "attempted_at": out.started_at,
            "duration_s": round(out.duration_s, 2),
            "error": out.error,
        }
        if out.ok:
            entry["built_at"] = out.started_at
        self.manifest.record(report.id, entry)

    def write_index(self) -> None:
        sections = []
        for fam in self.catalog.families:
            rows = [self._index_row(r) for r in self.reports if r.family == fam.name]
            error = self.family_errors.get(fam.name)
            sections.append(site.IndexSection(fam.name, fam.title, fam.description, rows, error))
        page = site.render_index(sections, now())
        write_atomic(self.out_dir / "index.html", page)

    def _index_row(self, report: rc.Report) -> site.IndexRow:
        entry = self.manifest.reports.get(report.id, {})
        good = entry.get("last_good") or {}
        paths = site.OutputPaths.of(self.out_dir, report.id)
        return site.IndexRow(
            report_id=report.id,
            title=report.title,
            parameters=good.get("parameters", entry.get("parameters", report.parameters)),
            status=entry.get("status", "not built"),
            built_at=good.get("built_at"),
            duration_s=good.get("duration_s"),
            error=entry.get("error"),
            has_html=paths.html.exists(),
            has_notebook=paths.notebook.exists(),
            has_failed_notebook=entry.get("status") == "failed" and paths.failed.exists(),
            has_log=paths.log.exists(),
        )


def _run(
    tasks: list[Task], plan: Plan, executor: Executor | None, jobs: int | None, progress: bool
) -> Iterator[Outcome]:
    """Submit tasks (longest last build first), record each outcome as it arrives."""
    if not tasks:
        return
    last = {rid: e.get("duration_s") or 0.0 for rid, e in plan.manifest.reports.items()}
    tasks = sorted(tasks, key=lambda t: -last.get(t.report_id, math.inf))
    by_id = {r.id: r for r in plan.reports}
    own = executor is None
    pool = executor or ProcessPoolExecutor(
        max_workers=min(jobs or os.cpu_count() or 1, len(tasks)),
        mp_context=multiprocessing.get_context("spawn"),
    )
    futures: dict[Future[Outcome], Task] = {pool.submit(run_report, t): t for t in tasks}
    bar = _progress_bar(len(tasks)) if progress else None
    failed = 0
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            outcome = _result(future, task)
            report = by_id[task.report_id]
            plan.record(report, task.parameters, plan.input_hash(report, task.parameters), outcome)
            plan.manifest.save()
            failed += not outcome.ok
            if bar is not None:
                bar.set_description_str(
                    f"done {done - failed} · failed {failed} · left {len(tasks) - done}"
                )
                bar.update()
            yield outcome
    finally:
        for future in futures:
            future.cancel()
        if bar is not None:
            bar.close()
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def _progress_bar(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=f"done 0 · failed 0 · left {total}",
        unit="report",
        file=sys.stderr,
        disable=None,  # no bar when stderr is not a terminal
        bar_format="{desc} |{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]",
    )


def _result(future: Future[Outcome], task: Task) -> Outcome:
    """The worker's outcome, or a failure when the worker itself broke (e.g. it was killed)."""
    try:
        return future.result()
    except Exception as exc:
        return Outcome(task.report_id, False, now(), 0.0, message=f"worker error: {exc!r}")


def show_path(path: Path, base: Path | None = None) -> str:
    """A path relative to ``base`` (default: the working directory) when it is inside it."""
    try:
        return str(path.relative_to(base or Path.cwd()))
    except ValueError:
        return str(path)
