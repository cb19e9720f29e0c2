"""data/README.md documents exactly the tables and columns the loader enforces."""

from __future__ import annotations

import re

from bri_analysis.dataset.schemas import TABLES
from bri_analysis.paths import DATA_DIR


def _documented() -> dict[str, set[str]]:
    text = (DATA_DIR / "README.md").read_text()
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    documented = {}
    for section in sections:
        name = re.match(r"(\w+)\.csv", section).group(1)
        columns = set()
        for line in section.splitlines():
            if line.startswith("| `"):
                first_cell = line.split("|")[1]
                columns |= set(re.findall(r"`([a-z0-9_]+)`", first_cell))
        documented[name] = columns
    return documented


def test_every_table_is_documented_with_exactly_its_columns():
    documented = _documented()
    assert set(documented) == set(TABLES)
    for name, table in TABLES.items():
        assert documented[name] == set(table.column_names), name


def test_documented_enums_match_the_schema():
    text = (DATA_DIR / "README.md").read_text()
    for table in TABLES.values():
        for column in table.columns:
            for value in column.allowed:
                assert f"`{value}`" in text, f"{table.name}.{column.name}: {value} undocumented"
