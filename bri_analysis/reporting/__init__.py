"""Frames to figures, maps, tables and prose for the report notebooks.

``style`` (house style), ``format`` (numbers as text), ``figure`` (what every chart shares),
``plots`` (charts), ``world`` and ``maps`` (offline world maps), ``notebook`` (set-up, escaped
prose, tables, citations; its helpers are importable from here) and ``params`` (checks of
a notebook's parameters against the data).
"""

from bri_analysis.reporting.notebook import (
    bullet_list,
    cited_note,
    dates_as_text,
    escape,
    say,
    setup,
    source_note,
    sources_table,
    table,
    table_or_note,
)

__all__ = [
    "bullet_list",
    "cited_note",
    "dates_as_text",
    "escape",
    "say",
    "setup",
    "source_note",
    "sources_table",
    "table",
    "table_or_note",
]
