"""Source ids as lists: what each analysis row cites, and what a whole report cites.

Frames keep ``source_id`` (one per row) or ``source_ids`` (a sorted list per row); these
helpers build and merge such lists, so no code joins ids into text and splits them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def sorted_unique(values: pd.Series) -> list[str]:
    """The distinct non-missing values, sorted (an aggregation for ``groupby(...).agg``)."""
    return sorted(set(values.dropna()))


def merged(lists: pd.Series) -> list[str]:
    """Lists merged into one sorted list without repeats (an aggregation, too)."""
    return sorted({item for items in lists.dropna() for item in items})


def cited(*frames: pd.DataFrame) -> list[str]:
    """Every source id the frames cite (``source_id``, ``source_ids``, ``named_source_ids``,
    ``left_source_id``, ``first_source_id``, ``established_source_id`` columns), in
    first-seen order."""
    seen: dict[str, None] = {}
    for frame in frames:
        for column in ("source_id", "first_source_id", "left_source_id", "established_source_id"):
            if column in frame:
                seen.update(dict.fromkeys(v for v in frame[column] if isinstance(v, str)))
        for column in ("source_ids", "named_source_ids", "sources"):
            if column in frame:
                for items in frame[column]:
                    seen.update(dict.fromkeys(_as_list(items)))
    return list(seen)


def _as_list(items: object) -> Iterable[str]:
    if isinstance(items, str):
        return [items]
    if isinstance(items, list | tuple | set):
        return [i for i in items if isinstance(i, str)]
    return []
