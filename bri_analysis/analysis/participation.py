"""Who takes part in the initiative through which channel, since when, by region.

Channels are the participation rows (BRI cooperation documents, industrial cooperation
agreements, third-party market cooperation, alignment with regional organizations) plus
the cooperation zones, whose partner countries form the channel ``cooperation_zone``
without copying zones into participation.csv. Every date follows the time model of
``dataset.timeline`` (a row without its own date counts from its source's publication;
with neither it is undated and as-of answers count it apart). An exit is recorded once,
as a row with ``left`` and no ``joined``: it ends the same party's rows from every source.
Counts are of countries (distinct ISO3); organizations keep their rows but have no region.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis.asof import active_on, as_timestamp, undated
from bri_analysis.analysis.choices import SCHEMES, check_choice, check_choices, check_scheme
from bri_analysis.analysis.citations import sorted_unique

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

ZONE_CHANNEL = "cooperation_zone"
ZONE_CHANNEL_NAME = "Cooperation zones"
BRI_DOCUMENTS = "bri_cooperation_document"
BRI_COUNT_INDICATORS = (
    "cooperation_documents",
    "countries_signed",
    "organizations_signed",
    "countries_and_organizations_signed",
)
# Stated totals of countries per channel: (subject, indicator) of the facts that give them.
# A channel's own facts (subject = channel, indicator ``countries``) always count too.
CHANNEL_TOTALS = {BRI_DOCUMENTS: (("bri", "countries_signed"),)}
PARTY_COLUMNS = [
    "party", "party_type", "channel", "channel_name", "iso3", "country", "continent", "un_region",
    "joined", "joined_precision", "since", "since_precision", "since_from",
    "left", "left_precision", "left_source_id", "exit_only", "document", "signing",
    "source_id", "locator", "confidence",
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


def check_channels(ds: Dataset, channels: str | Iterable[str] | None) -> list[str]:
    """Channel ids asked for (all when ``None``), checked; names in any case work too."""
    valid = channel_choices(ds)
    if channels is None:
        return valid
    aliases = {name: cid for cid, name in channel_names(ds).items()}
    return check_choices(channels, valid, "channel", aliases)


def all_parties(
    ds: Dataset,
    channels: str | Iterable[str] | None = None,
    region: str | None = None,
    scheme: str = "continent",
) -> pd.DataFrame:
    """Every participation row and established zone, whatever its date (see ``parties``).

    ``since`` is the day from which a row certainly counts and ``since_from`` where it
    comes from ("joined", "source published" or "undated"); an exit stated by one source
    ends the same party's rows from other sources (``left_source_id`` cites it). Exit-only
    rows are kept (``exit_only``) so a profile can show them. Planned zones are left out.
    ``region`` keeps the countries of one region of ``scheme`` (organizations have none).
    """
    import pandas as pd

    wanted = check_channels(ds, channels)
    zones = ds.zones[ds.zones["status"] == "established"]
    zone_rows = pd.DataFrame(
        {
            "party": zones["partner_country"],
            "party_type": "country",
            "channel": ZONE_CHANNEL,
            **{c: zones[c] for c in COUNTRY_COLUMNS},
            "joined": zones["established"],
            "joined_precision": zones["established_precision"],
            **{c: zones[c] for c in ("since", "since_precision", "since_from", "exit_only")},
            "left": pd.Series(pd.NaT, index=zones.index, dtype=ds.participation["left"].dtype),
            "left_precision": pd.Series(pd.NA, index=zones.index, dtype="string"),
            "document": zones["name"],
            **{c: zones[c] for c in ("source_id", "locator", "confidence")},
        }
    )
    frames = [f for f in (ds.participation, zone_rows) if len(f)]
    both = pd.concat(frames, ignore_index=True) if frames else ds.participation.copy()
    both = both[both["channel"].isin(wanted)]
    both = _apply_exits(in_region(both, region, scheme).reset_index(drop=True))
    both["channel_name"] = both["channel"].map(channel_names(ds))
    return both[PARTY_COLUMNS].sort_values(["channel", "party"]).reset_index(drop=True)


def parties(
    ds: Dataset,
    as_of: object = None,
    channels: str | Iterable[str] | None = None,
    region: str | None = None,
    scheme: str = "continent",
) -> pd.DataFrame:
    """Who takes part through which channel on ``as_of`` (default today), one row per source.

    A row counts from its ``since`` until its ``left`` (``asof.active_on``); undated rows
    and exit-only rows never count (``undated_parties`` lists the former). Includes one
    row per established cooperation zone. Raises ``UnknownChoiceError`` for an unknown
    channel or region.
    """
    rows = all_parties(ds, channels, region, scheme)
    return rows[active_on(rows, as_of)].reset_index(drop=True)


def organizations(
    ds: Dataset, as_of: object = None, channels: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """Every row naming an international organization (any date), with ``counted``: whether
    the row counts on ``as_of`` (default today). Organizations have no region."""
    rows = all_parties(ds, channels)
    rows = rows[rows["party_type"] == "organization"].reset_index(drop=True)
    rows["counted"] = active_on(rows, as_of)
    return rows


def undated_parties(
    ds: Dataset,
    channels: str | Iterable[str] | None = None,
    region: str | None = None,
    scheme: str = "continent",
) -> pd.DataFrame:
    """Parties named only by rows that no date places (so no as-of answer counts them)."""
    rows = all_parties(ds, channels, region, scheme)
    key = rows["iso3"].fillna(rows["party"])
    dated = set(key[~undated(rows) & ~rows["exit_only"]])
    return rows[undated(rows) & ~key.isin(dated)].reset_index(drop=True)


def in_region(frame: pd.DataFrame, region: str | None, scheme: str = "continent") -> pd.DataFrame:
    """The rows of a frame with region columns that lie in ``region`` (all for ``None``)."""
    scheme = check_scheme(scheme)
    return frame if region is None else frame[frame[scheme] == region]


def region_counts(
    ds: Dataset,
    as_of: object = None,
    scheme: str = "continent",
    channels: str | Iterable[str] | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Countries per region and channel on ``as_of``: region, channel, channel_name,
    countries, names, source_ids (lists, sorted). Organizations have no region and are not
    counted; only region/channel pairs with at least one country appear."""
    scheme = check_scheme(scheme)
    rows = parties(ds, as_of, channels, region, scheme)
    rows = rows[rows["iso3"].notna()].rename(columns={scheme: "region"})
    grouped = rows.groupby(["region", "channel"], sort=True)
    out = grouped.agg(
        countries=("iso3", "nunique"),
        names=("country", sorted_unique),
        source_ids=("source_id", sorted_unique),
    ).reset_index()
    out["countries"] = out["countries"].astype("int64")
    out.insert(2, "channel_name", out["channel"].map(channel_names(ds)))
    return out


