"""Every class of bad input fails with one clear message naming file, line and column.

Each fault is applied to a copy of the shipped data and of the tiny fixture data, then
fed through ``load_dataset`` and through ``bri-analysis validate``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bri_analysis import DataValidationError, load_dataset
from bri_analysis.cli import main
from bri_analysis.dataset.schemas import TABLES
from tests.helpers import DATA_DIR, FIXTURE_DATA, copy_data


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with open(folder / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _append(folder: Path, table: str, row: dict[str, str]) -> int:
    """Append a row (missing columns empty) and return its line number."""
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        [row.get(c, "") for c in TABLES[table].column_names]
    )
    path.write_text(text + buffer.getvalue(), encoding="utf-8")
    return text.count("\n") + 1


def _valid(folder: Path, table: str, **changes: str) -> dict[str, str]:
    """A copy of the table's first row with a fresh key, then ``changes`` applied."""
    row = dict(_rows(folder, table)[0])
    fresh = {
        "facts": {"fact_id": "zz_test_fact"},
        "participation": {"party": "Kenya"},
        "memberships": {"member": "Kenya", "member_type": "state", "joined": "", "left": ""},
        "events": {"event_id": "zz_test_event", "edition": ""},
        "zones": {"zone_id": "zz_test_zone"},
    }
    row.update(fresh.get(table, {}))
    row.update(changes)
    return row


def _first_membership_mechanism(folder: Path) -> str:
    return _rows(folder, "memberships")[0]["mechanism_id"]


@dataclass
class Fault:
    name: str
    apply: Callable[[Path], tuple[str, int | None, str | None]]  # -> expected file, line, column
    message: str  # a fragment of the expected message


def _missing_file(folder):
    (folder / "zones.csv").unlink()
    return "zones.csv", None, None


def _empty_file(folder):
    (folder / "facts.csv").write_text("")
    return "facts.csv", None, None


def _rename_header(folder):
    path = folder / "facts.csv"
    path.write_text(path.read_text().replace("value_text", "value", 1))
    return "facts.csv", 1, "value_text"


def _drop_header(folder):
    path = folder / "sources.csv"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    return "sources.csv", 1, None


def _extra_column(folder):
    path = folder / "zones.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",extra"] + [ln + "," for ln in lines[1:]]) + "\n")
    return "zones.csv", 1, "extra"


def _short_row(folder):
    path = folder / "indicators.csv"
    text = path.read_text()
    path.write_text(text + "lonely,Lonely\n")
    return "indicators.csv", text.count("\n") + 1, None


def _bad_date(folder):
    row = _valid(folder, "events", start_date="2019-02-30", end_date="")
    return "events.csv", _append(folder, "events", row), "start_date"


def _bad_date_format(folder):
    row = _valid(folder, "memberships", joined="May 2019")
    return "memberships.csv", _append(folder, "memberships", row), "joined"


def _unparseable_quantity(folder):
    row = _valid(folder, "facts", value_text="lots and lots")
    return "facts.csv", _append(folder, "facts", row), "value_text"


def _negative_count(folder):
    count_indicator = next(
        r["indicator"] for r in _rows(folder, "indicators") if r["kind"] == "count"
    )
    row = _valid(folder, "facts", indicator=count_indicator, value_text="-5", unit="")
    return "facts.csv", _append(folder, "facts", row), "value_text"


def _unknown_source(folder):
    row = _valid(folder, "zones", source_id="no_such_source")
    return "zones.csv", _append(folder, "zones", row), "source_id"


def _duplicate_id(folder):
    row = dict(_rows(folder, "facts")[0])
    return "facts.csv", _append(folder, "facts", row), "fact_id"


def _unknown_country(folder):
    row = _valid(folder, "participation", party="Atlantis", party_type="country")
    return "participation.csv", _append(folder, "participation", row), "party"


def _unknown_mechanism(folder):
    row = _valid(folder, "memberships", mechanism_id="no_such_mechanism")
    return "memberships.csv", _append(folder, "memberships", row), "mechanism_id"


def _left_before_joined(folder):
    row = _valid(folder, "memberships", joined="2019-04-12", left="2018-01")
    return "memberships.csv", _append(folder, "memberships", row), "left"


def _not_utf8(folder):
    path = folder / "zones.csv"
    text = path.read_text()
    path.write_bytes(text.encode() + "Caf\u00e9 zone\n".encode("latin-1"))
    return "zones.csv", text.count("\n") + 1, None


def _formula(folder):
    row = _valid(
        folder,
        "participation",
        party='=HYPERLINK("http://x.example","click")',
        party_type="organization",
    )
    return "participation.csv", _append(folder, "participation", row), "party"


