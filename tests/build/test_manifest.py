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
