"""The report catalog: which notebooks ``bri-analysis build`` runs, with which parameters.

``reports.toml`` declares report families (a notebook, a default report, variants, or a
hook that lists variants from the data, such as one country profile per country), the
parameters each report pins (``none`` lists those pinned to None: TOML has no null) and,
under ``[build]``, the kernel, timeouts and what warm workers preload (``preload`` modules,
a ``preload_hook``). This module reads it, turns families into reports with
file-system-safe ids and selects reports by name, all without starting a kernel (so a
no-op build stays fast). Checking parameters against a notebook is ``inspection``.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bri_analysis.paths import PROJECT_ROOT

CATALOG_ENV = "BRI_REPORT_CATALOG"
DEFAULT_CATALOG = PROJECT_ROOT / "reports.toml"

DEFAULT_KERNEL = "python3"
DEFAULT_START_TIMEOUT = 60.0  # seconds for a kernel to start
DEFAULT_EXECUTION_TIMEOUT = 600.0  # seconds per cell (papermill's execution_timeout)

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_BUILD_KEYS = {"kernel", "start_timeout", "execution_timeout", "preload", "preload_hook"}
_FAMILY_KEYS = {
    "title",
    "notebook",
    "description",
    "parameters",
    "none",
    "default",
    "variant",
    "expand",
    "start_timeout",
    "execution_timeout",
}
_VARIANT_KEYS = {"id", "title", "parameters", "none"}
_HOOK = re.compile(r"^[\w.]+:\w+$")


class CatalogError(ValueError):
    """A mistake in the catalog, a report selection or parameters: one line per problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Variant:
    """One report of a family: ``slug`` is appended to the family name to form the id."""

    slug: str
    title: str
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    """A notebook and the reports made from it."""

    name: str
    title: str
    notebook: Path
    description: str
    parameters: Mapping[str, Any]
    default: bool
    variants: tuple[Variant, ...]
    expand: str | None
    start_timeout: float
    execution_timeout: float


@dataclass(frozen=True)
class Report:
    """One output page: notebook + parameters (catalog values; notebook defaults otherwise)."""

    id: str
    family: str
    title: str
    notebook: Path
    parameters: Mapping[str, Any]
    start_timeout: float
    execution_timeout: float


@dataclass(frozen=True)
class Catalog:
    """The parsed catalog file. Notebook paths are resolved against the file's folder."""

    path: Path
    kernel: str
    families: tuple[Family, ...]
    preload: tuple[str, ...] = ()
    preload_hook: str | None = None
    start_timeout: float = DEFAULT_START_TIMEOUT
    execution_timeout: float = DEFAULT_EXECUTION_TIMEOUT

    def reports(self, expanded: Mapping[str, Sequence[Variant]]) -> list[Report]:
        """Every report, in catalog order; ``expanded`` holds each hook family's variants."""
        reports: list[Report] = []
        for fam in self.families:
            variants = list(fam.variants) + list(expanded.get(fam.name, ()))
            if fam.default:
                reports.append(_report(fam, fam.name, fam.title, {}))
            for v in variants:
                reports.append(_report(fam, f"{fam.name}-{v.slug}", v.title, v.parameters))
        duplicates = _duplicates(r.id for r in reports)
        if duplicates:
            raise CatalogError(f"{self.path}: duplicate report id {d!r}" for d in duplicates)
        return reports


