"""Committed notebooks are stored clean: no outputs, a parameters cell first, the project kernel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bri_analysis.build.inspection import parameter_docs
from bri_analysis.lab import KERNEL_DISPLAY_NAME, KERNEL_NAME
from bri_analysis.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
FIXTURE_NOTEBOOKS = sorted((Path(__file__).parent / "fixtures" / "notebooks").glob("*.ipynb"))


def test_the_report_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {
        "participation.ipynb",
        "cooperation_coverage.ipynb",
        "event_scale.ipynb",
        "country_profile.ipynb",
        "explore.ipynb",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS + FIXTURE_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_parameters_cell(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell must be tagged 'parameters'"
    assert code[0] is tagged[0], f"{path.name}: the parameters cell must be the first code cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_report_notebooks_name_the_project_kernel(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"] == {
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "name": KERNEL_NAME,
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_help_lists_every_declared_parameter(path):
    # papermill's own parser drops a parameter whose comment it cannot read (one with "=").
    # The `papermill` command itself, run in this process (a subprocess per notebook costs
    # three seconds of start-up each).
    from click.testing import CliRunner
    from papermill.cli import papermill

    declared = parameter_docs(path)
    assert declared, f"{path.name} declares no parameters"
    result = CliRunner().invoke(papermill, ["--help-notebook", str(path)])
    assert result.exit_code == 0, result.output
    shown = result.output
    for doc in declared:
        assert re.search(rf"^\s+{doc.name}: {re.escape(doc.annotation)} \(default ", shown, re.M), (
            f"papermill --help-notebook does not list {doc.name} of {path.name}:\n{shown}"
        )
        assert doc.comment and doc.comment.split()[0] in shown
