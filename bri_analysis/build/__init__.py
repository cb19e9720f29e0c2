"""Notebooks to reports/: the batch builder. It knows nothing about the BRI data.

``catalog`` reads reports.toml and selects reports, ``inspection`` reads a notebook's
parameters cell and types ``-p`` values, ``runner`` plans and runs a build, ``worker``
executes one report in its own process, ``manifest`` records what each page was built
from, ``site`` writes the pages and the index.
"""

from bri_analysis.build.runner import BuildResult, build_reports

__all__ = ["BuildResult", "build_reports"]
