"""Load the curated data folder into a validated, cleaned, immutable ``Dataset``.

``load_dataset()`` reads every table, collects *all* problems (cells, keys, references,
dates, quantities, country names) and raises one ``DataValidationError`` listing each
with file, line and column. A successful load is cached per folder and file state.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bri_analysis import clean, validation
from bri_analysis.errors import DataValidationError, Problem
from bri_analysis.paths import default_data_dir
from bri_analysis.reading import LINE_COLUMN, read_table
from bri_analysis.schemas import COUNTRY_MEMBER_TYPES, COUNTRY_PARTY_TYPES, TABLES

if TYPE_CHECKING:
    import pandas as pd


class UnusedAliasWarning(UserWarning):
    """An entry of country_aliases.csv that no table uses (stale or misspelt)."""


@dataclass(frozen=True)
class Dataset:
    """The cleaned tables. Each frame keeps ``source_id`` and ``locator`` on every row and a
    ``line`` column pointing back to the row in its CSV file."""

    data_dir: Path
    sources: pd.DataFrame
    subjects: pd.DataFrame
    indicators: pd.DataFrame
    series: pd.DataFrame
    events: pd.DataFrame
    facts: pd.DataFrame
    participation: pd.DataFrame
    zones: pd.DataFrame
    mechanisms: pd.DataFrame
    memberships: pd.DataFrame
    country_aliases: pd.DataFrame

    @property
    def table_names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self) if f.name != "data_dir"]

    def row_counts(self) -> dict[str, int]:
        """Rows per table, in the order of the codebook."""
        return {name: len(getattr(self, name)) for name in self.table_names}

    def copy(self) -> Dataset:
        """A copy whose frames can be changed without touching the cached load."""
        return dataclasses.replace(
            self, **{name: getattr(self, name).copy() for name in self.table_names}
        )


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Load, validate and clean a data folder (default ``$BRI_DATA_DIR`` or ``data/``).

    Raises ``DataValidationError`` listing every problem. Cached: a second call on an
    unchanged folder costs a few file stats; you get a copy you may modify.
    """
    folder = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
    return _load_cached(folder, _state(folder)).copy()


def _state(folder: Path) -> tuple:
    """What must be unchanged for a cached load to be reused."""
    state = []
    for table in TABLES.values():
        path = folder / table.file
        try:
            st = path.stat()
            state.append((table.file, st.st_mtime_ns, st.st_size))
        except OSError:
            state.append((table.file, None, None))
    return tuple(state)


@lru_cache(maxsize=8)
def _load_cached(folder: Path, _file_state: tuple) -> Dataset:
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        frame, read_problems = read_table(folder / table.file, table)
        problems += read_problems
        if frame is None:
            continue
        cell_problems = validation.cell_problems(frame, table)
        problems += cell_problems
        problems += validation.key_problems(frame, table)
        problems += clean.clean_dates(frame, table)
        clean.clean_integers(frame, table)
        frames[name] = frame
    if len(frames) == len(TABLES):
        problems += _clean_and_cross_check(frames)
    if problems:
        raise DataValidationError(problems)
    renamed = {name: f.rename(columns={LINE_COLUMN: "line"}) for name, f in frames.items()}
    return Dataset(data_dir=folder, **renamed)


