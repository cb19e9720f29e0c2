"""Everything the dataset records about one country, for one profile report per country.

A profile gathers the country's rows from each table at every date (not as of one day):
the channels it takes part through, its memberships in the mechanisms (any member type),
the cooperation zones with it, the events it hosted, and the facts about those events.
The dataset holds no statistics about a country as such (facts are about events,
series, mechanisms and the initiative), so ``facts`` are only the figures of events and
series the country hosts: they describe the event, not the country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bri_analysis.analysis.choices import check_country

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

RECORD_TABLES = ("participation", "memberships", "zones", "events")
MEMBERSHIP_COLUMNS = [
    "mechanism_id", "short_name", "mechanism_name", "member", "member_type",
    "joined", "joined_precision", "since", "since_precision", "since_from",
    "left", "left_precision", "source_id", "locator", "confidence",
]  # fmt: skip
SIGNING_COLUMNS = [
    "joined", "joined_precision", "since", "since_precision", "since_from", "document",
    "signing", "left", "left_precision", "exit_only", "source_id", "locator", "confidence",
]  # fmt: skip
ZONE_COLUMNS = [
    "zone_id", "name", "kind", "status", "established", "established_precision",
    "source_id", "locator", "confidence",
]  # fmt: skip
EVENT_COLUMNS = [
    "event_id", "series_id", "edition", "name", "start_date", "start_date_precision",
    "end_date", "end_date_precision", "city", "status", "source_id", "locator", "confidence",
]  # fmt: skip
FACT_COLUMNS = [
    "subject", "subject_name", "about", "indicator", "value_text", "value", "bound", "unit",
    "as_of", "as_of_precision", "source_id", "locator", "confidence", "fact_id",
]  # fmt: skip


@dataclass(frozen=True)
class CountryProfile:
    """One country's records. Frames are empty (with their columns) when there is nothing.

    ``signings``: its BRI cooperation documents, one row per source (date as stated, what
    was signed, exits), earliest first, and ``first_signing`` the summary row of
    ``participation.first_signings`` (``None`` when no source names a signing);
    ``channels``: ``participation.all_parties`` rows (every date, zones included);
    ``mechanisms``: membership rows of any type with the mechanism's short name;
    ``zones``; ``events_hosted``; ``facts`` about the events and series it hosts
    (``about`` = "event" or "series"). ``has_records`` is false for a real country the
    data never mentions.
    """

    iso3: str
    name: str
    continent: str
    un_region: str
    signings: pd.DataFrame = field(repr=False)
    first_signing: pd.Series | None = field(repr=False)
    channels: pd.DataFrame = field(repr=False)
    mechanisms: pd.DataFrame = field(repr=False)
    zones: pd.DataFrame = field(repr=False)
    events_hosted: pd.DataFrame = field(repr=False)
    facts: pd.DataFrame = field(repr=False)

    @property
    def has_records(self) -> bool:
        return any(len(f) for f in (self.channels, self.mechanisms, self.zones, self.events_hosted))


def country_profile(ds: Dataset, country: str) -> CountryProfile:
    """The profile of one country, given by ISO3 code or name in any case ("KAZ", "kaz",
    "Kazakhstan").

    Raises ``UnknownChoiceError`` (with "did you mean") when ``country`` is not a country;
    a real country without records gets empty frames (``has_records`` false).
    """
    import pandas as pd

    from bri_analysis.analysis.participation import BRI_DOCUMENTS, all_parties, first_signings_of
    from bri_analysis.dataset.countries import country_regions

    iso3 = check_country(country, _aliases(ds))
    info = country_regions([iso3]).iloc[0]

    channels = all_parties(ds)
    channels = channels[channels["iso3"] == iso3].reset_index(drop=True)
    signings = channels[channels["channel"] == BRI_DOCUMENTS][SIGNING_COLUMNS]
    signings = signings.sort_values(["exit_only", "joined", "since"], na_position="last")
    first = first_signings_of(channels[channels["channel"] == BRI_DOCUMENTS])

    mech = ds.mechanisms.set_index("mechanism_id")
    rows = ds.memberships[ds.memberships["iso3"] == iso3].copy()
    rows["short_name"] = rows["mechanism_id"].map(mech["short_name"])
    rows["mechanism_name"] = rows["mechanism_id"].map(mech["name"])
    memberships = rows[MEMBERSHIP_COLUMNS].sort_values(
        ["short_name", "since", "member_type"], na_position="first"
    )

    zones = ds.zones.loc[ds.zones["iso3"] == iso3, ZONE_COLUMNS].sort_values("name")
    events = ds.events.loc[ds.events["iso3"] == iso3, EVENT_COLUMNS].sort_values("start_date")

    series_ids = ds.series.loc[ds.series["iso3"] == iso3, "series_id"]
    subject_names = pd.concat(
        [
            events.set_index("event_id")["name"],
            ds.series.set_index("series_id").loc[series_ids, "name"],
        ]
    )
    about = pd.Series(
        ["event"] * len(events) + ["series"] * len(series_ids), index=subject_names.index
    )
    facts = ds.facts[ds.facts["subject"].isin(subject_names.index)].copy()
    facts["subject_name"] = facts["subject"].map(subject_names)
    facts["about"] = facts["subject"].map(about)
    facts = facts[FACT_COLUMNS].sort_values(["as_of", "subject", "indicator", "value"])

    return CountryProfile(
        iso3=iso3,
        name=str(info["name"]),
        continent=str(info["continent"]),
        un_region=str(info["un_region"]),
        signings=signings.reset_index(drop=True),
        first_signing=first.iloc[0] if len(first) else None,
        channels=channels,
        mechanisms=memberships.reset_index(drop=True),
        zones=zones.reset_index(drop=True),
        events_hosted=events.reset_index(drop=True),
        facts=facts.reset_index(drop=True),
    )


def countries_with_records(ds: Dataset) -> pd.DataFrame:
    """Every country with at least one row in participation, memberships, zones or events.

    Columns iso3, country, records (total rows), then one count per table; memberships
    of any member type count. Sorted by country name. The builder makes one profile
    report per row.
    """
    import pandas as pd

    counts = pd.DataFrame(
        {name: getattr(ds, name)["iso3"].dropna().value_counts() for name in RECORD_TABLES}
    )
    counts = counts.fillna(0).astype("int64")
    counts.insert(0, "records", counts.sum(axis=1))
    names = pd.concat([getattr(ds, n).set_index("iso3")["country"] for n in RECORD_TABLES])
    names = names[names.index.notna()]
    counts.insert(0, "country", names[~names.index.duplicated()].reindex(counts.index))
    counts.index.name = "iso3"
    return counts.reset_index().sort_values("country").reset_index(drop=True)


def _aliases(ds: Dataset) -> dict[str, str]:
    aliases = ds.country_aliases
    return dict(zip(aliases["alias"], aliases["iso3"], strict=True))
