"""Numbers as text: bounds kept, money and percentages written once for every page."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bri_analysis.reporting.format import display_value, format_value, point_displays


@pytest.mark.parametrize(
    ("value", "bound", "unit", "expected"),
    [
        (1600, "lower", None, "≥ 1,600"),
        (300_000, "upper", None, "≤ 300,000"),
        (1500, "approx", None, "≈ 1,500"),
        (1600, "exact", None, "1,600"),
        (57.83e9, "exact", "USD", "US$57.8 bn"),
        (69.1, "exact", "percent", "69.1%"),
        (1.3e12, "exact", "USD", "US$1.3 tn"),
        (6e12, "lower", "USD", "≥ US$6 tn"),
        (250e9, "exact", "RMB", "RMB 250 bn"),
        (90e9, "lower", "USD", "≥ US$90 bn"),
        (125, "exact", "countries", "125 countries"),
        (np.int64(7), "exact", "", "7"),
        (2.5, "exact", None, "2.5"),
        (1600.0, "lower", math.nan, "≥ 1,600"),  # a missing unit from a pandas column
    ],
)
def test_format_value(value, bound, unit, expected):
    assert format_value(value, bound, unit) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf, "1600", None, True])
def test_format_value_rejects_non_numbers(value):
    with pytest.raises(ValueError, match="finite number"):
        format_value(value, "exact")


def test_format_value_rejects_unknown_bound():
    with pytest.raises(ValueError, match="'more'.*exact, lower, upper, approx"):
        format_value(1600, "more")


def test_a_counted_unit_is_left_to_the_column_label_when_asked():
    assert format_value(1600.0, "lower", "persons", counted_unit=False) == "≥ 1,600"
    assert format_value(1600.0, "lower", "persons") == "≥ 1,600 persons"
    assert format_value(300_000.0, "upper", pd.NA) == "≤ 300,000"


def test_display_value_drops_counted_units_only():
    assert display_value(1600.0, "lower", "persons") == "≥ 1,600"
    assert display_value(57.83e9, "exact", "USD") == "US$57.8 bn"
    assert display_value(69.1, "exact", "percent") == "69.1%"
    assert display_value(300_000.0, "upper", pd.NA) == "≤ 300,000"


def test_point_displays_ranges_only_where_values_differ():
    points = pd.DataFrame(
        {
            "point": ["a", "a", "a", "b", "b"],
            "value": [38.0, 37.0, 38.0, 5.0, 5.0],
            "bound": ["exact", "exact", "approx", "approx", "exact"],
            "unit": ["persons"] * 5,
            "confidence": ["secondary", "verified", "verified", "verified", "secondary"],
        }
    )
    texts = point_displays(points)
    # tie at 38: the verified source wins, with its bound
    assert texts["a"] == "37 – ≈ 38"
    # same value from two sources: not disputed; the best-confirmed (verified, approx) is shown
    assert texts["b"] == "≈ 5"
