"""Who takes part in the initiative through which channel, by date and region.

Channels are the participation rows (industrial cooperation agreements, third-party market
cooperation, alignment with regional organizations, BRI cooperation documents) plus the
cooperation zones, whose partner countries form the channel ``cooperation_zone`` without
copying zones into participation.csv. A row without a signing date counts from the date
its source was published (a conservative "by then"), using the as-of rule of
``memberships.active_on``. Counts are of countries (distinct ISO3); organizations keep
their rows in ``parties`` but have no region.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis.asof import active_on, as_timestamp
from bri_analysis.analysis.choices import SCHEMES, check_choice, check_choices

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

ZONE_CHANNEL = "cooperation_zone"
ZONE_CHANNEL_NAME = "Cooperation zones"
BRI_COUNT_INDICATORS = (
    "cooperation_documents",
    "countries_signed",
    "organizations_signed",
    "countries_and_organizations_signed",
)
PARTY_COLUMNS = [
    "party", "party_type", "channel", "iso3", "country", "continent", "un_region",
    "joined", "joined_precision", "since", "since_precision", "since_from",
    "left", "left_precision", "left_source_id", "source_id", "locator", "confidence",
]  # fmt: skip
COUNTRY_COLUMNS = ["iso3", "country", "continent", "un_region"]


def channel_choices(ds: Dataset) -> list[str]:
    """The channel ids: subjects of kind ``channel`` plus ``cooperation_zone``."""
    subjects = ds.subjects
    ids = set(subjects.loc[subjects["kind"] == "channel", "subject_id"]) | {ZONE_CHANNEL}
    return sorted(ids)


def channel_names(ds: Dataset) -> dict[str, str]:
    """Channel id -> readable name (from subjects.csv; zones get "Cooperation zones")."""
    subjects = ds.subjects[ds.subjects["kind"] == "channel"]
    names = dict(zip(subjects["subject_id"], subjects["name"], strict=True))
    names.setdefault(ZONE_CHANNEL, ZONE_CHANNEL_NAME)
    return names


def all_parties(ds: Dataset, channels: Iterable[str] | None = None) -> pd.DataFrame:
    """Every participation row and established zone, whatever its date (see ``parties``).

    ``since`` is the effective start: ``joined`` when the source gives it, else the citing
    source's ``published`` date, else its ``accessed`` date (the curator saw it by then),
    else today (the data says so now); ``since_from`` says which. An exit stated by one
    source ends the same party's rows from other sources too (``left_source_id`` cites
    it). Planned zones are not participation yet and are left out (they stay in
    ``ds.zones``).
    """
    import pandas as pd

    wanted = check_channels(ds, channels)
    rows = ds.participation.copy()
    zones = ds.zones[ds.zones["status"] == "established"]
    zone_rows = pd.DataFrame(
        {
            "party": zones["partner_country"],
            "party_type": "country",
            "channel": ZONE_CHANNEL,
            **{c: zones[c] for c in COUNTRY_COLUMNS},
            "joined": zones["established"],
            "joined_precision": zones["established_precision"],
            "left": pd.Series(pd.NaT, index=zones.index, dtype=rows["left"].dtype),
            "left_precision": pd.Series(pd.NA, index=zones.index, dtype="string"),
            **{c: zones[c] for c in ("source_id", "locator", "confidence")},
        }
    )
    frames = [f for f in (rows, zone_rows) if len(f)]
    both = pd.concat(frames, ignore_index=True) if frames else rows.iloc[0:0].copy()
    both = both[both["channel"].isin(wanted)].reset_index(drop=True)
    sources = ds.sources.set_index("source_id")
    since, precision = both["joined"], both["joined_precision"].astype("string")
    since_from = pd.Series("joined", index=both.index, dtype="string").where(since.notna())
    for column in ("published", "accessed"):
        fill = since.isna() & both["source_id"].map(sources[column]).notna()
        since = since.where(~fill, both["source_id"].map(sources[column]))
        stated = both["source_id"].map(sources[f"{column}_precision"]).astype("string")
        precision = precision.where(~fill, stated)
        since_from = since_from.mask(fill, f"source {column}")
    undated = since.isna()
    both["since"] = since.where(~undated, as_timestamp(None))
    both["since_precision"] = precision.mask(undated, "day")
    both["since_from"] = since_from.mask(undated, "no date (counts from today)")
    both = _apply_exits(both)
    return both[PARTY_COLUMNS].sort_values(["channel", "party"]).reset_index(drop=True)


def parties(
    ds: Dataset, as_of: object = None, channels: Iterable[str] | None = None
) -> pd.DataFrame:
    """Who takes part through which channel on ``as_of`` (default today), one row per source.

    Includes one row per established cooperation zone (channel ``cooperation_zone``, party =
    partner country). A row counts once its whole ``since`` period has passed and until its
    ``left`` period begins (``memberships.active_on``). Raises ``UnknownChoiceError`` for an
    unknown channel.
    """
    rows = all_parties(ds, channels)
    return rows[active_on(rows, as_of, start="since", end="left")].reset_index(drop=True)


def region_counts(
    ds: Dataset,
    as_of: object = None,
    scheme: str = "continent",
    channels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Countries per region and channel on ``as_of``: region, channel, countries, names.

    ``countries`` counts distinct ISO3 codes; ``names`` lists them (sorted, ", "-joined) and
    ``source_ids`` the sources behind them. Organizations have no region and are not
    counted. Only region/channel pairs with at least one country appear. ``scheme`` is
    ``"continent"`` or ``"un_region"``.
    """
    check_choice(scheme, SCHEMES, "region scheme")
    rows = parties(ds, as_of, channels)
    rows = rows[rows["iso3"].notna()].rename(columns={scheme: "region"})
    grouped = rows.groupby(["region", "channel"], sort=True)
    out = grouped.agg(
        countries=("iso3", "nunique"),
        names=("country", _joined),
        source_ids=("source_id", _joined),
    ).reset_index()
    out["countries"] = out["countries"].astype("int64")
    return out


