"""Warm kernels: the same pages as cold kernels, no state shared between reports, a cold
fallback that says why once, and a kernel that fails to start retried once."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from bri_analysis.build import catalog as rc
from bri_analysis.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from tests.helpers import FIXTURE_NOTEBOOKS, Project

pytestmark = pytest.mark.notebooks

_VOLATILE = {"execution", "papermill", "collapsed", "scrolled", "ExecuteTime"}


def _comparable(nb: dict) -> list:
    """Cells with their outputs, without timings, ids and execution metadata."""
    cells = []
    for cell in nb["cells"]:
        outputs = []
        for out in cell.get("outputs", []):
            out = {k: v for k, v in out.items() if k not in ("metadata", "execution_count")}
            outputs.append(out)
        meta = {k: v for k, v in cell.get("metadata", {}).items() if k not in _VOLATILE}
        cells.append([cell["cell_type"], cell["source"], meta, outputs])
    return cells


def test_warm_and_cold_kernels_build_the_same_pages(tmp_path: Path) -> None:
    catalog = rc.load_catalog()
    text = PROJECT_ROOT.joinpath("reports.toml").read_text(encoding="utf-8")
    cut = text.index("[family.participation]")
    two = text[:cut].replace('"notebooks/', f'"{NOTEBOOKS_DIR}/')
    two += (
        '[family.country-profile]\nnotebook = "NB/country_profile.ipynb"\n'
        'parameters = { iso3 = "PAK" }\n'
        '[family.participation]\nnotebook = "NB/participation.ipynb"\n'
        'parameters = { as_of = "2019-04-22", region_scheme = "continent", region = "Oceania" }\n'
        'none = ["channels"]\n'
    ).replace("NB", str(NOTEBOOKS_DIR))
    path = tmp_path / "two.toml"
    path.write_text(two, encoding="utf-8")
    assert catalog.preload_hook  # the real catalog's warm-up
    from bri_analysis.build.runner import build_reports

    pages = {}
    for kind in ("warm", "cold"):
        out = tmp_path / kind
        result = build_reports(catalog=path, out_dir=out, progress=False, warm=kind == "warm")
        assert result.exit_code == 0, result.summary()
        manifest = json.loads((out / "manifest.json").read_text())["reports"]
        assert {e["kernel"] for e in manifest.values()} == {kind}
        pages[kind] = {
            rid: _comparable(json.loads((out / "notebooks" / f"{rid}.ipynb").read_text()))
            for rid in manifest
        }
    assert sorted(pages["warm"]) == ["country-profile", "participation"]
    for rid in pages["warm"]:
        assert pages["warm"][rid] == pages["cold"][rid], rid
        images = [o for c in pages["warm"][rid] for o in c[3] if "image/png" in o.get("data", {})]
        assert images, f"{rid}: no figure compared"


def _leak_project(root: Path, preload: str = "") -> Project:
    proj = Project(
        root,
        f'[build]\n{preload}\n[family.leak]\nnotebook = "notebooks/leak.ipynb"\ndefault = false\n'
        '[[family.leak.variant]]\nid = "first"\nparameters = { greeting = "first" }\n'
        '[[family.leak.variant]]\nid = "second"\nparameters = { greeting = "second" }\n',
    )
    shutil.copy(FIXTURE_NOTEBOOKS / "leak.ipynb", proj.notebooks / "leak.ipynb")
    return proj


def _printed(proj: Project, rid: str) -> str:
    nb = json.loads((proj.out / "notebooks" / f"{rid}.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


def test_one_report_state_never_reaches_the_next(tmp_path: Path) -> None:
    proj = _leak_project(tmp_path, 'preload = ["matplotlib.pyplot"]')
    notes: list[str] = []
    result = proj.build(jobs=1, on_note=notes.append)  # one worker builds both, in turn
    assert result.built == ["leak-first", "leak-second"] and notes == []
    assert {e["kernel"] for e in proj.manifest().values()} == {"warm"}
    for rid in result.built:
        assert "found: None 1.5" in _printed(proj, rid), rid


def test_a_failing_warm_parent_falls_back_to_cold_kernels_and_says_so_once(
    tmp_path: Path,
) -> None:
    proj = _leak_project(tmp_path, 'preload = ["no_such_module_for_bri"]')
    notes: list[str] = []
    result = proj.build(jobs=2, on_note=notes.append)
    assert result.exit_code == 0, result.summary()
    assert notes == [
        "cold kernels: preloading failed (ModuleNotFoundError: No module named "
        "'no_such_module_for_bri')"
    ]
    assert {e["kernel"] for e in proj.manifest().values()} == {"cold"}


FLAKY = """\
import os, runpy, sys
marker = os.environ["BRI_FLAKY_MARKER"]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit("failing to start, once")
sys.argv = ["ipykernel_launcher", *sys.argv[1:]]
runpy.run_module("ipykernel_launcher", run_name="__main__")
"""


def test_a_kernel_that_fails_to_start_is_retried_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "jupyter" / "kernels" / "flaky"
    spec.mkdir(parents=True)
    (tmp_path / "flaky.py").write_text(FLAKY, encoding="utf-8")
    argv = [sys.executable, str(tmp_path / "flaky.py"), "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Flaky", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("BRI_FLAKY_MARKER", str(tmp_path / "failed-once"))
    (tmp_path / "p").mkdir()
    proj = Project(
        tmp_path / "p",
        '[build]\nkernel = "flaky"\n[family.hello]\nnotebook = "notebooks/ok.ipynb"\n'
        'parameters = { greeting = "hi", pause = 0.0 }\n',
    )
    notes: list[str] = []
    result = proj.build(jobs=1, on_note=notes.append)
    assert result.built == ["hello"], (
        result.summary() + (proj.out / "logs" / "hello.log").read_text()
    )
    assert (tmp_path / "failed-once").exists()
    assert notes == ["cold kernels: kernel 'flaky' is not this Python's ipykernel"]
