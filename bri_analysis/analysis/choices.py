"""Checking what a caller asks for against what the data offers: ids, short names, schemes.

People type "SCO", "sco" or "China-CELAC" where the data's id is ``sco`` or
``china_celac_forum``; every analysis function resolves such input here, the same way: the
exact id, else the id in any case, else an alias (a short name) in any case. What matches
nothing, or more than one choice, is an ``UnknownChoiceError`` that lists the valid choices
and, when one is close, says "did you mean".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from bri_analysis.errors import UnknownChoiceError

SCHEMES = ("continent", "un_region")  # the region schemes every regional function accepts


def check_choice(
    value: object,
    valid: Iterable[object],
    what: str,
    aliases: Mapping[str, str] | None = None,
    listing: str | None = None,
) -> str:
    """The valid choice ``value`` names (exact, then any case, then an alias in any case).

    ``aliases`` maps other names (short names, labels) to valid choices. Raises
    ``UnknownChoiceError`` naming the valid choices (or ``listing`` in their place, when
    they are too many to list), with "did you mean" when one is close, and when a name fits
    several choices.
    """
    options = sorted({str(v) for v in valid})
    text = str(value)
    if text in options:
        return text
    folded = text.strip().casefold()
    matches = sorted({o for o in options if o.casefold() == folded})
    if not matches and aliases:
        matches = sorted(
            {
                str(t)
                for a, t in aliases.items()
                if str(a).casefold() == folded and str(t) in options
            }
        )
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UnknownChoiceError(
            f"{what} {value!r} is ambiguous: it could be {', '.join(matches)}; give the id"
        )
    names = {o.casefold(): o for o in [*options, *(aliases or {})]}
    close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(names[c]) for c in close)}?)" if close else ""
    listing = listing or f"choose from: {', '.join(options)}"
    raise UnknownChoiceError(f"unknown {what} {value!r}{hint}; {listing}")


def check_choices(
    values: str | Iterable[str],
    valid: Iterable[object],
    what: str,
    aliases: Mapping[str, str] | None = None,
) -> list[str]:
    """One choice or several (a single string counts as one), each resolved with
    ``check_choice``; returned as a list without repeats, in the order given."""
    wanted = [values] if isinstance(values, str) else list(values)
    options = list(valid)
    resolved = [check_choice(v, options, what, aliases) for v in wanted]
    return list(dict.fromkeys(resolved))


def check_scheme(scheme: str) -> str:
    """A region scheme: ``"continent"`` or ``"un_region"`` (any case)."""
    return check_choice(scheme, SCHEMES, "region scheme")


def check_country(
    value: object, aliases: Mapping[str, str] | None = None, listing: str | None = None
) -> str:
    """The ISO3 code of a country as a person gives it: a code or a name, in any case
    ("KAZ", "kaz", "Kazakhstan", "Lao PDR"). ``aliases`` are the data's extra names.

    Raises ``UnknownChoiceError`` for anything that is not one country, with "did you mean"
    when a country's code or name is close, and ``listing`` (default: every ISO3 code).
    """
    import pandas as pd

    from bri_analysis.dataset.countries import country_regions, harmonize

    text = value.strip() if isinstance(value, str) else ""
    if text:
        iso3, missed = harmonize(pd.Series([text], dtype=object), dict(aliases or {}))
        if not missed and not pd.isna(iso3.iloc[0]):
            return str(iso3.iloc[0])
    regions = country_regions()
    return check_choice(
        value,
        regions["iso3"],
        "country (an ISO3 code or a name)",
        aliases=dict(zip(regions["name"], regions["iso3"], strict=True)),
        listing=listing,
    )