def _clean_and_cross_check(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """Quantities, countries and every rule that spans two tables."""
    from bri_analysis.dates import period_end

    problems = clean.clean_quantities(t["facts"])
    problems += _negative_counts(t["facts"], t["indicators"])

    codes = _known_iso3()
    problems += _alias_code_problems(t["country_aliases"], codes)
    known = t["country_aliases"][t["country_aliases"]["iso3"].isin(codes)]
    aliases = dict(zip(known["alias"], known["iso3"], strict=True))
    country_columns = [
        ("series", "host_country", None),
        ("events", "host_country", None),
        ("zones", "partner_country", None),
        ("participation", "party", ("party_type", COUNTRY_PARTY_TYPES)),
        ("memberships", "member", ("member_type", COUNTRY_MEMBER_TYPES)),
    ]
    masks = {}
    for name, column, condition in country_columns:
        frame = t[name]
        mask = frame[column].notna()
        if condition:
            mask &= frame[condition[0]].isin(condition[1])
        masks[name] = mask
    names_seen = {
        n for name, column, _ in country_columns for n in t[name].loc[masks[name], column]
    }
    lookup = clean.country_lookup(names_seen, aliases)
    for name, column, _ in country_columns:
        problems += clean.clean_countries(t[name], f"{name}.csv", column, masks[name], lookup)
    unused = sorted(set(aliases) - names_seen)
    if unused:
        warnings.warn(
            f"country_aliases.csv: alias(es) used by no table: {', '.join(unused)}",
            UnusedAliasWarning,
            stacklevel=4,
        )

    sources = set(t["sources"]["source_id"])
    for name, frame in t.items():
        if "source_id" in frame and name != "sources":
            problems += validation.reference_problems(
                frame, f"{name}.csv", "source_id", sources, "source_id"
            )
    subjects = t["subjects"]
    series_ids = set(t["series"]["series_id"])
    event_ids = set(t["events"]["event_id"])
    mechanism_ids = set(t["mechanisms"]["mechanism_id"])
    channels = set(subjects.loc[subjects["kind"] == "channel", "subject_id"])
    problems += _shared_id_problems(t)
    problems += validation.reference_problems(
        t["facts"],
        "facts.csv",
        "subject",
        set(subjects["subject_id"]) | series_ids | event_ids | mechanism_ids,
        "subject (not an event, series, mechanism or subject id)",
    )
    problems += validation.reference_problems(
        t["facts"], "facts.csv", "indicator", set(t["indicators"]["indicator"]), "indicator"
    )
    problems += validation.reference_problems(
        t["events"], "events.csv", "series_id", series_ids, "series_id"
    )
    problems += validation.reference_problems(
        t["participation"],
        "participation.csv",
        "channel",
        channels,
        "channel (a subject of kind channel)",
    )
    members_allowed = set(
        t["mechanisms"].loc[t["mechanisms"]["country_membership"] == "yes", "mechanism_id"]
    )
    problems += validation.reference_problems(
        t["memberships"],
        "memberships.csv",
        "mechanism_id",
        members_allowed,
        "mechanism_id (or one with country_membership = no)",
    )
    for name, first, second in (
        ("events", "start_date", "end_date"),
        ("participation", "joined", "left"),
        ("memberships", "joined", "left"),
    ):
        frame = t[name]
        end = period_end(frame[second], frame[f"{second}_precision"])
        problems += validation.order_problems(frame, f"{name}.csv", first, second, end)
    problems += _fill_event_as_of(t["facts"], t["events"])
    by_id = t["sources"].set_index("source_id")
    t["facts"]["source_kind"] = t["facts"]["source_id"].map(by_id["kind"])
    t["facts"]["source_published"] = t["facts"]["source_id"].map(by_id["published"])
    return problems


def _known_iso3() -> set[str]:
    from bri_analysis.countries import country_regions

    return set(country_regions()["iso3"])


def _alias_code_problems(aliases: pd.DataFrame, codes: set[str]) -> list[Problem]:
    """Aliases must point at a country code that country_converter knows."""
    return validation.problems_where(
        aliases,
        aliases["iso3"].notna() & ~aliases["iso3"].isin(codes),
        "country_aliases.csv",
        "iso3",
        lambda row: f"{validation.show(row['iso3'])} is not a known ISO 3166 alpha-3 country code",
    )


def _negative_counts(facts: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    kinds = facts["indicator"].map(
        dict(zip(indicators["indicator"], indicators["kind"], strict=True))
    )
    return validation.problems_where(
        facts,
        (kinds == "count") & (facts["value"] < 0),
        "facts.csv",
        "value_text",
        lambda row: f"a count cannot be negative: {validation.show(row['value_text'])}",
    )


def _shared_id_problems(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """Subject, series, event and mechanism ids share one namespace (facts.subject)."""
    seen: dict[str, str] = {}
    problems = []
    for name, column in (
        ("subjects", "subject_id"),
        ("series", "series_id"),
        ("events", "event_id"),
        ("mechanisms", "mechanism_id"),
    ):
        for _, row in t[name].iterrows():
            value = row[column]
            if value in seen and seen[value] != name:
                problems.append(
                    Problem(
                        f"{name}.csv",
                        int(row[LINE_COLUMN]),
                        column,
                        f"id {validation.show(value)} is already used in {seen[value]}.csv",
                    )
                )
            seen.setdefault(value, name)
    return problems


def _fill_event_as_of(facts: pd.DataFrame, events: pd.DataFrame) -> list[Problem]:
    """Empty ``as_of`` on an event's fact takes the event's start date; elsewhere it is required."""
    starts = events.set_index("event_id")
    missing = facts["as_of"].isna()
    is_event = facts["subject"].isin(starts.index)
    fill = missing & is_event
    facts.loc[fill, "as_of"] = facts.loc[fill, "subject"].map(starts["start_date"])
    facts.loc[fill, "as_of_precision"] = facts.loc[fill, "subject"].map(
        starts["start_date_precision"]
    )
    return validation.problems_where(
        facts,
        missing & ~is_event,
        "facts.csv",
        "as_of",
        lambda _row: "required value is missing (only facts about an event may leave it empty)",
    )