def regional_shares(
    ds: Dataset,
    as_of: object = None,
    scheme: str = "continent",
    channel: str = BRI_DOCUMENTS,
) -> pd.DataFrame:
    """Share of each region's UN member states that take part through ``channel`` on
    ``as_of``: region, un_member_states, taking_part, share (0-1), also_named (non-UN
    members, e.g. Palestine, Cook Islands: listed, not in the share), source_ids."""
    import pandas as pd

    from bri_analysis.dataset.countries import un_member_states

    scheme = check_scheme(scheme)
    rows = parties(ds, as_of, [channel])
    rows = rows[rows["iso3"].notna() & (rows["iso3"] != "CHN")]
    un = un_member_states()
    un = un[un["iso3"] != "CHN"]
    is_un = rows["iso3"].isin(un["iso3"])
    out = pd.DataFrame({"un_member_states": un.groupby(scheme).size()})
    out["taking_part"] = rows[is_un].groupby(scheme)["iso3"].nunique()
    out = out.fillna(0).astype("int64")
    out["share"] = out["taking_part"] / out["un_member_states"]
    out["also_named"] = rows[~is_un].groupby(scheme)["country"].agg(sorted_unique)
    out["source_ids"] = rows.groupby(scheme)["source_id"].agg(sorted_unique)
    for column in ("also_named", "source_ids"):
        out[column] = out[column].apply(lambda v: v if isinstance(v, list) else [])
    out.index.name = "region"
    return out.reset_index()


