"""The ``bri-analysis`` command line: validate, list, build, run, params, serve, export.

A user mistake (bad data, unknown report, bad parameter) exits non-zero with one line per
problem and no Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bri_analysis.dataset.export import FORMATS, ExportRefused


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bri-analysis", description="Belt and Road Initiative data and reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a data folder and print row counts")
    validate.add_argument("data_dir", nargs="?", type=Path, help="default: data/ or $BRI_DATA_DIR")

    listing = sub.add_parser("list", help="list the reports that `build` can make")

    build = sub.add_parser("build", help="execute report notebooks into reports/")
    build.add_argument(
        "reports", nargs="*", metavar="REPORT", help="report ids, families or globs (default: all)"
    )
    build.add_argument("--jobs", "-j", type=int, default=None, help="worker processes")
    build.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    build.add_argument(
        "--wait", action="store_true", help="wait for another build into the same folder"
    )
    run = sub.add_parser("run", help="run one notebook ad hoc into an HTML page")
    run.add_argument("notebook", type=Path)
    run.add_argument("--html", type=Path, required=True, help="where to write the page")
    run.add_argument("--notebook-out", type=Path, default=None, help="the executed notebook")
    run.add_argument("--data-dir", type=Path, default=None, help="data folder to use")
    run.add_argument("--catalog", type=Path, default=None, help="[build] settings to use")
    for command in (build, run):
        command.add_argument(
            "-p",
            "--parameter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="set a notebook parameter (repeatable)",
        )
        command.add_argument("--cold", action="store_true", help="no warm kernels")
    for command in (build, listing):
        command.add_argument("--data-dir", type=Path, default=None, help="data folder to use")
        command.add_argument("--out", type=Path, default=None, help="output folder (reports/)")
        command.add_argument(
            "--catalog", type=Path, default=None, help="report catalog (default: reports.toml)"
        )

    params = sub.add_parser(
        "params", help="a report's parameters: types, defaults, its values, valid choices"
    )
    params.add_argument("target", metavar="REPORT_OR_FAMILY", help="a report id, family or .ipynb")
    params.add_argument("--data-dir", type=Path, default=None, help="data folder to use")
    params.add_argument("--catalog", type=Path, default=None, help="default: reports.toml")

    serve = sub.add_parser("serve", help="serve the built reports on http://127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="default 8000; 0 picks a free one")
    serve.add_argument("--out", type=Path, default=None, help="folder to serve (reports/)")

    export = sub.add_parser("export", help="write the cleaned tables to files")
    export.add_argument("out_dir", type=Path)
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--data-dir", type=Path, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from bri_analysis.build.catalog import CatalogError
    from bri_analysis.build.errors import BuildError, BuildInterrupted
    from bri_analysis.errors import (
        DataValidationError,
        MissingDependencyError,
        UnknownCountryError,
    )

    try:
        if args.command == "validate":
            return _validate(args.data_dir)
        if args.command == "export":
            return _export(args.out_dir, args.format, args.data_dir)
        if args.command == "list":
            return _list(args)
        if args.command == "run":
            return _run(args)
        if args.command == "params":
            return _params(args)
        if args.command == "serve":
            return _serve(args)
        return _build(args)
    except BuildInterrupted as stop:
        print(stop.message(), file=sys.stderr)
        return stop.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (
        BuildError,
        DataValidationError,
        ExportRefused,
        UnknownCountryError,
        MissingDependencyError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except CatalogError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file the command needs: one line, no traceback
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _validate(data_dir: Path | None) -> int:
    from bri_analysis.dataset.load import load_dataset

    ds = load_dataset(data_dir)
    print(f"data OK: {ds.data_dir}")
    for name, count in ds.row_counts().items():
        print(f"  {name:<15} {count:>5} rows")
    return 0


def _export(out_dir: Path, fmt: str, data_dir: Path | None) -> int:
    from bri_analysis.dataset.export import check_format, export_tables
    from bri_analysis.dataset.load import load_dataset

    check_format(fmt)
    ds = load_dataset(data_dir)
    for path in export_tables(ds, out_dir, fmt):
        print(path)
    return 0


def _build(args: argparse.Namespace) -> int:
    """``bri-analysis build``: exit 0 when every report is built or unchanged, 1 otherwise."""
    from bri_analysis.build.inspection import parse_parameters
    from bri_analysis.build.runner import build_reports

    result = build_reports(
        args.reports,
        catalog=args.catalog,
        parameters=parse_parameters(args.parameter),
        data_dir=args.data_dir,
        out_dir=args.out,
        force=args.force,
        jobs=args.jobs,
        wait=args.wait,
        warm=not args.cold,
        on_note=_note,
    )
    print(result.summary())
    return result.exit_code


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> int:
    """``bri-analysis run NOTEBOOK --html OUT``: 0 when the page is written, 1 otherwise."""
    from bri_analysis.build.adhoc import run_notebook
    from bri_analysis.build.inspection import parse_parameters

    outcome, note = run_notebook(
        args.notebook,
        parse_parameters(args.parameter),
        args.html,
        notebook_out=args.notebook_out,
        data_dir=args.data_dir,
        catalog=args.catalog,
        warm=not args.cold,
    )
    if note:
        _note(note)
    if not outcome.ok:
        print(f"error: {args.notebook}: {outcome.error}", file=sys.stderr)
        failed = args.html.with_suffix(".failed.ipynb")
        if failed.exists():
            print(f"       executed notebook: {failed}", file=sys.stderr)
        return 1
    print(f"{args.html} ({outcome.duration_s:.1f} s, {outcome.mode} kernel)")
    return 0


def _list(args: argparse.Namespace) -> int:
    """``bri-analysis list``: every report with its status and parameters."""
    from bri_analysis.build.runner import Plan, show_path
    from bri_analysis.build.site import format_parameters

    plan = Plan.make(catalog=args.catalog, out_dir=args.out, data_dir=args.data_dir)
    width = max((len(r.id) for r in plan.reports), default=10) + 2
    for fam in plan.catalog.families:
        missing = "" if fam.notebook.exists() else ", missing"
        print(f"{fam.name}  ({show_path(fam.notebook)}{missing})")
        if fam.name in plan.family_errors:
            print(f"  could not list reports: {plan.family_errors[fam.name]}")
        for report in (r for r in plan.reports if r.family == fam.name):
            status = plan.status(report)
            params = format_parameters(report.parameters)
            print(f"  {report.id:<{width}}{status:<18}{params}")
    problems = plan.parameter_problems(plan.reports, {})
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 2 if problems else 0


def _params(args: argparse.Namespace) -> int:
    """``bri-analysis params``: each parameter with its type, default and comment, the value
    the report builds with, and the values the data allows."""
    import textwrap

    from bri_analysis.build.inspection import parameter_docs
    from bri_analysis.build.runner import Plan, show_path
    from bri_analysis.dataset.load import load_dataset
    from bri_analysis.reporting.params import choices

    plan = Plan.make(catalog=args.catalog, data_dir=args.data_dir)
    report, notebook, heading = _params_target(plan, args.target)
    print(f"{heading}  ({show_path(notebook)})")
    ds = load_dataset(plan.data_dir)
    for doc in parameter_docs(notebook):
        typed = f": {doc.annotation}" if doc.annotation else ""
        print(f"  {doc.name}{typed} = {doc.default}")
        notes = [doc.comment] if doc.comment else []
        if report is not None and doc.name in report.parameters:
            notes.append(f"this report: {report.parameters[doc.name]!r}")
        valid = choices(ds, doc.name)
        if valid is not None:
            notes.append("choices: " + ", ".join(valid))
        for note in notes:
            print(textwrap.fill(note, width=96, initial_indent=" " * 6, subsequent_indent=" " * 8))
    return 0


def _params_target(plan, target: str):  # type: ignore[no-untyped-def]
    """(report or None, notebook, heading) for a report id, a family name or a notebook path."""
    from bri_analysis.build.catalog import CatalogError, select

    if target.endswith(".ipynb"):
        path = Path(target).expanduser().resolve()
        if not path.is_file():
            raise CatalogError([f"{target}: no such notebook"])
        return None, path, target
    family = next((f for f in plan.catalog.families if f.name == target), None)
    report = next((r for r in plan.reports if r.id == target), None)
    if report is None and family is None:
        select(plan.reports, [target], plan.catalog_families)  # raises with "did you mean"
        raise CatalogError([f"{target}: name one report or one family, not a pattern"])
    if report is not None:
        return report, report.notebook, f"report {report.id}: {report.title}"
    count = sum(r.family == family.name for r in plan.reports)
    return None, family.notebook, f"family {family.name}: {family.title} ({count} reports)"


def _serve(args: argparse.Namespace) -> int:
    """``bri-analysis serve``: the built site on localhost until Ctrl-C."""
    from bri_analysis.build.serve import serve
    from bri_analysis.paths import REPORTS_DIR

    out = (args.out or REPORTS_DIR).expanduser().resolve()
    serve(out, args.port, say=lambda text: print(text, flush=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
