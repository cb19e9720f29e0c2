"""The rules that span tables, one named function each, run by the loader in ``RULES`` order.

Each rule takes the cleaned tables (dates parsed, quantities and countries cleaned) and
returns the rows that break it as ``Problem`` objects naming file, line and column; none
of them changes a table. Cell-level checks are in ``schemas``/``validation``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bri_analysis.dataset.dates import period_end
from bri_analysis.dataset.reading import LINE_COLUMN
from bri_analysis.dataset.validation import (
    order_problems,
    problems_where,
    reference_problems,
    show,
)
from bri_analysis.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

Tables = dict[str, "pd.DataFrame"]
Rule = Callable[[Tables], list[Problem]]


def source_refs(t: Tables) -> list[Problem]:
    """Every ``source_id`` (and founding-date citation) names a row of sources.csv."""
    sources = set(t["sources"]["source_id"])
    problems = []
    for name, frame in t.items():
        if name == "sources":
            continue
        for column in ("source_id", "established_source_id"):
            if column in frame:
                problems += reference_problems(frame, f"{name}.csv", column, sources, "source_id")
    return problems


def subject_refs(t: Tables) -> list[Problem]:
    """A fact is about a subject, series, event or mechanism."""
    valid = (
        set(t["subjects"]["subject_id"])
        | set(t["series"]["series_id"])
        | set(t["events"]["event_id"])
        | set(t["mechanisms"]["mechanism_id"])
    )
    return reference_problems(
        t["facts"],
        "facts.csv",
        "subject",
        valid,
        "subject (not an event, series, mechanism or subject id)",
    )


def indicator_refs(t: Tables) -> list[Problem]:
    """A fact's indicator is a row of indicators.csv."""
    valid = set(t["indicators"]["indicator"])
    return reference_problems(t["facts"], "facts.csv", "indicator", valid, "indicator")


def series_refs(t: Tables) -> list[Problem]:
    """An event belongs to a series; a series' predecessor is another series."""
    valid = set(t["series"]["series_id"])
    return reference_problems(
        t["events"], "events.csv", "series_id", valid, "series_id"
    ) + reference_problems(t["series"], "series.csv", "predecessor", valid, "predecessor series_id")


def channel_refs(t: Tables) -> list[Problem]:
    """A participation channel is a subject of kind ``channel``."""
    subjects = t["subjects"]
    channels = set(subjects.loc[subjects["kind"] == "channel", "subject_id"])
    return reference_problems(
        t["participation"],
        "participation.csv",
        "channel",
        channels,
        "channel (a subject of kind channel)",
    )


def membership_refs(t: Tables) -> list[Problem]:
    """Members belong to a mechanism that has country membership."""
    mech = t["mechanisms"]
    allowed = set(mech.loc[mech["country_membership"] == "yes", "mechanism_id"])
    return reference_problems(
        t["memberships"],
        "memberships.csv",
        "mechanism_id",
        allowed,
        "mechanism_id (or one with country_membership = no)",
    )


def date_order(t: Tables) -> list[Problem]:
    """An end (event end, exit) is not before its start."""
    problems = []
    for name, first, second in (
        ("events", "start_date", "end_date"),
        ("participation", "joined", "left"),
        ("memberships", "joined", "left"),
    ):
        frame = t[name]
        end = period_end(frame[second], frame[f"{second}_precision"])
        problems += order_problems(frame, f"{name}.csv", first, second, end)
    return problems


def negative_counts(t: Tables) -> list[Problem]:
    """A count is never negative."""
    indicators = t["indicators"]
    facts = t["facts"]
    kinds = facts["indicator"].map(
        dict(zip(indicators["indicator"], indicators["kind"], strict=True))
    )
    return problems_where(
        facts,
        (kinds == "count") & (facts["value"] < 0),
        "facts.csv",
        "value_text",
        lambda row: f"a count cannot be negative: {show(row['value_text'])}",
    )


def shared_ids(t: Tables) -> list[Problem]:
    """Subject, series, event and mechanism ids share one namespace (facts.subject)."""
    seen: dict[str, str] = {}
    problems = []
    for name, column in (
        ("subjects", "subject_id"),
        ("series", "series_id"),
        ("events", "event_id"),
        ("mechanisms", "mechanism_id"),
    ):
        for value, line in zip(t[name][column], t[name][LINE_COLUMN], strict=True):
            if value in seen and seen[value] != name:
                problems.append(
                    Problem(
                        f"{name}.csv",
                        int(line),
                        column,
                        f"id {show(value)} is already used in {seen[value]}.csv",
                    )
                )
            seen.setdefault(value, name)
    return problems


def fact_dates(t: Tables) -> list[Problem]:
    """Only a fact about an event may leave ``as_of`` empty (the event dates it)."""
    facts = t["facts"]
    is_event = facts["subject"].isin(set(t["events"]["event_id"]))
    return problems_where(
        facts,
        facts["as_of"].isna() & ~is_event,
        "facts.csv",
        "as_of",
        lambda _row: "required value is missing (only facts about an event may leave it empty)",
    )


RULES: tuple[Rule, ...] = (
    source_refs,
    subject_refs,
    indicator_refs,
    series_refs,
    channel_refs,
    membership_refs,
    shared_ids,
    date_order,
    negative_counts,
    fact_dates,
)


def check(t: Tables) -> list[Problem]:
    """Every rule's problems, in ``RULES`` order."""
    return [problem for rule in RULES for problem in rule(t)]
