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


def warm_up(data_dir: Path) -> None:
    """The catalog's ``preload_hook``: what every report kernel would do first, done once in
    each warm builder worker (whose forks then start with it done).

    Loads and cleans the dataset of the build's data folder (the kernels' ``load_dataset``
    then hits the in-memory cache), loads country_converter's table, reads the world shapes
    and draws one throw-away figure
    off pyplot in the house style (fonts and renderer loaded). Global state is left as it
    was: rcParams are restored and no pyplot figure is created.
    """
    import io

    from matplotlib.figure import Figure

    from bri_analysis.dataset import load_dataset
    from bri_analysis.dataset.countries import country_regions
    from bri_analysis.reporting.style import house_style
    from bri_analysis.reporting.world import world_shapes

    load_dataset(data_dir)
    country_regions()
    world_shapes()
    with house_style():
        fig = Figure(figsize=(2, 1))
        ax = fig.add_subplot()
        ax.bar(["a", "b"], [1, 2])
        ax.set_title("warm-up")
        fig.savefig(io.BytesIO(), format="png")
