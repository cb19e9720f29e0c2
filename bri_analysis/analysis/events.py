"""Event scale: how big each forum and expo edition was, compared across editions and series.

One figure per (event, indicator) is chosen the same way as everywhere else (the
best-confirmed, most exact fact, see ``facts.reference_values``), but the other sources
stay visible: how many there are, the range they span and whether they disagree. Numbers
only: ``reporting.tables`` writes them as text with their bounds ("≥ 1,600").
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from typing import TYPE_CHECKING

from bri_analysis.analysis import facts as facts_mod
from bri_analysis.analysis.choices import check_choice, check_choices

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

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
    "preview",
    "source_ids",
]


def series_choices(ds: Dataset) -> list[str]:
    """The series ids a notebook may ask for (predecessors included)."""
    return sorted(ds.series["series_id"])


def named_series(ds: Dataset) -> list[str]:
    """The series themselves, without the events they grew out of (``predecessor``), in the
    order of series.csv: the report's ten forum and expo series in the shipped data."""
    predecessors = set(ds.series["predecessor"].dropna())
    return [s for s in ds.series["series_id"] if s not in predecessors]


def check_series(ds: Dataset, series: str | Iterable[str] | None) -> list[str]:
    """Series ids asked for (``named_series`` when ``None``); ids or names in any case."""
    if series is None:
        return named_series(ds)
    aliases = dict(zip(ds.series["name"], ds.series["series_id"], strict=True))
    aliases |= dict(zip(ds.series["short_name"], ds.series["series_id"], strict=True))
    return check_choices(series, ds.series["series_id"], "series", aliases)


def check_indicators(ds: Dataset, indicators: str | Iterable[str] | None) -> list[str]:
    """Indicator ids asked for (all when ``None``); ids or labels in any case."""
    if indicators is None:
        return list(ds.indicators["indicator"])
    aliases = dict(zip(ds.indicators["label"], ds.indicators["indicator"], strict=True))
    return check_choices(indicators, ds.indicators["indicator"], "indicator", aliases)