def channel_table(
    ds: Dataset,
    as_of: object = None,
    channels: str | Iterable[str] | None = None,
    region: str | None = None,
    scheme: str = "continent",
) -> pd.DataFrame:
    """One row per country on ``as_of``: which channels it takes part through.

    Columns iso3, country, continent, un_region, one boolean column per channel, then
    ``channels`` (how many) and ``source_ids`` (a list); sorted by ``channels`` (most
    first), then country name. Organizations are not countries and are left out.
    """
    import pandas as pd

    wanted = check_channels(ds, channels)
    rows = parties(ds, as_of, wanted, region, scheme)
    rows = rows[rows["iso3"].notna()]
    countries = rows.drop_duplicates("iso3").set_index("iso3")[COUNTRY_COLUMNS[1:]]
    flags = pd.crosstab(rows["iso3"], rows["channel"]).reindex(columns=wanted, fill_value=0) > 0
    table = countries.join(flags)
    table["channels"] = flags.sum(axis=1).astype("int64")
    table["source_ids"] = rows.groupby("iso3")["source_id"].agg(sorted_unique)
    table = table.reset_index().sort_values(["channels", "country"], ascending=[False, True])
    return table.reset_index(drop=True)


def first_signings(
    ds: Dataset,
    channel: str = BRI_DOCUMENTS,
    region: str | None = None,
    scheme: str = "continent",
) -> pd.DataFrame:
    """When each party first signed: one row per party named for ``channel`` (countries and
    organizations), whatever the date, ordered by date.

    ``first`` is the earliest date a source gives (as stated, with ``first_precision``; the
    date certain soonest, so a day within a year beats the bare year) and
    ``bound`` says what it is: ``exact`` when a source calls that signing the party's first
    (``signing`` = first), ``upper`` when it is only the earliest dated document, or the
    publication of a source naming the party ("signed by then"). ``disputed`` marks
    sources that date a first signing differently. Parties no source dates have no
    ``first`` and ``bound`` "undated". ``exited`` is the date of an exit, if any.
    """
    return first_signings_of(all_parties(ds, [channel], region, scheme))


def first_signings_of(rows: pd.DataFrame) -> pd.DataFrame:
    """``first_signings`` of the rows of one channel (``all_parties`` rows, any subset of
    parties: a profile passes one country's rows and skips everyone else's)."""
    import pandas as pd

    exits = rows[rows["exit_only"]]
    rows = rows[~rows["exit_only"]].copy()
    rows["_key"] = rows["iso3"].fillna(rows["party"])
    own = rows["joined"].notna()
    rows["_date"] = rows["joined"].where(own, rows["since"])
    rows["_precision"] = rows["joined_precision"].where(own, rows["since_precision"])
    rows["_kind"] = (own & (rows["signing"] == "first")).map({True: 0, False: 1})
    # ordered by the day each date is certain: "2015-06-06" comes before "2015"
    dated = rows[rows["since"].notna()].sort_values(["_key", "since", "_kind"])
    earliest = dated.drop_duplicates("_key").set_index("_key")
    stated_first = dated[dated["_kind"] == 0]
    firsts = stated_first["_date"].dt.year.groupby(stated_first["_key"]).nunique()
    parties_ = rows.drop_duplicates("_key").set_index("_key")
    out = parties_[["party", "party_type", *COUNTRY_COLUMNS]].copy()
    out["first"] = earliest["_date"]
    out["first_precision"] = earliest["_precision"].astype("string")
    out["bound"] = earliest["_kind"].map({0: "exact", 1: "upper"}).astype("string")
    out["bound"] = out["bound"].fillna("undated")
    out["first_from"] = earliest["since_from"]
    out["first_source_id"] = earliest["source_id"]
    out["disputed"] = firsts.reindex(out.index).fillna(1).gt(1)
    out["sources"] = rows.groupby("_key")["source_id"].agg(sorted_unique)
    exit_key = exits["iso3"].fillna(exits["party"])
    out["exited"] = pd.Series(exits["left"].to_numpy(), index=exit_key).groupby(level=0).min()
    out = out.reset_index(drop=True)
    return out.sort_values(["first", "party"], na_position="last").reset_index(drop=True)