def channel_table(
    ds: Dataset, as_of: object = None, channels: Iterable[str] | None = None
) -> pd.DataFrame:
    """One row per country on ``as_of``: which channels it takes part through.

    Columns iso3, country, continent, un_region, one boolean column per channel, then
    ``channels`` (how many) and ``source_ids``; sorted by ``channels`` (most first), then
    country name. Organizations are not countries and are left out.
    """
    import pandas as pd

    wanted = check_channels(ds, channels)
    rows = parties(ds, as_of, wanted)
    rows = rows[rows["iso3"].notna()]
    countries = rows.drop_duplicates("iso3").set_index("iso3")[COUNTRY_COLUMNS[1:]]
    flags = pd.crosstab(rows["iso3"], rows["channel"]).reindex(columns=wanted, fill_value=0) > 0
    table = countries.join(flags)
    table["channels"] = flags.sum(axis=1).astype("int64")
    table["source_ids"] = rows.groupby("iso3")["source_id"].agg(_joined)
    table = table.reset_index().sort_values(["channels", "country"], ascending=[False, True])
    return table.reset_index(drop=True)


def disclosure_gap(ds: Dataset, as_of: object = None) -> pd.DataFrame:
    """How many of the countries a source says take part in a channel are named anywhere.

    One row per stated total (a fact with ``subject`` = channel id and indicator
    ``countries`` whose period starts by ``as_of``): channel, channel_name, stated_text,
    stated_value, stated_bound, stated_as_of, source_id, locator, confidence, named
    (distinct countries the data names for the channel on ``as_of``), names,
    named_source_ids, share_named (named / stated, 0-1) and share_bound (the share is an
    upper bound where the total is a lower bound; ``reporting.tables.share_texts`` writes it).
    A lower-bounded total ("more than 40") makes the share an upper bound ("≤ 10%"), an
    upper-bounded total a lower bound. When more countries are named than stated, the
    share is capped at 1.
    """
    import pandas as pd

    day = as_timestamp(as_of)
    names = channel_names(ds)
    facts = ds.facts
    stated = facts[
        facts["subject"].isin(channel_choices(ds))
        & (facts["indicator"] == "countries")
        & (facts["as_of"] <= day)
    ]
    named = parties(ds, day)
    named = named[named["iso3"].notna()]
    by_channel = named.groupby("channel")
    counts = by_channel["iso3"].nunique()
    listed = by_channel["country"].agg(_joined)
    out = pd.DataFrame(
        {
            "channel": stated["subject"],
            "channel_name": stated["subject"].map(names),
            "stated_text": stated["value_text"],
            "stated_value": stated["value"],
            "stated_bound": stated["bound"],
            "stated_as_of": stated["as_of"],
            "source_id": stated["source_id"],
            "locator": stated["locator"],
            "confidence": stated["confidence"],
        }
    )
    out["named"] = out["channel"].map(counts).fillna(0).astype("int64")
    out["names"] = out["channel"].map(listed).fillna("")
    out["named_source_ids"] = out["channel"].map(by_channel["source_id"].agg(_joined)).fillna("")
    out["share_named"] = (out["named"] / out["stated_value"]).clip(upper=1.0)
    out["share_bound"] = out["stated_bound"].map(_SHARE_BOUND).astype("string")
    return out.sort_values(["channel", "stated_as_of", "source_id"]).reset_index(drop=True)


