"""The time model: when a row counts, applied the same way to every table on load.

Four rules, one function each (``data/README.md``, "Time model", explains them to curators):

1. ``certain_from`` — a partial date means its whole period, and a start counts once the
   period is over: "joined 2019" is certain from 2019-12-31, a figure "as of 2018" describes
   the end of 2018 — but never a day after its source was published ("as of April 2019"
   in a report of 22 April 2019 describes 22 April). An exit counts from the first day of
   its period (``left`` as stated).
2. ``counts_from`` — a row without a date of its own takes its source's ``published`` date
   (or, for a mechanism's member, the mechanism's founding date); never an ``accessed``
   date. With none of these it is undated: as-of questions leave it out and say so.
3. Founding dates bound membership: a member without ``joined`` counts from its mechanism's
   founding, never before (the validation rule ``rules.dates_after_founding`` rejects a
   date before the founding).
4. ``flow_period`` — annual, part-year and cumulative figures of one indicator are
   different series: the period is part of a figure's key.

``apply`` adds the derived columns: ``since``, ``since_precision``, ``since_from`` and
``exit_only`` (participation, memberships, zones); ``as_of`` (the end of the period a fact
describes), ``as_of_from``, ``period`` and ``preview`` (facts); ``end`` (events).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bri_analysis.dataset.dates import period_end

if TYPE_CHECKING:
    import pandas as pd

UNDATED = "undated"


def certain_from(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The day from which a partial date is certainly past: the last day of its period."""
    return period_end(start, precision)


def counts_from(
    own: pd.Series,
    own_precision: pd.Series,
    fallbacks: Mapping[str, tuple[pd.Series, pd.Series]],
    published: tuple[pd.Series, pd.Series] | None = None,
) -> pd.DataFrame:
    """Each row's ``since`` (certain day), ``since_precision`` and ``since_from``.

    The row's own date when it has one (``since_from`` is the caller's label ``own.name``,
    e.g. "joined"), else the first of ``fallbacks`` (label -> (start, precision)) that has
    a date, else undated (``NaT``, "undated"). A source cannot state what had not happened
    when it was published: ``published`` (start, precision) caps the day, so "signed in
    April 2019" in an item of 10 April 2019 is certain from 10 April.
    """
    import pandas as pd

    since = certain_from(own, own_precision)
    precision = own_precision.astype("string")
    source = pd.Series(str(own.name), index=own.index, dtype="string").where(own.notna())
    for label, (start, start_precision) in fallbacks.items():
        fill = since.isna() & start.notna()
        since = since.where(~fill, certain_from(start, start_precision))
        precision = precision.where(~fill, start_precision.astype("string"))
        source = source.mask(fill, label)
    if published is not None:
        cap = certain_from(*published)
        since = since.where(~(cap < since), cap)
    return pd.DataFrame(
        {"since": since, "since_precision": precision, "since_from": source.fillna(UNDATED)}
    )


def flow_period(period_start: pd.Series, start_precision: pd.Series, as_of: pd.Series) -> pd.Series:
    """The period a flow figure covers, as part of its key: "" for a figure at a date (no
    ``period_start``), "calendar year", "Jan–Sep" within one year, "since 2013" across years.

    ``as_of`` is the end of the period (``certain_from``), ``period_start`` its start.
    """
    import pandas as pd

    labels = []
    for start, precision, end in zip(period_start, start_precision, as_of, strict=True):
        if pd.isna(start) or pd.isna(end):
            labels.append("")
        elif start.year == end.year:
            whole = start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31
            labels.append("calendar year" if whole else f"{start:%b}–{end:%b}")
        else:
            labels.append(f"since {start:%Y}" if precision == "year" else f"since {start:%Y-%m}")
    return pd.Series(labels, index=period_start.index, dtype="string")


def apply(t: Mapping[str, pd.DataFrame]) -> None:
    """Add the derived time columns to the cleaned tables (in place)."""
    sources = t["sources"].set_index("source_id")

    def published(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        return (
            frame["source_id"].map(sources["published"]),
            frame["source_id"].map(sources["published_precision"]),
        )

    events = t["events"]
    has_end = events["end_date"].notna()
    events["end"] = certain_from(
        events["start_date"].where(~has_end, events["end_date"]),
        events["start_date_precision"].where(~has_end, events["end_date_precision"]),
    )

    part = t["participation"]
    _add(
        part,
        counts_from(
            part["joined"], part["joined_precision"], {"source published": published(part)}
        ),
    )
    part["exit_only"] = part["left"].notna() & part["joined"].isna()

    mech = t["mechanisms"].set_index("mechanism_id")
    members = t["memberships"]
    founding = (
        members["mechanism_id"].map(mech["established"]),
        members["mechanism_id"].map(mech["established_precision"]),
    )
    _add(
        members, counts_from(members["joined"], members["joined_precision"], {"founding": founding})
    )
    members["exit_only"] = False

    zones = t["zones"]
    _add(
        zones,
        counts_from(
            zones["established"],
            zones["established_precision"],
            {"source published": published(zones)},
        ),
    )
    zones["exit_only"] = False

    _apply_to_facts(t["facts"], events, published(t["facts"]))


def _apply_to_facts(facts: pd.DataFrame, events: pd.DataFrame, published: tuple) -> None:
    """``as_of`` becomes the end of the period a fact describes: as stated, else its event's
    end, else its source's publication; ``preview`` marks an event's figure stated before
    the event ended."""
    by_event = events.set_index("event_id")
    event_end = facts["subject"].map(by_event["end"])
    frame = counts_from(
        facts["as_of"].rename("stated"),
        facts["as_of_precision"],
        {
            "event": (event_end, facts["subject"].map(_day_precision(by_event))),
            "source published": published,
        },
        published,
    )
    facts["as_of"] = frame["since"]
    facts["as_of_precision"] = frame["since_precision"]
    facts["as_of_from"] = frame["since_from"]
    facts["period"] = flow_period(
        facts["period_start"], facts["period_start_precision"], facts["as_of"]
    )
    facts["preview"] = (event_end.notna() & (facts["as_of"] < event_end)).astype(bool)


def _day_precision(events: pd.DataFrame) -> pd.Series:
    """The precision of each event's end as stated (end date, else start date)."""
    return events["end_date_precision"].fillna(events["start_date_precision"])


def _add(frame: pd.DataFrame, columns: pd.DataFrame) -> None:
    for name in columns.columns:
        frame[name] = columns[name]
