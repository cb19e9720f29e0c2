"""Write the cleaned tables to CSV or Parquet for use outside Python.

CSV cells that a spreadsheet would run as a formula (anything starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, unless the whole cell is a number) get a leading
apostrophe, the usual guard against formula injection. An export never destroys the data:
it refuses to write into the data folder it reads, or into any folder that holds the
curated tables. Each file is written to a temporary name and moved into place, so an
export never leaves half a file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bri_analysis.dataset.schemas import TABLES
from bri_analysis.errors import MissingDependencyError
from bri_analysis.fileio import atomic_path

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

FORMATS = ("csv", "parquet")


class ExportRefused(ValueError):
    """An export that would overwrite the curated data."""


_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$")


def is_formula(value: str) -> bool:
    """Whether a spreadsheet could run ``value``: it starts with ``= + - @``, a tab or a
    carriage return and is not, as a whole, a number (``-2.6%`` and ``+16.4`` are)."""
    return value.startswith(_TRIGGERS) and not _NUMBER.match(value)


def guard_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text cells that look like spreadsheet formulas are made literal."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or str(values.dtype) in ("str", "string"):
            out[column] = values.map(
                lambda v: "'" + v if isinstance(v, str) and is_formula(v) else v
            )
    return out


def check_format(fmt: str) -> None:
    """Refuse an unknown format, or Parquet without pyarrow, before any work is done."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise MissingDependencyError(
                "Parquet export needs pyarrow: pip install 'bri-analysis[parquet]'"
            ) from exc


def export_tables(ds: Dataset, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
    """Write every table of ``ds`` to ``out_dir`` as ``<table>.csv`` or ``<table>.parquet``."""
    check_format(fmt)
    out = Path(out_dir)
    _refuse_data_folder(out, ds.data_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ds.table_names:
        frame = getattr(ds, name)
        target = out / f"{name}.{fmt}"
        with atomic_path(target) as tmp:
            if fmt == "csv":
                guard_formulas(frame).to_csv(tmp, index=False, date_format="%Y-%m-%d")
            else:
                frame.to_parquet(tmp, index=False)
        written.append(target)
    return written


def _refuse_data_folder(out: Path, data_dir: Path) -> None:
    """An export must not overwrite curated tables: not into the data folder, nor into any
    folder holding one of their files."""
    target = out.expanduser().resolve()
    curated = [t.file for t in TABLES.values()]
    reason = None
    if target == Path(data_dir).resolve():
        reason = "it is the data folder the tables were loaded from"
    elif any((target / name).exists() for name in curated):
        found = next(name for name in curated if (target / name).exists())
        reason = f"it holds curated tables ({found})"
    if reason:
        raise ExportRefused(f"refusing to export into {out}: {reason}; choose another folder")
