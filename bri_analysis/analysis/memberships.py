"""Who belongs to which multilateral mechanism on a given date.

A member counts on date *d* when it has certainly joined by then (the whole period of a
partial ``joined`` date has passed: "2019" counts from 2019-12-31) and has not left (the
period of ``left`` has not begun). Observers, conveners and partners are separate types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis.asof import active_on, as_timestamp
from bri_analysis.analysis.choices import check_choice

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

STATE_TYPES = ("state",)


def members(
    ds: Dataset,
    mechanism: str,
    as_of: object = None,
    member_types: Iterable[str] = STATE_TYPES,
) -> pd.DataFrame:
    """Members of ``mechanism`` on ``as_of`` (default today), full member states by default.

    Raises ``UnknownChoiceError`` for a mechanism that is not in the data. A mechanism with
    no country membership (``country_membership == "no"``) has no rows.
    """
    check_choice(mechanism, ds.mechanisms["mechanism_id"], "mechanism")
    types = tuple(member_types)
    for t in types:
        check_choice(t, _member_types(), "member type")
    rows = ds.memberships[
        (ds.memberships["mechanism_id"] == mechanism) & ds.memberships["member_type"].isin(types)
    ]
    return rows[active_on(rows, as_of)].sort_values("member").reset_index(drop=True)


def member_counts(
    ds: Dataset,
    mechanisms: Iterable[str] | None = None,
    dates: Iterable[object] = (None,),
    member_types: Iterable[str] = STATE_TYPES,
) -> pd.DataFrame:
    """Number of members per mechanism and date: columns mechanism_id, as_of, members."""
    import pandas as pd

    ids = list(mechanisms) if mechanisms is not None else list(ds.mechanisms["mechanism_id"])
    records = [
        {
            "mechanism_id": m,
            "as_of": as_timestamp(d),
            "members": len(members(ds, m, d, member_types)),
        }
        for m in ids
        for d in dates
    ]
    return pd.DataFrame.from_records(records, columns=["mechanism_id", "as_of", "members"])


def _member_types() -> tuple[str, ...]:
    from bri_analysis.dataset.schemas import TABLES

    return next(c.allowed for c in TABLES["memberships"].columns if c.name == "member_type")
