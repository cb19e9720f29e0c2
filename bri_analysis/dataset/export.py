"""Write the cleaned tables to CSV or Parquet for use outside Python.

CSV cells that a spreadsheet would run as a formula (``=``, ``@``, ``+``/``-`` not starting a
number) get a leading apostrophe, the usual guard against formula injection. Each file is
written to a temporary name and moved into place, so an export never leaves half a file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bri_analysis.dataset.schemas import FORMULA_PATTERN
from bri_analysis.errors import MissingDependencyError
from bri_analysis.fileio import atomic_path

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

FORMATS = ("csv", "parquet")
_FORMULA = re.compile(FORMULA_PATTERN)


def guard_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text cells that look like spreadsheet formulas are made literal."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or str(values.dtype) in ("str", "string"):
            out[column] = values.map(
                lambda v: "'" + v if isinstance(v, str) and _FORMULA.match(v) else v
            )
    return out


def export_tables(ds: Dataset, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
    """Write every table of ``ds`` to ``out_dir`` as ``<table>.csv`` or ``<table>.parquet``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise MissingDependencyError(
                "Parquet export needs pyarrow: pip install 'bri-analysis[parquet]'"
            ) from exc
    out = Path(out_dir)
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
