"""bri-analysis: source-traced data and reports on China's Belt and Road Initiative.

Importing the package is cheap: the public names below load their modules (and pandas)
on first use.

    import bri_analysis as bri
    ds = bri.load_dataset()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bri_analysis.errors import (
    DataValidationError,
    Problem,
    UnknownChoiceError,
    UnknownCountryError,
)

__version__ = "0.1.0"

# public name -> module that defines it (loaded lazily)
_LAZY: dict[str, str] = {
    "Dataset": "bri_analysis.dataset",
    "load_dataset": "bri_analysis.dataset",
    "Quantity": "bri_analysis.quantities",
    "parse_quantity": "bri_analysis.quantities",
    "parse_quantities": "bri_analysis.quantities",
    "to_iso3": "bri_analysis.countries",
    "country_regions": "bri_analysis.countries",
    "conflicts": "bri_analysis.facts",
    "series": "bri_analysis.facts",
    "growth": "bri_analysis.facts",
    "members": "bri_analysis.memberships",
    "member_counts": "bri_analysis.memberships",
    "parties": "bri_analysis.participation",
    "all_parties": "bri_analysis.participation",
    "region_counts": "bri_analysis.participation",
    "channel_table": "bri_analysis.participation",
    "disclosure_gap": "bri_analysis.participation",
    "counts_over_time": "bri_analysis.participation",
    "membership_matrix": "bri_analysis.coverage",
    "regional_coverage": "bri_analysis.coverage",
    "overlap": "bri_analysis.coverage",
    "reach_ranking": "bri_analysis.coverage",
    "without_country_membership": "bri_analysis.coverage",
    "coverage_change": "bri_analysis.coverage",
    "event_table": "bri_analysis.events",
    "compare_events": "bri_analysis.events",
    "shared_indicators": "bri_analysis.events",
    "edition_growth": "bri_analysis.events",
    "CountryProfile": "bri_analysis.profiles",
    "country_profile": "bri_analysis.profiles",
    "countries_with_records": "bri_analysis.profiles",
}

# submodules reachable as attributes (``bri.plots.series_chart``), also loaded lazily
_SUBMODULES = {"plots", "maps", "style", "reporting", "participation", "coverage", "events"}

__all__ = [
    "DataValidationError",
    "Problem",
    "UnknownChoiceError",
    "UnknownCountryError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"bri_analysis.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bri_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from bri_analysis.countries import country_regions, to_iso3
    from bri_analysis.coverage import (
        coverage_change,
        membership_matrix,
        overlap,
        reach_ranking,
        regional_coverage,
        without_country_membership,
    )
    from bri_analysis.dataset import Dataset, load_dataset
    from bri_analysis.events import compare_events, edition_growth, event_table, shared_indicators
    from bri_analysis.facts import conflicts, growth, series
    from bri_analysis.memberships import member_counts, members
    from bri_analysis.participation import (
        all_parties,
        channel_table,
        counts_over_time,
        disclosure_gap,
        parties,
        region_counts,
    )
    from bri_analysis.profiles import CountryProfile, countries_with_records, country_profile
    from bri_analysis.quantities import Quantity, parse_quantities, parse_quantity
