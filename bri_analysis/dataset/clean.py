"""Turn validated string tables into typed, tidy ones.

Dates become timestamps plus precision, stated quantities become value + bound + unit,
and country names become ISO3 with continent and UN sub-region. Each step returns the
problems it finds instead of raising, so one load reports everything.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from bri_analysis.dataset.dates import DATE_PATTERN, parse_partial_dates
from bri_analysis.dataset.reading import LINE_COLUMN
from bri_analysis.dataset.schemas import COUNTRY_MEMBER_TYPES, COUNTRY_PARTY_TYPES, Table
from bri_analysis.dataset.validation import problems_where, show
from bri_analysis.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

COUNTRY_COLUMNS = ("iso3", "country", "continent", "un_region")
# (table, column naming a country, (column, values) that say the row names a country)
COUNTRY_NAME_COLUMNS = (
    ("series", "host_country", None),
    ("events", "host_country", None),
    ("zones", "partner_country", None),
    ("participation", "party", ("party_type", COUNTRY_PARTY_TYPES)),
    ("memberships", "member", ("member_type", COUNTRY_MEMBER_TYPES)),
)


class UnusedAliasWarning(UserWarning):
    """An entry of country_aliases.csv that no table uses (stale or misspelt)."""


def clean_dates(frame: pd.DataFrame, table: Table) -> list[Problem]:
    """Replace each date column by its period start and add ``<column>_precision``."""
    problems = []
    for col in (c.name for c in table.columns if c.kind == "date"):
        start, precision, invalid = parse_partial_dates(frame[col])
        # Malformed text is reported by the cell checks; here only impossible dates.
        impossible = invalid & frame[col].astype("string").str.fullmatch(DATE_PATTERN.pattern)
        problems += problems_where(
            frame,
            impossible,
            table.file,
            col,
            lambda row, c=col: f"{show(row[c])} is not a real date",
        )
        frame[col] = start
        frame[f"{col}_precision"] = precision
    return problems


def clean_integers(frame: pd.DataFrame, table: Table) -> None:
    """Cast validated integer columns to nullable Int64."""
    import pandas as pd

    for col in (c.name for c in table.columns if c.kind == "int"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")


def clean_quantities(facts: pd.DataFrame, file: str = "facts.csv") -> list[Problem]:
    """Parse ``value_text`` into ``value``, ``bound`` and ``unit``.

    The CSV ``unit`` names what is counted; a currency or percent sign in the text must
    agree with it, and then becomes the unit.
    """
    import pandas as pd

    from bri_analysis.dataset.quantities import QuantityParseError, parse_quantities

    texts = facts["value_text"]
    present = texts.notna()
    try:
        parsed = parse_quantities(texts[present])
        failures: Mapping = {}
        reasons: Mapping = {}
    except QuantityParseError as exc:
        failures, reasons = exc.failures, exc.reasons
        ok = present & ~facts.index.isin(list(failures))
        parsed = parse_quantities(texts[ok])
    problems = [
        Problem(
            file,
            int(facts.at[label, LINE_COLUMN]),
            "value_text",
            f"cannot read quantity {show(text)}"
            + (f" ({reasons[label]})" if label in reasons else ""),
        )
        for label, text in failures.items()
    ]
    facts["value"] = parsed["value"].reindex(facts.index).astype("float64")
    facts["bound"] = parsed["bound"].reindex(facts.index).astype("string")
    stated_unit = facts["unit"].astype("string")
    parsed_unit = parsed["unit"].reindex(facts.index).astype("string")
    clash = parsed_unit.notna() & stated_unit.notna() & (parsed_unit != stated_unit)
    for label in facts.index[clash.fillna(False).astype(bool)]:
        problems.append(
            Problem(
                file,
                int(facts.at[label, LINE_COLUMN]),
                "unit",
                f"unit {show(stated_unit[label])} disagrees with {show(texts[label])} "
                f"(which reads as {parsed_unit[label]})",
            )
        )
    facts["unit"] = parsed_unit.fillna(stated_unit).astype(pd.StringDtype())
    return problems


def country_lookup(names: Iterable[str], aliases: Mapping[str, str]) -> pd.DataFrame:
    """One harmonization for every distinct name of every table (country_converter is slow
    to call, fast on many names at once): index = name, columns iso3, country, continent,
    un_region (``<NA>`` for names that match nothing)."""
    import pandas as pd

    from bri_analysis.dataset.countries import country_regions, harmonize

    distinct = pd.Series(sorted(set(names)), dtype=object)
    iso3, _misses = harmonize(distinct, aliases)
    lookup = pd.DataFrame({"iso3": iso3.astype("string").to_numpy()}, index=distinct.to_numpy())
    regions = country_regions(iso3.dropna().unique()).set_index("iso3")
    lookup["country"] = lookup["iso3"].map(regions["name"]).astype("string")
    lookup["continent"] = lookup["iso3"].map(regions["continent"]).astype("string")
    lookup["un_region"] = lookup["iso3"].map(regions["un_region"]).astype("string")
    return lookup


def clean_countries(
    frame: pd.DataFrame,
    file: str,
    name_column: str,
    is_country: pd.Series,
    lookup: pd.DataFrame,
) -> list[Problem]:
    """Add ISO3, country name, continent and UN sub-region for rows that name a country.

    ``lookup`` comes from ``country_lookup``. Rows that are not countries (organizations)
    keep ``<NA>``. Every unmatched name is a problem with its line; nothing is dropped.
    """
    names = frame[name_column].where(is_country)
    for column in COUNTRY_COLUMNS:
        frame[column] = names.map(lookup[column]).astype("string")
    return problems_where(
        frame,
        is_country & frame["iso3"].isna(),
        file,
        name_column,
        lambda row: (
            f"unknown country name {show(row[name_column])}; add it to "
            "country_aliases.csv if it is a real country"
        ),
    )


def clean_all_countries(t: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Harmonize every country name of every table in one lookup (``COUNTRY_NAME_COLUMNS``).

    Aliases must point at a code country_converter knows; an alias no table uses is a
    ``UnusedAliasWarning``; an unmatched name is a problem with its file and line.
    """
    from bri_analysis.dataset.countries import known_iso3

    codes = known_iso3()
    alias_table = t["country_aliases"]
    problems = problems_where(
        alias_table,
        alias_table["iso3"].notna() & ~alias_table["iso3"].isin(codes),
        "country_aliases.csv",
        "iso3",
        lambda row: f"{show(row['iso3'])} is not a known ISO 3166 alpha-3 country code",
    )
    known = alias_table[alias_table["iso3"].isin(codes)]
    aliases = dict(zip(known["alias"], known["iso3"], strict=True))
    masks = {}
    for name, column, condition in COUNTRY_NAME_COLUMNS:
        mask = t[name][column].notna()
        if condition:
            mask &= t[name][condition[0]].isin(condition[1])
        masks[name] = mask
    seen = {n for name, column, _ in COUNTRY_NAME_COLUMNS for n in t[name].loc[masks[name], column]}
    lookup = country_lookup(seen, aliases)
    for name, column, _ in COUNTRY_NAME_COLUMNS:
        problems += clean_countries(t[name], f"{name}.csv", column, masks[name], lookup)
    unused = sorted(set(aliases) - seen)
    if unused:
        warnings.warn(
            f"country_aliases.csv: alias(es) used by no table: {', '.join(unused)}",
            UnusedAliasWarning,
            stacklevel=5,
        )
    return problems


def add_source_info(facts: pd.DataFrame, sources: pd.DataFrame) -> None:
    """Each fact's source kind and published date, for choosing among disagreeing sources."""
    by_id = sources.set_index("source_id")
    facts["source_kind"] = facts["source_id"].map(by_id["kind"])
    facts["source_published"] = facts["source_id"].map(by_id["published"])
