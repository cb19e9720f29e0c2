"""As-of questions: which rows count on a given day, by the one time model of the data.

The rules themselves live with the data (``dataset.timeline``, applied on load): every
row with dates has ``since`` (the day from which it certainly counts: the end of its
stated period, or of its source's publication or its mechanism's founding when it has no
date of its own) and ``left`` (an exit counts from the first day of its period). A row
without any date is undated: it never counts as of a day, and ``undated`` says how many
were left out, so an answer can say so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bri_analysis.dataset.dates import period_end

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["active_on", "as_timestamp", "period_end", "undated"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_timestamp(as_of: object = None) -> pd.Timestamp:
    """A date parameter as a Timestamp: an ISO day ("2019-04-22"), a ``date``/``datetime``
    or a Timestamp; ``None`` means today. Anything else (``"04/05/2019"`` could be April or
    May) is a ``ValueError`` naming the accepted forms."""
    import datetime

    import pandas as pd

    if as_of is None:
        return pd.Timestamp.today().normalize()
    if isinstance(as_of, pd.Timestamp | datetime.date):
        stamp = pd.Timestamp(as_of)
    elif isinstance(as_of, str) and _ISO_DAY.match(as_of.strip()):
        try:
            stamp = pd.Timestamp(as_of.strip())
        except ValueError:
            stamp = pd.NaT
    else:
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(
            f"not a date: {as_of!r}; give an ISO day such as '2019-04-22' "
            "(or a datetime.date / pandas Timestamp)"
        )
    return stamp


def active_on(frame: pd.DataFrame, as_of: object) -> pd.Series:
    """Rows that certainly count on ``as_of``: ``since`` is on or before the day and ``left``
    (if any) after it. Undated rows (no ``since``) and exit-only rows never count."""
    day = as_timestamp(as_of)
    started = frame["since"].notna() & (frame["since"] <= day)
    not_left = frame["left"].isna() | (frame["left"] > day)
    return started & not_left & ~frame["exit_only"].astype(bool)


def undated(frame: pd.DataFrame) -> pd.Series:
    """Rows that no as-of question can place: no date of their own, none from a source."""
    return frame["since"].isna() & ~frame["exit_only"].astype(bool)
