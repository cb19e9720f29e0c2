"""Country names to ISO 3166-1 alpha-3 codes, continents and UN sub-regions.

Names go through the project's alias table first (``data/country_aliases.csv``: names
country_converter does not know), then through country_converter (coco). A name that
neither knows, or that coco matches to more than one country, is never dropped: callers
get it back as a miss (``harmonize``) or as an ``UnknownCountryError`` (``to_iso3``).

coco 1.3.2 cannot load its own table on pandas 3 (see ``_coco_table``); this module
loads it correctly and passes it in. pandas and coco are imported on first use only, and
the converter and the region table are built once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bri_analysis.errors import DataValidationError, UnknownCountryError

if TYPE_CHECKING:
    import pandas as pd
    from country_converter import CountryConverter

ALIAS_FILE = "country_aliases.csv"
REGION_COLUMNS = ("iso3", "name", "continent", "un_region", "un_member")

_COCO_LOGGER = "country_converter.country_converter"
_NOT_FOUND = "\x00not found"  # coco's fill-in for a miss; cannot be an ISO3 code
# coco 1.3.2's own column typing (CountryConverter.__init__: must_be_string / must_be_int).
_COCO_STRING_COLUMNS = frozenset(
    {"name_short", "name_official", "regex", "ISO2", "ISO3", "continent", "UNregion"}
    | {"EXIO1", "EXIO2", "EXIO3", "WIOD"}
)
_COCO_INT_COLUMNS = (
    "ISOnumeric",
    "UNcode",
    "FAOcode",
    "GBDcode",
    "EURO",
    "UN",
    "UNmember",
    "obsolete",
    "GEOnumeric",
)


def to_iso3(
    names: str | Iterable[str] | pd.Series, aliases: Mapping[str, str] | None = None
) -> str | pd.Series:
    """ISO3 code of a name (a string), or for each name (a string Series with the input's
    index). Names and codes work in any case ("pakistan", "pak").

    ``aliases`` (alias -> ISO3) are tried before coco; by default they are read from the
    data folder ``load_dataset`` uses (``$BRI_DATA_DIR`` or ``data/``). Raises
    ``UnknownCountryError`` naming every name that matches nothing (with "did you mean"
    where a country's name is close), and ``ValueError`` for missing names, so no row ever
    comes back empty.
    """
    import pandas as pd

    from bri_analysis.paths import default_data_dir

    if isinstance(names, str):
        return str(to_iso3([names], aliases).iloc[0])

    series = names if isinstance(names, pd.Series) else pd.Series(_as_list(names), dtype=object)
    missing = series.isna()
    if missing.any():
        labels = series.index[missing].tolist()
        raise ValueError(f"to_iso3: missing country name at index {labels}")
    if aliases is None:
        aliases = load_aliases(default_data_dir() / ALIAS_FILE)
    iso3, unmatched = harmonize(series, aliases)
    if unmatched:
        raise UnknownCountryError(unmatched, hints=_hints(unmatched))
    return iso3


def _hints(unmatched: Iterable[str]) -> dict[str, str]:
    """For each name, the country short names close to it ("Pakistan or ...")."""
    import difflib

    names = list(_region_table()["name"].dropna())
    hints = {n: difflib.get_close_matches(n, names, n=2, cutoff=0.75) for n in unmatched}
    return {n: " or ".join(close) for n, close in hints.items() if close}


def harmonize(names: pd.Series, aliases: Mapping[str, str]) -> tuple[pd.Series, list[str]]:
    """Match names without raising: ISO3 (``<NA>`` where unmatched) and the distinct misses.

    The loader uses this to report every miss with its file and row. A missing name gives
    ``<NA>`` but is not a miss (there is nothing to match). Names coco matches to several
    countries count as misses rather than a guess.
    """
    import numpy as np
    import pandas as pd

    _check_alias_codes(aliases)
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    uniques = list(uniques)
    not_text = [u for u in uniques if not isinstance(u, str)]
    if not_text:
        raise TypeError(f"country names must be strings; got {not_text!r}")
    from_coco = _coco_iso3([u for u in uniques if u not in aliases])
    matched = [aliases[u] if u in aliases else from_coco[u] for u in uniques]
    unmatched = [u for u, code in zip(uniques, matched, strict=True) if code is None]
    # The extra trailing None is what the NA sentinel (-1) picks for missing names.
    lookup = np.array([*matched, None], dtype=object)
    iso3 = pd.Series(lookup[codes], index=names.index, dtype="string", name="iso3")
    return iso3, unmatched


def load_aliases(path: Path) -> dict[str, str]:
    """Read an alias table (the loader's ``country_aliases`` table) into ``{alias: iso3}``.

    Read and checked the way the loader reads it (``reading.read_table``, cell and key
    checks); raises ``DataValidationError`` listing every bad line at once, including a
    code country_converter does not know.
    """
    from bri_analysis.dataset.reading import read_table
    from bri_analysis.dataset.schemas import TABLES
    from bri_analysis.dataset.validation import cell_problems, key_problems, problems_where

    table = TABLES["country_aliases"]
    frame, problems = read_table(Path(path), table)
    if frame is None:
        raise DataValidationError(problems)
    problems = cell_problems(frame, table) + key_problems(frame, table)
    problems += problems_where(
        frame,
        frame["iso3"].notna() & ~frame["iso3"].isin(known_iso3()),
        table.file,
        "iso3",
        lambda row: f"{row['iso3']!r} is not a code country_converter knows",
    )
    if problems:
        raise DataValidationError(problems)
    return dict(zip(frame["alias"], frame["iso3"], strict=True))


def country_regions(iso3: Iterable[str] | pd.Series | None = None) -> pd.DataFrame:
    """iso3, name, continent, un_region and un_member for the given codes, or for all.

    ``name`` is coco's short name, ``continent`` coco's five continents (Africa, America,
    Asia, Europe, Oceania; Antarctica for a few territories), ``un_region`` the UN M49
    sub-region. Given codes come back once each, in first-seen order; missing values
    (organizations have no code) are skipped; an unknown code raises ``ValueError``.
    """
    table = _region_table()
    if iso3 is None:
        return table.copy()
    values = _as_list(iso3)
    wanted = list(dict.fromkeys(c for c in values if isinstance(c, str)))
    odd = [c for c in values if not isinstance(c, str) and not _is_missing(c)]
    unknown = [c for c in wanted if c not in known_iso3()]
    if odd or unknown:
        raise ValueError(f"unknown ISO3 code(s): {', '.join(map(repr, unknown + odd))}")
    return table.set_index("iso3", drop=False).loc[wanted].reset_index(drop=True)


def un_member_states() -> pd.DataFrame:
    """The 193 UN member states, with the same columns as ``country_regions``."""
    table = _region_table()
    return table[table["un_member"]].reset_index(drop=True)


def _as_list(values: Iterable) -> list:
    if isinstance(values, str):
        raise TypeError(f"expected a collection of values, got the single string {values!r}")
    return list(values)


def _is_missing(value: object) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _check_alias_codes(aliases: Mapping[str, str]) -> None:
    known = known_iso3()
    bad = {alias: code for alias, code in aliases.items() if code not in known}
    if bad:
        raise ValueError(f"aliases map to unknown ISO3 codes: {bad}")


def _coco_iso3(names: list[str]) -> dict[str, str | None]:
    """One coco lookup per distinct name: its ISO3, or None when unmatched or ambiguous.

    coco guesses the kind of input from its length (2 letters: ISO2, 3: ISO3), so a
    two- or three-letter name that is not a code ("UAE") gets a second try as a name.
    Answers are remembered for the life of the process (coco's regex pass is the slow part
    of a load, and a name's answer never changes).
    """
    new = [n for n in dict.fromkeys(names) if n not in _COCO_ANSWERS]
    if new:
        _COCO_ANSWERS.update(_coco_lookup(new))
    return {n: _COCO_ANSWERS[n] for n in names}


_COCO_ANSWERS: dict[str, str | None] = {}


def _coco_lookup(names: list[str]) -> dict[str, str | None]:
    """``_coco_iso3`` without the memory: ask coco about each of ``names``."""
    converter = _converter()
    found: dict[str, str | None] = dict.fromkeys(names)
    with _quiet_coco():
        for src, batch in ((None, names), ("regex", [n for n in names if len(n) in (2, 3)])):
            todo = [n for n in batch if found[n] is None]
            if not todo:
                continue
            results = converter.convert(
                todo, src=src, to="ISO3", enforce_list=True, not_found=_NOT_FOUND
            )
            for name, result in zip(todo, results, strict=True):
                found[name] = result[0] if result != [_NOT_FOUND] and len(result) == 1 else None
    return found


@contextmanager
def _quiet_coco() -> Iterator[None]:
    """Drop coco's per-name "not found" warnings: misses are reported by this module."""
    logger = logging.getLogger(_COCO_LOGGER)

    def drop(record: logging.LogRecord) -> bool:
        return False

    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


@cache
def _converter() -> CountryConverter:
    import country_converter as coco

    return coco.CountryConverter(country_data=_coco_table())


def _coco_table() -> pd.DataFrame:
    """coco's bundled country table, read the way coco means it to be read.

    coco 1.3.2 reads ``country_data.tsv`` with ``converters=str`` and its own NA list;
    under pandas 3 the string columns still get NaN (Namibia's ISO2 "NA" among them) and
    ``CountryConverter()`` fails compiling its regexes. Here everything is read as text,
    NA tokens become missing only in the non-string columns, and coco's integer columns
    become Int64, which is what coco produces on pandas 2.
    """
    import pandas as pd
    from country_converter.country_converter import COUNTRY_DATA_FILE
    from pandas._libs.parsers import STR_NA_VALUES

    table = pd.read_csv(
        COUNTRY_DATA_FILE, sep="\t", encoding="utf-8", dtype=str, keep_default_na=False
    )
    na_tokens = list(STR_NA_VALUES - {"NA"})
    for column in table.columns.difference(list(_COCO_STRING_COLUMNS)):
        table[column] = table[column].mask(table[column].isin(na_tokens))
    return table.astype({c: "Int64" for c in _COCO_INT_COLUMNS})


@cache
def _region_table() -> pd.DataFrame:
    data = _converter().data
    table = data[["ISO3", "name_short", "continent", "UNregion"]].astype("string")
    table.columns = list(REGION_COLUMNS[:4])
    table["un_member"] = data["UNmember"].notna().to_numpy()
    return table.sort_values("iso3").reset_index(drop=True)


@cache
def known_iso3() -> frozenset[str]:
    """Every ISO3 code country_converter knows."""
    return frozenset(_converter().data["ISO3"])
