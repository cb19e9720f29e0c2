"""The as-of rule: what a partial or missing date means when a question is asked for a day.

Every table with dates answers "as of" questions through this module, so that one rule
holds everywhere: a partial date means its whole period ("2019" is certain only once 2019
is over), a start counts once its whole period has passed, an end from the first day of
its period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bri_analysis.dataset.dates import period_end

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["active_on", "as_timestamp", "period_end"]


def as_timestamp(as_of: object = None) -> pd.Timestamp:
    """A date parameter as a Timestamp; ``None`` means today."""
    import pandas as pd

    return pd.Timestamp.today().normalize() if as_of is None else pd.Timestamp(as_of)


def active_on(
    frame: pd.DataFrame, as_of: object, start: str = "joined", end: str = "left"
) -> pd.Series:
    """Rows of a frame with partial start/end dates that are certainly active on ``as_of``."""
    day = as_timestamp(as_of)
    started = period_end(frame[start], frame[f"{start}_precision"])
    return (started.isna() | (started <= day)) & (frame[end].isna() | (frame[end] > day))