def counts_over_time(ds: Dataset, indicators: Iterable[str] = BRI_COUNT_INDICATORS) -> pd.DataFrame:
    """The official counts of BRI cooperation documents and signatories over time.

    One row per fact about subject ``bri`` for each indicator (``facts.series``: every
    source's figure kept, with its bound and a ``disputed`` flag), stacked, with the
    indicator's ``label``. Raises ``UnknownChoiceError`` for an unknown indicator.
    """
    import pandas as pd

    from bri_analysis.analysis.facts import series

    wanted = list(indicators)
    for indicator in wanted:
        check_choice(indicator, ds.indicators["indicator"], "indicator")
    frames = [series(ds, "bri", indicator) for indicator in wanted]
    present = [f for f in frames if len(f)]
    out = pd.concat(present, ignore_index=True) if present else frames[0]
    labels = ds.indicators.set_index("indicator")["label"]
    out.insert(
        out.columns.get_loc("indicator") + 1, "indicator_label", out["indicator"].map(labels)
    )
    return out.sort_values(["indicator", "point", "value"]).reset_index(drop=True)


def region_choices(ds: Dataset, scheme: str) -> list[str]:
    """The regions a ``scheme`` ("continent" or "un_region") offers, for parameter checks.

    All regions of the world's UN member states, plus any region of a country in the data,
    so a real region without participants is a valid (empty) choice.
    """
    from bri_analysis.dataset.countries import un_member_states

    check_choice(scheme, SCHEMES, "region scheme")
    regions = set(un_member_states()[scheme].dropna())
    for frame in (ds.participation, ds.zones, ds.memberships, ds.events):
        regions |= set(frame[scheme].dropna())
    return sorted(regions)


_SHARE_BOUND = {"exact": "exact", "approx": "approx", "lower": "upper", "upper": "lower"}


def check_channels(ds: Dataset, channels: Iterable[str] | None) -> list[str]:
    valid = channel_choices(ds)
    if channels is None:
        return valid
    return check_choices(channels, valid, "channel")


def _apply_exits(rows: pd.DataFrame) -> pd.DataFrame:
    """Let an exit stated by one source end the other sources' rows for the same party.

    Sources are separate rows: one may give the signing, a later one the exit. A row
    without ``left`` takes the earliest exit of the same party (ISO3, else name) and
    channel that falls after its ``since``; a row starting after that exit (a return) keeps
    its own end. ``left_source_id`` cites where each ``left`` date comes from.
    """
    rows = rows.copy()
    rows["left_source_id"] = rows["source_id"].where(rows["left"].notna())
    rows["_party"] = rows["iso3"].fillna(rows["party"])
    exits = rows.loc[rows["left"].notna(), ["_party", "channel", "left", "left_precision"]]
    exits = exits.assign(_exit_source=rows["source_id"]).rename(
        columns={"left": "_exit", "left_precision": "_exit_precision"}
    )
    open_rows = rows[rows["left"].isna()].reset_index(names="_row")
    pairs = open_rows.merge(exits, on=["_party", "channel"])
    pairs = pairs[pairs["_exit"] > pairs["since"]].sort_values("_exit")
    first = pairs.drop_duplicates("_row").set_index("_row")
    rows.loc[first.index, "left"] = first["_exit"]
    rows.loc[first.index, "left_precision"] = first["_exit_precision"]
    rows.loc[first.index, "left_source_id"] = first["_exit_source"]
    return rows.drop(columns="_party")


def _joined(values: pd.Series) -> str:
    return ", ".join(sorted(set(values.dropna())))
