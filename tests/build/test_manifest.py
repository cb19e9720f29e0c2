"""What the manifest hashes: library code a page depends on, package versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bri_analysis.build import manifest as mf


def test_library_hash_follows_page_code_not_caches_cli_or_builder(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(mf.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = mf.library_hash(package)
    (package / "analysis" / "__pycache__").mkdir()
    (package / "analysis" / "__pycache__" / "facts.cpython-311.pyc").write_bytes(b"cache")
    assert mf.library_hash(package) == before
    for not_a_page in ("cli.py", "hooks.py", "build/runner.py", "build/worker.py"):
        (package / not_a_page).write_text("# changed\n", encoding="utf-8")
    assert mf.library_hash(package) == before
    for page_code in ("analysis/facts.py", "reporting/plots.py", "build/site.py"):
        (package / page_code).write_text("# changed\n", encoding="utf-8")
        assert mf.library_hash(package) != before
        before = mf.library_hash(package)


def test_dependency_versions_name_missing_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mf, "DEPENDENCIES", ("papermill", "no-such-package-for-bri"))
    versions = mf.dependency_versions()
    assert set(versions) == {"python", "papermill", "no-such-package-for-bri"}
    assert versions["no-such-package-for-bri"] == "missing"
    assert versions["papermill"][0].isdigit()


def _notebook() -> dict:
    import json

    from tests.helpers import FIXTURE_NOTEBOOKS

    return json.loads((FIXTURE_NOTEBOOKS / "ok.ipynb").read_text(encoding="utf-8"))


def test_notebook_hash_ignores_what_a_jupyterlab_save_changes() -> None:
    nb = _notebook()
    before = mf.notebook_hash(nb)
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    nb["nbformat_minor"] = 5
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i}"
        cell["metadata"]["collapsed"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = i
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    nb["cells"][2]["metadata"]["tags"] = ["hide-output"]
    assert mf.notebook_hash(nb) == before


@pytest.mark.parametrize("change", ["code", "markdown", "parameters", "kernel"])
def test_notebook_hash_follows_code_text_parameters_and_kernel_name(change: str) -> None:
    nb = _notebook()
    before = mf.notebook_hash(nb)
    if change == "code":
        nb["cells"][2]["source"] = "print('changed')"
    elif change == "markdown":
        nb["cells"][0]["source"] = "# Another title"
    elif change == "parameters":  # the same code, but another cell is the parameters cell
        nb["cells"][1]["metadata"]["tags"] = []
        nb["cells"][2]["metadata"]["tags"] = ["parameters"]
    else:
        nb["metadata"]["kernelspec"]["name"] = "other-kernel"
    assert mf.notebook_hash(nb) != before


def test_a_manifest_with_foreign_records_keeps_the_sound_ones(tmp_path: Path) -> None:
    import json

    body = {
        "format": mf.FORMAT_VERSION,
        "reports": {"good": {"status": "ok", "parameters": {}}, "bad": [], "worse": {"status": 3}},
        "expansions": "nope",
    }
    (tmp_path / mf.MANIFEST_NAME).write_text(json.dumps(body), encoding="utf-8")
    manifest = mf.Manifest.load(tmp_path)
    assert list(manifest.reports) == ["good"] and manifest.expansions == {}
    assert "2 malformed record(s) (bad, worse)" in (manifest.problem or "")
