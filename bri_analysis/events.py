"""Event scale: how big each forum and expo edition was, compared across editions and series.

One figure per (event, indicator) is chosen the same way as everywhere else (the
best-confirmed, most exact fact, see ``facts.reference_values``), but the other sources
stay visible: how many there are, the range they span, and a ``display`` text that keeps
every stated bound ("≥ 1,600") and shows disagreement as a range ("≈ 1,500 – ≥ 1,600").
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from typing import TYPE_CHECKING

from bri_analysis import facts as facts_mod
from bri_analysis.errors import check_choice, check_choices
from bri_analysis.style import format_value

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset import Dataset

EVENT_TABLE_COLUMNS = [
    "event_id",
    "series_id",
    "series_name",
    "edition",
    "event_name",
    "start_date",
    "city",
    "indicator",
    "indicator_label",
    "value",
    "bound",
    "unit",
    "value_text",
    "confidence",
    "sources",
    "low",
    "high",
    "disputed",
    "display",
    "source_ids",
]
NO_FIGURE = "–"  # a cell of compare_events for an event without a figure for that indicator


def series_choices(ds: Dataset) -> list[str]:
    """The series ids a notebook may ask for."""
    return sorted(ds.series["series_id"])


def indicator_choices(ds: Dataset, series: str | Iterable[str] | None = None) -> list[str]:
    """Indicators with at least one fact about an event (of ``series``, if given)."""
    events = _select_events(ds, series, None, None)
    found = set(ds.facts.loc[ds.facts["subject"].isin(events["event_id"]), "indicator"])
    return [i for i in ds.indicators["indicator"] if i in found]


def display_value(value: float, bound: str, unit: str | None = None) -> str:
    """``style.format_value`` without a counted-thing unit: "≥ 1,600", "US$57.8 bn", "69.1%".

    Currencies and percent are part of the number; words such as "persons" belong in the
    column or axis label, so they are left out here.
    """
    unit = unit if isinstance(unit, str) else None  # pandas marks a missing unit as <NA>
    with_unit = format_value(value, bound, unit)
    bare = format_value(value, bound, None)
    return bare if unit and with_unit == f"{bare} {unit.strip()}" else with_unit


def point_displays(points: pd.DataFrame) -> pd.Series:
    """The text to show for each point of a ``facts.series``-like frame, indexed by ``point``.

    The reference value ("≥ 1,600") when the sources agree; when their values differ, the
    range from the lowest to the highest stated figure, each with its own bound
    ("≈ 1,500 – ≥ 1,600"; on a tie the best-confirmed, most exact fact is shown).
    """
    import pandas as pd

    ref = facts_mod.reference_values(points).set_index("point")
    texts = pd.Series([_text(fact) for _, fact in ref.iterrows()], index=ref.index, dtype=object)
    disputed = points.groupby("point")["value"].nunique() > 1
    if disputed.any():
        ranked = points.assign(
            _conf=points["confidence"].map(facts_mod.CONFIDENCE_RANK),
            _bound=points["bound"].map(facts_mod.BOUND_RANK),
        )
        order = ["value", "_conf", "_bound"]
        low = ranked.sort_values(order).drop_duplicates("point").set_index("point")
        high = ranked.sort_values(order, ascending=[False, True, True])
        high = high.drop_duplicates("point").set_index("point")
        for point in disputed.index[disputed]:
            texts[point] = f"{_text(low.loc[point])} – {_text(high.loc[point])}"
    return texts


def event_table(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    indicators: str | Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """One row per (event, indicator) with a figure: the reference value and its sources.

    ``value``/``bound``/``unit``/``value_text``/``confidence`` are those of the reference
    fact; ``sources`` counts the facts, ``low``/``high`` span their values, ``disputed`` is
    true when they differ, and ``display`` is the text to show (a range when disputed).
    Filters: series ids, indicator ids, and years of the event's start date (inclusive).
    Rows are ordered by start date, series, then the order of indicators.csv.
    """
    import pandas as pd

    events = _select_events(ds, series, start_year, end_year)
    wanted = _select_indicators(ds, indicators)
    rows = ds.facts[
        ds.facts["subject"].isin(events["event_id"]) & ds.facts["indicator"].isin(wanted)
    ]
    if rows.empty:
        return pd.DataFrame(columns=EVENT_TABLE_COLUMNS)
    # Ids are snake_case, so "/" cannot occur in them: the key names one (event, indicator).
    points = rows.assign(point=rows["subject"] + "/" + rows["indicator"])
    ref = facts_mod.reference_values(points).set_index("point")
    by_point = points.groupby("point")
    table = ref[
        ["subject", "indicator", "value", "bound", "unit", "value_text", "confidence"]
    ].copy()
    table["sources"] = by_point.size()
    table["low"] = by_point["value"].min()
    table["high"] = by_point["value"].max()
    table["disputed"] = by_point["value"].nunique() > 1
    table["source_ids"] = by_point["source_id"].agg(lambda ids: ", ".join(sorted(set(ids))))
    table["display"] = point_displays(points)

    info = events.set_index("event_id")
    names = ds.series.set_index("series_id")["name"]
    labels = ds.indicators.set_index("indicator")["label"]
    order = {indicator: i for i, indicator in enumerate(ds.indicators["indicator"])}
    table = table.rename(columns={"subject": "event_id"}).reset_index(drop=True)
    table["series_id"] = table["event_id"].map(info["series_id"])
    table["series_name"] = table["series_id"].map(names)
    table["edition"] = table["event_id"].map(info["edition"]).astype("Int64")
    table["event_name"] = table["event_id"].map(info["name"])
    table["start_date"] = table["event_id"].map(info["start_date"])
    table["city"] = table["event_id"].map(info["city"])
    table["indicator_label"] = table["indicator"].map(labels)
    table["sources"] = table["sources"].astype("int64")
    table["disputed"] = table["disputed"].astype(bool)
    table["_order"] = table["indicator"].map(order)
    table = table.sort_values(["start_date", "series_id", "_order"])
    return table[EVENT_TABLE_COLUMNS].reset_index(drop=True)


def compare_events(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    indicators: str | Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """A comparison table: one row per selected event (by date), one column per indicator label.

    Cells are the ``display`` texts of ``event_table`` (bounds and disputes kept); an event
    without a figure for an indicator shows ``NO_FIGURE`` ("–"). Every selected event has a
    row, including planned ones without figures yet. Indicator columns follow indicators.csv
    and only those with at least one figure appear.
    """
    events = _select_events(ds, series, start_year, end_year).sort_values(
        ["start_date", "series_id"]
    )
    long = event_table(ds, series, indicators, start_year, end_year)
    labels = [label for label in ds.indicators["label"] if label in set(long["indicator_label"])]
    wide = long.pivot(index="event_id", columns="indicator_label", values="display")
    wide = wide.reindex(index=events["event_id"], columns=labels).fillna(NO_FIGURE)
    wide.index = events["name"].to_numpy()
    wide.index.name = "event"
    wide.columns.name = None
    return wide


def shared_indicators(ds: Dataset, series: str | Iterable[str] | None = None) -> list[str]:
    """Indicators with a figure for at least two events (of ``series``): the comparable ones."""
    table = event_table(ds, series)
    counts = table.groupby("indicator")["event_id"].nunique()
    return [i for i in ds.indicators["indicator"] if counts.get(i, 0) >= 2]


def edition_growth(ds: Dataset, series: str, indicator: str) -> pd.DataFrame:
    """Change of one indicator between consecutive editions of a series (``facts.growth``).

    Adds readable texts: ``from_display``/``to_display`` keep bounds, and ``change_display``
    is the percent change, prefixed "≈" when ``approximate`` (a bound or a dispute at
    either end).
    """
    check_choice(series, ds.series["series_id"], "series")
    points = facts_mod.series(ds, series, indicator)
    out = facts_mod.growth(points)
    units = facts_mod.reference_values(points).set_index("point")["unit"]
    for end in ("from", "to"):
        out[f"{end}_display"] = [
            display_value(v, b, units[p])
            for v, b, p in zip(
                out[f"{end}_value"], out[f"{end}_bound"], out[f"{end}_point"], strict=True
            )
        ]
    out["change_display"] = [
        f"{'≈ ' if approx else ''}{pct:+,.1f}%"
        for pct, approx in zip(out["pct_change"], out["approximate"], strict=True)
    ]
    return out


def _select_events(
    ds: Dataset,
    series: str | Iterable[str] | None,
    start_year: int | None,
    end_year: int | None,
) -> pd.DataFrame:
    events = ds.events
    if series is not None:
        wanted = check_choices(series, ds.series["series_id"], "series")
        events = events[events["series_id"].isin(wanted)]
    check_years(start_year, end_year)
    years = events["start_date"].dt.year
    if start_year is not None:
        events = events[years >= start_year]
    if end_year is not None:
        events = events[years <= end_year]
    return events


def _select_indicators(ds: Dataset, indicators: str | Iterable[str] | None) -> list[str]:
    if indicators is None:
        return list(ds.indicators["indicator"])
    return check_choices(indicators, ds.indicators["indicator"], "indicator")


def check_years(start_year: int | None, end_year: int | None) -> None:
    """Whole years (or ``None``), the start not after the end."""
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, Integral)):
            raise TypeError(f"{name} must be a whole year such as 2019, got {year!r}")
    if start_year is not None and end_year is not None and start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")


def _text(fact: pd.Series) -> str:
    return display_value(fact["value"], fact["bound"], fact["unit"])
