"""Shared fixtures: the shipped data and the tiny fixture data, read-only and writable."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from bri_analysis.build import catalog, manifest
from tests.helpers import FIXTURE_DATA, SHIPPED_DATA, Project, copy_data

matplotlib.use("Agg")  # this process only; notebook kernels draw inline


@pytest.fixture(scope="session", autouse=True)
def _dataset_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test (and every kernel it starts) caches datasets in a folder of its own,
    never in the user's ~/.cache."""
    import os

    from bri_analysis.dataset.cache import CACHE_ENV

    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("dataset-cache"))


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/data (tiny, hand-made, every table)."""
    return copy_data(FIXTURE_DATA, tmp_path / "fixture_data")


@pytest.fixture
def shipped_data(tmp_path: Path) -> Path:
    """A writable copy of the shipped data/ tables."""
    return copy_data(SHIPPED_DATA, tmp_path / "shipped_data")


@pytest.fixture(scope="session")
def dataset():
    """The shipped dataset, loaded once (do not modify its frames)."""
    from bri_analysis import load_dataset

    return load_dataset(SHIPPED_DATA)


@pytest.fixture(scope="session")
def fixture_dataset():
    """The fixture dataset, loaded once (do not modify its frames)."""
    from bri_analysis import load_dataset

    return load_dataset(FIXTURE_DATA)


@pytest.fixture
def steady_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the library's hash: an edit to bri_analysis in the middle of a test (an editable
    install in a working tree) would otherwise rebuild what the test expects skipped."""
    pinned = manifest.library_hash()
    monkeypatch.setattr(manifest, "library_hash", lambda: pinned)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steady_library: None) -> Project:
    """A throw-away project (``tests.helpers.Project``) whose catalog is the default one."""
    proj = Project(tmp_path)
    monkeypatch.setenv(catalog.CATALOG_ENV, str(proj.catalog))
    return proj
