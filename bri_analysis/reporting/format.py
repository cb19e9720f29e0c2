"""Numbers as text, the one way every table, chart label and sentence writes them.

A stated bound stays visible ("more than 1,600" is "≥ 1,600", "nearly 300,000" is
"≤ 300,000", "about 6,000" is "≈ 6,000"); money gets its currency and a bn/tn scale; a
percentage its sign. Where sources disagree, a point shows the range of their figures
("≈ 1,500 – ≥ 1,600"). Nothing here draws: charts and tables call these functions.
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any

from bri_analysis.analysis.facts import BOUND_RANK, CONFIDENCE_RANK, reference_values
from bri_analysis.dataset.schemas import BOUNDS

if TYPE_CHECKING:
    import pandas as pd

MISSING = "–"  # how a table or sentence shows a value the data does not have

_BOUND_PREFIX = {"exact": "", "lower": "≥ ", "upper": "≤ ", "approx": "≈ "}
_CURRENCY_PREFIX = {"USD": "US$", "US$": "US$", "CNY": "RMB ", "RMB": "RMB ", "EUR": "€"}
_PERCENT_UNITS = {"percent", "%"}
_MONEY_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"))


def format_value(
    value: float,
    bound: str,
    unit: str | None = None,
    *,
    counted_unit: bool = True,
    decimals: int = 1,
) -> str:
    """A number as a reader should see it, bound kept: "≥ 1,600", "US$57.8 bn", "69.1%".

    Currencies (USD, CNY/RMB, EUR) get a symbol and bn/tn scale, percent a % sign; any other
    unit ("countries", "persons") is written after the number, unless ``counted_unit`` is
    false (a table column or an axis label names it). Missing units (None, NaN, <NA>)
    count as none. ``decimals`` is the most decimals shown (trailing zeros dropped).
    """
    check_bound(bound)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"format_value needs a finite number, got {value!r}")
    if unit is not None and not isinstance(unit, str) and _is_missing(unit):
        unit = None  # pandas gives NaN or <NA> for an empty unit cell
    if unit is not None and not isinstance(unit, str):
        raise ValueError(f"unit must be a string or None, got {unit!r}")
    unit = (unit or "").strip()
    if unit in _CURRENCY_PREFIX:
        text = _CURRENCY_PREFIX[unit] + _money(value, decimals)
    elif unit in _PERCENT_UNITS:
        text = f"{_number(value, decimals)}%"
    else:
        text = _number(value, decimals) + (f" {unit}" if unit and counted_unit else "")
    return _BOUND_PREFIX[bound] + text


def _money(value: float, decimals: int) -> str:
    for scale, suffix in _MONEY_SCALES:
        if abs(value) >= scale:
            return f"{_number(value / scale, decimals)} {suffix}"
    return _number(value, decimals)


def _number(value: float, decimals: int = 1) -> str:
    """Thousands separators; up to ``decimals`` decimals, none when the value is whole."""
    text = f"{round(value, decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_bound(bound: str) -> None:
    """Raise ``ValueError`` unless ``bound`` is one of ``BOUNDS``."""
    if bound not in BOUNDS:
        raise ValueError(f"unknown bound {bound!r}; expected one of {', '.join(BOUNDS)}")


def display_value(value: float, bound: str, unit: str | None = None, decimals: int = 1) -> str:
    """``format_value`` without a counted-thing unit: "≥ 1,600", "US$57.8 bn", "69.1%"."""
    return format_value(value, bound, unit, counted_unit=False, decimals=decimals)


def point_displays(points: pd.DataFrame) -> pd.Series:
    """The text to show for each point of a ``facts.series``-like frame, indexed by ``point``.

    The reference value ("≥ 1,600") when the sources agree; when their values differ, the
    range from the lowest to the highest stated figure, each with its own bound
    ("≈ 1,500 – ≥ 1,600"; on a tie the best-confirmed, most exact fact is shown), with as
    many decimals as it takes for the two ends to differ ("US$73.5 bn – US$73.52 bn").
    """
    import pandas as pd

    ref = reference_values(points).set_index("point")
    texts = pd.Series([_text(fact) for _, fact in ref.iterrows()], index=ref.index, dtype=object)
    disputed = points.groupby("point")["value"].nunique() > 1
    if disputed.any():
        ranked = points.assign(
            _conf=points["confidence"].map(CONFIDENCE_RANK),
            _bound=points["bound"].map(BOUND_RANK),
        )
        order = ["value", "_conf", "_bound"]
        low = ranked.sort_values(order).drop_duplicates("point").set_index("point")
        high = ranked.sort_values(order, ascending=[False, True, True])
        high = high.drop_duplicates("point").set_index("point")
        for point in disputed.index[disputed]:
            texts[point] = _range(low.loc[point], high.loc[point])
    return texts


def _range(low: pd.Series, high: pd.Series) -> str:
    for decimals in (1, 2, 3, 4):
        ends = _text(low, decimals), _text(high, decimals)
        if ends[0] != ends[1]:
            break
    return " – ".join(ends)


def _text(fact: pd.Series, decimals: int = 1) -> str:
    return display_value(fact["value"], fact["bound"], fact["unit"], decimals)


def _is_missing(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
