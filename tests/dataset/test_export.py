"""Exporting the cleaned tables: every table written, formulas neutralised, no half files."""

from __future__ import annotations

import csv
import sys

import pandas as pd
import pytest

from bri_analysis import load_dataset
from bri_analysis.cli import main
from bri_analysis.dataset.export import export_tables, guard_formulas


def test_export_writes_every_table_as_csv(fixture_data, tmp_path):
    ds = load_dataset(fixture_data)
    written = export_tables(ds, tmp_path / "out")
    assert sorted(p.stem for p in written) == sorted(ds.table_names)
    facts = pd.read_csv(tmp_path / "out" / "facts.csv")
    assert facts.loc[0, "value_text"] == "more than 1,600"
    assert facts.loc[0, "as_of"] == "2017-05-15"  # the closing day of the event
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_formula_like_cells_are_made_literal():
    frame = pd.DataFrame(
        {"party": ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+cmd", "Kenya"], "n": [1, 2, 3, 4]}
    )
    guarded = guard_formulas(frame)
    assert guarded["party"].tolist() == [
        '\'=HYPERLINK("http://x","y")',
        "'@SUM(A1)",
        "'+cmd",
        "Kenya",
    ]
    assert guard_formulas(pd.DataFrame({"v": ["-2.6%", "+16.4%"]}))["v"].tolist() == [
        "-2.6%",
        "+16.4%",
    ]


def test_cli_export(fixture_data, tmp_path, capsys):
    assert main(["export", "--data-dir", str(fixture_data), str(tmp_path / "csv")]) == 0
    with open(tmp_path / "csv" / "zones.csv", newline="") as fh:
        assert next(csv.reader(fh))[0] == "zone_id"


def test_exported_files_are_readable_by_others_like_any_new_file(fixture_dataset, tmp_path):
    # the export once had its own copy of the atomic writer, without the chmod: mode 0600
    from bri_analysis.fileio import new_file_mode

    for path in export_tables(fixture_dataset, tmp_path / "out"):
        assert path.stat().st_mode & 0o777 == new_file_mode(), path.name


def test_parquet_without_pyarrow_is_a_clear_one_line_error(
    fixture_data, tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    out = tmp_path / "pq"
    code = main(["export", "--format", "parquet", "--data-dir", str(fixture_data), str(out)])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "error: Parquet export needs pyarrow: pip install 'bri-analysis[parquet]'"
    )
    assert not out.exists()


def test_parquet_export_round_trips(fixture_dataset, tmp_path):
    pytest.importorskip("pyarrow")
    export_tables(fixture_dataset, tmp_path, "parquet")
    facts = pd.read_parquet(tmp_path / "facts.parquet")
    assert facts["value_text"].tolist() == fixture_dataset.facts["value_text"].tolist()


def test_every_formula_trigger_is_neutralised_unless_the_cell_is_a_number():
    cells = [
        "-2+3+cmd|' /C calc'!A0",
        '+1&HYPERLINK("http://x","y")',
        "=1+1",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
        "-",
        "+ 1",
    ]
    numbers = ["-2.6%", "+16.4%", "-5", "+1e5", "1,600", "-0.5", "Kenya"]
    guarded = guard_formulas(pd.DataFrame({"v": cells + numbers}))["v"].tolist()
    assert guarded == ["'" + c for c in cells] + numbers


def _digests(folder):
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_export_into_the_data_folder_is_refused_and_changes_no_byte(fixture_data, tmp_path, capsys):
    before = _digests(fixture_data)
    assert main(["export", "--data-dir", str(fixture_data), str(fixture_data)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: refusing to export into {fixture_data}: it is the data folder")
    assert _digests(fixture_data) == before

    copy = tmp_path / "copy"  # any folder holding curated tables, not only the one read
    copy.mkdir()
    (copy / "facts.csv").write_bytes((fixture_data / "facts.csv").read_bytes())
    assert main(["export", "--data-dir", str(fixture_data), str(copy)]) == 1
    assert "it holds curated tables (" in capsys.readouterr().err
    assert _digests(copy) == {"facts.csv": before["facts.csv"]}
