"""Analysis frames as the tables a report shows: numbers written as text, bounds kept.

The analysis layer returns values and bounds; these functions turn them into the columns
a reader sees ("≥ 1,600", "≈ 1,500 – ≥ 1,600" where sources disagree, "≈ +12.5%").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from bri_analysis.analysis import events as events_mod
from bri_analysis.reporting.format import MISSING, display_value, format_value, point_displays

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.analysis.profiles import CountryProfile
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


# --- participation ---------------------------------------------------------------------

SIGNING_BINS = (
    (2013, 2014, "2013–2014"),
    (2015, 2016, "2015–2016"),
    (2017, 2017, "2017"),
    (2018, 2018, "2018"),
    (2019, 2019, "2019"),
    (2020, 2022, "2020–2022"),
    (2023, 2100, "2023 or later"),
)
NO_DATE = "named, no date"
LEFT = "left since"


def signing_categories(
    ds: Dataset, as_of: object, region: str | None = None, scheme: str = "continent"
) -> tuple[pd.Series, list[str]]:
    """For a map of BRI signatories on ``as_of``: each country's class of first-signing
    year (an ordered categorical indexed by ISO3; ``NO_DATE`` for countries the sources
    name without any date, ``LEFT`` for those that had left by then), and the signatories
    whose year is only an upper bound ("signed by then") to hatch."""
    import pandas as pd

    from bri_analysis.analysis.asof import as_timestamp
    from bri_analysis.analysis.participation import (
        BRI_DOCUMENTS,
        first_signings,
        parties,
        undated_parties,
    )

    day = as_timestamp(as_of)
    firsts = first_signings(ds, BRI_DOCUMENTS, region, scheme)
    firsts = firsts[firsts["iso3"].notna()].set_index("iso3")
    signed = set(parties(ds, day, [BRI_DOCUMENTS], region, scheme)["iso3"].dropna())
    undated = set(undated_parties(ds, [BRI_DOCUMENTS], region, scheme)["iso3"].dropna())
    labels = [label for *_, label in SIGNING_BINS]
    classes = {}
    for iso3, row in firsts.iterrows():
        if iso3 in signed:
            year = row["first"].year
            classes[iso3] = next(label for low, high, label in SIGNING_BINS if low <= year <= high)
        elif iso3 in undated:
            classes[iso3] = NO_DATE
        elif pd.notna(row["exited"]) and row["exited"] <= day:
            classes[iso3] = LEFT
    order = [c for c in [*labels, NO_DATE, LEFT] if c in set(classes.values())]
    values = pd.Series(pd.Categorical(list(classes.values()), categories=order, ordered=True),
                       index=list(classes))  # fmt: skip
    upper = [c for c in classes if classes[c] in labels and firsts.loc[c, "bound"] == "upper"]
    return values, upper


def signatories_over_time(
    ds: Dataset, region: str | None = None, scheme: str = "continent"
) -> dict[str, pd.DataFrame]:
    """Two series for one chart: the official counts of countries that signed BRI
    cooperation documents (every source's figure, bounds kept; worldwide) and the number of
    countries this dataset names on each of those dates and at each year's end (in
    ``region`` when given)."""
    import pandas as pd

    from bri_analysis.analysis.participation import counts_over_time, named_over_time

    official = counts_over_time(ds, ["countries_signed"])
    today = pd.Timestamp.today().normalize()
    year_ends = [pd.Timestamp(f"{y}-12-31") for y in range(2013, today.year)]
    days = sorted(set(official["point"]) | set(year_ends))
    named = named_over_time(ds, days, region=region, scheme=scheme)
    named_points = _counted_points(named["as_of"], named["named"], "%Y-%m-%d")
    where = f" in {region}" if region else ""
    return {
        "Official count of signatory countries (worldwide)": official,
        f"Countries the sources name{where}": named_points,
    }


def disclosure_table(gap: pd.DataFrame) -> pd.DataFrame:
    """A ``participation.disclosure_gap`` frame as a reader's table: one row per stated
    total, with the share named written with its bound."""
    shown = share_texts(gap)
    return shown[
        ["channel_name", "stated_as_of", "stated_text", "named", "undated", "share_text",
         "source_id", "locator", "confidence"]
    ].rename(
        columns={"channel_name": "channel", "stated_as_of": "stated for", "stated_text": "stated",
                 "share_text": "share named"}
    )  # fmt: skip


# --- cooperation coverage --------------------------------------------------------------


def membership_over_time(
    ds: Dataset, mechanisms: Iterable[str], end: object = None
) -> dict[str, pd.DataFrame]:
    """Member states of each mechanism at every year's end from its founding (never
    before: no zero before a mechanism existed), as ``plots.multi_series_chart`` frames
    keyed by short name."""
    import pandas as pd

    from bri_analysis.analysis.asof import as_timestamp
    from bri_analysis.analysis.memberships import member_counts

    last = as_timestamp(end)
    short = ds.mechanisms.set_index("mechanism_id")["short_name"]
    days = [pd.Timestamp(f"{y}-12-31") for y in range(1990, last.year)] + [last]
    frames = {}
    for mechanism in mechanisms:
        counts = member_counts(ds, [mechanism], days)
        counts = counts[counts["founded"]]
        if counts.empty:
            continue
        frames[short[mechanism]] = _counted_points(counts["as_of"], counts["members"], "%Y")
    return frames


def _counted_points(days: pd.Series, counts: pd.Series, label_format: str) -> pd.DataFrame:
    """Counts this dataset makes itself (countries named, members on a date) as a
    ``facts.series``-shaped frame for the line charts: exact, and ``secondary`` because
    they are derived from rows, not stated by a source."""
    import pandas as pd

    return pd.DataFrame(
        {
            "point": days,
            "label": days.dt.strftime(label_format),
            "value": counts.astype(float),
            "bound": "exact",
            "unit": None,
            "confidence": "secondary",
            "disputed": False,
        }
    )


def member_count_table(
    ds: Dataset, mechanisms: Iterable[str], dates: Iterable[object]
) -> pd.DataFrame:
    """Member states per mechanism on each date, one column per date ("members on
    2017-01-01"); a dash where the mechanism did not exist yet."""
    from bri_analysis.analysis.memberships import member_counts

    counts = member_counts(ds, list(mechanisms), list(dates))
    wide = counts.pivot(index="mechanism_id", columns="as_of", values="members")
    wide.columns = [f"members on {c.date()}" for c in wide.columns]
    short = ds.mechanisms.set_index("mechanism_id")["short_name"]
    wide = wide.reindex(list(dict.fromkeys(counts["mechanism_id"])))
    return wide.rename(index=short).reset_index(names="mechanism")


def participation_summary(
    ds: Dataset, as_of: object, region: str | None = None, scheme: str = "continent"
) -> dict[str, object]:
    """The numbers the participation report's summary states, as keyword values for
    ``notebook.say``: date, signatories (countries with a BRI cooperation document that a
    source dates by then), organizations, undated (named without any date), left,
    official (the latest official count by then, bound kept), official_date,
    official_source, other_channels (countries named through the other channels)."""
    from bri_analysis.analysis.asof import as_timestamp
    from bri_analysis.analysis.participation import (
        BRI_DOCUMENTS,
        counts_over_time,
        first_signings,
        parties,
        undated_parties,
    )
    from bri_analysis.reporting.format import display_value

    day = as_timestamp(as_of)
    signed = parties(ds, day, [BRI_DOCUMENTS], region, scheme)
    others = parties(ds, day, None, region, scheme)
    others = others[others["channel"] != BRI_DOCUMENTS]
    firsts = first_signings(ds, BRI_DOCUMENTS, region, scheme)
    official = counts_over_time(ds, ["countries_signed"])
    official = official[official["point"] <= day]
    latest = official.sort_values("point").iloc[-1] if len(official) else None
    return {
        "date": day.date(),
        "signatories": signed["iso3"].nunique(),
        "organizations": signed.loc[signed["party_type"] == "organization", "party"].nunique(),
        "undated": undated_parties(ds, [BRI_DOCUMENTS], region, scheme)["iso3"].nunique(),
        "left": int((firsts["exited"] <= day).sum()),
        "official": MISSING if latest is None else display_value(latest["value"], latest["bound"]),
        "official_date": MISSING if latest is None else latest["point"].date(),
        "official_source": MISSING if latest is None else latest["source_id"],
        "other_channels": others["iso3"].nunique(),
    }


def official_counts(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The official counts over time, one ``facts.series`` frame per indicator label
    (documents, countries, organizations, combined), for ``plots.multi_series_chart``."""
    from bri_analysis.analysis.participation import counts_over_time

    counts = counts_over_time(ds)
    return {label: frame for label, frame in counts.groupby("indicator_label", sort=False)}


def channel_display(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """A ``participation.channel_table`` frame with channel names as column headers."""
    from bri_analysis.analysis.participation import channel_names

    return table.rename(columns=channel_names(ds))


def latest_gaps(gap: pd.DataFrame) -> pd.DataFrame:
    """The latest stated total of each channel from a ``disclosure_gap`` frame (for one
    bar per channel)."""
    latest = gap.sort_values("stated_as_of").drop_duplicates("channel", keep="last")
    return latest.sort_values("channel").reset_index(drop=True)


def coverage_summary(ds: Dataset, as_of: object, mechanisms: Iterable[str]) -> dict[str, object]:
    """The numbers the coverage report's summary states: date, selected (mechanisms),
    founded (of them, existing by then), reached (countries besides China), named (all
    mechanisms the report names), without (those without country members) and their names."""
    from bri_analysis.analysis.asof import as_timestamp
    from bri_analysis.analysis.coverage import membership_matrix, without_country_membership
    from bri_analysis.analysis.memberships import founded_by

    day = as_timestamp(as_of)
    ids = list(mechanisms)
    matrix = membership_matrix(ds, day, ids)
    without = without_country_membership(ds)
    return {
        "date": day.date(),
        "selected": len(ids),
        "founded": sum(founded_by(ds, m, day) for m in ids),
        "reached": int(matrix[ids].any(axis=1).sum()),
        "named": len(ds.mechanisms),
        "without": len(without),
        "without_names": ", ".join(without["name"]),
    }


def membership_panels(
    ds: Dataset, as_of: object, mechanisms: Iterable[str], scheme: str = "continent"
) -> dict[str, pd.DataFrame]:
    """The membership matrix on ``as_of`` split by region of ``scheme`` and turned on its
    side: one boolean frame per region, mechanisms (short names) as rows and member
    countries as columns, so that each fits a screen."""
    from bri_analysis.analysis.coverage import membership_matrix

    ids = list(mechanisms)
    matrix = membership_matrix(ds, as_of, ids)
    reached = matrix[matrix[ids].any(axis=1)]
    short = ds.mechanisms.set_index("mechanism_id")["short_name"]
    panels = {}
    for region, rows in reached.groupby(scheme, sort=True):
        panel = rows.set_index("country")[ids].rename(columns=short).T
        panels[str(region)] = panel.astype(bool)
    return panels


def coverage_sources(ds: Dataset, mechanisms: Iterable[str]) -> list[str]:
    """The sources behind the selected mechanisms: their rows (names and founding dates)
    and their memberships, and nothing else."""
    from bri_analysis.analysis.citations import cited

    ids = set(mechanisms)
    return cited(
        ds.mechanisms[ds.mechanisms["mechanism_id"].isin(ids)],
        ds.memberships[ds.memberships["mechanism_id"].isin(ids)],
    )


def short_names(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame indexed and/or headed by mechanism ids, relabelled with their short names."""
    short = ds.mechanisms.set_index("mechanism_id")["short_name"]
    return frame.rename(index=short, columns=short)


# --- event scale -----------------------------------------------------------------------

SHARED_SCALE = ("exhibitors", "visitors", "deal_value")  # indicators most series report


def events_summary(
    ds: Dataset,
    series: Iterable[str],
    start_year: int | None = None,
    end_year: int | None = None,
) -> dict[str, object]:
    """The numbers the event-scale summary states: series, editions (held, in the years
    asked), first and last year, without_figures (editions with no figure at all)."""
    events = events_mod.select_events(ds, list(series), start_year, end_year)
    held = events[events["status"] == "held"]
    with_figures = set(ds.facts["subject"])
    return {
        "series": events["series_id"].nunique(),
        "editions": len(held),
        "first": int(held["start_date"].dt.year.min()) if len(held) else MISSING,
        "last": int(held["start_date"].dt.year.max()) if len(held) else MISSING,
        "without_figures": int((~held["event_id"].isin(with_figures)).sum()),
    }


def latest_scale_table(
    ds: Dataset, series: Iterable[str], indicators: Iterable[str] | None = None
) -> pd.DataFrame:
    """One row per series: its latest held edition and that edition's figures, one column
    per indicator label (bounds kept, ranges where sources disagree, a dash for none)."""
    overview = events_mod.series_overview(ds, list(series))
    latest = events_mod.latest_scale(ds, list(series), indicators)
    latest = latest.assign(display=event_displays(ds, latest))
    labels = [label for label in ds.indicators["label"] if label in set(latest["indicator_label"])]
    wide = latest.pivot(index="event_id", columns="indicator_label", values="display")
    wide = wide.reindex(index=overview["latest_event_id"], columns=labels).fillna(MISSING)
    wide.insert(0, "latest edition", overview["latest_name"].to_numpy())
    wide.insert(0, "series", overview["short_name"].to_numpy())
    wide.columns.name = None
    return wide.reset_index(drop=True)


def _edition_lines(
    ds: Dataset, sid: str, indicator: str, events: pd.DataFrame
) -> Iterator[tuple[str, pd.DataFrame]]:
    """(measure, ``facts.series`` frame) for each measure of one series' indicator that has
    figures for two of the selected ``events`` or more: what a line over editions needs."""
    from bri_analysis.analysis.facts import series as points_of

    points = points_of(ds, sid, indicator)
    points = points[points["subject"].isin(events["event_id"])]
    for measure, frame in points.groupby("measure", sort=True):
        if frame["point"].nunique() >= 2:
            yield str(measure), frame


def series_lines(
    ds: Dataset,
    series: Iterable[str],
    indicator: str,
    start_year: int | None = None,
    end_year: int | None = None,
) -> dict[str, dict[str, pd.DataFrame]]:
    """One indicator over the editions of each series in the years asked, grouped by what it
    is measured in (a chart each: US$ and RMB deal values are not drawn on one axis), for
    ``plots.line_panels``: {measure: {series name: facts.series frame}}. Series with fewer
    than two editions with a figure are left out."""
    series = list(series)
    events = events_mod.select_events(ds, series, start_year, end_year)
    names = ds.series.set_index("series_id")["short_name"]
    panels: dict[str, dict[str, pd.DataFrame]] = {}
    for sid in series:
        for measure, frame in _edition_lines(ds, sid, indicator, events):
            panels.setdefault(measure, {})[names[sid]] = frame
    return panels


def edition_charts(
    ds: Dataset,
    series: Iterable[str],
    indicators: Iterable[str],
    start_year: int | None = None,
    end_year: int | None = None,
) -> list[dict[str, object]]:
    """The keyword arguments of one ``plots.series_chart`` per (series, indicator, measure)
    with figures for two editions or more in the years asked."""
    from bri_analysis.reporting.notebook import source_note

    series, indicators = list(series), list(indicators)
    events = events_mod.select_events(ds, series, start_year, end_year)
    names = ds.series.set_index("series_id")["name"]
    labels = ds.indicators.set_index("indicator")["label"]
    return [
        {
            "points": frame,
            "title": f"{names[sid]}: {labels[indicator]}",
            "ylabel": labels[indicator],
            "source_note": source_note(ds, frame["source_id"]),
        }
        for sid in series
        for indicator in indicators
        for _, frame in _edition_lines(ds, sid, indicator, events)
    ]


def growth_table(
    ds: Dataset,
    series: Iterable[str],
    indicators: Iterable[str],
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Change between consecutive editions, for every series and indicator with two
    editions or more: series, indicator, from/to edition, from/to figure and the change,
    "≈" where a bound or a disagreement makes it approximate."""
    import pandas as pd

    events = events_mod.select_events(ds, list(series), start_year, end_year)
    names = ds.series.set_index("series_id")["name"]
    labels = ds.indicators.set_index("indicator")["label"]
    parts = []
    for sid in series:
        for indicator in indicators:
            growth = events_mod.edition_growth(ds, sid, indicator, set(events["event_id"]))
            if len(growth):
                parts.append(
                    growth_displays(growth).assign(series=names[sid], indicator=labels[indicator])
                )
    columns = ["series", "indicator", "from_label", "to_label", "from_display", "to_display",
               "change_display"]  # fmt: skip
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def event_conflicts(ds: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """The figures about ``events`` that sources state differently, one row per source's
    figure (previews are never a disagreement with the closing figure)."""
    from bri_analysis.analysis.facts import conflicts

    found = conflicts(ds)
    names = events.set_index("event_id")["name"]
    found = found[found["subject"].isin(names.index)].copy()
    found.insert(0, "event", found["subject"].map(names))
    return found.reset_index(drop=True)


def predecessor_editions(ds: Dataset, series: Iterable[str]) -> pd.DataFrame:
    """The editions of the events the selected series grew out of under another name."""
    chosen = ds.series[ds.series["series_id"].isin(list(series))]
    before = ds.series.set_index("series_id").loc[chosen["predecessor"].dropna(), "name"]
    rows = ds.events[ds.events["series_id"].isin(before.index)].copy()
    rows.insert(0, "predecessor of", rows["series_id"].map(
        dict(zip(chosen["predecessor"], chosen["name"], strict=False))
    ))  # fmt: skip
    return rows.sort_values(["series_id", "start_date"]).reset_index(drop=True)


# --- country profiles ------------------------------------------------------------------

_BOUND_WORDS = {
    "exact": "first signed",
    "upper": "had signed by",
    "undated": "is named, without a date",
}


def signing_summary(profile: CountryProfile) -> dict[str, object]:
    """What a country profile says first: when the country first signed a BRI cooperation
    document (as precise as a source states it, with its bound), from which source, how
    many sources name a signing, and whether it left."""
    from bri_analysis.reporting.notebook import DATE_FORMATS

    first = profile.first_signing
    if first is None:
        status = "has no BRI cooperation document in the sources"
        return {"status": status, "date": "", "source": "", "sources": 0, "exit": ""}
    dated = first["bound"] != "undated"
    date = (
        first["first"].strftime(DATE_FORMATS.get(first["first_precision"], "%Y-%m-%d"))
        if dated
        else ""
    )
    left = first["exited"]
    return {
        "status": _BOUND_WORDS[first["bound"]],
        "date": date,
        "source": first["first_source_id"] if dated else "",
        "sources": len(first["sources"]),
        "exit": ""
        if left != left
        else f" It left on {left.date()} (the date an exit counts from).",
    }


def rotation_note(ds: Dataset, profile: CountryProfile) -> str:
    """Which series this country hosted an edition of although the series is usually held
    elsewhere: "China-Arab States Expo (usually Yinchuan, China)"; empty when none."""
    events = profile.events_hosted
    if events.empty:
        return ""
    series = ds.series.set_index("series_id")
    rotated = [
        f"{series.loc[s, 'name']} (usually {series.loc[s, 'city']}, {series.loc[s, 'country']})"
        for s in dict.fromkeys(events["series_id"])
        if series.loc[s, "iso3"] != profile.iso3
    ]
    return "; ".join(rotated)
