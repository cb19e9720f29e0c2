"""The project's set-up files agree with each other and the package imports cheaply."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from bri_analysis.paths import PROJECT_ROOT
from tests.helpers import modules_loaded_by


def _normalise(requirement: str) -> tuple[str, str]:
    """Name and version pins; pip extras (``dask[distributed]``) are conda packages' own."""
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$", requirement).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def _pyproject_requirements() -> set[tuple[str, str]]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {_normalise(r) for r in reqs}


def _conda_requirements() -> set[tuple[str, str]]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    return {_normalise(d) for d in conda if _normalise(d)[0] not in {"python", "pip"}}


def test_environment_yml_lists_the_same_packages_and_pins_as_pyproject():
    pyproject, conda = _pyproject_requirements(), _conda_requirements()
    assert pyproject == conda, (
        f"only in pyproject.toml: {sorted(pyproject - conda)}; "
        f"only in environment.yml: {sorted(conda - pyproject)}"
    )


def test_environment_yml_python_matches_requires_python():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]


def test_import_is_cheap_and_lazy():
    heavy = ["pandas", "matplotlib", "pandera", "country_converter", "papermill"]
    assert modules_loaded_by("import bri_analysis", heavy) == []
    assert modules_loaded_by("import bri_analysis as b; b.parse_quantity", heavy) == ["pandas"]


def test_unknown_public_name_is_an_attribute_error():
    import bri_analysis

    with pytest.raises(AttributeError, match="no_such_function"):
        bri_analysis.no_such_function  # noqa: B018


def test_every_old_module_name_resolves_on_first_use_in_a_fresh_interpreter():
    # bri.facts once raised AttributeError until something else had imported it
    from bri_analysis import MOVED_MODULES

    names = sorted(MOVED_MODULES) + ["dataset", "analysis", "reporting", "build"]
    code = (
        "import importlib, bri_analysis as bri\n"
        f"for name in {names!r}:\n"
        "    module = getattr(bri, name)\n"
        "    assert module is importlib.import_module('bri_analysis.' + name), name\n"
        "from bri_analysis.maps import choropleth\n"
        "from bri_analysis.reporting import say, table\n"
        "from bri_analysis.build import build_reports\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_every_public_name_resolves():
    import bri_analysis

    for name in bri_analysis.__all__:
        assert getattr(bri_analysis, name) is not None, name
