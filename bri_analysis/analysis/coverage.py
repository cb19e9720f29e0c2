"""How far the multilateral mechanisms the initiative works through reach, as of a date.

Coverage is about countries: which states are members of which mechanism on a date
(``memberships.members``), how many of a region's UN member states that reaches, how
alike the mechanisms' memberships are, and who joined or left between two dates.

Two rules hold throughout. Mechanisms without country membership (the World Economic
Forum, the Boao Forum for Asia) are skipped by every function here and reported by
``without_country_membership``: they have no members to count, which is not zero
coverage. China is left out by default (``exclude=("CHN",)``): the initiative's host
does not "reach" itself, and it sits in every "China-X" format as convener.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bri_analysis.analysis.asof import as_timestamp
from bri_analysis.analysis.choices import SCHEMES, check_choice, check_choices
from bri_analysis.analysis.citations import merged, sorted_unique
from bri_analysis.analysis.memberships import STATE_TYPES, mechanism_aliases, members
from bri_analysis.errors import UnknownChoiceError

if TYPE_CHECKING:
    import pandas as pd

    from bri_analysis.dataset.load import Dataset

HOST = ("CHN",)
COUNTRY_COLUMNS = ["country", "continent", "un_region"]
_NO_MEMBERS_REASON = {
    "foundation": "a foundation: its members (if any) are companies, not countries",
    "nongovernmental_organization": (
        "a non-governmental organization: states may sponsor it but are not members"
    ),
}


def mechanism_choices(ds: Dataset) -> list[str]:
    """Ids of the mechanisms with country membership (the ones coverage can be asked about)."""
    mech = ds.mechanisms
    return sorted(mech.loc[mech["country_membership"] == "yes", "mechanism_id"])


def membership_matrix(
    ds: Dataset,
    as_of: object = None,
    mechanisms: Iterable[str] | None = None,
    member_types: Iterable[str] = STATE_TYPES,
    exclude: Iterable[str] = HOST,
) -> pd.DataFrame:
    """Which country belongs to which mechanism on ``as_of`` (default today).

    Index ``iso3``; columns country, continent, un_region, source_ids, then one boolean
    column per mechanism (mechanisms without country membership are skipped; asking for
    one raises ``UnknownChoiceError``). Full member states by default; ``member_types``
    may add ``observer``, ``dialogue_partner`` or ``convener`` (types whose members are
    countries). Countries in ``exclude`` (China by default) are left out. Sorted by country
    name.
    """
    import pandas as pd

    from bri_analysis.dataset.countries import country_regions
    from bri_analysis.dataset.schemas import COUNTRY_MEMBER_TYPES

    ids = check_mechanisms(ds, mechanisms)
    types = tuple(member_types)
    for t in types:
        check_choice(
            t, COUNTRY_MEMBER_TYPES, "member type (only types whose members are countries)"
        )
    excluded = list(exclude)
    for code in excluded:
        check_choice(code, country_regions()["iso3"], "ISO3 code to exclude")
    found = [members(ds, m, as_of, types) for m in ids]
    rows = pd.concat([f for f in found if len(f)] or [ds.memberships.iloc[0:0]], ignore_index=True)
    rows = rows[~rows["iso3"].isin(excluded)]
    flags = pd.crosstab(rows["iso3"], rows["mechanism_id"]).reindex(columns=ids, fill_value=0) > 0
    info = rows.drop_duplicates("iso3").set_index("iso3")[COUNTRY_COLUMNS]
    info["source_ids"] = rows.groupby("iso3")["source_id"].agg(sorted_unique)
    matrix = info.join(flags).sort_values("country")
    matrix.index.name = "iso3"
    matrix.columns.name = None
    return matrix


def regional_coverage(
    ds: Dataset,
    as_of: object = None,
    scheme: str = "continent",
    mechanisms: Iterable[str] | None = None,
    exclude: Iterable[str] = HOST,
) -> pd.DataFrame:
    """Share of each region's UN member states that at least one mechanism reaches.

    Columns region, un_member_states (UN member states of the region, less ``exclude``:
    China by default, so the share can reach 1), reached (those that are full members of
    at least one of ``mechanisms`` on ``as_of``), share (0-1), also_reached (non-UN
    members reached, such as Palestine or the Cook Islands: listed, not in the share) and
    source_ids. Every region with UN member states appears, reached or not.
    """
    import pandas as pd

    from bri_analysis.dataset.countries import un_member_states

    check_choice(scheme, SCHEMES, "region scheme")
    ids = check_mechanisms(ds, mechanisms)
    excluded = list(exclude)
    matrix = membership_matrix(ds, as_of, ids, exclude=excluded)
    reached = matrix[matrix[ids].any(axis=1)].rename(columns={scheme: "region"})
    un = un_member_states()
    un = un[~un["iso3"].isin(excluded)]
    is_un = reached.index.isin(un["iso3"])
    out = pd.DataFrame({"un_member_states": un.groupby(scheme).size()})
    out["reached"] = reached[is_un].groupby("region").size()
    out = out.reindex(out.index.union(reached["region"].unique()))
    out = out.fillna(0).astype("int64")
    out["share"] = (out["reached"] / out["un_member_states"]).where(out["un_member_states"] > 0)
    out["also_reached"] = reached[~is_un].groupby("region")["country"].agg(sorted_unique)
    out["source_ids"] = reached.groupby("region")["source_ids"].agg(merged)
    for column in ("also_reached", "source_ids"):
        out[column] = out[column].apply(lambda v: v if isinstance(v, list) else [])
    out.index.name = "region"
    return out.reset_index()


def overlap(
    ds: Dataset, as_of: object = None, mechanisms: Iterable[str] | None = None
) -> pd.DataFrame:
    """Jaccard similarity of the mechanisms' member-state sets on ``as_of`` (China left out).

    A square frame, index and columns the mechanism ids: shared members / members of
    either. 1 on the diagonal; NaN where both sets are empty (nothing to compare). The
    sources are those of ``membership_matrix``.
    """
    import pandas as pd

    ids = check_mechanisms(ds, mechanisms)
    flags = membership_matrix(ds, as_of, ids)[ids].astype("int64")
    shared = flags.T @ flags
    sizes = pd.Series(flags.sum().to_numpy(), index=ids)
    either = sizes.to_numpy()[:, None] + sizes.to_numpy()[None, :] - shared
    jaccard = (shared / either.where(either > 0)).astype("float64")
    jaccard.index.name = "mechanism_id"
    jaccard.columns.name = "mechanism_id"
    return jaccard


def reach_ranking(
    ds: Dataset, as_of: object = None, mechanisms: Iterable[str] | None = None
) -> pd.DataFrame:
    """Countries by how many mechanisms they are full members of on ``as_of``.

    Columns iso3, country, continent, mechanisms (count), mechanism_list (short names,
    ", "-joined) and source_ids; most mechanisms first, then country name. China is left out.
    """
    ids = check_mechanisms(ds, mechanisms)
    matrix = membership_matrix(ds, as_of, ids)
    flags = matrix[ids]
    short = ds.mechanisms.set_index("mechanism_id")["short_name"]
    labels = [short[m] for m in ids]
    out = matrix[["country", "continent"]].copy()
    out["mechanisms"] = flags.sum(axis=1).astype("int64")
    out["mechanism_list"] = [
        ", ".join(label for label, member in zip(labels, row, strict=True) if member)
        for row in flags.itertuples(index=False)
    ]
    out["source_ids"] = matrix["source_ids"]
    out = out.reset_index().sort_values(["mechanisms", "country"], ascending=[False, True])
    return out.reset_index(drop=True)


def without_country_membership(ds: Dataset) -> pd.DataFrame:
    """The mechanisms that have no country members, and why: reported, never counted as zero.

    Columns mechanism_id, name, short_name, kind, reason, note, source_id, locator,
    confidence.
    """
    mech = ds.mechanisms[ds.mechanisms["country_membership"] == "no"]
    out = mech[["mechanism_id", "name", "short_name", "kind"]].copy()
    out["reason"] = out["kind"].map(_NO_MEMBERS_REASON).fillna("it has no country members")
    for column in ("note", "source_id", "locator", "confidence"):
        out[column] = mech[column]
    return out.sort_values("mechanism_id").reset_index(drop=True)


def coverage_change(
    ds: Dataset, start: object, end: object, mechanisms: Iterable[str] | None = None
) -> pd.DataFrame:
    """Every member state that joined or left a mechanism after ``start`` and by ``end``.

    A join counts on the last day of its stated period and a departure from the first (the
    as-of rule of ``memberships.active_on``), so ``members(end)`` = ``members(start)`` +
    joins - departures. Columns mechanism_id, short_name, member, iso3, change
    ("joined"/"left"), date, date_precision (as stated), source_id, locator, confidence;
    sorted by date. China is not left out here: a change is a change.
    """
    import pandas as pd

    first, last = as_timestamp(start), as_timestamp(end)
    if first > last:
        raise ValueError(f"start {first.date()} is after end {last.date()}")
    ids = check_mechanisms(ds, mechanisms)
    rows = ds.memberships[
        ds.memberships["mechanism_id"].isin(ids) & ds.memberships["member_type"].isin(STATE_TYPES)
    ]
    changes = []
    for change, moment, precision, mask in (
        ("joined", "since", "since_precision", (rows["since"] > first) & (rows["since"] <= last)),
        ("left", "left", "left_precision", (rows["left"] > first) & (rows["left"] <= last)),
    ):
        picked = rows[mask.fillna(False).astype(bool)]
        changes.append(
            pd.DataFrame(
                {
                    "mechanism_id": picked["mechanism_id"],
                    "member": picked["member"],
                    "iso3": picked["iso3"],
                    "change": change,
                    "date": picked[moment],
                    "date_precision": picked[precision],
                    "date_from": picked["since_from"] if change == "joined" else "left",
                    "source_id": picked["source_id"],
                    "locator": picked["locator"],
                    "confidence": picked["confidence"],
                }
            )
        )
    out = pd.concat(changes, ignore_index=True)
    short = ds.mechanisms.set_index("mechanism_id")["short_name"]
    out.insert(1, "short_name", out["mechanism_id"].map(short))
    return out.sort_values(["date", "mechanism_id", "member"]).reset_index(drop=True)


def check_mechanisms(ds: Dataset, mechanisms: str | Iterable[str] | None) -> list[str]:
    """The mechanism ids asked for (ids, short names or names in any case; default all with
    country membership, in data order)."""
    valid = mechanism_choices(ds)
    in_order = [m for m in ds.mechanisms["mechanism_id"] if m in valid]
    if mechanisms is None:
        return in_order
    named = check_choices(
        mechanisms, ds.mechanisms["mechanism_id"], "mechanism", mechanism_aliases(ds)
    )
    for m in named:
        if m not in valid:
            raise UnknownChoiceError(
                f"mechanism {m!r} has no country members (see without_country_membership); "
                f"choose from: {', '.join(valid)}"
            )
    return named
