"""Read quantities written as in the sources ("more than 1,600", "US$1.3 trillion") into numbers.

A phrase becomes a :class:`Quantity`: a ``value`` with its scale applied, a ``bound``
(``exact``, ``lower``, ``upper`` or ``approx``) and a ``unit`` (``USD``, ``RMB``,
``percent`` or none). The grammar, case-insensitive, surrounding whitespace ignored:

- numbers: ``1600``, ``1,600`` (thousands grouped in threes), ``57.83``; number words
  ``zero`` to ``nineteen``, ``twenty`` to ``ninety``, compounds (``twenty-nine``) and
  ``hundred``/``a hundred``/``one hundred``; a ``+``, ``-`` or ``−`` sign (``-2.6%``,
  ``+16.4%``, ``US$-2 bn`` or ``-US$2 bn``). A leading ``.`` (``.5``) is not read.
- scale words, spaced or attached to digits: ``thousand``; ``million``/``mn``/``m``;
  ``billion``/``bn``/``b``; ``trillion``/``tn``/``trn`` (``7.5bn``, ``US$1.3trn``).
- units, before or after the number: ``US$``, ``$``, ``USD``, ``US dollars``,
  ``dollars`` give ``USD``; ``RMB``, ``CNY``, ``yuan``, ``renminbi`` give ``RMB``;
  ``%``, ``percent``, ``per cent`` (after) give ``percent``. A percentage is the number as
  written: ``69.1%`` is 69.1, not 0.691.
- lower bounds: more than, over, above, at least, in excess of, exceeded, surpassed,
  topped, ``>``, ``>=``, ``≥``, and after the number ``-plus``, ``plus``, ``+``.
- upper bounds: less than, fewer than, under, below, up to, at most, nearly, almost,
  close to, ``<``, ``<=``, ``≤``.
- approximate: about, around, some, approximately, roughly, circa, c., ``~``, an estimated.
- ranges ``2,900-3,000`` (also with ``–`` or ``—``), ``2,900 to 3,000``, ``between 2,900
  and 3,000`` read as ``approx`` with the **midpoint** as value (2,950), because one value per
  row keeps tables and charts simple while the bound keeps the imprecision visible. A
  scale word on the upper end applies to both (``2-3 billion``); a descending range is
  an error.

Only the quantity phrase is read: anything else, such as what is counted ("40
countries"), is rejected rather than ignored, so that typos and misplaced text surface.
So are contradictions: two bound markers ("more than 80-plus"), two units, two signs,
a scale word on a percentage, a range with a lower or upper bound.

How it is fast: :func:`parse_quantities` reads each distinct text once. The distinct
texts are joined into one string, and one C-level regex pass over it pulls out every
number and leaves a placeholder. What is left (the *shape*, such as
"more than #" or "US$# bn") takes few distinct values even when the numbers are all
different, so the full grammar runs once per shape, and numbers are converted to floats
in one numpy call. :func:`parse_quantity` goes through the same code with one text.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from bri_analysis.dataset.schemas import BOUNDS

UNITS: tuple[str, ...] = ("USD", "RMB", "percent")

# --- the grammar ---------------------------------------------------------------------------

# A number as written; its thousands grouping is checked separately by _BAD_GROUPING.
_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"
# Where a number's commas do not group its digits in threes ("1,60,0", "1600,000", "5,").
# It starts with the comma so that the regex engine can skip quickly to commas.
_BAD_GROUPING = re.compile(r",(?:(?<=[0-9]{4},)|(?<=[0-9],)(?![0-9]{3}(?![0-9])))")
_SEPARATOR = "\x00"  # joins distinct texts into one string
_PLACEHOLDER = "\x01"  # stands for a number in a shape

_SMALL = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[-–\s]+(?:{'|'.join(_SMALL[1:10])}))?"
    rf"|(?:a\s+|one\s+)?hundred|{'|'.join(sorted(_SMALL, key=len, reverse=True))})(?![a-z])"
)
_SCALE_EXPONENTS = {
    "thousand": 3,
    "million": 6,
    "mn": 6,
    "m": 6,
    "billion": 9,
    "bn": 9,
    "b": 9,
    "trillion": 12,
    "trn": 12,
    "tn": 12,
}
_SCALE = r"(?:thousand|million|mn|m|billion|bn|b|trillion|trn|tn)(?![a-z])"
_USD = r"us\s*\$|\$|usd|(?:us\s+)?dollars?(?![a-z])"
_RMB = r"(?:rmb|cny|yuan|renminbi)(?![a-z])"
_DASH = "[-–—]"
_PLUS = rf"\s*{_DASH}\s*plus|\s+plus|\s*\+"


def _grammar(number: str) -> str:
    """The quantity grammar as a verbose regex, with ``number`` standing for a number."""
    return rf"""
    \s*
    (?:
        (?P<lower>(?:more\s+than|over|above|at\s+least|in\s+excess\s+of|exceeded|surpassed
                    |topped)\s+|(?:>=|≥|>)\s*)
      | (?P<upper>(?:less\s+than|fewer\s+than|under|below|up\s+to|at\s+most|nearly|almost
                    |close\s+to)\s+|(?:<=|≤|<)\s*)
      | (?P<approx>(?:approximately|about|around|some|roughly|circa|an\s+estimated)\s+
                    |(?:~|c\.)\s*)
      | (?P<between>between\s+)
    )?
    (?P<sign0>[-+−])?
    (?:(?:(?P<usd0>{_USD})|(?P<rmb0>{_RMB}))\s*)?
    (?P<sign1>[-+−])?
    (?:(?P<num1>{number})|(?P<word1>{_WORD}))
    (?:\s*(?P<scale1>{_SCALE}))?
    (?:
        (?:(?P<and>\s+and\s+)|\s*{_DASH}\s*|\s+to\s+)
        (?P<sign2>[-+−])?
        (?:(?P<num2>{number})|(?P<word2>{_WORD}))
        (?:\s*(?P<scale2>{_SCALE}))?
    )?
    (?P<plus1>{_PLUS})?
    (?:\s*(?:(?P<usd>{_USD})|(?P<rmb>{_RMB})|(?P<percent>%|per\s*cent(?![a-z]))))?
    (?P<plus2>{_PLUS})?
    \s*
    """


_FLAGS = re.IGNORECASE | re.VERBOSE
_TOKEN = re.compile(f"({_NUMBER})")  # captures, so that split() keeps the numbers
_SHAPE = re.compile(_grammar(re.escape(_PLACEHOLDER)) + r"\Z", _FLAGS)
# The same grammar on the text itself, unanchored: how far a bad text can be read.
_PREFIX = re.compile(_grammar(f"(?>{_NUMBER})"), _FLAGS)


# --- public API ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A stated quantity: ``value`` with scale applied, its ``bound`` and its ``unit``."""

    value: float
    bound: str
    unit: str | None


