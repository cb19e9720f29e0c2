"""Time ``bri-analysis build --force`` against a plain loop of papermill + nbconvert commands.

Both run the same reports in one run of this script, each with an empty dataset cache of
its own: the loop calls, per report, ``papermill NB OUT -y PARAMS`` then
``jupyter nbconvert --to html --no-input OUT``; the builder runs them in warm worker
processes. Then it times a no-op rebuild (everything unchanged). Goals (issue 12), on the
2-core machine, all reports of reports.toml: the build from scratch under 100 s, at least
15x faster than the loop, a no-op rebuild under 0.3 s.

    python benchmarks/bench_build.py                  # the reports of reports.toml
    python benchmarks/bench_build.py my_catalog.toml  # another catalog
    python benchmarks/bench_build.py --fixtures 8     # 8 reports of the fixture notebook
    python benchmarks/bench_build.py --limit 12       # the first 12 reports only
    python benchmarks/bench_build.py --select 'country-profile-*' --limit 10

Reports whose notebook does not exist yet are left out. The loop costs ~9 s per report
on a 2-core machine, so the full catalog (196 reports) takes about half an hour.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FIXTURE_NOTEBOOK = ROOT / "tests" / "fixtures" / "notebooks" / "ok.ipynb"
GOAL_RATIO = 15.0
GOAL_BUILD_S = 100.0
GOAL_NOOP_S = 0.3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", nargs="?", type=Path, default=ROOT / "reports.toml")
    parser.add_argument("--fixtures", type=int, metavar="N", help="N fixture-notebook reports")
    parser.add_argument("--jobs", type=int, default=None, help="builder workers (default: CPUs)")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N reports")
    parser.add_argument("--select", default="*", metavar="GLOB", help="report ids to time")
    args = parser.parse_args(argv)

    from bri_analysis.build.runner import catalog_reports

    with tempfile.TemporaryDirectory(prefix="bench_build_") as tmp:
        work = Path(tmp)
        catalog, data_dir = args.catalog.resolve(), args.data_dir
        if args.fixtures:
            catalog, data_dir = _fixture_project(work / "project", args.fixtures)
        listed = catalog_reports(catalog, data_dir=data_dir)
        chosen = [r for r in listed if r.notebook.exists() and fnmatch(r.id, args.select)]
        reports = chosen[: args.limit]
        if not reports:
            print(f"no report of {catalog} has a notebook yet; try --fixtures 8")
            return 0
        params = {"data_dir": str(Path(data_dir).resolve())} if data_dir else {}

        env = {**os.environ, "BRI_REPORT_CATALOG": str(catalog)}
        loop_env = {**env, "BRI_CACHE_DIR": str(work / "loop-cache")}
        loop_s, loop_failed = _plain_loop(reports, params, work / "loop", loop_env)
        site = work / "site"
        command = [str(BIN / "bri-analysis"), "build", "--out", str(site)]
        command += [r.id for r in reports]
        command += ["--data-dir", str(data_dir)] if data_dir else []
        command += ["--jobs", str(args.jobs)] if args.jobs else []
        env["BRI_CACHE_DIR"] = str(work / "build-cache")
        build_s, build_rc, _ = _timed([*command, "--force"], env)
        noop_s, _, noop_summary = _timed(command, env)

    ratio = loop_s / build_s
    print(f"{len(reports)} reports from {catalog}, {os.cpu_count()} CPUs")
    print(f"{'method':<40} {'seconds':>8} {'s/report':>9}")
    print(f"{'papermill + nbconvert loop':<40} {loop_s:>8.1f} {loop_s / len(reports):>9.2f}")
    print(f"{'bri-analysis build --force':<40} {build_s:>8.1f} {build_s / len(reports):>9.2f}")
    print(f"{'bri-analysis build (no-op rebuild)':<40} {noop_s:>8.2f}")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "SLOW"

    print(
        f"build {build_s:.1f} s (goal < {GOAL_BUILD_S:.0f} s for the whole catalog: "
        f"{verdict(build_s < GOAL_BUILD_S)}); speed-up {ratio:.1f}x (goal >= {GOAL_RATIO:.0f}x: "
        f"{verdict(ratio >= GOAL_RATIO)}); no-op {noop_s:.2f} s (goal < {GOAL_NOOP_S} s: "
        f"{verdict(noop_s < GOAL_NOOP_S)})"
    )
    if not noop_summary.startswith("built 0,"):
        print(f"note: the no-op rebuild was not one (inputs changed meanwhile?): {noop_summary}")
    if loop_failed or build_rc:
        print(f"note: {loop_failed} loop run(s) failed; build exit code {build_rc}")
    return 0


def _plain_loop(reports: list, extra: dict, out: Path, env: dict) -> tuple[float, int]:
    """The baseline: one papermill and one nbconvert command per report, one after another."""
    out.mkdir(parents=True)
    failed = 0
    started = time.perf_counter()
    for report in reports:
        executed = out / f"{report.id}.ipynb"
        params = json.dumps({**report.parameters, "data_dir": None, **extra})
        papermill = [
            str(BIN / "papermill"),
            str(report.notebook),
            str(executed),
            "-y",
            params,
            "--cwd",
            str(report.notebook.parent),
            "-k",
            "python3",
            "--no-progress-bar",
        ]
        nbconvert = [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            str(executed),
        ]
        for command in (papermill, nbconvert):
            done = subprocess.run(command, capture_output=True, check=False, env=env)
            if done.returncode:
                failed += 1
                break
    return time.perf_counter() - started, failed


def _timed(command: list[str], env: dict) -> tuple[float, int, str]:
    """Seconds, exit code and the first line of the summary."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done.returncode, done.stdout.partition("\n")[0]


def _fixture_project(root: Path, count: int) -> tuple[Path, Path]:
    """A catalog of ``count`` reports of the fixture notebook, and a data folder for it."""
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(FIXTURE_NOTEBOOK, root / "notebooks" / "ok.ipynb")
    data = root / "data"
    data.mkdir()
    (data / "numbers.csv").write_text("n,label\n1,one\n2,two\n", encoding="utf-8")
    lines = ["[family.fixture]", 'notebook = "notebooks/ok.ipynb"', "default = false"]
    for i in range(count):
        lines += [
            "[[family.fixture.variant]]",
            f'id = "r{i}"',
            f'parameters = {{ greeting = "report {i}" }}',
        ]
    catalog = root / "reports.toml"
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return catalog, data


if __name__ == "__main__":
    sys.exit(main())