def _html(folder):
    row = _valid(folder, "zones", name="<script>alert(1)</script>")
    return "zones.csv", _append(folder, "zones", row), "name"


def _bad_enum(folder):
    row = _valid(folder, "memberships", member_type="friend")
    return "memberships.csv", _append(folder, "memberships", row), "member_type"


def _missing_required(folder):
    row = _valid(folder, "facts", locator="")
    return "facts.csv", _append(folder, "facts", row), "locator"


def _unit_clash(folder):
    row = _valid(folder, "facts", value_text="US$5 bn", unit="RMB", indicator="deal_value")
    return "facts.csv", _append(folder, "facts", row), "unit"


FAULTS = [
    Fault("missing file", _missing_file, "file is missing"),
    Fault("empty file", _empty_file, "file is empty"),
    Fault("wrong header", _rename_header, "lacks required column"),
    Fault("missing header", _drop_header, "lacks required column"),
    Fault("extra column", _extra_column, "unexpected column"),
    Fault("row of wrong width", _short_row, "fields, the header has"),
    Fault("impossible date", _bad_date, "not a real date"),
    Fault("date in words", _bad_date_format, "not a date as YYYY"),
    Fault("unparseable quantity", _unparseable_quantity, "cannot read quantity"),
    Fault("negative count", _negative_count, "cannot be negative"),
    Fault("unknown source_id", _unknown_source, "unknown source_id"),
    Fault("duplicate id", _duplicate_id, "duplicate key"),
    Fault("unknown country", _unknown_country, "unknown country name 'Atlantis'"),
    Fault("unknown mechanism", _unknown_mechanism, "unknown mechanism_id"),
    Fault("left before joined", _left_before_joined, "is before joined"),
    Fault("not UTF-8", _not_utf8, "not valid UTF-8"),
    Fault("spreadsheet formula", _formula, "spreadsheet formula"),
    Fault("HTML in a name", _html, "markup"),
    Fault("value outside the allowed set", _bad_enum, "is not one of"),
    Fault("required cell empty", _missing_required, "required value is missing"),
    Fault("currency contradicts unit", _unit_clash, "disagrees with"),
]

DATA_FOLDERS = {"shipped": DATA_DIR, "fixture": FIXTURE_DATA}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("which", sorted(DATA_FOLDERS))
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_is_reported_with_file_line_and_column(fault, which, tmp_path, capsys):
    folder = copy_data(DATA_FOLDERS[which], tmp_path / "data")
    file, line, column = fault.apply(folder)
    before = _digest(folder)

    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    matching = [
        p
        for p in caught.value.problems
        if p.file == file
        and p.row == line
        and fault.message in p.message
        and (column is None or column in (p.column or ""))
    ]
    assert matching, f"expected {file}:{line}:{column} '{fault.message}' in\n{caught.value}"
    # Nothing else is reported: the rest of the data is clean.
    assert all(p.file == file for p in caught.value.problems), str(caught.value)

    assert _digest(folder) == before, "loading must not write into the data folder"
    if which == "shipped":
        return  # the command line prints the same problems; once (on the fixture) is enough
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    where = f"{file}:{line}" if line is not None else file
    assert where in err and fault.message in err
    assert "Traceback" not in err
    assert _digest(folder) == before, "validation must not write into the data folder"


@pytest.mark.parametrize("which", sorted(DATA_FOLDERS))
def test_byte_order_mark_is_accepted(which, tmp_path):
    folder = copy_data(DATA_FOLDERS[which], tmp_path / "data")
    path = folder / "facts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ds = load_dataset(folder)
    assert "fact_id" in ds.facts.columns
    assert len(ds.facts) == len(_rows(DATA_FOLDERS[which], "facts"))


def test_all_problems_are_reported_at_once(fixture_data):
    _unknown_source(fixture_data)
    _unknown_country(fixture_data)
    _bad_date(fixture_data)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(fixture_data)
    messages = str(caught.value)
    for fragment in ("unknown source_id", "Atlantis", "not a real date"):
        assert fragment in messages
    assert messages.startswith("3 data problems")


def test_alias_to_an_unknown_country_code_is_reported(fixture_data):
    path = fixture_data / "country_aliases.csv"
    path.write_text(path.read_text() + "Lemuria,LEM,\n")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(fixture_data)
    assert any(
        p.file == "country_aliases.csv" and p.row == 3 and p.column == "iso3" and "LEM" in p.message
        for p in caught.value.problems
    ), str(caught.value)