def event_table(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    indicators: str | Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """One row per (event, indicator) with a figure: the reference value and its sources.

    ``value``/``bound``/``unit``/``value_text``/``confidence`` are those of the reference
    fact of ``edition_facts``; ``sources`` counts the facts, ``low``/``high`` span their
    values, ``disputed`` is true when they differ, ``preview`` when only figures stated
    before the event closed exist. Filters: series ids, indicator ids, and years of the
    event's start date (inclusive). Ordered by start date, series, then indicators.csv.
    """
    import pandas as pd

    events = select_events(ds, series, start_year, end_year)
    points = edition_facts(ds, series, indicators, start_year, end_year)
    if points.empty:
        return pd.DataFrame(columns=EVENT_TABLE_COLUMNS)
    ref = facts_mod.reference_values(points).set_index("point")
    by_point = points.groupby("point")
    table = ref[
        ["subject", "indicator", "value", "bound", "unit", "value_text", "confidence", "preview"]
    ].copy()
    table["sources"] = by_point.size()
    table["low"] = by_point["value"].min()
    table["high"] = by_point["value"].max()
    table["disputed"] = by_point["value"].nunique() > 1
    table["source_ids"] = by_point["source_id"].agg(lambda ids: sorted(set(ids)))

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
    table["preview"] = table["preview"].astype(bool)
    table["_order"] = table["indicator"].map(order)
    table = table.sort_values(["start_date", "series_id", "_order"])
    return table[EVENT_TABLE_COLUMNS].reset_index(drop=True)


def edition_facts(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    indicators: str | Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """The facts about the selected events, one row per source, with ``point`` naming the
    (event, indicator) pair: closing figures where an event has them for the indicator,
    its previews (stated before it closed) only where it has none."""
    events = select_events(ds, series, start_year, end_year)
    wanted = check_indicators(ds, indicators)
    rows = ds.facts[
        ds.facts["subject"].isin(events["event_id"]) & ds.facts["indicator"].isin(wanted)
    ]
    # Ids are snake_case, so "/" cannot occur in them: the key names one (event, indicator).
    points = rows.assign(point=rows["subject"] + "/" + rows["indicator"])
    has_final = points.groupby("point")["preview"].transform(lambda p: (~p).any())
    return points[~points["preview"] | ~has_final]


def shared_indicators(ds: Dataset, series: str | Iterable[str] | None = None) -> list[str]:
    """Indicators with a figure for at least two events (of ``series``): the comparable ones."""
    table = event_table(ds, series)
    counts = table.groupby("indicator")["event_id"].nunique()
    return [i for i in ds.indicators["indicator"] if counts.get(i, 0) >= 2]


def series_overview(ds: Dataset, series: str | Iterable[str] | None = None) -> pd.DataFrame:
    """One row per series: how many editions it has had and where, and what it grew out of.

    Columns series_id, name, short_name, kind, city, editions (held), planned, cancelled,
    first, last (start dates of the first and latest held edition), latest_event_id, latest_name,
    hosts (countries that hosted an edition; more than one means it has rotated),
    predecessor (its name) and predecessor_editions. In the order asked (default
    ``named_series``).
    """
    import pandas as pd

    ids = check_series(ds, series)
    names = ds.series.set_index("series_id")
    records = []
    for sid in ids:
        events = ds.events[ds.events["series_id"] == sid].sort_values("start_date")
        held = events[events["status"] == "held"]
        latest = held.iloc[-1] if len(held) else None
        before = names.loc[sid, "predecessor"]
        records.append(
            {
                "series_id": sid,
                "name": names.loc[sid, "name"],
                "short_name": names.loc[sid, "short_name"],
                "kind": names.loc[sid, "kind"],
                "city": names.loc[sid, "city"],
                "editions": len(held),
                "planned": int((events["status"] == "planned").sum()),
                "cancelled": int((events["status"] == "cancelled").sum()),
                "first": held["start_date"].min() if len(held) else pd.NaT,
                "last": held["start_date"].max() if len(held) else pd.NaT,
                "latest_event_id": None if latest is None else latest["event_id"],
                "latest_name": None if latest is None else latest["name"],
                "hosts": sorted(set(events["country"].dropna())),
                "predecessor": None if pd.isna(before) else names.loc[before, "name"],
                "predecessor_editions": 0
                if pd.isna(before)
                else int((ds.events["series_id"] == before).sum()),
            }
        )
    return pd.DataFrame.from_records(records)


def latest_scale(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    indicators: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The figures of each series' latest held edition (``event_table`` rows), so that the
    series can be compared at their latest size; a series whose latest edition has no
    figure for ``indicators`` has no rows (``series_overview`` still lists it)."""
    import pandas as pd

    overview = series_overview(ds, series)
    latest = overview["latest_event_id"].dropna()
    table = event_table(ds, list(overview["series_id"]), indicators)
    out = table[table["event_id"].isin(latest)]
    return out.reset_index(drop=True) if len(out) else pd.DataFrame(columns=EVENT_TABLE_COLUMNS)


def edition_growth(
    ds: Dataset, series: str, indicator: str, events: Iterable[str] | None = None
) -> pd.DataFrame:
    """Change of one indicator between consecutive editions of a series (``facts.growth``),
    with each end's ``from_unit``/``to_unit``; ``approximate`` marks a bound or a dispute.
    ``events`` keeps only those editions (ids)."""
    series = check_choice(series, ds.series["series_id"], "series")
    points = facts_mod.series(ds, series, indicator)
    if events is not None:
        points = points[points["subject"].isin(set(events))]
    out = facts_mod.growth(points)
    units = facts_mod.reference_values(points).set_index(["measure", "point"])["unit"]
    for end in ("from", "to"):
        keys = list(zip(out["measure"], out[f"{end}_point"], strict=True))
        out[f"{end}_unit"] = [units.get(key) for key in keys]
    return out


def select_events(
    ds: Dataset,
    series: str | Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """The events of ``series`` (all when ``None``) that start within the years given."""
    events = ds.events
    if series is not None:
        events = events[events["series_id"].isin(check_series(ds, series))]
    check_years(start_year, end_year)
    years = events["start_date"].dt.year
    if start_year is not None:
        events = events[years >= start_year]
    if end_year is not None:
        events = events[years <= end_year]
    return events


def check_years(start_year: int | None, end_year: int | None) -> tuple[int | None, int | None]:
    """Whole years (or ``None``), the start not after the end; returned as given."""
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, Integral)):
            raise TypeError(f"{name} must be a whole year such as 2019, got {year!r}")
    if start_year is not None and end_year is not None and start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    return start_year, end_year
