"""Catalog hooks that need the BRI data: they turn the dataset into report variants.

``reports.toml`` names a hook as ``expand = "bri_analysis.hooks:country_profiles"``; the
builder imports it by that name, so the builder itself never depends on the data.
"""

from __future__ import annotations

from pathlib import Path

from bri_analysis.build.catalog import Variant


def country_profiles(data_dir: Path) -> list[Variant]:
    """One country-profile variant per country with at least one record in the data
    (``profiles.countries_with_records``); ids are lower-case ISO3 codes, titles the names."""
    from bri_analysis.analysis.profiles import countries_with_records
    from bri_analysis.dataset import load_dataset

    table = countries_with_records(load_dataset(data_dir)).sort_values("iso3")
    return [
        Variant(code.lower(), f"Country profile: {name}", {"iso3": code})
        for code, name in zip(table["iso3"], table["country"], strict=True)
    ]
