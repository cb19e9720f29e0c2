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


def founding_citations(t: Tables) -> list[Problem]:
    """A founding date cites its own source, locator and confidence."""
    problems = []
    for name in ("mechanisms", "subjects"):
        frame = t[name]
        for column in ("established_source_id", "established_locator", "established_confidence"):
            problems += problems_where(
                frame,
                frame["established"].notna() & frame[column].isna(),
                f"{name}.csv",
                column,
                lambda _row: "required when established is given (cite the founding date)",
            )
    return problems


def dates_after_founding(t: Tables) -> list[Problem]:
    """No member joins a mechanism, and no party signs a channel's document, before the
    mechanism or channel existed: a date whose whole period ends before the founding."""
    problems = []
    for name, owner, owner_key, key in (
        ("memberships", "mechanisms", "mechanism_id", "mechanism_id"),
        ("participation", "subjects", "subject_id", "channel"),
    ):
        frame = t[name]
        founded = frame[key].map(t[owner].set_index(owner_key)["established"])
        ended = period_end(frame["joined"], frame["joined_precision"])
        problems += problems_where(
            frame,
            ended < founded,
            f"{name}.csv",
            "joined",
            lambda row, f=founded, k=key: (
                f"joined {show(row['joined'].date())} is before {row[k]} was founded "
                f"({f[row.name].date()})"
            ),
        )
    return problems


def exits_after_entries(t: Tables) -> list[Problem]:
    """An exit stated on its own row is not before the party's earliest entry."""
    frame = t["participation"]
    party = frame["iso3"].fillna(frame["party"])
    entered = (
        period_end(frame["joined"], frame["joined_precision"])
        .groupby([party, frame["channel"]])
        .transform("min")
    )
    exit_only = frame["left"].notna() & frame["joined"].isna()
    return problems_where(
        frame,
        exit_only & (frame["left"] < entered),
        "participation.csv",
        "left",
        lambda row: f"exit {row['left'].date()} is before {row['party']}'s first signing",
    )


def plausible_years(t: Tables) -> list[Problem]:
    """Every date lies between 1900 and 2100 (a typo such as 2109 or 1019 would otherwise
    stretch every chart)."""
    problems = []
    for name, frame in t.items():
        for column in [c for c in frame.columns if c.endswith("_precision")]:
            dates = frame[column.removesuffix("_precision")]
            years = dates.dt.year
            problems += problems_where(
                frame,
                (years < 1900) | (years > 2100),
                f"{name}.csv",
                dates.name,
                lambda row, c=dates.name: f"year {row[c].year} is outside 1900-2100",
            )
    return problems


def no_mathematics(t: Tables) -> list[Problem]:
    """Names that reach a chart have at most one unescaped "$": two would make matplotlib
    typeset the text between them as a formula."""
    problems = []
    for name, columns in CHART_TEXT.items():
        frame = t[name]
        for column in columns:
            text = frame[column].astype("string")
            problems += problems_where(
                frame,
                text.str.count(r"(?<!\\)\$").fillna(0) >= 2,
                f"{name}.csv",
                column,
                lambda row, c=column: (
                    f"{show(row[c])} has two '$': a chart would typeset the text between "
                    "them as mathematics; write the currency once or as USD"
                ),
            )
    return problems


# Columns whose text ends up in chart titles, labels, ticks or legends.
CHART_TEXT = {
    "indicators": ("label",),
    "series": ("name", "short_name"),
    "events": ("name", "city"),
    "mechanisms": ("name", "short_name"),
    "subjects": ("name",),
    "participation": ("party",),
    "memberships": ("member",),
    "zones": ("name",),
}


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
    founding_citations,
    dates_after_founding,
    exits_after_entries,
    plausible_years,
    no_mathematics,
)


def check(t: Tables) -> list[Problem]:
    """Every rule's problems, in ``RULES`` order."""
    return [problem for rule in RULES for problem in rule(t)]
