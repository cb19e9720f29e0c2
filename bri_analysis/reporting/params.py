"""Checks of the report notebooks' parameters against the data, run in their first cells.

A bad parameter stops the notebook at once with a message naming the valid choices (and
"did you mean" when one is close), before any chart is drawn. Each check returns the value
normalized (an ISO date as a Timestamp, ids in the data's spelling, one id as a list).
``choices(ds, name)`` gives the valid values of a parameter by its name, for
``bri-analysis params`` and for the checks themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis.choices import SCHEMES, check_choice, check_country, check_scheme

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset


def check_date(value: object, name: str) -> pd.Timestamp:
    """A date parameter (an ISO day such as "2019-04-22") as a Timestamp."""
    from bri_analysis.analysis.asof import as_timestamp

    if value is None:
        raise ValueError(f"{name} must be a date such as '2019-04-22', got None")
    try:
        return as_timestamp(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a date such as '2019-04-22', got {value!r}") from exc


def check_region(ds: Dataset, scheme: str, region: str | None) -> tuple[str, str | None]:
    """The region scheme and one region of it (``None``: the world), in the data's spelling."""
    from bri_analysis.analysis.participation import region_choices

    scheme = check_scheme(scheme)
    if region is not None:
        region = check_choice(region, region_choices(ds, scheme), f"region of scheme {scheme!r}")
    return scheme, region


def check_channels(ds: Dataset, channels: str | Iterable[str] | None) -> list[str]:
    """Participation channels (every channel when ``None``)."""
    from bri_analysis.analysis.participation import check_channels as check

    return check(ds, channels)


def check_mechanisms(ds: Dataset, mechanisms: str | Iterable[str] | None) -> list[str]:
    """Mechanisms with country members (all of them when ``None``); short names work."""
    from bri_analysis.analysis.coverage import check_mechanisms as check

    return check(ds, mechanisms)


def check_series(ds: Dataset, series: str | Iterable[str] | None) -> list[str]:
    """Forum and expo series (the ones the report names, not their predecessors, when
    ``None``); a series' name works too."""
    from bri_analysis.analysis.events import check_series as check

    return check(ds, series)


def check_indicators(ds: Dataset, indicators: str | Iterable[str] | None) -> list[str]:
    """Indicator ids (every indicator when ``None``); labels work too."""
    from bri_analysis.analysis.events import check_indicators as check

    return check(ds, indicators)


def check_years(start_year: int | None, end_year: int | None) -> tuple[int | None, int | None]:
    """Whole years (or ``None``), the start not after the end."""
    from bri_analysis.analysis.events import check_years as check

    return check(start_year, end_year)


def check_iso3(ds: Dataset, iso3: str) -> str:
    """A country as an ISO3 code or a name, in any case: its ISO3 code (any real country,
    with records or not; a miss lists the countries the data has records for)."""
    aliases = dict(zip(ds.country_aliases["alias"], ds.country_aliases["iso3"], strict=True))
    listing = "countries with records: " + ", ".join(_country_choices(ds))
    return check_country(iso3, aliases, listing=listing)


def choices(ds: Dataset, name: str) -> list[str] | None:
    """The valid values of the parameter called ``name`` in the data (``None``: any value
    of its type, such as a date or a year)."""
    make = _CHOICES.get(name)
    return None if make is None else make(ds)


def _region_choices(ds: Dataset) -> list[str]:
    from bri_analysis.analysis.participation import region_choices

    return sorted({r for scheme in SCHEMES for r in region_choices(ds, scheme)})


def _channel_choices(ds: Dataset) -> list[str]:
    from bri_analysis.analysis.participation import channel_choices

    return channel_choices(ds)


def _mechanism_choices(ds: Dataset) -> list[str]:
    from bri_analysis.analysis.coverage import mechanism_choices

    return mechanism_choices(ds)


def _series_choices(ds: Dataset) -> list[str]:
    from bri_analysis.analysis.events import series_choices

    return series_choices(ds)


def _country_choices(ds: Dataset) -> list[str]:
    from bri_analysis.analysis.profiles import countries_with_records

    return sorted(countries_with_records(ds)["iso3"])


_CHOICES: dict[str, Callable[[Dataset], list[str]]] = {
    "region_scheme": lambda ds: list(SCHEMES),
    "region": _region_choices,
    "channels": _channel_choices,
    "mechanisms": _mechanism_choices,
    "series": _series_choices,
    "indicators": lambda ds: list(ds.indicators["indicator"]),
    "iso3": _country_choices,
}
