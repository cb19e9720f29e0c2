"""Questions across the facts table: where sources disagree, and figures over time.

Disagreement is a finding, not an error: both figures stay, each with its source and
bound. Growth between two points is flagged approximate when either end is a bound or
is disputed, because then the change itself is only approximately known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bri_analysis.analysis.choices import check_choice

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

FACT_COLUMNS = [
    "subject",
    "indicator",
    "period_start",
    "as_of",
    "value_text",
    "value",
    "bound",
    "unit",
    "source_id",
    "locator",
    "confidence",
    "fact_id",
    "source_kind",
    "source_published",
]
CONFIDENCE_RANK = {"verified": 0, "secondary": 1, "unverified": 2}
SOURCE_KIND_RANK = {
    "official_report": 0,
    "official_statement": 1,
    "official_portal": 2,
    "news": 3,
    "reference": 4,
    "research_notes": 5,
}
BOUND_RANK = {"exact": 0, "approx": 1, "lower": 2, "upper": 2}


def conflicts(ds: Dataset) -> pd.DataFrame:
    """Every (subject, indicator, period, as_of) on which facts disagree, one row per fact.

    The period start is part of the key: cumulative 2013-2018 trade is not the same
    figure as 2018 trade, even with the same ``as_of``.

    Adds ``sources`` (facts in the group), ``low``/``high`` (smallest and largest stated
    value) and ``spread`` (high - low) and ``spread_pct`` (spread relative to low).
    """
    key = ["subject", "indicator", "period_start", "as_of"]
    facts = ds.facts[FACT_COLUMNS]
    stated = facts[["value", "bound", "unit"]].astype(str).agg("|".join, axis=1)
    distinct = stated.groupby([facts[k] for k in key], dropna=False).transform("nunique")
    found = facts[distinct > 1].copy()
    grouped = found.groupby(key, dropna=False)["value"]
    found["sources"] = grouped.transform("size")
    found["low"] = grouped.transform("min")
    found["high"] = grouped.transform("max")
    found["spread"] = found["high"] - found["low"]
    found["spread_pct"] = 100 * found["spread"] / found["low"]
    return found.sort_values([*key, "value"]).reset_index(drop=True)


def series(ds: Dataset, subject_or_series: str, indicator: str) -> pd.DataFrame:
    """One indicator over time, one row per fact (so disputed points keep every source).

    ``subject_or_series`` is a series id (then each edition is a point, labelled with the
    event name and edition) or any fact subject (then each ``as_of`` is a point).
    """
    check_choice(indicator, ds.indicators["indicator"], "indicator")
    facts = ds.facts
    if subject_or_series in set(ds.series["series_id"]):
        events = ds.events[ds.events["series_id"] == subject_or_series]
        rows = facts[
            (facts["subject"].isin(events["event_id"])) & (facts["indicator"] == indicator)
        ]
        info = events.set_index("event_id")
        rows = rows[FACT_COLUMNS].copy()
        rows["label"] = rows["subject"].map(info["name"])
        rows["edition"] = rows["subject"].map(info["edition"]).astype("Int64")
    else:
        check_choice(subject_or_series, facts["subject"], "subject or series")
        rows = facts[(facts["subject"] == subject_or_series) & (facts["indicator"] == indicator)]
        rows = rows[FACT_COLUMNS].copy()
        rows["label"] = rows["as_of"].dt.strftime("%Y-%m-%d")
        rows["edition"] = None
    rows["point"] = rows["as_of"]
    rows["disputed"] = rows.groupby("point")["value"].transform("nunique") > 1
    return rows.sort_values(["point", "value"]).reset_index(drop=True)


def reference_values(points: pd.DataFrame) -> pd.DataFrame:
    """One value per point of a ``series`` frame, for lines and growth.

    Preference, in order: the best-confirmed fact, the most authoritative kind of source
    (the official report before statements, portals and news), the most recently
    published source (final figures revise previews), then the most exact bound.
    """
    import pandas as pd

    missing = pd.Series(None, index=points.index, dtype=object)  # frames built without sources
    ranked = points.assign(
        _conf=points["confidence"].map(CONFIDENCE_RANK),
        _kind=points.get("source_kind", missing).map(SOURCE_KIND_RANK),
        _published=pd.to_datetime(points.get("source_published", missing)),
        _bound=points["bound"].map(BOUND_RANK),
    ).sort_values(
        ["point", "_conf", "_kind", "_published", "_bound"],
        ascending=[True, True, True, False, True],
        na_position="last",
    )
    helper_columns = ["_conf", "_kind", "_published", "_bound"]
    return ranked.drop_duplicates("point").drop(columns=helper_columns).reset_index(drop=True)


def growth(points: pd.DataFrame) -> pd.DataFrame:
    """Change between consecutive points of a ``series`` frame.

    Uses each point's reference value; ``approximate`` is true when either end is a
    bound (not ``exact``) or disputed between sources.
    """
    import pandas as pd

    ref = reference_values(points)
    prev = ref.shift(1)
    out = pd.DataFrame(
        {
            "from_label": prev["label"],
            "to_label": ref["label"],
            "from_point": prev["point"],
            "to_point": ref["point"],
            "from_value": prev["value"],
            "to_value": ref["value"],
            "from_bound": prev["bound"],
            "to_bound": ref["bound"],
        }
    ).iloc[1:]
    out["change"] = out["to_value"] - out["from_value"]
    out["pct_change"] = 100 * out["change"] / out["from_value"]
    inexact = (out["from_bound"] != "exact") | (out["to_bound"] != "exact")
    disputed = prev["disputed"].iloc[1:].astype(bool) | ref["disputed"].iloc[1:].astype(bool)
    out["approximate"] = inexact | disputed
    return out.reset_index(drop=True)
