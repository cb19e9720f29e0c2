"""Shared fixtures: copies of the shipped data and of the tiny fixture data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import matplotlib
import pytest

from bri_analysis.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DATA = FIXTURES / "data"

matplotlib.use("Agg")  # this process only; notebook kernels draw inline


def modules_loaded_by(statement: str, candidates: Iterable[str]) -> list[str]:
    """Which of ``candidates`` a fresh interpreter has imported after running ``statement``
    (import-cost tests: importing the package must not pull in pandas and friends)."""
    wanted = sorted(candidates)
    code = f"import sys\n{statement}\nprint(','.join(sorted(set({wanted!r}) & set(sys.modules))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


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
