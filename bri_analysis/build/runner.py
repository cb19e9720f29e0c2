"""Plan and run a build: execute report notebooks in parallel, incrementally.

The catalog (reports.toml) says what to build. The runner holds the output folder's lock
(``lock``), hands reports to workers (``pool``: warm workers, or any
``concurrent.futures.Executor`` such as a Dask client's ``get_executor()``), and is the
only process that changes the site: a worker stages a report's files, and ``Plan.commit``
moves them into place and records them in ``reports/manifest.json`` in one step. A failure
keeps the last good page and leaves the executed notebook in ``reports/failed/``. The
manifest holds a hash of each report's inputs so that unchanged reports are skipped.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import math
import os
import shutil
import sys
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bri_analysis.build import catalog as rc
from bri_analysis.build import inspection, lifeline, lock, outdir, site
from bri_analysis.build import manifest as mf
from bri_analysis.build.errors import BuildInterrupted
from bri_analysis.build.pool import Note, Pool
from bri_analysis.build.warm import WorkerConfig
from bri_analysis.build.worker import Outcome, Task, first_line, now, run_report
from bri_analysis.fileio import write_atomic
from bri_analysis.fingerprint import hash_files
from bri_analysis.paths import default_data_dir, default_reports_dir

DATA_PARAMETER = "data_dir"  # the notebook parameter that names the data folder
JOBS_PER_CPU = 2
INDEX_EVERY_S = 1.0  # index.html is derived from the manifest: refreshed at most this often


@dataclass
class BuildResult:
    """Report ids built and skipped, and the failures with their error line."""

    out_dir: Path
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

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
    wait: bool = False,
    warm: bool = True,
    on_note: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the selected reports (report ids, family names or globs; none = all).

    ``parameters`` override catalog values for every selected report; ``data_dir`` is
    passed to each notebook's ``data_dir`` parameter. Unknown or unpinned parameters raise
    ``CatalogError`` before anything is written. Reports run in the builder's own pool of
    ``jobs`` warm workers (default: CPU count; ``warm=False``: cold kernels), or on any
    ``concurrent.futures.Executor``. One build per output folder at a time: another
    build's lock raises ``BuildLocked`` unless ``wait``. ``on_note`` gets one-line notes
    (also kept in ``BuildResult.notes``). SIGINT/SIGTERM/SIGHUP stop the workers and raise
    ``BuildInterrupted``; a broken output folder raises ``OutputFolderError``.
    """
    started = time.perf_counter()
    notes: list[str] = []

    def note(text: str) -> None:
        if text not in notes:
            notes.append(text)
            if on_note is not None:
                on_note(text)

    overrides = dict(parameters or {})
    if data_dir is not None and DATA_PARAMETER in overrides:
        raise rc.CatalogError(["give the data folder once: --data-dir or -p data_dir=..."])
    folder = data_dir if data_dir is not None else overrides.pop(DATA_PARAMETER, None)
    if folder is not None:  # absolute: notebooks run in their own folder
        overrides[DATA_PARAMETER] = str(Path(folder).expanduser().resolve())
    jobs = _jobs(jobs, note)
    plan = Plan.make(catalog=catalog, out_dir=out_dir, data_dir=overrides.get(DATA_PARAMETER))
    chosen, broken = rc.select(plan.reports, selection, plan.catalog_families, plan.family_errors)
    problems = plan.parameter_problems(chosen, overrides) + _blurring(chosen, overrides)
    if problems:
        raise rc.CatalogError(problems)

    out = outdir.prepare(plan.out_dir)
    with lock.hold(out, wait=wait, on_wait=note):
        outdir.check(out)
        plan.reload_manifest(note)
        result = BuildResult(out_dir=out, notes=notes)
        staging = outdir.Staging(out)
        try:
            for family in broken:
                result.failed[family] = f"could not list reports: {plan.family_errors[family]}"
            tasks = []
            for report in chosen:
                params = plan.parameters_for(report, overrides)
                error = plan.notebook(report.notebook).problem
                if error:
                    plan.record(
                        report, params, None, Outcome(report.id, False, now(), 0.0, message=error)
                    )
                    result.failed[report.id] = error
                elif not force and plan.is_current(report, params):
                    result.skipped.append(report.id)
                else:
                    tasks.append(plan.task(report, params, staging.dir))
            for outcome in _run(tasks, plan, executor, jobs, progress, warm, note):
                if outcome.ok:
                    result.built.append(outcome.report_id)
                else:
                    result.failed[outcome.report_id] = outcome.error or "failed"
        except BuildInterrupted as stop:
            stop.result = result
            raise
        finally:
            _finish(plan, staging)
    order = {r.id: i for i, r in enumerate(plan.reports)}
    result.built.sort(key=order.__getitem__)
    result.failed = dict(sorted(result.failed.items(), key=lambda kv: order.get(kv[0], -1)))
    result.seconds = time.perf_counter() - started
    return result


