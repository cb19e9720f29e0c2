"""Checks on the raw tables: cells (via pandera), keys, and references between tables.

Every check returns ``Problem`` objects naming file, line and column; nothing raises here,
so one load reports every defect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bri_analysis.dataset.reading import LINE_COLUMN
from bri_analysis.dataset.schemas import Table, pandera_schema
from bri_analysis.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

_MESSAGES = {
    "not_nullable": "required value is missing",
    "no_spreadsheet_formula": "{value} starts like a spreadsheet formula (=, +, -, @)",
    "no_markup": "{value} contains HTML/XML markup",
    "no_control_characters": "{value} contains a control character (NUL, tab, line break)",
    "snake_case_id": "{value} is not a snake_case id (a-z, 0-9, _)",
    "iso3_code": "{value} is not an ISO 3166 alpha-3 code",
    "iso_date": "{value} is not a date as YYYY, YYYY-MM or YYYY-MM-DD",
    "positive_integer": "{value} is not a positive whole number",
}


def show(value: object, limit: int = 60) -> str:
    """A cell value quoted and shortened for an error message."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def cell_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    """Run the table's pandera schema lazily and turn each failure into a Problem."""
    import pandera.errors

    try:
        pandera_schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if check.startswith("one_of:"):
            allowed = ", ".join(check.removeprefix("one_of:").split("|"))
            message = f"{show(case.failure_case)} is not one of: {allowed}"
        else:
            template = _MESSAGES.get(check, "{value} fails check")
            message = template.format(value=show(case.failure_case))
            if check not in _MESSAGES:
                message += " " + check
        line = None if case.index is None else int(frame.at[case.index, LINE_COLUMN])
        problems.append(Problem(table.file, line, case.column, message))
    return problems


def key_problems(frame: pd.DataFrame, table: Table) -> list[Problem]:
    """Rows whose primary key repeats an earlier row's."""
    key = list(table.key)
    dup = frame[frame.duplicated(key, keep=False)]
    problems = []
    for _, group in dup.groupby(key, dropna=False, sort=False):
        first = int(group[LINE_COLUMN].iloc[0])
        values = ", ".join(show(v) for v in group.iloc[0][key])
        for line in group[LINE_COLUMN].iloc[1:]:
            problems.append(
                Problem(
                    table.file,
                    int(line),
                    ", ".join(key),
                    f"duplicate key ({values}); first on line {first}",
                )
            )
    return problems


def problems_where(
    frame: pd.DataFrame,
    mask: pd.Series,
    file: str,
    column: str | None,
    message: Callable[[pd.Series], str],
) -> list[Problem]:
    """One Problem per row selected by ``mask``, with the row's line and ``message(row)``."""
    return [
        Problem(file, int(row[LINE_COLUMN]), column, message(row))
        for _, row in frame[mask.fillna(False).astype(bool)].iterrows()
    ]


def reference_problems(
    frame: pd.DataFrame, file: str, column: str, valid: set[str], what: str
) -> list[Problem]:
    """Non-empty values of ``column`` that are not in ``valid``."""
    values = frame[column]
    return problems_where(
        frame,
        values.notna() & ~values.isin(valid),
        file,
        column,
        lambda row: f"unknown {what} {show(row[column])}",
    )


def order_problems(
    frame: pd.DataFrame, file: str, first: str, second: str, second_end: pd.Series
) -> list[Problem]:
    """Rows whose date ``second`` ends before date ``first`` starts (e.g. left < joined).

    ``second_end`` is the last day of each ``second`` period, so "left 2019" after
    "joined 2019-04-12" is consistent.
    """
    return problems_where(
        frame,
        second_end < frame[first],
        file,
        second,
        lambda row: f"{second} {row[second].date()} is before {first} {row[first].date()}",
    )
