"""What each data table must look like: columns, kinds, allowed values and keys.

One declaration per table drives the header check, the pandera cell checks and the
codebook test, so the rules live in one place. Cross-table rules live in ``dataset``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bri_analysis.dataset.dates import DATE_PATTERN

if TYPE_CHECKING:
    import pandera.pandas as pa

CONFIDENCE = ("verified", "secondary", "unverified")
# How a stated figure relates to the true one: "more than 40" is a lower bound.
BOUNDS: tuple[str, ...] = ("exact", "lower", "upper", "approx")
ID_PATTERN = r"[a-z0-9_]+"
ISO3_PATTERN = r"[A-Z]{3}"
# A cell that a spreadsheet would run as a formula: = or @ first, or + / - not starting a number.
FORMULA_PATTERN = r"^\s*(?:[=@\t\r]|[+-](?!\s*[\d.]))"
# Markup: an HTML tag or comment opener. "<" or ">" alone (as in "> 1,600") is not markup.
MARKUP_PATTERN = r"<\s*[A-Za-z!/?]"
# Control characters (NUL, tabs, line breaks, DEL): invisible, and they break tables and pages.
CONTROL_PATTERN = r"[\x00-\x1f\x7f]"


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` is id, text, date, int, enum, yesno, iso3 or country."""

    name: str
    kind: str = "text"
    required: bool = True
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One CSV file of the dataset and its primary key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _founding() -> tuple[Column, ...]:
    """When a mechanism or channel began, with its own citation (often not the row's source)."""
    return (
        Column("established", "date", required=False),
        Column("established_source_id", "id", required=False),
        Column("established_locator", required=False),
        Column("established_confidence", "enum", required=False, allowed=CONFIDENCE),
    )


def _cite() -> tuple[Column, ...]:
    return (
        Column("source_id", "id"),
        Column("locator"),
        Column("confidence", "enum", allowed=CONFIDENCE),
        Column("note", required=False),
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "sources",
            (
                Column("source_id", "id"),
                Column("title"),
                Column("publisher"),
                Column("published", "date", required=False),
                Column("url", required=False),
                Column(
                    "kind",
                    "enum",
                    allowed=(
                        "official_report",
                        "official_statement",
                        "official_portal",
                        "news",
                        "reference",
                        "research_notes",
                    ),
                ),
                Column("accessed", "date", required=False),
                Column("note", required=False),
            ),
            key=("source_id",),
        ),
        Table(
            "subjects",
            (
                Column("subject_id", "id"),
                Column("name"),
                Column(
                    "kind",
                    "enum",
                    allowed=("initiative", "channel", "programme", "institution", "flow"),
                ),
                *_founding(),
                Column("note", required=False),
            ),
            key=("subject_id",),
        ),
        Table(
            "indicators",
            (
                Column("indicator", "id"),
                Column("label"),
                Column("kind", "enum", allowed=("count", "money", "percent", "date")),
                Column("description"),
            ),
            key=("indicator",),
        ),
        Table(
            "series",
            (
                Column("series_id", "id"),
                Column("name"),
                Column("short_name"),
                Column("kind", "enum", allowed=("forum", "expo")),
                Column("city", required=False),
                Column("host_country", "country"),
                Column("predecessor", "id", required=False),
                *_cite(),
            ),
            key=("series_id",),
        ),
        Table(
            "events",
            (
                Column("event_id", "id"),
                Column("series_id", "id"),
                Column("edition", "int", required=False),
                Column("name"),
                Column("start_date", "date"),
                Column("end_date", "date", required=False),
                Column("city"),
                Column("host_country", "country"),
                Column("status", "enum", allowed=("held", "planned", "cancelled")),
                *_cite(),
            ),
            key=("event_id",),
        ),
        Table(
            "facts",
            (
                Column("fact_id", "id"),
                Column("subject", "id"),
                Column("indicator", "id"),
                Column("value_text", "quantity"),
                Column("unit", required=False),
                Column("period_start", "date", required=False),
                Column("as_of", "date", required=False),
                *_cite(),
            ),
            key=("fact_id",),
        ),
        Table(
            "participation",
            (
                Column("party"),
                Column("party_type", "enum", allowed=("country", "organization", "subnational")),
                Column("channel", "id"),
                Column("joined", "date", required=False),
                Column("left", "date", required=False),
                Column("document", required=False),
                Column("signing", "enum", required=False, allowed=("first", "later")),
                *_cite(),
            ),
            key=("party", "channel", "source_id"),
        ),
        Table(
            "zones",
            (
                Column("zone_id", "id"),
                Column("name"),
                Column("partner_country", "country"),
                Column(
                    "kind",
                    "enum",
                    allowed=(
                        "border_cooperation_center",
                        "cross_border_economic_cooperation_zone",
                        "overseas_cooperation_zone",
                    ),
                ),
                Column("status", "enum", allowed=("established", "planned")),
                Column("established", "date", required=False),
                *_cite(),
            ),
            key=("zone_id",),
        ),
        Table(
            "mechanisms",
            (
                Column("mechanism_id", "id"),
                Column("name"),
                Column("short_name"),
                Column(
                    "kind",
                    "enum",
                    allowed=(
                        "intergovernmental_organization",
                        "intergovernmental_forum",
                        "development_programme",
                        "foundation",
                        "nongovernmental_organization",
                    ),
                ),
                Column("country_membership", "yesno"),
                *_founding(),
                *_cite(),
            ),
            key=("mechanism_id",),
        ),
        Table(
            "memberships",
            (
                Column("mechanism_id", "id"),
                Column("member"),
                Column(
                    "member_type",
                    "enum",
                    allowed=(
                        "state",
                        "organization",
                        "observer",
                        "observer_organization",
                        "dialogue_partner",
                        "convener",
                        "development_partner",
                        "secretariat",
                    ),
                ),
                Column("joined", "date", required=False),
                Column("left", "date", required=False),
                *_cite(),
            ),
            key=("mechanism_id", "member", "member_type", "joined"),
        ),
        Table(
            "country_aliases",
            (
                Column("alias"),
                Column("iso3", "iso3"),
                Column("note", required=False),
            ),
            key=("alias",),
        ),
    )
}

