"""Who belongs to which multilateral mechanism on a given date.

A member counts on date *d* when it has certainly joined by then (the whole period of a
partial ``joined`` date has passed: "2019" counts from 2019-12-31; a founding member
counts from the mechanism's founding) and has not left (the period of ``left`` has not
begun); see ``asof``. Observers, conveners and partners are separate member types.
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


def mechanism_aliases(ds: Dataset) -> dict[str, str]:
    """Short names and names of the mechanisms (any case) -> their ids ("SCO" -> "sco")."""
    mech = ds.mechanisms
    pairs = [*zip(mech["short_name"], mech["mechanism_id"], strict=True)]
    pairs += [*zip(mech["name"], mech["mechanism_id"], strict=True)]
    return dict(pairs)


def check_mechanism(ds: Dataset, mechanism: str) -> str:
    """The id of a mechanism given by id, short name or name in any case ("SCO", "sco")."""
    return check_choice(
        mechanism, ds.mechanisms["mechanism_id"], "mechanism", mechanism_aliases(ds)
    )


def members(
    ds: Dataset,
    mechanism: str,
    as_of: object = None,
    member_types: Iterable[str] = STATE_TYPES,
) -> pd.DataFrame:
    """Members of ``mechanism`` on ``as_of`` (default today), full member states by default.

    ``mechanism`` is an id, short name or name in any case. A member counts from its
    ``since`` (its joining date, or the mechanism's founding when none is given; see
    ``asof``) until its ``left``. Raises ``UnknownChoiceError`` for a mechanism that is not
    in the data; a mechanism with no country membership has no rows.
    """
    mechanism = check_mechanism(ds, mechanism)
    types = tuple(check_choice(t, _member_types(), "member type") for t in member_types)
    rows = ds.memberships[
        (ds.memberships["mechanism_id"] == mechanism) & ds.memberships["member_type"].isin(types)
    ]
    return rows[active_on(rows, as_of)].sort_values("member").reset_index(drop=True)


def founded_by(ds: Dataset, mechanism: str, as_of: object = None) -> bool:
    """Whether the mechanism certainly existed on ``as_of`` (its founding period is over)."""
    import pandas as pd

    from bri_analysis.dataset.timeline import certain_from

    mech = ds.mechanisms[ds.mechanisms["mechanism_id"] == check_mechanism(ds, mechanism)]
    founded = certain_from(mech["established"], mech["established_precision"]).iloc[0]
    return True if pd.isna(founded) else bool(founded <= as_timestamp(as_of))


def member_counts(
    ds: Dataset,
    mechanisms: Iterable[str] | None = None,
    dates: Iterable[object] = (None,),
    member_types: Iterable[str] = STATE_TYPES,
) -> pd.DataFrame:
    """Number of members per mechanism and date: columns mechanism_id, as_of, members,
    founded. A member stated by two sources counts once (``distinct_members``). Before a
    mechanism's founding ``members`` is missing (``<NA>``), not zero: a count over time
    starts at the founding."""
    import pandas as pd

    ids = (
        [check_mechanism(ds, m) for m in mechanisms]
        if mechanisms is not None
        else list(ds.mechanisms["mechanism_id"])
    )
    records = []
    for m in ids:
        for d in dates:
            founded = founded_by(ds, m, d)
            count = distinct_members(members(ds, m, d, member_types)) if founded else None
            records.append(
                {"mechanism_id": m, "as_of": as_timestamp(d), "members": count, "founded": founded}
            )
    out = pd.DataFrame.from_records(
        records, columns=["mechanism_id", "as_of", "members", "founded"]
    )
    out["members"] = out["members"].astype("Int64")
    return out


def distinct_members(rows: pd.DataFrame) -> int:
    """How many members the rows of ``members`` name: a country by its ISO3 code, a body by
    its name, so that two sources dating the same status count as one member."""
    return int(rows["iso3"].fillna(rows["member"]).nunique())


def _member_types() -> tuple[str, ...]:
    from bri_analysis.dataset.schemas import TABLES

    return next(c.allowed for c in TABLES["memberships"].columns if c.name == "member_type")