def catalog_path(path: str | Path | None = None) -> Path:
    """The catalog to use: ``path``, else ``$BRI_REPORT_CATALOG``, else the repo's reports.toml."""
    chosen = path or os.environ.get(CATALOG_ENV) or DEFAULT_CATALOG
    return Path(chosen).expanduser().resolve()


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and check a catalog file; every problem is reported at once."""
    file = catalog_path(path)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError([f"report catalog not found: {file}"]) from None
    except UnicodeDecodeError as exc:
        from bri_analysis.build.errors import BuildError

        raise BuildError(
            f"{file} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        from bri_analysis.build.errors import BuildError

        raise BuildError(f"cannot read the report catalog {file}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([f"{file}: {exc}"]) from None
    problems: list[str] = []
    where = str(file)
    problems += _unknown_keys(raw, {"build", "family"}, where)
    build = raw.get("build", {})
    problems += _unknown_keys(build, _BUILD_KEYS, f"{where} [build]")
    kernel = build.get("kernel", DEFAULT_KERNEL)
    start = _seconds(build, "start_timeout", DEFAULT_START_TIMEOUT, where, problems)
    execution = _seconds(build, "execution_timeout", DEFAULT_EXECUTION_TIMEOUT, where, problems)
    preload = build.get("preload", [])
    if not isinstance(preload, list) or not all(isinstance(m, str) for m in preload):
        problems.append(f"{where} [build]: 'preload' must be a list of module names")
        preload = []
    preload_hook = build.get("preload_hook")
    if preload_hook is not None and not _HOOK.match(str(preload_hook)):
        problems.append(f"{where} [build]: 'preload_hook' must look like 'package.module:function'")
    families = []
    for name, table in raw.get("family", {}).items():
        fam = _family(name, table, file.parent, start, execution, problems, where)
        if fam is not None:
            families.append(fam)
    if not families and not problems:
        problems.append(f"{file}: no [family.<name>] tables")
    if problems:
        raise CatalogError(problems)
    return Catalog(
        path=file,
        kernel=kernel,
        families=tuple(families),
        preload=tuple(preload),
        preload_hook=preload_hook,
        start_timeout=start,
        execution_timeout=execution,
    )


def expand_family(family: Family, data_dir: Path) -> list[Variant]:
    """Call a family's ``expand`` hook (``"module:function"``) and check what it returns."""
    module_name, _, func_name = (family.expand or "").partition(":")
    hook: Callable[[Path], Iterable[Variant]]
    hook = getattr(importlib.import_module(module_name), func_name)
    variants = []
    problems = []
    for item in hook(data_dir):
        if not isinstance(item, Variant):
            raise CatalogError([f"{family.expand} returned {item!r}, not a Variant"])
        if not _ID.match(item.slug):
            problems.append(f"{family.expand} returned an invalid id {item.slug!r}")
        problems += _value_problems(item.parameters, f"{family.expand} ({item.slug})")
        variants.append(item)
    if problems:
        raise CatalogError(problems)
    return variants