# Kinds of column whose text is free, so it is checked for formulas and markup.
FREE_TEXT_KINDS = ("text", "country", "quantity")

# Member and party types whose names are countries (harmonized to ISO3); the rest are bodies.
COUNTRY_MEMBER_TYPES = ("state", "observer", "dialogue_partner", "convener")
COUNTRY_PARTY_TYPES = ("country",)


def _matches(pattern: str, name: str) -> pa.Check:
    import pandera.pandas as pa

    return pa.Check(lambda s: s.astype(str).str.fullmatch(pattern), name=name)


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """Cell-level checks for a table read as strings (all problems reported, lazily)."""
    import pandera.pandas as pa

    columns = {}
    for col in table.columns:
        checks = []
        if col.kind in FREE_TEXT_KINDS:  # the other kinds' patterns already exclude both
            checks += [
                pa.Check(
                    lambda s: ~s.astype(str).str.contains(FORMULA_PATTERN, regex=True),
                    name="no_spreadsheet_formula",
                ),
                pa.Check(
                    lambda s: ~s.astype(str).str.contains(MARKUP_PATTERN, regex=True),
                    name="no_markup",
                ),
                pa.Check(
                    lambda s: ~s.astype(str).str.contains(CONTROL_PATTERN, regex=True),
                    name="no_control_characters",
                ),
            ]
        if col.kind == "id":
            checks.append(_matches(ID_PATTERN, "snake_case_id"))
        elif col.kind == "iso3":
            checks.append(_matches(ISO3_PATTERN, "iso3_code"))
        elif col.kind == "date":
            checks.append(_matches(DATE_PATTERN.pattern.strip("^$"), "iso_date"))
        elif col.kind == "int":
            checks.append(_matches(r"[1-9]\d*", "positive_integer"))
        elif col.kind in ("enum", "yesno"):
            allowed = col.allowed if col.kind == "enum" else ("yes", "no")
            checks.append(
                pa.Check(lambda s, a=allowed: s.isin(a), name="one_of:" + "|".join(allowed))
            )
        columns[col.name] = pa.Column(object, nullable=not col.required, checks=checks)
    return pa.DataFrameSchema(columns, strict=False, coerce=False)
