"""Notebooks to reports/: the batch builder. It knows nothing about the BRI data.

``catalog`` reads reports.toml and selects reports, ``inspection`` reads a notebook's
parameters cell and types ``-p`` values, ``runner`` plans a build and commits each
finished report, ``lock`` keeps one build per output folder, ``outdir`` checks the folder
and keeps the staging area, ``pool`` runs the builder's worker processes, ``warm`` is one
worker (warm-up, a fork per report), ``kernels`` forks warm kernels for jupyter_client,
``engine`` is the papermill engine that tracks the running cell, ``worker`` builds one
report, ``manifest`` records what each page was built from, ``site`` writes the pages and
the index, ``lifeline`` makes processes stop with their parent, ``adhoc`` runs one notebook
outside the catalog, ``errors`` holds the one-line errors.
"""

from bri_analysis.build.runner import BuildResult, build_reports

__all__ = ["BuildResult", "build_reports"]
