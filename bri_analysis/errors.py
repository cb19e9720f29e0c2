"""Exceptions a user can catch: every data problem carries file, row and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in the input data. ``row`` is the 1-based line number in the file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """All problems found while loading a data folder, one line per problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(set(problems), key=_sort_key)
        lines = "\n".join(str(p) for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{count} data problem{'s' if count != 1 else ''}:\n{lines}")


class UnknownCountryError(ValueError):
    """Country names that neither country_converter nor the alias table can match."""

    def __init__(
        self,
        names: Iterable[str],
        problems: Iterable[Problem] = (),
        hints: dict[str, str] | None = None,
    ):
        self.names: list[str] = sorted(set(names))
        self.problems: list[Problem] = sorted(set(problems), key=_sort_key)
        named = [repr(n) + (f" (did you mean {hints[n]}?)" if hints and n in hints else "")
                 for n in self.names]  # fmt: skip
        detail = "\n".join(str(p) for p in self.problems) or ", ".join(named)
        super().__init__(f"unknown country name(s): {detail}")


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else -1, p.column or "", p.message)


class MissingDependencyError(RuntimeError):
    """An optional package a feature needs is not installed (the message says which)."""


class UnknownChoiceError(ValueError):
    """A parameter value (mechanism, series, region, ...) that the data does not have."""