class QuantityParseError(ValueError):
    """Text that is not a quantity phrase.

    ``text`` is the offending text of :func:`parse_quantity` (``None`` from
    :func:`parse_quantities` or for input that is not a string). ``failures`` maps each
    bad entry's index label to its text (``None`` for a missing or non-text value) and ``reasons``
    maps the same labels to what is wrong; both are filled by :func:`parse_quantities`
    only. With duplicate labels each dict keeps one entry per label; the message lists
    every row.
    """

    def __init__(
        self,
        message: str,
        text: str | None = None,
        failures: Mapping[Hashable, str | None] | None = None,
        reasons: Mapping[Hashable, str] | None = None,
    ):
        super().__init__(message)
        self.text = text
        self.failures: dict[Hashable, str | None] = dict(failures or {})
        self.reasons: dict[Hashable, str] = dict(reasons or {})


def parse_quantity(text: str) -> Quantity:
    """Read one quantity phrase such as ``"more than 1,600"``; see the module docstring.

    Raises :class:`QuantityParseError` naming the text and what is wrong with it.
    """
    parsed = _parse_distinct([text])
    if parsed.reasons:
        raise QuantityParseError(
            f"cannot read quantity {text!r}: {parsed.reasons[0]}",
            text=text if isinstance(text, str) else None,
        )
    unit = int(parsed.unit[0])
    return Quantity(
        value=float(parsed.value[0]),
        bound=BOUNDS[parsed.bound[0]],
        unit=UNITS[unit] if unit >= 0 else None,
    )


def parse_quantities(values: pd.Series | Iterable[str]) -> pd.DataFrame:
    """Read a column of quantity phrases into ``value``, ``bound`` and ``unit`` columns.

    Same grammar as :func:`parse_quantity`. The result keeps the Series' index (a
    RangeIndex for other iterables); ``value`` is float64, ``bound`` and ``unit`` are
    ``string`` dtype with ``<NA>`` for no unit. Raises :class:`QuantityParseError` listing
    every entry it cannot read, missing values included, with ``failures`` (label -> text)
    and ``reasons`` (label -> what is wrong); it never returns NaN for bad input.
    """
    if isinstance(values, (str, pd.DataFrame)):
        raise TypeError(f"expected a Series or an iterable of strings, got {type(values).__name__}")
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series)  # missing values get code -1
    distinct = uniques.tolist()
    parsed = _parse_distinct(distinct)
    failed = codes < 0
    if parsed.reasons:
        failed |= np.isin(codes, list(parsed.reasons))
    if failed.any():
        raise _batch_error(series.index, codes, failed, distinct, parsed.reasons)
    bound = pd.Categorical.from_codes(parsed.bound[codes], categories=BOUNDS)
    unit = pd.Categorical.from_codes(parsed.unit[codes], categories=UNITS)
    return pd.DataFrame(
        {
            "value": parsed.value[codes],
            "bound": bound.astype(pd.StringDtype()),
            "unit": unit.astype(pd.StringDtype()),
        },
        index=series.index,
    )


# --- implementation ------------------------------------------------------------------------


class _Parsed(NamedTuple):
    """Per distinct text: value, index into BOUNDS, index into UNITS (-1: none)."""

    value: np.ndarray
    bound: np.ndarray
    unit: np.ndarray
    reasons: dict[int, str]  # position -> what is wrong; those rows hold no meaning above


class _Shape(NamedTuple):
    """What a shape says, numbers aside. ``exp*`` are powers of ten from scale words."""

    bound: int
    unit: int
    negative1: bool
    negative2: bool
    exp1: int
    exp2: int
    word1: float  # value of a number word, NaN when the first number is a digit token
    word2: float  # same for the upper end of a range
    is_range: bool


_UNREADABLE = _Shape(0, -1, False, False, 0, 0, 0.0, 0.0, False)  # stands in for a failed shape
_UNIT_GROUPS = {"usd0": "USD", "rmb0": "RMB", "usd": "USD", "rmb": "RMB", "percent": "percent"}
_MINUS = ("-", "−")


def _parse_distinct(texts: Sequence[object]) -> _Parsed:
    """Parse texts (meant to be distinct); the one implementation behind both public functions."""
    n = len(texts)
    value = np.full(n, np.nan)
    bound = np.zeros(n, dtype=np.int8)
    unit = np.full(n, -1, dtype=np.int8)
    big, readable, positions, reasons = _join(texts)
    if not readable:
        return _Parsed(value, bound, unit, reasons)

    # Numbers out, placeholders in: one pass in C over all texts at once.
    parts = _TOKEN.split(big)  # text, number, text, number, ..., text
    tokens = parts[1::2]
    shapes = _PLACEHOLDER.join(parts[0::2]).split(_SEPARATOR)
    shape_codes, shape_uniques = pd.factorize(np.array(shapes, dtype=object))
    read = [_read_shape(s) for s in shape_uniques]

    # Per-shape facts as arrays, broadcast to texts by shape code.
    ok = np.array([isinstance(r, _Shape) for r in read])[shape_codes]
    info = [r if isinstance(r, _Shape) else _UNREADABLE for r in read]
    field = {
        name: np.array([getattr(r, name) for r in info])[shape_codes] for name in _Shape._fields
    }
    n_tokens = np.array([s.count(_PLACEHOLDER) for s in shape_uniques], dtype=np.int64)
    first = np.cumsum(n_tokens[shape_codes]) - n_tokens[shape_codes]  # index into `tokens`
    has1 = ok & np.isnan(field["word1"])
    has2 = ok & field["is_range"] & np.isnan(field["word2"])
    second = first + has1

    # Floats with the scale as exponent ("1.3e12"): exact where multiplying is not.
    exps = np.zeros(len(tokens), dtype=np.int64)
    exps[first[has1]] = field["exp1"][has1]
    exps[second[has2]] = field["exp2"][has2]
    suffixes = np.array(["", "e3", "e6", "e9", "e12"], dtype=object)[exps // 3].tolist()
    numbers = np.append(_to_floats(tokens, suffixes), np.nan)  # index -1: no token
    low = np.where(has1, numbers[np.where(has1, first, -1)], field["word1"] * 10.0 ** field["exp1"])
    high = np.where(
        has2, numbers[np.where(has2, second, -1)], field["word2"] * 10.0 ** field["exp2"]
    )
    low = np.where(field["negative1"], -low, low)
    high = np.where(field["negative2"], -high, high)

    bad_grouping = _lines_with_bad_grouping(big, readable)
    descending = field["is_range"] & (low > high)
    for line in np.flatnonzero(~ok | bad_grouping | descending):
        why = read[shape_codes[line]]
        if bad_grouping[line] or why is None:
            why = _diagnose(readable[line])
        elif not isinstance(why, str):
            why = "the range goes down; write the smaller number first"
        reasons[int(positions[line])] = why
    value[positions] = np.where(field["is_range"], (low + high) / 2, low)
    bound[positions] = field["bound"]
    unit[positions] = field["unit"]
    return _Parsed(value, bound, unit, reasons)


def _join(texts: Sequence[object]) -> tuple[str, list[str], np.ndarray, dict[int, str]]:
    """Join the texts that can be joined; return them, their positions and why others cannot."""
    try:
        big = _SEPARATOR.join(texts)  # type: ignore[arg-type]
        if big.count(_SEPARATOR) == len(texts) - 1 and _PLACEHOLDER not in big:
            return big, list(texts), np.arange(len(texts)), {}  # type: ignore[arg-type]
    except TypeError:
        pass
    reasons = {}
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            reasons[i] = f"expected text, got {type(text).__name__}"
        elif _SEPARATOR in text or _PLACEHOLDER in text:
            reasons[i] = "contains a control character (\\x00 or \\x01)"
    positions = np.array([i for i in range(len(texts)) if i not in reasons], dtype=np.int64)
    readable = [texts[i] for i in positions]
    return _SEPARATOR.join(readable), readable, positions, reasons  # type: ignore[arg-type]


def _read_shape(shape: str) -> _Shape | str | None:
    """Apply the grammar to one shape: a _Shape, a reason it contradicts itself, or None."""
    m = _SHAPE.match(shape)
    if m is None:
        return None
    g = m.groupdict()
    is_range = bool(g["num2"] or g["word2"])
    if g["and"] and not g["between"]:
        return "'and' joins a range only after 'between' ('between 5 and 10')"
    if g["between"] and not is_range:
        return "'between' needs a range ('between 5 and 10')"
    markers = [k for k in ("lower", "upper", "approx") if g[k]]
    markers += ["lower" for k in ("plus1", "plus2") if g[k]]
    if is_range and set(markers) - {"approx"}:
        return "a range cannot also be a lower or upper bound"
    if len(markers) > 1:
        return "more than one bound marker"
    units = [unit for group, unit in _UNIT_GROUPS.items() if g[group]]
    if len(units) > 1:
        return "more than one unit"
    if g["sign0"] and g["sign1"]:
        return "more than one sign"
    if units == ["percent"] and (g["scale1"] or g["scale2"]):
        return "a percentage cannot have a scale word"
    if is_range and g["scale1"] and not g["scale2"]:
        return "a scale word only on the lower end of a range (write '2-3 billion')"
    exp2 = _SCALE_EXPONENTS.get((g["scale2"] or "").lower(), 0)
    exp1 = _SCALE_EXPONENTS[g["scale1"].lower()] if g["scale1"] else exp2
    return _Shape(
        bound=BOUNDS.index("approx" if is_range else (markers or ["exact"])[0]),
        unit=UNITS.index(units[0]) if units else -1,
        negative1=(g["sign0"] or g["sign1"]) in _MINUS,
        negative2=g["sign2"] in _MINUS,
        exp1=exp1,
        exp2=exp2,
        word1=_word_value(g["word1"]),
        word2=_word_value(g["word2"]),
        is_range=is_range,
    )


def _word_value(word: str | None) -> float:
    """Value of a number word ("twenty-nine", "a hundred"); NaN when there is none."""
    if word is None:
        return np.nan
    parts = re.split(r"[-–\s]+", word.lower())
    return 100.0 if parts[-1] == "hundred" else float(sum(_WORD_VALUES[p] for p in parts))


def _to_floats(tokens: list[str], suffixes: list[str]) -> np.ndarray:
    """Convert number tokens (commas allowed) with exponent suffixes in one numpy call."""
    if not tokens:
        return np.empty(0)
    joined = "\n".join(map(operator.add, tokens, suffixes)).replace(",", "")
    return np.fromstring(joined, sep="\n")


def _lines_with_bad_grouping(big: str, texts: Sequence[str]) -> np.ndarray:
    """Boolean mask of the texts in ``big`` holding a badly grouped number."""
    mask = np.zeros(len(texts), dtype=bool)
    starts = [m.start() for m in _BAD_GROUPING.finditer(big)]
    if starts:
        ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1) - 1
        mask[np.searchsorted(ends, starts)] = True
    return mask


