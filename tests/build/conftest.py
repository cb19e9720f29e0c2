"""Fixtures of the builder tests: an expansion hook and a pool of warm worker processes."""

from __future__ import annotations

import multiprocessing
import sys
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bri_analysis.build import catalog as rc
from tests.helpers import CATALOG, Project


@pytest.fixture
def hook(project: Project, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A hook module ``fake_hooks:countries`` reading codes from data/countries.txt."""
    calls: list[Path] = []

    def countries(data_dir: Path) -> list[rc.Variant]:
        calls.append(data_dir)
        codes = (data_dir / "countries.txt").read_text(encoding="utf-8").split()
        return [rc.Variant(c.lower(), f"Profile <{c}>", {"greeting": c}) for c in codes]

    module = types.ModuleType("fake_hooks")
    module.countries = countries  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_hooks", module)
    (project.data / "countries.txt").write_text("KAZ CHN", encoding="utf-8")
    project.catalog.write_text(
        CATALOG + '\n[family.profile]\nnotebook = "notebooks/ok.ipynb"\ndefault = false\n'
        'expand = "fake_hooks:countries"\nparameters = { pause = 0.0 }\n',
        encoding="utf-8",
    )
    return calls


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    """Warm worker processes shared by the kernel tests (each worker imports papermill once)."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor
