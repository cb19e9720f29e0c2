"""Tests for the quantity grammar: one table of phrases read by both public functions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bri_analysis.dataset.quantities import (
    BOUNDS,
    Quantity,
    QuantityParseError,
    parse_quantities,
    parse_quantity,
)

# text -> (value, bound, unit)
READS = {
    # plain numbers, number words
    "1600": (1600, "exact", None),
    "1,600": (1600, "exact", None),
    "57.83": (57.83, "exact", None),
    "12,345,678.5": (12_345_678.5, "exact", None),
    "0": (0, "exact", None),
    "five": (5, "exact", None),
    "zero": (0, "exact", None),
    "Nineteen": (19, "exact", None),
    "ninety": (90, "exact", None),
    "twenty-nine": (29, "exact", None),
    "twenty nine": (29, "exact", None),
    "hundred": (100, "exact", None),
    "a hundred": (100, "exact", None),
    "one hundred": (100, "exact", None),
    "five million": (5e6, "exact", None),
    # case and whitespace
    "  More Than 1,600\t": (1600, "lower", None),
    "MORE  THAN\u00a01,600": (1600, "lower", None),
    # lower bounds
    "more than 1,600": (1600, "lower", None),
    "over 4,500": (4500, "lower", None),
    "above 30": (30, "lower", None),
    "at least 5": (5, "lower", None),
    "in excess of 200": (200, "lower", None),
    "exceeded US$6 trillion": (6e12, "lower", "USD"),
    "surpassed 14,000": (14_000, "lower", None),
    "topped 100": (100, "lower", None),
    "80-plus": (80, "lower", None),
    "80 plus": (80, "lower", None),
    "80+": (80, "lower", None),
    "1,000 +": (1000, "lower", None),
    ">270": (270, "lower", None),
    "> 270": (270, "lower", None),
    ">=5": (5, "lower", None),
    "≥ 5": (5, "lower", None),
    "US$2 billion-plus": (2e9, "lower", "USD"),
    "50%+": (50, "lower", "percent"),
    # upper bounds
    "less than 10": (10, "upper", None),
    "fewer than 10": (10, "upper", None),
    "under 3%": (3, "upper", "percent"),
    "below 3": (3, "upper", None),
    "up to 5": (5, "upper", None),
    "at most 5": (5, "upper", None),
    "nearly 300,000": (300_000, "upper", None),
    "almost 5": (5, "upper", None),
    "close to 5,000": (5000, "upper", None),
    "<5": (5, "upper", None),
    "<= 5": (5, "upper", None),
    "≤5": (5, "upper", None),
    # approximate
    "about US$11 billion": (11e9, "approx", "USD"),
    "around 60": (60, "approx", None),
    "some 60": (60, "approx", None),
    "approximately 60": (60, "approx", None),
    "roughly 60": (60, "approx", None),
    "~1,000": (1000, "approx", None),
    "c.1000": (1000, "approx", None),
    "c. 5": (5, "approx", None),
    "circa 1,000": (1000, "approx", None),
    "an estimated 3 million": (3e6, "approx", None),
    # ranges: approx, midpoint
    "2,900-3,000": (2950, "approx", None),
    "2,900–3,000": (2950, "approx", None),
    "2,900 — 3,000": (2950, "approx", None),
    "2,900 to 3,000": (2950, "approx", None),
    "between 2,900 and 3,000": (2950, "approx", None),
    "about 10-20": (15, "approx", None),
    "2-3 billion": (2.5e9, "approx", None),
    "US$2 billion-3 billion": (2.5e9, "approx", "USD"),
    "5-6%": (5.5, "approx", "percent"),
    "five to ten": (7.5, "approx", None),
    "-5 to -3": (-4, "approx", None),
    "3-3": (3, "approx", None),
    # scales, spaced or attached
    "3 thousand": (3000, "exact", None),
    "2 million": (2e6, "exact", None),
    "2mn": (2e6, "exact", None),
    "US$5m": (5e6, "exact", "USD"),
    "7.5bn": (7.5e9, "exact", None),
    "7.5 b": (7.5e9, "exact", None),
    "US$1.3 trillion": (1.3e12, "exact", "USD"),
    "US$1.3trn": (1.3e12, "exact", "USD"),
    "1.3 tn": (1.3e12, "exact", None),
    # currencies, before or after the number
    "US$57.83 bn": (57.83e9, "exact", "USD"),
    "US$ 57.83 bn": (57.83e9, "exact", "USD"),
    "$10": (10, "exact", "USD"),
    "USD 5bn": (5e9, "exact", "USD"),
    "5 billion US dollars": (5e9, "exact", "USD"),
    "5 dollars": (5, "exact", "USD"),
    "RMB 250 bn": (250e9, "exact", "RMB"),
    "250 billion yuan": (250e9, "exact", "RMB"),
    "CNY 1 trillion": (1e12, "exact", "RMB"),
    "3 billion renminbi": (3e9, "exact", "RMB"),
    # percent
    "69.1%": (69.1, "exact", "percent"),
    "69.1 %": (69.1, "exact", "percent"),
    "40 percent": (40, "exact", "percent"),
    "over 40 per cent": (40, "lower", "percent"),
    # signs
    "-2.6%": (-2.6, "exact", "percent"),
    "+16.4%": (16.4, "exact", "percent"),
    "−2.6%": (-2.6, "exact", "percent"),
    "US$-2 bn": (-2e9, "exact", "USD"),
    "-US$2 bn": (-2e9, "exact", "USD"),
}

# text -> a fragment of the reason given
REJECTS = {
    "": "empty text",
    "   ": "empty text",
    "abc": "not a quantity",
    "about": "not a quantity",
    ".5": "unexpected '.' before '5'",
    "1,60,0": "'1,60,0' is not a well-formed number",
    "1600,000": "is not a well-formed number",
    "1,6000": "is not a well-formed number",
    "5,": "is not a well-formed number",
    "1,,600": "is not a well-formed number",
    "40 countries": "unexpected 'countries' after '40'",
    "over 150 countries and 30 IOs": "unexpected 'countries and 30 IOs'",
    "16+1": "unexpected '1' after '16+'",
    "1,600.5,6": "unexpected ',6'",
    "5 bananas": "unexpected 'bananas'",
    "fivemillion": "not a quantity",
    "more than 80-plus": "more than one bound marker",
    "about nearly 5": "unexpected 'about' before 'nearly 5'",
    "80-plus+": "more than one bound marker",
    "US$5%": "more than one unit",
    "US$5 yuan": "more than one unit",
    "US$5 USD": "more than one unit",
    "-US$-5": "more than one sign",
    "5 million%": "a percentage cannot have a scale word",
    "over 2-3": "a range cannot also be a lower or upper bound",
    "2-3-plus": "a range cannot also be a lower or upper bound",
    "3,000-2,900": "the range goes down",
    "5 and 6": "'and' joins a range only after 'between'",
    "between 5": "'between' needs a range",
    "2 million-3": "a scale word only on the lower end",
    "١٢٣": "not a quantity",  # only ASCII digits are numbers
    "5\x00": "control character",
    "\x01": "control character",
}


@pytest.mark.parametrize(("text", "expected"), READS.items(), ids=list(READS))
def test_parse_quantity_reads(text, expected):
    value, bound, unit = expected
    q = parse_quantity(text)
    assert q == Quantity(value=pytest.approx(value), bound=bound, unit=unit)
    assert isinstance(q.value, float)


@pytest.mark.parametrize(("text", "fragment"), REJECTS.items(), ids=list(map(repr, REJECTS)))
def test_parse_quantity_rejects(text, fragment):
    with pytest.raises(QuantityParseError) as caught:
        parse_quantity(text)
    assert isinstance(caught.value, ValueError)
    assert caught.value.text == text
    assert f"cannot read quantity {text!r}: " in str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("value", [None, float("nan"), 5, b"5"])
def test_parse_quantity_rejects_non_text(value):
    with pytest.raises(QuantityParseError, match="expected text") as caught:
        parse_quantity(value)
    assert caught.value.text is None


def test_scale_is_applied_exactly():
    # The scale goes in as an exponent: 1.3 * 1e12 would be off by one unit in the last place.
    assert parse_quantity("US$1.3 trillion").value == 1.3e12
    assert parse_quantity("US$57.83 bn").value == 57.83e9
    assert parse_quantity("0.29 million").value == 0.29e6
    assert parse_quantities(["US$1.3 trillion", "0.29 million"])["value"].tolist() == [
        1.3e12,
        0.29e6,
    ]


def test_parse_quantities_agrees_with_parse_quantity_on_the_table():
    texts = list(READS)
    frame = parse_quantities(pd.Series(texts, index=[f"r{i}" for i in range(len(texts))]))
    for label, text in zip(frame.index, texts, strict=True):
        q = parse_quantity(text)
        row = frame.loc[label]
        assert (row["value"], row["bound"]) == (q.value, q.bound), text
        assert (None if pd.isna(row["unit"]) else row["unit"]) == q.unit, text


def test_parse_quantities_gives_the_same_reasons_as_parse_quantity():
    texts = list(REJECTS)
    with pytest.raises(QuantityParseError) as caught:
        parse_quantities(texts)
    assert caught.value.failures == dict(enumerate(texts))
    for label, text in enumerate(texts):
        with pytest.raises(QuantityParseError) as single:
            parse_quantity(text)
        assert str(single.value).endswith(": " + caught.value.reasons[label])


def test_parse_quantities_output_columns_and_dtypes():
    series = pd.Series(["more than 1,600", "US$1.3 trillion", "69.1%"], name="value_text")
    frame = parse_quantities(series)
    assert list(frame.columns) == ["value", "bound", "unit"]
    assert frame["value"].dtype == np.float64
    assert frame["bound"].dtype == pd.StringDtype()
    assert frame["unit"].dtype == pd.StringDtype()
    assert frame["bound"].tolist() == ["lower", "exact", "exact"]
    assert frame["unit"].isna().tolist() == [True, False, False]
    assert frame["unit"].iloc[0] is pd.NA
    assert set(frame["bound"]) <= set(BOUNDS)


def test_parse_quantities_keeps_the_index():
    index = pd.Index([10, 3, 7, 3], name="line")
    series = pd.Series(["five", "80-plus", "five", "nearly 300,000"], index=index)
    frame = parse_quantities(series)
    assert frame.index.equals(index)
    assert frame["value"].tolist() == [5, 80, 5, 300_000]
    assert frame.loc[7, "bound"] == "exact"


@pytest.mark.parametrize(
    "values",
    [
        ["1", "over 2"],
        ("1", "over 2"),
        (t for t in ["1", "over 2"]),
        pd.Series(["1", "over 2"], dtype="string"),
        pd.Series(["1", "over 2"], dtype="str"),
        pd.Series(["1", "over 2"], dtype="category"),
    ],
    ids=["list", "tuple", "generator", "string", "str", "category"],
)
def test_parse_quantities_takes_any_iterable_of_text(values):
    frame = parse_quantities(values)
    assert frame.index.equals(pd.RangeIndex(2))
    assert frame["value"].tolist() == [1, 2]
    assert frame["bound"].tolist() == ["exact", "lower"]


def test_parse_quantities_of_nothing_is_an_empty_frame():
    frame = parse_quantities(pd.Series([], dtype="string"))
    assert frame.empty
    assert frame.dtypes.tolist() == [np.float64, pd.StringDtype(), pd.StringDtype()]


@pytest.mark.parametrize("values", ["80-plus", pd.DataFrame({"value_text": ["80-plus"]})])
def test_parse_quantities_refuses_a_string_or_a_frame(values):
    with pytest.raises(TypeError, match="expected a Series or an iterable of strings"):
        parse_quantities(values)


def test_parse_quantities_reports_every_failure_with_its_label():
    series = pd.Series(
        ["more than 1,600", "40 countries", None, "abc", "80-plus", float("nan"), "40 countries"],
        index=["a", "b", "c", "d", "e", "f", "g"],
        dtype=object,
    )
    with pytest.raises(QuantityParseError) as caught:
        parse_quantities(series)
    error = caught.value
    assert error.text is None
    assert error.failures == {
        "b": "40 countries",
        "c": None,
        "d": "abc",
        "f": None,
        "g": "40 countries",
    }
    assert error.reasons["c"] == error.reasons["f"] == "missing value"
    assert "unexpected 'countries'" in error.reasons["b"]
    assert error.reasons["b"] == error.reasons["g"]
    message = str(error)
    assert message.startswith("cannot read quantity in 5 values:")
    for label in error.failures:
        assert f"'{label}':" in message


def test_missing_values_are_errors_naming_the_row():
    with pytest.raises(QuantityParseError, match=r"2: None: missing value") as caught:
        parse_quantities(pd.Series(["1", "2", np.nan], dtype="str"))
    assert caught.value.failures == {2: None}
    with pytest.raises(QuantityParseError) as caught:
        parse_quantities(pd.Series(["1", pd.NA], dtype="string"))
    assert caught.value.failures == {1: None}


def test_non_text_values_are_errors_and_do_not_hide_other_failures():
    with pytest.raises(QuantityParseError) as caught:
        parse_quantities(pd.Series(["1", 5, "abc", "x\x00y", "7"], dtype=object))
    assert caught.value.failures == {1: None, 2: "abc", 3: "x\x00y"}
    assert caught.value.reasons[1] == "expected text, got int"
    assert "control character" in caught.value.reasons[3]


def test_a_long_list_of_failures_is_cut_in_the_message_but_kept_in_full():
    texts = [f"{i} countries" for i in range(1000)]
    with pytest.raises(QuantityParseError) as caught:
        parse_quantities(texts)
    assert len(caught.value.failures) == 1000
    assert len(caught.value.reasons) == 1000
    assert "... and 980 more" in str(caught.value)
    assert len(str(caught.value).splitlines()) == 22


def _random_phrases(rows: int, seed: int) -> tuple[list[str], list[tuple[float, str, str | None]]]:
    """Valid phrases with their expected reading, built from random parts."""
    rng = np.random.default_rng(seed)
    qualifiers = [("", "exact"), ("over ", "lower"), ("nearly ", "upper"), ("~", "approx")]
    scales = [("", 0), (" thousand", 3), ("bn", 9), (" trillion", 12)]
    units = [("", "", None), ("US$", "", "USD"), ("", " yuan", "RMB")]
    texts, expected = [], []
    for _ in range(rows):
        number = int(rng.integers(0, 10**9)) / 100
        qualifier, bound = qualifiers[rng.integers(len(qualifiers))]
        scale, exponent = scales[rng.integers(len(scales))]
        prefix, suffix, unit = units[rng.integers(len(units))]
        kind = rng.integers(4)
        if kind == 0:  # plain, scaled, with a currency
            texts.append(f"{qualifier}{prefix}{number:,}{scale}{suffix}")
            expected.append((float(f"{number}e{exponent}"), bound, unit))
        elif kind == 1:  # range
            other = number + int(rng.integers(0, 1000))
            texts.append(f"{prefix}{number:,}-{other:,}{scale}{suffix}")
            expected.append(
                ((float(f"{number}e{exponent}") + float(f"{other}e{exponent}")) / 2, "approx", unit)
            )
        elif kind == 2:  # a number word, no digits at all
            word, value = ("twenty-nine", 29) if rng.integers(2) else ("seven", 7)
            texts.append(f"{qualifier}{word} {scale.strip()}")  # "sevenbn" is refused
            expected.append((value * 10.0**exponent, bound, None))
        else:  # a word then a digit number: numbers must stay with their own text
            texts.append(f"five to {number + 5:,}%")
            expected.append(((5 + number + 5) / 2, "approx", "percent"))
    return texts, expected


def test_parse_quantities_on_many_distinct_phrases_matches_the_expected_values():
    texts, expected = _random_phrases(3000, seed=7)
    frame = parse_quantities(texts)
    for text, (value, bound, unit), row in zip(texts, expected, frame.itertuples(), strict=True):
        assert math.isclose(row.value, value, rel_tol=1e-15), text
        assert row.bound == bound, text
        assert (None if pd.isna(row.unit) else row.unit) == unit, text
    sample = [parse_quantity(t) for t in texts[:300]]
    assert [q.value for q in sample] == frame["value"].iloc[:300].tolist()


def test_failures_in_a_batch_do_not_shift_numbers_of_other_rows():
    texts, _ = _random_phrases(200, seed=3)
    bad = {5: "1,60,0 units", 50: "3,000-2,900", 120: "12 and 13", 199: "7 7"}
    mixed = [bad.get(i, text) for i, text in enumerate(texts)]
    with pytest.raises(QuantityParseError) as caught:
        parse_quantities(mixed)
    assert caught.value.failures == bad
    good = [i for i in range(len(texts)) if i not in bad]
    frame = parse_quantities(pd.Series(mixed)[good])
    assert frame["value"].tolist() == [parse_quantity(mixed[i]).value for i in good]
