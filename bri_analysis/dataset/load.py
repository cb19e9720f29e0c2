"""Load the curated data folder into a validated, cleaned ``Dataset``.

``load_dataset()`` reads every table (``reading``), checks its cells and keys
(``validation``), cleans dates, quantities and country names (``clean``), applies the
rules that span tables (``rules``), collects *all* problems and raises one
``DataValidationError`` listing each with file, line and column. A successful load is
cached per folder and file state, in memory and on disk (``cache``); every call returns a
fresh copy of the frames.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bri_analysis.dataset import cache, clean, rules, timeline, validation
from bri_analysis.dataset.reading import LINE_COLUMN, read_table
from bri_analysis.dataset.schemas import TABLES
from bri_analysis.errors import DataValidationError, Problem
from bri_analysis.paths import default_data_dir

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, repr=False)
class Dataset:
    """The cleaned tables. Each frame keeps ``source_id`` and ``locator`` on every row and a
    ``line`` column pointing back to the row in its CSV file."""

    data_dir: Path
    sources: pd.DataFrame
    subjects: pd.DataFrame
    indicators: pd.DataFrame
    series: pd.DataFrame
    events: pd.DataFrame
    facts: pd.DataFrame
    participation: pd.DataFrame
    zones: pd.DataFrame
    mechanisms: pd.DataFrame
    memberships: pd.DataFrame
    country_aliases: pd.DataFrame

    @property
    def table_names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self) if f.name != "data_dir"]

    def row_counts(self) -> dict[str, int]:
        """Rows per table, in the order of the codebook."""
        return {name: len(getattr(self, name)) for name in self.table_names}

    def __repr__(self) -> str:
        """A screenful: the folder, each table's rows and the span of dates the data covers."""
        counts = self.row_counts()
        days = [self.facts["as_of"], self.events["start_date"], self.participation["since"]]
        known = [d.dropna() for d in days if d.notna().any()]
        span = (
            f"{min(d.min() for d in known):%Y-%m-%d} to {max(d.max() for d in known):%Y-%m-%d}"
            if known
            else "no dates"
        )
        lines = [f"<Dataset {self.data_dir}: {sum(counts.values()):,} rows, dates {span}>"]
        lines += [f"  {name:<16}{count:>6,} rows" for name, count in counts.items()]
        return "\n".join(lines)

    def copy(self) -> Dataset:
        """A copy whose frames can be changed without touching the cached load."""
        return dataclasses.replace(
            self, **{name: getattr(self, name).copy() for name in self.table_names}
        )


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Load, validate and clean a data folder (default ``$BRI_DATA_DIR`` or ``data/``).

    Raises ``DataValidationError`` listing every problem. Cached: a second call on an
    unchanged folder costs a few file stats; you get a copy you may modify.
    """
    folder = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise DataValidationError([Problem(str(folder), None, None, f"data folder {what}")])
    return _load_cached(folder, _state(folder)).copy()


def _state(folder: Path) -> tuple:
    """What must be unchanged for a cached load to be reused."""
    state = []
    for table in TABLES.values():
        path = folder / table.file
        try:
            st = path.stat()
            state.append((table.file, st.st_mtime_ns, st.st_size))
        except OSError:
            state.append((table.file, None, None))
    return tuple(state)


@lru_cache(maxsize=8)
def _load_cached(folder: Path, _file_state: tuple) -> Dataset:
    entry = cache.lookup(folder, [folder / table.file for table in TABLES.values()])
    if entry.dataset is None:
        with entry.recording():
            entry.dataset = _load_fresh(folder)
        entry.store(entry.dataset)
    return entry.dataset


def _load_fresh(folder: Path) -> Dataset:
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        frame, read_problems = read_table(folder / table.file, table)
        problems += read_problems
        if frame is None:
            continue
        cell_problems = validation.cell_problems(frame, table)
        problems += cell_problems
        problems += validation.key_problems(frame, table)
        problems += clean.clean_dates(frame, table)
        clean.clean_integers(frame, table)
        frames[name] = frame
    if len(frames) == len(TABLES):
        problems += clean.clean_quantities(frames["facts"])
        problems += clean.clean_all_countries(frames)
        problems += rules.check(frames)
    if problems:
        raise DataValidationError(problems)
    clean.add_source_info(frames["facts"], frames["sources"])
    timeline.apply(frames)
    renamed = {name: f.rename(columns={LINE_COLUMN: "line"}) for name, f in frames.items()}
    return Dataset(data_dir=folder, **renamed)