def select(
    reports: Sequence[Report],
    names: Sequence[str],
    families: Iterable[str],
    unavailable: Iterable[str] = (),
) -> tuple[list[Report], list[str]]:
    """Reports matching ``names``: a report id, else a family name (all its reports), else a
    glob over ids (``'participation*'`` is the whole participation family).

    No names means everything. ``unavailable`` are families whose reports could not be
    listed (a failed hook); the names that point into them are returned, not rejected.
    Returns (reports in catalog order, unavailable families asked for). Unknown names raise.
    """
    family_names = set(families)
    broken = list(unavailable)
    if not names:
        return list(reports), broken
    ids = [r.id for r in reports]
    chosen: set[str] = set()
    asked_broken: list[str] = []
    problems = []
    for name in names:
        if name in ids:
            chosen.add(name)
        elif name in family_names:
            chosen |= {r.id for r in reports if r.family == name}
        elif matched := fnmatch.filter(ids, name):
            chosen |= set(matched)
        elif owner := next((f for f in broken if name.startswith(f"{f}-")), None):
            asked_broken.append(owner)
        else:
            close = difflib.get_close_matches(name, sorted(family_names | set(ids)), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            problems.append(f"unknown report {name!r}{hint}; `bri-analysis list` shows them all")
    if problems:
        raise CatalogError(problems)
    asked_broken += [name for name in names if name in broken]
    return [r for r in reports if r.id in chosen], list(dict.fromkeys(asked_broken))


def _report(fam: Family, report_id: str, title: str, params: Mapping[str, Any]) -> Report:
    return Report(
        id=report_id,
        family=fam.name,
        title=title,
        notebook=fam.notebook,
        parameters={**fam.parameters, **params},
        start_timeout=fam.start_timeout,
        execution_timeout=fam.execution_timeout,
    )


def _family(
    name: str,
    table: Any,
    root: Path,
    start: float,
    execution: float,
    problems: list[str],
    where: str,
) -> Family | None:
    here = f"{where} [family.{name}]"
    if not isinstance(table, dict):
        problems.append(f"{here}: expected a table")
        return None
    before = len(problems)
    if not _ID.match(name):
        problems.append(f"{here}: name must be lower-case words joined by '-'")
    problems += _unknown_keys(table, _FAMILY_KEYS, here)
    if not isinstance(table.get("notebook"), str):
        problems.append(f"{here}: 'notebook' (a path relative to the catalog) is required")
    params = table.get("parameters", {})
    problems += _value_problems(params, here)
    params = _with_none(params, table.get("none", []), here, problems)
    variants = []
    for i, v in enumerate(table.get("variant", []), start=1):
        vhere = f"{here} variant {i}"
        problems += _unknown_keys(v, _VARIANT_KEYS, vhere)
        slug = v.get("id")
        if not isinstance(slug, str) or not _ID.match(slug):
            problems.append(f"{vhere}: 'id' must be lower-case words joined by '-', got {slug!r}")
            continue
        problems += _value_problems(v.get("parameters", {}), vhere)
        vparams = _with_none(v.get("parameters", {}), v.get("none", []), vhere, problems)
        title = v.get("title", f"{table.get('title', name)}: {slug}")
        variants.append(Variant(slug, str(title), vparams))
    expand = table.get("expand")
    if expand is not None and not _HOOK.match(str(expand)):
        problems.append(f"{here}: 'expand' must look like 'package.module:function'")
    default = table.get("default", True)
    if not isinstance(default, bool):
        problems.append(f"{here}: 'default' must be true or false")
    if not default and not variants and expand is None:
        problems.append(f"{here}: no reports (default = false, no variants, no expand hook)")
    if len(problems) > before:
        return None
    return Family(
        name=name,
        title=str(table.get("title", name)),
        notebook=(root / table["notebook"]).resolve(),
        description=str(table.get("description", "")),
        parameters=dict(params),
        default=default,
        variants=tuple(variants),
        expand=expand,
        start_timeout=_seconds(table, "start_timeout", start, here, problems),
        execution_timeout=_seconds(table, "execution_timeout", execution, here, problems),
    )


def _with_none(params: Any, names: Any, where: str, problems: list[str]) -> dict[str, Any]:
    """``parameters`` plus the names ``none`` pins to None (TOML has no null)."""
    if not isinstance(params, Mapping):
        return {}
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append(f"{where}: 'none' must be a list of parameter names")
        return dict(params)
    both = sorted(set(names) & set(params))
    if both:
        problems.append(f"{where}: {', '.join(both)} pinned both to a value and to None")
    return {**{n: None for n in names}, **params}


def _unknown_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> list[str]:
    return [
        f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})"
        for key in table
        if key not in allowed
    ]


def _seconds(table: Mapping[str, Any], key: str, default: float, where: str, problems: list):
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        problems.append(f"{where}: {key} must be a positive number of seconds, got {value!r}")
        return default
    return float(value)


def _value_problems(params: Any, where: str) -> list[str]:
    """Parameter values must survive JSON (hashing) and papermill (injection)."""
    if not isinstance(params, Mapping):
        return [f"{where}: 'parameters' must be a table"]
    problems = []
    for key, value in params.items():
        if not str(key).isidentifier():
            problems.append(f"{where}: parameter name {key!r} is not a Python name")
        if not _json_like(value):
            problems.append(
                f"{where}: parameter {key!r} = {value!r}: use strings, numbers, booleans, "
                'lists or tables (write dates as strings, e.g. "2019-04-22")'
            )
    return problems


def _json_like(value: Any) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_json_like(v) for v in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _json_like(v) for k, v in value.items())
    return False


def _duplicates(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in items:
        if item in seen:
            repeated.append(item)
        seen.add(item)
    return repeated