def _diagnose(text: str) -> str:
    """Say why a text that does not fit the grammar fails (slow path, failures only)."""
    if not text.strip():
        return "empty text"
    for token in _TOKEN.findall(text):
        if _BAD_GROUPING.search(token):
            return f"{token!r} is not a well-formed number (write 1,600 or 1600)"
    m = _PREFIX.match(text)
    if m is not None and m.end() < len(text):
        read, rest = text[: m.end()].strip(), text[m.end() :].strip()
        hint = " (only the quantity is read: put what is counted in its own column)"
        return f"unexpected {rest!r} after {read!r}{hint if rest[:1].isalpha() else ''}"
    m = _PREFIX.search(text)
    if m is not None and m.start() > 0:
        return f"unexpected {text[: m.start()].strip()!r} before {m.group().strip()!r}"
    return "not a quantity (expected a phrase such as 'more than 1,600' or 'US$1.3 trillion')"


def _batch_error(
    index: pd.Index,
    codes: np.ndarray,
    failed: np.ndarray,
    distinct: list[object],
    reasons: Mapping[int, str],
) -> QuantityParseError:
    """One error naming every unreadable entry by its index label.

    ``codes`` point each row into ``distinct`` (-1 for a missing value); ``reasons`` say,
    by position in ``distinct``, what is wrong.
    """
    rows = np.flatnonzero(failed)
    labels = index[rows]
    texts = [distinct[c] if c >= 0 else None for c in codes[rows]]
    why = [reasons[c] if c >= 0 else "missing value" for c in codes[rows]]
    shown = 20
    lines = [
        f"  {label!r}: {text!r}: {reason}"
        for label, text, reason in zip(labels[:shown], texts, why, strict=False)
    ]
    if len(rows) > shown:
        lines.append(f"  ... and {len(rows) - shown:,} more (see .failures)")
    count = f"{len(rows):,} value{'s' if len(rows) != 1 else ''}"
    return QuantityParseError(
        f"cannot read quantity in {count}:\n" + "\n".join(lines),
        failures={
            label: (t if isinstance(t, str) else None)
            for label, t in zip(labels, texts, strict=True)
        },
        reasons=dict(zip(labels, why, strict=True)),
    )
