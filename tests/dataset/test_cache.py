"""The on-disk dataset cache: hits in a fresh process without pandera or country_converter,
misses on any change, survives a corrupt entry."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bri_analysis.dataset import cache
from bri_analysis.dataset.schemas import TABLES
from tests.helpers import append_rows

LOAD = (
    "import sys, bri_analysis as bri\n"
    "ds = bri.load_dataset({folder!r})\n"
    "heavy = ('pandera', 'country_converter')\n"
    "print(len(ds.facts), sorted(m for m in heavy if m in sys.modules))\n"
)


def _fresh_load(folder: Path, cache_dir: Path) -> str:
    env = {"BRI_CACHE_DIR": str(cache_dir), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", LOAD.format(folder=str(folder))],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def _files(folder: Path) -> list[Path]:
    return [folder / t.file for t in TABLES.values()]


def test_a_hit_in_a_fresh_process_imports_no_validation_stack(fixture_data, tmp_path):
    store = tmp_path / "cache"
    first = _fresh_load(fixture_data, store)
    assert first.endswith("['country_converter', 'pandera']")  # a miss: validated
    assert len(list(store.glob("dataset-*.pickle"))) == 1
    assert _fresh_load(fixture_data, store).endswith("[]")  # a hit
    assert first.split()[0] == _fresh_load(fixture_data, store).split()[0]


def test_any_data_change_misses(fixture_data, tmp_path):
    before = cache.key(fixture_data, _files(fixture_data))
    path = fixture_data / "sources.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    assert cache.key(fixture_data, _files(fixture_data)) != before
    moved = shutil.copytree(fixture_data, tmp_path / "moved")
    assert cache.key(moved, _files(moved)) != cache.key(fixture_data, _files(fixture_data))


def test_dataset_code_and_versions_are_in_the_key(fixture_data, tmp_path, monkeypatch):
    files = _files(fixture_data)
    before = cache.key(fixture_data, files)
    package = tmp_path / "pkg"
    shutil.copytree(cache._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE", package)
    assert cache.key(fixture_data, files) == before
    (package / "dataset" / "clean.py").write_text("# changed\n", encoding="utf-8")
    assert cache.key(fixture_data, files) != before
    versions = cache.versions()
    assert {"python", "bri_analysis", "pandas", "pandera", "country_converter"} <= set(versions)


def test_a_changed_folder_gives_the_new_data_through_load_dataset(fixture_data, tmp_path):
    store = tmp_path / "cache"
    count = int(_fresh_load(fixture_data, store).split()[0])
    append_rows(
        fixture_data,
        "sources",
        {"source_id": "extra_source", "kind": "news", "title": "Extra", "publisher": "X",
         "published": "2019", "url": "https://example.org/extra", "accessed": "2026-11-01"},
    )  # fmt: skip
    again = _fresh_load(fixture_data, store)
    assert again.endswith("['country_converter', 'pandera']") and int(again.split()[0]) == count
    assert len(list(store.glob("dataset-*.pickle"))) == 2


def test_a_corrupt_entry_is_ignored_and_rewritten(fixture_data, tmp_path):
    store = tmp_path / "cache"
    _fresh_load(fixture_data, store)
    (entry,) = store.glob("dataset-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert _fresh_load(fixture_data, store).endswith("['country_converter', 'pandera']")
    assert entry.read_bytes() != b"not a pickle"
    assert _fresh_load(fixture_data, store).endswith("[]")


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, fixture_data) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert cache.cache_dir() is None
    assert cache.lookup(fixture_data, _files(fixture_data)).dataset is None
