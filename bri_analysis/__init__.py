"""bri-analysis: source-traced data and reports on China's Belt and Road Initiative.

Four layers, each a subpackage: ``dataset`` (CSV to a validated, cleaned Dataset),
``analysis`` (Dataset to tidy frames), ``reporting`` (frames to figures, tables and prose)
and ``build`` (notebooks to the report site). Importing the package is cheap: the public
names below load their modules (and pandas) on first use.

    import bri_analysis as bri
    ds = bri.load_dataset()
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bri_analysis.errors import (
    DataValidationError,
    Problem,
    UnknownChoiceError,
    UnknownCountryError,
)

__version__ = "0.2.0"

# public name -> module that defines it (loaded lazily)
_LAZY: dict[str, str] = {
    "Dataset": "bri_analysis.dataset.load",
    "load_dataset": "bri_analysis.dataset.load",
    "export_tables": "bri_analysis.dataset.export",
    "Quantity": "bri_analysis.dataset.quantities",
    "parse_quantity": "bri_analysis.dataset.quantities",
    "parse_quantities": "bri_analysis.dataset.quantities",
    "to_iso3": "bri_analysis.dataset.countries",
    "country_regions": "bri_analysis.dataset.countries",
    "conflicts": "bri_analysis.analysis.facts",
    "series": "bri_analysis.analysis.facts",
    "growth": "bri_analysis.analysis.facts",
    "members": "bri_analysis.analysis.memberships",
    "member_counts": "bri_analysis.analysis.memberships",
    "parties": "bri_analysis.analysis.participation",
    "all_parties": "bri_analysis.analysis.participation",
    "organizations": "bri_analysis.analysis.participation",
    "region_counts": "bri_analysis.analysis.participation",
    "channel_table": "bri_analysis.analysis.participation",
    "disclosure_gap": "bri_analysis.analysis.participation",
    "counts_over_time": "bri_analysis.analysis.participation",
    "membership_matrix": "bri_analysis.analysis.coverage",
    "regional_coverage": "bri_analysis.analysis.coverage",
    "overlap": "bri_analysis.analysis.coverage",
    "reach_ranking": "bri_analysis.analysis.coverage",
    "without_country_membership": "bri_analysis.analysis.coverage",
    "coverage_change": "bri_analysis.analysis.coverage",
    "event_table": "bri_analysis.analysis.events",
    "compare_events": "bri_analysis.reporting.tables",
    "shared_indicators": "bri_analysis.analysis.events",
    "edition_growth": "bri_analysis.analysis.events",
    "CountryProfile": "bri_analysis.analysis.profiles",
    "country_profile": "bri_analysis.analysis.profiles",
    "countries_with_records": "bri_analysis.analysis.profiles",
}

# Module names of version 0.1 (a flat package) -> their home in the four layers. Both
# ``bri.plots`` and ``import bri_analysis.plots`` keep working.
MOVED_MODULES: dict[str, str] = {
    "schemas": "bri_analysis.dataset.schemas",
    "reading": "bri_analysis.dataset.reading",
    "validation": "bri_analysis.dataset.validation",
    "clean": "bri_analysis.dataset.clean",
    "dates": "bri_analysis.dataset.dates",
    "quantities": "bri_analysis.dataset.quantities",
    "countries": "bri_analysis.dataset.countries",
    "export": "bri_analysis.dataset.export",
    "facts": "bri_analysis.analysis.facts",
    "memberships": "bri_analysis.analysis.memberships",
    "participation": "bri_analysis.analysis.participation",
    "coverage": "bri_analysis.analysis.coverage",
    "events": "bri_analysis.analysis.events",
    "profiles": "bri_analysis.analysis.profiles",
    "style": "bri_analysis.reporting.style",
    "plots": "bri_analysis.reporting.plots",
    "maps": "bri_analysis.reporting.maps",
    "parameters": "bri_analysis.reporting.params",
    "report_catalog": "bri_analysis.build.catalog",
    "manifest": "bri_analysis.build.manifest",
    "site": "bri_analysis.build.site",
    "worker": "bri_analysis.build.worker",
}
_SUBPACKAGES = ("dataset", "analysis", "reporting", "build")

__all__ = [
    "DataValidationError",
    "Problem",
    "UnknownChoiceError",
    "UnknownCountryError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in MOVED_MODULES:
        return importlib.import_module(MOVED_MODULES[name])
    if name in _SUBPACKAGES:
        return importlib.import_module(f"bri_analysis.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bri_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *MOVED_MODULES, *_SUBPACKAGES})


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes ``import bri_analysis.<old name>`` give the module at its new home."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        prefix, _, leaf = fullname.rpartition(".")
        if prefix == __name__ and leaf in MOVED_MODULES:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(MOVED_MODULES[spec.name.rpartition(".")[2]])
        spec.loader_state = module.__spec__  # the import system will overwrite __spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (the module is already executed); give it back its own spec."""
        module.__spec__ = module.__spec__.loader_state


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from bri_analysis.analysis.coverage import (
        coverage_change,
        membership_matrix,
        overlap,
        reach_ranking,
        regional_coverage,
        without_country_membership,
    )
    from bri_analysis.analysis.events import edition_growth, event_table, shared_indicators
    from bri_analysis.analysis.facts import conflicts, growth, series
    from bri_analysis.analysis.memberships import member_counts, members
    from bri_analysis.analysis.participation import (
        all_parties,
        channel_table,
        counts_over_time,
        disclosure_gap,
        organizations,
        parties,
        region_counts,
    )
    from bri_analysis.analysis.profiles import (
        CountryProfile,
        countries_with_records,
        country_profile,
    )
    from bri_analysis.dataset.countries import country_regions, to_iso3
    from bri_analysis.dataset.export import export_tables
    from bri_analysis.dataset.load import Dataset, load_dataset
    from bri_analysis.dataset.quantities import Quantity, parse_quantities, parse_quantity
    from bri_analysis.reporting.tables import compare_events
