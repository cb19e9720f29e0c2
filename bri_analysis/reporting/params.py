"""Checks for the report notebooks' parameters, run in each notebook's first cells.

A bad parameter stops the notebook at once with a message naming the valid choices, before
any chart is drawn. Each function returns the parameters normalized (dates as Timestamps,
single ids as lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis.choices import SCHEMES, check_choice, check_choices
from bri_analysis.errors import UnknownChoiceError

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset


def check_date(value: object, name: str) -> pd.Timestamp:
    """A date parameter as a Timestamp; a clear error for anything that is not a date."""
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a date such as '2019-04-22', got {value!r}") from exc
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as '2019-04-22', got {value!r}")
    return stamp


def check_region(ds: Dataset, scheme: str, region: str | None) -> str | None:
    """A region of ``scheme`` ("continent" or "un_region"), or ``None`` for the world."""
    from bri_analysis.analysis.participation import region_choices

    check_choice(scheme, SCHEMES, "region_scheme")
    if region is not None:
        check_choice(region, region_choices(ds, scheme), f"region for scheme {scheme!r}")
    return region


def in_region(frame: pd.DataFrame, scheme: str, region: str | None) -> pd.DataFrame:
    """Rows of a frame with region columns that lie in ``region`` (all rows for ``None``)."""
    return frame if region is None else frame[frame[scheme] == region]


def check_series(ds: Dataset, series: str | Iterable[str] | None) -> list[str]:
    """Series ids to report (all series when ``None``)."""
    from bri_analysis.analysis.events import series_choices

    valid = series_choices(ds)
    return valid if series is None else check_choices(series, valid, "series")


def check_indicators(ds: Dataset, indicators: str | Iterable[str] | None) -> list[str] | None:
    """Indicator ids (``None`` keeps the default: every indicator)."""
    if indicators is None:
        return None
    return check_choices(indicators, ds.indicators["indicator"], "indicator")


def check_years(start_year: int | None, end_year: int | None) -> tuple[int | None, int | None]:
    """Whole years, start not after end (``events.check_years``)."""
    from bri_analysis.analysis.events import check_years as check

    check(start_year, end_year)
    return start_year, end_year


def check_iso3(ds: Dataset, iso3: str) -> str:
    """An ISO 3166 alpha-3 country code that country_converter knows (upper-cased)."""
    from bri_analysis.dataset.countries import country_regions

    if not isinstance(iso3, str):
        raise UnknownChoiceError(
            f"iso3 must be a 3-letter country code such as 'KAZ', got {iso3!r}"
        )
    code = iso3.strip().upper()
    known = country_regions()
    if code not in set(known["iso3"]):
        with_records = _codes_with_records(ds)
        raise UnknownChoiceError(
            f"unknown iso3 {iso3!r}; countries with records: {', '.join(with_records)}"
        )
    return code


def _codes_with_records(ds: Dataset) -> list[str]:
    from bri_analysis.analysis.profiles import countries_with_records

    return sorted(countries_with_records(ds)["iso3"])
