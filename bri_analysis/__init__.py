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
}

__all__ = [
    "DataValidationError",
    "Problem",
    "UnknownChoiceError",
    "UnknownCountryError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
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
    from bri_analysis.dataset import Dataset, load_dataset
    from bri_analysis.facts import conflicts, growth, series
    from bri_analysis.memberships import member_counts, members
    from bri_analysis.quantities import Quantity, parse_quantities, parse_quantity
