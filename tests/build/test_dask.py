"""The README's Dask example, run as written on a real ``dask.distributed.LocalCluster``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bri_analysis.paths import PROJECT_ROOT
from tests.helpers import Project, check_site

pytestmark = pytest.mark.notebooks


def readme_dask_example() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    (example,) = [b for b in blocks if "LocalCluster" in b]
    return example


def test_the_readme_dask_example_builds_two_reports(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    proj = Project(
        tmp_path,
        '[family.country-profile]\nnotebook = "notebooks/ok.ipynb"\ndefault = false\n'
        "parameters = { pause = 0.0 }\n"
        '[[family.country-profile.variant]]\nid = "kaz"\nparameters = { greeting = "KAZ" }\n'
        '[[family.country-profile.variant]]\nid = "pak"\nparameters = { greeting = "PAK" }\n',
    )
    env = {
        **os.environ,
        "BRI_REPORT_CATALOG": str(proj.catalog),
        "BRI_REPORTS_DIR": str(proj.out),
        "BRI_DATA_DIR": str(proj.data),
    }
    script = tmp_path / "example.py"
    script.write_text(readme_dask_example(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("built 2, skipped 0 (unchanged), failed 0 of 2 reports")
    manifest = json.loads((proj.out / "manifest.json").read_text())["reports"]
    assert sorted(manifest) == ["country-profile-kaz", "country-profile-pak"]
    check_site(proj.out, proj.catalog, proj.data, data_given=False)
