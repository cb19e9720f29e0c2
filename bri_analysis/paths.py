"""Path constants in one place, so notebooks and the CLI work from any working directory."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
EXTERNAL_DATA_DIR = DATA_DIR / "external"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"

DATA_DIR_ENV = "BRI_DATA_DIR"
REPORTS_DIR_ENV = "BRI_REPORTS_DIR"


def default_data_dir() -> Path:
    """The data folder to load: ``$BRI_DATA_DIR`` when set, else the repository's ``data/``."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env).expanduser().resolve() if env else DATA_DIR


def default_reports_dir() -> Path:
    """Where ``bri-analysis build`` writes: ``$BRI_REPORTS_DIR`` when set, else ``reports/``."""
    env = os.environ.get(REPORTS_DIR_ENV)
    return Path(env).expanduser().resolve() if env else REPORTS_DIR