def _finish(plan: Plan, staging: outdir.Staging) -> None:
    """Save the manifest and the index, remove the staging area (also when stopping)."""
    try:
        plan.manifest.save()
        plan.write_index()
    except OSError as exc:
        if exc.__context__ is None:  # not already stopping for another reason
            raise outdir.folder_error(exc, plan.out_dir) from None
    finally:
        staging.cleanup()


def _jobs(jobs: int | None, note: Callable[[str], None]) -> int:
    """Worker count: at least 1, at most ``JOBS_PER_CPU`` per CPU (capped with a note)."""
    cpus = os.cpu_count() or 1
    if jobs is None:
        return cpus
    if jobs < 1:
        raise rc.CatalogError([f"--jobs must be at least 1, got {jobs}"])
    cap = JOBS_PER_CPU * cpus
    if jobs > cap:
        note(
            f"--jobs {jobs} is more than this machine can use; using {cap} ({JOBS_PER_CPU} per CPU)"
        )
        return cap
    return jobs


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
                "data": hash_files(data_dir, mf.data_files(data_dir)),
                "library": mf.library_hash(),
                "versions": mf.dependency_versions(),
                "kernel": catalog.kernel,
            }
        )
        self.reports = catalog.reports(self._expand())
        self.by_id = {r.id: r for r in self.reports}
        self._index_written = 0.0
        self.catalog_families = [f.name for f in catalog.families]

    def reload_manifest(self, note: Callable[[str], None]) -> None:
        """Read the manifest again under the lock (keeping this plan's expansions); keep a
        copy of a malformed one (``manifest.json.bad``) and say what is rebuilt."""
        expansions = self.manifest.expansions
        self.manifest = mf.Manifest.load(self.out_dir)
        self.manifest.expansions.update(expansions)
        if self.manifest.problem:
            shutil.copyfile(
                self.manifest.path, self.manifest.path.with_name(mf.MANIFEST_NAME + ".bad")
            )
            note(f"{self.manifest.problem} (kept as {mf.MANIFEST_NAME}.bad)")

    @classmethod
    def make(
        cls,
        catalog: str | Path | None = None,
        out_dir: str | Path | None = None,
        data_dir: str | Path | None = None,
    ) -> Plan:
        folder = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
        out = Path(out_dir).expanduser().resolve() if out_dir else default_reports_dir()
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
                try:
                    expanded[fam.name] = [rc.Variant(**v) for v in cached]
                    continue
                except TypeError:  # a malformed cache entry: run the hook again
                    pass
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
        reported: set[tuple[str, str]] = set()
        for report in reports:
            nb = self.notebook(report.notebook)
            if nb.problem:  # the report fails on its own; the others can still build
                continue
            problems += inspection.parameter_problems(
                f"{report.id} (catalog)", report.parameters, nb.declared
            )
            unpinned = [
                n for n in nb.declared if n not in report.parameters and n != DATA_PARAMETER
            ]
            for name in unpinned:
                key = (report.family, name)
                if key not in reported:
                    reported.add(key)
                    problems.append(
                        f"{report.id} (catalog): notebook parameter {name!r} is not pinned in "
                        f"{show_path(self.catalog.path)}; give it a value in "
                        f"[family.{report.family}] parameters (or list it in `none`), so the "
                        "report does not depend on what was last saved in the notebook"
                    )
            if overrides and report.notebook not in checked_overrides:
                checked_overrides.add(report.notebook)
                label = f"command line, for {show_path(report.notebook)}"
                problems += inspection.parameter_problems(label, overrides, nb.declared)
        return problems

    def parameters_for(self, report: rc.Report, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter the report's notebook declares, given explicitly: the catalog's
        pins, the overrides, and ``data_dir`` (None: the notebook's default data folder)."""
        params = {**report.parameters, **overrides}
        if DATA_PARAMETER in self.notebook(report.notebook).declared:
            params.setdefault(DATA_PARAMETER, None)
        return params

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
            report.id,
            self.input_hash(report, params),
            {"html": paths.html, "notebook": paths.notebook},
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
        params = self.parameters_for(report, {})
        return "up to date" if self.is_current(report, params) else "changed"

    def task(self, report: rc.Report, params: Mapping[str, Any], stage_dir: Path) -> Task:
        return Task(
            report_id=report.id,
            title=report.title,
            notebook=report.notebook,
            parameters=params,
            out_dir=self.out_dir,
            stage_dir=stage_dir,
            kernel=self.catalog.kernel,
            start_timeout=math.ceil(report.start_timeout),
            execution_timeout=math.ceil(report.execution_timeout),
            input_hash=self.input_hash(report, params),
            shown_parameters=shown_parameters(params),
        )

    def commit(self, task: Task, outcome: Outcome) -> Outcome:
        """Move a finished report's staged files into place and record it, in one step.

        A success without its staged files (a worker writing elsewhere) becomes a failure.
        """
        final, staged = site.OutputPaths.of(self.out_dir, task.report_id), task.staged
        if outcome.ok and not (staged.html.exists() and staged.notebook.exists()):
            outcome = dataclasses.replace(
                outcome,
                ok=False,
                message=f"the worker's files are missing from {show_path(task.stage_dir)} "
                "(do the workers share the output folder's file system?)",
            )
        try:
            if outcome.ok:
                outdir.move(staged.html, final.html)
                outdir.move(staged.notebook, final.notebook)
                final.failed.unlink(missing_ok=True)
            elif staged.failed.exists():
                outdir.move(staged.failed, final.failed)
            if staged.log.exists():
                outdir.move(staged.log, final.log)
            report = self.by_id[task.report_id]
            self.record(report, task.parameters, task.input_hash, outcome, final)
            self.manifest.save()
            if time.monotonic() - self._index_written > INDEX_EVERY_S:
                self.write_index()
        except OSError as exc:
            raise outdir.folder_error(exc, self.out_dir) from None
        return outcome

    def record(
        self,
        report: rc.Report,
        params: Mapping[str, Any],
        input_hash: str | None,
        out: Outcome,
        final: site.OutputPaths | None = None,
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
            "kernel": out.mode,
        }
        if out.ok and final is not None:
            entry["built_at"] = out.started_at
            entry["outputs"] = {
                "html": mf.file_identity(final.html),
                "notebook": mf.file_identity(final.notebook),
            }
        self.manifest.record(report.id, entry)

    def write_index(self) -> None:
        """index.html from the manifest (during a build at most every ``INDEX_EVERY_S``;
        always at its end)."""
        self._index_written = time.monotonic()
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
            parameters=shown_parameters(
                good.get("parameters", entry.get("parameters", report.parameters))
            ),
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
    tasks: list[Task],
    plan: Plan,
    executor: Executor | None,
    jobs: int,
    progress: bool,
    warm: bool,
    note: Callable[[str], None],
) -> Iterator[Outcome]:
    """Run tasks (longest last build first); commit each outcome as it arrives."""
    if not tasks:
        return
    last = {rid: e.get("duration_s") or 0.0 for rid, e in plan.manifest.reports.items()}
    tasks = sorted(tasks, key=lambda t: -(last.get(t.report_id) or math.inf))
    by_id = {t.report_id: t for t in tasks}
    bar = _progress_bar(len(tasks)) if progress else None
    counts = {"done": 0, "failed": 0}
    with lifeline.stop_signals():
        if executor is None:
            config = WorkerConfig(
                kernel=plan.catalog.kernel,
                data_dir=plan.data_dir,
                preload=plan.catalog.preload,
                preload_hook=plan.catalog.preload_hook,
                warm=warm,
            )
            events = _in_pool(tasks, min(jobs, len(tasks)), config, tasks[0].stage_dir)
        else:
            events = _on_executor(tasks, executor)
        try:
            for event in events:
                if isinstance(event, Note):
                    note(event.text)
                    continue
                outcome = plan.commit(by_id[event.report_id], event)
                if outcome.errno in outdir.FATAL_ERRNOS:
                    raise outdir.OutputFolderError(
                        f"{outcome.report_id}: {outcome.message}; the build stopped and nothing "
                        "was lost (pages not yet moved into place keep their last good version)"
                    )
                counts["done"] += 1
                counts["failed"] += not outcome.ok
                if bar is not None:
                    bar.set_description_str(
                        f"done {counts['done'] - counts['failed']} · failed {counts['failed']} · "
                        f"left {len(tasks) - counts['done']}"
                    )
                    bar.update()
                yield outcome
        finally:
            events.close()
            if bar is not None:
                bar.close()


def _in_pool(
    tasks: list[Task], size: int, config: WorkerConfig, stage_dir: Path
) -> Generator[Outcome | Note, None, None]:
    pool = Pool(size, config, stage_dir)
    stopped = True
    try:
        yield from pool.run(tasks)
        stopped = False
    except BuildInterrupted as stop:
        stop.stopped, stop.queued = pool.running(), pool.queued()
        raise
    finally:
        pool.close(kill=stopped)


def _on_executor(tasks: list[Task], executor: Executor) -> Generator[Outcome, None, None]:
    futures: dict[Future[Outcome], Task] = {executor.submit(run_report, t): t for t in tasks}
    try:
        for future in as_completed(futures):
            yield _result(future, futures[future])
    except BuildInterrupted as stop:
        stop.stopped = [(t.report_id, None) for f, t in futures.items() if f.running()]
        stop.queued = [t.report_id for f, t in futures.items() if not f.done() and not f.running()]
        raise
    finally:
        for future in futures:
            future.cancel()


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


def shown_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as a page or the index shows them: ``data_dir`` only when one was given."""
    return {k: v for k, v in params.items() if not (k == DATA_PARAMETER and v is None)}


def show_path(path: Path, base: Path | None = None) -> str:
    """A path relative to ``base`` (default: the working directory) when it is inside it."""
    try:
        return str(path.relative_to(base or Path.cwd()))
    except ValueError:
        return str(path)
