"""CSV files to a validated, cleaned ``Dataset`` (reading, validation, cleaning, export).

``schemas`` declares the tables, ``reading`` reads one CSV strictly, ``validation`` checks
cells and keys, ``clean`` parses dates, quantities and country names, ``rules`` checks what
spans tables, ``load`` puts it together; ``dates``, ``quantities`` and ``countries`` are the
parsers, ``export`` writes the cleaned tables out. Nothing here imports matplotlib or
papermill.
"""

from bri_analysis.dataset.clean import UnusedAliasWarning
from bri_analysis.dataset.load import Dataset, load_dataset

__all__ = ["Dataset", "UnusedAliasWarning", "load_dataset"]
