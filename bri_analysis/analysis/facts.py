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
    "period",
    "as_of",
    "as_of_precision",
    "as_of_from",
    "preview",
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
MEASURES = ("USD", "RMB", "percent")  # units that make figures of one indicator incomparable


def measure(facts: pd.DataFrame) -> pd.Series:
    """What a figure is measured in, as far as comparing figures goes: its currency or
    "percent", else "count". US$1.04 tn and RMB 6.46 tn are not two values of one series."""
    return facts["unit"].where(facts["unit"].isin(MEASURES), "count").astype("string")


def conflicts(ds: Dataset) -> pd.DataFrame:
    """Every (subject, indicator, period, as_of) on which facts disagree, one row per fact.

    The period is part of the key (cumulative 2013-2018 trade is not 2018 trade), so is the
    currency (``measure``: a figure in US$ and one in RMB do not disagree), and so is the
    date a figure describes: a preview stated before an event closed never conflicts
    with the closing figure. Adds ``sources`` (facts in the group), ``low``/``high``
    (smallest and largest stated value), ``spread`` (high - low) and ``spread_pct``.
    """
    key = ["subject", "indicator", "period", "measure", "as_of"]
    facts = ds.facts[FACT_COLUMNS].assign(measure=measure(ds.facts))
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


def series(
    ds: Dataset, subject_or_series: str, indicator: str, period: str | None = None
) -> pd.DataFrame:
    """One indicator over time, one row per fact (so disputed points keep every source).

    ``subject_or_series`` is a series id (then each edition is a point, at the edition's
    end, labelled with its name and edition; an edition's closing figures are used, and its
    previews only where it has no closing figure, flagged ``preview``) or any fact subject
    (then each ``as_of`` is a point). ``period`` keeps one flow period ("calendar year",
    "since 2013", "" for figures at a date); annual, part-year and cumulative figures are
    never points of one line, nor are figures in different currencies (``measure``), and
    ``disputed`` compares only figures of the same period, measure and point. Undated
    figures are left out; ``frame.attrs["undated"]`` counts them.
    """
    indicator = check_choice(indicator, ds.indicators["indicator"], "indicator")
    facts = ds.facts
    if subject_or_series in set(ds.series["series_id"]):
        events = ds.events[ds.events["series_id"] == subject_or_series]
        rows = facts[
            (facts["subject"].isin(events["event_id"])) & (facts["indicator"] == indicator)
        ]
        info = events.set_index("event_id")
        rows = rows[FACT_COLUMNS].copy()
        has_final = rows.groupby("subject")["preview"].transform(lambda p: (~p).any())
        rows = rows[~rows["preview"] | ~has_final]
        rows["label"] = rows["subject"].map(info["name"])
        rows["edition"] = rows["subject"].map(info["edition"]).astype("Int64")
        rows["point"] = rows["subject"].map(info["end"])
    else:
        check_choice(subject_or_series, facts["subject"], "subject or series")
        rows = facts[(facts["subject"] == subject_or_series) & (facts["indicator"] == indicator)]
        rows = rows[FACT_COLUMNS].copy()
        rows["label"] = rows["as_of"].dt.strftime("%Y-%m-%d")
        rows["edition"] = None
        rows["point"] = rows["as_of"]
    if period is not None:
        rows = rows[rows["period"] == period]
    rows["measure"] = measure(rows)
    undated = int(rows["point"].isna().sum())
    rows = rows[rows["point"].notna()]
    key = ["period", "measure", "point"]
    rows["disputed"] = rows.groupby(key)["value"].transform("nunique") > 1
    out = rows.sort_values([*key, "value"]).reset_index(drop=True)
    out.attrs["undated"] = undated
    return out


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
    )
    key = [c for c in ("period", "measure", "point") if c in ranked]
    ranked = ranked.sort_values(
        [*key, "_conf", "_kind", "_published", "_bound"],
        ascending=[True] * len(key) + [True, True, False, True],
        na_position="last",
    )
    helper_columns = ["_conf", "_kind", "_published", "_bound"]
    return ranked.drop_duplicates(key).drop(columns=helper_columns).reset_index(drop=True)


def growth(points: pd.DataFrame) -> pd.DataFrame:
    """Change between consecutive points of a ``series`` frame, within each flow period and
    measure (a year is never compared with six, US$ never with RMB): one row per pair.

    Uses each point's reference value; ``approximate`` is true when either end is a
    bound (not ``exact``) or disputed between sources.
    """
    import pandas as pd

    keys = [points[c] for c in ("period", "measure") if c in points]
    groups = points.groupby(keys, sort=True) if keys else [((), points)]
    parts = [_growth(group) for _, group in groups]
    columns = [
        "period", "measure", "from_label", "to_label", "from_point", "to_point", "from_value",
        "to_value", "from_bound", "to_bound", "change", "pct_change", "approximate",
    ]  # fmt: skip
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _growth(points: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    ref = reference_values(points)
    prev = ref.shift(1)
    out = pd.DataFrame(
        {
            "period": ref.get("period", ""),
            "measure": ref.get("measure", "count"),
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
