"""Analysis frames as the tables a report shows: numbers written as text, bounds kept.

The analysis layer returns values and bounds; these functions turn them into the columns
a reader sees ("≥ 1,600", "≈ 1,500 – ≥ 1,600" where sources disagree, "≈ +12.5%").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis import events as events_mod
from bri_analysis.reporting.format import MISSING, display_value, format_value, point_displays

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset


def event_displays(ds: Dataset, table: pd.DataFrame) -> pd.Series:
    """The text of each row of an ``events.event_table`` frame: its reference value with
    its bound, or the range of the sources' figures where they disagree; "(before close)"
    marks a figure stated before the event closed."""
    import pandas as pd

    if table.empty:
        return pd.Series([], dtype=object)
    points = events_mod.edition_facts(ds, indicators=list(table["indicator"].unique()))
    texts = point_displays(points[points["subject"].isin(table["event_id"])])
    shown = (table["event_id"] + "/" + table["indicator"]).map(texts)
    return shown.where(~table["preview"], shown + " (before close)")


def compare_events(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    indicators: str | Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """A comparison table: one row per selected event (by date), one column per indicator label.

    Cells are the texts of ``event_displays`` (bounds and disputes kept); an event without a
    figure for an indicator shows ``MISSING`` ("–"). Every selected event has a row,
    including planned ones without figures yet. Indicator columns follow indicators.csv and
    only those with at least one figure appear.
    """
    events = events_mod.select_events(ds, series, start_year, end_year).sort_values(
        ["start_date", "series_id"]
    )
    long = events_mod.event_table(ds, series, indicators, start_year, end_year)
    long = long.assign(display=event_displays(ds, long))
    labels = [label for label in ds.indicators["label"] if label in set(long["indicator_label"])]
    wide = long.pivot(index="event_id", columns="indicator_label", values="display")
    wide = wide.reindex(index=events["event_id"], columns=labels).fillna(MISSING)
    wide.index = events["name"].to_numpy()
    wide.index.name = "event"
    wide.columns.name = None
    return wide


def growth_displays(growth: pd.DataFrame) -> pd.DataFrame:
    """An ``events.edition_growth`` frame with ``from_display``/``to_display`` (bounds kept)
    and ``change_display``, the percent change prefixed "≈" when ``approximate``."""
    out = growth.copy()
    for end in ("from", "to"):
        out[f"{end}_display"] = [
            display_value(v, b, u)
            for v, b, u in zip(
                out[f"{end}_value"], out[f"{end}_bound"], out[f"{end}_unit"], strict=True
            )
        ]
    out["change_display"] = [
        f"{'≈ ' if approx else ''}{pct:+,.1f}%"
        for pct, approx in zip(out["pct_change"], out["approximate"], strict=True)
    ]
    return out


def share_texts(gap: pd.DataFrame) -> pd.DataFrame:
    """A ``participation.disclosure_gap`` frame with ``share_text``: the share named, as a
    percentage whose bound mirrors the total's ("more than 40" stated: "≤ 10%")."""
    out = gap.copy()
    out["share_text"] = [
        format_value(100 * share, bound, "percent")
        for share, bound in zip(out["share_named"], out["share_bound"], strict=True)
    ]
    return out
