"""Partial ISO dates ("2017", "2017-05", "2017-05-14") as stated by sources.

A source often gives only a year or a month. On load a date becomes the timestamp of the
*start* of its period plus its precision, so nothing is invented; ``period_end`` gives the
last day of the period for questions that need certainty ("a member for sure by then").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

PRECISIONS = ("year", "month", "day")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


def parse_partial_dates(texts: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of partial dates.

    Returns ``(start, precision, invalid)``: the period start (``NaT`` when empty), the
    precision (``<NA>`` when empty) and a boolean mask of non-empty cells that are not a
    valid partial date (bad format or impossible day such as 2019-02-30).
    """
    import pandas as pd

    # Parse each distinct text once: date columns repeat a few values many times.
    codes, uniques = pd.factorize(texts.astype("string").str.strip(), use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string")
    present = text != ""
    well_formed = text.str.fullmatch(DATE_PATTERN.pattern).fillna(False).astype(bool)
    length = text.str.len()
    padded = text.where(length != 4, text + "-01-01")
    padded = padded.where(length != 7, text + "-01")
    start = pd.to_datetime(padded.where(present & well_formed), format="%Y-%m-%d", errors="coerce")
    invalid = present & (~well_formed | start.isna())
    precision = length.map(_PRECISION_BY_LENGTH).astype("string").where(present & ~invalid)

    def spread(values: pd.Series, missing: object) -> pd.Series:
        out = values.reindex(codes)  # code -1 (a missing cell) has no match: missing
        out.index = texts.index
        return out.fillna(missing) if missing is not None else out

    return (
        spread(start.where(~invalid), None),
        spread(precision, None),
        spread(invalid, False).astype(bool),
    )


def period_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Last day of each period (``NaT`` where ``start`` is missing)."""
    import pandas as pd

    end = start.copy()
    is_year = precision == "year"
    is_month = precision == "month"
    end = end.where(~is_year, start + pd.offsets.YearEnd(0))
    end = end.where(~is_month, start + pd.offsets.MonthEnd(0))
    return end
