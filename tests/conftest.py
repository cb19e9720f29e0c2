"""Shared fixtures: copies of the shipped data and of the tiny fixture data."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest

from bri_analysis.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DATA = FIXTURES / "data"

matplotlib.use("Agg")  # this process only; notebook kernels draw inline


def copy_data(source: Path, target: Path) -> Path:
    """Copy a data folder's CSV files (not external/) to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for csv in source.glob("*.csv"):
        shutil.copy(csv, target / csv.name)
    return target


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/data (tiny, hand-made, every table)."""
    return copy_data(FIXTURE_DATA, tmp_path / "fixture_data")


@pytest.fixture
def shipped_data(tmp_path: Path) -> Path:
    """A writable copy of the shipped data/ tables."""
    return copy_data(DATA_DIR, tmp_path / "shipped_data")


@pytest.fixture(scope="session")
def dataset():
    """The shipped dataset, loaded once."""
    from bri_analysis import load_dataset

    return load_dataset(DATA_DIR)