def named_over_time(
    ds: Dataset,
    dates: Iterable[object],
    channel: str = BRI_DOCUMENTS,
    region: str | None = None,
    scheme: str = "continent",
) -> pd.DataFrame:
    """How many countries the sources name for ``channel`` on each date: columns as_of,
    named (distinct countries), undated (countries no source dates, never counted)."""
    import pandas as pd

    rows = all_parties(ds, [channel], region, scheme)
    countries = rows[rows["iso3"].notna()]
    no_date = undated_parties(ds, [channel], region, scheme)
    undated_count = int(no_date["iso3"].dropna().nunique())
    records = [
        {
            "as_of": as_timestamp(day),
            "named": int(countries.loc[active_on(countries, day), "iso3"].nunique()),
            "undated": undated_count,
        }
        for day in dates
    ]
    return pd.DataFrame.from_records(records, columns=["as_of", "named", "undated"])


def disclosure_gap(ds: Dataset, as_of: object = None) -> pd.DataFrame:
    """How many of the countries a source says take part in a channel the data names.

    One row per stated total dated by ``as_of`` (a fact with subject = channel id and
    indicator ``countries``, or a total of ``CHANNEL_TOTALS`` such as the official count of
    countries that signed BRI cooperation documents), compared with the countries named on
    *that total's date*: channel, channel_name, stated_text, stated_value, stated_bound,
    stated_as_of, source_id, locator, confidence, named, names (list), named_source_ids
    (list), undated (countries named only without a date, so not counted), share_named
    (named / stated, 0-1, capped at 1) and share_bound (a lower-bounded total, "more than
    40", makes the share an upper bound; ``reporting.tables.share_texts`` writes it).
    """
    import pandas as pd

    day = as_timestamp(as_of)
    facts = ds.facts
    wanted = facts["subject"].isin(channel_choices(ds)) & (facts["indicator"] == "countries")
    channel_of = facts["subject"].where(wanted)
    for channel, totals in CHANNEL_TOTALS.items():
        for subject, indicator in totals:
            is_total = (facts["subject"] == subject) & (facts["indicator"] == indicator)
            channel_of = channel_of.mask(is_total, channel)
    stated = facts.assign(channel=channel_of)[channel_of.notna() & (facts["as_of"] <= day)]
    records = []
    for row in stated.itertuples():
        named = parties(ds, row.as_of, [row.channel])
        named = named[named["iso3"].notna()]
        no_date = undated_parties(ds, [row.channel])
        records.append(
            {
                "channel": row.channel,
                "stated_text": row.value_text,
                "stated_value": row.value,
                "stated_bound": row.bound,
                "stated_as_of": row.as_of,
                "source_id": row.source_id,
                "locator": row.locator,
                "confidence": row.confidence,
                "named": int(named["iso3"].nunique()),
                "names": sorted(set(named["country"])),
                "named_source_ids": sorted(set(named["source_id"])),
                "undated": int(no_date["iso3"].dropna().nunique()),
            }
        )
    columns = [
        "channel", "stated_text", "stated_value", "stated_bound", "stated_as_of", "source_id",
        "locator", "confidence", "named", "names", "named_source_ids", "undated",
    ]  # fmt: skip
    out = pd.DataFrame.from_records(records, columns=columns)
    out.insert(1, "channel_name", out["channel"].map(channel_names(ds)))
    out["share_named"] = (out["named"] / out["stated_value"]).clip(upper=1.0).astype("float64")
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

    wanted = [check_choice(i, ds.indicators["indicator"], "indicator") for i in indicators]
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

    scheme = check_choice(scheme, SCHEMES, "region scheme")
    regions = set(un_member_states()[scheme].dropna())
    for frame in (ds.participation, ds.zones, ds.memberships, ds.events):
        regions |= set(frame[scheme].dropna())
    return sorted(regions)


_SHARE_BOUND = {"exact": "exact", "approx": "approx", "lower": "upper", "upper": "lower"}


def _apply_exits(rows: pd.DataFrame) -> pd.DataFrame:
    """Let an exit stated by one source end the other sources' rows for the same party.

    A row without ``left`` takes the earliest exit of the same party (ISO3, else name) and
    channel that falls after its ``since``; a row starting after that exit (a return)
    keeps its own end. ``left_source_id`` cites where each ``left`` date comes from.
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
    pairs = pairs[pairs["since"].isna() | (pairs["_exit"] > pairs["since"])].sort_values("_exit")
    first = pairs.drop_duplicates("_row").set_index("_row")
    rows.loc[first.index, "left"] = first["_exit"]
    rows.loc[first.index, "left_precision"] = first["_exit_precision"]
    rows.loc[first.index, "left_source_id"] = first["_exit_source"]
    return rows.drop(columns="_party")
